/*
 * test_points.c
 *	  Unit tests of the points ledger core (src/core/loyalty/ledger_text.c,
 *	  src/core/loyalty/points.c).
 */
#include "unit.h"
#include "core/loyalty/points.h"
#include "core/ltv/history.h"

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
	return cj_parse_instant(&p, &t, &err) && cj_points_replay(moves, n, t, &w, &nlots, b, &err);
}

/*
 * Mutate a valid movement at random: each result must be rejected with an
 * error class or format to text that parses back to the same text.
 */
static int
FuzzMoves(void)
{
	const char *seed = "earn 12.5 at 2024-01-01T10:00:00Z available 2024-01-02T00:00:00Z "
		"expires 2025-01-01T00:00:00.5Z ref \"a\\\"b\"";
	const char	alphabet[] = "0123456789.:-TZ \"\\ arex";
	static char m1[sizeof(CjMove) + CJ_REF_MAX + 8],
				m2[sizeof(CjMove) + CJ_REF_MAX + 8];
	char		buf[256],
				out[CJ_MOVE_TEXT_MAX],
				again[CJ_MOVE_TEXT_MAX];
	unsigned	state = 777;
	int			i,
				k;

	for (i = 0; i < 20000; i++)
	{
		CjError		err = {0};
		const char *p = buf;

		strcpy(buf, seed);
		for (k = 0; k < 2; k++)
		{
			state = state * 1103515245u + 12345u;
			buf[(state >> 8) % strlen(seed)] = alphabet[(state >> 20) % (sizeof(alphabet) - 1)];
		}
		if (!cj_move_parse(&p, (CjMove *) m1, &err))
		{
			if (err.kind == CJ_OK || err.detail[0] == '\0')
				return 0;
			continue;
		}
		cj_move_format((CjMove *) m1, out);
		p = out;
		if (!cj_move_parse(&p, (CjMove *) m2, &err))
			return 0;
		cj_move_format((CjMove *) m2, again);
		if (strcmp(out, again) != 0 || cj_move_cmp((CjMove *) m1, (CjMove *) m2) != 0)
			return 0;
	}
	return 1;
}

int
main(void)
{
	const char *p;
	char		buf[CJ_MOVE_TEXT_MAX];
	CjPointsBalance b;
	CjError		err = {0};
	CjMove	   *m = (CjMove *) store[0];

	p = "earn 10 at 2024-01-01T00:00:00Z expires 2025-01-01T00:00:00Z ref \"a\\\"b\"";
	CHECK(cj_move_parse(&p, m, &err) && m->reflen == 3, "movement parse");
	cj_move_format(m, buf);
	CHECK(strcmp(buf, "earn 10 at 2024-01-01T00:00:00Z expires 2025-01-01T00:00:00Z ref \"a\\\"b\"") == 0,
		  "movement round trip");
	p = "reverse 10 at 2024-01-01T00:00:00Z";
	CHECK(!cj_move_parse(&p, m, &err) && err.kind == CJ_ERR_PARAM, "reverse needs a ref");
	p = "earn 10 at 2024-01-01T00:00:00Z expires 2024-01-01T00:00:00Z";
	CHECK(!cj_move_parse(&p, m, &err), "expiry must follow availability");
	p = "redeem -1 at 2024-01-01T00:00:00Z";
	CHECK(!cj_move_parse(&p, m, &err), "negative redeem rejected");

	CHECK(Replay("earn 100 at 2024-01-01T00:00:00Z ref \"a\"; "
				 "redeem 60 at 2024-01-02T00:00:00Z; "
				 "reverse 100 at 2024-01-03T00:00:00Z ref \"a\"",
				 "2024-02-01T00:00:00Z", &b) &&
		  b.available == 0 && b.negative == 60000000 && b.reversed == 100000000,
		  "reversal of spent points is debt");
	CHECK(Replay("earn 100 at 2024-01-01T00:00:00Z ref \"a\"; "
				 "redeem 60 at 2024-01-02T00:00:00Z; "
				 "reverse 100 at 2024-01-03T00:00:00Z ref \"a\"; "
				 "earn 80 at 2024-01-04T00:00:00Z",
				 "2024-02-01T00:00:00Z", &b) &&
		  b.available == 20000000 && b.negative == 0, "debt absorbed by the next earn");
	CHECK(Replay("earn 10 at 2024-01-01T00:00:00Z expires 2024-01-10T00:00:00Z; "
				 "earn 10 at 2024-01-02T00:00:00Z available 2024-01-05T00:00:00Z",
				 "2024-01-10T00:00:00Z", &b) &&
		  b.available == 10000000 && b.expired == 10000000 && b.pending == 0,
		  "expiry at expires_at, pending becomes available");
	CHECK(!Replay("earn 10 at 2024-01-01T00:00:00Z ref \"a\"; "
				  "reverse 11 at 2024-01-02T00:00:00Z ref \"a\"",
				  "2024-02-01T00:00:00Z", &b), "over-reversal rejected");
	CHECK(FuzzMoves(), "mutated movements fail cleanly or round-trip");
	return unit_done();
}
