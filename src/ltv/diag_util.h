/*-------------------------------------------------------------------------
 *
 * diag_util.h
 *	  Glue shared by the diagnostics aggregates (holdout.c, tracking.c):
 *	  the set-returning expansion of a state value into rows (their
 *	  combine functions use common/state.h).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_DIAG_UTIL_H
#define CJ_DIAG_UTIL_H

#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"

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
