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
#include "core/math/normal.h"
#include "core/math/rng.h"
#include "ltv/model.h"

PG_FUNCTION_INFO_V1(cj_vcov);
PG_FUNCTION_INFO_V1(cj_std_error);
PG_FUNCTION_INFO_V1(cj_confint);
PG_FUNCTION_INFO_V1(cj_param_draws);

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

/* cj_vcov(m): the k x k covariance of the parameters; NULL when none */
Datum
cj_vcov(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	int			k = f->nparams,
				dims[2] = {k, k},
				lbs[2] = {1, 1},
				i;
	Datum	   *d;

	if (!(m->b.flags & CJ_MODEL_HAS_VCOV))
		PG_RETURN_NULL();
	d = palloc(sizeof(Datum) * k * k);
	for (i = 0; i < k * k; i++)
		d[i] = Float8GetDatum(m->b.vcov[i]);
	PG_RETURN_ARRAYTYPE_P(construct_md_array(d, NULL, 2, dims, lbs, FLOAT8OID,
											 sizeof(float8), FLOAT8PASSBYVAL,
											 TYPALIGN_DOUBLE));
}

/* cj_std_error(m, name): standard error of one parameter; NULL when none */
Datum
cj_std_error(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	int			i = cj_model_param_index(f, text_to_cstring(PG_GETARG_TEXT_PP(1)));

	if (!(m->b.flags & CJ_MODEL_HAS_VCOV))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sqrt(m->b.vcov[i * f->nparams + i]));
}

/*
 * cj_confint(m, name, level) -> (lower, upper): the interval on the log
 * scale, p exp(-/+ z se / p), so that it stays positive
 */
Datum
cj_confint(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	int			i = cj_model_param_index(f, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	double		level = PG_GETARG_FLOAT8(2),
				p = m->b.params[i],
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
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cj_confint must return a record");
	se_log = sqrt(v[i * f->nparams + i]) / p;
	z = cj_normal_quantile(0.5 + 0.5 * level);
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
