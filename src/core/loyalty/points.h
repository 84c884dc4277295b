/*-------------------------------------------------------------------------
 *
 * points.h
 *	  Points ledger: movements, their canonical text, and the replay that
 *	  turns a member's movements into balances and per-lot schedules.
 *
 * Amounts are exact millionths (cj_decimal.h); times are microseconds
 * since 2000-01-01 00:00:00 UTC (PostgreSQL's timestamptz), finite.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_POINTS_H
#define CJ_POINTS_H

#include "core/common/core.h"

#define CJ_TS_NEVER		INT64_MAX	/* expires_at of a lot that never expires */
#define CJ_REF_MAX		255			/* documented cap on a ref's bytes */

/*
 * Kinds.  At equal occurred_at they replay credits first, then reversals,
 * then debits (cj_move_rank); the codes are stored in ledgers, so new kinds
 * get new codes.  A transfer_in is a credit that carries the expiry of the
 * sender's lot it came from; a transfer_out is a debit like a redeem.
 */
typedef enum CjMoveKind
{
	CJ_MOVE_EARN = 0,
	CJ_MOVE_ADJUST_UP = 1,
	CJ_MOVE_REVERSE = 2,
	CJ_MOVE_ADJUST_DOWN = 3,
	CJ_MOVE_REDEEM = 4,
	CJ_MOVE_TRANSFER_IN = 5,
	CJ_MOVE_TRANSFER_OUT = 6
} CjMoveKind;

#define CJ_MOVE_KIND_MAX CJ_MOVE_TRANSFER_OUT
#define CJ_MOVE_KINDS "earn, redeem, reverse, adjust, transfer_in, transfer_out"

/* Replay rank of a kind at equal occurred_at */
extern int	cj_move_rank(uint8_t kind);

/* Name of a kind ("adjust" for both signs) */
extern const char *cj_move_kind_name(uint8_t kind);

/*
 * One movement.  points is the magnitude (> 0; the sign of an adjust is in
 * its kind).  available and expires are only meaningful for credits
 * (available = occurred and expires = CJ_TS_NEVER otherwise).  reflen ref
 * bytes follow the struct, padded to a multiple of 8.
 */
typedef struct CjMove
{
	int64_t		occurred;
	int64_t		points;
	int64_t		available;
	int64_t		expires;
	uint8_t		kind;
	uint8_t		reflen;
	uint8_t		pad[6];
} CjMove;

#define CJ_MOVE_SIZE(reflen) (sizeof(CjMove) + ((((size_t) (reflen)) + 7) & ~(size_t) 7))

static inline const char *
cj_move_ref(const CjMove *m)
{
	return (const char *) (m + 1);
}

static inline bool
cj_move_is_credit(const CjMove *m)
{
	return m->kind == CJ_MOVE_EARN || m->kind == CJ_MOVE_ADJUST_UP ||
		m->kind == CJ_MOVE_TRANSFER_IN;
}

/* Kind from its name and the sign of the amount; false if unknown */
extern bool cj_move_kind(const char *name, size_t len, bool negative,
						 uint8_t *kind);

/* Check a movement's invariants (amount, times, ref) */
extern bool cj_move_validate(const CjMove *m, CjError *err);

/* Total order on content: time, kind rank, amount, times, ref */
extern int	cj_move_cmp(const CjMove *a, const CjMove *b);

/* Longest text of one movement */
#define CJ_MOVE_TEXT_MAX (256 + 2 * CJ_REF_MAX)

/* Canonical text of one movement; returns its length */
extern size_t cj_move_format(const CjMove *m, char *buf);

/*
 * Parse one movement at *p into m (with room for CJ_REF_MAX ref bytes
 * after it) and validate it.
 */
extern bool cj_move_parse(const char **p, CjMove *m, CjError *err);

/* True for a finite timestamptz (times are written by cj_format_instant) */
extern bool cj_ts_in_range(int64_t ts);

/* Balances of a ledger as of a time */
typedef struct CjPointsBalance
{
	int64_t		available;		/* spendable now */
	int64_t		pending;		/* earned, not yet available */
	int64_t		redeemed;		/* total redeemed (including any overdraft) */
	int64_t		expired;		/* lot remainders that expired */
	int64_t		reversed;		/* points taken back by reversals */
	int64_t		deducted;		/* negative adjustments and transfers out */
	int64_t		negative;		/* debt not yet absorbed by later credits */
	int64_t		next_expiry_at; /* CJ_TS_NEVER when nothing expires */
	int64_t		next_expiry_points;
} CjPointsBalance;

/* A lot (one credit) after replay */
typedef struct CjLot
{
	const CjMove *move;
	int64_t		remaining;
	int64_t		spent;
	int64_t		expired;
	int64_t		reversed;
	int32_t		refnext;		/* first lot of a ref: position in byref of
								 * the first lot under the ref not yet fully
								 * reversed */
	uint8_t		state;			/* CJ_LOT_* */
} CjLot;

#define CJ_LOT_UNBORN	0		/* its movement is after as_of */
#define CJ_LOT_PENDING	1
#define CJ_LOT_ACTIVE	2
#define CJ_LOT_EXPIRED	3

/* Work arrays of a replay of n movements, allocated by the caller */
typedef struct CjReplayWork
{
	CjLot	   *lots;			/* n */
	int32_t    *spend;			/* n: heap of active lots */
	int32_t    *pend;			/* n: heap of pending lots */
	int32_t    *byref;			/* n: lots with a ref, sorted by ref */
} CjReplayWork;

/*
 * Replay n movements sorted by cj_move_cmp up to as_of (movements after
 * as_of are ignored) into balances and lots (*nlots of them, in creation
 * order; lots whose movement is after as_of are left out).  Fails (CJ_ERR_PARAM) on a reversal naming no earlier credit or
 * taking back more than was credited under its ref, and (CJ_ERR_RANGE) on
 * totals beyond the decimal range.
 */
extern bool cj_points_replay(const CjMove *const *moves, int n, int64_t as_of,
							 CjReplayWork *w, int *nlots,
							 CjPointsBalance *out, CjError *err);

/*
 * Events of a replay, for statements and projections.  Movement events
 * come after the movement is applied; an availability event when a pending
 * lot becomes spendable (points: what it brings, before paying any debt);
 * an expiry event when a lot's remainder expires (points: that remainder).
 * available, pending and negative are the balances after the event.
 */
#define CJ_EV_OPEN		0
#define CJ_EV_MOVE		1
#define CJ_EV_AVAILABLE	2
#define CJ_EV_EXPIRE	3

typedef struct CjPointsEvent
{
	int			type;			/* CJ_EV_* */
	int64_t		at;
	const CjMove *move;			/* the movement, or the lot's movement */
	int64_t		points;			/* signed change of the lot or movement */
	int64_t		unexpired;		/* a reverse: points taken back from what
								 * had already expired */
	int64_t		available;
	int64_t		pending;
	int64_t		negative;
} CjPointsEvent;

typedef void (*CjPointsEventFn) (void *arg, const CjPointsEvent *ev);

/*
 * Replay movements up to moves_until, then let time run on without further
 * movements up to until (>= moves_until), calling fn for every event after
 * from (from <= moves_until): first a CJ_EV_OPEN event with the balances
 * as of from, then each later event in order.  Balances as of until.
 */
extern bool cj_points_replay_events(const CjMove *const *moves, int n,
									int64_t from, int64_t moves_until,
									int64_t until, CjReplayWork *w,
									int *nlots, CjPointsBalance *out,
									CjPointsEventFn fn, void *arg,
									CjError *err);

/*
 * The slices of the spendable lots (of a replay's nlots lots) a debit of
 * amount would take, in the order the replay consumes them (soonest expiry
 * first, slices of equal expiry merged): *nslices (points, expires) pairs
 * written to points[] and expires[] (room for nlots each); scratch has
 * room for nlots pointers.  Fails (CJ_ERR_PARAM) when amount exceeds the
 * available balance.  The lots are left as they were.
 */
extern bool cj_points_take_slices(const CjLot *lots, int nlots, int64_t amount,
								  const CjLot **scratch, int64_t *points,
								  int64_t *expires, int *nslices,
								  CjError *err);

#endif							/* CJ_POINTS_H */
