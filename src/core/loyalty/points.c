/*-------------------------------------------------------------------------
 *
 * points.c
 *	  Replay of a member's points movements into balances and lots.
 *
 * Rules (the README states them for users):
 *
 *	 - Every earn and positive adjust opens a lot.  A lot is pending until
 *	   its available_at and spendable from then until its expires_at
 *	   (spendable on [available_at, expires_at)); at expires_at what remains
 *	   of it moves to "expired".
 *	 - A redeem or negative adjust consumes spendable lots in order of
 *	   expiry (soonest first, lots that never expire last), then of
 *	   creation.  What no lot covers becomes debt ("negative").
 *	 - A reverse takes back up to what was credited under its ref (lots in
 *	   creation order): first from what remains of the lot, then from what
 *	   of it expired (those points were lost already, so no debt), and the
 *	   rest, which was spent, is charged to the other spendable lots like a
 *	   deduction, any shortfall becoming debt.
 *	 - Debt is paid first from every lot as it becomes spendable.
 *	 - Events at one instant: pending lots becoming available and lots
 *	   expiring are applied before the movements of that instant; the
 *	   movements themselves follow cj_move_cmp (credits, reversals, then
 *	   debits).
 *
 * Invariant: earned + positive adjusts = available + pending + redeemed +
 * expired + reversed + deducted - negative.
 *
 * Each movement costs O(log n) heap work (plus the lots it touches), so a
 * ledger of any length replays in O(n log n).
 *
 *-------------------------------------------------------------------------
 */
#include "core/loyalty/points.h"
#include "core/common/sort.h"
#include "core/common/decimal.h"

#include <stdlib.h>
#include <string.h>

typedef struct Replay
{
	CjReplayWork *w;
	int			nspend;
	int			npend;
	int			nref;
	int			nborn;			/* lots whose movement has been replayed */
	int64_t		debt;
	CjPointsBalance *out;
	CjError    *err;
	uint32_t	ticks;			/* lot steps, for interrupt checks */
	bool		overflow;
	/* running balances and the event hook (statements, projections) */
	int64_t		avail;
	int64_t		pend;
	int64_t		from;
	bool		opened;
	CjPointsEventFn fn;
	void	   *arg;
} Replay;

/* Count one step of work on a lot; answer a cancel request now and then */
static inline void
Tick(Replay *r)
{
	if ((++r->ticks & 4095) == 0)
		cj_check_interrupts();
}

/* Heap order of active lots: expiry, then creation */
static bool
SpendBefore(const Replay *r, int32_t a, int32_t b)
{
	const CjMove *ma = r->w->lots[a].move;
	const CjMove *mb = r->w->lots[b].move;

	return ma->expires != mb->expires ? ma->expires < mb->expires : a < b;
}

/* Heap order of pending lots: availability, then creation */
static bool
PendBefore(const Replay *r, int32_t a, int32_t b)
{
	const CjMove *ma = r->w->lots[a].move;
	const CjMove *mb = r->w->lots[b].move;

	return ma->available != mb->available ? ma->available < mb->available : a < b;
}

typedef bool (*HeapLess) (const Replay *r, int32_t a, int32_t b);

/* Push lot onto a binary heap */
static void
HeapPush(const Replay *r, int32_t *heap, int *n, int32_t lot, HeapLess less)
{
	int			i = (*n)++;

	while (i > 0 && less(r, lot, heap[(i - 1) / 2]))
	{
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = lot;
}

/* Pop the top of a binary heap */
static void
HeapPop(const Replay *r, int32_t *heap, int *n, HeapLess less)
{
	int32_t		last = heap[--(*n)];
	int			i = 0;

	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && less(r, heap[c + 1], heap[c]))
			c++;
		if (!less(r, heap[c], last))
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (*n > 0)
		heap[i] = last;
}

/* *acc += v, noting overflow */
static void
Add(Replay *r, int64_t *acc, int64_t v)
{
	if (!cj_dec_add(*acc, v, acc))
		r->overflow = true;
}

/* Top active lot with points left, dropping exhausted ones; -1 if none */
static int32_t
SpendTop(Replay *r)
{
	while (r->nspend > 0 && r->w->lots[r->w->spend[0]].remaining == 0)
		HeapPop(r, r->w->spend, &r->nspend, SpendBefore);
	return r->nspend > 0 ? r->w->spend[0] : -1;
}

/* Report an event to the hook, once the opening balances are out */
static void
Emit(Replay *r, int type, int64_t at, const CjMove *m, int64_t points,
	 int64_t unexpired)
{
	CjPointsEvent ev;

	if (r->fn == NULL || at <= r->from)
		return;
	ev.type = type;
	ev.at = at;
	ev.move = m;
	ev.points = points;
	ev.unexpired = unexpired;
	ev.available = r->avail;
	ev.pending = r->pend;
	ev.negative = r->debt;
	r->fn(r->arg, &ev);
}

/*
 * A lot becomes spendable: it pays any debt first.  A pending lot reports
 * an availability event; a credit available at once is part of its
 * movement's event.
 */
static void
Activate(Replay *r, int32_t i, bool was_pending)
{
	CjLot	   *lot = &r->w->lots[i];
	int64_t		brings = lot->remaining;
	int64_t		pay = lot->remaining < r->debt ? lot->remaining : r->debt;

	r->debt -= pay;
	lot->remaining -= pay;
	lot->spent += pay;
	lot->state = CJ_LOT_ACTIVE;
	if (was_pending)
		r->pend -= brings;
	Add(r, &r->avail, lot->remaining);
	if (lot->remaining > 0)
		HeapPush(r, r->w->spend, &r->nspend, i, SpendBefore);
	if (was_pending && brings > 0)
		Emit(r, CJ_EV_AVAILABLE, lot->move->available, lot->move, brings, 0);
}

/* Apply availability and expiry events up to and including time t */
static void
Advance(Replay *r, int64_t t)
{
	for (;;)
	{
		int32_t		s = SpendTop(r);
		int64_t		te = s >= 0 ? r->w->lots[s].move->expires : CJ_TS_NEVER;
		int64_t		tp = r->npend > 0 ? r->w->lots[r->w->pend[0]].move->available : CJ_TS_NEVER;

		Tick(r);

		if (r->npend > 0 && tp <= t && tp <= te)
		{
			int32_t		p = r->w->pend[0];

			HeapPop(r, r->w->pend, &r->npend, PendBefore);
			Activate(r, p, true);
		}
		else if (s >= 0 && te <= t)
		{
			CjLot	   *lot = &r->w->lots[s];

			int64_t		gone = lot->remaining;

			HeapPop(r, r->w->spend, &r->nspend, SpendBefore);
			lot->expired += gone;
			Add(r, &r->out->expired, gone);
			r->avail -= gone;
			lot->remaining = 0;
			lot->state = CJ_LOT_EXPIRED;
			Emit(r, CJ_EV_EXPIRE, lot->move->expires, lot->move, -gone, 0);
		}
		else
			break;
	}
}

/* Take amount from spendable lots in order; returns what none covered */
static int64_t
Consume(Replay *r, int64_t amount)
{
	int32_t		s;

	while (amount > 0 && (s = SpendTop(r)) >= 0)
	{
		CjLot	   *lot = &r->w->lots[s];
		int64_t		take = lot->remaining < amount ? lot->remaining : amount;

		Tick(r);
		lot->remaining -= take;
		lot->spent += take;
		r->avail -= take;
		amount -= take;
	}
	return amount;
}

/* Compare the refs of two lots, then their creation order */
static const Replay *SortReplay;

static int
RefCmp(const void *a, const void *b)
{
	const CjMove *ma = SortReplay->w->lots[*(const int32_t *) a].move;
	const CjMove *mb = SortReplay->w->lots[*(const int32_t *) b].move;
	size_t		n = ma->reflen < mb->reflen ? ma->reflen : mb->reflen;
	int			c = memcmp(cj_move_ref(ma), cj_move_ref(mb), n);

	if (c == 0)
		c = (int) ma->reflen - (int) mb->reflen;
	if (c == 0)
		c = *(const int32_t *) a < *(const int32_t *) b ? -1 : 1;
	return c;
}

/* First position in byref whose lot's ref is >= m's ref */
static int
RefLowerBound(const Replay *r, const CjMove *m)
{
	int			lo = 0,
				hi = r->nref;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;
		const CjMove *x = r->w->lots[r->w->byref[mid]].move;
		size_t		n = x->reflen < m->reflen ? x->reflen : m->reflen;
		int			c = memcmp(cj_move_ref(x), cj_move_ref(m), n);

		if (c < 0 || (c == 0 && x->reflen < m->reflen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* True when two movements have the same ref */
static bool
SameRef(const CjMove *a, const CjMove *b)
{
	return a->reflen == b->reflen &&
		memcmp(cj_move_ref(a), cj_move_ref(b), a->reflen) == 0;
}

/* Take back part of one lot: remainder, then expired, then spent */
static int64_t
ReverseLot(Replay *r, CjLot *lot, int64_t amount, int64_t *unexpired)
{
	int64_t		take = lot->move->points - lot->reversed;
	int64_t		part;

	if (take > amount)
		take = amount;
	lot->reversed += take;
	part = lot->remaining < take ? lot->remaining : take;
	lot->remaining -= part;
	if (lot->state == CJ_LOT_PENDING)
		r->pend -= part;
	else
		r->avail -= part;
	amount = take - part;
	part = lot->expired < amount ? lot->expired : amount;
	lot->expired -= part;
	r->out->expired -= part;
	*unexpired += part;
	amount -= part;
	lot->spent -= amount;
	Add(r, &r->debt, Consume(r, amount));
	return take;
}

/*
 * Apply a reverse movement.  The lots of a ref sit together in byref in
 * creation order, and a reverse takes from them in that order, so the lots
 * already fully reversed are a prefix of the group: the group's first lot
 * keeps where that prefix ends (refnext) and a reverse starts there.  The
 * lots not yet replayed are a suffix of the group.  Every reverse thus
 * costs a binary search plus the lots it empties, plus one: O(n log n) for
 * a whole ledger, however many reversals share a ref.
 */
static bool
Reverse(Replay *r, const CjMove *m)
{
	int			first = RefLowerBound(r, m);
	int			k;
	int64_t		left = m->points;
	int64_t		unexpired = 0;
	CjLot	   *head;

	if (first >= r->nref || !SameRef(r->w->lots[r->w->byref[first]].move, m))
		k = first = r->nref;
	else
	{
		head = &r->w->lots[r->w->byref[first]];
		for (k = head->refnext; k < r->nref && left > 0; k++)
		{
			int32_t		i = r->w->byref[k];
			CjLot	   *lot = &r->w->lots[i];

			if (i >= r->nborn || !SameRef(lot->move, m))
				break;
			Tick(r);
			left -= ReverseLot(r, lot, left, &unexpired);
			if (lot->reversed < lot->move->points)
				break;
		}
		head->refnext = k;
	}
	Add(r, &r->out->reversed, m->points - left);
	if (left > 0)
	{
		cj_error_set(r->err, CJ_ERR_PARAM,
					 "A reverse of ref \"%.*s\" takes back more points than earlier credits under that ref still hold.",
					 (int) m->reflen, cj_move_ref(m));
		return false;
	}
	Emit(r, CJ_EV_MOVE, m->occurred, m, -m->points, unexpired);
	return true;
}

/* Replay one movement (the clock already advanced to its time) */
static bool
Apply(Replay *r, const CjMove *m)
{
	if (cj_move_is_credit(m))
	{
		int32_t		i = r->nborn++;
		CjLot	   *lot = &r->w->lots[i];

		lot->remaining = m->points;
		if (m->available <= m->occurred)
			Activate(r, i, false);
		else
		{
			lot->state = CJ_LOT_PENDING;
			Add(r, &r->pend, m->points);
			HeapPush(r, r->w->pend, &r->npend, i, PendBefore);
		}
		Emit(r, CJ_EV_MOVE, m->occurred, m, m->points, 0);
		return true;
	}
	if (m->kind == CJ_MOVE_REVERSE)
		return Reverse(r, m);
	Add(r, m->kind == CJ_MOVE_REDEEM ? &r->out->redeemed : &r->out->deducted,
		m->points);
	Add(r, &r->debt, Consume(r, m->points));
	Emit(r, CJ_EV_MOVE, m->occurred, m, -m->points, 0);
	return true;
}

/* Index the lots, lots with a ref sorted by ref */
static int
IndexLots(Replay *r, const CjMove *const *moves, int n)
{
	int			i,
				nlots = 0;

	r->nref = 0;
	for (i = 0; i < n; i++)
	{
		if (!cj_move_is_credit(moves[i]))
			continue;
		memset(&r->w->lots[nlots], 0, sizeof(CjLot));
		r->w->lots[nlots].move = moves[i];
		if (moves[i]->reflen > 0)
			r->w->byref[r->nref++] = nlots;
		nlots++;
	}
	SortReplay = r;
	cj_sort(r->w->byref, (size_t) r->nref, sizeof(int32_t), RefCmp);
	SortReplay = NULL;
	for (i = 0; i < r->nref; i++)
	{
		if (i > 0 && SameRef(r->w->lots[r->w->byref[i - 1]].move,
							 r->w->lots[r->w->byref[i]].move))
			continue;
		r->w->lots[r->w->byref[i]].refnext = i;
	}
	return nlots;
}

/* Totals and next expiry over the lots */
static void
Summarise(Replay *r, int nlots)
{
	CjPointsBalance *out = r->out;
	int			i;

	out->next_expiry_at = CJ_TS_NEVER;
	for (i = 0; i < nlots; i++)
	{
		const CjLot *lot = &r->w->lots[i];

		if (lot->remaining == 0)
			continue;
		Add(r, lot->state == CJ_LOT_PENDING ? &out->pending : &out->available,
			lot->remaining);
		if (lot->move->expires < out->next_expiry_at)
		{
			out->next_expiry_at = lot->move->expires;
			out->next_expiry_points = 0;
		}
		if (lot->move->expires == out->next_expiry_at &&
			lot->move->expires != CJ_TS_NEVER)
			Add(r, &out->next_expiry_points, lot->remaining);
	}
	out->negative = r->debt;
}

/* The opening event: balances as of from, once */
static void
Open(Replay *r)
{
	CjPointsEvent ev;

	if (r->fn == NULL || r->opened)
		return;
	Advance(r, r->from);
	r->opened = true;
	memset(&ev, 0, sizeof(ev));
	ev.type = CJ_EV_OPEN;
	ev.at = r->from;
	ev.available = r->avail;
	ev.pending = r->pend;
	ev.negative = r->debt;
	r->fn(r->arg, &ev);
}

/* Replay movements up to moves_until and events up to until */
static bool
Run(const CjMove *const *moves, int n, int64_t from, int64_t moves_until,
	int64_t until, CjReplayWork *w, int *nlots, CjPointsBalance *out,
	CjPointsEventFn fn, void *arg, CjError *err)
{
	Replay		r;
	int			i;

	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	r.w = w;
	r.out = out;
	r.err = err;
	r.fn = fn;
	r.arg = arg;
	r.from = from;
	*nlots = IndexLots(&r, moves, n);
	for (i = 0; i < n && moves[i]->occurred <= moves_until; i++)
	{
		Tick(&r);
		if (moves[i]->occurred > from)
			Open(&r);
		Advance(&r, moves[i]->occurred);
		if (!Apply(&r, moves[i]))
			return false;
	}
	Open(&r);
	Advance(&r, until);
	*nlots = r.nborn;
	Summarise(&r, *nlots);
	if (r.overflow || r.debt < 0)
	{
		cj_error_set(err, CJ_ERR_RANGE,
					 "Points totals must lie between -9223372036854.775807 and 9223372036854.775807.");
		return false;
	}
	return true;
}

/* Replay sorted movements up to as_of */
bool
cj_points_replay(const CjMove *const *moves, int n, int64_t as_of,
				 CjReplayWork *w, int *nlots, CjPointsBalance *out,
				 CjError *err)
{
	return Run(moves, n, as_of, as_of, as_of, w, nlots, out, NULL, NULL, err);
}

/* Replay with events after from */
bool
cj_points_replay_events(const CjMove *const *moves, int n, int64_t from,
						int64_t moves_until, int64_t until, CjReplayWork *w,
						int *nlots, CjPointsBalance *out, CjPointsEventFn fn,
						void *arg, CjError *err)
{
	if (from > moves_until)
		from = moves_until;
	if (until < moves_until)
		until = moves_until;
	return Run(moves, n, from, moves_until, until, w, nlots, out, fn, arg, err);
}

/* Heap order of spendable lots for a slice walk: expiry, then creation */
static int
SliceCmp(const void *a, const void *b)
{
	const CjLot *la = *(const CjLot *const *) a;
	const CjLot *lb = *(const CjLot *const *) b;

	if (la->move->expires != lb->move->expires)
		return la->move->expires < lb->move->expires ? -1 : 1;
	return la < lb ? -1 : la > lb ? 1 : 0;
}

/*
 * What a debit of amount would take, lot by lot, without taking it: the
 * spendable lots in the replay's order of consumption, slices of equal
 * expiry merged.
 */
bool
cj_points_take_slices(const CjLot *lots, int nlots, int64_t amount,
					  const CjLot **scratch, int64_t *points,
					  int64_t *expires, int *nslices, CjError *err)
{
	int			nactive = 0,
				i,
				k = 0;
	int64_t		left = amount;

	*nslices = 0;
	if (amount <= 0)
		return cj_error_set(err, CJ_ERR_PARAM, "The points transferred must be positive."), false;
	for (i = 0; i < nlots; i++)
		if (lots[i].state == CJ_LOT_ACTIVE && lots[i].remaining > 0)
			scratch[nactive++] = &lots[i];
	cj_sort(scratch, (size_t) nactive, sizeof(CjLot *), SliceCmp);
	for (i = 0; i < nactive && left > 0; i++)
	{
		const CjLot *lot = scratch[i];
		int64_t		take = lot->remaining < left ? lot->remaining : left;

		left -= take;
		if (k > 0 && expires[k - 1] == lot->move->expires)
			points[k - 1] += take;
		else
		{
			points[k] = take;
			expires[k++] = lot->move->expires;
		}
	}
	if (left > 0)
		return cj_error_set(err, CJ_ERR_PARAM,
							"A transfer cannot take more points than are available."), false;
	*nslices = k;
	return true;
}
