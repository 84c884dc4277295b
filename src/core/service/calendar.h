/*-------------------------------------------------------------------------
 *
 * calendar.h
 *	  Service calendars (opening hours in a time zone, closed dates) and
 *	  business-time arithmetic on them (pure C).
 *
 * A literal names an IANA time zone, then opening hours per weekday and
 * closed dates:
 *		'Europe/Paris; mon-fri 09:00-12:00, 13:00-18:00; sat 10:00-13:00;
 *		 closed 2026-12-25, 2027-01-01'
 *		'UTC; 24x7'
 * The core stores the zone NAME only; converting instants to local time
 * is the caller's job, through a CjTzFn callback (the PostgreSQL glue
 * answers it from the server's time-zone database).
 *
 * Times: instants are microseconds since 2000-01-01 00:00 UTC (the
 * timestamptz representation); "local" values are microseconds since
 * 2000-01-01 00:00 on the zone's wall clock, read as if it were UTC.
 *
 * An instant is open when the zone's wall clock shows a time inside an
 * opening interval of a local day that is not closed.  An interval
 * belongs to the day it starts on (22:00-06:00 on Friday runs into
 * Saturday morning, and a closed Friday closes all of it).  Business time
 * is real elapsed time while open, so an interval containing a
 * spring-forward change is an hour shorter, and one containing a
 * fall-back change an hour longer, exactly as a clock on the wall would
 * count it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SERVICE_CALENDAR_H
#define CJ_SERVICE_CALENDAR_H

#include "core/common/core.h"

/* Longest zone name (as PostgreSQL's TZ_STRLEN_MAX) */
#define CJ_CAL_ZONE_MAX 255
/* Most opening intervals on one weekday */
#define CJ_CAL_MAX_PER_DAY 16
/* Most closed dates in one calendar */
#define CJ_CAL_MAX_CLOSED 1000
/* Closed dates lie in these years */
#define CJ_CAL_MIN_YEAR 1900
#define CJ_CAL_MAX_YEAR 2999
/* Pieces of the weekly open set (an overnight Sunday interval wraps) */
#define CJ_CAL_MAX_PIECES (7 * CJ_CAL_MAX_PER_DAY + 1)

#define CJ_USECS_PER_MINUTE INT64_C(60000000)
#define CJ_USECS_PER_DAY INT64_C(86400000000)
#define CJ_USECS_PER_WEEK (7 * CJ_USECS_PER_DAY)

/*
 * Instants accepted by the arithmetic: PostgreSQL's timestamptz range
 * (4713 BC to 294276 AD) with room for any UTC offset.
 */
#define CJ_CAL_T_MIN (-INT64_C(211813488000000000) + 2 * CJ_USECS_PER_DAY)
#define CJ_CAL_T_MAX (INT64_C(9223371331200000000) - 2 * CJ_USECS_PER_DAY)

/* Longest canonical text, NUL included */
#define CJ_CAL_TEXT_MAX (CJ_CAL_ZONE_MAX + 16 + 7 * (8 + CJ_CAL_MAX_PER_DAY * 13) + \
						 8 + CJ_CAL_MAX_CLOSED * 12)

/* One opening interval of a weekday, in minutes from local midnight */
typedef struct CjCalInterval
{
	int32_t		start;			/* 0 .. 1439 */
	int32_t		end;			/* start+1 .. start+1440 (> 1440: overnight) */
} CjCalInterval;

/*
 * A calendar: what the literal says (zone, intervals, closed dates) and
 * what cj_calendar_prepare derives from it for the arithmetic.
 */
typedef struct CjCalendar
{
	char		zone[CJ_CAL_ZONE_MAX + 1];	/* NUL-terminated */
	int32_t		nint[7];		/* intervals per weekday, Monday = 0 */
	CjCalInterval ints[7][CJ_CAL_MAX_PER_DAY];	/* sorted by start */
	int32_t		nclosed;
	int32_t		closed[CJ_CAL_MAX_CLOSED];	/* days since 2000-01-01, sorted */

	/* derived by cj_calendar_prepare */
	int32_t		npieces;
	int64_t		weekly_us;		/* open time per week */
	int64_t		day_us[7];		/* open time of the intervals of weekday w */
	int64_t		pstart[CJ_CAL_MAX_PIECES];	/* pieces of the week, from Monday 00:00 */
	int64_t		pend[CJ_CAL_MAX_PIECES];
	int64_t		pcum[CJ_CAL_MAX_PIECES];	/* open time before piece i */
	int64_t		ccum[CJ_CAL_MAX_CLOSED + 1];	/* open time removed by the first i closed dates */
} CjCalendar;

/*
 * Offset callback: the UTC offset (microseconds east of UTC) in force at
 * instant t, and the next instant > t at which it may change (INT64_MAX
 * when it never changes again).  False on failure.
 */
typedef bool (*CjTzFn) (void *arg, int64_t t, int64_t *offset, int64_t *next);

typedef struct CjTz
{
	CjTzFn		fn;
	void	   *arg;
} CjTz;

/* Parse a literal; the zone name is checked for shape only. */
extern bool cj_calendar_parse(const char *text, CjCalendar *cal, CjError *err);

/*
 * Check a decoded calendar (binary input) with the parser's rules and
 * derive the arithmetic tables.  cj_calendar_parse calls it too.
 */
extern bool cj_calendar_prepare(CjCalendar *cal, CjError *err);

/* Canonical text form into buf (size CJ_CAL_TEXT_MAX). */
extern void cj_calendar_format(const CjCalendar *cal, char *buf, size_t size);

/* Open time on the local timeline before local instant x (any origin). */
extern int64_t cj_calendar_open_before(const CjCalendar *cal, int64_t x);

/*
 * Business time between instants a <= b.  False with err filled when the
 * callback fails or an instant is out of range.
 */
extern bool cj_cal_business_time(const CjCalendar *cal, const CjTz *tz,
							 int64_t a, int64_t b, int64_t *result,
							 CjError *err);

/*
 * The earliest instant t >= start with business time(start, t) = duration
 * (duration >= 0).  False (CJ_ERR_RANGE) when t is out of range.
 */
extern bool cj_cal_business_add(const CjCalendar *cal, const CjTz *tz,
							int64_t start, int64_t duration, int64_t *result,
							CjError *err);

/* Days since 2000-01-01 of a proleptic Gregorian date, and back. */
extern int64_t cj_days_from_civil(int64_t y, int m, int d);
extern void cj_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif							/* CJ_SERVICE_CALENDAR_H */
