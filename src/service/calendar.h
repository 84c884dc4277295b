/*-------------------------------------------------------------------------
 *
 * calendar.h
 *	  The cj_calendar glue: a per-call-site cache of the decoded calendar
 *	  and its time zone, and business-time arithmetic on timestamptz.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SERVICE_CALENDAR_GLUE_H
#define CJ_SERVICE_CALENDAR_GLUE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/timestamp.h"

typedef struct CalCache CalCache;

/*
 * The decoded form of the cj_calendar value d, cached in flinfo->fn_extra
 * (decoded again only when the value changes).
 */
extern CalCache *cj_calendar_get(FmgrInfo *flinfo, Datum d);

/* The same, cached in *slot (allocated in mcxt) */
extern CalCache *cj_calendar_get_in(MemoryContext mcxt, CalCache **slot, Datum d);

/* Business time from a to b (negative when b < a), in microseconds */
extern int64 cj_calendar_time(CalCache *c, TimestampTz a, TimestampTz b);

/* Earliest instant with dur (>= 0) microseconds of business time since start */
extern TimestampTz cj_calendar_add(CalCache *c, TimestampTz start, int64 dur);

/* Microseconds of a duration interval: no months, not negative; days are 24 h */
extern int64 cj_duration_us(const Interval *iv, const char *what);

#endif							/* CJ_SERVICE_CALENDAR_GLUE_H */
