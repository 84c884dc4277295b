/*-------------------------------------------------------------------------
 *
 * diag_util.c
 *	  Glue shared by the diagnostics aggregates: the SRF set-up of their
 *	  *_rows functions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ltv/diag_util.h"

/* SRF set-up (see diag_util.h) */
FuncCallContext *
cj_diag_srf_setup(FunctionCallInfo fcinfo, const char *fname,
				  uint64 (*nrows) (const void *value))
{
	if (SRF_IS_FIRSTCALL())
	{
		FuncCallContext *fc = SRF_FIRSTCALL_INIT();
		MemoryContext old = MemoryContextSwitchTo(fc->multi_call_memory_ctx);
		TupleDesc	desc;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "%s must return a composite type", fname);
		fc->tuple_desc = BlessTupleDesc(desc);
		fc->user_fctx = PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		fc->max_calls = nrows(fc->user_fctx);
		MemoryContextSwitchTo(old);
	}
	return SRF_PERCALL_SETUP();
}
