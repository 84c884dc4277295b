/*-------------------------------------------------------------------------
 *
 * ladder.h
 *	  Tier ladders: parsing, validation, canonical text and the review
 *	  policies of loyalty programs.
 *
 * A ladder is an ordered list of tiers, lowest first.  Each tier has a
 * qualify threshold (the figure that earns it outright) and a keep
 * threshold (the figure that retains it at a review; equal to qualify when
 * not given).  Thresholds are exact decimals held in millionths
 * (cj_decimal.h).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_LADDER_H
#define CJ_LADDER_H

#include "core/common/core.h"

/* Documented caps */
#define CJ_LADDER_MAX_TIERS		64
#define CJ_TIER_NAME_MAX		63

typedef struct CjTier
{
	int64_t		qualify;		/* millionths */
	int64_t		keep;			/* millionths, <= qualify */
	char		name[CJ_TIER_NAME_MAX + 1];
} CjTier;

typedef struct CjLadder
{
	int			ntiers;
	CjTier		tiers[CJ_LADDER_MAX_TIERS];
} CjLadder;

typedef enum CjPolicy
{
	CJ_POLICY_SOFT_LANDING,
	CJ_POLICY_JUSTIFIED,
	CJ_POLICY_RESET,
	CJ_POLICY_REALTIME
} CjPolicy;

#define CJ_POLICY_NAMES "soft_landing, justified, reset, realtime"

/* Parse 'name:qualify[/keep], ...' and validate it. */
extern bool cj_ladder_parse(const char *s, CjLadder *l, CjError *err);

/*
 * Validate a ladder (names are identifiers of at most CJ_TIER_NAME_MAX
 * bytes and unique; the lowest tier qualifies at 0; qualify and keep
 * thresholds strictly increase; 0 <= keep <= qualify).
 */
extern bool cj_ladder_validate(const CjLadder *l, CjError *err);

/* Validate one tier name (identifier, length) */
extern bool cj_tier_name_valid(const char *name, size_t len, CjError *err);

/* Canonical text into buf (size >= cj_ladder_text_size()) */
extern size_t cj_ladder_text_size(const CjLadder *l);
extern void cj_ladder_format(const CjLadder *l, char *buf);

/* Index of the tier named name, -1 if none */
extern int	cj_ladder_find(const CjLadder *l, const char *name, size_t len);

/* Comma-separated list of the tier names (size >= text size) */
extern void cj_ladder_names(const CjLadder *l, char *buf, size_t size);

/* Highest tier whose qualify threshold is <= q (q = floor(figure*10^6)) */
extern int	cj_ladder_earned(const CjLadder *l, int64_t q);

/* Policy by name; false when unknown */
extern bool cj_policy_parse(const char *s, size_t len, CjPolicy *out);

/*
 * The tier after a review: current is the tier held, q the period's
 * qualifying figure (floor of millionths), floor the lowest tier allowed
 * (-1 for none).
 */
extern int	cj_ladder_review(const CjLadder *l, int current, int64_t q,
							 CjPolicy policy, int floor);

#endif							/* CJ_LADDER_H */
