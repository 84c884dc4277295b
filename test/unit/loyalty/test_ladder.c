/*
 * test_ladder.c
 *	  Unit tests of exact decimals and tier ladders (src/core/common/decimal.c,
 *	  src/core/loyalty/ladder.c).
 */
#include "unit.h"
#include "core/common/decimal.h"
#include "core/loyalty/ladder.h"

#include <string.h>

/* Parse and reformat a ladder; compare with want (NULL: must fail) */
static int
Canon(const char *in, const char *want, CjErrKind kind)
{
	CjLadder	l;
	CjError		err = {0};
	char		buf[4096];

	if (!cj_ladder_parse(in, &l, &err))
		return want == NULL && err.kind == kind;
	cj_ladder_format(&l, buf);
	return want != NULL && strcmp(buf, want) == 0;
}

/* floor(v*10^6) of text */
static int64_t
Floor(const char *s)
{
	int64_t		v = 0;

	return cj_dec_floor_text(s, &v) ? v : -42;
}

/*
 * Mutate a valid literal at random many times: every result must either be
 * rejected with an error class or format to text that parses back to the
 * same text.
 */
static int
FuzzLadder(void)
{
	const char *seed = "member:0, silver:1000/800, gold:5000.5/4000";
	const char alphabet[] = "0123456789.:/,- abz_9e";
	char		buf[128],
				out[4096],
				again[4096];
	unsigned	state = 12345;
	int			i,
				k;

	for (i = 0; i < 20000; i++)
	{
		CjLadder	l,
					l2;
		CjError		err = {0};

		strcpy(buf, seed);
		for (k = 0; k < 3; k++)
		{
			state = state * 1103515245u + 12345u;
			buf[(state >> 8) % strlen(seed)] = alphabet[(state >> 20) % (sizeof(alphabet) - 1)];
		}
		if (!cj_ladder_parse(buf, &l, &err))
		{
			if (err.kind == CJ_OK || err.detail[0] == '\0')
				return 0;
			continue;
		}
		cj_ladder_format(&l, out);
		if (!cj_ladder_parse(out, &l2, &err))
			return 0;
		cj_ladder_format(&l2, again);
		if (strcmp(out, again) != 0)
			return 0;
	}
	return 1;
}

int
main(void)
{
	CjLadder	l;
	CjError		err = {0};
	char		buf[64];
	const char *p;
	int64_t		v;

	p = "999.995";
	CHECK(cj_dec_parse(&p, &v, &err) && v == INT64_C(999995000), "decimal parse");
	p = "1.0000001";
	CHECK(!cj_dec_parse(&p, &v, &err) && err.kind == CJ_ERR_PARAM, "seventh decimal rejected");
	p = "1.5000000";
	CHECK(cj_dec_parse(&p, &v, &err) && v == 1500000, "trailing zeros accepted");
	p = "1e3";
	CHECK(!cj_dec_parse(&p, &v, &err) && err.kind == CJ_ERR_SYNTAX, "exponent rejected");
	p = "9223372036854.775808";
	CHECK(!cj_dec_parse(&p, &v, &err) && err.kind == CJ_ERR_RANGE, "overflow rejected");
	cj_dec_format(-1234500000, buf);
	CHECK(strcmp(buf, "-1234.5") == 0, "format negative");
	cj_dec_format(5, buf);
	CHECK(strcmp(buf, "0.000005") == 0, "format small");
	CHECK(Floor("999.9999999") == INT64_C(999999999), "floor drops digits");
	CHECK(Floor("-0.0000001") == -1, "floor of negative rounds down");
	CHECK(Floor("1e5") == -42 && Floor("NaN") == -42, "floor rejects non-plain");
	CHECK(Floor("123456789012345678901234") == INT64_MAX, "floor saturates");

	CHECK(Canon("member:0, silver:1000/800, gold:5000.50/4000",
				"member:0, silver:1000/800, gold:5000.5/4000", CJ_OK), "canonical text");
	CHECK(Canon("a:0,b:1/1", "a:0, b:1", CJ_OK), "keep equal to qualify is omitted");
	CHECK(Canon("only:0", "only:0", CJ_OK), "one tier");
	CHECK(Canon("a:0, b:10, a:20", NULL, CJ_ERR_PARAM), "duplicate name");
	CHECK(Canon("a:0, b:10, c:10", NULL, CJ_ERR_PARAM), "equal thresholds");
	CHECK(Canon("a:0, b:10/11", NULL, CJ_ERR_PARAM), "keep above qualify");
	CHECK(Canon("a:0, b:10/5, c:20/5", NULL, CJ_ERR_PARAM), "keeps not increasing");
	CHECK(Canon("a:1", NULL, CJ_ERR_PARAM), "lowest tier above zero");
	CHECK(Canon("a:0, b:", NULL, CJ_ERR_SYNTAX), "missing threshold");
	CHECK(Canon("a:0 b:1", NULL, CJ_ERR_SYNTAX), "missing comma");
	CHECK(Canon("", NULL, CJ_ERR_SYNTAX), "empty");

	CHECK(cj_ladder_parse("member:0, silver:1000/800, gold:5000/4000", &l, &err), "ladder");
	CHECK(cj_ladder_earned(&l, INT64_C(999999999)) == 0, "just below silver");
	CHECK(cj_ladder_earned(&l, INT64_C(1000000000)) == 1, "at silver");
	CHECK(cj_ladder_earned(&l, INT64_MIN) == 0, "negative figure");
	CHECK(cj_ladder_review(&l, 2, INT64_C(100000000), CJ_POLICY_SOFT_LANDING, -1) == 1,
		  "soft landing drops one tier");
	CHECK(cj_ladder_review(&l, 2, INT64_C(100000000), CJ_POLICY_JUSTIFIED, -1) == 0,
		  "justified drops to what is kept");
	CHECK(cj_ladder_review(&l, 2, INT64_C(4000000000), CJ_POLICY_JUSTIFIED, -1) == 2,
		  "justified keeps at the keep threshold");
	CHECK(cj_ladder_review(&l, 2, INT64_C(4000000000), CJ_POLICY_RESET, -1) == 1,
		  "reset re-earns");
	CHECK(cj_ladder_review(&l, 0, INT64_C(5000000000), CJ_POLICY_SOFT_LANDING, -1) == 2,
		  "upgrade in soft landing");
	CHECK(cj_ladder_review(&l, 2, 0, CJ_POLICY_REALTIME, 1) == 1, "floor holds");
	CHECK(FuzzLadder(), "mutated literals fail cleanly or round-trip");
	return unit_done();
}
