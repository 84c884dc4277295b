/*-------------------------------------------------------------------------
 *
 * sbg.c
 *	  The shifted-beta-geometric model (Fader and Hardie 2007, "How to
 *	  project customer retention", J. Interactive Marketing 21(1)).
 *
 * Each customer churns at the end of every period with probability
 * theta ~ Beta(alpha, beta).  Then (FH 2007, eq. 2 and 3)
 *   P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta),   t = 1, 2, ...
 *   S(t)     = B(alpha, beta+t) / B(alpha, beta),
 * and the retention rate r(t) = (beta+t-1)/(alpha+beta+t-1) rises with
 * t (the heterogeneity the perils paper is about).  A data tuple is
 * (k renewals, churned): churned contributes log P(T = k+1), still
 * active log S(k).
 *
 * Valuation (Fader and Hardie 2010, J. Interactive Marketing 24(1)):
 *   DEL(d)     = sum_{t>=0} S(t) (1+d)^-t = 2F1(1, beta; alpha+beta; 1/(1+d))
 *   DERL(d, n) = (beta+n)/(alpha+beta+n)
 *                * 2F1(1, beta+n+1; alpha+beta+n+1; 1/(1+d))
 * for a customer who has made n renewals (the sBG with beta+n describes
 * the survivors).
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/sbg.h"
#include "core/math/hyp2f1_a1.h"
#include "core/math/quad.h"
#include "core/math/special.h"

#include <math.h>

static const char *const SbgParamNames[] = {"alpha", "beta"};
static const char *const SbgDataNames[] = {"periods", "churned"};

/* Log-likelihood and log-parameter gradient over weighted (k, churned) */
static double
SbgLogLik(const CjData *d, const double *p, double *grad)
{
	double		al = p[0],
				be = p[1];
	double		lb = cj_lbeta(al, be),
				pab = cj_digamma(al + be),
				pa = cj_digamma(al),
				pb = cj_digamma(be),
				pa1 = cj_digamma(al + 1.0);
	double		sum = 0.0,
				ga = 0.0,
				gb = 0.0;
	size_t		i;

	for (i = 0; i < d->n; i++)
	{
		double		k = d->t[i].v[0],
					w = d->t[i].w;

		if (d->t[i].v[1] != 0.0)
		{
			sum += w * (cj_lbeta(al + 1.0, be + k) - lb);
			if (grad)
			{
				double		pk = cj_digamma(al + be + k + 1.0);

				ga += w * (pa1 - pk - pa + pab);
				gb += w * (cj_digamma(be + k) - pk - pb + pab);
			}
		}
		else
		{
			sum += w * (cj_lbeta(al, be + k) - lb);
			if (grad)
			{
				double		pk = cj_digamma(al + be + k);

				ga += w * (pab - pk);
				gb += w * (cj_digamma(be + k) - pk - pb + pab);
			}
		}
		if ((i & 4095) == 4095)
			cj_check_interrupts();
	}
	if (grad)
	{
		grad[0] = al * ga;
		grad[1] = be * gb;
	}
	return isfinite(sum) ? sum : -INFINITY;
}

/* Data check: periods a whole number >= 0, churned 0 or 1 */
static bool
SbgCheckData(const double *v, CjError *err)
{
	if (!(isfinite(v[0]) && v[0] >= 0.0 && v[0] == floor(v[0]) &&
		  v[0] <= 1e9))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The number of periods must be a whole number between 0 and 1000000000.");
		return false;
	}
	if (v[1] != 0.0 && v[1] != 1.0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Churned must be true or false.");
		return false;
	}
	return true;
}

/* Parameters: both finite and > 0 */
static bool
SbgCheckParams(const double *p, CjError *err)
{
	return cj_family_positive_params(&cj_family_sbg, p, err);
}

/* Start at the uniform churn-probability distribution */
static void
SbgStart(const CjData *d, double *p)
{
	(void) d;
	p[0] = p[1] = 1.0;
}

/*
 * S(t) (see the header), as [lgamma(a+b) - lgamma(b)] - [lgamma(a+b+t) -
 * lgamma(b+t)]: two rising factorials of a, each precise, where
 * log B(a, b+t) - log B(a, b) subtracts two log-gamma ratios near t log t
 * and lost 1e-6 relative at t = 1e9.  P(T = t) likewise.
 */
double
cj_sbg_survival(const double *p, double t)
{
	if (!(t > 0.0))
		return 1.0;
	return exp(cj_lgamma_ratio(p[1], p[0]) - cj_lgamma_ratio(p[1] + t, p[0]));
}

/* r(t) (see the header) */
double
cj_sbg_retention(const double *p, double t)
{
	/* the integer t - 1 added last: a beta below 1e-16 is not lost */
	return (p[1] + (t - 1.0)) / ((p[0] + p[1]) + (t - 1.0));
}

/* P(T = t) (see the header) */
double
cj_sbg_churn_prob(const double *p, double t)
{
	if (!(t >= 1.0))
		return 0.0;
	return exp(log(p[0]) + cj_lgamma_ratio(p[1], p[0]) -
			   cj_lgamma_ratio(p[1] + (t - 1.0), p[0] + 1.0));
}

#define SBG_DEL_SERIES_MIN_D 1e-6
#define SBG_DEL_SERIES_MAX_TERMS 1e8

/* The series' terms as a smooth function of k (see SbgDelSmall) */
typedef struct DelTail
{
	double		a,
				b,
				lu0,			/* log Gamma(a+b) - log Gamma(b) */
				ld,				/* log(1 + d) */
				K;				/* the first term of the tail */
} DelTail;

/* log f(x) = log u(x) - x log(1+d) */
static double
DelLogTerm(const DelTail *t, double x)
{
	return t->lu0 - cj_lgamma_ratio(t->b + x, t->a) - t->ld * x;
}

/* f(x) dx / dv at x = K e^v */
static double
DelTailIntegrand(double v, void *arg)
{
	const DelTail *t = arg;
	double		x = t->K * exp(v);

	return exp(DelLogTerm(t, x) + log(x));
}

#define SBG_DEL_HEAD 65536

/*
 * DEL for d below SBG_DEL_SERIES_MIN_D, where the series would take over
 * 40/d terms and the 1 - z connection formula of cj_hyp2f1 loses about
 * 1e-16/d relative (4e-4 at d = 1e-14).  The first SBG_DEL_HEAD = K terms
 * of the series are summed, and the rest, sum_{k >= K} f(k) with
 * f(x) = u(x) (1+d)^-x and u(x) = Gamma(a+b) Gamma(b+x) / (Gamma(b)
 * Gamma(a+b+x)) the terms' smooth interpolation, by Euler-Maclaurin
 * (Abramowitz and Stegun 23.1.30):
 *   int_K^inf f(x) dx + f(K)/2 - f'(K)/12 + f'''(K)/720 - ...,
 *   f'(x) = f(x) (psi(b+x) - psi(a+b+x) - log(1+d)).
 * The derivatives of f are f times powers of about a/K + log(1+d), so at
 * K = 65536 the f''' term is below 1e-13 of f(K) for a up to 100, and
 * the tail is at least f(K): two correction terms suffice.  The integral
 * is taken in v = log(x / K) on panels of width 1/4 (narrower where the
 * discount's exponent d x passes 1), until log(1+d) x passes 60.
 */
static double
SbgDelSmall(double a, double b, double d)
{
	DelTail		t = {a, b, cj_lgamma_ratio(b, a), log1p(d), SBG_DEL_HEAD};
	double		z = 1.0 / (1.0 + d),
				term = 1.0,
				head = 1.0,
				fK,
				tail,
				v = 0.0;
	int			k,
				panels = 0;

	for (k = 1; k < SBG_DEL_HEAD; k++)
	{
		/*
		 * the product of ratios, taken afresh from u(k) z^k every 1024
		 * terms so that its rounding cannot build up over the 65,536
		 */
		if ((k & 1023) == 0)
			term = exp(DelLogTerm(&t, k));
		else
			term *= (b + (k - 1)) / ((a + b) + (k - 1)) * z;
		head += term;
	}
	fK = exp(DelLogTerm(&t, t.K));
	tail = 0.5 * fK + fK * (cj_digamma_diff(b + t.K, a) + t.ld) / 12.0;
	for (;;)
	{
		double		dx = t.ld * t.K * exp(v),	/* the discount's exponent */
					h;

		if (dx >= 60.0)
			break;
		h = 0.25 / fmax(1.0, dx);
		tail += cj_quad_gl(DelTailIntegrand, &t, v, v + h, 1);
		v += h;
		if ((++panels & 255) == 0)
			cj_check_interrupts();
	}
	return head + tail;
}

/* 2F1(1, b; a+b; 1/(1+d)), the DEL of an sBG with parameters (a, b) */
static double
SbgDel(double a, double b, double d)
{
	if (d == 0.0)
		return (a > 1.0) ? (a + b - 1.0) / (a - 1.0) : INFINITY;
	/* the positive series is exact and short enough up to z = 0.99 */
	if (d >= 1.0 / 99.0)
		return exp(cj_log_hyp2f1_a1(b, a + b, 1.0 / (1.0 + d), NULL));
	/*
	 * Closer to z = 1 the same series of positive terms, summed directly
	 * (about 40/d terms): the 1 - z connection formula of cj_hyp2f1 lost
	 * up to 8 digits here (DEL of sbg(alpha=0.0023, beta=0.005) at
	 * d = 0.0026 was 262.744168 instead of 262.745048).
	 */
	if (d >= SBG_DEL_SERIES_MIN_D)
	{
		double		z = 1.0 / (1.0 + d),
					term = 1.0,
					sum = 1.0,
					k;

		for (k = 0; k < SBG_DEL_SERIES_MAX_TERMS; k++)
		{
			double		ratio = (b + k) / (a + b + k) * z;

			term *= ratio;
			sum += term;
			/* terms fall by at least ratio: the rest is below term/(1-ratio) */
			if (term < 1e-17 * sum * (1.0 - ratio))
				return sum;
			if (cj_unlikely(((int64_t) k & 65535) == 65535))
				cj_check_interrupts();
		}
	}
	return SbgDelSmall(a, b, d);
}

/* DEL (see the header) */
double
cj_sbg_del(const double *p, double d)
{
	return SbgDel(p[0], p[1], d);
}

/* DERL (see the header) */
double
cj_sbg_derl(const double *p, double n, double d)
{
	return cj_sbg_retention(p, n + 1.0) * SbgDel(p[0], p[1] + n + 1.0, d);
}

/*
 * Reject data that cannot identify the model: no churn at all (alpha ->
 * 0) or nobody ever renewing (beta -> 0).
 */
static bool
SbgCheckFit(const CjData *d, CjError *err)
{
	bool		churn = false,
				renew = false;
	size_t		i;

	for (i = 0; i < d->n; i++)
	{
		if (d->t[i].v[1] != 0.0)
			churn = true;
		if (d->t[i].v[0] > 0.0)
			renew = true;
	}
	if (!churn || !renew)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "An sBG fit needs at least one churned customer and at least one renewal.");
		return false;
	}
	return true;
}

/* A typical parameter vector: Fader and Hardie (2007), "regular" segment */
static const double Example[] = {0.704, 1.182};

const CjFamily cj_family_sbg = {
	.id = CJ_FAMILY_SBG,
	.name = "sbg",
	.example = Example,
	.title = "shifted-beta-geometric",
	.kind = CJ_KIND_CONTRACT,
	.nparams = 2,
	.param_names = SbgParamNames,
	.ndata = 2,
	.data_names = SbgDataNames,
	.check_data = SbgCheckData,
	.check_params = SbgCheckParams,
	.check_fit = SbgCheckFit,
	.loglik = SbgLogLik,
	.start = SbgStart,
};
