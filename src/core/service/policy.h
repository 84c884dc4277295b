/*-------------------------------------------------------------------------
 *
 * policy.h
 *	  SLA policies with several metrics and a tier-by-severity matrix:
 *	  the cj_sla_policy literal parser, formatter and lookup (pure C).
 *
 *		'first_reply: platinum 30s, gold 2min, * 15min;
 *		 resolution: platinum/high 4h, platinum 1d, * 3d'
 *
 * Each metric lists targets for a tier, a tier and a severity
 * (tier/severity), or the default tier "*" (optionally "*" / severity).
 * Lookup of (metric, tier, severity) takes the first of: tier/severity,
 * tier, * /severity, *.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SERVICE_POLICY_H
#define CJ_SERVICE_POLICY_H

#include "core/common/core.h"

#define CJ_POLICY_NAME_MAX 63
#define CJ_POLICY_MAX_METRICS 16
#define CJ_POLICY_MAX_ENTRIES 64	/* per metric */
#define CJ_POLICY_TEXT_MAX (CJ_POLICY_MAX_METRICS * (CJ_POLICY_NAME_MAX + 4 + \
							CJ_POLICY_MAX_ENTRIES * (2 * CJ_POLICY_NAME_MAX + 40)))

typedef struct CjPolicyEntry
{
	char		tier[CJ_POLICY_NAME_MAX + 1];	/* "*" = any tier */
	char		severity[CJ_POLICY_NAME_MAX + 1];	/* "" = any severity */
	int64_t		target_us;
} CjPolicyEntry;

typedef struct CjPolicyMetric
{
	char		name[CJ_POLICY_NAME_MAX + 1];
	int32_t		nentries;
	CjPolicyEntry entries[CJ_POLICY_MAX_ENTRIES];
} CjPolicyMetric;

typedef struct CjPolicy
{
	int32_t		nmetrics;
	CjPolicyMetric metrics[CJ_POLICY_MAX_METRICS];
} CjPolicy;

/* Parse a literal into *out.  False with err filled on failure. */
extern bool cj_slapolicy_parse(const char *text, CjPolicy *out, CjError *err);

/* Canonical text form into buf (size CJ_POLICY_TEXT_MAX). */
extern void cj_slapolicy_format(const CjPolicy *p, char *buf, size_t size);

/* Index of a metric (len bytes), or -1. */
extern int	cj_slapolicy_metric(const CjPolicy *p, const char *name, size_t len);

/*
 * Target of (tier, severity) in metric m; severity may be NULL.  False
 * when no entry applies.
 */
extern bool cj_slapolicy_lookup(const CjPolicy *p, int m, const char *tier, size_t tlen,
							 const char *severity, size_t slen, int64_t *us);

/* Comma-separated metric names, for error details. */
extern void cj_slapolicy_metric_list(const CjPolicy *p, char *buf, size_t size);

#endif							/* CJ_SERVICE_POLICY_H */
