/*-------------------------------------------------------------------------
 *
 * wait_state.h
 *	  Text form and validation of cj_wait_state, the state of
 *	  cj_service_level and cj_wait_stats (pure C).
 *
 *		sl n=10 within=8
 *		ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1
 *
 * Times are whole microseconds; buckets (see cj_waithist.h) are written
 * as index:count in ascending index order, empty buckets omitted.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_SERVICE_WAIT_STATE_H
#define CJ_CORE_SERVICE_WAIT_STATE_H

#include "core/common/core.h"
#include "core/service/waithist.h"

#define CJ_WS_SERVICE_LEVEL 1
#define CJ_WS_WAIT_STATS 2

/* Longest text form, NUL included (every bucket "1311:<int64>,") */
#define CJ_WAIT_STATE_TEXT_MAX (128 + CJ_WAITHIST_BUCKETS * 26)

/* A decoded state; fields of the other kind are zero */
typedef struct CjWaitState
{
	int			kind;			/* CJ_WS_SERVICE_LEVEL or CJ_WS_WAIT_STATS */
	int64_t		n;				/* waits counted */
	int64_t		within;			/* answered within target (service level) */
	int64_t		sum;			/* total wait, microseconds (wait stats) */
	int64_t		min;
	int64_t		max;
	int64_t		counts[CJ_WAITHIST_BUCKETS];	/* wait stats */
} CjWaitState;

/*
 * Parse a literal into *s (zeroed first).  False with err set: syntax
 * (CJ_ERR_SYNTAX) or a state no aggregate can reach (CJ_ERR_PARAM).
 */
extern bool cj_wait_state_parse(const char *text, CjWaitState *s, CjError *err);

/*
 * Check a decoded state (binary input) with every rule of the parser: a
 * known kind, counts 0 <= within <= n, min <= max, a non-negative sum
 * between n min and n max, bucket counts adding up to n with the lowest
 * and highest non-empty buckets those of min and max, and zero fields of
 * the other kind.
 */
extern bool cj_wait_state_validate(const CjWaitState *s, CjError *err);

/* Write the canonical text into buf (CJ_WAIT_STATE_TEXT_MAX bytes) */
extern size_t cj_wait_state_format(const CjWaitState *s, char *buf);

#endif							/* CJ_CORE_SERVICE_WAIT_STATE_H */
