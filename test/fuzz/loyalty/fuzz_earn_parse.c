/*-------------------------------------------------------------------------
 *
 * fuzz_earn_parse.c
 *	  libFuzzer target: the cj_earn_rule parser (src/core/loyalty/earn.c)
 *	  and the points computation.
 *
 * An accepted rule must validate, print within CJ_EARN_TEXT_MAX and read
 * back to the same text; points for any amount are whole, not negative and
 * at most the cap, or an error of a known class.
 *
 * seeds: cj_earn_rule
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/loyalty/earn.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjEarnRule *r = malloc(sizeof(CjEarnRule));
	CjEarnRule *r2 = malloc(sizeof(CjEarnRule));
	CjError		err;

	if (cj_earn_parse(s, r, &err))
	{
		char	   *text = malloc(CJ_EARN_TEXT_MAX);
		char	   *text2 = malloc(CJ_EARN_TEXT_MAX);
		int64_t		amounts[] = {0, 1, 999999, 1000000, 10000000, INT64_C(9223372036854775807)};
		int			i,
					t;

		FUZZ_ASSERT(cj_earn_validate(r, &err));
		FUZZ_ASSERT(cj_earn_format(r, text) < CJ_EARN_TEXT_MAX);
		FUZZ_ASSERT(cj_earn_parse(text, r2, &err));
		cj_earn_format(r2, text2);
		FUZZ_ASSERT(strcmp(text, text2) == 0);
		for (t = -1; t < r->ntiers; t++)
			for (i = 0; i < (int) (sizeof(amounts) / sizeof(amounts[0])); i++)
			{
				int64_t		pts;

				if (cj_earn_points(r, amounts[i], t < 0 ? 1000000 : r->tiers[t].mult, &pts, &err))
				{
					FUZZ_ASSERT(pts >= 0);
					FUZZ_ASSERT(r->cap == CJ_EARN_NO_CAP ? pts % 1000000 == 0 : pts <= r->cap);
				}
				else
					FuzzCheckError(&err);
			}
		free(text2);
		free(text);
	}
	else
		FuzzCheckError(&err);
	free(r2);
	free(r);
	free(s);
	return 0;
}
