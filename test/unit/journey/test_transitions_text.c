/*
 * test_transitions_text.c
 *	  Unit tests of the cj_transitions parser, printer and validation
 *	  (src/core/journey/transitions_text.c).
 */
#include "unit.h"
#include "core/journey/transitions_text.h"

#include <string.h>

static CjChainChannel chans[64];
static CjMarkovTrans trans[64];
static char names[4096];
static char out[8192];
static CjChainText st = {0, 0, 0, chans, trans};

/* s parses and prints as want */
static int
Canon(const char *s, const char *want)
{
	CjError		err;

	if (!cj_transitions_parse(s, &st, names, &err))
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_transitions_format(&st, out);
	if (strcmp(out, want) != 0)
		printf("# %s -> %s\n", s, out);
	return strcmp(out, want) == 0 && cj_transitions_validate(&st, &err) &&
		strlen(out) < cj_transitions_text_size(&st);
}

/* s is rejected with error class kind */
static int
Fails(const char *s, CjErrKind kind)
{
	CjError		err;

	if (cj_transitions_parse(s, &st, names, &err))
		return 0;
	if (err.kind != kind)
		printf("# %s: kind %d (%s)\n", s, err.kind, err.detail);
	return err.kind == kind;
}

int
main(void)
{
	CjError		err;

	CHECK(Canon("{order=1; \"A\"=2, \"B\"=2; 2>1=3, 0>1=1, 1>null=2, 0>2=3, 1>conv=2}",
				"{order=1; \"A\"=2, \"B\"=2; 0>1=1, 0>2=3, 1>null=2, 1>conv=2, 2>1=3}"),
		  "order 1, transitions sorted");
	CHECK(Canon(" { order = 2 ; \"a\"=0 ; 0.1 > conv = 7 } ", "{order=2; \"a\"=0; 0.1>conv=7}"),
		  "order 2, spaces");
	CHECK(Canon("{order=3; \"we\\\"ird\"=1, \"x\\\\y\"=1; 0.0.1>2=2, 1.2.2>null=9223372036854775807}",
				"{order=3; \"we\\\"ird\"=1, \"x\\\\y\"=1; 0.0.1>2=2, 1.2.2>null=9223372036854775807}"),
		  "order 3, escapes, big count");

	CHECK(Fails("", CJ_ERR_SYNTAX), "empty");
	CHECK(Fails("{order=4; \"a\"=1; 0>1=1}", CJ_ERR_PARAM), "order 4");
	CHECK(Fails("{order=1; \"b\"=1, \"a\"=1; 0>1=1}", CJ_ERR_PARAM), "channels out of order");
	CHECK(Fails("{order=1; \"a\"=1, \"a\"=1; 0>1=1}", CJ_ERR_PARAM), "duplicate channel");
	CHECK(Fails("{order=1; \"a\"=1; 0>1=1, 0>1=2}", CJ_ERR_PARAM), "duplicate transition");
	CHECK(Fails("{order=1; \"a\"=1; 0>2=1}", CJ_ERR_PARAM), "unknown channel number");
	CHECK(Fails("{order=1; \"a\"=1; 0>conv=1}", CJ_ERR_PARAM), "start converts at once");
	CHECK(Fails("{order=2; \"a\"=1; 1.0>1=1}", CJ_ERR_PARAM), "padding behind");
	CHECK(Fails("{order=1; \"a\"=1; 0>1=0}", CJ_ERR_PARAM), "zero count");
	CHECK(Fails("{order=1; \"a\"=1; conv>1=1}", CJ_ERR_SYNTAX), "conv in a from-state");
	CHECK(Fails("{order=1; \"a\"=-1; 0>1=1}", CJ_ERR_SYNTAX), "negative converting");
	CHECK(Fails("{order=1; \"a\"=1; }", CJ_ERR_SYNTAX), "no transition");
	CHECK(Fails("{order=1; \"a\"=1; 0>1=1} x", CJ_ERR_SYNTAX), "trailing junk");

	/* binary-input rules */
	CHECK(Canon("{order=1; \"a\"=1; 0>1=1, 1>conv=1}", "{order=1; \"a\"=1; 0>1=1, 1>conv=1}"), "base");
	st.trans[1].from[0] = CJ_MK_NULL;
	CHECK(!cj_transitions_validate(&st, &err), "null in a from-state");
	st.trans[1].from[0] = 1;
	st.trans[1].from[1] = 1;
	CHECK(!cj_transitions_validate(&st, &err), "symbol past the order");
	st.trans[1].from[1] = 0;
	st.trans[1].next = -3;
	CHECK(!cj_transitions_validate(&st, &err), "unknown symbol code");
	st.trans[1].next = 1;
	st.trans[0] = st.trans[1];
	CHECK(!cj_transitions_validate(&st, &err), "duplicate transition");
	st.trans[0].from[0] = 0;
	CHECK(cj_transitions_validate(&st, &err), "unsorted but distinct is sorted");
	st.chans[0].converting = -1;
	CHECK(!cj_transitions_validate(&st, &err), "negative converting");
	st.chans[0].converting = 0;
	st.nchan = 0;
	CHECK(!cj_transitions_validate(&st, &err), "no channel");
	return unit_done();
}
