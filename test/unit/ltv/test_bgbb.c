/*
 * test_bgbb.c
 *	  Unit tests of the BG/BB family (src/core/ltv/bgbb.c) on the donation
 *	  data of Fader, Hardie and Shang (2010).
 */
#include "unit.h"
#include "family_check.h"
#include "core/ltv/bgbb.h"
#include "core/ltv/fit.h"

#include <string.h>

static const double Pub[4] = {1.204, 0.750, 0.657, 2.783};

/* donations.csv: 22 (x, t_x, n, weight) patterns */
static size_t
LoadDonations(CjTuple *t, size_t cap, double *total)
{
	FILE	   *f = family_open_csv("test/data/donations.csv");
	char		line[256];
	size_t		n = 0;

	*total = 0;
	if (!f)
		return 0;
	while (n < cap && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lf,%lf,%lf,%lf", &t[n].v[0], &t[n].v[1],
				   &t[n].v[2], &t[n].w) == 4)
			*total += t[n++].w;
	fclose(f);
	return n;
}

/* C(t_x - 1, x - 1): the number of 0/1 sequences with history (x, t_x) */
static double
Sequences(double x, double tx)
{
	if (x == 0)
		return 1.0;
	return exp(lgamma(tx) - lgamma(x) - lgamma(tx - x + 1));
}

/*
 * Sum over every history of n opportunities: probabilities add to 1, the
 * mean of x is E[X(n)] and the mean of the conditional expectation is
 * E[X(n+m)] - E[X(n)].
 */
static void
TestHistories(const double *p, int n, int m)
{
	double		tot = 0.0,
				mx = 0.0,
				mc = 0.0,
				pa = 0.0;
	int			x,
				tx;

	for (x = 0; x <= n; x++)
		for (tx = (x ? x : 0); tx <= (x ? n : 0); tx++)
		{
			double		v[3] = {x, tx, n};
			double		w = Sequences(x, tx) * exp(cj_bgbb_loglik1(p, v, NULL));

			tot += w;
			mx += w * x;
			mc += w * cj_family_bgbb.conditional(p, v, m);
			pa += w * cj_family_bgbb.p_alive(p, v);
		}
	CHECK_CLOSE(tot, 1.0, 1e-12, "history probabilities sum to 1");
	CHECK_CLOSE(mx, cj_family_bgbb.expected(p, n), 1e-12, "mean x = E[X(n)]");
	CHECK_CLOSE(mc, cj_family_bgbb.expected(p, n + m) -
				cj_family_bgbb.expected(p, n), 1e-12,
				"mean conditional = E[X(n+m)] - E[X(n)]");
	CHECK_CLOSE(pa, exp(lgamma(p[3] + n + 1) - lgamma(p[2] + p[3] + n + 1) +
						lgamma(p[2] + p[3]) - lgamma(p[3])), 1e-12,
				"mean P(alive at n+1) = B(gamma, delta+n+1)/B(gamma, delta)");
}

int
main(void)
{
	static CjTuple t[64];
	double		total;
	size_t		n = LoadDonations(t, 64, &total);
	CjData		d = {t, n, total};
	double		v00[3] = {0, 0, 6},
				v24[3] = {2, 4, 6},
				v66[3] = {6, 6, 6};
	double		q[4] = {0.4, 3.0, 2.5, 0.3};
	double		g1[4] = {1.204, 0.750, 1.0, 2.783},
				g1b[4] = {1.204, 0.750, 1.0 + 1e-4, 2.783};
	CjError		err;

	CHECK(n == 22 && total == 11104, "donations: 22 patterns, 11104 donors");
	CHECK_CLOSE(cj_family_bgbb.loglik(&d, Pub, NULL), -33225.6, 0.1 / 33225.6,
				"LL at published parameters = -33225.6");
	CHECK(family_grad_error(&cj_family_bgbb, &d, Pub) < 1e-6, "gradient vs finite differences");
	CHECK(family_grad_error(&cj_family_bgbb, &d, q) < 1e-6, "gradient vs finite differences elsewhere");
	CHECK_CLOSE(cj_family_bgbb.p_alive(Pub, v00), 0.11, 0.005,
				"P(alive in 2002 | 0, 0) = 0.11");
	CHECK_CLOSE(cj_family_bgbb.p_alive(Pub, v24), 0.59, 0.005,
				"P(alive in 2002 | 2, 4) = 0.59");
	CHECK_CLOSE(cj_family_bgbb.p_alive(Pub, v66), 0.93, 0.005,
				"P(alive in 2002 | 6, 6) = 0.93");
	CHECK_CLOSE(cj_family_bgbb.expected(Pub, 10), 3.1798, 0.001,
				"E[X(10)] ~ 3.1798 at rounded parameters");
	{
		CjFitResult r;

		CHECK(cj_fit_family(&cj_family_bgbb, &d, &r, &err), "BG/BB fit");
		printf("# bgbb fit: ll=%.6f iter=%d evals=%d status=%d grad=%g p=%.6g %.6g %.6g %.6g\n",
			   r.loglik, r.iterations, r.evaluations, r.status, r.grad_norm,
			   r.p[0], r.p[1], r.p[2], r.p[3]);
		CHECK(r.status == CJ_FIT_CONVERGED, "fit converged");
		CHECK(fabs(r.loglik - -33225.58) < 0.01, "fit LL = -33225.58");
		for (int i = 0; i < 4; i++)
			CHECK(fabs(r.p[i] / Pub[i] - 1) < 0.005, "parameter within 0.5 %");
		CHECK(fabs(cj_family_bgbb.expected(r.p, 10) - 3.1798) < 0.00005,
			  "E[X(10)] = 3.1798 at the optimum");
		CHECK(fabs(cj_family_bgbb.p_alive(r.p, v00) - 0.11) < 0.005 &&
			  fabs(cj_family_bgbb.p_alive(r.p, v24) - 0.59) < 0.005 &&
			  fabs(cj_family_bgbb.p_alive(r.p, v66) - 0.93) < 0.005,
			  "P(alive in 2002) = 0.11, 0.59, 0.93 at the optimum");
	}
	TestHistories(Pub, 6, 5);
	TestHistories(q, 9, 3);
	TestHistories(g1, 5, 4);
	CHECK_CLOSE(cj_family_bgbb.expected(g1, 10), cj_family_bgbb.expected(g1b, 10),
				1e-4, "E[X(n)] continuous at gamma = 1");
	{
		double		sum = 0.0,
					mean = 0.0;
		int			x;

		for (x = 0; x <= 10; x++)
		{
			sum += cj_family_bgbb.prob_n(Pub, x, 10);
			mean += x * cj_family_bgbb.prob_n(Pub, x, 10);
		}
		CHECK_CLOSE(sum, 1.0, 1e-12, "sum_x P(X(10) = x) = 1");
		CHECK_CLOSE(mean, cj_family_bgbb.expected(Pub, 10), 1e-12,
					"sum_x x P(X(10) = x) = E[X(10)]");
	}
	{
		double		v[3] = {50000, 99990, 100000};
		double		g[4];
		double		ll = cj_bgbb_loglik1(Pub, v, g);
		double		pa = cj_family_bgbb.p_alive(Pub, v);

		CHECK(isfinite(ll) && isfinite(g[0]) && pa >= 0 && pa <= 1 &&
			  isfinite(cj_family_bgbb.conditional(Pub, v, 100)),
			  "heavy history at n = 100000 finite");
	}
	v24[1] = 1;
	CHECK(!cj_family_bgbb.check_data(v24, &err), "x > t_x rejected");
	v24[1] = 4;
	v24[2] = 3;
	CHECK(!cj_family_bgbb.check_data(v24, &err), "t_x > n rejected");
	v24[2] = 6.5;
	CHECK(!cj_family_bgbb.check_data(v24, &err), "fractional n rejected");
	return unit_done();
}
