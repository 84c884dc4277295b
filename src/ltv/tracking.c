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

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
#include "common/state.h"
#include "ltv/model.h"

/*
 * The series is followed by the low-order parts of its totals
 * (double-double sums, see core/cj_diag.h).  Values stored by version 1.1
 * end after the series (TRACKING_SIZE); they read as having zero low parts
 * and get them when a support function updates them.
 */
typedef struct CjTracking
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];	/* must be zero */
	CjTrackingHead h;
	double		cum[FLEXIBLE_ARRAY_MEMBER];
	/* double lo[periods] */
} CjTracking;

#define TRACKING_SIZE(n) (offsetof(CjTracking, cum) + (Size) (n) * sizeof(double))
#define TRACKING_FULL_SIZE(n) (TRACKING_SIZE(n) + (Size) (n) * sizeof(double))
#define TRACKING_HAS_LO(t) (VARSIZE(t) == TRACKING_FULL_SIZE((t)->h.periods))
#define TRACKING_LO(t) ((t)->cum + (t)->h.periods)

/* Header check of a received state (see common/state.h) */
static const char *
TrackingCheck(const void *state, Size size)
{
	const CjTracking *t = state;

	if (t->version != CJ_BINARY_VERSION || t->reserved[0] || t->reserved[1] ||
		t->reserved[2])
		return "The value has an unknown format version.";
	if (t->h.periods < 1 || t->h.periods > CJ_TRACKING_MAX_PERIODS ||
		(size != TRACKING_SIZE(t->h.periods) &&
		 size != TRACKING_FULL_SIZE(t->h.periods)))
		return "The number of periods does not match the size of the value.";
	return NULL;
}

static const CjStateType TrackingType = {"cj_tracking", offsetof(CjTracking, cum), TrackingCheck};

/* The low part of period j (zero for a value without them) */
static double
LowPart(const CjTracking *t, int j)
{
	return TRACKING_HAS_LO(t) ? TRACKING_LO(t)[j] : 0.0;
}

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
	CjTracking *t = MemoryContextAllocZero(mcxt, TRACKING_FULL_SIZE(h->periods));

	SET_VARSIZE(t, TRACKING_FULL_SIZE(h->periods));
	t->version = CJ_BINARY_VERSION;
	t->h = *h;
	return t;
}

/* t itself when it has low parts, else a copy with zero ones */
static CjTracking *
WithLowParts(CjTracking *t)
{
	CjTracking *n;

	if (TRACKING_HAS_LO(t))
		return t;
	n = NewTracking(CurrentMemoryContext, &t->h);
	memcpy(n->cum, t->cum, sizeof(double) * t->h.periods);
	return n;
}

/* Error (22003) for a total or count past the range of the type */
static void
TrackingOutOfRange(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("tracking total is out of range for type cj_tracking")));
}

/* Raise a core validation failure as a bad cj_tracking value */
static void
CheckTracking(const CjTrackingHead *h, const double *cum)
{
	CjError		err;

	if (!cj_tracking_head_check(h, &err) ||
		(cum && !cj_tracking_series_check(h, cum, &err)))
		cj_raise(&err, "invalid cj_tracking value");
}

/* Text input */
Datum
cj_tracking_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	double	   *cum = palloc(sizeof(double) * CJ_TRACKING_MAX_PERIODS);
	double	   *lo = palloc(sizeof(double) * CJ_TRACKING_MAX_PERIODS);
	CjTrackingHead h;
	CjTracking *t;
	CjError		err;

	if (!cj_tracking_parse_comp(s, &h, cum, lo, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_tracking", s, &err);
		PG_RETURN_NULL();
	}
	t = NewTracking(CurrentMemoryContext, &h);
	memcpy(t->cum, cum, sizeof(double) * h.periods);
	memcpy(TRACKING_LO(t), lo, sizeof(double) * h.periods);
	PG_RETURN_POINTER(t);
}

/* Text output: "start=.. length=.. customers=.. {c1,...}" */
Datum
cj_tracking_out(PG_FUNCTION_ARGS)
{
	CjTracking *t = cj_state_arg(fcinfo, 0, &TrackingType);
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
		if (LowPart(t, i) > 0.0)
			appendStringInfoChar(&buf, '+');
		if (LowPart(t, i) != 0.0)
			cj_append_float8(&buf, LowPart(t, i));
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary input: version, start, length, customers, periods, series, then,
 * when some total has a low part, the low parts (a value without them is
 * also the 1.1 form).
 */
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
	if (buf->cursor < buf->len)
		for (i = 0; i < h.periods; i++)
		{
			TRACKING_LO(t)[i] = pq_getmsgfloat8(buf);
			if (!cj_dd_valid(t->cum[i], TRACKING_LO(t)[i]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid binary data for type cj_tracking"),
						 errdetail("A low-order part must be finite and below half a unit in the last place of its total.")));
		}
	PG_RETURN_POINTER(t);
}

/* Binary output */
Datum
cj_tracking_send(PG_FUNCTION_ARGS)
{
	CjTracking *t = cj_state_arg(fcinfo, 0, &TrackingType);
	StringInfoData buf;
	bool		any_lo = false;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint64(&buf, t->h.start);
	pq_sendint64(&buf, t->h.length);
	pq_sendint64(&buf, t->h.customers);
	pq_sendint32(&buf, t->h.periods);
	for (i = 0; i < t->h.periods; i++)
	{
		pq_sendfloat8(&buf, t->cum[i]);
		any_lo |= LowPart(t, i) != 0.0;
	}
	if (any_lo)
		for (i = 0; i < t->h.periods; i++)
			pq_sendfloat8(&buf, TRACKING_LO(t)[i]);
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
		if (!(cum[j] >= 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("expected purchases are out of range for cj_tracking"),
					 errdetail("Got %g; an expected number of purchases is >= 0.", cum[j])));
	}
	c->valid[slot] = true;
	c->first[slot] = first;
	return cum;
}

/*
 * Add the series x[0..n) into the double-double totals (hi, lo): the
 * TwoSum of core/cj_diag.h's cj_dd_add without its per-element checks,
 * so that the elements do not wait on each other (this runs once per
 * customer over every period); overflow is looked for afterwards.  false
 * when a total overflowed (the state is then garbage, which is fine as
 * the caller raises an error).
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__AVX2__)
#define CJ_AVX2_DISPATCH 1
#include <immintrin.h>

/* The same four periods at a time, on CPUs with AVX2 (chosen at run time) */
__attribute__((target("avx2")))
static int
AddSeriesAvx2(double *restrict hi, double *restrict lo, const double *restrict x, int n)
{
	int			i = 0;

	for (; i + 4 <= n; i += 4)
	{
		__m256d		H = _mm256_loadu_pd(hi + i);
		__m256d		X = _mm256_loadu_pd(x + i);
		__m256d		S = _mm256_add_pd(H, X);
		__m256d		BP = _mm256_sub_pd(S, H);
		__m256d		E = _mm256_add_pd(_mm256_add_pd(_mm256_sub_pd(H, _mm256_sub_pd(S, BP)),
													_mm256_sub_pd(X, BP)),
									  _mm256_loadu_pd(lo + i));
		__m256d		HH = _mm256_add_pd(S, E);

		_mm256_storeu_pd(lo + i, _mm256_sub_pd(E, _mm256_sub_pd(HH, S)));
		_mm256_storeu_pd(hi + i, HH);
	}
	return i;
}
#endif

static bool
AddSeries(double *restrict hi, double *restrict lo, const double *restrict x, int n)
{
	int			i = 0;

#ifdef CJ_AVX2_DISPATCH
	static int	has_avx2 = -1;

	if (unlikely(has_avx2 < 0))
		has_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
	if (has_avx2)
		i = AddSeriesAvx2(hi, lo, x, n);
#endif
#ifdef __SSE2__
	/* two periods at a time: the same IEEE operations, element by element */
	for (; i + 2 <= n; i += 2)
	{
		__m128d		H = _mm_loadu_pd(hi + i);
		__m128d		X = _mm_loadu_pd(x + i);
		__m128d		S = _mm_add_pd(H, X);
		__m128d		BP = _mm_sub_pd(S, H);
		__m128d		E = _mm_add_pd(_mm_add_pd(_mm_sub_pd(H, _mm_sub_pd(S, BP)),
											  _mm_sub_pd(X, BP)),
								   _mm_loadu_pd(lo + i));
		__m128d		HH = _mm_add_pd(S, E);

		_mm_storeu_pd(lo + i, _mm_sub_pd(E, _mm_sub_pd(HH, S)));
		_mm_storeu_pd(hi + i, HH);
	}
#endif
	for (; i < n; i++)
	{
		double		s = hi[i] + x[i];
		double		bp = s - hi[i];
		double		e = ((hi[i] - (s - bp)) + (x[i] - bp)) + lo[i];
		double		h = s + e;

		lo[i] = e - (h - s);
		hi[i] = h;
	}
	for (i = 0; i < n; i++)
		if (unlikely(!isfinite(hi[i])))
			return false;
	return true;
}

/*
 * Transition: cj_tracking_add(state, model, first_purchase, period_start,
 * period_length, periods).  Rows with a NULL argument are skipped.
 */
Datum
cj_tracking_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = cj_agg_context(fcinfo, "cj_tracking_add");
	CjTrackingHead h;
	CjTracking *t;
	CjModel    *m;
	TrackingCache *c;
	const double *cum;
	double	   *lo;
	TimestampTz first;
	int			i;

	for (i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_POINTER(cj_state_arg(fcinfo, 0, &TrackingType));
		}
	h = ArgsHead(fcinfo);
	first = PG_GETARG_TIMESTAMPTZ(2);
	if (TIMESTAMP_NOT_FINITE(first))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_purchase must be finite")));
	t = PG_ARGISNULL(0) ? NewTracking(aggctx, &h) :
		WithLowParts(cj_state_arg(fcinfo, 0, &TrackingType));
	if (t->h.start != h.start || t->h.length != h.length || t->h.periods != h.periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period_start, period_length and periods must be the same for every row")));
	m = PG_GETARG_CJ_MODEL_P(1);
	cj_model_require_plain(m, "cj_tracking");
	c = GetCache(fcinfo, m, &h);
	cum = CustomerSeries(c, m, first);
	lo = TRACKING_LO(t);
	if (pg_add_s64_overflow(t->h.customers, 1, &t->h.customers))
		TrackingOutOfRange();
	/* periods ending before the first purchase add 0: a no-op on a pair */
	for (i = 0; i < h.periods && cum[i] == 0.0; i++)
		;
	if (!AddSeries(t->cum + i, lo + i, cum + i, h.periods - i))
		TrackingOutOfRange();
	PG_RETURN_POINTER(t);
}

/* Combine: add the series of arg 1 into arg 0 */
Datum
cj_tracking_combine(PG_FUNCTION_ARGS)
{
	CjTracking *a,
			   *b;
	Datum		result;
	bool		isnull;
	int			i;

	if (cj_state_combine_start(fcinfo, "cj_tracking_combine", &TrackingType,
							   &result, &isnull, (void **) &a, (void **) &b))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	if (a->h.start != b->h.start || a->h.length != b->h.length ||
		a->h.periods != b->h.periods)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine tracking series over different periods")));
	a = WithLowParts(a);
	if (pg_add_s64_overflow(a->h.customers, b->h.customers, &a->h.customers))
		TrackingOutOfRange();
	for (i = 0; i < a->h.periods; i++)
		if (!cj_dd_add(&a->cum[i], &TRACKING_LO(a)[i], b->cum[i], LowPart(b, i)))
			TrackingOutOfRange();
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

	if (SRF_IS_FIRSTCALL())
		(void) cj_state_arg(fcinfo, 0, &TrackingType);
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
