/*-------------------------------------------------------------------------
 *
 * uncertainty.c
 *	  How sure a fitted model is of its parameters: the covariance a fit
 *	  stores (cj_vcov), standard errors, confidence intervals, and draws of
 *	  the parameters from their asymptotic distribution (cj_param_draws),
 *	  from which an interval for any score is a plain query.
 *
 * Asymptotics (maximum likelihood): theta = log p is approximately normal
 * with mean theta-hat and covariance I(theta-hat)^-1, the inverse of the
 * observed information, which the fit takes by central differences of the
 * analytic gradient (core/ltv/fit.c).  The model stores the covariance of
 * p itself, Cov(p_i, p_j) = p_i p_j Cov(theta_i, theta_j) (the delta
 * method, exact for the log map up to first order), which is what
 * standard errors are usually reported on; intervals and draws are made
 * on the log scale, so they stay positive:
 *   CI_i = p_i exp(-/+ z se_i / p_i),  z the normal quantile of (1+level)/2.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/util.h"
#include "core/ltv/clv.h"
#include "core/math/normal.h"
#include "core/math/rng.h"
#include "ltv/model.h"

PG_FUNCTION_INFO_V1(cj_vcov);
PG_FUNCTION_INFO_V1(cj_std_error);
PG_FUNCTION_INFO_V1(cj_confint);
PG_FUNCTION_INFO_V1(cj_param_draws);
PG_FUNCTION_INFO_V1(cj_conditional_purchases_interval);
PG_FUNCTION_INFO_V1(cj_clv_interval);

/* Most draws one call makes */
#define CJ_MAX_DRAWS 10000000

/* A finite bound, or 22003 */
static double
FiniteBound(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the %s of the interval is out of range", what)));
	return v;
}

/* The model's covariance, or an error saying why it has none */
static const double *
RequireVcov(const CjModel *m, const char *function)
{
	if (m->b.flags & CJ_MODEL_HAS_VCOV)
		return m->b.vcov;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s needs a model with a covariance matrix", function),
			 (m->b.flags & CJ_MODEL_HESS_INDEF) ?
			 errdetail("The observed information at this model's estimate is not positive definite: the data do not identify every parameter.") :
			 errdetail("Only a converged fit records the covariance of its parameters; a model written by hand has none unless its text gives vcov=[...].")));
	return NULL;
}

/*
 * cj_vcov(m): the k x k covariance of the parameters, (k + ncoef) square
 * with covariates (parameters, then the coefficients in the order of
 * covariates.h: free trans, free life, constrained); NULL when none
 */
Datum
cj_vcov(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	CjCovariates *cov = cj_model_covariates(m);
	int			k = f->nparams + (cov ? cov->ncoef : 0),
				dims[2] = {k, k},
				lbs[2] = {1, 1},
				i;
	Datum	   *d;

	if (!(m->b.flags & CJ_MODEL_HAS_VCOV))
		PG_RETURN_NULL();
	d = palloc(sizeof(Datum) * k * k);
	for (i = 0; i < k * k; i++)
		d[i] = Float8GetDatum(cov ? cov->vcov[i] : m->b.vcov[i]);
	PG_RETURN_ARRAYTYPE_P(construct_md_array(d, NULL, 2, dims, lbs, FLOAT8OID,
											 sizeof(float8), FLOAT8PASSBYVAL,
											 TYPALIGN_DOUBLE));
}

/*
 * cj_std_error(m, name): standard error of one parameter or covariate
 * coefficient ('trans.X'); NULL when the model has no covariance
 */
Datum
cj_std_error(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	CjCovariates *cov = cj_model_covariates(m);
	int			i = cj_model_name_index(f, cov, text_to_cstring(PG_GETARG_TEXT_PP(1))),
				dim = f->nparams + (cov ? cov->ncoef : 0);

	if (!(m->b.flags & CJ_MODEL_HAS_VCOV))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sqrt((cov ? cov->vcov : m->b.vcov)[i * dim + i]));
}

/*
 * cj_confint(m, name, level) -> (lower, upper): for a parameter the
 * interval on the log scale, p exp(-/+ z se / p), so that it stays
 * positive; for a covariate coefficient, which may be of either sign (and
 * is already a log-scale effect), on the natural scale, gamma -/+ z se.
 */
Datum
cj_confint(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	CjCovariates *cov = cj_model_covariates(m);
	int			i = cj_model_name_index(f, cov, text_to_cstring(PG_GETARG_TEXT_PP(1))),
				dim = f->nparams + (cov ? cov->ncoef : 0);
	double		level = PG_GETARG_FLOAT8(2),
				p = i < f->nparams ? m->b.params[i] : cov->coef[i - f->nparams],
				se_log,
				z;
	const double *v;
	TupleDesc	td;
	Datum		out[2];
	bool		nulls[2] = {false, false};

	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level must be between 0 and 1"),
				 errdetail("The level is a probability such as 0.95, exclusive of 0 and 1.")));
	v = RequireVcov(m, "cj_confint");
	if (cov)
		v = cov->vcov;
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cj_confint must return a record");
	z = cj_normal_quantile(0.5 + 0.5 * level);
	if (i >= f->nparams)
	{
		double		se = sqrt(v[i * dim + i]);

		out[0] = Float8GetDatum(FiniteBound(p - z * se, "lower bound"));
		out[1] = Float8GetDatum(FiniteBound(p + z * se, "upper bound"));
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(td), out, nulls)));
	}
	se_log = sqrt(v[i * dim + i]) / p;
	out[0] = Float8GetDatum(FiniteBound(p * exp(-z * se_log), "lower bound"));
	out[1] = Float8GetDatum(FiniteBound(p * exp(z * se_log), "upper bound"));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(td), out, nulls)));
}

/*
 * Cholesky factor L (lower, row-major) of the covariance of log p, so
 * that theta-hat + L z with z standard normal draws theta.
 */
static void
LogCholesky(const CjModel *m, int k, double *L)
{
	int			i,
				j,
				l;

	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			L[i * k + j] = m->b.vcov[i * k + j] /
				(m->b.params[i] * m->b.params[j]);
	for (j = 0; j < k; j++)
	{
		double		d = L[j * k + j];

		for (l = 0; l < j; l++)
			d -= L[j * k + l] * L[j * k + l];
		if (!(d > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the covariance of the log parameters is not positive definite")));
		L[j * k + j] = sqrt(d);
		for (i = j + 1; i < k; i++)
		{
			double		w = L[i * k + j];

			for (l = 0; l < j; l++)
				w -= L[i * k + l] * L[j * k + l];
			L[i * k + j] = w / L[j * k + j];
		}
		for (i = 0; i < j; i++)
			L[i * k + j] = 0.0;
	}
}

/* One draw: a hand-written model of the family with drawn parameters */
static Datum
Draw(const CjModel *m, int k, const double *L, CjRng *rng)
{
	CjModelBody b;
	double		z[CJ_MAX_PARAMS];
	int			i,
				j;

	memset(&b, 0, sizeof(b));
	b.family = m->b.family;
	if (m->b.flags & CJ_MODEL_HAS_UNIT)
	{
		b.flags = CJ_MODEL_HAS_UNIT;
		b.unit = m->b.unit;
	}
	for (i = 0; i < k; i++)
		z[i] = cj_rng_normal(rng);
	for (i = 0; i < k; i++)
	{
		double		t = log(m->b.params[i]);

		for (j = 0; j <= i; j++)
			t += L[i * k + j] * z[j];
		b.params[i] = exp(t);
		if (!(b.params[i] > 0.0 && isfinite(b.params[i])))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("a drawn parameter is out of range"),
					 errdetail("The covariance is too wide for draws on the log scale to stay finite.")));
	}
	return PointerGetDatum(cj_model_from_body(&b));
}

/*
 * cj_param_draws(m, n, seed) -> SETOF cj_model: n draws of the parameters
 * from their asymptotic normal on the log scale, deterministic for a
 * seed.  An interval for any score is then a query over the draws.
 */
Datum
cj_param_draws(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	int32		n = PG_GETARG_INT32(1);
	int			k = cj_model_family_of(m)->nparams;
	double		L[CJ_MAX_PARAMS * CJ_MAX_PARAMS];
	CjRng		rng;
	Datum		d;
	bool		isnull = false;
	int32		i;

	if (n < 0 || n > CJ_MAX_DRAWS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of draws must be between 0 and %d", CJ_MAX_DRAWS)));
	cj_model_require_plain(m, "cj_param_draws");
	RequireVcov(m, "cj_param_draws");
	LogCholesky(m, k, L);
	cj_rng_seed(&rng, (uint64) PG_GETARG_INT64(2));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC | MAT_SRF_BLESS);
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		d = Draw(m, k, L, &rng);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &d, &isnull);
	}
	return (Datum) 0;
}

/*
 * Delta-method intervals for scores.  A score s(p) > 0 of the model's
 * parameters has, to first order, Var(log s) = g' Cov(theta) g with g the
 * gradient of log s in theta = log p, taken here by central differences
 * (step 1e-5 on the log scale, relative error O(1e-10) for these smooth
 * scores).  The interval is s exp(-/+ z sqrt(Var(log s))): positive, like
 * the parameter intervals.  A score of 0 has the interval (0, 0).
 * Both use the model values as stored (cj_model_detoast), not the per-row
 * score memo: an interval is for a customer on a screen, not a column.
 */
typedef double (*ScoreFn) (const CjFamily *f, const double *p, void *arg);

/* Log-scale covariance of model m's parameters (k x k) */
static void
LogCov(const CjModel *m, int k, double *c)
{
	int			i,
				j;

	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			c[i * k + j] = m->b.vcov[i * k + j] / (m->b.params[i] * m->b.params[j]);
}

/* Var(log s) of score fn at model m (its covariance required) */
static double
LogScoreVariance(const CjModel *m, ScoreFn fn, void *arg)
{
	const CjFamily *f = cj_model_family_of(m);
	int			k = f->nparams,
				i,
				j;
	double		g[CJ_MAX_PARAMS],
				c[CJ_MAX_PARAMS * CJ_MAX_PARAMS],
				p[CJ_MAX_PARAMS],
				var = 0.0;
	const double h = 1e-5;

	LogCov(m, k, c);
	for (i = 0; i < k; i++)
	{
		double		up,
					down;

		memcpy(p, m->b.params, sizeof(p));
		p[i] = m->b.params[i] * exp(h);
		up = fn(f, p, arg);
		p[i] = m->b.params[i] * exp(-h);
		down = fn(f, p, arg);
		g[i] = (log(up) - log(down)) / (2 * h);
		if (!isfinite(g[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the score's sensitivity to the parameters is not finite here")));
	}
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			var += g[i] * c[i * k + j] * g[j];
	return fmax(var, 0.0);
}

/* (estimate, lower, upper) as a record of fcinfo's result type */
static Datum
IntervalRecord(FunctionCallInfo fcinfo, double s, double var, double level)
{
	TupleDesc	td;
	Datum		out[3];
	bool		nulls[3] = {false, false, false};
	double		z = cj_normal_quantile(0.5 + 0.5 * level),
				w = z * sqrt(var);

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "an interval function must return a record");
	out[0] = Float8GetDatum(s);
	out[1] = Float8GetDatum(FiniteBound(s * exp(-w), "lower bound"));
	out[2] = Float8GetDatum(FiniteBound(s * exp(w), "upper bound"));
	return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(td), out, nulls));
}

/* A confidence level strictly between 0 and 1 */
static double
LevelArg(double level)
{
	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level must be between 0 and 1"),
				 errdetail("The level is a probability such as 0.95, exclusive of 0 and 1.")));
	return level;
}

/* A customer's (x, t_x, T) for a purchase family, checked */
static void
HistoryOf(const CjFamily *f, FunctionCallInfo fcinfo, int first, double *v,
		  const char *function)
{
	int			i;

	cj_require_score(f, (const void *) f->conditional, function);
	v[0] = v[1] = v[2] = 0.0;
	for (i = 0; i < 3; i++)
		v[i] = cj_finite_arg(PG_GETARG_FLOAT8(first + i), f->data_names[i]);
	cj_check_tuple(f, v);
}

typedef struct CondArg
{
	const double *v;
	double		t;
} CondArg;

/* E[X(T, T+t) | v] at parameters p */
static double
CondScore(const CjFamily *f, const double *p, void *arg)
{
	CondArg    *a = (CondArg *) arg;

	return f->conditional(p, a->v, a->t);
}

/*
 * cj_conditional_purchases_interval(m, x, t_x, T, t, level) ->
 * (estimate, lower, upper)
 */
Datum
cj_conditional_purchases_interval(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	double		v[CJ_TUPLE_DIM],
				level = LevelArg(PG_GETARG_FLOAT8(5)),
				s;
	CondArg		a;

	cj_model_require_plain(m, "cj_conditional_purchases_interval");
	HistoryOf(f, fcinfo, 1, v, "cj_conditional_purchases_interval");
	a.v = v;
	a.t = PG_GETARG_FLOAT8(4);
	if (!(a.t >= 0.0 && isfinite(a.t)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t must be a finite number >= 0")));
	RequireVcov(m, "cj_conditional_purchases_interval");
	s = CondScore(f, m->b.params, &a);
	if (!isfinite(s) || s < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cj_conditional_purchases is not finite for these inputs")));
	if (s == 0.0)
		PG_RETURN_DATUM(IntervalRecord(fcinfo, 0.0, 0.0, level));
	PG_RETURN_DATUM(IntervalRecord(fcinfo, s,
								   LogScoreVariance(m, CondScore, &a), level));
}

typedef struct ClvArg
{
	const double *v;
	int			periods;
	double		len,
				rate;
} ClvArg;

/* Discounted expected purchases at parameters p */
static double
ClvPurchases(const CjFamily *f, const double *p, void *arg)
{
	ClvArg	   *a = (ClvArg *) arg;

	return cj_clv_discounted(f, p, a->v, a->periods, a->len, a->rate);
}

/* E[M | x, m] at spend parameters p */
static double
SpendAt(const CjFamily *f, const double *p, void *arg)
{
	return f->spend(p, (const double *) arg);
}

/*
 * cj_clv_interval(purchase_model, spend_model, x, t_x, T, m, periods,
 * period_length, discount_rate, margin, level) -> (estimate, lower, upper).
 * log CLV = log margin + log E[M] + log(discounted purchases); the two
 * models are fitted on different data, so their estimates are taken as
 * independent and the variances of the two logs add.
 */
Datum
cj_clv_interval(PG_FUNCTION_ARGS)
{
	CjModel    *pm = PG_GETARG_CJ_MODEL_P(0);
	CjModel    *sm = PG_GETARG_CJ_MODEL_P(1);
	const CjFamily *pf = cj_model_family_of(pm);
	const CjFamily *sf = cj_model_family_of(sm);
	double		v[CJ_TUPLE_DIM],
				sv[CJ_TUPLE_DIM] = {0, 0, 0},
				margin = PG_GETARG_FLOAT8(9),
				level = LevelArg(PG_GETARG_FLOAT8(10)),
				purchases,
				spend,
				var;
	ClvArg		a;

	cj_model_require_plain(pm, "cj_clv_interval");
	HistoryOf(pf, fcinfo, 2, v, "cj_clv_interval");
	cj_require_score(sf, (const void *) sf->spend, "cj_clv_interval");
	sv[0] = v[0];
	sv[1] = cj_finite_arg(PG_GETARG_FLOAT8(5), "m");
	a.v = v;
	a.periods = PG_GETARG_INT32(6);
	a.len = PG_GETARG_FLOAT8(7);
	a.rate = PG_GETARG_FLOAT8(8);
	if (a.periods < 1 || a.periods > CJ_CLV_MAX_PERIODS || !(a.len > 0.0 && isfinite(a.len)) ||
		!(a.rate >= 0.0 && a.rate < 1.0) || !(margin >= 0.0 && isfinite(margin)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("CLV arguments are out of range"),
				 errdetail("Periods must be between 1 and %d, the period length finite and > 0, the discount rate in [0, 1) and the margin finite and >= 0.",
						   CJ_CLV_MAX_PERIODS)));
	if (sv[0] < 1.0 || !(sv[1] > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a CLV interval needs a repeat customer with spend m > 0"),
				 errdetail("The spend model's estimate depends on x >= 1 repeat purchases of mean m > 0.")));
	RequireVcov(pm, "cj_clv_interval");
	RequireVcov(sm, "cj_clv_interval");
	purchases = ClvPurchases(pf, pm->b.params, &a);
	spend = SpendAt(sf, sm->b.params, sv);
	if (!(isfinite(purchases) && isfinite(spend) && purchases >= 0.0 && spend > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cj_clv is not finite for these inputs")));
	if (purchases == 0.0 || margin == 0.0)
		PG_RETURN_DATUM(IntervalRecord(fcinfo, 0.0, 0.0, level));
	var = LogScoreVariance(pm, ClvPurchases, &a) +
		LogScoreVariance(sm, SpendAt, sv);
	PG_RETURN_DATUM(IntervalRecord(fcinfo, FiniteBound(margin * spend * purchases, "estimate"),
								   var, level));
}
