/*-------------------------------------------------------------------------
 *
 * fuzz_liability_parse.c
 *	  libFuzzer target: the cj_liability parser
 *	  (src/core/loyalty/liability.c).
 *
 * An accepted value must validate, print within CJ_LIAB_TEXT_MAX and read
 * back to the same months and points.
 *
 * seeds: cj_liability
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/loyalty/liability.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	int64_t    *pairs = malloc(sizeof(int64_t) * 2 * CJ_LIAB_MAX_MONTHS);
	int64_t    *pairs2 = malloc(sizeof(int64_t) * 2 * CJ_LIAB_MAX_MONTHS);
	int32_t		first,
				first2;
	int			n,
				n2;
	CjError		err;

	if (cj_liability_parse(s, &first, &n, pairs, &err))
	{
		char	   *text = malloc(CJ_LIAB_TEXT_MAX);

		FUZZ_ASSERT(cj_liability_validate(first, n, pairs, &err));
		FUZZ_ASSERT(cj_liability_format(first, n, pairs, text) < CJ_LIAB_TEXT_MAX);
		FUZZ_ASSERT(cj_liability_parse(text, &first2, &n2, pairs2, &err));
		FUZZ_ASSERT(first == first2 && n == n2 &&
					memcmp(pairs, pairs2, sizeof(int64_t) * 2 * n) == 0);
		free(text);
	}
	else
		FuzzCheckError(&err);
	free(pairs2);
	free(pairs);
	free(s);
	return 0;
}
