/*-------------------------------------------------------------------------
 *
 * model2.c
 *	  SQL functions of the Pareto/NBD, BG/BB and sBG families that the
 *	  generic model glue does not cover: DERT, the contractual measures
 *	  and the sBG fitting transition (its inputs are not all numbers).
 *
 * The generic scores (cj_p_alive, cj_conditional_purchases, ...) and the
 * fit state reach these families through the family table; what is here
 * is only what a single family defines.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/util.h"
#include "ltv/model.h"
#include "core/ltv/pnbd.h"
#include "core/ltv/sbg.h"

PG_FUNCTION_INFO_V1(cj_dert);
PG_FUNCTION_INFO_V1(cj_retention);
PG_FUNCTION_INFO_V1(cj_survival);
PG_FUNCTION_INFO_V1(cj_del);
PG_FUNCTION_INFO_V1(cj_derl);
PG_FUNCTION_INFO_V1(cj_fit_sbg_add);
PG_FUNCTION_INFO_V1(cj_fit_sbg_addw);

/*
 * The model in argument 0, which must be of family f: otherwise an error
 * naming the model's family.
 */
static const CjModelSlot *
ModelOf(FunctionCallInfo fcinfo, const CjFamily *f, const char *function)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);

	cj_require_score(ms->f, ms->f == f ? (const void *) f : NULL, function);
	return ms;
}

/* A rate argument: finite and >= 0 (> 0 when positive is true) */
static double
RateArg(double v, const char *name, bool positive)
{
	if (!isfinite(v) || v < 0.0 || (positive && v == 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number %s 0", name,
						positive ? ">" : ">=")));
	return v;
}

/* A period count argument: at least lo */
static int32
PeriodArg(int32 v, const char *name, int32 lo)
{
	if (v < lo)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be at least %d", name, lo)));
	return v;
}

/* The Pareto/NBD model of a cj_dert call (argument 0; see model.h) */
const CjModelSlot *
cj_dert_model(FunctionCallInfo fcinfo)
{
	return ModelOf(fcinfo, &cj_family_pnbd, "cj_dert");
}

/* DERT of a checked history v at a continuous rate (see model.h) */
double
cj_dert_value(const CjModelSlot *ms, const double *v, double rate)
{
	rate = RateArg(rate, "continuous_rate", true);
	return cj_score_result(cj_pnbd_dert(ms->b.params, v, rate), "cj_dert");
}

/*
 * cj_dert(m, x, t_x, T, continuous_rate): Pareto/NBD discounted expected
 * residual transactions (Fader, Hardie and Lee 2005, "RFM and CLV").
 */
Datum
cj_dert(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_dert_model(fcinfo);
	double		v[CJ_TUPLE_DIM] = {0, 0, 0};
	int			i;

	for (i = 0; i < 3; i++)
		v[i] = cj_finite_arg(PG_GETARG_FLOAT8(1 + i), ms->f->data_names[i]);
	cj_check_tuple(ms->f, v);
	PG_RETURN_FLOAT8(cj_dert_value(ms, v, PG_GETARG_FLOAT8(4)));
}

/* cj_retention(m, period): sBG retention rate r(t), t >= 1 */
Datum
cj_retention(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_retention");
	int32		t = PeriodArg(PG_GETARG_INT32(1), "period", 1);

	PG_RETURN_FLOAT8(cj_sbg_retention(ms->b.params, t));
}

/* cj_survival(m, period): sBG survival S(t) = P(T > t), t >= 0 */
Datum
cj_survival(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_survival");
	int32		t = PeriodArg(PG_GETARG_INT32(1), "period", 0);

	PG_RETURN_FLOAT8(cj_sbg_survival(ms->b.params, t));
}

/* cj_del(m, discount_rate): sBG discounted expected lifetime */
Datum
cj_del(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_del");
	double		d = RateArg(PG_GETARG_FLOAT8(1), "discount_rate", false);

	PG_RETURN_FLOAT8(cj_score_result(cj_sbg_del(ms->b.params, d), "cj_del"));
}

/*
 * cj_derl(m, periods_survived, discount_rate): sBG discounted expected
 * residual lifetime after that many renewals (Fader and Hardie 2010).
 */
Datum
cj_derl(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_derl");
	int32		n = PeriodArg(PG_GETARG_INT32(1), "periods_survived", 0);
	double		d = RateArg(PG_GETARG_FLOAT8(2), "discount_rate", false);

	PG_RETURN_FLOAT8(cj_score_result(cj_sbg_derl(ms->b.params, n, d),
									 "cj_derl"));
}

/* Add one (periods, churned) customer with weight w to the sBG state */
static Datum
SbgAccum(FunctionCallInfo fcinfo, int64 w)
{
	double		v[CJ_TUPLE_DIM] = {0, 0, 0};

	v[0] = PG_GETARG_INT32(1);
	v[1] = PG_GETARG_BOOL(2) ? 1.0 : 0.0;
	return cj_fit_state_accum(fcinfo, &cj_family_sbg, v, w, 0.0);
}

/* cj_fit_sbg transition: (state, periods, churned) */
Datum
cj_fit_sbg_add(PG_FUNCTION_ARGS)
{
	return SbgAccum(fcinfo, 1);
}

/* cj_fit_sbg transition with a weight: (state, periods, churned, weight) */
Datum
cj_fit_sbg_addw(PG_FUNCTION_ARGS)
{
	return SbgAccum(fcinfo, PG_GETARG_INT64(3));
}
