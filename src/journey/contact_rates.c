/*-------------------------------------------------------------------------
 *
 * contact_rates.c
 *	  The cj_contact_rates aggregate and its state type cj_contact_log:
 *	  first-contact resolution and repeat-contact rate of a group of
 *	  contacts (definitions in src/core/journey/contact_rates.c and
 *	  doc/memory.md).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "common/state.h"
#include "core/journey/contact_rates.h"
#include "core/journey/memory.h"

PG_FUNCTION_INFO_V1(cj_contact_log_in);
PG_FUNCTION_INFO_V1(cj_contact_log_out);
PG_FUNCTION_INFO_V1(cj_contact_log_recv);
PG_FUNCTION_INFO_V1(cj_contact_log_send);
PG_FUNCTION_INFO_V1(cj_contact_rates_trans);
PG_FUNCTION_INFO_V1(cj_contact_rates_combine);
PG_FUNCTION_INFO_V1(cj_contact_rates_final);

#define TYPNAME "cj_contact_log"

static CjContactLog *
LogAlloc(int64 cap, int64 within)
{
	Size		size = CJ_CLOG_HDRSZ + (Size) cap;
	CjContactLog *l;

	if (cap < 0 || size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("contact log is too large"),
				 errdetail("A group holds at most about 1 GB of contacts.")));
	l = (CjContactLog *) palloc(size);
	SET_VARSIZE(l, size);
	cj_clog_init(l, within, cap);
	return l;
}

static CjContactLog *
LogArg(FunctionCallInfo fcinfo, int n)
{
	CjContactLog *l = (CjContactLog *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));
	CjError		err;

	if (!cj_clog_check_header(l, VARSIZE(l), &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s value", TYPNAME),
				 errdetail("%s", err.detail)));
	return l;
}

static void *
Scratch(const CjContactLog *l)
{
	Size		size = cj_clog_scratch(l);

	if (size > MaxAllocHugeSize)
		elog(ERROR, "contact log scratch too large");
	return MemoryContextAllocHuge(CurrentMemoryContext, size);
}

Datum
cj_contact_log_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjContactLog *l = LogAlloc(cj_clog_text_cap(str), 0);
	CjError		err;

	if (!cj_clog_parse(str, l, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), TYPNAME, str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(l);
}

Datum
cj_contact_log_out(PG_FUNCTION_ARGS)
{
	CjContactLog *l = LogArg(fcinfo, 0);
	void	   *scratch = Scratch(l);
	Size		len = cj_clog_format(l, scratch, NULL);
	char	   *buf;

	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("contact log is too large for its text form")));
	buf = palloc(len);
	cj_clog_format(l, scratch, buf);
	PG_RETURN_CSTRING(buf);
}

Datum
cj_contact_log_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *p = (const unsigned char *) buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	CjContactLog *l;
	CjError		err;
	int64		pos = 0;
	CjContactEvent e;

	if (len < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", TYPNAME),
				 errdetail("The binary form is empty.")));
	cj_check_binary_version(p[0], TYPNAME);
	l = LogAlloc((int64) len * 2 + 64, 0);
	if (!cj_clog_decode(p, len, l, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", TYPNAME),
				 errdetail("%s", err.detail)));
	while (pos < l->nbytes && cj_clog_next(l, &pos, &e))
		for (int k = 0; k < 3; k++)
			if (e.str[k] && !pg_verifymbstr(e.str[k], e.len[k], true))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid binary data for type %s", TYPNAME),
						 errdetail("A string is not valid in the server encoding.")));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(l);
}

Datum
cj_contact_log_send(PG_FUNCTION_ARGS)
{
	CjContactLog *l = LogArg(fcinfo, 0);
	Size		len = cj_clog_wire_size(l);
	bytea	   *result;

	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("contact log is too large for its binary form")));
	result = (bytea *) palloc(VARHDRSZ + len);
	SET_VARSIZE(result, VARHDRSZ + len);
	cj_clog_encode(l, Scratch(l), (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

static void
CheckAggContext(FunctionCallInfo fcinfo, const char *fn)
{
	(void) cj_agg_context(fcinfo, fn);
}

static void
TextArg(FunctionCallInfo fcinfo, int n, CjContactEvent *e, int k)
{
	if (PG_ARGISNULL(n))
	{
		e->str[k] = NULL;
		e->len[k] = 0;
	}
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(n);

		e->str[k] = VARDATA_ANY(t);
		e->len[k] = VARSIZE_ANY_EXHDR(t);
		if (e->len[k] > CJ_CLOG_MAX_TEXT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("contact field is too long"),
					 errdetail("Customer, topic and ref are at most %d bytes long; got %d bytes.",
							   CJ_CLOG_MAX_TEXT, e->len[k])));
	}
}

/*
 * (state, customer, occurred_at, topic, status, ref, within): rows with a
 * NULL customer or occurred_at are skipped.
 */
Datum
cj_contact_rates_trans(PG_FUNCTION_ARGS)
{
	CjContactLog *l;
	CjContactEvent e;
	int64		within;

	CheckAggContext(fcinfo, "cj_contact_rates transition function");
	CHECK_FOR_INTERRUPTS();
	if (PG_ARGISNULL(6))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("within must not be NULL")));
	within = cj_interval_us_window(PG_GETARG_INTERVAL_P(6), "within");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	e.at = PG_GETARG_TIMESTAMPTZ(2);
	if (TIMESTAMP_NOT_FINITE(e.at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("occurred_at must be finite")));
	TextArg(fcinfo, 1, &e, 0);
	TextArg(fcinfo, 3, &e, 1);
	TextArg(fcinfo, 5, &e, 2);
	for (int k = 0; k < 3; k++)
		if (e.str[k] && memchr(e.str[k], '\0', e.len[k]))
			elog(ERROR, "text with a NUL byte");
	e.status = CJ_ST_NULL;
	if (!PG_ARGISNULL(4))
	{
		text	   *st = PG_GETARG_TEXT_PP(4);

		if (!cj_memory_status_code(VARDATA_ANY(st), VARSIZE_ANY_EXHDR(st), &e.status))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown contact status \"%s\"", text_to_cstring(st)),
					 errdetail("A status is one of open, pending, resolved or closed, or NULL.")));
	}

	if (PG_ARGISNULL(0))
		l = LogAlloc(1024, within);
	else
	{
		l = LogArg(fcinfo, 0);
		if (l->within != within)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("within must be the same for every row of a group")));
	}
	if (l->nevents >= CJ_CLOG_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many contacts in one group"),
				 errdetail("cj_contact_rates takes at most %d contacts per group.",
						   CJ_CLOG_MAX_EVENTS)));
	if (!cj_clog_append(l, &e))
	{
		/* a doubled copy in the per-tuple context (the executor keeps it) */
		int64		cap = Max(l->cap * 2, l->nbytes + (int64) cj_clog_event_size(&e));
		CjContactLog *g = LogAlloc(cap, l->within);

		memcpy(g->data, l->data, l->nbytes);
		g->nbytes = l->nbytes;
		g->nevents = l->nevents;
		l = g;
		if (!cj_clog_append(l, &e))
			elog(ERROR, "contact log did not grow enough");
	}
	PG_RETURN_POINTER(l);
}

/* Concatenate two partial logs (a new value) */
Datum
cj_contact_rates_combine(PG_FUNCTION_ARGS)
{
	CjContactLog *a,
			   *b,
			   *out;

	CheckAggContext(fcinfo, "cj_contact_rates_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(LogArg(fcinfo, 0));
	}
	b = LogArg(fcinfo, 1);
	if (PG_ARGISNULL(0))
	{
		out = LogAlloc(b->nbytes, b->within);
		memcpy(out->data, b->data, b->nbytes);
		out->nbytes = b->nbytes;
		out->nevents = b->nevents;
		PG_RETURN_POINTER(out);
	}
	a = LogArg(fcinfo, 0);
	if (a->within != b->within)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine contact logs with different windows")));
	if ((int64) a->nevents + b->nevents > CJ_CLOG_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many contacts in one group"),
				 errdetail("cj_contact_rates takes at most %d contacts per group.",
						   CJ_CLOG_MAX_EVENTS)));
	out = LogAlloc(a->nbytes + b->nbytes, a->within);
	memcpy(out->data, a->data, a->nbytes);
	memcpy(out->data + a->nbytes, b->data, b->nbytes);
	out->nbytes = a->nbytes + b->nbytes;
	out->nevents = a->nevents + b->nevents;
	PG_RETURN_POINTER(out);
}

/* The measures as a cj_contact_rates row */
Datum
cj_contact_rates_final(PG_FUNCTION_ARGS)
{
	CjContactLog *l;
	CjContactRates r;
	CjError		err;
	TupleDesc	desc;
	Datum		v[6];
	bool		nulls[6] = {false};

	CheckAggContext(fcinfo, "cj_contact_rates_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	l = LogArg(fcinfo, 0);
	if (!cj_clog_compute(l, Scratch(l), &r, &err))
		cj_raise(&err, "cannot compute contact rates");
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	v[0] = Int64GetDatum(r.contacts);
	v[1] = Int64GetDatum(r.repeats);
	v[2] = Float8GetDatum(r.contacts > 0 ? (double) r.repeats / (double) r.contacts : 0);
	nulls[2] = r.contacts == 0;
	v[3] = Int64GetDatum(r.cases);
	v[4] = Int64GetDatum(r.fcr);
	v[5] = Float8GetDatum(r.cases > 0 ? (double) r.fcr / (double) r.cases : 0);
	nulls[5] = r.cases == 0;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, v, nulls)));
}
