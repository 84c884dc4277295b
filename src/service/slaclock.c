/*-------------------------------------------------------------------------
 *
 * slaclock.c
 *	  Paused SLA clocks: the ordered aggregate
 *	  cj_sla_clock(status, at [, calendar [, target]] ORDER BY at) over a
 *	  ticket's status events (running, paused, stopped), its state type
 *	  cj_sla_clock_state and the accessors of the state.
 *
 * The clock runs between a "running" event and the next event; the
 * business time of those stretches is summed exactly (microseconds).  With
 * a target, the state also records whether and when the running clock
 * used up the target.  The result depends on the order of the events, so
 * the aggregate is called with ORDER BY at and has no combine function:
 * PostgreSQL never splits an aggregate with ORDER BY into partial
 * aggregates, and events out of order are an error, never a wrong sum.
 *
 * Text form, exact and independent of DateStyle and TimeZone:
 *		'running since 2026-03-06 16:30:00+00, consumed 5400000000 us,
 *		 target 7200000000 us, breached at 2026-03-09 08:30:00+00'
 * (instants in UTC, to the microsecond; target and breach optional).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "common/state.h"
#include "core/common/text.h"
#include "core/service/calendar.h"
#include "service/calendar.h"

typedef enum ClockStatus
{
	CLOCK_NONE = 0,
	CLOCK_RUNNING,
	CLOCK_PAUSED,
	CLOCK_STOPPED
} ClockStatus;

static const char *const status_names[] = {"none", "running", "paused", "stopped"};

typedef struct ClockState
{
	int32		vl_len_;
	uint8		version;
	uint8		status;			/* ClockStatus */
	uint8		has_target;
	uint8		breached;
	int32		reserved;		/* zero */
	int64		last_at;		/* instant of the last event */
	int64		consumed_us;	/* business time the clock has run */
	int64		target_us;		/* when has_target */
	int64		breached_at;	/* when breached */
} ClockState;

PG_FUNCTION_INFO_V1(cj_sla_clock_state_in);
PG_FUNCTION_INFO_V1(cj_sla_clock_state_out);
PG_FUNCTION_INFO_V1(cj_sla_clock_state_recv);
PG_FUNCTION_INFO_V1(cj_sla_clock_state_send);
PG_FUNCTION_INFO_V1(cj_sla_clock_trans);
PG_FUNCTION_INFO_V1(cj_sla_clock_consumed);
PG_FUNCTION_INFO_V1(cj_sla_clock_remaining);
PG_FUNCTION_INFO_V1(cj_sla_clock_breached);
PG_FUNCTION_INFO_V1(cj_sla_clock_breached_at);
PG_FUNCTION_INFO_V1(cj_sla_clock_status);
PG_FUNCTION_INFO_V1(cj_sla_clock_due);

/* Instants a state holds: within timestamptz, from year 1 (the text form has no BC) */
#define CLOCK_MIN_AT (-INT64CONST(63082281600000000))	/* 0001-01-01 00:00 UTC */
#define VALID_AT(t) ((t) >= CLOCK_MIN_AT && IS_VALID_TIMESTAMP(t))

/* Check every field; false when the state is not one the code makes */
static bool
ClockValid(const ClockState *s)
{
	return s->version == CJ_BINARY_VERSION && s->status <= CLOCK_STOPPED &&
		s->has_target <= 1 && s->breached <= 1 && s->reserved == 0 &&
		VALID_AT(s->last_at) && s->consumed_us >= 0 &&
		(s->has_target ? s->target_us > 0 : s->target_us == 0) &&
		(s->breached ? s->has_target && VALID_AT(s->breached_at) &&
		 s->breached_at <= s->last_at && s->consumed_us > s->target_us
		 : s->breached_at == 0 && (!s->has_target || s->consumed_us <= s->target_us)) &&
		(s->status != CLOCK_NONE || (s->consumed_us == 0 && s->last_at == 0));
}

/* Detoast and check a state argument */
static ClockState *
GetClock(Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM(d);
	ClockState *s = (ClockState *) v;

	if (VARSIZE(v) != sizeof(ClockState) || !ClockValid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid cj_sla_clock_state value")));
	return s;
}

/* Append an instant as "YYYY-MM-DD HH:MM:SS[.ffffff]+00" */
static void
AppendInstant(StringInfo buf, int64 t)
{
	int64		days = t >= 0 ? t / USECS_PER_DAY : -((-t + USECS_PER_DAY - 1) / USECS_PER_DAY);
	int64		us = t - days * USECS_PER_DAY;
	int64		y;
	int			m,
				d;

	cj_civil_from_days(days, &y, &m, &d);
	appendStringInfo(buf, "%04d-%02d-%02d %02d:%02d:%02d", (int) y, m, d,
					 (int) (us / USECS_PER_HOUR), (int) (us / USECS_PER_MINUTE % 60),
					 (int) (us / USECS_PER_SEC % 60));
	if (us % USECS_PER_SEC)
		appendStringInfo(buf, ".%06d", (int) (us % USECS_PER_SEC));
	appendStringInfoString(buf, "+00");
}

/* Text output */
Datum
cj_sla_clock_state_out(PG_FUNCTION_ARGS)
{
	ClockState *s = GetClock(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, status_names[s->status]);
	if (s->status != CLOCK_NONE)
	{
		appendStringInfoString(&buf, " since ");
		AppendInstant(&buf, s->last_at);
	}
	appendStringInfo(&buf, ", consumed " INT64_FORMAT " us", s->consumed_us);
	if (s->has_target)
		appendStringInfo(&buf, ", target " INT64_FORMAT " us", s->target_us);
	if (s->breached)
	{
		appendStringInfoString(&buf, ", breached at ");
		AppendInstant(&buf, s->breached_at);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Parse n digits (n > 0) or, with n = 0, 4 to 6 digits */
static bool
Digits(const char **p, int n, int *out)
{
	int			v = 0,
				k = 0;
	int			max = n ? n : 6;

	while (k < max && (*p)[k] >= '0' && (*p)[k] <= '9')
	{
		v = v * 10 + ((*p)[k] - '0');
		k++;
	}
	if (n ? k != n : k < 4)
		return false;
	*p += k;
	*out = v;
	return true;
}

/* Parse "YYYY-MM-DD HH:MM:SS[.ffffff]+00" (years 1 to 294276) */
static bool
ParseInstant(const char **p, int64 *t)
{
	int			y,
				mo,
				d,
				h,
				mi,
				sec,
				frac = 0;
	const char *s = cj_skip_space(*p);
	int64		yy;
	int			mm,
				dd;

	if (!Digits(&s, 0, &y) || *s++ != '-' || !Digits(&s, 2, &mo) || *s++ != '-' ||
		!Digits(&s, 2, &d) || *s++ != ' ' || !Digits(&s, 2, &h) || *s++ != ':' ||
		!Digits(&s, 2, &mi) || *s++ != ':' || !Digits(&s, 2, &sec))
		return false;
	if (*s == '.' && (s++, !Digits(&s, 6, &frac)))
		return false;
	if (strncmp(s, "+00", 3) != 0 || y < 1 || y > 294276 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
		h > 23 || mi > 59 || sec > 59)
		return false;
	cj_civil_from_days(cj_days_from_civil(y, mo, d), &yy, &mm, &dd);
	if (yy != y || mm != mo || dd != d)
		return false;			/* 2026-02-30 */
	*t = cj_days_from_civil(y, mo, d) * USECS_PER_DAY + h * USECS_PER_HOUR +
		mi * USECS_PER_MINUTE + sec * USECS_PER_SEC + frac;
	*p = s + 3;
	return true;
}

/* Parse " word" */
static bool
Word(const char **p, const char *w)
{
	const char *s = cj_skip_space(*p);
	size_t		n = strlen(w);

	if (strncmp(s, w, n) != 0)
		return false;
	*p = s + n;
	return true;
}

/* Text input (see the file header) */
Datum
cj_sla_clock_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	ClockState *s = palloc0(sizeof(ClockState));
	int			i;
	bool		ok = false;

	SET_VARSIZE(s, sizeof(ClockState));
	s->version = CJ_BINARY_VERSION;
	for (i = 0; i < 4; i++)
		if (Word(&p, status_names[i]))
		{
			s->status = (uint8) i;
			ok = true;
			break;
		}
	if (ok && s->status != CLOCK_NONE)
		ok = Word(&p, "since") && ParseInstant(&p, &s->last_at);
	ok = ok && Word(&p, ",") && Word(&p, "consumed") &&
		cj_parse_int64(&p, &s->consumed_us) && Word(&p, "us");
	if (ok && Word(&p, ", target"))
	{
		s->has_target = 1;
		ok = cj_parse_int64(&p, &s->target_us) && Word(&p, "us");
	}
	if (ok && Word(&p, ", breached at"))
	{
		s->breached = 1;
		ok = ParseInstant(&p, &s->breached_at);
	}
	if (!ok || !cj_at_end(p))
		cj_ereturn(CJ_ESCONTEXT(fcinfo), (Datum) 0,
				   (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				   errmsg("invalid input syntax for type cj_sla_clock_state: \"%s\"", str),
				   errdetail("Expected e.g. \"running since 2026-03-06 16:30:00+00, consumed 0 us, target 7200000000 us\".")));
	if (!ClockValid(s))
		cj_ereturn(CJ_ESCONTEXT(fcinfo), (Datum) 0,
				   (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				   errmsg("invalid value for type cj_sla_clock_state: \"%s\"", str),
				   errdetail("Consumed time is not negative, a target is positive, and a clock is breached exactly when it consumed more than its target, at or before its last event.")));
	PG_RETURN_POINTER(s);
}

/* Binary input: version, status, target flag, breached flag, four int64 */
Datum
cj_sla_clock_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ClockState *s = palloc0(sizeof(ClockState));

	SET_VARSIZE(s, sizeof(ClockState));
	cj_check_binary_version(pq_getmsgbyte(buf), "cj_sla_clock_state");
	s->version = CJ_BINARY_VERSION;
	s->status = pq_getmsgbyte(buf);
	s->has_target = pq_getmsgbyte(buf);
	s->breached = pq_getmsgbyte(buf);
	s->last_at = pq_getmsgint64(buf);
	s->consumed_us = pq_getmsgint64(buf);
	s->target_us = pq_getmsgint64(buf);
	s->breached_at = pq_getmsgint64(buf);
	if (!ClockValid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_sla_clock_state")));
	PG_RETURN_POINTER(s);
}

/* Binary output */
Datum
cj_sla_clock_state_send(PG_FUNCTION_ARGS)
{
	ClockState *s = GetClock(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendbyte(&buf, s->status);
	pq_sendbyte(&buf, s->has_target);
	pq_sendbyte(&buf, s->breached);
	pq_sendint64(&buf, s->last_at);
	pq_sendint64(&buf, s->consumed_us);
	pq_sendint64(&buf, s->target_us);
	pq_sendint64(&buf, s->breached_at);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Status name to ClockStatus; unknown: 22023 */
static ClockStatus
ParseStatus(text *t)
{
	char	   *s = text_to_cstring(t);
	int			i;

	for (i = CLOCK_RUNNING; i <= CLOCK_STOPPED; i++)
		if (strcmp(s, status_names[i]) == 0)
			return (ClockStatus) i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown clock status \"%s\"", s),
			 errdetail("Events have status running, paused or stopped.")));
	pg_unreachable();
}

/*
 * The target of a clock: the first event's sets it, and every later event
 * must give the same (NULL for none): a clock has one target, and taking
 * the first of several would depend on the order of tied events.
 */
static void
ClockTarget(ClockState *s, FunctionCallInfo fcinfo)
{
	int64		target = 0;

	if (!PG_ARGISNULL(4))
	{
		target = cj_duration_us(PG_GETARG_INTERVAL_P(4), "target");
		if (target <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target must be positive")));
	}
	if (s->status == CLOCK_NONE)
	{
		s->target_us = target;
		s->has_target = target > 0;
	}
	else if (s->target_us != target)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target must be the same for every event of a clock")));
}

/*
 * Transition: cj_sla_clock_trans(state, status, at [, calendar [, target]]).
 * Non-strict: the state starts NULL and NULL events are ignored.
 */
Datum
cj_sla_clock_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ClockState *s;
	ClockStatus next;
	TimestampTz at;
	CalCache   *cal = NULL;

	aggcxt = cj_agg_context(fcinfo, "cj_sla_clock_trans");
	if (PG_ARGISNULL(0))
	{
		s = MemoryContextAllocZero(aggcxt, sizeof(ClockState));
		SET_VARSIZE(s, sizeof(ClockState));
		s->version = CJ_BINARY_VERSION;
	}
	else
	{
		s = GetClock(PG_GETARG_DATUM(0));
		/* a detoasted copy lives in a short-lived context: keep it in aggcxt */
		if ((Pointer) s != DatumGetPointer(PG_GETARG_DATUM(0)))
		{
			ClockState *copy = MemoryContextAlloc(aggcxt, sizeof(ClockState));

			memcpy(copy, s, sizeof(ClockState));
			s = copy;
		}
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);
	if (PG_NARGS() > 4)
		ClockTarget(s, fcinfo);
	next = ParseStatus(PG_GETARG_TEXT_PP(1));
	at = PG_GETARG_TIMESTAMPTZ(2);
	if (!VALID_AT(at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("event instants must be finite and in year 1 or later")));
	if (s->status != CLOCK_NONE && at < s->last_at)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("clock events out of order"),
				 errhint("Call the aggregate with ORDER BY at: cj_sla_clock(status, at ORDER BY at).")));
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		cal = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(3));
	if (s->status == CLOCK_RUNNING)
	{
		int64		run = 0;
		int64		total;

		/* wall-clock time from year 1 to 294276 passes int64 microseconds */
		if (cal)
			run = cj_calendar_time(cal, s->last_at, at);
		if ((!cal && pg_sub_s64_overflow(at, s->last_at, &run)) ||
			pg_add_s64_overflow(s->consumed_us, run, &total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("consumed time out of range")));
		if (s->has_target && !s->breached && total > s->target_us)
		{
			int64		left = s->target_us - s->consumed_us;

			/* the instant the target ran out: the earliest with that business time */
			s->breached_at = cal ? cj_calendar_add(cal, s->last_at, left) : s->last_at + left;
			s->breached = 1;
		}
		s->consumed_us = total;
	}
	s->status = (uint8) next;
	s->last_at = at;
	PG_RETURN_POINTER(s);
}

/* Time-only interval */
static Interval *
Micros(int64 us)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->time = us;
	return iv;
}

/* Business time the clock ran */
Datum
cj_sla_clock_consumed(PG_FUNCTION_ARGS)
{
	PG_RETURN_INTERVAL_P(Micros(GetClock(PG_GETARG_DATUM(0))->consumed_us));
}

/* target - consumed (negative once breached); NULL without a target */
Datum
cj_sla_clock_remaining(PG_FUNCTION_ARGS)
{
	ClockState *s = GetClock(PG_GETARG_DATUM(0));

	if (!s->has_target)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(Micros(s->target_us - s->consumed_us));
}

/* Whether the target ran out by the last event; NULL without a target */
Datum
cj_sla_clock_breached(PG_FUNCTION_ARGS)
{
	ClockState *s = GetClock(PG_GETARG_DATUM(0));

	if (!s->has_target)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(s->breached);
}

/* When the target ran out; NULL when it has not (by the last event) */
Datum
cj_sla_clock_breached_at(PG_FUNCTION_ARGS)
{
	ClockState *s = GetClock(PG_GETARG_DATUM(0));

	if (!s->breached)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(s->breached_at);
}

/* Status after the last event */
Datum
cj_sla_clock_status(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(status_names[GetClock(PG_GETARG_DATUM(0))->status]));
}

/*
 * cj_sla_clock_due(state, calendar): when the target runs (or ran) out:
 * the breach instant once breached; for a running clock, the last event
 * plus the remaining budget in business time; NULL for a paused or
 * stopped clock that has not breached, or without a target.
 */
Datum
cj_sla_clock_due(PG_FUNCTION_ARGS)
{
	ClockState *s = GetClock(PG_GETARG_DATUM(0));
	CalCache   *cal = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(1));

	if (!s->has_target)
		PG_RETURN_NULL();
	if (s->breached)
		PG_RETURN_TIMESTAMPTZ(s->breached_at);
	if (s->status != CLOCK_RUNNING)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(cj_calendar_add(cal, s->last_at, s->target_us - s->consumed_us));
}
