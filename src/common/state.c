/*-------------------------------------------------------------------------
 *
 * state.c
 *	  Receiving aggregate states: errors, aggregate context, the combine
 *	  preamble and checked capacity arithmetic (see state.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "common/state.h"

/* Error for a state whose header fails its type's check */
void
cj_state_invalid(const CjStateType *type, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid internal state of type %s", type->typname),
			 errdetail("%s", detail)));
	pg_unreachable();
}

/* The aggregate memory context, or an error outside an aggregate */
MemoryContext
cj_agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called by an aggregate", fname)));
	return aggcxt;
}

/* Combine preamble (see state.h) */
bool
cj_state_combine_start(FunctionCallInfo fcinfo, const char *fname,
					   const CjStateType *type, Datum *result, bool *isnull,
					   void **a, void **b)
{
	MemoryContext aggcxt = cj_agg_context(fcinfo, fname);
	struct varlena *vb;
	struct varlena *copy;

	*isnull = false;
	if (PG_ARGISNULL(1))
	{
		*isnull = PG_ARGISNULL(0);
		if (*isnull)
			*result = (Datum) 0;
		else
			*result = PointerGetDatum(cj_state_arg(fcinfo, 0, type));
		return true;
	}
	vb = cj_state_arg(fcinfo, 1, type);
	if (PG_ARGISNULL(0))
	{
		copy = MemoryContextAlloc(aggcxt, VARSIZE(vb));
		memcpy(copy, vb, VARSIZE(vb));
		*result = PointerGetDatum(copy);
		return true;
	}
	*a = cj_state_arg(fcinfo, 0, type);
	*b = vb;
	return false;
}

/* Error for a state that would pass the allocation limit */
static void
TooLarge(const char *typname)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("aggregate state of type %s is too large", typname),
			 errdetail("A state cannot be larger than %zu bytes.",
					   (Size) MaxAllocSize)));
}

/* a + b, erroring past MaxAllocSize */
Size
cj_state_add_size(Size a, Size b, const char *typname)
{
	if (a > MaxAllocSize || b > MaxAllocSize - a)
		TooLarge(typname);
	return a + b;
}

/* a * b, erroring past MaxAllocSize */
Size
cj_state_mul_size(Size a, Size b, const char *typname)
{
	if (a != 0 && b > MaxAllocSize / a)
		TooLarge(typname);
	return a * b;
}
