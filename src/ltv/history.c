/*-------------------------------------------------------------------------
 *
 * history.c
 *	  The cj_history type: text and binary I/O, merge, accessors, equality
 *	  and hashing, and the summary helper model fitting builds on.
 *
 * The value layout, parser, decoder and all arithmetic live in the pure-C
 * core (src/core/ltv/history.c, cj_history_io.c); this file only moves
 * values between PostgreSQL and the core and turns core errors into
 * ereports.  The aggregate is in history_agg.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "ltv/history.h"

PG_FUNCTION_INFO_V1(cj_history_in);
PG_FUNCTION_INFO_V1(cj_history_out);
PG_FUNCTION_INFO_V1(cj_history_recv);
PG_FUNCTION_INFO_V1(cj_history_send);
PG_FUNCTION_INFO_V1(cj_history_merge);
PG_FUNCTION_INFO_V1(cj_frequency);
PG_FUNCTION_INFO_V1(cj_purchase_days);
PG_FUNCTION_INFO_V1(cj_recency);
PG_FUNCTION_INFO_V1(cj_age);
PG_FUNCTION_INFO_V1(cj_age_date);
PG_FUNCTION_INFO_V1(cj_monetary);
PG_FUNCTION_INFO_V1(cj_total_spend);
PG_FUNCTION_INFO_V1(cj_first_day_spend);
PG_FUNCTION_INFO_V1(cj_first_purchase);
PG_FUNCTION_INFO_V1(cj_last_purchase);
PG_FUNCTION_INFO_V1(cj_history_jsonb);
PG_FUNCTION_INFO_V1(cj_history_eq);
PG_FUNCTION_INFO_V1(cj_history_ne);
PG_FUNCTION_INFO_V1(cj_history_hash);
PG_FUNCTION_INFO_V1(cj_history_hash_extended);

/* palloc a history with room for capacity days */
CjHistory *
cj_history_alloc(int32 capacity)
{
	Size		size = cj_history_size(capacity);
	CjHistory  *h = (CjHistory *) palloc(size);

	SET_VARSIZE(h, size);
	return h;
}

/* A finite timestamptz, or an error naming the argument */
int64
cj_history_finite_instant(TimestampTz t, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite", what),
				 errdetail("Purchase histories live between 4714-11-24 BC and 294276 AD, not at infinity.")));
	return t;
}

/* UTC day of a finite as_of instant */
static int32
AsOfDay(TimestampTz as_of)
{
	return cj_instant_day(cj_history_finite_instant(as_of, "as_of"));
}

/* A unit argument in seconds: fixed length, > 0 (months rejected) */
static double
UnitArg(const Interval *unit)
{
	return cj_interval_seconds(unit, "unit", true);
}

/* Summary as of a day; check_last refuses purchases after as_of */
static void
SummaryDay(const CjHistory *h, int32 as_of_day, double secs,
		   bool check_last, CjHistorySummary *out)
{
	CjError		err;

	if (!cj_history_summarize(h, as_of_day, secs, check_last, out, &err))
		cj_raise(&err, check_last && as_of_day >= h->days[0] ?
				 "as_of is before the last purchase" :
				 "as_of is before the first purchase");
}

/* BTYD inputs as of an instant */
void
cj_history_summary(const CjHistory *h, TimestampTz as_of,
				   double unit_seconds, CjHistorySummary *out)
{
	SummaryDay(h, AsOfDay(as_of), unit_seconds, true, out);
}

/*
 * The family's data tuple for a history summary: (x, m) for a spend
 * family, (x, t_x, T) for a family whose data are named so; any other
 * family cannot use histories.
 */
void
cj_history_model_tuple(const CjFamily *f, const CjHistorySummary *s,
					   double *v)
{
	v[0] = v[1] = v[2] = 0.0;
	v[0] = s->x;
	if (f->kind == CJ_KIND_SPEND)
	{
		v[1] = s->m;
		return;
	}
	if (f->ndata != 3 || strcmp(f->data_names[1], "t_x") != 0 ||
		strcmp(f->data_names[2], "T") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a %s model cannot be fitted or scored from cj_history values",
						f->title)));
	v[1] = s->t_x;
	v[2] = s->T;
}

/* Convert textual representation to internal representation */
Datum
cj_history_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int32		cap = cj_history_text_days_bound(str);
	CjHistory  *h = cj_history_alloc(cap);
	CjError		err;

	if (!cj_history_parse(str, h, cap, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), CJ_HISTORY_TYPNAME, str, &err);
		PG_RETURN_NULL();
	}
	/* trim the spare room of the upper bound */
	h->capacity = h->ndays;
	SET_VARSIZE(h, cj_history_size(h->ndays));
	PG_RETURN_CJ_HISTORY_P(h);
}

/* Convert internal representation to textual representation */
Datum
cj_history_out(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(0);
	char	   *buf = palloc(cj_history_text_size(h));

	cj_history_format(h, buf);
	PG_RETURN_CSTRING(buf);
}

/* Convert external binary representation to internal representation */
Datum
cj_history_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *p = (const unsigned char *) buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	int32		n;
	CjHistory  *h;
	CjError		err;

	if (len < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", CJ_HISTORY_TYPNAME),
				 errdetail("The binary form is empty.")));
	cj_check_binary_version(p[0], CJ_HISTORY_TYPNAME);
	if ((n = cj_history_wire_days(p, len, &err)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", CJ_HISTORY_TYPNAME),
				 errdetail("%s", err.detail)));
	h = cj_history_alloc(n);
	if (!cj_history_decode(p, len, h, n, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", CJ_HISTORY_TYPNAME),
				 errdetail("%s", err.detail)));
	buf->cursor = buf->len;
	PG_RETURN_CJ_HISTORY_P(h);
}

/* Convert internal representation to external binary representation */
Datum
cj_history_send(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(0);
	Size		len = cj_history_wire_size(h);
	bytea	   *result = (bytea *) palloc(VARHDRSZ + len);

	SET_VARSIZE(result, VARHDRSZ + len);
	cj_history_encode(h, (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

/* Merge two histories of one customer; NULL is the empty history */
Datum
cj_history_merge(PG_FUNCTION_ARGS)
{
	CjHistory  *a,
			   *b,
			   *out;
	int32		n;
	CjError		err;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_GETARG_DATUM(PG_ARGISNULL(0) ? 1 : 0));
	a = PG_GETARG_CJ_HISTORY_P(0);
	b = PG_GETARG_CJ_HISTORY_P(1);
	n = cj_history_union_days(a, b);
	out = cj_history_alloc(Min(n, CJ_HISTORY_MAX_DAYS));
	if (!cj_history_merge_into(a, b, out, Min(n, CJ_HISTORY_MAX_DAYS), &err))
		cj_raise(&err, "cannot merge purchase histories");
	PG_RETURN_CJ_HISTORY_P(out);
}

/* x: number of repeat purchase days */
Datum
cj_frequency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_CJ_HISTORY_P(0)->ndays - 1);
}

/* Number of distinct purchase days */
Datum
cj_purchase_days(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_CJ_HISTORY_P(0)->ndays);
}

/* t_x: first to last purchase day, in units */
Datum
cj_recency(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(0);
	CjHistorySummary s;

	SummaryDay(h, h->days[h->ndays - 1], UnitArg(PG_GETARG_INTERVAL_P(1)), false,
			   &s);
	PG_RETURN_FLOAT8(s.t_x);
}

/* T: first purchase day to the UTC day of as_of, in units */
Datum
cj_age(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(0);
	CjHistorySummary s;

	SummaryDay(h, AsOfDay(PG_GETARG_TIMESTAMPTZ(1)),
			   UnitArg(PG_GETARG_INTERVAL_P(2)), false, &s);
	PG_RETURN_FLOAT8(s.T);
}

/* T: first purchase day to the calendar day as_of, in units */
Datum
cj_age_date(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(0);
	DateADT		as_of = PG_GETARG_DATEADT(1);
	CjHistorySummary s;

	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite date")));
	SummaryDay(h, as_of, UnitArg(PG_GETARG_INTERVAL_P(2)), false, &s);
	PG_RETURN_FLOAT8(s.T);
}

/* m: mean spend of the repeat days, 0 when there are none */
Datum
cj_monetary(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(cj_history_monetary(PG_GETARG_CJ_HISTORY_P(0)));
}

/* Micro-units as an exact numeric */
static Datum
MicroToNumeric(int64 v)
{
	char		buf[32];

	cj_format_micro(v, buf);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* Total spend, exact */
Datum
cj_total_spend(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(MicroToNumeric(PG_GETARG_CJ_HISTORY_P(0)->total_spend));
}

/* Spend of the first purchase day, exact */
Datum
cj_first_day_spend(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(MicroToNumeric(PG_GETARG_CJ_HISTORY_P(0)->first_spend));
}

/* Instant of the first purchase */
Datum
cj_first_purchase(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(PG_GETARG_CJ_HISTORY_P(0)->first_at);
}

/* Instant of the last purchase */
Datum
cj_last_purchase(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(PG_GETARG_CJ_HISTORY_P(0)->last_at);
}

/* The history as a jsonb object (for reports and APIs) */
Datum
cj_history_jsonb(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(0);
	StringInfoData buf;
	char		tmp[48];

	initStringInfo(&buf);
	cj_format_instant(h->first_at, tmp);
	appendStringInfo(&buf, "{\"first_purchase\": \"%s\"", tmp);
	cj_format_instant(h->last_at, tmp);
	appendStringInfo(&buf, ", \"last_purchase\": \"%s\"", tmp);
	appendStringInfo(&buf, ", \"purchase_days\": %d, \"frequency\": %d",
					 h->ndays, h->ndays - 1);
	cj_format_micro(h->total_spend, tmp);
	appendStringInfo(&buf, ", \"total_spend\": %s", tmp);
	cj_format_micro(h->first_spend, tmp);
	appendStringInfo(&buf, ", \"first_day_spend\": %s", tmp);
	appendStringInfoString(&buf, ", \"monetary\": ");
	cj_append_float8(&buf, cj_history_monetary(h));
	appendStringInfo(&buf, ", \"recency_days\": %d}",
					 h->days[h->ndays - 1] - h->days[0]);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/*
 * Equality and hashing (the = and <> operators and the hash operator
 * class): equality is of the purchases, not of a value's spare capacity;
 * the hash covers exactly what equality compares, and the 32-bit hash is
 * the low half of the extended one at seed 0.
 */

/* Hash of a history: its scalar fields, then its days */
static uint64
HistoryHash(const CjHistory *h, uint64 seed)
{
	int64		f[5] = {h->ndays, h->first_at, h->last_at, h->total_spend,
	h->first_spend};

	return hash_combine64(hash_bytes_extended((const unsigned char *) f,
											  sizeof(f), seed),
						  hash_bytes_extended((const unsigned char *) h->days,
											  (int) (sizeof(int32) * h->ndays),
											  seed));
}

/* cj_history = cj_history */
Datum
cj_history_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cj_history_equal(PG_GETARG_CJ_HISTORY_P(0),
									PG_GETARG_CJ_HISTORY_P(1)));
}

/* cj_history <> cj_history */
Datum
cj_history_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!cj_history_equal(PG_GETARG_CJ_HISTORY_P(0),
									 PG_GETARG_CJ_HISTORY_P(1)));
}

/* Hash support 1: 32-bit hash */
Datum
cj_history_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) (uint32) HistoryHash(PG_GETARG_CJ_HISTORY_P(0), 0));
}

/* Hash support 2: 64-bit hash with a seed */
Datum
cj_history_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) HistoryHash(PG_GETARG_CJ_HISTORY_P(0),
										(uint64) PG_GETARG_INT64(1)));
}
