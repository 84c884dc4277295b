/*-------------------------------------------------------------------------
 *
 * fuzz_text.c
 *	  libFuzzer target: the shared tokenizers of src/core/common/text.c.
 *
 * Runs every tokenizer over the input as the literal parsers do (in a
 * loop, each starting where the last stopped) and checks that each either
 * fails or advances within the string, that doubles are finite and that
 * identifiers fit their buffer.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>

#include "fuzz.h"
#include "core/common/text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tokenize s with a mix of tokenizers chosen by the first byte */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	const char *end = s + strlen(s);
	const char *p = s;
	int			steps = 0;

	while (*p && steps++ < 10000)
	{
		const char *before = p;
		double		d;
		int64_t		i;
		char		ident[16];
		int			n;

		if (cj_parse_double(&p, &d))
			FUZZ_ASSERT(isfinite(d) && p > before && p <= end);
		else if (cj_parse_int64(&p, &i))
			FUZZ_ASSERT(p > before && p <= end);
		else if ((n = cj_parse_ident(&p, ident, sizeof(ident))) != 0)
		{
			FUZZ_ASSERT(n == -1 || (n > 0 && (size_t) n < sizeof(ident) &&
									strlen(ident) == (size_t) n));
			if (n == -1)
				break;
		}
		else if (*cj_skip_space(p) && cj_accept_char(&p, *cj_skip_space(p)))
			FUZZ_ASSERT(p > before && p <= end);
		else
			p = cj_skip_space(p) + (*cj_skip_space(p) ? 1 : 0);
		FUZZ_ASSERT(p <= end);
		(void) cj_at_end(p);
	}
	free(s);
	return 0;
}
