/*-------------------------------------------------------------------------
 *
 * mbgnbd.c
 *	  MBG/NBD (Batislam, Denizel and Filiztekin 2007, "Empirical validation
 *	  and comparison of models for customer base analysis", IJRM 24(3);
 *	  the parameterisation of R's BTYDplus).
 *
 * Unlike BG/NBD, a customer may drop out right after the first purchase,
 * so P(alive) < 1 even for x = 0.  All formulas are BG/NBD's with b
 * shifted by one (see cj_bgnbd.c, m = 1):
 *   log L = lgamma(r+x) - lgamma(r) + r log alpha + lbeta(a, b+x+1)
 *           - lbeta(a, b) - (r+x) log(alpha+T)
 *           + softplus(log(a/(b+x)) + (r+x) log((alpha+T)/(alpha+t_x)))
 *   E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))]
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/bgnbd.h"

static const char *const ParamNames[] = {"r", "alpha", "a", "b"};
static const char *const DataNames[] = {"x", "t_x", "T"};

static bool
CheckParams(const double *p, CjError *err)
{
	return cj_family_positive_params(&cj_family_mbgnbd, p, err);
}

static double
Loglik(const CjData *d, const double *p, double *grad)
{
	return cj_bg_loglik(d, p, grad, 1);
}

static double
Expected(const double *p, double t)
{
	return cj_bg_expected(p, t, 1);
}

static double
Conditional(const double *p, const double *v, double t)
{
	return cj_bg_conditional(p, v, t, 1);
}

static double
ConditionalPart(const double *p, double x, double T, double t)
{
	return cj_bg_conditional_part(p, x, T, t, 1);
}

static double
PAlive(const double *p, const double *v)
{
	return cj_bg_p_alive(p, v, 1);
}

static double
ProbN(const double *p, double n, double t)
{
	return cj_bg_prob_n(p, n, t, 1);
}

static double
WindowPmf(const double *p, const double *v, double n, double t)
{
	return cj_bg_window_pmf(p, v, n, t, 1);
}

static double
WindowPart(const double *p, double x, double T, double n, double t)
{
	return cj_bg_window_part(p, x, T, n, t, 1);
}

static double
WindowCombine(const double *p, const double *v, double n, double part)
{
	return cj_bg_window_combine(p, v, n, part, 1);
}

static double
PAliveAt(const double *p, const double *v, double t)
{
	return cj_bg_p_alive_at(p, v, t, 1);
}

static void
Simulate(const double *p, double T, CjRng *rng, double *v)
{
	cj_bg_simulate(p, T, rng, v, 1);
}

/* A typical parameter vector: weekly purchases on the scale of CDNOW */
static const double Example[] = {0.5250, 6.1830, 0.8910, 1.6140};

const CjFamily cj_family_mbgnbd = {
	.id = CJ_FAMILY_MBGNBD,
	.name = "mbgnbd",
	.example = Example,
	.title = "MBG/NBD",
	.kind = CJ_KIND_PURCHASE,
	.nparams = 4,
	.param_names = ParamNames,
	.ndata = 3,
	.data_names = DataNames,
	.check_data = cj_bg_check_data,
	.check_params = CheckParams,
	.check_fit = cj_bg_check_fit,
	.loglik = Loglik,
	.start = cj_bg_start,
	.expected = Expected,
	.conditional = Conditional,
	.conditional_part = ConditionalPart,
	.p_alive = PAlive,
	.prob_n = ProbN,
	.simulate = Simulate,
	.window_pmf = WindowPmf,
	.window_part = WindowPart,
	.window_combine = WindowCombine,
	.p_alive_at = PAliveAt,
};
