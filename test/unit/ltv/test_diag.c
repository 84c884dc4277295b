/*
 * test_diag.c
 *	  Unit tests of the diagnostics core (src/core/ltv/diag.c): frequency
 *	  buckets, the strict parsers of the holdout and tracking forms and
 *	  the double-double sums that make both order-independent.
 */
#include <float.h>
#include <math.h>

#include "unit.h"
#include "core/ltv/diag.h"

static CjHoldoutBucket hb[CJ_HOLDOUT_MAX_FREQ + 1];
static CjHoldoutComp hlo[CJ_HOLDOUT_MAX_FREQ + 1];
static double cum[CJ_TRACKING_MAX_PERIODS];
static double tlo[CJ_TRACKING_MAX_PERIODS];

#define NTERMS 20000
static double terms[NTERMS];

/* The double-double sum of terms[0..n) in the order given by perm */
static double
DdSum(const int *perm, int n)
{
	double		hi = 0.0,
				lo = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		if (!cj_dd_add(&hi, &lo, terms[perm ? perm[i] : i], 0.0))
			return NAN;
	return hi;
}

/* Two partial double-double sums combined, as a parallel plan does */
static double
DdSplitSum(int n, int cut)
{
	double		h1 = 0.0,
				l1 = 0.0,
				h2 = 0.0,
				l2 = 0.0;
	int			i;

	for (i = 0; i < cut; i++)
		cj_dd_add(&h1, &l1, terms[i], 0.0);
	for (i = n - 1; i >= cut; i--)
		cj_dd_add(&h2, &l2, terms[i], 0.0);
	cj_dd_add(&h1, &l1, h2, l2);
	return h1;
}

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

	/* double-double sums: the same total in any order and grouping */
	{
		static int	perm[NTERMS];
		uint64_t	seed = 42;
		double		fwd,
					naive_fwd = 0.0,
					naive_rev = 0.0,
					hi = 1.0,
					lo = 0.0;
		int			i,
					same = 1;

		for (i = 0; i < NTERMS; i++)
		{
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			terms[i] = (double) (seed >> 11) / 9007199254740992.0 *
				pow(10.0, (double) (i % 13));
			perm[i] = i;
		}
		fwd = DdSum(NULL, NTERMS);
		for (i = 0; i < NTERMS; i++)
			naive_fwd += terms[i];
		for (i = NTERMS - 1; i >= 0; i--)
			naive_rev += terms[i];
		for (k = 0; k < 20 && same; k++)
		{
			for (i = NTERMS - 1; i > 0; i--)
			{
				int			j;
				int			t;

				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				j = (int) ((seed >> 33) % (uint64_t) (i + 1));
				t = perm[i];
				perm[i] = perm[j];
				perm[j] = t;
			}
			same = DdSum(perm, NTERMS) == fwd;
		}
		CHECK(same, "double-double sum identical over 20 shuffles");
		CHECK(DdSplitSum(NTERMS, NTERMS / 3) == fwd &&
			  DdSplitSum(NTERMS, NTERMS / 2) == fwd, "split and combined sums identical");
		CHECK(naive_fwd != naive_rev, "(the naive sums of these terms do depend on the order)");
		CHECK(cj_dd_add(&hi, &lo, 1e-17, 0.0) && hi == 1.0 && lo == 1e-17 &&
			  cj_dd_add(&hi, &lo, 1e-17, 0.0) && hi == 1.0 && lo == 2e-17,
			  "low part keeps what the total cannot");
		hi = DBL_MAX;
		lo = 0.0;
		CHECK(!cj_dd_add(&hi, &lo, DBL_MAX, 0.0) && hi == DBL_MAX && lo == 0.0,
			  "overflow refused, pair unchanged");
		CHECK(cj_dd_valid(1.0, 1e-17) && !cj_dd_valid(1.0, 0.5) &&
			  !cj_dd_valid(1.0, INFINITY) && !cj_dd_valid(0.0, 1e-300),
			  "normalised pairs only");
	}

	/* the low parts in the text forms */
	CHECK(cj_holdout_parse_comp("0:3/1-1e-30/0.5+2.5e-17 1+:1/4/3.25", hb, hlo, &k, &err) &&
		  k == 1 && hlo[0].actual == -1e-30 && hlo[0].expected == 2.5e-17 &&
		  hlo[1].actual == 0.0, "holdout low parts parse");
	CHECK(!cj_holdout_parse_comp("0:3/1+0.5/0 1+:0/0/0", hb, hlo, &k, &err),
		  "unnormalised low part rejected");
	CHECK(!cj_holdout_parse_comp("0:3/1+0/0 1+:0/0/0", hb, hlo, &k, &err),
		  "a written low part is not zero");
	CHECK(!HoldoutOk("0:3/1-1e-30/0 1+:0/0/0"), "plain parser takes no low parts");
	CHECK(cj_tracking_parse_comp("start=0 length=1 customers=1 {1+1e-17,2}", &h, cum, tlo, &err) &&
		  tlo[0] == 1e-17 && tlo[1] == 0.0, "tracking low parts parse");
	CHECK(!cj_tracking_parse_comp("start=0 length=1 customers=1 {1+1}", &h, cum, tlo, &err),
		  "unnormalised tracking low part rejected");
	return unit_done();
}
