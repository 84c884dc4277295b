/*-------------------------------------------------------------------------
 *
 * fuzz_fit_state_parse.c
 *	  libFuzzer target: the cj_fit_state literal parser, printer and
 *	  validation (src/core/ltv/fit_state_text.c).
 *
 * An accepted state must validate, print within cj_fit_state_text_size
 * and read back to the same family, unit and tuples (bit for bit), whose
 * text is the same again (parse -> print -> parse is a fixed point).
 *
 * seeds: cj_fit_state
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/ltv/fit_state_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjFitText	a,
				b;
	CjError		err;

	a.t = malloc(sizeof(CjTuple) * cj_fit_state_parse_tuples(strlen(s)));
	if (cj_fit_state_parse(s, &a, &err))
	{
		size_t		tsize = cj_fit_state_text_size(&a);
		char	   *t1 = malloc(tsize);
		size_t		len = cj_fit_state_format(&a, t1);
		char	   *t2;
		CjFitText	c = a;

		FUZZ_ASSERT(len < tsize && strlen(t1) == len);
		/* validation of the parsed (normalised) tuples changes nothing */
		c.t = malloc(sizeof(CjTuple) * (a.n + 1));
		memcpy(c.t, a.t, sizeof(CjTuple) * a.n);
		FUZZ_ASSERT(cj_fit_state_validate(&c, &err));
		FUZZ_ASSERT(c.n == a.n && memcmp(c.t, a.t, sizeof(CjTuple) * a.n) == 0);
		b.t = malloc(sizeof(CjTuple) * cj_fit_state_parse_tuples(len));
		FUZZ_ASSERT(cj_fit_state_parse(t1, &b, &err));
		FUZZ_ASSERT(a.family == b.family && a.n == b.n &&
					memcmp(&a.unit, &b.unit, sizeof(double)) == 0);
		FUZZ_ASSERT(memcmp(a.t, b.t, sizeof(CjTuple) * a.n) == 0);
		t2 = malloc(cj_fit_state_text_size(&b));
		cj_fit_state_format(&b, t2);
		FUZZ_ASSERT(strcmp(t1, t2) == 0);
		free(t2);
		free(b.t);
		free(c.t);
		free(t1);
	}
	else
		FuzzCheckError(&err);
	free(a.t);
	free(s);
	return 0;
}
