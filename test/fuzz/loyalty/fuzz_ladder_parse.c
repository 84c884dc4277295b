/*-------------------------------------------------------------------------
 *
 * fuzz_ladder_parse.c
 *	  libFuzzer target: the cj_ladder literal parser
 *	  (src/core/loyalty/ladder.c) and the review policy names.
 *
 * An accepted ladder must validate, print within its announced size and
 * read back to the same ladder; earned tiers must be in range.
 *
 * seeds: cj_ladder
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/loyalty/ladder.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True when two ladders hold the same tiers */
static bool
SameLadder(const CjLadder *a, const CjLadder *b)
{
	int			i;

	if (a->ntiers != b->ntiers)
		return false;
	for (i = 0; i < a->ntiers; i++)
		if (a->tiers[i].qualify != b->tiers[i].qualify ||
			a->tiers[i].keep != b->tiers[i].keep ||
			strcmp(a->tiers[i].name, b->tiers[i].name) != 0)
			return false;
	return true;
}

/* Parse, then print and re-parse an accepted ladder */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjLadder   *l = malloc(sizeof(CjLadder));
	CjLadder   *l2 = malloc(sizeof(CjLadder));
	CjError		err;
	CjPolicy	pol;

	(void) cj_policy_parse(s, strlen(s), &pol);
	if (cj_ladder_parse(s, l, &err))
	{
		size_t		tsize = cj_ladder_text_size(l);
		char	   *text = malloc(tsize);
		int			e;

		FUZZ_ASSERT(l->ntiers >= 1 && l->ntiers <= CJ_LADDER_MAX_TIERS);
		FUZZ_ASSERT(cj_ladder_validate(l, &err));
		cj_ladder_format(l, text);
		FUZZ_ASSERT(strlen(text) < tsize);
		FUZZ_ASSERT(cj_ladder_parse(text, l2, &err));
		FUZZ_ASSERT(SameLadder(l, l2));
		e = cj_ladder_earned(l, l->tiers[l->ntiers - 1].qualify);
		FUZZ_ASSERT(e >= 0 && e < l->ntiers);
		e = cj_ladder_earned(l, INT64_MIN);
		FUZZ_ASSERT(e >= -1 && e < l->ntiers);
		free(text);
	}
	else
		FuzzCheckError(&err);
	free(l2);
	free(l);
	free(s);
	return 0;
}
