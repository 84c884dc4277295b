/*-------------------------------------------------------------------------
 *
 * test_history.c
 *	  Unit tests of the purchase-history core: adding, merging, the BTYD
 *	  summary, text and binary round trips, and hostile input.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "core/ltv/history.h"
#include "unit.h"

#define DAY CJ_USECS_PER_DAY

static CjHistory *
NewHistory(int32_t cap)
{
	return calloc(1, cj_history_size(cap));
}

/* Add, growing by copy when the history is full */
static CjHistory *
Add(CjHistory *h, int64_t at, int64_t amount)
{
	CjError		err;
	CjHistAdd	r;

	if (h == NULL)
	{
		h = NewHistory(1);
		cj_history_init(h, 1, at, cj_instant_day(at), amount);
		return h;
	}
	while ((r = cj_history_add(h, at, cj_instant_day(at), amount, &err)) == CJ_HIST_FULL)
	{
		CjHistory  *g = NewHistory(h->capacity * 2);

		cj_history_copy(g, h, h->capacity * 2);
		free(h);
		h = g;
	}
	return h;
}

static void
TestBuildAndSummary(void)
{
	/* CDNOW customer 4: 1997-01-01, 01-18, 08-02 (day offsets 0, 17, 213) */
	int64_t		d0 = (int64_t) -1096 * DAY;	/* 1997-01-01 */
	CjHistory  *h = NULL;
	CjHistorySummary s;
	CjError		err;

	h = Add(h, d0 + 5 * 3600 * INT64_C(1000000), 29330000);
	h = Add(h, d0 + 213 * DAY, 14960000);
	h = Add(h, d0 + 17 * DAY, 29730000);
	h = Add(h, d0 + 17 * DAY + 1, 0);
	CHECK(h->ndays == 3, "three distinct days");
	CHECK(h->first_spend == 29330000, "first-day spend");
	CHECK(cj_history_validate(h, &err), "valid");
	CHECK(cj_history_summarize(h, -1096 + 272, 7 * 86400.0, true, &s, &err),
		  "summary");
	CHECK(s.x == 2, "x = 2");
	CHECK_CLOSE(s.t_x, 213.0 / 7, 1e-15, "t_x");
	CHECK_CLOSE(s.T, 272.0 / 7, 1e-15, "T");
	CHECK_CLOSE(s.m, 22.345, 1e-12, "m");
	CHECK(!cj_history_summarize(h, -1097, 7 * 86400.0, false, &s, &err) &&
		  err.kind == CJ_ERR_PARAM, "as_of before first purchase");
	CHECK(!cj_history_summarize(h, -1096 + 100, 7 * 86400.0, true, &s, &err),
		  "as_of before last purchase");
	/* an earlier day becomes the first day and takes the first spend */
	h = Add(h, d0 - DAY, 1000000);
	CHECK(h->first_spend == 1000000 && h->days[0] == -1097, "new first day");
	free(h);
}

static void
TestMerge(void)
{
	CjHistory  *all = NULL,
			   *a = NULL,
			   *b = NULL,
			   *m;
	CjError		err;
	int			i;

	srand(7);
	for (i = 0; i < 500; i++)
	{
		int64_t		at = (int64_t) (rand() % 60) * DAY + rand() % 1000;
		int64_t		amt = rand() % 100000;

		all = Add(all, at, amt);
		if (rand() % 2)
			a = Add(a, at, amt);
		else
			b = Add(b, at, amt);
	}
	m = NewHistory(cj_history_union_days(a, b));
	CHECK(cj_history_merge_into(a, b, m, cj_history_union_days(a, b), &err),
		  "merge");
	CHECK(cj_history_equal(m, all), "merge of a random split equals the whole");
	CHECK(cj_history_merge_into(b, a, m, cj_history_union_days(a, b), &err) &&
		  cj_history_equal(m, all), "merge commutes");
	free(all);
	free(a);
	free(b);
	free(m);
}

static void
TestText(void)
{
	const char *lit = "history(first=1997-01-01T00:00:00Z, last=1997-08-02T13:00:00.25Z, spend=74.02, first_spend=29.33, days=[0,17,213])";
	CjHistory  *h = NewHistory(cj_history_text_days_bound(lit));
	char		buf[512];
	CjError		err;
	int			i;
	static const char *bad[] = {
		"", "history", "history()", "hist(first=1997-01-01T00:00:00Z)",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[0]) x",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1, first_spend=2, days=[0])",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-03T00:00:00Z, spend=1, first_spend=1, days=[0,2,2])",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-03T00:00:00Z, spend=1, first_spend=1, days=[0,1])",
		"history(first=1997-02-30T00:00:00Z, last=1997-03-03T00:00:00Z, spend=1, first_spend=1, days=[0])",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=-1, first_spend=1, days=[0])",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1.0000001, first_spend=1, days=[0])",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=NaN, first_spend=1, days=[0])",
		"history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=99999999999999, first_spend=1, days=[0])",
	};

	CHECK(cj_history_parse(lit, h, cj_history_text_days_bound(lit), &err),
		  "parse a literal");
	cj_history_format(h, buf);
	CHECK(strcmp(buf, lit) == 0, "format gives the literal back");
	if (strcmp(buf, lit) != 0)
		printf("# %s\n", buf);
	for (i = 0; i < (int) (sizeof(bad) / sizeof(bad[0])); i++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "reject bad literal %d", i);
		CHECK(!cj_history_parse(bad[i], h, 8, &err) && err.kind != CJ_OK, what);
	}
	/* extremes of the timestamp range */
	cj_format_instant(CJ_MIN_INSTANT, buf);
	CHECK(strcmp(buf, "-4713-11-24T00:00:00Z") == 0, "earliest instant");
	cj_format_instant(CJ_END_INSTANT - 1, buf);
	CHECK(strcmp(buf, "294276-12-31T23:59:59.999999Z") == 0, "latest instant");
	free(h);
}

static void
TestBinary(void)
{
	CjHistory  *h = NULL,
			   *g = NewHistory(4);
	unsigned char buf[128];
	size_t		len;
	CjError		err;
	int			i;
	int			rejected = 0;

	h = Add(h, 5 * DAY, 1500000);
	h = Add(h, 9 * DAY + 7, 2500000);
	len = cj_history_wire_size(h);
	cj_history_encode(h, buf);
	CHECK(cj_history_decode(buf, len, g, 4, &err) && cj_history_equal(g, h),
		  "binary round trip");
	CHECK(!cj_history_decode(buf, len - 1, g, 4, &err), "truncated");
	/* flip every bit once: each result is rejected or still valid */
	for (i = 0; i < (int) len * 8; i++)
	{
		buf[i / 8] ^= (unsigned char) (1 << (i % 8));
		if (!cj_history_decode(buf, len, g, 4, &err))
			rejected++;
		else if (!cj_history_validate(g, &err))
			rejected = -10000;
		buf[i / 8] ^= (unsigned char) (1 << (i % 8));
	}
	CHECK(rejected > 0, "bit flips are rejected or valid");
	free(h);
	free(g);
}

static void
TestMoney(void)
{
	const char *s;
	int64_t		v;
	CjError		err;

	s = "12.3456785";
	CHECK(cj_parse_micro(&s, &v, true, &err) && v == 12345679, "round 7th digit");
	s = "9223372036854.775807";
	CHECK(cj_parse_micro(&s, &v, false, &err) && v == INT64_MAX, "max amount");
	s = "9223372036854.775808";
	CHECK(!cj_parse_micro(&s, &v, false, &err) && err.kind == CJ_ERR_RANGE,
		  "amount overflow");
	CHECK(cj_float_to_micro(0.1, &v, &err) && v == 100000, "float 0.1");
	CHECK(!cj_float_to_micro(-1, &v, &err), "negative float");
	CHECK(!cj_float_to_micro(1e300, &v, &err), "huge float");
}

/*
 * Mutate valid literals at random: every mutant either parses into a
 * valid history that formats back to itself modulo spacing, or fails
 * with an error class set.  Never a crash.
 */
static void
TestFuzzText(void)
{
	const char *seed = "history(first=1997-01-01T10:00:00.5Z, last=1997-08-02T13:00:00Z, spend=74.02, first_spend=29.33, days=[0,17,213])";
	const char	alphabet[] = "0123456789-:.,=[]()TZ xhistory_e";
	char		buf[256],
				out[512],
				again[512];
	CjHistory  *h = NewHistory(64),
			   *g = NewHistory(64);
	int			i,
				bad = 0,
				parsed = 0;

	srand(11);
	for (i = 0; i < 200000; i++)
	{
		size_t		len = strlen(seed);
		int			k,
					nmut = 1 + rand() % 3;
		CjError		err;

		memcpy(buf, seed, len + 1);
		for (k = 0; k < nmut; k++)
		{
			size_t		pos = (size_t) rand() % len;

			switch (rand() % 3)
			{
				case 0:
					buf[pos] = alphabet[rand() % (sizeof(alphabet) - 1)];
					break;
				case 1:
					memmove(buf + pos, buf + pos + 1, len - pos);
					len--;
					break;
				default:
					if (len + 2 < sizeof(buf))
					{
						memmove(buf + pos + 1, buf + pos, len - pos + 1);
						buf[pos] = alphabet[rand() % (sizeof(alphabet) - 1)];
						len++;
					}
			}
		}
		err.kind = CJ_OK;
		if (cj_history_parse(buf, h, cj_history_text_days_bound(buf) < 64 ?
							 cj_history_text_days_bound(buf) : 64, &err))
		{
			parsed++;
			cj_history_format(h, out);
			if (!cj_history_validate(h, &err) ||
				!cj_history_parse(out, g, 64, &err) ||
				(cj_history_format(g, again), strcmp(out, again) != 0))
				bad++;
		}
		else if (err.kind == CJ_OK)
			bad++;
	}
	printf("# %d of 200000 mutants parsed\n", parsed);
	CHECK(bad == 0, "text fuzz: mutants are rejected with an error or round-trip");
	free(h);
	free(g);
}

/* Equality is of the purchases, not of the spare capacity or the order */
static void
TestEqual(void)
{
	CjHistory  *a = NULL,
			   *b = NULL,
			   *c = NULL,
			   *big;
	CjError		err;

	a = Add(a, 10 * DAY, 5);
	a = Add(a, 40 * DAY + 7, 3);
	b = Add(b, 40 * DAY + 7, 3);
	b = Add(b, 10 * DAY, 5);
	c = Add(c, 10 * DAY, 4);
	c = Add(c, 40 * DAY + 7, 4);
	big = NewHistory(64);
	cj_history_copy(big, a, 64);
	CHECK(cj_history_equal(a, b), "histories built in either order are equal");
	CHECK(cj_history_equal(a, big) && big->capacity != a->capacity,
		  "spare capacity is not part of the value");
	CHECK(!cj_history_equal(a, c), "the same total split differently is another history");
	CHECK(cj_history_add(big, 41 * DAY, cj_instant_day(41 * DAY), 1, &err) == CJ_HIST_ADDED &&
		  !cj_history_equal(a, big), "one more purchase day makes it differ");
	free(a);
	free(b);
	free(c);
	free(big);
}

int
main(void)
{
	TestBuildAndSummary();
	TestMerge();
	TestText();
	TestBinary();
	TestMoney();
	TestFuzzText();
	TestEqual();
	return unit_done();
}
