/*
 * test_skills.c
 *	  Unit tests of cj_skillset and cj_requirement (src/core/service/
 *	  skills.c): canonical round trips, every error, the relaxation rule,
 *	  binary-form validation, and step_at / eligible_after against a brute
 *	  force over a grid of waits.
 */
#include "unit.h"
#include "core/service/skills.h"

#include <stdlib.h>
#include <string.h>

static CjSkillset *ss;
static CjSkillset *ss2;
static CjRequirement *rq;
static CjRequirement *rq2;
static char out[CJ_REQ_TEXT_MAX > CJ_SKILLSET_TEXT_MAX ? CJ_REQ_TEXT_MAX : CJ_SKILLSET_TEXT_MAX];
static CjError err;

/* Skill set s prints as want, which reads back to the same bytes */
static int
SetCanon(const char *s, const char *want)
{
	if (!cj_skillset_parse(s, ss, &err))
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_skillset_format(ss, out, sizeof(out));
	if (strcmp(out, want) != 0)
	{
		printf("# %s -> %s\n", s, out);
		return 0;
	}
	if (!cj_skillset_validate(ss, &err) || !cj_skillset_parse(out, ss2, &err))
		return 0;
	return memcmp(ss, ss2, CJ_SKILLSET_SIZE(ss->n)) == 0;
}

/* Skill set s is refused with kind; the detail is a sentence */
static int
SetFails(const char *s, CjErrKind kind)
{
	size_t		n;

	if (cj_skillset_parse(s, ss, &err))
		return 0;
	n = strlen(err.detail);
	if (err.kind != kind)
		printf("# %s: kind %d: %s\n", s, (int) err.kind, err.detail);
	return err.kind == kind && n > 1 && err.detail[n - 1] == '.' &&
		err.detail[0] >= 'A' && err.detail[0] <= 'Z';
}

/* Requirement s prints as want, which reads back to the same bytes */
static int
ReqCanon(const char *s, const char *want)
{
	if (!cj_requirement_parse(s, rq, &err))
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_requirement_format(rq, out, sizeof(out));
	if (strcmp(out, want) != 0)
	{
		printf("# %s -> %s\n", s, out);
		return 0;
	}
	if (!cj_requirement_validate(rq, CJ_REQ_SIZE(rq->nsteps, rq->nterms), &err) ||
		!cj_requirement_parse(out, rq2, &err))
		return 0;
	return memcmp(rq, rq2, CJ_REQ_SIZE(rq->nsteps, rq->nterms)) == 0;
}

/* Requirement s is refused with kind; detail contains part (if given) */
static int
ReqFails(const char *s, CjErrKind kind, const char *part)
{
	if (cj_requirement_parse(s, rq, &err))
	{
		printf("# %s accepted\n", s);
		return 0;
	}
	if (err.kind != kind || (part && strstr(err.detail, part) == NULL))
	{
		printf("# %s: kind %d: %s\n", s, (int) err.kind, err.detail);
		return 0;
	}
	return 1;
}

/* Brute force: is s eligible after w microseconds (direct definition) */
static int
EligibleBrute(const CjRequirement *r, const CjSkillset *s, int64_t w)
{
	int64_t		end = 0;
	int			k;

	for (k = 0; k < r->nsteps - 1; k++)
	{
		end += r->steps[k].for_us;
		if (w < end)
			break;
	}
	return cj_skills_satisfy(s, r, k);
}

/* eligible_after against a scan of waits in steps of 1 s around every boundary */
static int
EligibleGrid(const char *req, const char *set)
{
	int64_t		e,
				w,
				first = -1;

	if (!cj_requirement_parse(req, rq, &err) || !cj_skillset_parse(set, ss, &err))
		return 0;
	e = cj_requirement_eligible_after(rq, ss);
	for (w = 0; w <= 400 * 1000000LL; w += 500000)
	{
		int			el = EligibleBrute(rq, ss, w);

		if (el && first < 0)
			first = w;
		if (first >= 0 && !el)
			return 0;			/* not monotone */
		if (el != (e >= 0 && w >= e))
		{
			printf("# %s / %s: w=%lld eligible %d, eligible_after %lld\n", req, set,
				   (long long) w, el, (long long) e);
			return 0;
		}
	}
	return 1;
}

/* Random literals from a small alphabet: never crash; accepted ones round-trip */
static int
Fuzz(void)
{
	static const char *seeds[] = {
		"billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any",
		"a:5, b:3, \"c d\":2", "{a,b,\"c\\\"\"}", "x for 1s; any"
	};
	static const char alphabet[] = "ab\"{},:;&>=0159 sforanyminh\\";
	unsigned	seed = 4242;
	char		buf[96];
	int			i,
				k,
				ok = 1;

	for (i = 0; i < 200000 && ok; i++)
	{
		size_t		len;

		strcpy(buf, seeds[i % 4]);
		len = strlen(buf);
		for (k = 0; k < 3; k++)
		{
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
		}
		if (cj_skillset_parse(buf, ss, &err))
		{
			cj_skillset_format(ss, out, sizeof(out));
			ok = cj_skillset_validate(ss, &err) && cj_skillset_parse(out, ss2, &err) &&
				memcmp(ss, ss2, CJ_SKILLSET_SIZE(ss->n)) == 0;
		}
		if (ok && cj_requirement_parse(buf, rq, &err))
		{
			cj_requirement_format(rq, out, sizeof(out));
			ok = cj_requirement_validate(rq, CJ_REQ_SIZE(rq->nsteps, rq->nterms), &err) &&
				cj_requirement_parse(out, rq2, &err) &&
				memcmp(rq, rq2, CJ_REQ_SIZE(rq->nsteps, rq->nterms)) == 0;
		}
		if (!ok)
			printf("# fuzz: %s\n", buf);
	}
	return ok;
}

int
main(void)
{
	char		big[CJ_SKILLSET_TEXT_MAX];
	int			i;

	ss = malloc(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	ss2 = malloc(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	rq = malloc(CJ_REQ_SIZE_MAX);
	rq2 = malloc(CJ_REQ_SIZE_MAX);

	/* skill sets */
	CHECK(SetCanon("billing:5, spanish:3", "billing:5, spanish:3"), "skill set canonical");
	CHECK(SetCanon(" spanish : 3 ,billing:5 ", "billing:5, spanish:3"), "sorted, spaces");
	CHECK(SetCanon("billing, spanish", "billing:1, spanish:1"), "no level is level 1");
	CHECK(SetCanon("", "{}") && ss->n == 0, "empty literal");
	CHECK(SetCanon("{}", "{}") && ss->n == 0, "empty array");
	CHECK(SetCanon("{ }", "{}"), "empty array with space");
	CHECK(SetCanon("{billing,spanish}", "billing:1, spanish:1"), "array form");
	CHECK(SetCanon("{spanish, billing , billing}", "billing:1, spanish:1"), "array: repeats merged, spaces trimmed");
	CHECK(SetCanon("{\"es-ES\",\"a\\\"b\", c\\,d, NULL}", "\"a\\\"b\":1, \"c,d\":1, \"es-ES\":1"),
		  "array: quotes, escapes, NULL dropped");
	CHECK(SetCanon("{\"NULL\", x y }", "NULL:1, \"x y\":1"), "array: quoted NULL is a name, inner space kept");
	CHECK(SetCanon("\"es-ES\":3, \"\\\\\":2", "\"\\\\\":2, \"es-ES\":3"), "quoted names");
	CHECK(SetCanon("B:1, a:100, _x:7", "B:1, _x:7, a:100"), "byte order, case matters, max level");
	CHECK(SetCanon("any:2, for:3", "any:2, for:3"), "any and for are plain names in a set");
	CHECK(cj_skillset_level(ss, "for", 3) == 3 && cj_skillset_level(ss, "fo", 2) == 0 &&
		  cj_skillset_level(ss, "forx", 4) == 0 && cj_skillset_level(ss, "", 0) == 0, "skill level lookup");

	CHECK(SetFails("billing:0", CJ_ERR_RANGE), "level 0");
	CHECK(SetFails("billing:101", CJ_ERR_RANGE), "level 101");
	CHECK(SetFails("billing:-1", CJ_ERR_RANGE), "negative level");
	CHECK(SetFails("billing:99999999999999999999", CJ_ERR_SYNTAX), "level overflow");
	CHECK(SetFails("billing:", CJ_ERR_SYNTAX), "missing level");
	CHECK(SetFails("billing:2.5", CJ_ERR_SYNTAX), "fractional level");
	CHECK(SetFails("billing:5, billing:3", CJ_ERR_PARAM), "duplicate");
	CHECK(SetFails("billing,", CJ_ERR_SYNTAX), "trailing comma");
	CHECK(SetFails(",", CJ_ERR_SYNTAX), "lone comma");
	CHECK(SetFails("billing spanish", CJ_ERR_SYNTAX), "missing comma");
	CHECK(SetFails("9x:1", CJ_ERR_SYNTAX), "name starts with a digit");
	CHECK(SetFails("es-ES:1", CJ_ERR_SYNTAX), "unquoted dash");
	CHECK(SetFails("\"\":1", CJ_ERR_PARAM), "empty quoted name");
	CHECK(SetFails("\"abc:1", CJ_ERR_SYNTAX), "unterminated quote");
	CHECK(SetFails("\"a\\b\":1", CJ_ERR_SYNTAX), "bad escape");
	CHECK(SetFails("{a,,b}", CJ_ERR_SYNTAX), "array: empty element");
	CHECK(SetFails("{a", CJ_ERR_SYNTAX), "array: unterminated");
	CHECK(SetFails("{a} x", CJ_ERR_SYNTAX), "array: trailing junk");
	CHECK(SetFails("{{a}}", CJ_ERR_SYNTAX), "array: two dimensions");
	CHECK(SetFails("{\"a}", CJ_ERR_SYNTAX), "array: unterminated quote");
	CHECK(SetFails("{\"\"}", CJ_ERR_PARAM), "array: empty string");
	CHECK(SetFails("[1:1]={a}", CJ_ERR_SYNTAX), "array: explicit bounds");
	memset(big, 'a', 64);
	strcpy(big + 64, ":1");
	CHECK(SetFails(big, CJ_ERR_LIMIT), "name of 64 bytes");
	big[63] = '\0';
	CHECK(SetCanon(big, big) == 0 && cj_skillset_parse(big, ss, &err), "name of 63 bytes");
	big[0] = '"';
	memset(big + 1, 'b', 64);
	strcpy(big + 65, "\":1");
	CHECK(SetFails(big, CJ_ERR_LIMIT), "quoted name of 64 bytes");
	big[0] = '{';
	memset(big + 1, 'b', 64);
	strcpy(big + 65, "}");
	CHECK(SetFails(big, CJ_ERR_LIMIT), "array element of 64 bytes");
	big[0] = '\0';
	for (i = 0; i < CJ_SKILLSET_MAX; i++)
		sprintf(big + strlen(big), "%ss%d:%d", i ? ", " : "", i, i % 100 + 1);
	CHECK(cj_skillset_parse(big, ss, &err) && ss->n == CJ_SKILLSET_MAX, "256 skills");
	cj_skillset_format(ss, out, sizeof(out));
	CHECK(strlen(out) < CJ_SKILLSET_TEXT_MAX && cj_skillset_parse(out, ss2, &err) &&
		  memcmp(ss, ss2, CJ_SKILLSET_SIZE(ss->n)) == 0, "256 skills round trip");
	strcat(big, ", one_more");
	CHECK(SetFails(big, CJ_ERR_LIMIT), "257 skills");

	/* binary-form validation */
	CHECK(cj_skillset_parse("a:1, b:2", ss, &err) && cj_skillset_validate(ss, &err), "valid set");
	strcpy(ss->skills[1].name, "a");
	CHECK(!cj_skillset_validate(ss, &err) && err.kind == CJ_ERR_PARAM, "validate: repeat");
	CHECK(cj_skillset_parse("a:1, b:2", ss, &err), "reparse");
	ss->skills[0].level = 0;
	CHECK(!cj_skillset_validate(ss, &err) && err.kind == CJ_ERR_RANGE, "validate: level 0");
	CHECK(cj_skillset_parse("a:1, b:2", ss, &err), "reparse");
	ss->skills[0].name[5] = 'x';
	CHECK(!cj_skillset_validate(ss, &err), "validate: junk after the name");
	CHECK(cj_skillset_parse("b:1, c:2", ss, &err), "reparse");
	strcpy(ss->skills[1].name, "a");
	CHECK(!cj_skillset_validate(ss, &err), "validate: order");
	ss->n = CJ_SKILLSET_MAX + 1;
	CHECK(!cj_skillset_validate(ss, &err) && err.kind == CJ_ERR_LIMIT, "validate: count");
	ss->n = 0;
	ss->reserved = 1;
	CHECK(!cj_skillset_validate(ss, &err), "validate: reserved");

	/* text[] conversion */
	{
		const char *names[] = {"spanish", NULL, "billing", "spanish", "es-ES"};
		int			lens[] = {7, 0, 7, 7, 5};

		CHECK(cj_skillset_from_names(5, names, lens, ss, &err), "set from names");
		cj_skillset_format(ss, out, sizeof(out));
		CHECK(strcmp(out, "billing:1, \"es-ES\":1, spanish:1") == 0, "set from names: NULL dropped, merged, sorted");
		CHECK(cj_requirement_from_names(3, names + 2, lens + 2, rq, &err), "requirement from names");
		cj_requirement_format(rq, out, sizeof(out));
		CHECK(strcmp(out, "billing>=1 & \"es-ES\">=1 & spanish>=1") == 0, "requirement from names: canonical");
		CHECK(!cj_requirement_from_names(2, names, lens, rq, &err) && err.kind == CJ_ERR_PARAM,
			  "requirement from names: NULL refused");
		lens[0] = 0;
		CHECK(!cj_skillset_from_names(1, names, lens, ss, &err) && err.kind == CJ_ERR_PARAM,
			  "set from names: empty name");
		CHECK(cj_requirement_from_names(0, names, lens, rq, &err) && rq->nsteps == 1 &&
			  rq->nterms == 0, "requirement from no names: any");
	}

	/* requirements */
	CHECK(ReqCanon("billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any",
				   "billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any"), "issue example");
	CHECK(ReqCanon(" spanish >= 2&billing>=4 for 30 seconds ;billing>=2 for 120s;any ",
				   "billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any"), "sorted, spaces, units");
	CHECK(ReqCanon("billing", "billing>=1"), "bare name, one step");
	CHECK(ReqCanon("any", "any"), "any alone");
	CHECK(ReqCanon("billing>=3 for 1h; billing for 1d; any", "billing>=3 for 1h; billing>=1 for 1d; any"),
		  "bare name in a later step");
	CHECK(ReqCanon("a>=2 for 1.5min; a>=2", "a>=2 for 90s; a>=2"), "equal steps allowed");
	CHECK(ReqCanon("\"any\">=2 & \"for\" & \"es-ES\">=3 for 1500ms; \"es-ES\"",
				   "\"any\">=2 & \"es-ES\">=3 & \"for\">=1 for 1500ms; \"es-ES\">=1"), "keywords and other names quoted");
	CHECK(ReqCanon("{billing,spanish,billing}", "billing>=1 & spanish>=1"), "array form");
	CHECK(ReqCanon("{}", "any"), "empty array is any");
	CHECK(ReqCanon("a>=100 for 1us; a>=1 for 3650d; any", "a>=100 for 1us; a>=1 for 3650d; any"), "limits of level and duration");

	CHECK(ReqFails("", CJ_ERR_SYNTAX, NULL), "empty requirement");
	CHECK(ReqFails("billing>=4 for 30s", CJ_ERR_SYNTAX, "last step (1)"), "for on the last step");
	CHECK(ReqFails("billing>=4; any", CJ_ERR_SYNTAX, "Step 1 needs"), "missing for");
	CHECK(ReqFails("a>=2 for 1s; b; any", CJ_ERR_SYNTAX, "Step 2 needs"), "missing for on step 2");
	CHECK(ReqFails("a>=2 for 1s; a>=3", CJ_ERR_PARAM, "Step 2 requires \"a\" at level 3"), "tightening a level");
	CHECK(ReqFails("a>=2 for 1s; b", CJ_ERR_PARAM, "Step 2 requires skill \"b\""), "adding a term");
	CHECK(ReqFails("any for 1s; a", CJ_ERR_PARAM, "Step 2"), "any then a term");
	CHECK(ReqFails("a & b for 1s; a for 1s; b", CJ_ERR_PARAM, "Step 3 requires skill \"b\""), "re-adding a dropped term");
	CHECK(ReqFails("a>=2 & a>=3", CJ_ERR_PARAM, "twice in step 1"), "duplicate term");
	CHECK(ReqFails("a>=0", CJ_ERR_RANGE, NULL), "level 0");
	CHECK(ReqFails("a>=101", CJ_ERR_RANGE, NULL), "level 101");
	CHECK(ReqFails("a>=", CJ_ERR_SYNTAX, NULL), "missing level");
	CHECK(ReqFails("a> =2", CJ_ERR_SYNTAX, NULL), "split operator");
	CHECK(ReqFails("a>2", CJ_ERR_SYNTAX, NULL), "strict operator");
	CHECK(ReqFails("a=2", CJ_ERR_SYNTAX, NULL), "equality operator");
	CHECK(ReqFails("a & any", CJ_ERR_SYNTAX, "keyword"), "any inside a step");
	CHECK(ReqFails("for", CJ_ERR_SYNTAX, "keyword"), "for as a name");
	CHECK(ReqFails("a &", CJ_ERR_SYNTAX, NULL), "dangling &");
	CHECK(ReqFails("a for 0s; any", CJ_ERR_PARAM, "Step durations must be positive"), "zero duration");
	CHECK(ReqFails("a for -1s; any", CJ_ERR_PARAM, "Step durations must be positive"), "negative duration");
	CHECK(ReqFails("a for 0.1us; any", CJ_ERR_PARAM, "Step durations"), "sub-microsecond duration");
	CHECK(ReqFails("a for 3651d; any", CJ_ERR_RANGE, "Step durations must be at most"), "duration too long");
	CHECK(ReqFails("a for 1mon; any", CJ_ERR_PARAM, "no fixed length"), "month duration");
	CHECK(ReqFails("a for 1m; any", CJ_ERR_SYNTAX, "ambiguous"), "bare m");
	CHECK(ReqFails("a for 1 fortnight; any", CJ_ERR_SYNTAX, "Unknown unit"), "unknown unit");
	CHECK(ReqFails("a for; any", CJ_ERR_SYNTAX, NULL), "missing duration");
	CHECK(ReqFails("a;", CJ_ERR_SYNTAX, NULL), "trailing semicolon");
	CHECK(ReqFails("a for 1s;", CJ_ERR_SYNTAX, NULL), "missing last step");
	CHECK(ReqFails("a b", CJ_ERR_SYNTAX, NULL), "missing &");
	CHECK(ReqFails("{a,NULL}", CJ_ERR_PARAM, "NULL"), "array: NULL element");
	CHECK(ReqFails("{a} ; any", CJ_ERR_SYNTAX, NULL), "array then steps");
	CHECK(ReqFails("\"\">=1", CJ_ERR_PARAM, NULL), "empty name");
	big[0] = '\0';
	for (i = 0; i < CJ_REQ_MAX_STEPS; i++)
		sprintf(big + strlen(big), "%sa%s", i ? "; " : "", i < CJ_REQ_MAX_STEPS - 1 ? " for 1s" : "");
	CHECK(ReqCanon(big, big) == 0 && cj_requirement_parse(big, rq, &err) && rq->nsteps == 16, "16 steps");
	big[strlen(big) - 1] = '\0';
	strcat(big, "a for 1s; any");
	CHECK(ReqFails(big, CJ_ERR_LIMIT, "at most 16 steps"), "17 steps");
	big[0] = '\0';
	for (i = 0; i < CJ_REQ_MAX_TERMS; i++)
		sprintf(big + strlen(big), "%st%02d>=%d", i ? " & " : "", i, i + 1);
	CHECK(ReqCanon(big, big), "16 terms");
	strcat(big, " & t99");
	CHECK(ReqFails(big, CJ_ERR_LIMIT, "at most 16 terms"), "17 terms");
	big[0] = '{';
	big[1] = '\0';
	for (i = 0; i < CJ_REQ_MAX_TERMS + 1; i++)
		sprintf(big + strlen(big), "%st%d", i ? "," : "", i);
	strcat(big, "}");
	CHECK(ReqFails(big, CJ_ERR_LIMIT, NULL), "17 array elements");
	{
		/* the longest canonical text fits CJ_REQ_TEXT_MAX */
		char		nm[70];
		int			k;

		memset(nm, 0, sizeof(nm));
		memset(nm, '"', CJ_SKILL_NAME_MAX);
		rq->nsteps = CJ_REQ_MAX_STEPS;
		rq->nterms = CJ_REQ_MAX_STEPS * CJ_REQ_MAX_TERMS;
		for (k = 0; k < CJ_REQ_MAX_STEPS; k++)
		{
			rq->steps[k].for_us = k < CJ_REQ_MAX_STEPS - 1 ? 3650LL * 86400 * 1000000 - 1 : 0;
			rq->steps[k].first = k * CJ_REQ_MAX_TERMS;
			rq->steps[k].nterms = CJ_REQ_MAX_TERMS;
			for (i = 0; i < CJ_REQ_MAX_TERMS; i++)
			{
				CjSkill    *t = &cj_req_terms(rq)[k * CJ_REQ_MAX_TERMS + i];

				memcpy(t->name, nm, sizeof(t->name));
				t->name[CJ_SKILL_NAME_MAX - 1] = (char) ('A' + i);
				t->level = 100;
			}
		}
		CHECK(cj_requirement_validate(rq, CJ_REQ_SIZE_MAX, &err), "largest requirement validates");
		cj_requirement_format(rq, out, sizeof(out));
		CHECK(strlen(out) + 1 < sizeof(out) && cj_requirement_parse(out, rq2, &err) &&
			  memcmp(rq, rq2, CJ_REQ_SIZE_MAX) == 0, "largest requirement round trip");
	}

	/* binary-form validation of requirements */
	CHECK(cj_requirement_parse("a>=2 & b for 1s; a", rq, &err), "parse for validation");
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3) + 1, &err), "validate: size");
	rq->steps[1].for_us = 5;
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3), &err), "validate: duration on the last step");
	rq->steps[1].for_us = 0;
	rq->steps[0].for_us = 0;
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3), &err), "validate: zero duration");
	rq->steps[0].for_us = CJ_REQ_MAX_US + 1;
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3), &err), "validate: long duration");
	rq->steps[0].for_us = 1;
	cj_req_terms(rq)[2].level = 3;
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3), &err) && strstr(err.detail, "Step 2") != NULL,
		  "validate: relaxation");
	cj_req_terms(rq)[2].level = 1;
	CHECK(cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3), &err), "validate: restored");
	rq->steps[1].first = 1;
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3), &err), "validate: first index");
	rq->steps[1].first = 2;
	strcpy(cj_req_terms(rq)[1].name, "a");
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(2, 3), &err), "validate: term order");
	rq->nsteps = 0;
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(0, 3), &err), "validate: no steps");
	rq->nsteps = 17;
	CHECK(!cj_requirement_validate(rq, CJ_REQ_SIZE(17, 3), &err), "validate: 17 steps");

	/* matching */
	CHECK(cj_requirement_parse("billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any", rq, &err),
		  "parse issue example");
	CHECK(cj_requirement_step_at(rq, -5) == 0 && cj_requirement_step_at(rq, 0) == 0 &&
		  cj_requirement_step_at(rq, 29999999) == 0 && cj_requirement_step_at(rq, 30000000) == 1 &&
		  cj_requirement_step_at(rq, 149999999) == 1 && cj_requirement_step_at(rq, 150000000) == 2 &&
		  cj_requirement_step_at(rq, INT64_MAX) == 2, "step_at boundaries");
	CHECK(cj_requirement_step_start(rq, 0) == 0 && cj_requirement_step_start(rq, 1) == 30000000 &&
		  cj_requirement_step_start(rq, 2) == 150000000, "step starts");
	CHECK(cj_skillset_parse("billing:5, spanish:3", ss, &err) &&
		  cj_skills_satisfy(ss, rq, 0) && cj_requirement_eligible_after(rq, ss) == 0, "expert: at once");
	CHECK(cj_skillset_parse("billing:3, spanish:3", ss, &err) &&
		  !cj_skills_satisfy(ss, rq, 0) && cj_skills_satisfy(ss, rq, 1) &&
		  cj_requirement_eligible_after(rq, ss) == 30000000, "level 3: after 30 s");
	CHECK(cj_skillset_parse("", ss, &err) &&
		  cj_requirement_eligible_after(rq, ss) == 150000000, "nobody: after 2.5 min");
	CHECK(cj_requirement_parse("a>=2 for 1s; a", rq, &err) && cj_skillset_parse("b:9", ss, &err) &&
		  cj_requirement_eligible_after(rq, ss) == -1, "never");
	CHECK(EligibleGrid("billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any", "billing:3"), "grid 1");
	CHECK(EligibleGrid("billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any", "billing:4, spanish:2"), "grid 2");
	CHECK(EligibleGrid("billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any", "spanish:9"), "grid 3");
	CHECK(EligibleGrid("a>=9 & b>=9 & c for 7s; a>=5 & b>=2 for 13.5s; a>=5 for 1min; a", "a:5, b:1"), "grid 4");
	CHECK(EligibleGrid("a>=9 & b>=9 & c for 7s; a>=5 & b>=2 for 13.5s; a>=5 for 1min; a", "a:4, b:9, c:9"), "grid 5");
	CHECK(EligibleGrid("a>=9 & b>=9 & c for 7s; a>=5 & b>=2 for 13.5s; a>=5 for 1min; a", "c:1"), "grid 6 (never)");
	CHECK(EligibleGrid("a>=9 & b>=9 & c for 7s; a>=5 & b>=2 for 13.5s; a>=5 for 1min; a", "a:9, b:9, c:1, d:4"), "grid 7");
	CHECK(EligibleGrid("{a,b}", "a:1, b:1"), "grid 8");
	CHECK(EligibleGrid("{a,b}", "a:1"), "grid 9");
	{
		/* every pair of random sets and random relaxing requirements */
		unsigned	seed = 99;
		int			trial,
					ok = 1;

		for (trial = 0; trial < 3000 && ok; trial++)
		{
			char		req[256] = "",
						set[128] = "";
			int			nst,
						k,
						lv[4];

			seed = seed * 1103515245u + 12345u;
			nst = 1 + (int) ((seed >> 16) % 4);
			for (i = 0; i < 4; i++)
			{
				seed = seed * 1103515245u + 12345u;
				lv[i] = 1 + (int) ((seed >> 16) % 5);
				if ((seed >> 8) % 3)
					sprintf(set + strlen(set), "%ss%d:%d", set[0] ? ", " : "", i, 1 + (int) ((seed >> 20) % 5));
			}
			for (k = 0; k < nst; k++)
			{
				int			nt = 0;

				if (k > 0)
					strcat(req, "; ");
				for (i = 0; i < 4; i++)
				{
					if (lv[i] > 0)
					{
						sprintf(req + strlen(req), "%ss%d>=%d", nt ? " & " : "", i, lv[i]);
						nt++;
					}
					seed = seed * 1103515245u + 12345u;
					if ((seed >> 16) % 3 == 0)
						lv[i] = lv[i] > 0 ? lv[i] - 1 - (int) ((seed >> 20) % 2) : 0;
					if (lv[i] < 0)
						lv[i] = 0;
				}
				if (nt == 0)
					strcat(req, "any");
				if (k < nst - 1)
				{
					seed = seed * 1103515245u + 12345u;
					sprintf(req + strlen(req), " for %ds", 1 + (int) ((seed >> 16) % 90));
				}
			}
			ok = EligibleGrid(req, set);
			if (!ok)
				printf("# %s | %s\n", req, set);
		}
		CHECK(ok, "eligible_after = brute force on 3000 random relaxing requirements and sets");
	}

	CHECK(Fuzz(), "mutated literals: no crash, accepted ones round-trip");
	free(ss);
	free(ss2);
	free(rq);
	free(rq2);
	return unit_done();
}
