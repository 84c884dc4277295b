/*-------------------------------------------------------------------------
 *
 * fuzz_sla_parse.c
 *	  libFuzzer target: the cj_sla literal parser and the duration
 *	  tokenizer (src/core/service/sla.c).
 *
 * An accepted policy must validate, print within CJ_SLA_TEXT_MAX and read
 * back to the same policy; durations print and read back exactly.
 *
 * seeds: cj_sla
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/service/sla.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse a policy and a duration; round-trip what is accepted */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjSla	   *a = malloc(sizeof(CjSla));
	CjSla	   *b = malloc(sizeof(CjSla));
	char	   *text = malloc(CJ_SLA_TEXT_MAX);
	const char *p = s;
	int64_t		us;
	CjError		err;

	if (cj_sla_parse(s, a, &err))
	{
		FUZZ_ASSERT(cj_sla_validate(a, &err));
		cj_sla_format(a, text, CJ_SLA_TEXT_MAX);
		FUZZ_ASSERT(memchr(text, '\0', CJ_SLA_TEXT_MAX) != NULL);
		FUZZ_ASSERT(cj_sla_parse(text, b, &err));
		FUZZ_ASSERT(a->ntiers == b->ntiers && a->has_default == b->has_default);
		{
			char	   *text2 = malloc(CJ_SLA_TEXT_MAX);

			cj_sla_format(b, text2, CJ_SLA_TEXT_MAX);
			FUZZ_ASSERT(strcmp(text, text2) == 0);
			free(text2);
		}
	}
	else
		FuzzCheckError(&err);
	if (cj_duration_parse(&p, "Target waits", &us, &err))
	{
		char		d[32];
		const char *q = d;
		int64_t		us2;

		cj_duration_format(us, d, sizeof(d));
		FUZZ_ASSERT(cj_duration_parse(&q, "Target waits", &us2, &err) && us2 == us);
	}
	else
		FuzzCheckError(&err);
	free(text);
	free(b);
	free(a);
	free(s);
	return 0;
}
