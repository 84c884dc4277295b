/*-------------------------------------------------------------------------
 *
 * fuzz_skills.c
 *	  libFuzzer target: the cj_skillset and cj_requirement parsers and
 *	  binary-form checks (src/core/service/skills.c).
 *
 * Every input is given to both text parsers: an accepted value must
 * validate, print within its text bound and read back to the same bytes,
 * and its matching functions must agree with their definitions (a step's
 * start is where step_at changes, eligible_after is the start of the first
 * satisfied step and every later step is satisfied too).  The input is
 * also taken as the raw stored structure of each type: whatever the
 * binary-input check accepts must print and read back to the same bytes.
 *
 * seeds: cj_requirement
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/service/skills.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print a skill set, parse it back, compare bytes */
static void
SkillsetRoundTrip(const CjSkillset *s)
{
	char	   *text = malloc(CJ_SKILLSET_TEXT_MAX);
	CjSkillset *b = malloc(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	CjError		err;

	cj_skillset_format(s, text, CJ_SKILLSET_TEXT_MAX);
	FUZZ_ASSERT(strlen(text) + 1 < CJ_SKILLSET_TEXT_MAX);
	FUZZ_ASSERT(cj_skillset_parse(text, b, &err));
	FUZZ_ASSERT(b->n == s->n && memcmp(b, s, CJ_SKILLSET_SIZE(s->n)) == 0);
	free(b);
	free(text);
}

/* Print a requirement, parse it back, compare bytes */
static void
RequirementRoundTrip(const CjRequirement *r)
{
	char	   *text = malloc(CJ_REQ_TEXT_MAX);
	CjRequirement *b = malloc(CJ_REQ_SIZE_MAX);
	CjError		err;

	cj_requirement_format(r, text, CJ_REQ_TEXT_MAX);
	FUZZ_ASSERT(strlen(text) + 1 < CJ_REQ_TEXT_MAX);
	FUZZ_ASSERT(cj_requirement_parse(text, b, &err));
	FUZZ_ASSERT(b->nsteps == r->nsteps && b->nterms == r->nterms &&
				memcmp(b, r, CJ_REQ_SIZE(r->nsteps, r->nterms)) == 0);
	free(b);
	free(text);
}

/* step_at, step_start and eligible_after against their definitions */
static void
Matching(const CjRequirement *r, const CjSkillset *s)
{
	int64_t		e = cj_requirement_eligible_after(r, s);
	int			k,
				first = -1;

	for (k = 0; k < r->nsteps; k++)
	{
		int64_t		start = cj_requirement_step_start(r, k);

		FUZZ_ASSERT(cj_requirement_step_at(r, start) == k);
		if (k > 0)
			FUZZ_ASSERT(cj_requirement_step_at(r, start - 1) == k - 1);
		if (cj_skills_satisfy(s, r, k))
		{
			if (first < 0)
				first = k;
		}
		else
			FUZZ_ASSERT(first < 0);		/* steps only relax */
	}
	FUZZ_ASSERT(first < 0 ? e == -1 : e == cj_requirement_step_start(r, first));
}

/* Parse both types, and check the input as raw stored structures */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str = FuzzCString(data, size);
	CjSkillset *s = malloc(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	CjRequirement *r = malloc(CJ_REQ_SIZE_MAX);
	CjError		err;
	bool		have_s,
				have_r;

	have_s = cj_skillset_parse(str, s, &err);
	if (have_s)
	{
		FUZZ_ASSERT(cj_skillset_validate(s, &err));
		SkillsetRoundTrip(s);
	}
	else
		FuzzCheckError(&err);
	have_r = cj_requirement_parse(str, r, &err);
	if (have_r)
	{
		FUZZ_ASSERT(cj_requirement_validate(r, CJ_REQ_SIZE(r->nsteps, r->nterms), &err));
		RequirementRoundTrip(r);
		if (have_s)
			Matching(r, s);
		else
		{
			CjSkillset	none = {0, 0};

			Matching(r, &none);
		}
	}
	else
		FuzzCheckError(&err);

	/* the bytes as a stored skill set and a stored requirement */
	if (size >= CJ_SKILLSET_SIZE(0) && size <= CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX))
	{
		memcpy(s, data, size);
		if (s->n >= 0 && s->n <= CJ_SKILLSET_MAX && CJ_SKILLSET_SIZE(s->n) == size &&
			cj_skillset_validate(s, &err))
			SkillsetRoundTrip(s);
	}
	if (size >= CJ_REQ_SIZE(0, 0) && size <= CJ_REQ_SIZE_MAX)
	{
		memcpy(r, data, size);
		if (cj_requirement_validate(r, size, &err))
			RequirementRoundTrip(r);
		else
			FuzzCheckError(&err);
	}
	free(r);
	free(s);
	free(str);
	return 0;
}
