/*-------------------------------------------------------------------------
 *
 * model.h
 *	  PostgreSQL glue of cj_model and cj_fit_state, shared by every model
 *	  family's SQL functions.
 *
 * API for family and score code in other files:
 *   CjModel *DatumGetCjModelP(d) / PG_GETARG_CJ_MODEL_P(n)
 *   cj_model_from_body(body)          palloc a cj_model value
 *   cj_model_make(f, p, fit, unit)    a cj_model from a fit result
 *   cj_model_family_of(m)             its CjFamily (never NULL)
 *   cj_require_score(f, f->member, "cj_p_alive")   error naming the family
 *                                     when the family lacks that score
 *   cj_check_tuple(f, v)              the family's data check, as an ERROR
 *
 * The fit state glue (fit_state.c) is generic: an aggregate for any
 * family is SQL only, e.g.
 *   CREATE AGGREGATE cj_fit_pnbd(float8, float8, float8) (
 *     SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
 *     COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
 *     PARALLEL = SAFE);
 * and a family whose inputs are not numbers calls cj_fit_state_accum()
 * from its own transition function.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_MODEL_GLUE_H
#define CJ_MODEL_GLUE_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "cj_util.h"
#include "core/cj_model.h"
#include "core/cj_optim.h"

typedef struct CjModel
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		pad;			/* must be zero */
	CjModelBody b;
} CjModel;

#define DatumGetCjModelP(d)		((CjModel *) PG_DETOAST_DATUM(d))
#define PG_GETARG_CJ_MODEL_P(n)	DatumGetCjModelP(PG_GETARG_DATUM(n))
#define PG_RETURN_CJ_MODEL_P(x)	PG_RETURN_POINTER(x)

extern CjModel *cj_model_from_body(const CjModelBody *b);
extern CjModel *cj_model_make(const CjFamily *f, const CjFitResult *fit,
							  double unit_seconds);
extern const CjFamily *cj_model_family_of(const CjModel *m);
extern void cj_require_score(const CjFamily *f, const void *member,
							 const char *function);

/*
 * Scoring helpers (model_score.c).  cj_score_model decodes the cj_model in
 * argument argno once per distinct value, caching it in fn_extra slot k
 * (0 .. CJ_SCORE_SLOTS-1; one slot per model argument of the function).
 * cj_score_result raises 22003 for a non-finite score.
 */
#define CJ_SCORE_SLOTS 2

typedef struct CjModelSlot
{
	bool		valid;
	CjModelBody b;				/* b.params are the parameters */
	const CjFamily *f;
} CjModelSlot;

extern const CjModelSlot *cj_score_model(FunctionCallInfo fcinfo, int argno,
										 int k);
extern double cj_score_result(double v, const char *function);
extern double cj_score_conditional(FunctionCallInfo fcinfo,
								   const CjModelSlot *ms, const double *v,
								   double t);

/*
 * Memo of scores per call site (model_score.c): get returns true with the
 * score remembered for the same key (up to CJ_MEMO_KEYS numbers) under the
 * same model arguments; put remembers one.  Only put a score after every
 * check of its inputs passed: a hit skips them.
 */
#define CJ_MEMO_KEYS 8
extern bool cj_score_memo_get(FunctionCallInfo fcinfo, const double *key,
							  int nkeys, double *value);
extern void cj_score_memo_put(FunctionCallInfo fcinfo, const double *key,
							  int nkeys, double value);
cj_noreturn extern void cj_tuple_error(const CjFamily *f, const CjError *err);

/* The family's data check as an ERROR (inline: it runs once per row) */
static inline void
cj_check_tuple(const CjFamily *f, const double *v)
{
	CjError		err;

	if (unlikely(!f->check_data(v, &err)))
		cj_tuple_error(f, &err);
}

/*
 * cj_dert's shared parts (model2.c): the Pareto/NBD model of argument 0
 * (an error naming any other family) and the DERT of a checked history at
 * a continuous rate (an error unless the rate is finite and > 0).
 */
extern const CjModelSlot *cj_dert_model(FunctionCallInfo fcinfo);
extern double cj_dert_value(const CjModelSlot *ms, const double *v,
							double rate);

/* Append the time unit as "unit=7d" (whole days) or "unit=<seconds>s" */
extern void cj_append_unit(StringInfo buf, double seconds);

/*
 * Add one data tuple with weight w to the fit state in argument 0 of
 * fcinfo (a transition function's call), growing it in the aggregate
 * context.  fam may be NULL (use the state's family) or must match it;
 * unit_seconds 0 means "unit not given".  Returns the new state datum.
 */
extern Datum cj_fit_state_accum(FunctionCallInfo fcinfo, const CjFamily *fam,
								const double *v, int64 w, double unit_seconds);

/* The family of a cj_fit_state datum (e.g. in a transition function) */
extern const CjFamily *cj_fit_state_family(Datum state);

/*
 * E[M | x, m] of spend model ms, checking x and m (m = 0 allowed when
 * scoring: a customer whose repeat purchases were all free).
 */
extern double cj_spend_score(const CjModelSlot *ms, double x, double m);

/*
 * CLV of a history v under purchase model pm and spend model sm with mean
 * repeat spend m (validates periods, period length, rate and margin; the
 * discounted purchases are memoised at fcinfo's call site).
 */
extern double cj_clv_compute(FunctionCallInfo fcinfo, const CjModelSlot *pm,
							 const CjModelSlot *sm, const double *v, double m,
							 int32 periods, double period_length, double rate,
							 double margin);

#endif							/* CJ_MODEL_GLUE_H */
