/*-------------------------------------------------------------------------
 *
 * memory_agg.c
 *	  The cj_memory_agg aggregate: transition, combine and final functions.
 *
 * The state is a cj_memory itself (working form: spare capacity, sections
 * in arrival order), so partial states travel between parallel workers
 * and Citus nodes as ordinary values.  A contact that fits is added in
 * place; otherwise the transition returns a grown copy built in the
 * per-tuple context, which the executor copies into the aggregate
 * context (as cj_history_agg does).  The final function returns the
 * canonical form.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/plannodes.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/state.h"
#include "journey/memory.h"

PG_FUNCTION_INFO_V1(cj_memory_trans);
PG_FUNCTION_INFO_V1(cj_memory_combine);
PG_FUNCTION_INFO_V1(cj_memory_final);

static void
CheckAggContext(FunctionCallInfo fcinfo, const char *fn)
{
	(void) cj_agg_context(fcinfo, fn);
}

/*
 * Contact log capacity.  A new state holds only the header and the log
 * (the summary sections appear when the log is first folded in).  Its
 * size is a power of two (what the allocator hands out anyway), large
 * enough for the plan's rows per group at about 44 bytes a contact,
 * between STATE_MIN and STATE_MAX bytes; a full log doubles the state
 * while below STATE_MAX, and is folded into the sections after that.
 */
#define STATE_MIN 256
#define STATE_MAX 4096
#define LOG_MAX (STATE_MAX - (int32) CJ_MEMORY_HDRSZ)

static int32
InitialLog(FunctionCallInfo fcinfo)
{
	int32	   *cap = (int32 *) fcinfo->flinfo->fn_extra;

	if (cap == NULL)
	{
		double		per_group = 8;
		int32		size = STATE_MIN;

		if (fcinfo->context && IsA(fcinfo->context, AggState))
		{
			AggState   *as = (AggState *) fcinfo->context;
			Agg		   *agg = (Agg *) as->ss.ps.plan;
			Plan	   *inp = agg ? outerPlan(agg) : NULL;

			if (inp != NULL && agg->numGroups > 0)
				per_group = inp->plan_rows / (double) agg->numGroups;
		}
		while (size < STATE_MAX && size < CJ_MEMORY_HDRSZ + per_group * 44)
			size *= 2;
		cap = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int32));
		*cap = size - (int32) CJ_MEMORY_HDRSZ;
		fcinfo->flinfo->fn_extra = cap;
	}
	return *cap;
}

/* K argument: 1..50 */
int
cj_memory_check_k(int32 k)
{
	if (k < 1 || k > CJ_MEMORY_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be between 1 and %d", CJ_MEMORY_MAX_K),
				 errdetail("Got %d.", k)));
	return k;
}

/* Text argument n into the input slot i (NULL stays NULL) */
static void
TextField(FunctionCallInfo fcinfo, int n, CjMemInput *in, int i)
{
	if (PG_ARGISNULL(n))
	{
		in->str[i] = NULL;
		in->len[i] = 0;
	}
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(n);

		in->str[i] = VARDATA_ANY(t);
		in->len[i] = VARSIZE_ANY_EXHDR(t);
	}
}

/*
 * (state, occurred_at, channel, agent, topic, status, ref [, k]): rows
 * with a NULL occurred_at are skipped; other NULLs are kept.
 */
Datum
cj_memory_trans(PG_FUNCTION_ARGS)
{
	int			k = CJ_MEMORY_DEFAULT_K;
	CjMemInput	in;
	CjMemory   *m;
	CjError		err;

	CheckAggContext(fcinfo, "cj_memory_agg transition function");
	CHECK_FOR_INTERRUPTS();
	if (PG_NARGS() > 7)
	{
		if (PG_ARGISNULL(7))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("k must not be NULL")));
		k = cj_memory_check_k(PG_GETARG_INT32(7));
	}
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	in.at = PG_GETARG_TIMESTAMPTZ(1);
	if (TIMESTAMP_NOT_FINITE(in.at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("occurred_at must be finite")));
	TextField(fcinfo, 2, &in, 0);
	TextField(fcinfo, 3, &in, 1);
	TextField(fcinfo, 4, &in, 2);
	TextField(fcinfo, 6, &in, 3);
	in.status = CJ_ST_NULL;
	if (!PG_ARGISNULL(5))
	{
		text	   *st = PG_GETARG_TEXT_PP(5);

		if (!cj_memory_status_code(VARDATA_ANY(st), VARSIZE_ANY_EXHDR(st), &in.status))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown contact status \"%s\"", text_to_cstring(st)),
					 errdetail("A status is one of open, pending, resolved or closed, or NULL.")));
	}
	if (!cj_memory_check_input(&in, &err))
		cj_raise(&err, "contact field is too long");

	if (PG_ARGISNULL(0))
	{
		int32		cap[CJ_MS_N] = {0};

		cap[CJ_MS_LOG] = InitialLog(fcinfo);
		m = cj_memory_alloc(cap, k);
	}
	else
		m = cj_memory_getstate(fcinfo, 0);

	cj_memory_lower_k(m, k);
	if (!cj_memory_log_append(m, &in))
	{
		int32		cap[CJ_MS_N];
		CjMemory   *g;

		memcpy(cap, m->cap, sizeof(cap));
		if (cap[CJ_MS_LOG] < LOG_MAX)
		{
			/* a longer log, in a copy about twice the size */
			cap[CJ_MS_LOG] = Max(Min(cap[CJ_MS_LOG] * 2 + (int32) CJ_MEMORY_HDRSZ, LOG_MAX),
								 m->n[CJ_MS_LOG] + (int32) cj_memory_log_entry_size(&in));
			g = cj_memory_alloc(cap, m->k);
			cj_memory_copy_into(g, m);
			m = g;
		}
		else
		{
			/* fold the log into the sections, growing them first if needed */
			cj_memory_fold_caps(m, true, cap);
			if (memcmp(cap, m->cap, sizeof(cap)) != 0)
			{
				g = cj_memory_alloc(cap, m->k);
				cj_memory_copy_into(g, m);
				m = g;
			}
			cj_memory_fold_glue(m, "cannot add the contact to the customer memory");
		}
		if (!cj_memory_log_append(m, &in))
			elog(ERROR, "customer memory log did not grow enough");
	}
	PG_RETURN_POINTER(m);
}

/*
 * Combine two partial states.  The result is new (built in the
 * per-tuple context and copied into the aggregate context by the
 * executor), also when the first state is NULL.
 */
Datum
cj_memory_combine(PG_FUNCTION_ARGS)
{
	CheckAggContext(fcinfo, "cj_memory_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(cj_memory_getarg(fcinfo, 0));
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(cj_memory_merged(cj_memory_getarg(fcinfo, 1), NULL));
	PG_RETURN_POINTER(cj_memory_merged(cj_memory_getarg(fcinfo, 0),
									   cj_memory_getarg(fcinfo, 1)));
}

/*
 * Final: the state with its log folded in, trimmed to its contents.  The
 * canonical form (sorted sections, unused strings dropped) is built only
 * where it is seen: text and binary output, equality and hashing.
 */
Datum
cj_memory_final(PG_FUNCTION_ARGS)
{
	CjMemory   *m;

	CheckAggContext(fcinfo, "cj_memory_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	m = cj_memory_getarg(fcinfo, 0);	/* folded into a copy if needed */
	PG_RETURN_POINTER(cj_memory_trimmed(m));
}
