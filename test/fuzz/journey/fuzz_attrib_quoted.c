/*-------------------------------------------------------------------------
 *
 * fuzz_attrib_quoted.c
 *	  libFuzzer target: the quoted-name tokenizer of the attribution types
 *	  (cj_parse_quoted, src/core/journey/attrib.c) and the model names.
 *
 * Names are parsed one after another, as the cj_credits, cj_touches and
 * cj_transitions parsers do; an accepted name fits its buffer, and its
 * length matches what was written.
 *
 * seeds: cj_credits
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/journey/attrib.h"
#include "core/common/text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tokenize quoted names, skipping one character after each failure */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	const char *end = s + strlen(s);
	const char *p = s;
	char	   *buf = malloc(CJ_CHANNEL_MAX_LEN + 1);
	CjAttribModel model;
	CjError		err;
	int			len;

	(void) cj_attrib_model_parse(s, &model);
	while (*p)
	{
		const char *before = p;

		len = -1;
		if (cj_parse_quoted(&p, buf, &len, &err))
		{
			FUZZ_ASSERT(len >= 0 && len <= CJ_CHANNEL_MAX_LEN);
			FUZZ_ASSERT(buf[len] == '\0');
			FUZZ_ASSERT(p > before && p <= end);
		}
		else
		{
			FuzzCheckError(&err);
			p = before + 1;
		}
	}
	free(buf);
	free(s);
	return 0;
}
