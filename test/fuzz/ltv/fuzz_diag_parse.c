/*-------------------------------------------------------------------------
 *
 * fuzz_diag_parse.c
 *	  libFuzzer target: the cj_holdout and cj_tracking literal parsers
 *	  (src/core/ltv/diag.c).
 *
 * Accepted forms must pass the checks the binary receivers apply
 * (bucket and header/series checks, normalised low-order parts) and stay
 * within their caps.
 *
 * seeds: cj_holdout
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/ltv/diag.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse the input as both a holdout table and a tracking series */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjHoldoutBucket *b = malloc(sizeof(CjHoldoutBucket) * (CJ_HOLDOUT_MAX_FREQ + 1));
	CjHoldoutComp *lo = malloc(sizeof(CjHoldoutComp) * (CJ_HOLDOUT_MAX_FREQ + 1));
	double	   *cum = malloc(sizeof(double) * CJ_TRACKING_MAX_PERIODS);
	double	   *clo = malloc(sizeof(double) * CJ_TRACKING_MAX_PERIODS);
	CjTrackingHead h;
	CjError		err;
	int			k = -1;
	int			i;

	if (cj_holdout_parse(s, b, &k, &err))
	{
		FUZZ_ASSERT(k >= 1 && k <= CJ_HOLDOUT_MAX_FREQ);
		for (i = 0; i <= k; i++)
			FUZZ_ASSERT(cj_holdout_bucket_check(&b[i], &err));
	}
	else
		FuzzCheckError(&err);
	if (cj_tracking_parse(s, &h, cum, &err))
	{
		FUZZ_ASSERT(h.periods >= 1 && h.periods <= CJ_TRACKING_MAX_PERIODS);
		FUZZ_ASSERT(cj_tracking_head_check(&h, &err));
		FUZZ_ASSERT(cj_tracking_series_check(&h, cum, &err));
	}
	else
		FuzzCheckError(&err);
	/* the forms with low-order parts (what the aggregates write) */
	if (cj_holdout_parse_comp(s, b, lo, &k, &err))
	{
		FUZZ_ASSERT(k >= 1 && k <= CJ_HOLDOUT_MAX_FREQ);
		for (i = 0; i <= k; i++)
			FUZZ_ASSERT(cj_holdout_bucket_check(&b[i], &err) &&
						cj_dd_valid(b[i].actual, lo[i].actual) &&
						cj_dd_valid(b[i].expected, lo[i].expected));
	}
	else
		FuzzCheckError(&err);
	if (cj_tracking_parse_comp(s, &h, cum, clo, &err))
	{
		FUZZ_ASSERT(cj_tracking_head_check(&h, &err));
		for (i = 0; i < h.periods; i++)
			FUZZ_ASSERT(cj_dd_valid(cum[i], clo[i]));
	}
	else
		FuzzCheckError(&err);
	free(clo);
	free(lo);
	free(cum);
	free(b);
	free(s);
	return 0;
}
