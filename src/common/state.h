/*-------------------------------------------------------------------------
 *
 * state.h
 *	  One way for every aggregate support function to receive its state.
 *
 * Any role can build its own aggregate over custjourney's transition,
 * combine and final functions (CREATE AGGREGATE pg_temp.x ...), with any
 * INITCOND, with states read from a table or returned by a moving-
 * aggregate inverse function of its own.  So a state argument may arrive
 * with a 1-byte (short) header, compressed or out of line, or be of the
 * other kind of the same type (a service-level state given to the
 * wait-statistics transition).  cj_state_arg() is the one entry point:
 *
 *	- it detoasts and unpacks (pg_detoast_datum semantics); a plain 4-byte
 *	  header value, which is what an in-place transition state always is,
 *	  comes back as the same pointer without any allocation, so the hot
 *	  path costs a header test and the type's O(1) check;
 *	- it checks the size against the type's fixed header and calls the
 *	  type's check of its header fields (version, kind, counts against
 *	  capacities, capacities against the varlena size), erroring with
 *	  22P03 "invalid internal state of type ..." on any inconsistency.
 *
 * The contents past the header are trusted: every value of a state type
 * is made by its validating input functions or by the support functions
 * themselves, so only the header can disagree with the bytes (a packed
 * header misread, a state of the other kind).
 *
 * A support function may update its state argument in place only when
 * cj_agg_context() (AggCheckCallContext) says the call comes from an
 * aggregate; a detoasted copy is then a new pointer, which the executor
 * copies into the aggregate context.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_COMMON_STATE_H
#define CJ_COMMON_STATE_H

#include "postgres.h"

#include "fmgr.h"

#include "common/util.h"

/* What cj_state_arg needs to know about a state type */
typedef struct CjStateType
{
	const char *typname;		/* SQL name, for messages */
	Size		min_size;		/* bytes of the fixed header, varlena header included */

	/*
	 * Header check of a detoasted value of size bytes (>= min_size): NULL
	 * when consistent, else a detail sentence.  O(1) (it runs per row).
	 */
	const char *(*check) (const void *state, Size size);
} CjStateType;

/* Error 22P03 for a state whose header fails its type's check */
cj_noreturn extern void cj_state_invalid(const CjStateType *type, const char *detail);

/* Detoast, unpack and check a state datum (see the file header) */
static inline void *
cj_state_datum(Datum d, const CjStateType *type)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *bad;

	if (unlikely(VARATT_IS_EXTENDED(v)))
		v = pg_detoast_datum(v);
	if (unlikely(VARSIZE(v) < type->min_size))
		cj_state_invalid(type, "The value is shorter than the header of the type.");
	if (type->check && unlikely((bad = type->check(v, VARSIZE(v))) != NULL))
		cj_state_invalid(type, bad);
	return v;
}

/* State argument argno (not NULL: the caller checks PG_ARGISNULL) */
#define cj_state_arg(fcinfo, argno, type) \
	cj_state_datum((fcinfo)->args[(argno)].value, (type))

/*
 * The aggregate memory context of the call; an error (0A000) naming fname
 * when the function is called outside an aggregate.
 */
extern MemoryContext cj_agg_context(FunctionCallInfo fcinfo, const char *fname);

/*
 * Start of a combine function (state, state) -> state: checks the
 * aggregate context and handles the NULL cases.  Returns true when the
 * result is decided: *result / *isnull are then arg 0 when arg 1 is NULL,
 * or a checked copy of arg 1 in the aggregate context when arg 0 is NULL.
 * Otherwise *a and *b receive both checked states (arg 0 may be updated in
 * place) and it returns false.
 */
extern bool cj_state_combine_start(FunctionCallInfo fcinfo, const char *fname,
								   const CjStateType *type,
								   Datum *result, bool *isnull,
								   void **a, void **b);

/*
 * Size arithmetic for state capacities: a + b and a * b, erroring (54000,
 * naming the type) past MaxAllocSize instead of wrapping.
 */
extern Size cj_state_add_size(Size a, Size b, const char *typname);
extern Size cj_state_mul_size(Size a, Size b, const char *typname);

#endif							/* CJ_COMMON_STATE_H */
