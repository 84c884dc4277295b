/*-------------------------------------------------------------------------
 *
 * instant.h
 *	  Instants (PostgreSQL timestamptz microseconds since 2000-01-01 UTC)
 *	  as text: the ISO 8601 UTC form every custjourney type writes, so
 *	  values read back identically whatever the session's time zone.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_INSTANT_H
#define CJ_INSTANT_H

#include "core/common/core.h"

#define CJ_USECS_PER_DAY	INT64_C(86400000000)

/*
 * Valid instants: PostgreSQL's timestamptz range, 4714-11-24 BC 00:00 UTC
 * (inclusive) to 294277-01-01 00:00 UTC (exclusive).
 */
#define CJ_MIN_INSTANT		INT64_C(-211813488000000000)
#define CJ_END_INSTANT		INT64_C(9223371331200000000)

/* UTC day of an instant (floor division) */
extern int32_t cj_instant_day(int64_t at);

/* Format an instant as ISO 8601 UTC into buf (>= 40 bytes) */
extern size_t cj_format_instant(int64_t at, char *buf);

/*
 * Parse an instant written by cj_format_instant at *p (after white space),
 * advancing *p; CJ_ERR_SYNTAX or CJ_ERR_RANGE on failure.
 */
extern bool cj_parse_instant(const char **p, int64_t *out, CjError *err);

#endif							/* CJ_INSTANT_H */
