/*-------------------------------------------------------------------------
 *
 * calendar.c
 *	  The cj_calendar type and business-time functions: cj_business_add,
 *	  cj_business_time, calendar-aware cj_due and cj_sla_status, and
 *	  cj_due_resume.
 *
 * The core (core/service/calendar.c) stores the zone name and does the
 * arithmetic; this file resolves the name with PostgreSQL's time-zone
 * database (pg_tzset, as timezone(text, timestamptz) does) and answers the
 * core's offset callback with pg_next_dst_boundary.  Like core's
 * timezone(text, timestamptz), the functions are IMMUTABLE: their results
 * depend on the tz database of the server, so stored due times must be
 * recomputed after a tz database update changes a zone's rules (see
 * doc/calendar.md).
 *
 * The decoded calendar (about 20 kB of tables) and its pg_tz are cached in
 * fn_extra and reused while the argument's bytes stay the same, so a
 * constant calendar over millions of rows is decoded once.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "core/service/calendar.h"
#include "service/calendar.h"
#include "service/sla.h"

/* Seconds from 1970-01-01 (pg_time_t) to 2000-01-01 (timestamptz) */
#define EPOCH_SHIFT ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* Offset segments cached per call site (two per year in DST zones) */
#define CAL_SEGMENTS 8

/* Fixed header of the on-disk form; zone, intervals and dates follow */
typedef struct CalHeader
{
	uint8		version;		/* CJ_BINARY_VERSION */
	uint8		zonelen;
	uint8		nint[7];
	uint8		reserved;		/* zero */
	int32		nclosed;
} CalHeader;

struct CalCache
{
	Size		len;			/* payload bytes of the cached value */
	char	   *bytes;
	CjCalendar	cal;
	pg_tz	   *tz;
	/* offset segments the tz database gave: [lo, hi) at off */
	int			nseg;
	int			nextseg;		/* slot to reuse next */
	struct
	{
		int64		lo;
		int64		hi;
		int64		off;
	}			seg[CAL_SEGMENTS];
};

PG_FUNCTION_INFO_V1(cj_calendar_in);
PG_FUNCTION_INFO_V1(cj_calendar_out);
PG_FUNCTION_INFO_V1(cj_calendar_recv);
PG_FUNCTION_INFO_V1(cj_calendar_send);
PG_FUNCTION_INFO_V1(cj_calendar_eq);
PG_FUNCTION_INFO_V1(cj_calendar_ne);
PG_FUNCTION_INFO_V1(cj_calendar_zone);
PG_FUNCTION_INFO_V1(cj_business_add);
PG_FUNCTION_INFO_V1(cj_business_time);
PG_FUNCTION_INFO_V1(cj_due_calendar);
PG_FUNCTION_INFO_V1(cj_sla_status_calendar);
PG_FUNCTION_INFO_V1(cj_due_resume);
PG_FUNCTION_INFO_V1(cj_due_resume_calendar);

/* Resolve a zone name; unknown or leap-second zones: 22023 */
static pg_tz *
ResolveZone(const char *name)
{
	pg_tz	   *tz = pg_tzset(name);

	if (tz == NULL || !pg_tz_acceptable(tz))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", name),
				 errdetail("A calendar names a time zone of the server's time zone database, such as \"Europe/Paris\" or \"UTC\".")));
	return tz;
}

/* Pack a prepared calendar into its on-disk form */
static bytea *
CalPack(const CjCalendar *cal)
{
	CalHeader	h;
	Size		nints = 0,
				size;
	char	   *p;
	bytea	   *result;
	int			d;

	memset(&h, 0, sizeof(h));
	h.version = CJ_BINARY_VERSION;
	h.zonelen = (uint8) strlen(cal->zone);
	for (d = 0; d < 7; d++)
	{
		h.nint[d] = (uint8) cal->nint[d];
		nints += cal->nint[d];
	}
	h.nclosed = cal->nclosed;
	size = VARHDRSZ + sizeof(h) + h.zonelen + nints * 2 * sizeof(int32) +
		(Size) cal->nclosed * sizeof(int32);
	result = palloc0(size);
	SET_VARSIZE(result, size);
	p = VARDATA(result);
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	memcpy(p, cal->zone, h.zonelen);
	p += h.zonelen;
	for (d = 0; d < 7; d++)
	{
		int			i;

		for (i = 0; i < cal->nint[d]; i++)
		{
			memcpy(p, &cal->ints[d][i].start, sizeof(int32));
			memcpy(p + sizeof(int32), &cal->ints[d][i].end, sizeof(int32));
			p += 2 * sizeof(int32);
		}
	}
	memcpy(p, cal->closed, (Size) cal->nclosed * sizeof(int32));
	return result;
}

/* Decode the on-disk payload into cal (prepared); corrupt data: ERROR */
static void
CalUnpack(const char *p, Size len, CjCalendar *cal)
{
	CalHeader	h;
	Size		need;
	int			d;
	CjError		err;

	if (len < sizeof(h))
		elog(ERROR, "corrupt cj_calendar value");
	memcpy(&h, p, sizeof(h));
	memset(cal, 0, offsetof(CjCalendar, npieces));
	need = sizeof(h) + h.zonelen + (Size) Max(h.nclosed, 0) * sizeof(int32);
	for (d = 0; d < 7; d++)
		need += (Size) h.nint[d] * 2 * sizeof(int32);
	if (h.version != CJ_BINARY_VERSION || h.nclosed < 0 ||
		h.nclosed > CJ_CAL_MAX_CLOSED || need != len)
		elog(ERROR, "corrupt cj_calendar value");
	for (d = 0; d < 7; d++)
		if (h.nint[d] > CJ_CAL_MAX_PER_DAY)
			elog(ERROR, "corrupt cj_calendar value");
	p += sizeof(h);
	memcpy(cal->zone, p, h.zonelen);
	p += h.zonelen;
	for (d = 0; d < 7; d++)
	{
		int			i;

		cal->nint[d] = h.nint[d];
		for (i = 0; i < cal->nint[d]; i++)
		{
			memcpy(&cal->ints[d][i].start, p, sizeof(int32));
			memcpy(&cal->ints[d][i].end, p + sizeof(int32), sizeof(int32));
			p += 2 * sizeof(int32);
		}
	}
	cal->nclosed = h.nclosed;
	memcpy(cal->closed, p, (Size) h.nclosed * sizeof(int32));
	if (!cj_calendar_prepare(cal, &err))
		elog(ERROR, "corrupt cj_calendar value: %s", err.detail);
}

/* Text input: 'Europe/Paris; mon-fri 09:00-18:00; closed 2026-12-25' */
Datum
cj_calendar_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjCalendar *cal = palloc(sizeof(CjCalendar));
	CjError		err;
	pg_tz	   *tz;

	if (!cj_calendar_parse(str, cal, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_calendar", str, &err);
		PG_RETURN_NULL();
	}
	tz = pg_tzset(cal->zone);
	if (tz == NULL || !pg_tz_acceptable(tz))
	{
		cj_ereturn(CJ_ESCONTEXT(fcinfo), (Datum) 0,
				   (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("invalid value for type cj_calendar: \"%s\"", str),
					errdetail("Time zone \"%s\" is not in the server's time zone database; give a name such as \"Europe/Paris\" or \"UTC\".", cal->zone)));
	}
	/* keep the database's spelling of the name: "europe/paris" -> "Europe/Paris" */
	strlcpy(cal->zone, pg_get_timezone_name(tz), sizeof(cal->zone));
	PG_RETURN_BYTEA_P(CalPack(cal));
}

/* Canonical text output */
Datum
cj_calendar_out(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	CjCalendar *cal = palloc(sizeof(CjCalendar));
	char	   *buf = palloc(CJ_CAL_TEXT_MAX);

	CalUnpack(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), cal);
	cj_calendar_format(cal, buf, CJ_CAL_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/* Error for a bad binary form */
static void
BadBinary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary data for type cj_calendar"),
			 errdetail("%s", detail)));
}

/*
 * Binary input: version byte, int32 zone length and zone, per weekday an
 * int32 count and (start, end) int32 pairs in minutes, int32 closed-date
 * count and the dates as days since 2000-01-01.  Everything the text input
 * checks is checked again, the zone included.
 */
Datum
cj_calendar_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjCalendar *cal = palloc0(sizeof(CjCalendar));
	CjError		err;
	int			len,
				d,
				i;
	pg_tz	   *tz;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_calendar");
	len = pq_getmsgint(buf, 4);
	if (len < 1 || len > CJ_CAL_ZONE_MAX)
		BadBinary("Time zone names are 1 to 255 bytes long.");
	pq_copymsgbytes(buf, cal->zone, len);
	if ((int) strnlen(cal->zone, len) != len)
		BadBinary("The time zone name contains a zero byte.");
	for (d = 0; d < 7; d++)
	{
		cal->nint[d] = pq_getmsgint(buf, 4);
		if (cal->nint[d] < 0 || cal->nint[d] > CJ_CAL_MAX_PER_DAY)
			BadBinary("A weekday has 0 to 16 opening intervals.");
		for (i = 0; i < cal->nint[d]; i++)
		{
			cal->ints[d][i].start = pq_getmsgint(buf, 4);
			cal->ints[d][i].end = pq_getmsgint(buf, 4);
		}
	}
	cal->nclosed = pq_getmsgint(buf, 4);
	if (cal->nclosed < 0 || cal->nclosed > CJ_CAL_MAX_CLOSED)
		BadBinary("A calendar lists 0 to 1000 closed dates.");
	for (i = 0; i < cal->nclosed; i++)
		cal->closed[i] = pq_getmsgint(buf, 4);
	if (!cj_calendar_prepare(cal, &err))
		BadBinary(err.detail);
	tz = ResolveZone(cal->zone);
	strlcpy(cal->zone, pg_get_timezone_name(tz), sizeof(cal->zone));
	PG_RETURN_BYTEA_P(CalPack(cal));
}

/* Binary output (see cj_calendar_recv) */
Datum
cj_calendar_send(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	CjCalendar *cal = palloc(sizeof(CjCalendar));
	StringInfoData buf;
	int			d,
				i,
				len;

	CalUnpack(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), cal);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	len = (int) strlen(cal->zone);
	pq_sendint32(&buf, len);
	pq_sendbytes(&buf, cal->zone, len);
	for (d = 0; d < 7; d++)
	{
		pq_sendint32(&buf, cal->nint[d]);
		for (i = 0; i < cal->nint[d]; i++)
		{
			pq_sendint32(&buf, cal->ints[d][i].start);
			pq_sendint32(&buf, cal->ints[d][i].end);
		}
	}
	pq_sendint32(&buf, cal->nclosed);
	for (i = 0; i < cal->nclosed; i++)
		pq_sendint32(&buf, cal->closed[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Equal values have equal canonical forms, hence equal bytes */
static bool
CalEqual(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

Datum
cj_calendar_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(CalEqual(fcinfo));
}

Datum
cj_calendar_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!CalEqual(fcinfo));
}

/* The calendar's time zone name */
Datum
cj_calendar_zone(PG_FUNCTION_ARGS)
{
	CalCache   *c = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(0));

	PG_RETURN_TEXT_P(cstring_to_text(c->cal.zone));
}

/* The cached decoded calendar of argument d, kept in *slot */
CalCache *
cj_calendar_get_in(MemoryContext mcxt, CalCache **slot, Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	Size		len = VARSIZE_ANY_EXHDR(v);
	CalCache   *c = *slot;

	if (c != NULL && c->len == len && memcmp(c->bytes, VARDATA_ANY(v), len) == 0)
		return c;
	if (c == NULL)
		c = MemoryContextAllocZero(mcxt, sizeof(CalCache));
	else
		pfree(c->bytes);
	c->len = 0;
	c->bytes = MemoryContextAlloc(mcxt, len);
	CalUnpack(VARDATA_ANY(v), len, &c->cal);
	c->tz = ResolveZone(c->cal.zone);
	c->nseg = c->nextseg = 0;
	memcpy(c->bytes, VARDATA_ANY(v), len);
	c->len = len;
	*slot = c;
	return c;
}

/* The cached decoded calendar of argument d, in fn_extra */
CalCache *
cj_calendar_get(FmgrInfo *flinfo, Datum d)
{
	return cj_calendar_get_in(flinfo->fn_mcxt, (CalCache **) &flinfo->fn_extra, d);
}

/* The core's offset callback: the segment of t from pg_next_dst_boundary */
static bool
TzSegment(void *arg, int64_t t, int64_t *offset, int64_t *next)
{
	CalCache   *c = arg;
	pg_time_t	secs,
				boundary;
	long int	before,
				after;
	int			before_dst,
				after_dst,
				r;

	int			i;

	for (i = 0; i < c->nseg; i++)
		if (t >= c->seg[i].lo && t < c->seg[i].hi)
		{
			*offset = c->seg[i].off;
			*next = c->seg[i].hi;
			return true;
		}
	secs = (t >= 0 ? t / USECS_PER_SEC : -((-t + USECS_PER_SEC - 1) / USECS_PER_SEC)) + EPOCH_SHIFT;
	r = pg_next_dst_boundary(&secs, &before, &before_dst, &boundary,
							 &after, &after_dst, c->tz);
	if (r == 0)
	{
		/*
		 * pg_next_dst_boundary answers "no further transition" when asked
		 * exactly at the last transition of the zone's table, even when it
		 * extrapolates the zone's rule beyond it (and so does the recursive
		 * call it makes for later instants that map onto that transition).
		 * One second later the state is the same and the answer right.
		 */
		pg_time_t	later = secs + 1;

		r = pg_next_dst_boundary(&later, &before, &before_dst, &boundary,
								 &after, &after_dst, c->tz);
	}
	if (r < 0)
		return false;
	*offset = (int64) before * USECS_PER_SEC;
	if (r == 0 || boundary - EPOCH_SHIFT > PG_INT64_MAX / USECS_PER_SEC - 1)
		*next = PG_INT64_MAX;
	else
		*next = (boundary - EPOCH_SHIFT) * USECS_PER_SEC;

	/*
	 * The segment ends at *next but its start is unknown: remember it from
	 * t, and extend a remembered segment with the same end downward, so
	 * that rows in any order soon hit the cache.
	 */
	for (i = 0; i < c->nseg; i++)
		if (c->seg[i].hi == *next && c->seg[i].off == *offset)
		{
			c->seg[i].lo = Min(c->seg[i].lo, t);
			return true;
		}
	i = c->nseg < CAL_SEGMENTS ? c->nseg++ : c->nextseg;
	c->nextseg = (i + 1) % CAL_SEGMENTS;
	c->seg[i].lo = t;
	c->seg[i].hi = *next;
	c->seg[i].off = *offset;
	return true;
}

/* Raise a core arithmetic error */
static void
ArithError(const CjError *err)
{
	if (err->kind == CJ_ERR_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("%s", err->detail)));
	cj_raise(err, "business-time arithmetic failed");
}

/* Business time from a to b, negative when b < a */
int64
cj_calendar_time(CalCache *c, TimestampTz a, TimestampTz b)
{
	CjTz		tz = {TzSegment, c};
	CjError		err;
	int64_t		r;

	if (TIMESTAMP_NOT_FINITE(a) || TIMESTAMP_NOT_FINITE(b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("business time between infinite timestamps is undefined")));
	if (!cj_cal_business_time(&c->cal, &tz, Min(a, b), Max(a, b), &r, &err))
	{
		if (err.kind == CJ_ERR_RANGE)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("interval out of range"),
					 errdetail("%s", err.detail)));
		ArithError(&err);
	}
	return b < a ? -r : r;
}

/* Earliest instant with dur microseconds of business time since start */
TimestampTz
cj_calendar_add(CalCache *c, TimestampTz start, int64 dur)
{
	CjTz		tz = {TzSegment, c};
	CjError		err;
	int64_t		r;

	if (TIMESTAMP_NOT_FINITE(start))
		return start;
	if (!cj_cal_business_add(&c->cal, &tz, start, dur, &r, &err))
		ArithError(&err);
	if (!IS_VALID_TIMESTAMP(r))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return r;
}

/* Microseconds of a duration: months rejected, days are 24 h, not negative */
int64
cj_duration_us(const Interval *iv, const char *what)
{
	int64		us;

	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a fixed length of time", what),
				 errdetail("Months and years have no fixed length; give days, hours, minutes or seconds (a day counts as 24 hours of business time).")));
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, iv->time, &us))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what)));
	if (us < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what)));
	return us;
}

/* A time-only interval of us microseconds */
static Interval *
TimeInterval(int64 us)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->time = us;
	return iv;
}

/* cj_business_add(start, duration, calendar) */
Datum
cj_business_add(PG_FUNCTION_ARGS)
{
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(0);
	int64		dur = cj_duration_us(PG_GETARG_INTERVAL_P(1), "duration");
	CalCache   *c = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(2));

	PG_RETURN_TIMESTAMPTZ(cj_calendar_add(c, start, dur));
}

/* cj_business_time(from, to, calendar) as a time-only interval */
Datum
cj_business_time(PG_FUNCTION_ARGS)
{
	TimestampTz a = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz b = PG_GETARG_TIMESTAMPTZ(1);
	CalCache   *c = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(2));

	PG_RETURN_INTERVAL_P(TimeInterval(cj_calendar_time(c, a, b)));
}

/* cj_due(arrived_at, sla, tier, calendar): the target in business time */
Datum
cj_due_calendar(PG_FUNCTION_ARGS)
{
	TimestampTz arrived = PG_GETARG_TIMESTAMPTZ(0);
	int64		target = cj_sla_tier_target(PG_GETARG_DATUM(1), PG_GETARG_TEXT_PP(2));
	CalCache   *c = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(3));

	PG_RETURN_TIMESTAMPTZ(cj_calendar_add(c, arrived, target));
}

/*
 * cj_sla_status(arrived_at, due, now, calendar): breached once now is past
 * due; at_risk once 75 % of the business time from arrival to due has
 * elapsed; on_track before.
 */
Datum
cj_sla_status_calendar(PG_FUNCTION_ARGS)
{
	TimestampTz arrived = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz due = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz now = PG_GETARG_TIMESTAMPTZ(2);
	CalCache   *c = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(3));
	const char *status;

	if (TIMESTAMP_NOT_FINITE(arrived) || TIMESTAMP_NOT_FINITE(due) ||
		TIMESTAMP_NOT_FINITE(now))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("arrived_at, due and now must be finite")));
	if (due < arrived)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("due must not be earlier than arrived_at")));
	if (now > due)
		status = "breached";
	else if (now >= arrived &&
			 (double) cj_calendar_time(c, arrived, now) >=
			 0.75 * (double) cj_calendar_time(c, arrived, due))
		status = "at_risk";
	else
		status = "on_track";
	PG_RETURN_TEXT_P(cstring_to_text(status));
}

/* Check the pause arguments of cj_due_resume */
static void
CheckPause(TimestampTz due, TimestampTz paused, TimestampTz resumed)
{
	if (TIMESTAMP_NOT_FINITE(paused) || TIMESTAMP_NOT_FINITE(resumed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("paused_at and resumed_at must be finite")));
	if (resumed < paused)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("resumed_at must not be earlier than paused_at")));
}

/* cj_due_resume(due, paused_at, resumed_at): due + the wall-clock pause */
Datum
cj_due_resume(PG_FUNCTION_ARGS)
{
	TimestampTz due = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz paused = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz resumed = PG_GETARG_TIMESTAMPTZ(2);
	TimestampTz result;

	CheckPause(due, paused, resumed);
	if (TIMESTAMP_NOT_FINITE(due))
		PG_RETURN_TIMESTAMPTZ(due);
	if (pg_add_s64_overflow(due, resumed - paused, &result) ||
		!IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	PG_RETURN_TIMESTAMPTZ(result);
}

/*
 * cj_due_resume(due, paused_at, resumed_at, calendar): the due time moved
 * by the business time that passed while the clock was paused.
 */
Datum
cj_due_resume_calendar(PG_FUNCTION_ARGS)
{
	TimestampTz due = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz paused = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz resumed = PG_GETARG_TIMESTAMPTZ(2);
	CalCache   *c = cj_calendar_get(fcinfo->flinfo, PG_GETARG_DATUM(3));

	CheckPause(due, paused, resumed);
	PG_RETURN_TIMESTAMPTZ(cj_calendar_add(c, due, cj_calendar_time(c, paused, resumed)));
}
