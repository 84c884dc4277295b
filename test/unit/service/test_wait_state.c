/*
 * test_wait_state.c
 *	  Unit tests of the cj_wait_state parser, printer and validation
 *	  (src/core/service/wait_state.c).
 */
#include "unit.h"
#include "core/service/wait_state.h"

#include <string.h>

static CjWaitState st,
			st2;
static char out[CJ_WAIT_STATE_TEXT_MAX];

/* s parses and prints as want, and want reads back to the same state */
static int
Canon(const char *s, const char *want)
{
	CjError		err;

	if (!cj_wait_state_parse(s, &st, &err))
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_wait_state_format(&st, out);
	if (strcmp(out, want) != 0)
		printf("# %s -> %s\n", s, out);
	return strcmp(out, want) == 0 && cj_wait_state_parse(out, &st2, &err) &&
		memcmp(&st, &st2, sizeof(st)) == 0;
}

/* s is rejected with error class kind */
static int
Fails(const char *s, CjErrKind kind)
{
	CjError		err;

	if (cj_wait_state_parse(s, &st, &err))
		return 0;
	if (err.kind != kind)
		printf("# %s: kind %d (%s)\n", s, err.kind, err.detail);
	return err.kind == kind && err.detail[strlen(err.detail) - 1] == '.';
}

int
main(void)
{
	CjError		err;

	CHECK(Canon("sl n=10 within=8", "sl n=10 within=8"), "service level");
	CHECK(Canon("  sl n = 0  within=0 ", "sl n=0 within=0"), "white space");
	CHECK(Canon("ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1",
				"ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1"),
		  "wait stats");
	CHECK(Canon("ws n=0 sum=0 min=0 max=0 buckets=", "ws n=0 sum=0 min=0 max=0 buckets="),
		  "empty wait stats");
	CHECK(Canon("ws n=2 sum=9223372036854775807 min=0 max=9223372036854775807 buckets=0:1,1119:1",
				"ws n=2 sum=9223372036854775807 min=0 max=9223372036854775807 buckets=0:1,1119:1"),
		  "extremes");
	CHECK(Canon("ws n=2 sum=2000 min=1000 max=1000 buckets=0:0,1:2", "ws n=2 sum=2000 min=1000 max=1000 buckets=1:2"),
		  "zero bucket dropped");

	CHECK(Fails("", CJ_ERR_SYNTAX), "empty");
	CHECK(Fails("xx n=1 within=1", CJ_ERR_SYNTAX), "unknown kind");
	CHECK(Fails("sl n=1", CJ_ERR_SYNTAX), "missing within");
	CHECK(Fails("sl n=1 within=1 x", CJ_ERR_SYNTAX), "trailing junk");
	CHECK(Fails("sl n=99999999999999999999 within=1", CJ_ERR_SYNTAX), "int64 overflow");
	CHECK(Fails("ws n=2 sum=2 min=1 max=1 buckets=2:1,1:1", CJ_ERR_SYNTAX), "descending buckets");
	CHECK(Fails("ws n=1 sum=1 min=1 max=1 buckets=1120:1", CJ_ERR_SYNTAX), "bucket index too big");
	CHECK(Fails("sl n=1 within=2", CJ_ERR_PARAM), "within above n");
	CHECK(Fails("sl n=-1 within=0", CJ_ERR_PARAM), "negative n");
	CHECK(Fails("ws n=1 sum=1 min=2 max=1 buckets=0:1", CJ_ERR_PARAM), "min above max");
	CHECK(Fails("ws n=2 sum=1 min=1 max=1 buckets=0:1", CJ_ERR_PARAM), "counts do not add up");
	CHECK(Fails("ws n=0 sum=1 min=0 max=0 buckets=", CJ_ERR_PARAM), "empty with a sum");
	CHECK(Fails("ws n=0 sum=0 min=0 max=0 buckets=1:9223372036854775807,2:9223372036854775807",
				CJ_ERR_PARAM), "bucket total overflows");
	CHECK(Fails("ws n=1 sum=1 min=1 max=1 buckets=0:-1,1:2", CJ_ERR_PARAM), "negative bucket");

	/* the binary input's checks: fields of the other kind */
	memset(&st, 0, sizeof(st));
	st.kind = CJ_WS_SERVICE_LEVEL;
	st.n = 1;
	st.sum = 5;
	CHECK(!cj_wait_state_validate(&st, &err) && err.kind == CJ_ERR_PARAM, "sl with a sum");
	st.sum = 0;
	st.counts[3] = 1;
	CHECK(!cj_wait_state_validate(&st, &err), "sl with buckets");
	memset(&st, 0, sizeof(st));
	st.kind = CJ_WS_WAIT_STATS;
	st.within = 1;
	CHECK(!cj_wait_state_validate(&st, &err), "ws with within");
	st.within = 0;
	CHECK(cj_wait_state_validate(&st, &err), "empty ws valid");
	st.kind = 3;
	CHECK(!cj_wait_state_validate(&st, &err), "unknown kind code");
	return unit_done();
}
