/*
 * test_fit_state_text.c
 *	  Unit tests of the cj_fit_state parser, printer and validation
 *	  (src/core/ltv/fit_state_text.c).
 */
#include "unit.h"
#include "core/ltv/fit_state_text.h"

#include <string.h>

static CjTuple tuples[64];
static char out[8192];
static CjFitText st = {NULL, 0, 0, tuples};

/* s parses and prints as want */
static int
Canon(const char *s, const char *want)
{
	CjError		err;

	if (!cj_fit_state_parse(s, &st, &err))
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_fit_state_format(&st, out);
	if (strcmp(out, want) != 0)
		printf("# %s -> %s\n", s, out);
	return strcmp(out, want) == 0 && strlen(out) < cj_fit_state_text_size(&st);
}

/* s is rejected with error class kind */
static int
Fails(const char *s, CjErrKind kind)
{
	CjError		err;

	if (cj_fit_state_parse(s, &st, &err))
		return 0;
	if (err.kind != kind)
		printf("# %s: kind %d (%s)\n", s, err.kind, err.detail);
	return err.kind == kind;
}

int
main(void)
{
	CjError		err;

	CHECK(Canon("bgnbd{}", "bgnbd{}"), "empty");
	CHECK(Canon("bgnbd{(2,30.43,38.86):1,(0,0,38.86):2,(2,30.43,38.86):3}",
				"bgnbd{(0,0,38.86):2,(2,30.43,38.86):4}"), "sorted and merged");
	CHECK(Canon("bgnbd{(1,0.1,0.30000000000000004):1} unit=60s",
				"bgnbd{(1,0.1,0.30000000000000004):1} unit=60s"), "seconds unit");
	CHECK(Canon("gg{(1,11.77):2,(2,22.35):1} unit=7d", "gg{(1,11.77):2,(2,22.35):1} unit=7d"),
		  "gg, days");
	CHECK(Canon("gg{(1,1):1} unit=86400s", "gg{(1,1):1} unit=1d"), "whole days print as days");
	CHECK(Canon(" mbgnbd { ( 3 , 10 , 20 ) : 7 } ", "mbgnbd{(3,10,20):7}"), "spaces");
	CHECK(Canon("bgnbd{(1,1,2):9007199254740992}", "bgnbd{(1,1,2):9007199254740992}"),
		  "weight 2^53");

	CHECK(Fails("", CJ_ERR_SYNTAX), "empty string");
	CHECK(Fails("nosuch{}", CJ_ERR_SYNTAX), "unknown family");
	CHECK(Fails("bgnbd{(1,1):1}", CJ_ERR_SYNTAX), "too few values");
	CHECK(Fails("bgnbd{(1,1,2):0}", CJ_ERR_SYNTAX), "zero weight");
	CHECK(Fails("bgnbd{(1,1,2):9007199254740993}", CJ_ERR_SYNTAX), "weight past 2^53");
	CHECK(Fails("bgnbd{(1,1,2):9007199254740992,(1,1,2):1}", CJ_ERR_RANGE),
		  "merged weight past 2^53");
	CHECK(Fails("bgnbd{(1,1,NaN):1}", CJ_ERR_SYNTAX), "NaN value");
	CHECK(Fails("bgnbd{} unit=0s", CJ_ERR_SYNTAX), "zero unit");
	CHECK(Fails("bgnbd{} x", CJ_ERR_SYNTAX), "trailing junk");
	CHECK(!cj_fit_state_parse("bgnbd{(1,5,2):1}", &st, &err) && err.kind != CJ_ERR_SYNTAX,
		  "t_x after T is the family's data error");

	/* binary-input rules */
	CHECK(Canon("bgnbd{(1,1,2):3}", "bgnbd{(1,1,2):3}"), "base");
	st.t[0].w = 2.5;
	CHECK(!cj_fit_state_validate(&st, &err), "fractional weight");
	st.t[0].w = 3;
	st.unit = -1;
	CHECK(!cj_fit_state_validate(&st, &err), "negative unit");
	st.unit = 0;
	st.t[0].v[2] = 1.0 / 0.0;
	CHECK(!cj_fit_state_validate(&st, &err), "infinite value");
	st.t[0].v[2] = 2;
	st.t[1] = st.t[0];
	st.t[1].w = 9007199254740992.0;
	st.n = 2;
	CHECK(!cj_fit_state_validate(&st, &err) && err.kind == CJ_ERR_RANGE, "merged past 2^53");
	st.family = NULL;
	CHECK(!cj_fit_state_validate(&st, &err), "no family");
	return unit_done();
}
