/*-------------------------------------------------------------------------
 *
 * diag_util.h
 *	  Glue shared by the diagnostics aggregates (holdout.c, tracking.c):
 *	  the combine-function preamble and the set-returning expansion of a
 *	  state value into rows.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_DIAG_UTIL_H
#define CJ_DIAG_UTIL_H

#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"

/*
 * Start of a combine function (state, state) -> state whose states are
 * plain varlenas.  Returns true when the result is already decided: one
 * side is NULL, *result is then the other (copied into the aggregate
 * context when it is argument 1) and *isnull says whether it is NULL.
 * Otherwise fills *a and *b (detoasted) for the caller to merge b into a.
 */
extern bool cj_diag_combine_start(FunctionCallInfo fcinfo, const char *fname,
								  Datum *result, bool *isnull,
								  struct varlena **a, struct varlena **b);

/*
 * Per-call set-up of a value-per-call SRF expanding the varlena in
 * argument 0 into nrows(value) rows: on the first call copies the value
 * into the multi-call context (user_fctx) and blesses the result tuple
 * descriptor.
 */
extern FuncCallContext *cj_diag_srf_setup(FunctionCallInfo fcinfo,
										  const char *fname,
										  uint64 (*nrows) (const void *value));

#endif							/* CJ_DIAG_UTIL_H */
