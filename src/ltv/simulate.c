/*-------------------------------------------------------------------------
 *
 * simulate.c
 *	  cj_simulate: customers drawn from a fitted model, deterministic for a
 *	  seed (the core's xoshiro256** stream, the same on every platform).
 *
 * Each customer is drawn from the purchase family's generative story
 * (cj_family.h simulate) over an observation period T; with a spend model
 * the mean of the x repeat-purchase values is drawn too (0 when x = 0).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"

#include "common/util.h"
#include "ltv/model.h"
#include "core/ltv/bgbb.h"

PG_FUNCTION_INFO_V1(cj_simulate);

typedef struct SimState
{
	CjRng		rng;
	CjModelBody pm;
	CjModelBody sm;
	const CjFamily *pf;
	const CjFamily *sf;			/* NULL without a spend model */
	int64		n;
	int64		done;
	double		T;
} SimState;

/*
 * Validate the arguments and set up the generator.  The overloads with
 * covariates (cov_trans, cov_life last) simulate customers who all have
 * these covariates: the model's parameters become theirs
 * (cj_customer_params) and the simulation is the plain one of a model
 * with those parameters, draw for draw.
 */
static SimState *
SimSetup(FunctionCallInfo fcinfo)
{
	bool		with_cov = PG_NARGS() >= 6;
	bool		spend = PG_NARGS() == (with_cov ? 7 : 5);
	CjModel    *pm = PG_GETARG_CJ_MODEL_P(0);
	SimState   *st = palloc0(sizeof(SimState));
	int			a = spend ? 2 : 1;

	st->pm = pm->b;
	st->pf = cj_model_family_of(pm);
	if (with_cov)
	{
		CjCovariates *cov = cj_model_covariates(pm);

		if (cov == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cj_simulate got covariates for a model without covariates"),
					 errdetail("The model has no coefficients; call the overload without cov_trans and cov_life.")));
		cj_customer_params(st->pf, pm->b.params, cov,
						   PG_GETARG_DATUM(PG_NARGS() - 2),
						   PG_GETARG_DATUM(PG_NARGS() - 1), st->pm.params);
	}
	else
		cj_model_require_plain(pm, "cj_simulate");
	cj_require_score(st->pf, (const void *) st->pf->simulate, "cj_simulate");
	if (spend)
	{
		CjModel    *sm = PG_GETARG_CJ_MODEL_P(1);

		st->sm = sm->b;
		st->sf = cj_model_family_of(sm);
		cj_require_score(st->sf, (const void *) st->sf->simulate_spend,
						 "cj_simulate (spend)");
	}
	st->n = PG_GETARG_INT64(a);
	st->T = PG_GETARG_FLOAT8(a + 1);
	if (st->n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of customers must be >= 0")));
	if (!(st->T > 0.0 && isfinite(st->T)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observation period T must be a finite number > 0")));
	if (st->pf == &cj_family_bgbb && st->T > CJ_BGBB_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observation period T must be at most %d for a BG/BB model",
						CJ_BGBB_MAX_N),
				 errdetail("A BG/BB customer can have at most %d opportunities.",
						   CJ_BGBB_MAX_N)));
	/* the scores and fits refuse a fractional count of opportunities too */
	if (st->pf == &cj_family_bgbb && st->T != floor(st->T))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("observation period T must be a whole number of opportunities for a BG/BB model"),
				 errdetail("Got %g.", st->T)));
	cj_rng_seed(&st->rng, (uint64) PG_GETARG_INT64(a + 2));
	return st;
}

/*
 * The mean spend of a simulated customer with x > 0 repeat purchases:
 * finite and > 0, as a repeat buyer's mean spend is, or 22003 (spend
 * models at the edge of the double range draw 0 or infinity)
 */
static double
SimSpend(SimState *st, double x)
{
	double		m = st->sf->simulate_spend(st->sm.params, x, &st->rng);

	if (!(m > 0.0 && isfinite(m)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("simulated spend is not a finite number > 0 for this spend model"),
				 errdetail("Got %g for a customer with x = %g.", m, x)));
	return m;
}

/*
 * cj_simulate(model, n, T, seed) -> (customer, x, t_x, T)
 * cj_simulate(model, spend_model, n, T, seed) -> (customer, x, t_x, T, m)
 * and both with cov_trans, cov_life after the seed
 */
Datum
cj_simulate(PG_FUNCTION_ARGS)
{
	FuncCallContext *fctx;
	SimState   *st;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	double		v[CJ_TUPLE_DIM];
	HeapTuple	tup;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	desc;

		fctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "cj_simulate must return a record type");
		fctx->tuple_desc = BlessTupleDesc(desc);
		fctx->user_fctx = SimSetup(fcinfo);
		MemoryContextSwitchTo(old);
	}
	fctx = SRF_PERCALL_SETUP();
	st = (SimState *) fctx->user_fctx;
	if (st->done >= st->n)
		SRF_RETURN_DONE(fctx);
	st->done++;
	CHECK_FOR_INTERRUPTS();
	st->pf->simulate(st->pm.params, st->T, &st->rng, v);
	if (isnan(v[0]))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("simulated customer makes more than %.0f purchases",
						CJ_SIM_MAX_PURCHASES),
				 errdetail("The model's purchase rate times the observation period is too large to simulate.")));
	values[0] = Int64GetDatum(st->done);
	values[1] = Float8GetDatum(v[0]);
	values[2] = Float8GetDatum(v[1]);
	values[3] = Float8GetDatum(v[2]);
	if (st->sf)
		values[4] = Float8GetDatum(v[0] > 0 ? SimSpend(st, v[0]) : 0.0);
	tup = heap_form_tuple(fctx->tuple_desc, values, nulls);
	SRF_RETURN_NEXT(fctx, HeapTupleGetDatum(tup));
}
