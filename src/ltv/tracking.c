/*-------------------------------------------------------------------------
 *
 * tracking.c
 *	  cj_tracking: expected repeat purchases of a cohort per calendar
 *	  period, as an aggregate over the customers' first-purchase times, and
 *	  cj_tracking_rows() that turns it into tidy rows.
 *
 * A customer whose first purchase is at s_i is expected to have made
 * E[X(tau - s_i)] repeat purchases by calendar time tau >= s_i (the
 * family's "expected" function, a new customer's expectation), 0 before.
 * Summed over a cohort with staggered first purchases this is the expected
 * cumulative tracking curve of Fader, Hardie and Lee (2005), figure 4, to
 * lay beside the actual weekly repeat purchases.  The state holds the
 * cumulative total at the end of each period; the combine function adds
 * the series, so the aggregate runs in parallel.  Text form: see
 * core/cj_diag.h.
 *
 * Many customers share a first-purchase time (a cohort is typically
 * recorded by day), so the per-customer series is cached by first-purchase
 * time and reused: the cost follows the number of distinct first-purchase
 * times, not of customers.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "core/ltv/diag.h"
#include "ltv/diag_util.h"
#include "ltv/scores.h"

typedef struct CjTracking
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];	/* must be zero */
	CjTrackingHead h;
	double		cum[FLEXIBLE_ARRAY_MEMBER];
} CjTracking;

#define TRACKING_SIZE(n) (offsetof(CjTracking, cum) + (n) * sizeof(double))

/*
 * The transition's cache: a direct-mapped table of per-customer series
 * keyed by first-purchase time, for one model and one set of periods.  It
 * holds at most CACHE_BYTES of series.
 */
#define CACHE_BYTES (4 * 1024 * 1024)
#define CACHE_MAX_SLOTS 4096

typedef struct TrackingCache
{
	CjModelBody model;
	CjTrackingHead h;			/* customers unused */
	int			nslots;
	bool	   *valid;
	TimestampTz *first;
	double	   *series;			/* nslots * h.periods */
} TrackingCache;

PG_FUNCTION_INFO_V1(cj_tracking_in);
PG_FUNCTION_INFO_V1(cj_tracking_out);
PG_FUNCTION_INFO_V1(cj_tracking_recv);
PG_FUNCTION_INFO_V1(cj_tracking_send);
PG_FUNCTION_INFO_V1(cj_tracking_add);
PG_FUNCTION_INFO_V1(cj_tracking_combine);
PG_FUNCTION_INFO_V1(cj_tracking_rows);

/* A zero series with header h in mcxt */
static CjTracking *
NewTracking(MemoryContext mcxt, const CjTrackingHead *h)
{
	CjTracking *t = MemoryContextAllocZero(mcxt, TRACKING_SIZE(h->periods));

	SET_VARSIZE(t, TRACKING_SIZE(h->periods));
	t->version = CJ_BINARY_VERSION;
	t->h = *h;
	return t;
}

/* Raise a core validation failure as a bad cj_tracking value */
static void
CheckTracking(const CjTrackingHead *h, const double *cum)
{
	CjError		err;

	if (!cj_tracking_head_check(h, &err) ||
		(cum && !cj_tracking_series_check(cum, h->periods, &err)))
		cj_raise(&err, "invalid cj_tracking value");
}

/* Text input */
Datum
cj_tracking_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	double	   *cum = palloc(sizeof(double) * CJ_TRACKING_MAX_PERIODS);
	CjTrackingHead h;
	CjTracking *t;
	CjError		err;

	if (!cj_tracking_parse(s, &h, cum, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_tracking", s, &err);
		PG_RETURN_NULL();
	}
	t = NewTracking(CurrentMemoryContext, &h);
	memcpy(t->cum, cum, sizeof(double) * h.periods);
	PG_RETURN_POINTER(t);
}

/* Text output: "start=.. length=.. customers=.. {c1,...}" */
Datum
cj_tracking_out(PG_FUNCTION_ARGS)
{
	CjTracking *t = (CjTracking *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "start=" INT64_FORMAT " length=" INT64_FORMAT
					 " customers=" INT64_FORMAT " {",
					 (int64) t->h.start, (int64) t->h.length,
					 (int64) t->h.customers);
	for (i = 0; i < t->h.periods; i++)
	{
		if (i)
			appendStringInfoChar(&buf, ',');
		cj_append_float8(&buf, t->cum[i]);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: version, start, length, customers, periods, series */
Datum
cj_tracking_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjTrackingHead h;
	CjTracking *t;
	int			i;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_tracking");
	h.start = pq_getmsgint64(buf);
	h.length = pq_getmsgint64(buf);
	h.customers = pq_getmsgint64(buf);
	h.periods = pq_getmsgint(buf, 4);
	CheckTracking(&h, NULL);
	t = NewTracking(CurrentMemoryContext, &h);
	for (i = 0; i < h.periods; i++)
		t->cum[i] = pq_getmsgfloat8(buf);
	CheckTracking(&h, t->cum);
	PG_RETURN_POINTER(t);
}

/* Binary output */
Datum
cj_tracking_send(PG_FUNCTION_ARGS)
{
	CjTracking *t = (CjTracking *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint64(&buf, t->h.start);
	pq_sendint64(&buf, t->h.length);
	pq_sendint64(&buf, t->h.customers);
	pq_sendint32(&buf, t->h.periods);
	for (i = 0; i < t->h.periods; i++)
		pq_sendfloat8(&buf, t->cum[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The calendar arguments of a transition call as a header */
static CjTrackingHead
ArgsHead(FunctionCallInfo fcinfo)
{
	Interval   *iv = PG_GETARG_INTERVAL_P(4);
	CjTrackingHead h;
	CjError		err;

	(void) cj_interval_seconds(iv, "period_length", true);
	h.start = PG_GETARG_TIMESTAMPTZ(3);
	h.length = (int64) iv->day * USECS_PER_DAY + iv->time;
	h.periods = PG_GETARG_INT32(5);
	h.customers = 0;
	if (TIMESTAMP_NOT_FINITE(h.start))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period_start must be finite")));
	if (!cj_tracking_head_check(&h, &err))
		cj_raise(&err, "invalid tracking periods");
	return h;
}

/*
 * The transition's cache for model m and periods h: made, or emptied, when
 * either differs from what it holds.
 */
static TrackingCache *
GetCache(FunctionCallInfo fcinfo, const CjModel *m, const CjTrackingHead *h)
{
	TrackingCache *c = (TrackingCache *) fcinfo->flinfo->fn_extra;
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;

	if (c != NULL && c->h.start == h->start && c->h.length == h->length &&
		c->h.periods == h->periods &&
		memcmp(&c->model, &m->b, sizeof(CjModelBody)) == 0)
		return c;
	if (c == NULL)
		c = MemoryContextAllocZero(mcxt, sizeof(TrackingCache));
	else
	{
		pfree(c->valid);
		pfree(c->first);
		pfree(c->series);
	}
	c->model = m->b;
	c->h = *h;
	c->nslots = Max(1, Min(CACHE_MAX_SLOTS,
						   CACHE_BYTES / ((int) sizeof(double) * h->periods)));
	c->valid = MemoryContextAllocZero(mcxt, sizeof(bool) * c->nslots);
	c->first = MemoryContextAlloc(mcxt, sizeof(TimestampTz) * c->nslots);
	c->series = MemoryContextAlloc(mcxt, sizeof(double) * c->nslots * h->periods);
	fcinfo->flinfo->fn_extra = c;
	return c;
}

/*
 * The cumulative expected repeat purchases at each period end of one
 * customer whose first purchase is at first (from the cache, or computed
 * into it).
 */
static const double *
CustomerSeries(TrackingCache *c, const CjModel *m, TimestampTz first)
{
	const CjFamily *f = cj_model_family_of(m);
	double		unit = (m->b.flags & CJ_MODEL_HAS_UNIT) ? m->b.unit : CJ_WEEK_SECONDS;
	uint64		hash = ((uint64) first * UINT64CONST(0x9E3779B97F4A7C15)) >> 32;
	int			slot = (int) (hash % (uint64) c->nslots);
	double	   *cum = c->series + (Size) slot * c->h.periods;
	int			j;

	if (c->valid[slot] && c->first[slot] == first)
		return cum;
	cj_require_score(f, f->expected, "cj_tracking");
	for (j = 0; j < c->h.periods; j++)
	{
		int64		end = c->h.start + (int64) (j + 1) * c->h.length;
		double		t;

		if (end <= first)
		{
			cum[j] = 0.0;
			continue;
		}
		t = ((double) end - (double) first) / 1e6 / unit;
		cum[j] = cj_score_result(f->expected(m->b.params, t), "cj_tracking");
	}
	c->valid[slot] = true;
	c->first[slot] = first;
	return cum;
}

/*
 * Transition: cj_tracking_add(state, model, first_purchase, period_start,
 * period_length, periods).  Rows with a NULL argument are skipped.
 */
Datum
cj_tracking_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	CjTrackingHead h;
	CjTracking *t;
	CjModel    *m;
	TrackingCache *c;
	const double *cum;
	TimestampTz first;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "cj_tracking_add called in non-aggregate context");
	for (i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		}
	h = ArgsHead(fcinfo);
	first = PG_GETARG_TIMESTAMPTZ(2);
	if (TIMESTAMP_NOT_FINITE(first))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_purchase must be finite")));
	t = PG_ARGISNULL(0) ? NewTracking(aggctx, &h) : (CjTracking *) PG_GETARG_POINTER(0);
	if (t->h.start != h.start || t->h.length != h.length || t->h.periods != h.periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period_start, period_length and periods must be the same for every row")));
	m = PG_GETARG_CJ_MODEL_P(1);
	c = GetCache(fcinfo, m, &h);
	cum = CustomerSeries(c, m, first);
	for (i = 0; i < h.periods; i++)
		t->cum[i] += cum[i];
	t->h.customers++;
	PG_RETURN_POINTER(t);
}

/* Combine: add the series of arg 1 into arg 0 */
Datum
cj_tracking_combine(PG_FUNCTION_ARGS)
{
	struct varlena *va,
			   *vb;
	CjTracking *a,
			   *b;
	Datum		result;
	bool		isnull;
	int			i;

	if (cj_diag_combine_start(fcinfo, "cj_tracking_combine", &result, &isnull, &va, &vb))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	a = (CjTracking *) va;
	b = (CjTracking *) vb;
	if (a->h.start != b->h.start || a->h.length != b->h.length ||
		a->h.periods != b->h.periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine tracking series over different periods")));
	for (i = 0; i < a->h.periods; i++)
		a->cum[i] += b->cum[i];
	a->h.customers += b->h.customers;
	PG_RETURN_POINTER(a);
}

/* Rows of a tracking series: its periods */
static uint64
TrackingRowCount(const void *value)
{
	return ((const CjTracking *) value)->h.periods;
}

/*
 * Start of period j (0-based; j = periods is the end of the last one) as
 * a timestamptz; 22003 when it is past the range of the type (a state read
 * from text can start anywhere within +-2^62 microseconds).
 */
static TimestampTz
PeriodBound(const CjTracking *t, int j)
{
	int64		off,
				at;

	if (pg_mul_s64_overflow((int64) j, t->h.length, &off) ||
		pg_add_s64_overflow(t->h.start, off, &at) || !IS_VALID_TIMESTAMP(at))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tracking period bound is out of range for type timestamp with time zone"),
				 errdetail("Period %d of the series starts or ends outside the range of timestamps.",
						   Min(j + 1, t->h.periods))));
	return at;
}

/*
 * cj_tracking_rows(cj_tracking) -> (period, period_start, period_end,
 * expected, expected_cumulative): one row per period, numbered from 1.
 */
Datum
cj_tracking_rows(PG_FUNCTION_ARGS)
{
	FuncCallContext *fc;
	CjTracking *t;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	int			j;

	fc = cj_diag_srf_setup(fcinfo, "cj_tracking_rows", TrackingRowCount);
	t = (CjTracking *) fc->user_fctx;
	j = (int) fc->call_cntr;
	if (j >= t->h.periods)
		SRF_RETURN_DONE(fc);
	values[0] = Int32GetDatum(j + 1);
	values[1] = TimestampTzGetDatum(PeriodBound(t, j));
	values[2] = TimestampTzGetDatum(PeriodBound(t, j + 1));
	values[3] = Float8GetDatum(j ? t->cum[j] - t->cum[j - 1] : t->cum[0]);
	values[4] = Float8GetDatum(t->cum[j]);
	SRF_RETURN_NEXT(fc, HeapTupleGetDatum(heap_form_tuple(fc->tuple_desc,
														   values, nulls)));
}
