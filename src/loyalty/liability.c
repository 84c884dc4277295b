/*-------------------------------------------------------------------------
 *
 * liability.c
 *	  The aggregate form of cj_points_liability: the cj_liability type
 *	  (state and result: points expiring in and outstanding at the end of
 *	  each month, summed over members), its transition and combine
 *	  functions and cj_liability_months to list it.
 *
 * Layout: varlena header, uint32 magic, version byte, three zero bytes,
 * int32 first month index, int32 month count, then per month the expiring
 * and outstanding points (int64 millionths).  Every support function
 * checks magic, version, size and contents of the states it receives, so
 * an aggregate built by a user from these functions with a foreign state
 * gets an error.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "common/util.h"
#include "common/state.h"
#include "loyalty/points.h"
#include "loyalty/statement.h"
#include "core/common/decimal.h"
#include "core/loyalty/liability.h"

#define LIAB_MAGIC		0x4C494142	/* "LIAB" */
#define LIAB_VERSION	1

typedef struct LiabData
{
	int32		vl_len_;
	uint32		magic;
	uint8		version;
	uint8		pad[3];
	int32		first;
	int32		n;
	int64		pairs[FLEXIBLE_ARRAY_MEMBER];
} LiabData;

#define LIAB_SIZE(n) (offsetof(LiabData, pairs) + sizeof(int64) * 2 * (Size) (n))

PG_FUNCTION_INFO_V1(cj_liability_in);
PG_FUNCTION_INFO_V1(cj_liability_out);
PG_FUNCTION_INFO_V1(cj_liability_recv);
PG_FUNCTION_INFO_V1(cj_liability_send);
PG_FUNCTION_INFO_V1(cj_liability_sfunc);
PG_FUNCTION_INFO_V1(cj_liability_combine);
PG_FUNCTION_INFO_V1(cj_liability_months);

static LiabData *
LiabNew(int32 first, int n, const int64 *pairs)
{
	LiabData   *l = palloc0(LIAB_SIZE(n));

	SET_VARSIZE(l, LIAB_SIZE(n));
	l->magic = LIAB_MAGIC;
	l->version = LIAB_VERSION;
	l->first = first;
	l->n = n;
	if (pairs)
		memcpy(l->pairs, pairs, sizeof(int64) * 2 * n);
	return l;
}

/* A cj_liability argument, detoasted and unpacked, checked throughout */
static LiabData *
LiabArg(FunctionCallInfo fcinfo, int argno)
{
	LiabData   *l = (LiabData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	CjError		err = {0};

	if (VARSIZE(l) < offsetof(LiabData, pairs) || l->magic != LIAB_MAGIC ||
		l->version != LIAB_VERSION || l->n < 1 || l->n > CJ_LIAB_MAX_MONTHS ||
		VARSIZE(l) != LIAB_SIZE(l->n) ||
		!cj_liability_validate(l->first, l->n, l->pairs, &err))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid cj_liability value")));
	return l;
}

Datum
cj_liability_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int64	   *pairs = palloc(sizeof(int64) * 2 * CJ_LIAB_MAX_MONTHS);
	int32		first;
	int			n;
	CjError		err = {0};

	if (!cj_liability_parse(s, &first, &n, pairs, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_liability", s, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(LiabNew(first, n, pairs));
}

Datum
cj_liability_out(PG_FUNCTION_ARGS)
{
	LiabData   *l = LiabArg(fcinfo, 0);
	char	   *buf = palloc(l->n * 72 + 16);

	cj_liability_format(l->first, l->n, l->pairs, buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary: version byte, first month index, count, then the pairs */
Datum
cj_liability_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		first;
	int			n,
				i;
	LiabData   *l;
	CjError		err = {0};

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_liability");
	first = pq_getmsgint(buf, 4);
	n = pq_getmsgint(buf, 4);
	if (n < 1 || n > CJ_LIAB_MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_liability"),
				 errdetail("A liability covers 1 to %d months, not %d.", CJ_LIAB_MAX_MONTHS, n)));
	l = LiabNew(first, n, NULL);
	for (i = 0; i < 2 * n; i++)
		l->pairs[i] = pq_getmsgint64(buf);
	if (!cj_liability_validate(first, n, l->pairs, &err))
		cj_raise(&err, "invalid binary data for type cj_liability");
	PG_RETURN_POINTER(l);
}

Datum
cj_liability_send(PG_FUNCTION_ARGS)
{
	LiabData   *l = LiabArg(fcinfo, 0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint32(&buf, l->first);
	pq_sendint32(&buf, l->n);
	for (i = 0; i < 2 * l->n; i++)
		pq_sendint64(&buf, l->pairs[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* a += b month by month; both cover the same months */
static void
LiabAdd(LiabData *a, const int64 *pairs, int32 first, int n)
{
	int			i;

	if (a->first != first || a->n != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("liabilities cover different months"),
				 errdetail("Every member's liability must be taken as of the same time over the same horizon.")));
	for (i = 0; i < 2 * n; i++)
		if (!cj_dec_add(a->pairs[i], pairs[i], &a->pairs[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("points liability is out of range"),
					 errdetail("Points totals must lie between -9223372036854.775807 and 9223372036854.775807.")));
}

/*
 * Transition: add one member's liability.  Rows with a NULL ledger, as_of
 * or horizon are ignored.
 */
Datum
cj_liability_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	LiabData   *state;
	TimestampTz as_of;
	int32		first;
	int			n;
	int64	   *pairs;
	CjError		err = {0};

	aggcxt = cj_agg_context(fcinfo, "cj_liability_sfunc");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(LiabArg(fcinfo, 0));
	}
	as_of = PG_GETARG_TIMESTAMPTZ(2);
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite time")));
	cj_points_liability_months(PG_GETARG_DATUM(1), as_of, PG_GETARG_INTERVAL_P(3),
							   &first, &n, &pairs);
	/* the months a cj_liability can hold (the set-returning form has no bound) */
	if (!cj_liability_validate(first, n, pairs, &err))
		cj_raise(&err, "cannot total the points liability over these months");
	if (PG_ARGISNULL(0))
	{
		old = MemoryContextSwitchTo(aggcxt);
		state = LiabNew(first, n, pairs);
		MemoryContextSwitchTo(old);
		PG_RETURN_POINTER(state);
	}
	state = LiabArg(fcinfo, 0);
	LiabAdd(state, pairs, first, n);
	PG_RETURN_POINTER(state);
}

/* Combine: month-wise sums */
Datum
cj_liability_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt,
				old;
	LiabData   *a,
			   *b;

	aggcxt = cj_agg_context(fcinfo, "cj_liability_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(LiabArg(fcinfo, 0));
	}
	b = LiabArg(fcinfo, 1);
	if (PG_ARGISNULL(0))
	{
		old = MemoryContextSwitchTo(aggcxt);
		a = LiabNew(b->first, b->n, b->pairs);
		MemoryContextSwitchTo(old);
		PG_RETURN_POINTER(a);
	}
	a = LiabArg(fcinfo, 0);
	LiabAdd(a, b->pairs, b->first, b->n);
	PG_RETURN_POINTER(a);
}

/* cj_liability_months(liability): one row per month */
Datum
cj_liability_months(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	Tuplestorestate *store;
	MemoryContext old;
	LiabData   *l = LiabArg(fcinfo, 0);
	int			i;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTupleDescCopy(tupdesc);
	store = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
	for (i = 0; i < l->n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {0};

		values[0] = DateADTGetDatum(cj_month_index_date(l->first + i));
		values[1] = cj_millionths_numeric(l->pairs[2 * i]);
		values[2] = cj_millionths_numeric(l->pairs[2 * i + 1]);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = tupdesc;
	return (Datum) 0;
}
