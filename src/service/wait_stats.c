/*-------------------------------------------------------------------------
 *
 * wait_stats.c
 *	  Service-level and wait-statistics aggregates and their shared state
 *	  type cj_wait_state.
 *
 * cj_service_level(wait, target) is the share of contacts answered within
 * their target; cj_wait_stats(wait) summarises waits (count, mean, min,
 * max exactly; p50/p90/p99 from a log-linear histogram, within 1.6 %).
 * Both states are fixed-size and add up, so the aggregates have combine
 * functions and run in parallel and as Citus partial aggregates.  The
 * text form (the one Citus ships between nodes) is exact:
 *		sl n=10 within=8
 *		ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1
 * (times in microseconds, buckets as index:count, ascending).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "core/service/waithist.h"
#include "core/common/text.h"
#include "core/service/wait_state.h"
#include "common/state.h"

#define WS_SERVICE_LEVEL 1
#define WS_WAIT_STATS 2

typedef struct WaitState
{
	int32		vl_len_;
	uint8		version;		/* CJ_BINARY_VERSION */
	uint8		kind;			/* WS_SERVICE_LEVEL or WS_WAIT_STATS */
	uint16		reserved16;		/* must be zero */
	int32		reserved;		/* must be zero */
	int64		n;				/* waits counted */
	int64		within;			/* answered within target (service level) */
	int64		sum;			/* total wait, microseconds (wait stats) */
	int64		min;
	int64		max;
	int64		counts[FLEXIBLE_ARRAY_MEMBER];	/* CJ_WAITHIST_BUCKETS (stats) */
} WaitState;

#define WS_SIZE(kind) (offsetof(WaitState, counts) + \
	((kind) == WS_WAIT_STATS ? sizeof(int64) * CJ_WAITHIST_BUCKETS : 0))
#define PG_GETARG_WS_P(n) ((WaitState *) cj_state_arg(fcinfo, (n), &WsType))

static const char *WsCheck(const void *state, Size size);

static const CjStateType WsType = {"cj_wait_state", offsetof(WaitState, counts), WsCheck};

PG_FUNCTION_INFO_V1(cj_wait_state_in);
PG_FUNCTION_INFO_V1(cj_wait_state_out);
PG_FUNCTION_INFO_V1(cj_wait_state_recv);
PG_FUNCTION_INFO_V1(cj_wait_state_send);
PG_FUNCTION_INFO_V1(cj_service_level_trans);
PG_FUNCTION_INFO_V1(cj_wait_stats_trans);
PG_FUNCTION_INFO_V1(cj_wait_state_combine);
PG_FUNCTION_INFO_V1(cj_service_level_final);
PG_FUNCTION_INFO_V1(cj_wait_stats_final);

/* Header check of a received state (see common/state.h) */
static const char *
WsCheck(const void *state, Size size)
{
	const WaitState *s = state;

	if (s->version != CJ_BINARY_VERSION)
		return "The state has an unknown format version.";
	if (s->kind != WS_SERVICE_LEVEL && s->kind != WS_WAIT_STATS)
		return "The state kind must be \"sl\" or \"ws\".";
	if (size != WS_SIZE(s->kind) || s->reserved16 != 0 || s->reserved != 0)
		return "The size of the state does not match its kind.";
	return NULL;
}

/* A state argument of the given kind; 22023 for the other kind */
static WaitState *
WsArg(FunctionCallInfo fcinfo, int argno, int kind)
{
	WaitState  *s = PG_GETARG_WS_P(argno);

	if (s->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cj_wait_state is not a %s state",
						kind == WS_SERVICE_LEVEL ? "service-level" : "wait-statistics"),
				 errdetail("Service-level states start with \"sl\", wait-statistics states with \"ws\".")));
	return s;
}

/* A new empty state of a kind, in memory context cxt */
static WaitState *
WsNew(int kind, MemoryContext cxt)
{
	WaitState  *s = MemoryContextAllocZero(cxt, WS_SIZE(kind));

	SET_VARSIZE(s, WS_SIZE(kind));
	s->version = CJ_BINARY_VERSION;
	s->kind = kind;
	return s;
}

/* The core form of a state (counts zero for service level) */
static void
WsToCore(const WaitState *s, CjWaitState *c)
{
	memset(c, 0, sizeof(*c));
	c->kind = s->kind;
	c->n = s->n;
	c->within = s->within;
	c->sum = s->sum;
	c->min = s->min;
	c->max = s->max;
	if (s->kind == WS_WAIT_STATS)
		memcpy(c->counts, s->counts, sizeof(int64) * CJ_WAITHIST_BUCKETS);
}

/* A state from its validated core form, in the current context */
static WaitState *
WsFromCore(const CjWaitState *c)
{
	WaitState  *s = WsNew(c->kind, CurrentMemoryContext);

	s->n = c->n;
	s->within = c->within;
	s->sum = c->sum;
	s->min = c->min;
	s->max = c->max;
	if (c->kind == WS_WAIT_STATS)
		memcpy(s->counts, c->counts, sizeof(int64) * CJ_WAITHIST_BUCKETS);
	return s;
}

/*
 * Check a decoded state: NULL when valid, else a detail sentence.  The
 * rules are the core's (core/service/wait_state.c), shared by text and
 * binary input.
 */
static const char *
WsInvalid(const WaitState *s)
{
	CjWaitState *c = palloc(sizeof(CjWaitState));
	CjError		err;

	if (s->kind != WS_SERVICE_LEVEL && s->kind != WS_WAIT_STATS)
		return "The state kind must be \"sl\" or \"ws\".";
	WsToCore(s, c);
	if (cj_wait_state_validate(c, &err))
		return NULL;
	return pstrdup(err.detail);
}

/* Text input (parsed and validated by the core) */
Datum
cj_wait_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjWaitState *c = palloc(sizeof(CjWaitState));
	CjError		err;

	if (!cj_wait_state_parse(str, c, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_wait_state", str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(WsFromCore(c));
}

/* Text output */
Datum
cj_wait_state_out(PG_FUNCTION_ARGS)
{
	WaitState  *s = PG_GETARG_WS_P(0);
	CjWaitState *c = palloc(sizeof(CjWaitState));
	char	   *buf = palloc(CJ_WAIT_STATE_TEXT_MAX);

	WsToCore(s, c);
	cj_wait_state_format(c, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary input: version byte, kind byte, int64 n, within, sum, min, max,
 * then (wait stats) int32 number of non-empty buckets and int32 index /
 * int64 count pairs in ascending index order.  The decoded state must
 * pass every check of the text input.
 */
Datum
cj_wait_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjWaitState *c = palloc0(sizeof(CjWaitState));
	int			nb,
				i,
				prev = -1;
	const char *bad = NULL;
	WaitState  *s;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_wait_state");
	c->kind = pq_getmsgbyte(buf);
	c->n = pq_getmsgint64(buf);
	c->within = pq_getmsgint64(buf);
	c->sum = pq_getmsgint64(buf);
	c->min = pq_getmsgint64(buf);
	c->max = pq_getmsgint64(buf);
	nb = c->kind == WS_WAIT_STATS ? pq_getmsgint(buf, 4) : 0;
	if (nb < 0 || nb > CJ_WAITHIST_BUCKETS)
		bad = "The number of buckets is out of range.";
	for (i = 0; bad == NULL && i < nb; i++)
	{
		int			idx = pq_getmsgint(buf, 4);

		if (idx <= prev || idx >= CJ_WAITHIST_BUCKETS)
			bad = psprintf("Bucket indexes must ascend and be below %d.", CJ_WAITHIST_BUCKETS);
		else
		{
			c->counts[idx] = pq_getmsgint64(buf);
			prev = idx;
		}
	}
	if (bad == NULL && (c->kind == WS_SERVICE_LEVEL || c->kind == WS_WAIT_STATS))
	{
		s = WsFromCore(c);
		bad = WsInvalid(s);
		if (bad == NULL)
			PG_RETURN_POINTER(s);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary data for type cj_wait_state"),
			 errdetail("%s", bad ? bad : "The state kind must be \"sl\" or \"ws\".")));
	PG_RETURN_NULL();
}

/* Binary output (see cj_wait_state_recv) */
Datum
cj_wait_state_send(PG_FUNCTION_ARGS)
{
	WaitState  *s = PG_GETARG_WS_P(0);
	StringInfoData buf;
	int			b,
				nb = 0;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendbyte(&buf, s->kind);
	pq_sendint64(&buf, s->n);
	pq_sendint64(&buf, s->within);
	pq_sendint64(&buf, s->sum);
	pq_sendint64(&buf, s->min);
	pq_sendint64(&buf, s->max);
	if (s->kind == WS_WAIT_STATS)
	{
		for (b = 0; b < CJ_WAITHIST_BUCKETS; b++)
			nb += s->counts[b] != 0;
		pq_sendint32(&buf, nb);
		for (b = 0; b < CJ_WAITHIST_BUCKETS; b++)
		{
			if (s->counts[b] == 0)
				continue;
			pq_sendint32(&buf, b);
			pq_sendint64(&buf, s->counts[b]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Exact length of a wait in microseconds; negative waits are errors */
static int64
WaitMicros(Interval *iv, const char *what)
{
	int64		us;

	(void) cj_interval_seconds(iv, what, false);	/* rejects months */
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, iv->time, &us))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what)));
	if (us < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what)));
	return us;
}

/* Count one more wait; 22003 past int64 (a state given as INITCOND) */
static void
CountOne(int64 *n)
{
	if (pg_add_s64_overflow(*n, 1, n))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("wait count is out of range")));
}

/* The running state, created lazily in the aggregate context */
static WaitState *
WsTransState(FunctionCallInfo fcinfo, int kind)
{
	MemoryContext aggcxt = cj_agg_context(fcinfo, kind == WS_SERVICE_LEVEL ?
										  "cj_service_level_trans" :
										  "cj_wait_stats_trans");

	if (PG_ARGISNULL(0))
		return WsNew(kind, aggcxt);
	return WsArg(fcinfo, 0, kind);
}

/* cj_service_level transition: count the wait and whether it met target */
Datum
cj_service_level_trans(PG_FUNCTION_ARGS)
{
	WaitState  *s;
	int64		wait,
				target;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(WsArg(fcinfo, 0, WS_SERVICE_LEVEL));
	}
	wait = WaitMicros(PG_GETARG_INTERVAL_P(1), "wait");
	target = WaitMicros(PG_GETARG_INTERVAL_P(2), "target");
	s = WsTransState(fcinfo, WS_SERVICE_LEVEL);
	CountOne(&s->n);
	if (wait <= target)
		CountOne(&s->within);
	PG_RETURN_POINTER(s);
}

/* cj_wait_stats transition: count, sum, extremes and histogram */
Datum
cj_wait_stats_trans(PG_FUNCTION_ARGS)
{
	WaitState  *s;
	int64		wait;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(WsArg(fcinfo, 0, WS_WAIT_STATS));
	}
	wait = WaitMicros(PG_GETARG_INTERVAL_P(1), "wait");
	if (wait >= CJ_WAITHIST_LIMIT_US)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("wait is out of range for cj_wait_stats"),
				 errdetail("Percentiles are kept for waits shorter than 2^39 ms (about 17.4 years).")));
	s = WsTransState(fcinfo, WS_WAIT_STATS);
	if (pg_add_s64_overflow(s->sum, wait, &s->sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("total wait is out of range")));
	if (s->n == 0 || wait < s->min)
		s->min = wait;
	if (s->n == 0 || wait > s->max)
		s->max = wait;
	CountOne(&s->n);
	s->counts[cj_waithist_bucket(wait)]++;
	PG_RETURN_POINTER(s);
}

/* Combine two partial states of the same kind */
Datum
cj_wait_state_combine(PG_FUNCTION_ARGS)
{
	WaitState  *a,
			   *b;
	Datum		result;
	bool		isnull;
	int			i;

	if (cj_state_combine_start(fcinfo, "cj_wait_state_combine", &WsType,
							   &result, &isnull, (void **) &a, (void **) &b))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	if (a->kind != b->kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine a service-level state with a wait-statistics state")));
	if (b->n > 0 && (a->n == 0 || b->min < a->min))
		a->min = b->min;
	if (b->n > 0 && (a->n == 0 || b->max > a->max))
		a->max = b->max;
	if (pg_add_s64_overflow(a->n, b->n, &a->n) ||
		pg_add_s64_overflow(a->within, b->within, &a->within) ||
		pg_add_s64_overflow(a->sum, b->sum, &a->sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("wait totals are out of range")));
	if (a->kind == WS_WAIT_STATS)
		for (i = 0; i < CJ_WAITHIST_BUCKETS; i++)
			a->counts[i] += b->counts[i];
	PG_RETURN_POINTER(a);
}

/*
 * The state a final function summarises: NULL when there is none or it
 * counted no waits; an error when it is of the other kind.
 */
static WaitState *
WsFinalState(FunctionCallInfo fcinfo, int kind)
{
	WaitState  *s;

	if (PG_ARGISNULL(0))
		return NULL;
	s = WsArg(fcinfo, 0, kind);
	return s->n > 0 ? s : NULL;
}

/* Share answered within target; NULL for no waits */
Datum
cj_service_level_final(PG_FUNCTION_ARGS)
{
	WaitState  *s = WsFinalState(fcinfo, WS_SERVICE_LEVEL);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s->within / (double) s->n);
}

/* An interval of us microseconds */
static Datum
MicrosInterval(int64 us)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->time = us;
	return IntervalPGetDatum(iv);
}

/*
 * sum / n rounded half up, without overflow (sum + n / 2 can pass int64
 * when the total wait is near its limit): sum, n > 0.
 */
static int64
RoundedMean(int64 sum, int64 n)
{
	int64		q = sum / n;
	int64		r = sum % n;

	return r >= n - r ? q + 1 : q;
}

/* cj_wait_summary (n, mean, min, p50, p90, p99, max); NULL for no waits */
Datum
cj_wait_stats_final(PG_FUNCTION_ARGS)
{
	WaitState  *s = WsFinalState(fcinfo, WS_WAIT_STATS);
	TupleDesc	desc;
	Datum		v[7];
	bool		nulls[7] = {0};

	if (s == NULL)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	v[0] = Int64GetDatum(s->n);
	v[1] = MicrosInterval(RoundedMean(s->sum, s->n));
	v[2] = MicrosInterval(s->min);
	v[3] = MicrosInterval(cj_waithist_quantile(s->counts, s->n, 0.5, s->min, s->max));
	v[4] = MicrosInterval(cj_waithist_quantile(s->counts, s->n, 0.9, s->min, s->max));
	v[5] = MicrosInterval(cj_waithist_quantile(s->counts, s->n, 0.99, s->min, s->max));
	v[6] = MicrosInterval(s->max);
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, v, nulls)));
}
