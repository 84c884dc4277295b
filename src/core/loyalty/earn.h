/*-------------------------------------------------------------------------
 *
 * earn.h
 *	  Earning rules: 'R per P; tier xM; ...; cap C; min S; round MODE'.
 *
 * A rule earns R points per P currency units of an amount, times the
 * multiplier of the member's tier (1 for a tier the rule does not list),
 * rounded to whole points by MODE, and at most C points per transaction;
 * amounts below S earn nothing.  Every figure is an exact decimal held in
 * millionths (cj_decimal.h).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_LOYALTY_EARN_H
#define CJ_CORE_LOYALTY_EARN_H

#include "core/common/core.h"

#define CJ_EARN_MAX_TIERS	64
#define CJ_EARN_NAME_MAX	63
#define CJ_EARN_NO_CAP		INT64_C(-1)

typedef enum CjEarnRound
{
	CJ_ROUND_FLOOR = 0,
	CJ_ROUND_NEAREST = 1,		/* half away from zero */
	CJ_ROUND_HALF_EVEN = 2
} CjEarnRound;

#define CJ_EARN_ROUND_NAMES "floor, nearest, half_even"

typedef struct CjEarnTier
{
	int64_t		mult;			/* millionths, > 0 */
	char		name[CJ_EARN_NAME_MAX + 1];
} CjEarnTier;

typedef struct CjEarnRule
{
	int64_t		rate;			/* points per 'per' units, millionths > 0 */
	int64_t		per;			/* currency units, millionths > 0 */
	int64_t		cap;			/* points, millionths > 0, or CJ_EARN_NO_CAP */
	int64_t		min;			/* currency units, millionths >= 0 */
	uint8_t		round;			/* CjEarnRound */
	int			ntiers;
	CjEarnTier	tiers[CJ_EARN_MAX_TIERS];
} CjEarnRule;

/* Parse and validate a rule's text */
extern bool cj_earn_parse(const char *s, CjEarnRule *r, CjError *err);

/* Validate a rule (from binary input) */
extern bool cj_earn_validate(const CjEarnRule *r, CjError *err);

/* Longest canonical text */
#define CJ_EARN_TEXT_MAX (64 + 4 * 32 + CJ_EARN_MAX_TIERS * (CJ_EARN_NAME_MAX + 40))

/* Canonical text; returns its length */
extern size_t cj_earn_format(const CjEarnRule *r, char *buf);

/* Index of a tier by name, -1 when the rule does not list it */
extern int	cj_earn_find(const CjEarnRule *r, const char *name, size_t len);

/*
 * Points earned (millionths, whole points) by amount (millionths, >= 0)
 * with multiplier mult (millionths).  Fails (CJ_ERR_PARAM) on a negative
 * amount, (CJ_ERR_RANGE) when the result does not fit.
 */
extern bool cj_earn_points(const CjEarnRule *r, int64_t amount, int64_t mult,
						   int64_t *out, CjError *err);

#endif
