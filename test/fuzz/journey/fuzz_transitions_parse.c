/*-------------------------------------------------------------------------
 *
 * fuzz_transitions_parse.c
 *	  libFuzzer target: the cj_transitions literal parser, printer and
 *	  validation (src/core/journey/transitions_text.c).
 *
 * An accepted state must validate, print within cj_transitions_text_size
 * and read back to the same channels and transitions, whose text is the
 * same again (parse -> print -> parse is a fixed point).
 *
 * seeds: cj_transitions
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/journey/transitions_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Room for a parse of a text of len bytes */
static char *
Alloc(CjChainText *c, size_t len)
{
	c->chans = malloc(sizeof(CjChainChannel) * cj_transitions_parse_chans(len));
	c->trans = malloc(sizeof(CjMarkovTrans) * cj_transitions_parse_trans(len));
	return malloc(cj_transitions_parse_names(len));
}

static void
Free(CjChainText *c, char *names)
{
	free(c->chans);
	free(c->trans);
	free(names);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjChainText a,
				b;
	char	   *an = Alloc(&a, strlen(s));
	CjError		err;

	if (cj_transitions_parse(s, &a, an, &err))
	{
		size_t		tsize = cj_transitions_text_size(&a);
		char	   *t1 = malloc(tsize);
		size_t		len = cj_transitions_format(&a, t1);
		char	   *bn = Alloc(&b, len);
		char	   *t2;
		int			i;

		FUZZ_ASSERT(cj_transitions_validate(&a, &err));
		FUZZ_ASSERT(len < tsize && strlen(t1) == len);
		FUZZ_ASSERT(cj_transitions_parse(t1, &b, bn, &err));
		FUZZ_ASSERT(a.order == b.order && a.nchan == b.nchan && a.ntrans == b.ntrans);
		for (i = 0; i < a.nchan; i++)
			FUZZ_ASSERT(a.chans[i].len == b.chans[i].len &&
						a.chans[i].converting == b.chans[i].converting &&
						memcmp(a.chans[i].name, b.chans[i].name, a.chans[i].len) == 0);
		FUZZ_ASSERT(memcmp(a.trans, b.trans, sizeof(CjMarkovTrans) * a.ntrans) == 0);
		t2 = malloc(cj_transitions_text_size(&b));
		cj_transitions_format(&b, t2);
		FUZZ_ASSERT(strcmp(t1, t2) == 0);
		free(t2);
		free(t1);
		Free(&b, bn);
	}
	else
		FuzzCheckError(&err);
	Free(&a, an);
	free(s);
	return 0;
}
