/*-------------------------------------------------------------------------
 *
 * fit_state.h
 *	  The cj_fit_state aggregate state (fit_state.c): distinct data tuples
 *	  with weights, shared by the fitting aggregates of every family.
 *
 * The glue is generic: an aggregate for any family is SQL only, e.g.
 *   CREATE AGGREGATE cj_fit_pnbd(float8, float8, float8) (
 *     SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
 *     COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
 *     PARALLEL = SAFE);
 * and a family whose inputs are not numbers calls cj_fit_state_accum()
 * from its own transition function (as the sBG and history transitions in
 * fit_state.c do).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_FIT_STATE_H
#define CJ_FIT_STATE_H

#include "ltv/model.h"

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

#endif							/* CJ_FIT_STATE_H */
