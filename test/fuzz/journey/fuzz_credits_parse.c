/*-------------------------------------------------------------------------
 *
 * fuzz_credits_parse.c
 *	  libFuzzer target: the cj_credits and cj_credits_acc literal parser,
 *	  printer and validation (src/core/journey/credits_text.c).
 *
 * Every input is parsed as both types.  An accepted value must validate,
 * print within cj_credits_text_size and read back to the same channels
 * and bit-identical credits, whose text is the same again (parse -> print
 * -> parse is a fixed point).
 *
 * seeds: cj_credits
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/journey/credits_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse as one type; round-trip what is accepted */
static void
RoundTrip(const char *s, size_t size, bool acc)
{
	CjCreditItem *a = malloc(sizeof(CjCreditItem) * cj_credits_parse_items(size));
	char	   *an = malloc(cj_credits_parse_names(size));
	CjError		err;
	int			n = cj_credits_parse(s, acc, a, an, &err);

	if (n >= 0)
	{
		size_t		tsize = cj_credits_text_size(a, n);
		char	   *t1 = malloc(tsize);
		size_t		len = cj_credits_format(a, n, t1);
		CjCreditItem *b = malloc(sizeof(CjCreditItem) * cj_credits_parse_items(len));
		char	   *bn = malloc(cj_credits_parse_names(len));
		int			m,
					i;

		FUZZ_ASSERT(cj_credits_validate(a, n, acc, &err));
		FUZZ_ASSERT(len < tsize && strlen(t1) == len);
		m = cj_credits_parse(t1, acc, b, bn, &err);
		FUZZ_ASSERT(m == n);
		for (i = 0; i < n; i++)
		{
			FUZZ_ASSERT(a[i].len == b[i].len && memcmp(a[i].name, b[i].name, a[i].len) == 0);
			FUZZ_ASSERT(memcmp(&a[i].credit, &b[i].credit, sizeof(double)) == 0);
			FUZZ_ASSERT(memcmp(&a[i].comp, &b[i].comp, sizeof(double)) == 0);
		}
		{
			char	   *t2 = malloc(cj_credits_text_size(b, m));

			cj_credits_format(b, m, t2);
			FUZZ_ASSERT(strcmp(t1, t2) == 0);
			free(t2);
		}
		free(bn);
		free(b);
		free(t1);
	}
	else
		FuzzCheckError(&err);
	free(an);
	free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);

	RoundTrip(s, strlen(s), false);
	RoundTrip(s, strlen(s), true);
	free(s);
	return 0;
}
