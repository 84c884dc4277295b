/*-------------------------------------------------------------------------
 *
 * fuzz_points_parse.c
 *	  libFuzzer target: the points movement parser and the ledger replay
 *	  (src/core/loyalty/ledger_text.c, src/core/loyalty/points.c), driven as
 *	  cj_points_ledger_in and cj_points do.
 *
 * Movements separated by ';' are parsed; each accepted one must validate,
 * print within CJ_MOVE_TEXT_MAX and read back identically.  The accepted
 * movements, sorted, are then replayed at two instants: the replay may
 * refuse the ledger but must not crash, and balances must be consistent.
 *
 * seeds: cj_points_ledger
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/loyalty/points.h"

#define MAXMOVES 64
#define MOVEBUF (sizeof(CjMove) + CJ_REF_MAX + 8)

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* qsort comparator over movement pointers */
static int
CmpMovePtr(const void *a, const void *b)
{
	return cj_move_cmp(*(const CjMove *const *) a, *(const CjMove *const *) b);
}

/* Replay the movements at as_of */
static void
Replay(const CjMove **moves, int n, int64_t as_of)
{
	CjReplayWork w;
	CjPointsBalance bal;
	CjError		err;
	int			nlots = -1;
	int			m = n > 0 ? n : 1;

	w.lots = malloc(sizeof(CjLot) * m);
	w.spend = malloc(sizeof(int32_t) * m);
	w.pend = malloc(sizeof(int32_t) * m);
	w.byref = malloc(sizeof(int32_t) * m);
	if (cj_points_replay(moves, n, as_of, &w, &nlots, &bal, &err))
		FUZZ_ASSERT(nlots >= 0 && nlots <= n && bal.available >= 0 &&
					bal.pending >= 0 && bal.expired >= 0 && bal.negative >= 0);
	else
		FuzzCheckError(&err);
	free(w.lots);
	free(w.spend);
	free(w.pend);
	free(w.byref);
}

/* Parse the movements, check each round trip, replay them */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	const char *p = s;
	CjMove	   *moves[MAXMOVES];
	int			n = 0;
	int			i;
	CjError		err;

	while (n < MAXMOVES)
	{
		CjMove	   *m = malloc(MOVEBUF);
		CjMove	   *m2 = malloc(MOVEBUF);
		char		text[CJ_MOVE_TEXT_MAX];
		const char *q = text;
		size_t		len;

		if (!cj_move_parse(&p, m, &err))
		{
			FuzzCheckError(&err);
			free(m);
			free(m2);
			break;
		}
		FUZZ_ASSERT(m->reflen <= CJ_REF_MAX);
		FUZZ_ASSERT(cj_move_validate(m, &err));
		len = cj_move_format(m, text);
		FUZZ_ASSERT(len < sizeof(text) && strlen(text) == len);
		FUZZ_ASSERT(cj_move_parse(&q, m2, &err));
		FUZZ_ASSERT(cj_move_cmp(m, m2) == 0 && m->reflen == m2->reflen &&
					memcmp(cj_move_ref(m), cj_move_ref(m2), m->reflen) == 0 &&
					m->points == m2->points && m->kind == m2->kind &&
					m->available == m2->available && m->expires == m2->expires);
		free(m2);
		moves[n++] = m;
		while (*p == ' ')
			p++;
		if (*p != ';')
			break;
		p++;
	}
	if (n > 0)
	{
		qsort(moves, n, sizeof(CjMove *), CmpMovePtr);
		Replay((const CjMove **) moves, n, moves[n - 1]->occurred);
		Replay((const CjMove **) moves, n, moves[0]->occurred);
	}
	for (i = 0; i < n; i++)
		free(moves[i]);
	free(s);
	return 0;
}
