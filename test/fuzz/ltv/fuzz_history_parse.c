/*-------------------------------------------------------------------------
 *
 * fuzz_history_parse.c
 *	  libFuzzer target: the cj_history literal parser
 *	  (src/core/ltv/history_io.c).
 *
 * Sizes the history as the input function does (the day bound of the
 * text), parses, and for an accepted literal checks that it validates,
 * prints within the announced size and reads back to the same value.
 *
 * seeds: cj_history
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/ltv/history.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse, then format and re-parse an accepted literal */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	int32_t		cap = cj_history_text_days_bound(s);
	CjHistory  *h = malloc(cj_history_size(cap));
	CjError		err;

	FUZZ_ASSERT(cap >= 1 && cap <= CJ_HISTORY_MAX_DAYS);
	if (cj_history_parse(s, h, cap, &err))
	{
		size_t		tsize = cj_history_text_size(h);
		char	   *text = malloc(tsize);
		size_t		len;
		int32_t		cap2;
		CjHistory  *h2;

		FUZZ_ASSERT(h->ndays >= 1 && h->ndays <= cap);
		FUZZ_ASSERT(cj_history_validate(h, &err));
		len = cj_history_format(h, text);
		FUZZ_ASSERT(len < tsize && strlen(text) == len);
		cap2 = cj_history_text_days_bound(text);
		h2 = malloc(cj_history_size(cap2));
		FUZZ_ASSERT(cj_history_parse(text, h2, cap2, &err));
		FUZZ_ASSERT(h2->ndays == h->ndays &&
					h2->first_at == h->first_at && h2->last_at == h->last_at &&
					h2->total_spend == h->total_spend &&
					h2->first_spend == h->first_spend &&
					memcmp(h2->days, h->days, sizeof(int32_t) * h->ndays) == 0);
		free(h2);
		free(text);
	}
	else
		FuzzCheckError(&err);
	free(h);
	free(s);
	return 0;
}
