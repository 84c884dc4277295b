/*-------------------------------------------------------------------------
 *
 * memory.c
 *	  The cj_memory type: text and binary I/O, equality and hashing,
 *	  merge, and the accessors an agent's screen and routing rules use.
 *
 * The layout, parser, decoder and merge live in the pure-C core
 * (src/core/journey/memory.c, memory_io.c); this file moves values
 * between PostgreSQL and the core.  The aggregate is in memory_agg.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/hash.h"
#include "common/int.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/json.h"
#include "utils/timestamp.h"

#include "core/common/instant.h"
#include "journey/memory.h"

PG_FUNCTION_INFO_V1(cj_memory_in);
PG_FUNCTION_INFO_V1(cj_memory_out);
PG_FUNCTION_INFO_V1(cj_memory_recv);
PG_FUNCTION_INFO_V1(cj_memory_send);
PG_FUNCTION_INFO_V1(cj_memory_eq);
PG_FUNCTION_INFO_V1(cj_memory_ne);
PG_FUNCTION_INFO_V1(cj_memory_hash);
PG_FUNCTION_INFO_V1(cj_memory_merge);
PG_FUNCTION_INFO_V1(cj_memory_k);
PG_FUNCTION_INFO_V1(cj_last_contacts);
PG_FUNCTION_INFO_V1(cj_last_contact);
PG_FUNCTION_INFO_V1(cj_first_contact);
PG_FUNCTION_INFO_V1(cj_last_agent);
PG_FUNCTION_INFO_V1(cj_last_agent_channel);
PG_FUNCTION_INFO_V1(cj_last_topic);
PG_FUNCTION_INFO_V1(cj_open_cases);
PG_FUNCTION_INFO_V1(cj_contact_count);
PG_FUNCTION_INFO_V1(cj_contact_count_days);
PG_FUNCTION_INFO_V1(cj_contact_channels);
PG_FUNCTION_INFO_V1(cj_contact_topics);
PG_FUNCTION_INFO_V1(cj_repeat_contact);
PG_FUNCTION_INFO_V1(cj_memory_jsonb);

CjMemory *
cj_memory_alloc(const int32 cap[CJ_MS_N], int k)
{
	Size		size = cj_memory_size(cap);
	CjMemory   *m;

	if (size == 0 || size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("customer memory is too large")));
	m = (CjMemory *) palloc(size);
	SET_VARSIZE(m, size);
	cj_memory_init(m, k, cap);
	return m;
}

CjMemory *
cj_memory_getstate(FunctionCallInfo fcinfo, int n)
{
	CjMemory   *m = (CjMemory *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));
	CjError		err;

	if (!cj_memory_check_header(m, VARSIZE(m), &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s value", CJ_MEMORY_TYPNAME),
				 errdetail("%s", err.detail)));
	return m;
}

/*
 * Fold m's log in place (m has the room), with a string index; errors
 * raised with what as their message
 */
void
cj_memory_fold_glue(CjMemory *m, const char *what)
{
	size_t		size = cj_memory_fold_scratch(m);
	void	   *scratch = palloc(size);
	CjError		err;

	if (cj_memory_fold(m, scratch, size, &err) != CJ_MEM_ADDED)
		cj_raise(&err, what);
	pfree(scratch);
}

CjMemory *
cj_memory_folded(const CjMemory *m)
{
	int32		cap[CJ_MS_N];
	CjMemory   *g;

	cj_memory_fold_caps(m, false, cap);
	g = cj_memory_alloc(cap, m->k);
	cj_memory_copy_into(g, m);
	cj_memory_fold_glue(g, "cannot fold the contact log of a customer memory");
	return g;
}

CjMemory *
cj_memory_getarg(FunctionCallInfo fcinfo, int n)
{
	CjMemory   *m = cj_memory_getstate(fcinfo, n);

	if (m->n[CJ_MS_LOG] > 0)
		m = cj_memory_folded(m);
	if (m->total < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s value", CJ_MEMORY_TYPNAME),
				 errdetail("A memory holds at least one contact.")));
	return m;
}

CjMemory *
cj_memory_canonicalize(CjMemory *m)
{
	int32		cap[CJ_MS_N];
	CjMemory   *out;
	void	   *scratch;
	CjError		err;

	if (m->flags & CJ_MEM_CANONICAL)
		return m;
	cj_memory_canonical_caps(m, cap);
	out = cj_memory_alloc(cap, m->k);
	scratch = palloc(cj_memory_canonical_scratch(m));
	if (!cj_memory_canonical(m, out, scratch, &err))
		cj_raise(&err, "cannot build the canonical form of a customer memory");
	pfree(scratch);
	SET_VARSIZE(out, cj_memory_size(out->cap));
	return out;
}

CjMemory *
cj_memory_merged(const CjMemory *a, const CjMemory *b)
{
	int32		cap[CJ_MS_N];
	CjMemory   *out;
	void	   *scratch;
	size_t		size;
	CjError		err;

	cj_memory_merge_caps(a, b, cap);
	out = cj_memory_alloc(cap, cap[CJ_MS_RECENT]);
	size = cj_memory_merge_scratch(a, b);
	scratch = palloc(size);
	if (!cj_memory_merge_into(out, a, scratch, size, &err) ||
		(b && !cj_memory_merge_into(out, b, scratch, size, &err)))
		cj_raise(&err, "cannot merge customer memories");
	pfree(scratch);
	return out;
}

/* ---------- I/O ---------- */

Datum
cj_memory_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int32		cap[CJ_MS_N];
	CjMemory   *m;
	CjError		err;

	cj_memory_text_caps(str, cap);
	m = cj_memory_alloc(cap, CJ_MEMORY_DEFAULT_K);
	if (!cj_memory_parse(str, m, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), CJ_MEMORY_TYPNAME, str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(cj_memory_canonicalize(m));
}

Datum
cj_memory_out(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 0));
	char	   *buf = palloc(cj_memory_text_size(m));

	cj_memory_format(m, buf);
	PG_RETURN_CSTRING(buf);
}

Datum
cj_memory_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *p = (const unsigned char *) buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	int32		cap[CJ_MS_N];
	CjMemory   *m;
	CjError		err;

	if (len < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", CJ_MEMORY_TYPNAME),
				 errdetail("The binary form is empty.")));
	cj_check_binary_version(p[0], CJ_MEMORY_TYPNAME);
	cj_memory_wire_caps(len, cap);
	m = cj_memory_alloc(cap, CJ_MEMORY_DEFAULT_K);
	if (!cj_memory_decode(p, len, m, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", CJ_MEMORY_TYPNAME),
				 errdetail("%s", err.detail)));
	/* strings arrive as bytes: they must be valid in the server encoding */
	for (int32 i = 0; i < m->n[CJ_MS_STRS]; i++)
	{
		int32		l;
		const char *s = cj_mem_str(m, i, &l);

		if (!pg_verifymbstr(s, l, true))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type %s", CJ_MEMORY_TYPNAME),
					 errdetail("A string is not valid in the server encoding.")));
	}
	buf->cursor = buf->len;
	PG_RETURN_POINTER(cj_memory_canonicalize(m));
}

Datum
cj_memory_send(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 0));
	Size		len = cj_memory_wire_size(m);
	bytea	   *result = (bytea *) palloc(VARHDRSZ + len);

	SET_VARSIZE(result, VARHDRSZ + len);
	cj_memory_encode(m, (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

static bool
MemoryEq(FunctionCallInfo fcinfo)
{
	CjMemory   *a = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 0));
	CjMemory   *b = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 1));

	return VARSIZE(a) == VARSIZE(b) &&
		memcmp(VARDATA(a), VARDATA(b), VARSIZE(a) - VARHDRSZ) == 0;
}

Datum
cj_memory_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(MemoryEq(fcinfo));
}

Datum
cj_memory_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!MemoryEq(fcinfo));
}

Datum
cj_memory_hash(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 0));

	return hash_any((unsigned char *) VARDATA(m), VARSIZE(m) - VARHDRSZ);
}

CjMemory *
cj_memory_trimmed(const CjMemory *m)
{
	int32		cap[CJ_MS_N];
	CjMemory   *out;

	memcpy(cap, m->n, sizeof(cap));
	cap[CJ_MS_RECENT] = m->k;
	out = cj_memory_alloc(cap, m->k);
	cj_memory_copy_into(out, m);
	return out;
}

/*
 * Merge two memories; NULL is the empty memory.  The result keeps only
 * the strings its contacts use, trimmed; sorting into canonical form is
 * left to output, equality and hashing.
 */
Datum
cj_memory_merge(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_POINTER(cj_memory_trimmed(
											cj_memory_getarg(fcinfo, PG_ARGISNULL(0) ? 1 : 0)));
	PG_RETURN_POINTER(cj_memory_trimmed(cj_memory_merged(cj_memory_getarg(fcinfo, 0),
														 cj_memory_getarg(fcinfo, 1))));
}

Datum
cj_memory_k(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cj_memory_getarg(fcinfo, 0)->k);
}

/* ---------- accessors ---------- */

static Datum
StrDatum(const CjMemory *m, int32 id, bool *isnull)
{
	int32		len;
	const char *s = cj_mem_str(m, id, &len);

	*isnull = (s == NULL);
	return s ? PointerGetDatum(cstring_to_text_with_len(s, len)) : (Datum) 0;
}

static Datum
StatusDatum(int32 st, bool *isnull)
{
	const char *s = cj_memory_status_name(st);

	*isnull = (s == NULL);
	return s ? PointerGetDatum(cstring_to_text(s)) : (Datum) 0;
}

/* Text argument n as bytes (not NUL-terminated) */
static const char *
TextArg(FunctionCallInfo fcinfo, int n, int32 *len)
{
	text	   *t = PG_GETARG_TEXT_PP(n);

	*len = VARSIZE_ANY_EXHDR(t);
	return VARDATA_ANY(t);
}

Datum
cj_last_contacts(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		n = m->n[CJ_MS_RECENT];

	if (PG_NARGS() > 1)
	{
		int32		want = PG_GETARG_INT32(1);

		if (want < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("number of contacts must not be negative")));
		n = Min(n, want);
	}
	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 0; i < n; i++)
	{
		const CjMemContact *c = cj_mem_recent(m) + i;
		Datum		v[6];
		bool		nulls[6] = {false};

		v[0] = TimestampTzGetDatum(c->at);
		v[1] = StrDatum(m, c->channel, &nulls[1]);
		v[2] = StrDatum(m, c->agent, &nulls[2]);
		v[3] = StrDatum(m, c->topic, &nulls[3]);
		v[4] = StatusDatum(c->status, &nulls[4]);
		v[5] = StrDatum(m, c->ref, &nulls[5]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

Datum
cj_last_contact(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(cj_memory_getarg(fcinfo, 0)->last_at);
}

Datum
cj_first_contact(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(cj_memory_getarg(fcinfo, 0)->first_at);
}

Datum
cj_last_agent(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_getarg(fcinfo, 0);
	bool		isnull;
	Datum		d = StrDatum(m, cj_mem_recent(m)[0].agent, &isnull);

	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(d);
}

Datum
cj_last_agent_channel(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_getarg(fcinfo, 0);
	int32		len;
	const char *s = TextArg(fcinfo, 1, &len);
	int32		i = cj_mem_find_channel(m, s, len);
	bool		isnull;
	Datum		d;

	if (i < 0)
		PG_RETURN_NULL();
	d = StrDatum(m, cj_mem_chans(m)[i].last.agent, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(d);
}

Datum
cj_last_topic(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_getarg(fcinfo, 0);
	bool		isnull;
	Datum		d = StrDatum(m, cj_mem_recent(m)[0].topic, &isnull);

	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(d);
}

/* Open cases, most recently touched first (then by ref) */
static const CjMemory *OpenCmpMemory;

static int
OpenCmp(const void *a, const void *b)
{
	const CjMemCase *x = *(const CjMemCase *const *) a;
	const CjMemCase *y = *(const CjMemCase *const *) b;
	int32		lx,
				ly;
	const char *sx,
			   *sy;
	int			c;

	if (x->last.at != y->last.at)
		return x->last.at > y->last.at ? -1 : 1;
	sx = cj_mem_str(OpenCmpMemory, x->last.ref, &lx);
	sy = cj_mem_str(OpenCmpMemory, y->last.ref, &ly);
	c = memcmp(sx, sy, Min(lx, ly));
	if (c != 0)
		return c;
	return (lx > ly) - (lx < ly);
}

Datum
cj_open_cases(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_getarg(fcinfo, 0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const CjMemCase **open;
	int32		n = 0;

	InitMaterializedSRF(fcinfo, 0);
	open = palloc(sizeof(CjMemCase *) * Max(1, m->n[CJ_MS_CASES]));
	for (int32 i = 0; i < m->n[CJ_MS_CASES]; i++)
	{
		const CjMemCase *c = cj_mem_cases(m) + i;

		if ((c->flags & CJ_CASE_HAS_STATUS) && c->last_status.status == CJ_ST_OPEN)
			open[n++] = c;
	}
	OpenCmpMemory = m;
	qsort(open, n, sizeof(CjMemCase *), OpenCmp);
	for (int32 i = 0; i < n; i++)
	{
		const CjMemCase *c = open[i];
		Datum		v[6];
		bool		nulls[6] = {false};

		CHECK_FOR_INTERRUPTS();
		v[0] = StrDatum(m, c->last.ref, &nulls[0]);
		v[1] = StrDatum(m, c->last.topic, &nulls[1]);
		v[2] = TimestampTzGetDatum(c->first_open_at);
		v[3] = TimestampTzGetDatum(c->last.at);
		v[4] = StrDatum(m, c->last.agent, &nulls[4]);
		v[5] = BoolGetDatum((c->flags & CJ_CASE_REOPENABLE) != 0);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

Datum
cj_contact_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(cj_memory_getarg(fcinfo, 0)->total);
}

/* Contacts on UTC days from..to (inclusive), optionally of one channel */
Datum
cj_contact_count_days(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_getarg(fcinfo, 0);
	DateADT		from = PG_GETARG_DATEADT(1);
	DateADT		to = PG_GETARG_DATEADT(2);
	bool		by_channel = PG_NARGS() > 3;
	int32		ch = -1;
	int64		sum = 0;

	if (by_channel)
	{
		int32		len;
		const char *s = TextArg(fcinfo, 3, &len);
		int32		i = cj_mem_find_channel(m, s, len);

		if (i < 0)
			PG_RETURN_INT64(0);
		ch = cj_mem_chans(m)[i].last.channel;
	}
	/* infinite dates bound nothing: -infinity is before every day */
	for (int32 i = 0; i < m->n[CJ_MS_DAYS]; i++)
	{
		const CjMemDay *d = cj_mem_days(m) + i;

		if (d->day >= from && d->day <= to && (!by_channel || d->channel == ch))
			sum += d->n;
	}
	PG_RETURN_INT64(sum);
}

Datum
cj_contact_channels(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 0; i < m->n[CJ_MS_CHANS]; i++)
	{
		const CjMemChannel *c = cj_mem_chans(m) + i;
		Datum		v[4];
		bool		nulls[4] = {false};

		v[0] = StrDatum(m, c->last.channel, &nulls[0]);
		v[1] = Int64GetDatum(c->n);
		v[2] = TimestampTzGetDatum(c->last.at);
		v[3] = StrDatum(m, c->last.agent, &nulls[3]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

Datum
cj_contact_topics(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 0; i < m->n[CJ_MS_TOPICS]; i++)
	{
		const CjMemTopic *t = cj_mem_topics(m) + i;
		Datum		v[3];
		bool		nulls[3] = {false};

		CHECK_FOR_INTERRUPTS();
		v[0] = StrDatum(m, t->topic, &nulls[0]);
		v[1] = Int64GetDatum(t->n);
		v[2] = TimestampTzGetDatum(t->at1);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/*
 * Was the last contact's topic also contacted about within `within`
 * before it?  The previous contact on that topic is the topic's second
 * latest instant; a NULL topic is never a repeat.
 */
Datum
cj_repeat_contact(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_getarg(fcinfo, 0);
	Interval   *iv = PG_GETARG_INTERVAL_P(1);
	const CjMemContact *last = cj_mem_recent(m);
	int64		within;
	int32		i;
	const CjMemTopic *t;

	within = cj_interval_us_window(iv, "within");
	if (last->topic < 0)
		PG_RETURN_BOOL(false);
	i = cj_mem_find_topic(m, last->topic);
	if (i < 0)
		elog(ERROR, "customer memory has no entry for its last topic");
	t = cj_mem_topics(m) + i;
	if (t->n < 2)
		PG_RETURN_BOOL(false);
	{
		int64		gap;

		if (pg_sub_s64_overflow(t->at1, t->at2, &gap))
			gap = PG_INT64_MAX;
		PG_RETURN_BOOL(gap <= within);
	}
}

static void
JsonStr(StringInfo buf, const CjMemory *m, int32 id)
{
	int32		len;
	const char *s = cj_mem_str(m, id, &len);

	if (s == NULL)
		appendStringInfoString(buf, "null");
	else
		escape_json(buf, pnstrdup(s, len));
}

static void
JsonContact(StringInfo buf, const CjMemory *m, const CjMemContact *c)
{
	char		tmp[48];
	const char *st = cj_memory_status_name(c->status);

	cj_format_instant(c->at, tmp);
	appendStringInfo(buf, "{\"occurred_at\": \"%s\", \"channel\": ", tmp);
	JsonStr(buf, m, c->channel);
	appendStringInfoString(buf, ", \"agent\": ");
	JsonStr(buf, m, c->agent);
	appendStringInfoString(buf, ", \"topic\": ");
	JsonStr(buf, m, c->topic);
	if (st)
		appendStringInfo(buf, ", \"status\": \"%s\", \"ref\": ", st);
	else
		appendStringInfoString(buf, ", \"status\": null, \"ref\": ");
	JsonStr(buf, m, c->ref);
	appendStringInfoChar(buf, '}');
}

Datum
cj_memory_jsonb(PG_FUNCTION_ARGS)
{
	CjMemory   *m = cj_memory_canonicalize(cj_memory_getarg(fcinfo, 0));
	StringInfoData buf;
	char		tmp[48];
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"k\": %d, \"contacts\": " INT64_FORMAT, m->k, m->total);
	cj_format_instant(m->first_at, tmp);
	appendStringInfo(&buf, ", \"first_contact\": \"%s\"", tmp);
	cj_format_instant(m->last_at, tmp);
	appendStringInfo(&buf, ", \"last_contact\": \"%s\", \"recent\": [", tmp);
	for (int32 i = 0; i < m->n[CJ_MS_RECENT]; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		JsonContact(&buf, m, cj_mem_recent(m) + i);
	}
	appendStringInfoString(&buf, "], \"channels\": [");
	for (int32 i = 0; i < m->n[CJ_MS_CHANS]; i++)
	{
		const CjMemChannel *c = cj_mem_chans(m) + i;

		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, "{\"channel\": ");
		JsonStr(&buf, m, c->last.channel);
		appendStringInfo(&buf, ", \"contacts\": " INT64_FORMAT ", \"last_agent\": ", c->n);
		JsonStr(&buf, m, c->last.agent);
		cj_format_instant(c->last.at, tmp);
		appendStringInfo(&buf, ", \"last_contact\": \"%s\"}", tmp);
	}
	appendStringInfoString(&buf, "], \"topics\": [");
	for (int32 i = 0; i < m->n[CJ_MS_TOPICS]; i++)
	{
		const CjMemTopic *t = cj_mem_topics(m) + i;

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, "{\"topic\": ");
		JsonStr(&buf, m, t->topic);
		cj_format_instant(t->at1, tmp);
		appendStringInfo(&buf, ", \"contacts\": " INT64_FORMAT ", \"last_contact\": \"%s\"}",
						 t->n, tmp);
	}
	appendStringInfoString(&buf, "], \"open_cases\": [");
	for (int32 i = 0; i < m->n[CJ_MS_CASES]; i++)
	{
		const CjMemCase *c = cj_mem_cases(m) + i;

		CHECK_FOR_INTERRUPTS();
		if (!(c->flags & CJ_CASE_HAS_STATUS) || c->last_status.status != CJ_ST_OPEN)
			continue;
		if (!first)
			appendStringInfoString(&buf, ", ");
		first = false;
		appendStringInfoString(&buf, "{\"ref\": ");
		JsonStr(&buf, m, c->last.ref);
		appendStringInfoString(&buf, ", \"topic\": ");
		JsonStr(&buf, m, c->last.topic);
		cj_format_instant(c->first_open_at, tmp);
		appendStringInfo(&buf, ", \"opened_at\": \"%s\"", tmp);
		cj_format_instant(c->last.at, tmp);
		appendStringInfo(&buf, ", \"last_at\": \"%s\", \"agent\": ", tmp);
		JsonStr(&buf, m, c->last.agent);
		appendStringInfo(&buf, ", \"reopened\": %s}",
						 (c->flags & CJ_CASE_REOPENABLE) ? "true" : "false");
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
