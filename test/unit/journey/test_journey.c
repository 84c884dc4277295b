/*
 * test_journey.c
 *	  Unit tests of rule-based attribution and the exact Markov removal
 *	  effects (src/core/journey/attrib.c, src/core/journey/markov.c).
 */
#include "unit.h"
#include "core/journey/attrib.h"
#include "core/journey/markov.h"

#include <stdlib.h>
#include <string.h>

static double work[1 << 16];

/* One transition of an order-1 chain */
static CjMarkovTrans
T1(int from, int next, long count)
{
	CjMarkovTrans t;

	memset(&t, 0, sizeof(t));
	t.from[0] = from;
	t.next = next;
	t.count = count;
	return t;
}

/* Attribution models on hand-worked journeys */
static void
TestRules(void)
{
	int			chan[4] = {0, 1, 0, 2};
	double		age[4] = {3.0, 2.0, 1.0, 0.0};
	double		w[4],
				c[3];

	cj_attrib_credit(CJ_ATTR_FIRST_TOUCH, 4, chan, age, 1, 3, w, c);
	CHECK(c[0] == 1 && c[1] == 0 && c[2] == 0, "first touch");
	cj_attrib_credit(CJ_ATTR_LAST_TOUCH, 4, chan, age, 1, 3, w, c);
	CHECK(c[2] == 1 && c[0] == 0, "last touch");
	cj_attrib_credit(CJ_ATTR_LINEAR, 4, chan, age, 1, 3, w, c);
	CHECK(c[0] == 0.5 && c[1] == 0.25 && c[2] == 0.25, "linear");
	cj_attrib_credit(CJ_ATTR_POSITION_BASED, 4, chan, age, 1, 3, w, c);
	CHECK_CLOSE(c[0], 0.5, 1e-15, "position based first+middle");
	CHECK_CLOSE(c[1], 0.1, 1e-15, "position based middle");
	CHECK(c[0] + c[1] + c[2] == 1.0, "position based sums to 1");
	/* half-life 1 s: weights 1/8, 1/4, 1/2, 1 over 15/8 */
	cj_attrib_credit(CJ_ATTR_TIME_DECAY, 4, chan, age, 1, 3, w, c);
	CHECK_CLOSE(c[0], (0.125 + 0.5) / 1.875, 1e-15, "time decay");
	CHECK_CLOSE(c[2], 1 / 1.875, 1e-15, "time decay last");
	CHECK(c[0] + c[1] + c[2] == 1.0, "time decay sums to 1");
	cj_attrib_credit(CJ_ATTR_SHAPLEY, 4, chan, age, 1, 3, w, c);
	CHECK(c[0] + c[1] + c[2] == 1.0 && c[0] == c[1], "shapley equal split");
	cj_attrib_credit(CJ_ATTR_POSITION_BASED, 2, chan, age, 1, 3, w, c);
	CHECK(c[0] == 0.5 && c[1] == 0.5, "position based two touches");
	cj_attrib_credit(CJ_ATTR_POSITION_BASED, 1, chan, age, 1, 3, w, c);
	CHECK(c[0] == 1, "position based one touch");
}

/* The small chain worked by hand (see sql/journey_markov.sql) */
static void
TestMarkovSmall(void)
{
	CjMarkovTrans t[9];
	bool		conv[3] = {true, true, false};
	double		p,
				eff[3],
				cr[3];
	CjError		err;
	int			n = 0;

	/* A>B conv x1, A null x1, B null x1, C null x1 */
	t[n++] = T1(0, 1, 2);
	t[n++] = T1(0, 2, 1);
	t[n++] = T1(0, 3, 1);
	t[n++] = T1(1, 2, 1);
	t[n++] = T1(1, CJ_MK_NULL, 1);
	t[n++] = T1(2, CJ_MK_CONV, 1);
	t[n++] = T1(2, CJ_MK_NULL, 1);
	t[n++] = T1(3, CJ_MK_NULL, 1);
	qsort(t, n, sizeof(t[0]), cj_markov_trans_cmp);
	CHECK(cj_markov_nstates(t, n) == 4, "four states");
	CHECK(cj_markov_work_size(4, n) <= sizeof(work), "workspace fits");
	CHECK(cj_markov_removal(t, n, 1, 3, conv, work, &p, eff, &err), "solves");
	CHECK_CLOSE(p, 0.25, 1e-15, "P(conversion) = 1/4");
	CHECK_CLOSE(eff[0], 0.5, 1e-15, "removal effect of A");
	CHECK_CLOSE(eff[1], 1.0, 1e-15, "removal effect of B");
	CHECK(eff[2] == 0.0, "removal effect of C");
	cj_markov_credits(eff, 3, 1.0, cr);
	CHECK_CLOSE(cr[0], 1.0 / 3, 1e-15, "credit A");
	CHECK(cr[0] + cr[1] + cr[2] == 1.0 && cr[2] == 0.0, "credits total");
	/* a self-loop on B does not change an order-1 chain's answer */
	t[n++] = T1(2, 2, 5);
	qsort(t, n, sizeof(t[0]), cj_markov_trans_cmp);
	CHECK(cj_markov_removal(t, n, 1, 3, conv, work, &p, eff, &err), "loop solves");
	CHECK_CLOSE(p, 0.25, 1e-15, "self-loop keeps P(conversion)");
	CHECK_CLOSE(eff[0], 0.5, 1e-15, "self-loop keeps effect of A");
}

/* A closed loop that never absorbs is reported, not divided by zero */
static void
TestMarkovSingular(void)
{
	CjMarkovTrans t[2];
	bool		conv[1] = {true};
	double		p,
				eff[1];
	CjError		err;

	t[0] = T1(0, 1, 1);
	t[1] = T1(1, 1, 1);
	CHECK(!cj_markov_removal(t, 2, 1, 1, conv, work, &p, eff, &err) &&
		  err.kind == CJ_ERR_PARAM, "closed loop rejected");
}

/* Exact totals and the quoted-name token */
static void
TestHelpers(void)
{
	double		c[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
	char		buf[CJ_CHANNEL_MAX_LEN + 1];
	const char *p = " \"pa\\\"id\" rest";
	int			len;
	CjError		err;

	cj_exact_total(c, 3, 1.0);
	CHECK(c[0] + c[1] + c[2] == 1.0, "thirds add to one");
	c[0] = 0.1;
	c[1] = 0.7;
	c[2] = 0.0;
	cj_exact_total(c, 3, 7.0);
	CHECK(c[0] + c[1] + c[2] == 7.0 && c[2] == 0.0, "remainder to last non-zero");
	CHECK(cj_parse_quoted(&p, buf, &len, &err) && strcmp(buf, "pa\"id") == 0 &&
		  len == 5 && strcmp(p, " rest") == 0, "quoted name");
	p = "\"\"";
	CHECK(!cj_parse_quoted(&p, buf, &len, &err) && err.kind == CJ_ERR_PARAM, "empty name");
	p = "\"abc";
	CHECK(!cj_parse_quoted(&p, buf, &len, &err) && err.kind == CJ_ERR_SYNTAX, "unterminated");
}

int
main(void)
{
	TestRules();
	TestMarkovSmall();
	TestMarkovSingular();
	TestHelpers();
	return unit_done();
}
