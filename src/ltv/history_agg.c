/*-------------------------------------------------------------------------
 *
 * history_agg.c
 *	  The cj_history_agg aggregate: transition, combine and final functions.
 *
 * The state is a cj_history itself, so partial states travel between
 * parallel workers and Citus nodes as ordinary values.  Speed comes from
 * updating the state in place: a purchase on a day already present, or on
 * a new day while spare capacity remains, touches a few words and
 * allocates nothing.  Only when the day array is full does the transition
 * return a new, doubled value; it is built in the per-tuple memory
 * context because the executor copies any new state pointer into the
 * aggregate context and frees the old one (ExecAggTransReparent), so
 * building it there directly would only leak a second copy.  The final
 * function returns a trimmed copy (capacity == ndays), so stored values
 * carry no spare room.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "nodes/execnodes.h"
#include "nodes/plannodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "ltv/history.h"
#include "common/state.h"

PG_FUNCTION_INFO_V1(cj_history_trans_ts_numeric);
PG_FUNCTION_INFO_V1(cj_history_trans_ts_float8);
PG_FUNCTION_INFO_V1(cj_history_trans_date_numeric);
PG_FUNCTION_INFO_V1(cj_history_trans_date_float8);
PG_FUNCTION_INFO_V1(cj_history_combine);
PG_FUNCTION_INFO_V1(cj_history_final);

/* Header check of a received history state (see common/state.h) */
static const char *
HistoryCheck(const void *state, Size size)
{
	const CjHistory *h = state;

	if (h->version != CJ_HISTORY_VERSION || h->flags != 0 || h->reserved != 0)
		return "The value has an unknown format version.";
	if (h->capacity < 1 || h->capacity > CJ_HISTORY_MAX_DAYS ||
		h->ndays < 1 || h->ndays > h->capacity)
		return "The number of purchase days does not fit the capacity.";
	if (size != cj_history_size(h->capacity))
		return "The size of the value does not match its capacity.";
	return NULL;
}

static const CjStateType HistoryType = {CJ_HISTORY_TYPNAME, CJ_HISTORY_HDRSZ, HistoryCheck};

#define HISTORY_ARG(n) ((CjHistory *) cj_state_arg(fcinfo, (n), &HistoryType))

/* A row with a NULL time or amount leaves the state as it is */
#define SKIP_NULL_ROW() \
	do { \
		if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) \
		{ \
			if (PG_ARGISNULL(0)) \
				PG_RETURN_NULL(); \
			PG_RETURN_CJ_HISTORY_P(HISTORY_ARG(0)); \
		} \
	} while (0)

/*
 * Room for the days of a new state: 48 + 4 * 4 = 64 bytes, or the next
 * allocator chunk (128 bytes, 20 days) where few states are alive at once
 * or each group is expected to have more than 4 rows.  Every new or grown
 * state costs two allocations and a copy (ours, then the executor's into
 * the aggregate context), so for frequent buyers starting at 20 days saves
 * a growth per customer (a fifth of the time of a hash aggregate of 10
 * rows per customer), while for the usual one- or two-purchase customers
 * 64 bytes keeps a hash aggregate small.  The capacity never shows in a
 * result: the final function trims.
 */
#define CJ_HISTORY_SMALL_DAYS 4
#define CJ_HISTORY_LARGE_DAYS 20

/*
 * Capacity after growth from cap days: at least double the size, rounded
 * up to the power-of-two chunk the allocator would hand out anyway, so
 * the spare bytes become day slots (4 -> 20 -> 52 -> 116 ...).
 */
static int32
GrownCapacity(int32 cap)
{
	Size		want = cj_history_size(Min(cap, CJ_HISTORY_MAX_DAYS)) * 2;
	Size		chunk = 64;

	/* cap <= CJ_HISTORY_MAX_DAYS keeps want, and so chunk, below 8 MB */
	while (chunk < want)
		chunk *= 2;
	return (int32) Min((chunk - CJ_HISTORY_HDRSZ) / sizeof(int32),
					   (Size) CJ_HISTORY_MAX_DAYS);
}

/* Error for an amount that is not a finite non-negative number */
static void
BadAmount(const char *shown)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("purchase amount must be a finite non-negative number"),
			 errdetail("Got %s; amounts are finite and >= 0 (refunds are not purchases).",
					   shown)));
}

/* A numeric amount in micro-units (rounded to 6 decimal places) */
static int64
NumericMicro(Numeric num)
{
	char	   *s;
	const char *p;
	int64		v;
	CjError		err;

	if (numeric_is_nan(num) || numeric_is_inf(num))
		BadAmount(numeric_is_nan(num) ? "NaN" : "an infinite amount");
	s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	if (s[0] == '-')
		BadAmount(s);
	p = s;
	if (!cj_parse_micro(&p, &v, true, &err))
		cj_raise(&err, "purchase amount is out of range");
	pfree(s);
	return v;
}

/* A float8 amount in micro-units */
static int64
FloatMicro(float8 amount)
{
	int64		v;
	CjError		err;

	if (isnan(amount) || isinf(amount) || amount < 0)
		BadAmount(isnan(amount) ? "NaN" : isinf(amount) ? "an infinite amount" :
				  "a negative amount");
	if (!cj_float_to_micro(amount, &v, &err))
		cj_raise(&err, "purchase amount is out of range");
	return v;
}

/* The midnight instant of a purchase day given as a date */
static int64
PurchaseDate(DateADT d)
{
	if (DATE_NOT_FINITE(d) || d < cj_instant_day(CJ_MIN_INSTANT) ||
		d >= cj_instant_day(CJ_END_INSTANT))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("purchase date must be finite and within the timestamp range"),
				 errdetail("Purchase dates lie between 4714-11-24 BC and 294276-12-31.")));
	return (int64) d * CJ_USECS_PER_DAY;
}

/*
 * Initial capacity for the aggregate node calling us, chosen once per call
 * site (fn_extra): large unless the node hashes and its plan expects at
 * most CJ_HISTORY_SMALL_DAYS input rows per group (the rows of a group
 * bound its distinct days).  Window aggregates and sorted or plain
 * aggregation keep one state per group alive at a time, so size does not
 * matter there.
 */
static int32
InitialCapacity(FunctionCallInfo fcinfo)
{
	int32	   *cap = (int32 *) fcinfo->flinfo->fn_extra;

	if (cap == NULL)
	{
		int32		c = CJ_HISTORY_LARGE_DAYS;

		if (fcinfo->context && IsA(fcinfo->context, AggState))
		{
			AggState   *as = (AggState *) fcinfo->context;
			Agg		   *agg = (Agg *) as->ss.ps.plan;
			Plan	   *in = agg ? outerPlan(agg) : NULL;

			if (as->aggstrategy != AGG_SORTED && as->aggstrategy != AGG_PLAIN &&
				in != NULL && agg->numGroups > 0 &&
				in->plan_rows <= (double) agg->numGroups * CJ_HISTORY_SMALL_DAYS)
				c = CJ_HISTORY_SMALL_DAYS;
		}
		cap = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int32));
		*cap = c;
		fcinfo->flinfo->fn_extra = cap;
	}
	return *cap;
}

/*
 * Add one purchase to the state (arg 0), creating or growing it as
 * needed.  at is the instant, day the purchase day.
 */
static Datum
HistoryTrans(FunctionCallInfo fcinfo, int64 at, int32 day, int64 amount)
{
	CjHistory  *h;
	CjHistory  *g;
	CjError		err;
	CjHistAdd	r;

	if (PG_ARGISNULL(0))
	{
		int32		cap = InitialCapacity(fcinfo);

		h = cj_history_alloc(cap);
		cj_history_init(h, cap, at, day, amount);
		PG_RETURN_CJ_HISTORY_P(h);
	}
	h = HISTORY_ARG(0);
	r = cj_history_add(h, at, day, amount, &err);
	if (r == CJ_HIST_ADDED)
		PG_RETURN_CJ_HISTORY_P(h);
	if (r == CJ_HIST_ERROR)
		cj_raise(&err, "cannot add the purchase to the history");
	/* full: a doubled copy in the per-tuple context (see file header) */
	g = cj_history_alloc(GrownCapacity(h->capacity));
	cj_history_copy(g, h, GrownCapacity(h->capacity));
	if (cj_history_add(g, at, day, amount, &err) != CJ_HIST_ADDED)
		cj_raise(&err, "cannot add the purchase to the history");
	PG_RETURN_CJ_HISTORY_P(g);
}

/* Check the calling context; the state must be ours to update in place */
static void
CheckAggContext(FunctionCallInfo fcinfo, const char *fn)
{
	(void) cj_agg_context(fcinfo, fn);
}

/*
 * One row of any of the four overloads: the purchase day is the UTC day
 * of a timestamptz, or the given date (recorded at its midnight UTC).
 */
static Datum
TransRow(FunctionCallInfo fcinfo, bool by_date, bool float_amount)
{
	int64		at;
	int32		day;
	int64		amount;

	CheckAggContext(fcinfo, "cj_history_agg transition function");
	SKIP_NULL_ROW();
	if (by_date)
	{
		day = PG_GETARG_DATEADT(1);
		at = PurchaseDate(day);
	}
	else
	{
		at = cj_history_finite_instant(PG_GETARG_TIMESTAMPTZ(1),
									   "purchase time");
		day = cj_instant_day(at);
	}
	amount = float_amount ? FloatMicro(PG_GETARG_FLOAT8(2)) :
		NumericMicro(PG_GETARG_NUMERIC(2));
	return HistoryTrans(fcinfo, at, day, amount);
}

/* Transition: (timestamptz, numeric) */
Datum
cj_history_trans_ts_numeric(PG_FUNCTION_ARGS)
{
	return TransRow(fcinfo, false, false);
}

/* Transition: (timestamptz, float8) */
Datum
cj_history_trans_ts_float8(PG_FUNCTION_ARGS)
{
	return TransRow(fcinfo, false, true);
}

/* Transition: (date, numeric) */
Datum
cj_history_trans_date_numeric(PG_FUNCTION_ARGS)
{
	return TransRow(fcinfo, true, false);
}

/* Transition: (date, float8) */
Datum
cj_history_trans_date_float8(PG_FUNCTION_ARGS)
{
	return TransRow(fcinfo, true, true);
}

/*
 * Combine two partial states of one group.  The result is built in the
 * per-tuple context; the executor copies it into the aggregate context
 * (see the file header), which is also how a NULL first state receives a
 * copy of the second rather than the second itself.
 */
Datum
cj_history_combine(PG_FUNCTION_ARGS)
{
	CjHistory  *a,
			   *b,
			   *out;
	int32		n;
	CjError		err;

	CheckAggContext(fcinfo, "cj_history_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_CJ_HISTORY_P(HISTORY_ARG(0));
	}
	b = HISTORY_ARG(1);
	if (PG_ARGISNULL(0))
	{
		out = cj_history_alloc(b->ndays);
		cj_history_copy(out, b, b->ndays);
		PG_RETURN_CJ_HISTORY_P(out);
	}
	a = HISTORY_ARG(0);
	n = Min(cj_history_union_days(a, b), CJ_HISTORY_MAX_DAYS);
	out = cj_history_alloc(n);
	if (!cj_history_merge_into(a, b, out, n, &err))
		cj_raise(&err, "cannot combine purchase histories");
	PG_RETURN_CJ_HISTORY_P(out);
}

/* Final: a trimmed copy of the state (NULL for no rows: the function is strict) */
Datum
cj_history_final(PG_FUNCTION_ARGS)
{
	CjHistory  *h = HISTORY_ARG(0);
	CjHistory  *out = cj_history_alloc(h->ndays);

	cj_history_copy(out, h, h->ndays);
	PG_RETURN_CJ_HISTORY_P(out);
}
