/*-------------------------------------------------------------------------
 *
 * model_history.c
 *	  Fitting aggregates and scores over (cj_history, as_of): the BTYD
 *	  summary of each history (x, t_x, T, m in a time unit) feeds the
 *	  number-based machinery of fit_state.c and model_score.c.
 *
 * A fit from histories records its time unit in the model (unit=7d by
 * default), and the history scores measure t_x and T in the model's unit
 * (one week when the model does not say), so a model fitted in days
 * scores histories in days without the caller repeating the unit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/timestamp.h"

#include "common/util.h"
#include "ltv/history.h"
#include "ltv/model.h"

PG_FUNCTION_INFO_V1(cj_fit_state_add_history);
PG_FUNCTION_INFO_V1(cj_conditional_purchases_history);
PG_FUNCTION_INFO_V1(cj_dert_history);
PG_FUNCTION_INFO_V1(cj_p_alive_history);
PG_FUNCTION_INFO_V1(cj_expected_spend_history);
PG_FUNCTION_INFO_V1(cj_clv_history);

#define WEEK_SECONDS (7.0 * 86400.0)

/* An interval of the given number of seconds */
static Interval
SecondsInterval(double secs)
{
	Interval	iv;

	iv.month = 0;
	iv.day = 0;
	iv.time = (TimeOffset) llround(secs * 1e6);
	return iv;
}

/*
 * The family's data tuple for a history summary: (x, m) for a spend
 * family, (x, t_x, T) for a family whose data are named so.
 */
static void
HistoryTuple(const CjFamily *f, const CjHistorySummary *s, double *v)
{
	v[0] = v[1] = v[2] = 0.0;
	v[0] = s->x;
	if (f->kind == CJ_KIND_SPEND)
	{
		v[1] = s->m;
		return;
	}
	if (f->ndata != 3 || strcmp(f->data_names[1], "t_x") != 0 ||
		strcmp(f->data_names[2], "T") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a %s model cannot be fitted or scored from cj_history values",
						f->title)));
	v[1] = s->t_x;
	v[2] = s->T;
}

/*
 * Transition: cj_fit_state_add_history(state, h, as_of [, unit]); unit
 * defaults to one week.
 */
Datum
cj_fit_state_add_history(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(1);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);
	Interval	week = SecondsInterval(WEEK_SECONDS);
	const Interval *unit = PG_NARGS() > 3 ? PG_GETARG_INTERVAL_P(3) : &week;
	double		secs = cj_interval_seconds(unit, "time unit", true);
	const CjFamily *f;
	CjHistorySummary s;
	double		v[CJ_TUPLE_DIM];

	if (PG_ARGISNULL(0))
		elog(ERROR, "cj_fit_state transition needs an initial state");
	f = cj_fit_state_family(PG_GETARG_DATUM(0));
	cj_history_summary(h, as_of, unit, &s);
	HistoryTuple(f, &s, v);
	return cj_fit_state_accum(fcinfo, NULL, v, 1, secs);
}

/* Summary of the history argument in the model's unit (weeks if unset) */
static void
Summary(FunctionCallInfo fcinfo, const CjModelSlot *ms, int harg, bool as_of,
		double *v)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(harg);
	Interval	unit = SecondsInterval(ms->b.unit > 0 ? ms->b.unit : WEEK_SECONDS);
	CjHistorySummary s;

	if (as_of)
		cj_history_summary(h, PG_GETARG_TIMESTAMPTZ(harg + 1), &unit, &s);
	else
	{
		/* spend needs no as_of: x and m do not depend on it */
		memset(&s, 0, sizeof(s));
		s.x = h->ndays - 1;
		s.m = cj_history_monetary(h);
	}
	HistoryTuple(ms->f, &s, v);
	if (ms->f->kind != CJ_KIND_SPEND)
		cj_check_tuple(ms->f, v);	/* cj_spend_score checks spend data */
}

/* cj_dert(m, h, as_of, continuous_rate): Pareto/NBD DERT of a history */
Datum
cj_dert_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_dert_model(fcinfo);
	double		v[CJ_TUPLE_DIM];

	Summary(fcinfo, ms, 1, true, v);
	PG_RETURN_FLOAT8(cj_dert_value(ms, v, PG_GETARG_FLOAT8(3)));
}

/* cj_conditional_purchases(m, h, as_of, t) */
Datum
cj_conditional_purchases_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM],
				key[4],
				r,
				t = PG_GETARG_FLOAT8(3);

	cj_require_score(ms->f, (const void *) ms->f->conditional,
					 "cj_conditional_purchases");
	if (!(t >= 0.0 && isfinite(t)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t must be a finite number >= 0")));
	Summary(fcinfo, ms, 1, true, v);
	key[0] = v[0];
	key[1] = v[1];
	key[2] = v[2];
	key[3] = t;
	if (!cj_score_memo_get(fcinfo, key, 4, &r))
	{
		r = cj_score_result(cj_score_conditional(fcinfo, ms, v, t),
							"cj_conditional_purchases");
		cj_score_memo_put(fcinfo, key, 4, r);
	}
	PG_RETURN_FLOAT8(r);
}

/* cj_p_alive(m, h, as_of) */
Datum
cj_p_alive_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM];

	cj_require_score(ms->f, (const void *) ms->f->p_alive, "cj_p_alive");
	Summary(fcinfo, ms, 1, true, v);
	PG_RETURN_FLOAT8(cj_score_result(ms->f->p_alive(ms->b.params, v),
									 "cj_p_alive"));
}

/* cj_expected_spend(gg, h) */
Datum
cj_expected_spend_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM];

	cj_require_score(ms->f, (const void *) ms->f->spend, "cj_expected_spend");
	Summary(fcinfo, ms, 1, false, v);
	PG_RETURN_FLOAT8(cj_spend_score(ms, v[0], v[1]));
}

/*
 * cj_clv(purchase_model, spend_model, h, as_of, periods, period_length,
 *        discount_rate [, margin])
 */
Datum
cj_clv_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *pm = cj_score_model(fcinfo, 0, 0);
	const CjModelSlot *sm = cj_score_model(fcinfo, 1, 1);
	double		v[CJ_TUPLE_DIM],
				sv[CJ_TUPLE_DIM],
				r;

	cj_require_score(pm->f, (const void *) pm->f->conditional, "cj_clv");
	cj_require_score(sm->f, (const void *) sm->f->spend, "cj_clv");
	Summary(fcinfo, pm, 2, true, v);
	Summary(fcinfo, sm, 2, false, sv);
	r = cj_clv_compute(fcinfo, pm, sm, v, sv[1], PG_GETARG_INT32(4),
					   PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6),
					   PG_NARGS() > 7 ? PG_GETARG_FLOAT8(7) : 1.0);
	PG_RETURN_FLOAT8(r);
}
