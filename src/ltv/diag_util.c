/*-------------------------------------------------------------------------
 *
 * diag_util.c
 *	  Glue shared by the diagnostics aggregates: combine preamble and the
 *	  SRF set-up of their *_rows functions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ltv/diag_util.h"

/* Combine preamble (see diag_util.h) */
bool
cj_diag_combine_start(FunctionCallInfo fcinfo, const char *fname,
					  Datum *result, bool *isnull,
					  struct varlena **a, struct varlena **b)
{
	MemoryContext aggctx,
				old;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in non-aggregate context", fname);
	*isnull = false;
	if (PG_ARGISNULL(1))
	{
		*isnull = PG_ARGISNULL(0);
		*result = *isnull ? (Datum) 0 : PG_GETARG_DATUM(0);
		return true;
	}
	if (PG_ARGISNULL(0))
	{
		old = MemoryContextSwitchTo(aggctx);
		*result = PointerGetDatum(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(1)));
		MemoryContextSwitchTo(old);
		return true;
	}
	*a = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	*b = PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	return false;
}

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
