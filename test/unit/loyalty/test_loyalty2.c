/*
 * test_loyalty2.c
 *	  Unit tests of earning rules, liability text and the replay's events
 *	  and transfer slices (src/core/loyalty/earn.c, liability.c,
 *	  src/core/loyalty/points.c).
 */
#include "unit.h"
#include "core/loyalty/points.h"
#include "core/loyalty/earn.h"
#include "core/loyalty/liability.h"

#include <stdlib.h>
#include <string.h>

/* Points (whole) earned by amount (text) under rule for multiplier index t */
static int64_t
Earn(const char *rule, int64_t amount_m, int tier)
{
	CjEarnRule	r;
	CjError		err = {0};
	int64_t		pts;

	if (!cj_earn_parse(rule, &r, &err))
		return -1;
	if (!cj_earn_points(&r, amount_m, tier < 0 ? 1000000 : r.tiers[tier].mult, &pts, &err))
		return -2;
	return pts;
}

static int
Canon(const char *in, const char *want)
{
	CjEarnRule	r;
	CjError		err = {0};
	char		buf[CJ_EARN_TEXT_MAX];

	if (!cj_earn_parse(in, &r, &err))
		return want == NULL;
	cj_earn_format(&r, buf);
	return want != NULL && strcmp(buf, want) == 0;
}

typedef struct Ev
{
	int			n;
	int			types[32];
	int64_t		points[32];
	int64_t		avail[32];
} Ev;

static void
Collect(void *arg, const CjPointsEvent *ev)
{
	Ev		   *e = arg;

	if (e->n < 32)
	{
		e->types[e->n] = ev->type;
		e->points[e->n] = ev->points;
		e->avail[e->n] = ev->available;
		e->n++;
	}
}

/* A movement at day d (2000-01-01 + d days) */
static CjMove *
Move(uint8_t kind, int64_t pts, int d, int exp_d, const char *ref)
{
	CjMove	   *m = calloc(1, sizeof(CjMove) + 16);
	int64_t		day = INT64_C(86400000000);

	m->kind = kind;
	m->points = pts * 1000000;
	m->occurred = d * day;
	m->available = m->occurred;
	m->expires = exp_d ? exp_d * day : CJ_TS_NEVER;
	if (ref)
	{
		m->reflen = (uint8_t) strlen(ref);
		memcpy(m + 1, ref, m->reflen);
	}
	return m;
}

int
main(void)
{
	const char *r = "1 per 1.00; silver x1.25; gold x1.5; cap 5000; min 10.00; round ";
	char		rule[256];
	int64_t		first_pairs[4];
	int32_t		first;
	int			n;
	CjError		err = {0};
	char		buf[256];

	snprintf(rule, sizeof(rule), "%snearest", r);
	CHECK(Earn(rule, 12500000, -1) == 13000000, "nearest: 12.5 -> 13");
	CHECK(Earn(rule, 9999999, -1) == 0, "below the minimum spend");
	CHECK(Earn(rule, 3333333334, 1) == 5000000000, "gold capped");
	snprintf(rule, sizeof(rule), "%shalf_even", r);
	CHECK(Earn(rule, 12500000, -1) == 12000000, "half_even: 12.5 -> 12");
	CHECK(Earn(rule, 10800000, 0) == 14000000, "half_even: 13.5 -> 14");
	snprintf(rule, sizeof(rule), "%sfloor", r);
	CHECK(Earn(rule, 10799999, 0) == 13000000, "floor: 13.49999875 -> 13");
	CHECK(Earn("1 per 3", 10000000, -1) == 3000000, "a rate whose division does not end");
	CHECK(Earn("1 per 1", INT64_C(9223372036854775807), -1) == INT64_C(9223372036854000000), "the largest amount");
	CHECK(Earn("2 per 1", INT64_C(9223372036854775807), -1) == -2, "out of range");
	CHECK(Canon("1 per 1.00; gold x1.50; min 0", "1 per 1; gold x1.5; round floor"), "canonical rule");
	CHECK(Canon("1 per 1; cap x2", NULL), "keyword as a tier name");
	CHECK(Canon("1 per 1; gold x1; gold x2", NULL), "duplicate tier");

	CHECK(cj_liability_parse("2024-01: 0/100; 2024-02: 30.5/70", &first, &n, first_pairs, &err)
		  && first == 2024 * 12 && n == 2 && first_pairs[2] == 30500000, "liability text");
	cj_liability_format(first, n, first_pairs, buf);
	CHECK(strcmp(buf, "2024-01: 0/100; 2024-02: 30.5/70") == 0, "liability canonical text");
	CHECK(!cj_liability_parse("2024-01: 0/1; 2024-03: 0/1", &first, &n, first_pairs, &err), "gap in months");

	{
		/* earn 100 (expires day 50), earn 40 (never), transfer_out 30, expiry */
		const CjMove *moves[3];
		CjReplayWork w;
		CjLot		lots[3];
		int32_t		a[3], b[3], c[3];
		CjPointsBalance bal;
		Ev			ev = {0};
		int			nl;
		const CjLot *scratch[3];
		int64_t		sp[3], se[3];
		int			ns;

		moves[0] = Move(CJ_MOVE_EARN, 100, 1, 50, "a");
		moves[1] = Move(CJ_MOVE_TRANSFER_IN, 40, 2, 0, "t");
		moves[2] = Move(CJ_MOVE_TRANSFER_OUT, 30, 3, 0, "x");
		w.lots = lots; w.spend = a; w.pend = b; w.byref = c;
		CHECK(cj_points_replay_events(moves, 3, 0, 10 * INT64_C(86400000000), 60 * INT64_C(86400000000),
									  &w, &nl, &bal, Collect, &ev, &err), "replay with events");
		CHECK(ev.n == 5 && ev.types[0] == CJ_EV_OPEN && ev.types[4] == CJ_EV_EXPIRE &&
			  ev.points[4] == -70000000 && ev.avail[4] == 40000000, "events: opening, 3 movements, expiry");
		CHECK(bal.deducted == 30000000 && bal.available == 40000000, "transfer_out is deducted");
		CHECK(cj_points_replay_events(moves, 3, 0, 10 * INT64_C(86400000000), 10 * INT64_C(86400000000),
									  &w, &nl, &bal, NULL, NULL, &err), "replay to day 10");
		CHECK(cj_points_take_slices(lots, nl, 100000000, scratch, sp, se, &ns, &err) &&
			  ns == 2 && sp[0] == 70000000 && se[0] == 50 * INT64_C(86400000000) &&
			  sp[1] == 30000000 && se[1] == CJ_TS_NEVER, "slices: soonest expiry first");
		CHECK(!cj_points_take_slices(lots, nl, 110000001, scratch, sp, se, &ns, &err) &&
			  err.kind == CJ_ERR_PARAM, "no more than available");
	}
	return unit_done();
}
