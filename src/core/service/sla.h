/*-------------------------------------------------------------------------
 *
 * sla.h
 *	  Per-tier service-level targets: the cj_sla literal parser and
 *	  formatter (pure C).
 *
 * A literal lists tier:duration pairs, '*' being the default tier:
 *		'platinum:30s, gold:2min, silver:5min, *:15min'
 * Durations are fixed lengths of time, held as whole microseconds.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SLA_H
#define CJ_SLA_H

#include "core/common/core.h"

/* Longest tier name (bytes, without the NUL), as a PostgreSQL identifier */
#define CJ_SLA_NAME_MAX 63
/* Most tiers in one SLA (the default not counted) */
#define CJ_SLA_MAX_TIERS 64
/* Longest target: 3650 days, in microseconds */
#define CJ_SLA_MAX_US ((int64_t) 3650 * 86400 * 1000000)
/* Longest canonical text form, NUL included */
#define CJ_SLA_TEXT_MAX ((CJ_SLA_MAX_TIERS + 1) * (CJ_SLA_NAME_MAX + 32))

/* One tier and its target wait */
typedef struct CjSlaTier
{
	int64_t		target_us;		/* > 0, <= CJ_SLA_MAX_US */
	char		name[CJ_SLA_NAME_MAX + 1];	/* NUL-terminated, NUL-padded */
} CjSlaTier;

/* A parsed SLA: tiers in the order written, plus the optional default */
typedef struct CjSla
{
	int32_t		ntiers;
	int32_t		has_default;	/* 0 or 1 */
	int64_t		default_us;		/* meaningful when has_default */
	CjSlaTier	tiers[CJ_SLA_MAX_TIERS];
} CjSla;

/*
 * Parse one duration ("30s", "2 min", "1.5h", "1 day") into microseconds.
 * Advances *p past it.  Fails with CJ_ERR_SYNTAX or CJ_ERR_PARAM.
 */
extern bool cj_duration_parse(const char **p, const char *what, int64_t *us,
							  CjError *err);

/* Append the canonical form of a duration to buf (size at least 32). */
extern void cj_duration_format(int64_t us, char *buf, size_t size);

/* Parse a whole literal into *out.  False with err filled on failure. */
extern bool cj_sla_parse(const char *text, CjSla *out, CjError *err);

/*
 * Check a decoded SLA (binary input) with the rules the parser applies.
 * False with err filled on failure.
 */
extern bool cj_sla_validate(const CjSla *sla, CjError *err);

/* Write the canonical text form into buf (size CJ_SLA_TEXT_MAX). */
extern void cj_sla_format(const CjSla *sla, char *buf, size_t size);

/*
 * Target of tier name (len bytes, not necessarily NUL-terminated), or of
 * the default when the tier is not listed.  False when neither exists.
 */
extern bool cj_sla_lookup(const CjSla *sla, const char *name, size_t len,
						  int64_t *us);

/* Comma-separated list of the tier names, for error details. */
extern void cj_sla_tier_list(const CjSla *sla, char *buf, size_t size);

#endif							/* CJ_SLA_H */
