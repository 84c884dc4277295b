/*-------------------------------------------------------------------------
 *
 * fuzz_touches_parse.c
 *	  libFuzzer target: the cj_touches literal parser, printer and
 *	  validation (src/core/journey/touches_text.c).
 *
 * An accepted value must validate, print within cj_touches_text_size and
 * read back to the same model, half-life (bit for bit), conversion and
 * touches in the same order, whose text is the same again (parse ->
 * print -> parse is a fixed point).
 *
 * seeds: cj_touches
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/journey/touches_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	size_t		slen = strlen(s);
	CjTouchItem *a = malloc(sizeof(CjTouchItem) * cj_touches_parse_items(slen));
	char	   *an = malloc(cj_touches_parse_names(slen));
	CjTouchesHead ha,
				hb;
	CjError		err;
	int			n = cj_touches_parse(s, &ha, a, an, &err);

	if (n >= 0)
	{
		size_t		tsize = cj_touches_text_size(a, n);
		char	   *t1 = malloc(tsize);
		size_t		len = cj_touches_format(&ha, a, n, t1);
		CjTouchItem *b = malloc(sizeof(CjTouchItem) * cj_touches_parse_items(len));
		char	   *bn = malloc(cj_touches_parse_names(len));
		char	   *t2;
		int			m,
					i;

		FUZZ_ASSERT(cj_touches_validate(&ha, a, n, &err));
		FUZZ_ASSERT(len < tsize && strlen(t1) == len);
		m = cj_touches_parse(t1, &hb, b, bn, &err);
		FUZZ_ASSERT(m == n && ha.model == hb.model && ha.converted == hb.converted);
		FUZZ_ASSERT(memcmp(&ha.half_life, &hb.half_life, sizeof(double)) == 0);
		for (i = 0; i < n; i++)
			FUZZ_ASSERT(a[i].at == b[i].at && a[i].len == b[i].len &&
						memcmp(a[i].name, b[i].name, a[i].len) == 0);
		t2 = malloc(cj_touches_text_size(b, m));
		cj_touches_format(&hb, b, m, t2);
		FUZZ_ASSERT(strcmp(t1, t2) == 0);
		free(t2);
		free(bn);
		free(b);
		free(t1);
	}
	else
		FuzzCheckError(&err);
	free(an);
	free(a);
	free(s);
	return 0;
}
