/*-------------------------------------------------------------------------
 *
 * gg.c
 *	  Gamma-Gamma model of spend per transaction (Fader and Hardie 2013,
 *	  "The Gamma-Gamma model of monetary value"; Fader, Hardie and Lee
 *	  2005, "RFM and CLV", JMR 42(4)).
 *
 * Each transaction value z ~ Gamma(p, nu), nu ~ Gamma(q, gamma) across
 * customers.  The mean zbar = m of x transactions is Gamma(p x, nu x), so
 * marginally (the note's eq. 3, in log space)
 *   log f(m | x) = lgamma(px+q) - lgamma(px) - lgamma(q) + q log gamma
 *                  + px log x + (px-1) log m - (px+q) log(gamma + x m)
 * with gradient (natural scale)
 *   dp = x [psi(px+q) - psi(px) + log x + log m - log(gamma + x m)]
 *   dq = psi(px+q) - psi(q) + log gamma - log(gamma + x m)
 *   dgamma = q/gamma - (px+q)/(gamma + x m).
 * Conditional mean spend (note eq. 5):
 *   E[M | x, m] = p (gamma + x m) / (px + q - 1),
 * the population mean p gamma / (q - 1) for x = 0 (infinite for q <= 1).
 * Data are (x, m); customers with x = 0 carry no spend information and are
 * left out of the fit.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/family.h"

#include <math.h>

#include "core/math/special.h"

static const char *const ParamNames[] = {"p", "q", "gamma"};
static const char *const DataNames[] = {"x", "m"};

/* x a whole number >= 0; m > 0 when x > 0 */
static bool
CheckData(const double *v, CjError *err)
{
	if (!(v[0] >= 0.0 && v[0] == floor(v[0]) && v[0] <= 1e9))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Repeat purchases x must be a whole number between 0 and 1e9.");
		return false;
	}
	if (v[0] > 0.0 && !(v[1] > 0.0 && isfinite(v[1])))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Mean spend m of the repeat purchases must be a finite number greater than 0; drop or floor customers with zero spend.");
		return false;
	}
	return true;
}

/* Customers without repeat purchases are left out */
static bool
SkipData(const double *v)
{
	return v[0] == 0.0;
}

static bool
CheckParams(const double *p, CjError *err)
{
	return cj_family_positive_params(&cj_family_gg, p, err);
}

/* Total log-likelihood and (if grad) its gradient wrt log parameters */
static double
Loglik(const CjData *d, const double *p, double *grad)
{
	double		pp = p[0],
				q = p[1],
				gam = p[2],
				lgam = log(gam),
				base = -cj_lgamma(q) + q * lgam,
				ll = 0.0,
				g[3] = {0, 0, 0},
				cx = 0,
				dpx = 0,
				dqx = 0,
				lgx,
				xprev = -1.0,
				psi_q = grad ? cj_digamma(q) : 0.0;
	size_t		i;

	for (i = 0; i < d->n; i++)
	{
		double		x = d->t[i].v[0],
					mm = d->t[i].v[1],
					w = d->t[i].w,
					px = pp * x,
					lm = log(mm),
					lgm = log(gam + x * mm);

		if (x != xprev)
		{
			/* per-x terms */
			cx = cj_lgamma_ratio(px, q);
			if (grad)
			{
				dpx = cj_digamma_diff(px, q);
				dqx = cj_digamma(px + q);
			}
			xprev = x;
		}
		/*
		 * px log x + (px-1) log m - (px+q) log(gamma + x m) written as
		 * -px log1p(gamma / (x m)) - log m - q log(gamma + x m), and
		 * lgamma(px+q) - lgamma(px) as a ratio: at p x = 1e12 the plain
		 * forms subtracted numbers near 1e13 (a fit whose p runs off to
		 * infinity reported a log-likelihood 0.008 too high and stopped
		 * as converged)
		 */
		lgx = log1p(gam / (x * mm));
		ll += w * (cx - px * lgx - lm - q * lgm);
		if (grad)
		{
			g[0] += w * x * (dpx - lgx);
			g[1] += w * (dqx - lgm);
			g[2] -= w * (px + q) / (gam + x * mm);
		}
		if ((i & 65535) == 65535)
			cj_check_interrupts();
	}
	ll += d->total_weight * base;
	if (!isfinite(ll))
		ll = -INFINITY;
	if (grad)
	{
		double		W = d->total_weight;

		grad[0] = pp * g[0];
		grad[1] = q * (g[1] + W * (lgam - psi_q));
		grad[2] = gam * (g[2] + W * q / gam);
	}
	return ll;
}

/* Start: p = 2, q = 3, gamma matching the mean spend */
static void
Start(const CjData *d, double *p)
{
	double		sm = 0.0;
	size_t		i;

	for (i = 0; i < d->n; i++)
		sm += d->t[i].w * d->t[i].v[1];
	p[0] = 2.0;
	p[1] = 3.0;
	p[2] = (sm / d->total_weight) * (p[1] - 1.0) / p[0];
}

/* E[M | x, m] = p (gamma + x m) / (px + q - 1) */
static double
Spend(const double *p, const double *v)
{
	double		den = p[0] * v[0] + p[1] - 1.0;

	if (!(den > 0.0))
		return INFINITY;
	return p[0] * (p[2] + v[0] * v[1]) / den;
}

/* Mean of x transaction values: nu ~ Gamma(q, gamma), mean ~ Gamma(px, x nu) */
static double
SimulateSpend(const double *p, double x, CjRng *rng)
{
	double		nu = cj_rng_gamma(rng, p[1], p[2]);

	return cj_rng_gamma(rng, p[0] * x, x * nu);
}

/* A typical parameter vector: Fader, Hardie and Lee (2005), CDNOW spend */
static const double Example[] = {6.25, 3.74, 15.44};

const CjFamily cj_family_gg = {
	.id = CJ_FAMILY_GG,
	.name = "gg",
	.example = Example,
	.title = "Gamma-Gamma",
	.kind = CJ_KIND_SPEND,
	.nparams = 3,
	.param_names = ParamNames,
	.ndata = 2,
	.data_names = DataNames,
	.check_data = CheckData,
	.skip_data = SkipData,
	.check_params = CheckParams,
	.loglik = Loglik,
	.start = Start,
	.spend = Spend,
	.simulate_spend = SimulateSpend,
};
