/*
 * test_pnbd.c
 *	  Unit tests of the Pareto/NBD family (src/core/ltv/pnbd.c) and of the
 *	  2F1(1, b; c; z) series and quadrature it uses.
 */
#include "unit.h"
#include "family_check.h"
#include "core/math/hyp2f1_a1.h"
#include "core/ltv/fit.h"
#include "core/ltv/pnbd.h"
#include "core/math/quad.h"

#include <stdlib.h>
#include <string.h>

static const double Pub[4] = {0.553, 10.578, 0.606, 11.669};

/* The CDNOW sample summary (x, t_x, T), as distinct weighted tuples */
static size_t
LoadCdnow(CjTuple *t, size_t cap, double *total)
{
	size_t		n;

	*total = (double) family_load_cdnow(t, &n, NULL, NULL, cap);
	return n;
}

/* Integrand (alpha+u)^-(r+x) (beta+u)^-(s+1) for the G check */
static double
GIntegrand(double u, void *arg)
{
	const double *a = arg;		/* r, alpha, s, beta, x */

	return pow(a[1] + u, -(a[0] + a[4])) * pow(a[3] + u, -(a[2] + 1.0));
}

static double
Poly22(double x, void *arg)
{
	(void) arg;
	return pow(x, 22);
}

/*
 * The paired series against two single ones on a grid of (b, c, z1, z2),
 * including z = 0, z near 1, huge c (the fall-back path) and c just above
 * b: within 1e-12 relative (the series at z = 0.999 sum thousands of terms
 * in a different order; elsewhere they agree to a few ulps); NaN for both
 * outside the domain.
 */
static void
TestPair(void)
{
	static const double bc[][2] = {{1.0, 2.0}, {0.6, 1.7}, {221.5, 223.1},
	{1.6, 1e5}, {1.6, 1e120}, {5.0, 5.0 + 1e-9}, {2.3, 7.1}};
	static const double zs[] = {0.0, 1e-9, 0.02, 0.0935, 0.5, 0.9, 0.999};
	double		worst = 0.0,
				f1,
				f2;
	int			i,
				j,
				k;

	for (i = 0; i < (int) (sizeof(bc) / sizeof(bc[0])); i++)
		for (j = 0; j < (int) (sizeof(zs) / sizeof(zs[0])); j++)
			for (k = 0; k < (int) (sizeof(zs) / sizeof(zs[0])); k++)
			{
				double		g1 = cj_hyp2f1_a1(bc[i][0], bc[i][1], zs[j]),
							g2 = cj_hyp2f1_a1(bc[i][0], bc[i][1], zs[k]);

				cj_hyp2f1_a1_pair(bc[i][0], bc[i][1], zs[j], zs[k], &f1, &f2);
				if (!(fabs(f1 / g1 - 1.0) <= worst))
					worst = fabs(f1 / g1 - 1.0);
				if (!(fabs(f2 / g2 - 1.0) <= worst))
					worst = fabs(f2 / g2 - 1.0);
			}
	printf("# paired series: worst relative difference %.3g\n", worst);
	CHECK(worst < 1e-12, "paired 2F1(1, b; c; z) series match single ones");
	cj_hyp2f1_a1_pair(2.0, 1.0, 0.5, 0.5, &f1, &f2);
	CHECK(isnan(f1) && isnan(f2), "paired series: c <= b gives NaN");
	cj_hyp2f1_a1_pair(1.0, 2.0, 0.5, 1.0, &f1, &f2);
	CHECK(isnan(f1) && isnan(f2), "paired series: z = 1 gives NaN");
}

/* Checks of the building blocks */
static void
TestBlocks(void)
{
	double		d[3];
	double		lf;

	CHECK_CLOSE(cj_quad_gl(Poly22, NULL, -1.0, 1.0, 1), 2.0 / 23.0, 1e-14,
				"12-point Gauss-Legendre exact for x^22");
	/* 2F1(1, 1; 2; z) = -log(1-z)/z */
	lf = cj_log_hyp2f1_a1(1.0, 2.0, 0.5, d);
	CHECK_CLOSE(exp(lf), -log(0.5) / 0.5, 1e-14, "2F1(1,1;2;1/2)");
	/* dF/dz of -log(1-z)/z = 1/(z(1-z)) + log(1-z)/z^2 */
	CHECK_CLOSE(d[2] * exp(lf), 1.0 / (0.5 * 0.5) + log(0.5) / 0.25, 1e-12,
				"d 2F1 / dz");
	CHECK_CLOSE(exp(cj_log_hyp2f1_a1(1.0, 2.0, 0.9999, NULL)),
				-log(1e-4) / 0.9999, 1e-12, "2F1(1,1;2;0.9999)");
	CHECK(isnan(cj_log_hyp2f1_a1(1.0, 2.0, 1.0, NULL)), "2F1 at z = 1 is NaN");
	{
		double		h = 1e-6,
					b = 2.3,
					c = 7.1,
					z = 0.83;
		double		fb = (cj_log_hyp2f1_a1(b + h, c, z, NULL) -
						  cj_log_hyp2f1_a1(b - h, c, z, NULL)) / (2 * h);
		double		fc = (cj_log_hyp2f1_a1(b, c + h, z, NULL) -
						  cj_log_hyp2f1_a1(b, c - h, z, NULL)) / (2 * h);

		cj_log_hyp2f1_a1(b, c, z, d);
		CHECK_CLOSE(d[0], fb, 1e-8, "d log 2F1 / db");
		CHECK_CLOSE(d[1], fc, 1e-8, "d log 2F1 / dc");
	}
	TestPair();
}

/* The likelihood's G(t_x) - G(T) against direct quadrature, both branches */
static void
TestLikelihoodForm(void)
{
	static const double ps[2][4] = {{0.553, 10.578, 0.606, 11.669},
	{0.8, 20.0, 1.7, 3.0}};
	int			k;

	for (k = 0; k < 2; k++)
	{
		double		v[3] = {3.0, 10.0, 30.0};
		double		a[5] = {ps[k][0], ps[k][1], ps[k][2], ps[k][3], v[0]};
		double		r = a[0],
					al = a[1],
					s = a[2],
					be = a[3];
		double		integ = cj_quad_gl(GIntegrand, a, v[1], v[2], 40);
		double		want = lgamma(r + v[0]) - lgamma(r) + r * log(al) +
			s * log(be) +
			log(pow(al + v[2], -(r + v[0])) * pow(be + v[2], -s) + s * integ);

		CHECK_CLOSE(cj_pnbd_loglik1(ps[k], v, NULL), want, 1e-12,
					k ? "LL matches its integral form (alpha > beta)" :
					"LL matches its integral form (alpha < beta)");
	}
}

/*
 * One of alpha, beta 1e5 or more times the other plus t_x: the 2F1 series
 * of G(t_x) cannot converge, and the bracket is integrated instead.  Such
 * tuples used to lose the second part of the bracket silently (the first
 * case gave log L = -13.8 for a probability of 0.99999987).  Values from
 * mpmath at 40 digits (the 2F1 forms of the file header); the gradient
 * against central differences on the log parameters.
 */
static void
TestLikelihoodNearOne(void)
{
	static const double cases[5][8] = {
		{0.01, 1e4, 1.0, 0.01, 0, 0, 1e4, -1.311656554436754376346274e-7},
		{0.5, 1e7, 0.8, 0.05, 0, 0, 52, -3.7664859763430225703731e-8},
		{2.0, 3e6, 1.5, 0.02, 4, 1.5, 30, -61.36510736602053799983876},
		{0.7, 1e-3, 0.3, 2e5, 0, 0, 20, -6.932411409200010080715366},
		{3.0, 0.002, 12.0, 5e7, 3, 0.5, 8, -26.69452944950272905341933}};
	int			k,
				i;

	for (k = 0; k < 5; k++)
	{
		const double *c = cases[k];
		double		g[4];
		double		ll = cj_pnbd_loglik1(c, c + 4, g);
		bool		ok = true;

		CHECK_CLOSE(ll, c[7], 1e-13,
					"LL with z near 1 matches mpmath");
		for (i = 0; i < 4; i++)
		{
			double		pp[4] = {c[0], c[1], c[2], c[3]},
						pm[4] = {c[0], c[1], c[2], c[3]},
						h = 1e-5,
						fd;

			pp[i] *= exp(h);
			pm[i] *= exp(-h);
			fd = (cj_pnbd_loglik1(pp, c + 4, NULL) -
				  cj_pnbd_loglik1(pm, c + 4, NULL)) / (2 * h);
			if (!(fabs(g[i] - fd) <= 1e-6 * fmax(1.0, fabs(fd))))
				ok = false;
		}
		CHECK(ok, "LL gradient with z near 1 matches central differences");
	}
}

/* Published LL, worked values, gradients on the CDNOW sample */
static void
TestCdnow(void)
{
	static CjTuple t[4000];
	double		total;
	size_t		n = LoadCdnow(t, 4000, &total);
	CjData		d = {t, n, total};
	double		v26[3] = {26.0, 30.86, 31.0};
	double		q[4] = {0.3, 40.0, 0.9, 2.5};

	CHECK(total == 2357, "CDNOW sample has 2357 customers");
	CHECK_CLOSE(cj_family_pnbd.loglik(&d, Pub, NULL), -9595.0, 0.05 / 9595,
				"LL at published parameters = -9595.0");
	CHECK(family_grad_error(&cj_family_pnbd, &d, Pub) < 1e-6, "gradient vs finite differences (alpha < beta)");
	CHECK(family_grad_error(&cj_family_pnbd, &d, q) < 1e-6, "gradient vs finite differences (alpha > beta)");
	/* at the rounded published parameters; exact digits after a fit */
	CHECK_CLOSE(cj_family_pnbd.expected(Pub, 52.0), 1.4734, 0.001,
				"E[X(52)] ~ 1.4734");
	CHECK_CLOSE(cj_family_pnbd.conditional(Pub, v26, 52.0), 25.456,
				0.001, "E[X(52) | 26, 30.86, 31] ~ 25.456");
	CHECK_CLOSE(cj_family_pnbd.p_alive(Pub, v26), 0.9979, 0.00005,
				"P(alive | 26, 30.86, 31) = 0.9979");
	{
		/* P(alive) = first part of the likelihood over the likelihood */
		double		worst = 0.0;
		size_t		i;

		for (i = 0; i < n; i++)
		{
			const double *v = t[i].v;
			double		first = lgamma(Pub[0] + v[0]) - lgamma(Pub[0]) +
				Pub[0] * log(Pub[1]) + Pub[2] * log(Pub[3]) -
				(Pub[0] + v[0]) * log(Pub[1] + v[2]) - Pub[2] * log(Pub[3] + v[2]);
			double		want = exp(first - cj_pnbd_loglik1(Pub, v, NULL));

			worst = fmax(worst, fabs(cj_family_pnbd.p_alive(Pub, v) - want));
		}
		CHECK(worst < 1e-12, "P(alive) = first part / likelihood on every customer");
	}
	{
		/* the fit: published optimum and the worked values to their digits */
		CjFitResult r;
		CjError		err;

		CHECK(cj_fit_family(&cj_family_pnbd, &d, &r, &err), "Pareto/NBD fit");
		printf("# pnbd fit: ll=%.6f iter=%d evals=%d status=%d grad=%g p=%.6g %.6g %.6g %.6g\n",
			   r.loglik, r.iterations, r.evaluations, r.status, r.grad_norm,
			   r.p[0], r.p[1], r.p[2], r.p[3]);
		CHECK(r.status == CJ_FIT_CONVERGED, "fit converged");
		CHECK(fabs(r.loglik - -9594.97) < 0.01, "fit LL = -9594.97");
		for (int i = 0; i < 4; i++)
			CHECK(fabs(r.p[i] / Pub[i] - 1) < 0.005, "parameter within 0.5 %");
		CHECK(fabs(cj_family_pnbd.expected(r.p, 52.0) - 1.4734) < 0.00005,
			  "E[X(52)] = 1.4734 at the optimum");
		/* exact optimum: 25.45655 (the source truncates to 25.456) */
		CHECK(fabs(cj_family_pnbd.conditional(r.p, v26, 52.0) - 25.456) < 0.001,
			  "E[X(52) | 26, 30.86, 31] = 25.456 at the optimum");
		CHECK(fabs(cj_family_pnbd.p_alive(r.p, v26) - 0.9979) < 0.00005,
			  "P(alive | 26, 30.86, 31) = 0.9979 at the optimum");
	}
}

/*
 * P(X(t) = n) sums to 1 and has mean E[X(t)], for alpha below beta and
 * above it, up to alpha a million times beta (where P(X = 0) must come
 * within E[X]^2 of 1 - E[X], about 2.4e-6 below 1)
 */
static void
TestProbN(void)
{
	static const double ps[5][4] = {{0.553, 10.578, 0.606, 11.669},
	{2.0, 3.0, 1.5, 40.0}, {0.597, 11.586, 0.522, 8.828},
	{0.5, 100.0, 0.5, 0.1}, {1.0, 1e6, 1.0, 1.0}};
	int			k;

	for (k = 0; k < 5; k++)
	{
		double		sum = 0.0,
					mean = 0.0,
					tail;
		int			n;

		for (n = 0; n < 400; n++)
		{
			double		pn = cj_family_pnbd.prob_n(ps[k], n, 39.0);

			sum += pn;
			mean += n * pn;
		}
		tail = cj_family_pnbd.expected(ps[k], 39.0);
		CHECK_CLOSE(sum, 1.0, 1e-9, "sum_n P(X(39) = n) = 1");
		CHECK_CLOSE(mean, tail, 1e-7, "sum_n n P(X(39) = n) = E[X(39)]");
	}
}

/*
 * P(X(t) = n) where t/(alpha+t) is near 1 and r + s is large: the
 * integrand of the dying part rises by hundreds of decades from its
 * start (it overflowed to a spurious 22003 for all three), and with alpha
 * far below beta it rises like exp(-c/z) (6e-8 off on equal panels).
 * References: 50-digit mpmath quadrature of the model's definition
 * (alive through t, or dying at tau < t after n purchases).
 */
static void
TestProbNPeaked(void)
{
	static const struct
	{
		double		p[4];
		double		n;
		double		want;
	}			c[4] = {
		{{1e4, 1e-3, 1e4, 1.0}, 10.0, 0.00098916138287298048},
		{{1e4, 1e-3, 1e4, 1e4}, 43518.0, 9.957558333223673e-8},
		{{1.0, 1e-3, 1e4, 1e4}, 10.0, 0.0034601487182757904},
		{{1e4, 1e-3, 1.0, 1e-3}, 43518.0, 3.4913399243886518e-6},
	};
	int			k;

	for (k = 0; k < 4; k++)
	{
		double		got = cj_family_pnbd.prob_n(c[k].p, c[k].n, 1e4);

		if (!(fabs(got / c[k].want - 1.0) <= 1e-9))
			printf("# got %.17g want %.17g\n", got, c[k].want);
		CHECK(fabs(got / c[k].want - 1.0) <= 1e-9,
			  "P(X(1e4) = n) with t/(alpha+t) = 1 - 1e-7 within 1e-9");
	}
}

/*
 * P(X(t) = n) where the usual mesh was too coarse: t/(alpha+t) small (the
 * first panel, as wide as the distance to the singularity, spanned
 * [0, 40]: 1.4e-8 off) and alpha far above beta (the integrand decays
 * like e^(-z/5), cut at z = 48: 1.35e-5 off).  References: the
 * differential grid (test/ref), confirmed by a separate 50-digit
 * quadrature.
 */
static void
TestProbNMesh(void)
{
	static const struct
	{
		double		p[4];
		double		n;
		double		t;
		double		want;
	}			c[2] = {
		{{1399.1429431393858, 956.7161654507065, 23.897811801412825,
		5030.245048714999}, 6.0, 2.966420711261341, 0.11956127594538686299},
		{{2784.282296437017, 601.9012250997736, 39.28637121642094,
		0.0015768800303673047}, 54.0, 0.7932608816791943,
		1.5902413986224696434e-148},
	};
	int			k;

	for (k = 0; k < 2; k++)
	{
		double		got = cj_family_pnbd.prob_n(c[k].p, c[k].n, c[k].t);

		if (!(fabs(got / c[k].want - 1.0) <= 1e-9))
			printf("# got %.17g want %.17g\n", got, c[k].want);
		CHECK(fabs(got / c[k].want - 1.0) <= 1e-9,
			  "P(X(t) = n) on a fine enough mesh, within 1e-9");
	}
}

static double
DertIntegrand(double t, void *arg)
{
	const double *a = arg;		/* s, beta+T, delta */

	return exp(-a[2] * t) * pow(a[1] / (a[1] + t), a[0]);
}

/* DERT against the integral of the discounted purchase rate */
static void
TestDert(void)
{
	double		v[3] = {2.0, 30.43, 38.86};
	double		deltas[3] = {log(1.15) / 52.0, 0.3, 5.0};
	int			k;

	for (k = 0; k < 3; k++)
	{
		double		a[3] = {Pub[2], Pub[3] + v[2], deltas[k]};
		double		want = cj_family_pnbd.p_alive(Pub, v) * (Pub[0] + v[0]) /
			(Pub[1] + v[2]) *
			cj_quad_gl(DertIntegrand, a, 0.0, 60.0 / deltas[k], 400);

		CHECK_CLOSE(cj_pnbd_dert(Pub, v, deltas[k]), want, 1e-8,
					"DERT = int e^-delta t dE[X(T, T+t)]");
	}
}

/* Heavy buyers and long ages: everything finite, P(alive) in [0, 1] */
static void
TestGrid(void)
{
	static const double xs[] = {0, 1, 2, 10, 221, 1000, 1e4, 1e5};
	static const double Ts[] = {0.5, 1, 39, 103.57, 1000, 1e4};
	static const double fr[] = {0.0, 0.3, 0.9, 0.999, 0.99999, 1.0};
	static const double ps[3][4] = {{0.553, 10.578, 0.606, 11.669},
	{0.5, 100.0, 0.5, 0.1}, {3.0, 0.05, 2.0, 500.0}};
	int			bad = 0,
				k;
	size_t		i,
				j,
				l;
	double		v[3] = {221, 103.43, 103.57};

	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
			for (j = 0; j < sizeof(Ts) / sizeof(Ts[0]); j++)
				for (l = 0; l < sizeof(fr) / sizeof(fr[0]); l++)
				{
					double		w[3] = {xs[i], xs[i] > 0 ? fr[l] * Ts[j] : 0.0, Ts[j]};
					double		g[4];
					double		ll = cj_pnbd_loglik1(ps[k], w, g);
					double		pa = cj_family_pnbd.p_alive(ps[k], w);
					double		ce = cj_family_pnbd.conditional(ps[k], w, 52.0);
					double		de = cj_pnbd_dert(ps[k], w, 0.003);

					if (!(isfinite(ll) && isfinite(g[0]) && isfinite(g[1]) &&
						  isfinite(g[2]) && isfinite(g[3]) && pa >= 0.0 &&
						  pa <= 1.0 && isfinite(ce) && ce >= 0.0 &&
						  isfinite(de) && de >= 0.0))
					{
						if (bad < 5)
							printf("# bad at p%d x=%g t_x=%g T=%g: ll=%g pa=%g ce=%g dert=%g\n",
								   k, w[0], w[1], w[2], ll, pa, ce, de);
						bad++;
					}
				}
	CHECK(bad == 0, "heavy-buyer grid: finite LL, gradient, P(alive), E, DERT");
	{
		/*
		 * alpha a thousand times beta: P(alive) integrates instead of
		 * summing the series.  Both sides of the switch agree, and with
		 * alpha huge the purchase rate is tiny, so the silence since the
		 * last purchase (at 0) says nothing and P(alive) is the chance to
		 * survive T under a Gamma(s, beta) death rate, (beta/(beta+T))^s:
		 * 1/11 for s = beta = 1, T = 10.
		 */
		double		below[4] = {1.0, 1000.0 * (1.0 - 1e-9), 1.0, 1.0},
					above[4] = {1.0, 1000.0 * (1.0 + 1e-9), 1.0, 1.0},
					huge[4] = {1.0, 1e9, 1.0, 1.0},
					h[3] = {1.0, 0.0, 10.0};
		double		pb = cj_family_pnbd.p_alive(below, h),
					pa = cj_family_pnbd.p_alive(above, h);

		CHECK(fabs(pb - pa) < 1e-9 * pb,
			  "P(alive) by series and by quadrature agree at the switch");
		CHECK_CLOSE(cj_family_pnbd.p_alive(huge, h), 1.0 / 11.0, 1e-7,
					"P(alive) with alpha = 1e9 beta is the survival 1/11");
	}
	CHECK(cj_family_pnbd.p_alive(Pub, v) > 0.0 &&
		  cj_family_pnbd.p_alive(Pub, v) <= 1.0,
		  "P(alive | 221, 103.43, 103.57) in (0, 1]");
}

/*
 * A heavy buyer long silent: 2,899 purchases by 0.159, nothing to 0.207.
 * R(t_x) overflows, so P(alive) (3.6e-306) and the products with it came
 * back 0 although all three are doubles (40-digit values from
 * test/ref/gen_reference.py; the conditional is a reference grid row).
 */
static void
TestUnderflowingAlive(void)
{
	static const double p[4] = {61.236118173771814, 0.015764101476288588,
	14.180664053385087, 3295.7567136895955};
	static const double v[3] = {2899, 0.158952655075397, 0.20694792437190648};

	CHECK_REL(cj_family_pnbd.p_alive(p, v), 3.6239460769221626999e-306, 1e-9,
			  "P(alive) below 1e-305 is a number, not 0");
	CHECK_REL(cj_family_pnbd.conditional(p, v, 3596.5486347929004),
			  1.2044354995479997867e-299, 1e-9,
			  "E[X] = P(alive) times a large expectation, not 0");
	CHECK_REL(cj_pnbd_dert(p, v, 0.01), 3.3888673274560476155e-300, 1e-9,
			  "DERT likewise");
}

/*
 * The probability of being dead after a short silence (the window PMF's
 * mass at 0 beyond the alive part: window_combine with part 0).  The 2F1
 * series' difference R(t_x) - R(T) lost up to 6e-8 relative here; the
 * values are mpmath's integral of its definition times s, over 1 + that.
 */
static void
TestShortSilence(void)
{
	static const double p1[4] = {0.010677122684200201, 32.130622661776776,
	0.0040964701904402136, 2254.318442679898};
	static const double v1[3] = {0, 0, 0.0012703984729156377};
	static const double p2[4] = {0.020539018289316199, 8376.0510346542815,
	3.6968374645683348, 135.93715127968068};
	static const double v2[3] = {43178, 0.001294941061347899, 0.0013119522874144678};

	CHECK_REL(cj_family_pnbd.window_combine(p1, v1, 0.0, 0.0),
			  2.3085243867194606902e-9, 1e-12,
			  "P(dead) after a silence of 0.00127 (no purchase yet)");
	CHECK_REL(cj_family_pnbd.window_combine(p2, v2, 0.0, 0.0),
			  4.6263936771589949198e-7, 1e-12,
			  "P(dead) after a silence of 1.7e-5 (43,178 purchases)");
}

int
main(void)
{
	TestBlocks();
	TestLikelihoodForm();
	TestLikelihoodNearOne();
	TestCdnow();
	TestProbN();
	TestProbNPeaked();
	TestProbNMesh();
	TestDert();
	TestUnderflowingAlive();
	TestShortSilence();
	TestGrid();
	return unit_done();
}
