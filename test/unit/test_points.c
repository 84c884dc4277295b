/*
 * test_points.c
 *	  Unit tests of the points ledger core (src/core/cj_ledger_text.c,
 *	  src/core/cj_points.c).
 */
#include "unit.h"
#include "cj_points.h"

#include <stdlib.h>
#include <string.h>

#define MAXM 16

static char store[MAXM][sizeof(CjMove) + CJ_REF_MAX + 8];

/* Compare two movement pointers for qsort */
static int
Cmp(const void *a, const void *b)
{
	return cj_move_cmp(*(const CjMove *const *) a, *(const CjMove *const *) b);
}

/* Parse ';'-separated movements and replay them as of as_of */
static int
Replay(const char *text, const char *as_of, CjPointsBalance *b)
{
	const CjMove *moves[MAXM];
	CjLot		lots[MAXM];
	int32_t		h1[MAXM],
				h2[MAXM],
				h3[MAXM];
	CjReplayWork w = {lots, h1, h2, h3};
	CjError		err = {0};
	const char *p = text;
	int64_t		t;
	int			n = 0,
				nlots;

	while (*p)
	{
		if (!cj_move_parse(&p, (CjMove *) store[n], &err))
			return 0;
		moves[n] = (const CjMove *) store[n];
		n++;
		while (*p == ';' || *p == ' ')
			p++;
	}
	qsort(moves, n, sizeof(moves[0]), Cmp);
	p = as_of;
	return cj_ts_parse(&p, &t) && cj_points_replay(moves, n, t, &w, &nlots, b, &err);
}

int
main(void)
{
	const char *p;
	int64_t		t;
	char		buf[CJ_MOVE_TEXT_MAX];
	CjPointsBalance b;
	CjError		err = {0};
	CjMove	   *m = (CjMove *) store[0];

	p = "2024-02-29 23:59:59.000001+00";
	CHECK(cj_ts_parse(&p, &t) && cj_ts_format(t, buf) > 0 &&
		  strcmp(buf, "2024-02-29 23:59:59.000001+00") == 0, "timestamp round trip");
	p = "2000-01-01 00:00:00+00";
	CHECK(cj_ts_parse(&p, &t) && t == 0, "epoch is 2000-01-01");
	p = "1999-12-31 23:59:59.5+00";
	CHECK(cj_ts_parse(&p, &t) && t == -500000, "before the epoch");
	cj_ts_format(-500000, buf);
	CHECK(strcmp(buf, "1999-12-31 23:59:59.5+00") == 0, "format before the epoch");
	p = "2023-02-29 00:00:00+00";
	CHECK(!cj_ts_parse(&p, &t), "no 29 February in 2023");

	p = "earn 10 at 2024-01-01 00:00:00+00 expires 2025-01-01 00:00:00+00 ref \"a\\\"b\"";
	CHECK(cj_move_parse(&p, m, &err) && m->reflen == 3, "movement parse");
	cj_move_format(m, buf);
	CHECK(strcmp(buf, "earn 10 at 2024-01-01 00:00:00+00 expires 2025-01-01 00:00:00+00 ref \"a\\\"b\"") == 0,
		  "movement round trip");
	p = "reverse 10 at 2024-01-01 00:00:00+00";
	CHECK(!cj_move_parse(&p, m, &err) && err.kind == CJ_ERR_PARAM, "reverse needs a ref");
	p = "earn 10 at 2024-01-01 00:00:00+00 expires 2024-01-01 00:00:00+00";
	CHECK(!cj_move_parse(&p, m, &err), "expiry must follow availability");
	p = "redeem -1 at 2024-01-01 00:00:00+00";
	CHECK(!cj_move_parse(&p, m, &err), "negative redeem rejected");

	CHECK(Replay("earn 100 at 2024-01-01 00:00:00+00 ref \"a\"; "
				 "redeem 60 at 2024-01-02 00:00:00+00; "
				 "reverse 100 at 2024-01-03 00:00:00+00 ref \"a\"",
				 "2024-02-01 00:00:00+00", &b) &&
		  b.available == 0 && b.negative == 60000000 && b.reversed == 100000000,
		  "reversal of spent points is debt");
	CHECK(Replay("earn 100 at 2024-01-01 00:00:00+00 ref \"a\"; "
				 "redeem 60 at 2024-01-02 00:00:00+00; "
				 "reverse 100 at 2024-01-03 00:00:00+00 ref \"a\"; "
				 "earn 80 at 2024-01-04 00:00:00+00",
				 "2024-02-01 00:00:00+00", &b) &&
		  b.available == 20000000 && b.negative == 0, "debt absorbed by the next earn");
	CHECK(Replay("earn 10 at 2024-01-01 00:00:00+00 expires 2024-01-10 00:00:00+00; "
				 "earn 10 at 2024-01-02 00:00:00+00 available 2024-01-05 00:00:00+00",
				 "2024-01-10 00:00:00+00", &b) &&
		  b.available == 10000000 && b.expired == 10000000 && b.pending == 0,
		  "expiry at expires_at, pending becomes available");
	CHECK(!Replay("earn 10 at 2024-01-01 00:00:00+00 ref \"a\"; "
				  "reverse 11 at 2024-01-02 00:00:00+00 ref \"a\"",
				  "2024-02-01 00:00:00+00", &b), "over-reversal rejected");
	return unit_done();
}
