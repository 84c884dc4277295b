/*
 * test_diag.c
 *	  Unit tests of the diagnostics core (src/core/ltv/diag.c): frequency
 *	  buckets and the strict parsers of the holdout and tracking forms.
 */
#include "unit.h"
#include "core/ltv/diag.h"

static CjHoldoutBucket hb[CJ_HOLDOUT_MAX_FREQ + 1];
static double cum[CJ_TRACKING_MAX_PERIODS];

/* True when s parses as a holdout value */
static int
HoldoutOk(const char *s)
{
	CjError		err;
	int			k;

	return cj_holdout_parse(s, hb, &k, &err);
}

/* The error class of a rejected tracking literal (CJ_OK if accepted) */
static CjErrKind
TrackingErr(const char *s)
{
	CjTrackingHead h;
	CjError		err;

	return cj_tracking_parse(s, &h, cum, &err) ? CJ_OK : err.kind;
}

int
main(void)
{
	CjTrackingHead h;
	CjError		err;
	int			k = 0;

	CHECK(cj_holdout_bucket(0, 7) == 0, "x = 0 in bucket 0");
	CHECK(cj_holdout_bucket(6, 7) == 6, "x = 6 in bucket 6");
	CHECK(cj_holdout_bucket(7, 7) == 7, "x = 7 in 7+");
	CHECK(cj_holdout_bucket(1e9, 7) == 7, "huge x in 7+");
	CHECK(cj_holdout_bucket(2.5, 7) == 2, "fractional x floors");

	CHECK(cj_holdout_parse("0:3/1/0.5 1:0/0/0 2+:1/4/3.25", hb, &k, &err) &&
		  k == 2 && hb[0].customers == 3 && hb[2].expected == 3.25,
		  "holdout literal parses");
	CHECK(!HoldoutOk("0:1/0/0"), "missing k+ rejected");
	CHECK(!HoldoutOk("1:1/0/0 2+:0/0/0"), "labels must start at 0");
	CHECK(!HoldoutOk("0+:1/0/0"), "k = 0 rejected");
	CHECK(!HoldoutOk("0:0/1/0 1+:0/0/0"), "empty bucket with totals rejected");
	CHECK(!HoldoutOk("0:1/inf/0 1+:0/0/0"), "infinity rejected");
	CHECK(!HoldoutOk("0:1/0/0 1+:0/0/0,"), "trailing junk rejected");

	CHECK(TrackingErr("start=-5 length=10 customers=2 {0,1.5}") == CJ_OK,
		  "tracking literal parses");
	CHECK(cj_tracking_parse("start=-5 length=10 customers=2 {0,1.5}", &h, cum, &err) &&
		  h.periods == 2 && h.start == -5 && cum[1] == 1.5, "tracking fields");
	CHECK(TrackingErr("start=0 length=0 customers=0 {0}") == CJ_ERR_PARAM,
		  "zero length rejected");
	CHECK(TrackingErr("start=0 length=1 customers=0 {}") == CJ_ERR_SYNTAX,
		  "empty series rejected");
	CHECK(TrackingErr("start=0 length=1 customers=0 {-1}") == CJ_ERR_RANGE,
		  "negative expectation rejected");
	CHECK(TrackingErr("start=4611686018427387905 length=1 customers=0 {1}") == CJ_ERR_RANGE,
		  "start out of range rejected");
	CHECK(TrackingErr("start=0 length=4611686018427387904 customers=0 {1,1}") == CJ_ERR_PARAM,
		  "span overflow rejected");
	return unit_done();
}
