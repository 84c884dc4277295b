/*-------------------------------------------------------------------------
 *
 * skills.c
 *	  Parsers, checks and printers of cj_skillset and cj_requirement, and
 *	  the matching functions (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		skillset    := '' | skill ( ',' skill )* | array
 *		skill       := name ( ':' level )?
 *		requirement := step ( ';' step )* | array
 *		step        := ( 'any' | term ( '&' term )* ) ( 'for' duration )?
 *		term        := name ( '>=' level )?
 *		name        := identifier | '"' chars '"'
 *		array       := '{' ( element ( ',' element )* )? '}'
 * An identifier is [A-Za-z_][A-Za-z0-9_]*; any other name (and, in a
 * requirement, a skill called any or for, which are keywords there) is
 * written in double quotes with \" and \\ escapes.  Names are 1 to 63
 * bytes, compared byte by byte (case matters, as in text[]).  A level is
 * an integer from 1 to 100; a name without one has level 1.  Durations are
 * those of cj_sla (number and unit: us, ms, s, min, h, d, w and their long
 * spellings; no months or years), positive, at most 3650 days, rounded to
 * the microsecond.
 *
 * The array form is the text form of a text[] (elements quoted or not,
 * backslash escapes, white space around elements ignored): every element
 * is a skill of level 1 and a requirement has one step.  Repeated elements
 * are merged, as text[] containment does; a NULL element is dropped from a
 * skill set (a NULL skill matches no requirement) and refused in a
 * requirement (a ticket's skills may not hold NULL).  Multidimensional
 * arrays and explicit bounds are refused.
 *
 * Rules: a skill set names a skill once; a step names a skill once; every
 * step but the last has a duration and the last has none; each step is
 * implied by the one before it (each of its terms appears in the previous
 * step with a level at least as high), so whoever may take a ticket at
 * some wait may take it at any longer wait.
 *
 * Canonical output sorts skills and terms by name and always writes the
 * level: 'billing:5, spanish:3' ('{}' for the empty set) and
 * 'billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any', durations
 * as cj_sla prints them.  Every accepted value prints and reads back to
 * the same bytes.
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/skills.h"
#include "core/common/sort.h"
#include "core/service/sla.h"
#include "core/common/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest quoted name the tokenizer reads before the length check */
#define QUOTED_MAX 255

/* Is c an identifier character (first: not a digit) */
static bool
IdentChar(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
		(!first && c >= '0' && c <= '9');
}

/* Is name (NUL-terminated) written without quotes in the given type */
static bool
PlainName(const char *name, bool requirement)
{
	const char *c;

	if (!IdentChar(name[0], true))
		return false;
	for (c = name + 1; *c; c++)
		if (!IdentChar(*c, false))
			return false;
	return !(requirement && (strcmp(name, "any") == 0 || strcmp(name, "for") == 0));
}

/* Append name to buf at *pos, quoted when it must be */
static void
AppendName(char *buf, size_t size, size_t *pos, const char *name, bool requirement)
{
	const char *c;
	size_t		p = *pos;

	if (PlainName(name, requirement))
	{
		for (c = name; *c && p + 1 < size; c++)
			buf[p++] = *c;
	}
	else
	{
		if (p + 1 < size)
			buf[p++] = '"';
		for (c = name; *c && p + 2 < size; c++)
		{
			if (*c == '"' || *c == '\\')
				buf[p++] = '\\';
			buf[p++] = *c;
		}
		if (p + 1 < size)
			buf[p++] = '"';
	}
	buf[p] = '\0';
	*pos = p;
}

/* Append formatted text at *pos */
static void
Append(char *buf, size_t size, size_t *pos, const char *text)
{
	size_t		p = *pos;

	while (*text && p + 1 < size)
		buf[p++] = *text++;
	buf[p] = '\0';
	*pos = p;
}

/* Check a name's length (bytes) and store it NUL-padded into sk */
static bool
SetName(CjSkill *sk, const char *name, size_t len, CjError *err)
{
	if (len == 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Skill names are not empty.");
		return false;
	}
	if (len > CJ_SKILL_NAME_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "Skill names are limited to %d bytes.", CJ_SKILL_NAME_MAX);
		return false;
	}
	if (memchr(name, '\0', len) != NULL)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Skill names cannot contain a zero byte.");
		return false;
	}
	memset(sk->name, 0, sizeof(sk->name));
	memcpy(sk->name, name, len);
	return true;
}

/*
 * Read a name at *p: a quoted string or an identifier.  *quoted tells
 * which; an unquoted keyword is returned as read for the caller to judge.
 */
static bool
ReadName(const char **p, CjSkill *sk, bool *quoted, CjError *err)
{
	const char *s = cj_skip_space(*p);
	char		buf[QUOTED_MAX + 1];
	int32_t		len;
	int			n;

	*quoted = (*s == '"');
	if (*quoted)
	{
		if (!cj_parse_text_or_null(&s, buf, QUOTED_MAX, &len, err))
			return false;
		if (!SetName(sk, buf, (size_t) len, err))
			return false;
		*p = s;
		return true;
	}
	n = cj_parse_ident(&s, buf, CJ_SKILL_NAME_MAX + 1);
	if (n < 0)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "Skill names are limited to %d bytes.", CJ_SKILL_NAME_MAX);
		return false;
	}
	if (n == 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a skill name (letters, digits, underscores, or any text in double quotes).");
		return false;
	}
	if (!SetName(sk, buf, (size_t) n, err))
		return false;
	*p = s;
	return true;
}

/* Read a level (1 .. CJ_SKILL_LEVEL_MAX) at *p */
static bool
ReadLevel(const char **p, int32_t *level, CjError *err)
{
	int64_t		v;

	if (!cj_parse_int64(p, &v))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a level (an integer from 1 to %d).", CJ_SKILL_LEVEL_MAX);
		return false;
	}
	if (v < 1 || v > CJ_SKILL_LEVEL_MAX)
	{
		cj_error_set(err, CJ_ERR_RANGE, "Skill levels run from 1 to %d.", CJ_SKILL_LEVEL_MAX);
		return false;
	}
	*level = (int32_t) v;
	return true;
}

/* Order of two skills by name (bytes) */
static int
CmpSkill(const void *a, const void *b)
{
	return strcmp(((const CjSkill *) a)->name, ((const CjSkill *) b)->name);
}

/*
 * Add name (len bytes, level) to skills[0 .. *n): a repeat is merged when
 * merge (keeping the higher level), an error otherwise; at most max.
 * step > 0 names the step in the duplicate message.
 */
static bool
AddSkill(CjSkill *skills, int32_t *n, int max, const CjSkill *sk, bool merge,
		 int step, CjError *err)
{
	int32_t		i;

	for (i = 0; i < *n; i++)
		if (strcmp(skills[i].name, sk->name) == 0)
		{
			if (merge)
			{
				if (sk->level > skills[i].level)
					skills[i].level = sk->level;
				return true;
			}
			if (step > 0)
				cj_error_set(err, CJ_ERR_PARAM, "Skill \"%s\" appears twice in step %d.", sk->name, step);
			else
				cj_error_set(err, CJ_ERR_PARAM, "Skill \"%s\" is listed twice.", sk->name);
			return false;
		}
	if (*n >= max)
	{
		if (step > 0)
			cj_error_set(err, CJ_ERR_LIMIT, "A step has at most %d terms.", max);
		else
			cj_error_set(err, CJ_ERR_LIMIT, "A skill set has at most %d skills.", max);
		return false;
	}
	skills[(*n)++] = *sk;
	return true;
}

/*
 * Read one element of an array literal at *p into buf (room QUOTED_MAX
 * bytes): *len its bytes, -1 for an unquoted NULL.  Follows array_in:
 * quoted or not, backslash escapes any byte, white space around an
 * unquoted element is dropped.
 */
static bool
ReadElement(const char **p, char *buf, int32_t *len, CjError *err)
{
	const char *s = cj_skip_space(*p);
	int32_t		n = 0;
	int32_t		kept = 0;		/* length up to the last escaped or non-space byte */
	bool		escaped_any = false;

	if (*s == '"')
	{
		s++;
		for (;;)
		{
			char		c = *s;

			if (c == '\0')
			{
				cj_error_set(err, CJ_ERR_SYNTAX, "A quoted array element is not terminated.");
				return false;
			}
			if (c == '"')
				break;
			if (c == '\\')
			{
				c = *++s;
				if (c == '\0')
				{
					cj_error_set(err, CJ_ERR_SYNTAX, "A quoted array element is not terminated.");
					return false;
				}
			}
			if (n >= QUOTED_MAX)
			{
				cj_error_set(err, CJ_ERR_LIMIT, "Skill names are limited to %d bytes.", CJ_SKILL_NAME_MAX);
				return false;
			}
			buf[n++] = c;
			s++;
		}
		*p = s + 1;
		*len = n;
		return true;
	}
	for (;;)
	{
		char		c = *s;

		if (c == '\0' || c == ',' || c == '}')
			break;
		if (c == '{' || c == '"')
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected \"%c\" in an array element; only one-dimensional arrays are accepted.", c);
			return false;
		}
		if (c == '\\')
		{
			c = *++s;
			if (c == '\0')
				break;
			escaped_any = true;
			if (n >= QUOTED_MAX)
			{
				cj_error_set(err, CJ_ERR_LIMIT, "Skill names are limited to %d bytes.", CJ_SKILL_NAME_MAX);
				return false;
			}
			buf[n++] = c;
			kept = n;
			s++;
			continue;
		}
		if (n >= QUOTED_MAX)
		{
			cj_error_set(err, CJ_ERR_LIMIT, "Skill names are limited to %d bytes.", CJ_SKILL_NAME_MAX);
			return false;
		}
		buf[n++] = c;
		if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'))
			kept = n;
		s++;
	}
	if (kept == 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "An array element is missing.");
		return false;
	}
	*p = s;
	*len = kept;
	if (!escaped_any && kept == 4 &&
		(buf[0] == 'N' || buf[0] == 'n') && (buf[1] == 'U' || buf[1] == 'u') &&
		(buf[2] == 'L' || buf[2] == 'l') && (buf[3] == 'L' || buf[3] == 'l'))
		*len = -1;
	return true;
}

/*
 * Read an array literal at *p ('{' already seen, not consumed) into
 * skills (level 1, repeats merged, at most max); NULL elements are dropped
 * when skip_null, an error otherwise.  step > 0 for a requirement.
 */
static bool
ReadArray(const char **p, CjSkill *skills, int32_t *n, int max, bool skip_null,
		  int step, CjError *err)
{
	const char *s = cj_skip_space(*p) + 1;
	char		buf[QUOTED_MAX + 1];

	*n = 0;
	if (cj_accept_char(&s, '}'))
	{
		*p = s;
		return true;
	}
	for (;;)
	{
		int32_t		len;
		CjSkill		sk;

		if (!ReadElement(&s, buf, &len, err))
			return false;
		if (len < 0)
		{
			if (!skip_null)
			{
				cj_error_set(err, CJ_ERR_PARAM, "A required skill cannot be NULL.");
				return false;
			}
		}
		else
		{
			sk.level = 1;
			if (!SetName(&sk, buf, (size_t) len, err) ||
				!AddSkill(skills, n, max, &sk, true, step, err))
				return false;
		}
		if (cj_accept_char(&s, '}'))
			break;
		if (!cj_accept_char(&s, ','))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected \",\" or \"}\" after an array element.");
			return false;
		}
	}
	*p = s;
	return true;
}

/* Check the skills of a set or a step as stored (binary input) */
static bool
CheckSkills(const CjSkill *skills, int32_t n, int step, CjError *err)
{
	int32_t		i;

	for (i = 0; i < n; i++)
	{
		const CjSkill *sk = &skills[i];
		size_t		len = strnlen(sk->name, sizeof(sk->name));
		size_t		j;

		if (len == 0 || len > CJ_SKILL_NAME_MAX)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Skill names are 1 to %d bytes long.", CJ_SKILL_NAME_MAX);
			return false;
		}
		for (j = len; j < sizeof(sk->name); j++)
			if (sk->name[j] != '\0')
			{
				cj_error_set(err, CJ_ERR_PARAM, "Skill names are padded with zero bytes.");
				return false;
			}
		if (sk->level < 1 || sk->level > CJ_SKILL_LEVEL_MAX)
		{
			cj_error_set(err, CJ_ERR_RANGE, "Skill levels run from 1 to %d.", CJ_SKILL_LEVEL_MAX);
			return false;
		}
		if (i > 0 && strcmp(skills[i - 1].name, sk->name) >= 0)
		{
			if (step > 0)
				cj_error_set(err, CJ_ERR_PARAM, "The terms of step %d are not in strictly increasing order of name.", step);
			else
				cj_error_set(err, CJ_ERR_PARAM, "Skills are not in strictly increasing order of name.");
			return false;
		}
	}
	return true;
}

/* Parse a skill set literal */
bool
cj_skillset_parse(const char *text, CjSkillset *out, CjError *err)
{
	const char *p = cj_skip_space(text);

	out->n = 0;
	out->reserved = 0;
	if (*p == '{')
	{
		if (!ReadArray(&p, out->skills, &out->n, CJ_SKILLSET_MAX, true, 0, err))
			return false;
	}
	else if (*p != '\0')
	{
		for (;;)
		{
			CjSkill		sk;
			bool		quoted;

			if (!ReadName(&p, &sk, &quoted, err))
				return false;
			sk.level = 1;
			if (cj_accept_char(&p, ':') && !ReadLevel(&p, &sk.level, err))
				return false;
			if (!AddSkill(out->skills, &out->n, CJ_SKILLSET_MAX, &sk, false, 0, err))
				return false;
			if (!cj_accept_char(&p, ','))
				break;
		}
	}
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \",\" or the end of the skill set.");
		return false;
	}
	cj_sort(out->skills, (size_t) out->n, sizeof(CjSkill), CmpSkill);
	return true;
}

/* Check a decoded skill set */
bool
cj_skillset_validate(const CjSkillset *s, CjError *err)
{
	if (s->n < 0 || s->n > CJ_SKILLSET_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A skill set has at most %d skills.", CJ_SKILLSET_MAX);
		return false;
	}
	if (s->reserved != 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The reserved field of a skill set is zero.");
		return false;
	}
	return CheckSkills(s->skills, s->n, 0, err);
}

/* Canonical text of a skill set */
void
cj_skillset_format(const CjSkillset *s, char *buf, size_t size)
{
	size_t		pos = 0;
	int32_t		i;

	buf[0] = '\0';
	if (s->n == 0)
	{
		Append(buf, size, &pos, "{}");
		return;
	}
	for (i = 0; i < s->n; i++)
	{
		char		lvl[16];

		if (i > 0)
			Append(buf, size, &pos, ", ");
		AppendName(buf, size, &pos, s->skills[i].name, false);
		snprintf(lvl, sizeof(lvl), ":%d", (int) s->skills[i].level);
		Append(buf, size, &pos, lvl);
	}
}

/* Skills from text[] elements (see skills.h) */
static bool
FromNames(int n, const char *const *names, const int *lens, CjSkill *out,
		  int32_t *count, int max, bool skip_null, int step, CjError *err)
{
	int			i;

	*count = 0;
	for (i = 0; i < n; i++)
	{
		CjSkill		sk;

		if ((i & 1023) == 1023)
			cj_check_interrupts();
		if (names[i] == NULL)
		{
			if (skip_null)
				continue;
			cj_error_set(err, CJ_ERR_PARAM, "A required skill cannot be NULL.");
			return false;
		}
		sk.level = 1;
		if (lens[i] < 0 || !SetName(&sk, names[i], (size_t) lens[i], err) ||
			!AddSkill(out, count, max, &sk, true, step, err))
		{
			if (lens[i] < 0)
				cj_error_set(err, CJ_ERR_PARAM, "Skill names are not empty.");
			return false;
		}
	}
	cj_sort(out, (size_t) *count, sizeof(CjSkill), CmpSkill);
	return true;
}

/* A skill set from the elements of a text[] */
bool
cj_skillset_from_names(int n, const char *const *names, const int *lens,
					   CjSkillset *out, CjError *err)
{
	out->reserved = 0;
	return FromNames(n, names, lens, out->skills, &out->n, CJ_SKILLSET_MAX,
					 true, 0, err);
}

/* Index of name in skills[0 .. n) (sorted), or -1 */
static int
FindSkill(const CjSkill *skills, int32_t n, const char *name, size_t len)
{
	int32_t		lo = 0,
				hi = n - 1;

	if (len == 0 || len > CJ_SKILL_NAME_MAX)
		return -1;
	while (lo <= hi)
	{
		int32_t		mid = lo + (hi - lo) / 2;
		int			c = strncmp(skills[mid].name, name, len);

		if (c == 0 && skills[mid].name[len] != '\0')
			c = 1;
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Level of a skill in s, 0 when absent */
int
cj_skillset_level(const CjSkillset *s, const char *name, size_t len)
{
	int			i;

	if (memchr(name, '\0', len) != NULL)
		return 0;
	i = FindSkill(s->skills, s->n, name, len);
	return i < 0 ? 0 : s->skills[i].level;
}

/* Check that step k (0-based, k >= 1) is implied by step k - 1 */
static bool
CheckRelaxes(const CjRequirement *r, int k, CjError *err)
{
	const CjSkill *terms = cj_req_terms_c(r);
	const CjReqStep *prev = &r->steps[k - 1];
	const CjReqStep *cur = &r->steps[k];
	int32_t		i;

	for (i = 0; i < cur->nterms; i++)
	{
		const CjSkill *t = &terms[cur->first + i];
		int			j = FindSkill(terms + prev->first, prev->nterms, t->name,
								  strlen(t->name));

		if (j < 0)
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Step %d requires skill \"%s\", which step %d does not; each step may only drop terms or lower levels.",
						 k + 1, t->name, k);
			return false;
		}
		if (terms[prev->first + j].level < t->level)
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Step %d requires \"%s\" at level %d, more than the %d of step %d; each step may only drop terms or lower levels.",
						 k + 1, t->name, (int) t->level,
						 (int) terms[prev->first + j].level, k);
			return false;
		}
	}
	return true;
}

/* Parse a requirement literal */
bool
cj_requirement_parse(const char *text, CjRequirement *out, CjError *err)
{
	const char *p = cj_skip_space(text);
	CjReqStep	steps[CJ_REQ_MAX_STEPS];
	CjSkill		terms[CJ_REQ_MAX_STEPS * CJ_REQ_MAX_TERMS];
	int32_t		nsteps = 0,
				nterms = 0;
	bool		has_for = false;
	int			k;

	if (*p == '{')
	{
		steps[0].for_us = 0;
		steps[0].first = 0;
		if (!ReadArray(&p, terms, &steps[0].nterms, CJ_REQ_MAX_TERMS, false, 1, err))
			return false;
		if (!cj_at_end(p))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected the end of the requirement after the array.");
			return false;
		}
		cj_sort(terms, (size_t) steps[0].nterms, sizeof(CjSkill), CmpSkill);
		nsteps = 1;
		nterms = steps[0].nterms;
	}
	else
	{
		for (;;)
		{
			CjReqStep  *st;
			const char *q;
			char		word[4];

			if (nsteps >= CJ_REQ_MAX_STEPS)
			{
				cj_error_set(err, CJ_ERR_LIMIT, "A requirement has at most %d steps.", CJ_REQ_MAX_STEPS);
				return false;
			}
			st = &steps[nsteps++];
			st->first = nterms;
			st->nterms = 0;
			st->for_us = 0;
			q = p;
			if (cj_parse_ident(&q, word, sizeof(word)) == 3 && strcmp(word, "any") == 0)
				p = q;
			else
			{
				for (;;)
				{
					CjSkill		sk;
					bool		quoted;
					const char *s;

					if (!ReadName(&p, &sk, &quoted, err))
						return false;
					if (!quoted && (strcmp(sk.name, "any") == 0 || strcmp(sk.name, "for") == 0))
					{
						cj_error_set(err, CJ_ERR_SYNTAX,
									 "\"%s\" is a keyword in step %d; write a skill of that name in double quotes.",
									 sk.name, nsteps);
						return false;
					}
					sk.level = 1;
					s = cj_skip_space(p);
					if (s[0] == '>' && s[1] == '=')
					{
						p = s + 2;
						if (!ReadLevel(&p, &sk.level, err))
							return false;
					}
					if (!AddSkill(terms + st->first, &st->nterms, CJ_REQ_MAX_TERMS, &sk,
								  false, nsteps, err))
						return false;
					if (!cj_accept_char(&p, '&'))
						break;
				}
				cj_sort(terms + st->first, (size_t) st->nterms, sizeof(CjSkill), CmpSkill);
				nterms += st->nterms;
			}
			q = p;
			has_for = (cj_parse_ident(&q, word, sizeof(word)) == 3 && strcmp(word, "for") == 0);
			if (has_for)
			{
				p = q;
				if (!cj_duration_parse(&p, "Step durations", &st->for_us, err))
					return false;
			}
			if (!cj_accept_char(&p, ';'))
				break;
			if (!has_for)
			{
				cj_error_set(err, CJ_ERR_SYNTAX,
							 "Step %d needs \"for <duration>\": every step but the last says how long it holds.",
							 nsteps);
				return false;
			}
		}
		if (!cj_at_end(p))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"&\", \"for\", \";\" or the end of the requirement in step %d.", nsteps);
			return false;
		}
		if (has_for)
		{
			cj_error_set(err, CJ_ERR_SYNTAX,
						 "The last step (%d) holds for ever and takes no \"for\".", nsteps);
			return false;
		}
	}
	out->nsteps = nsteps;
	out->nterms = nterms;
	memcpy(out->steps, steps, sizeof(CjReqStep) * (size_t) nsteps);
	memcpy(cj_req_terms(out), terms, sizeof(CjSkill) * (size_t) nterms);
	for (k = 1; k < nsteps; k++)
		if (!CheckRelaxes(out, k, err))
			return false;
	return true;
}

/* Check a decoded requirement */
bool
cj_requirement_validate(const CjRequirement *r, size_t size, CjError *err)
{
	int32_t		k,
				first = 0;

	if (size < offsetof(CjRequirement, steps) ||
		r->nsteps < 1 || r->nsteps > CJ_REQ_MAX_STEPS)
	{
		cj_error_set(err, CJ_ERR_PARAM, "A requirement has 1 to %d steps.", CJ_REQ_MAX_STEPS);
		return false;
	}
	if (r->nterms < 0 || r->nterms > CJ_REQ_MAX_STEPS * CJ_REQ_MAX_TERMS ||
		size != CJ_REQ_SIZE(r->nsteps, r->nterms))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The size of the requirement does not match its step and term counts.");
		return false;
	}
	for (k = 0; k < r->nsteps; k++)
	{
		const CjReqStep *st = &r->steps[k];
		bool		last = (k == r->nsteps - 1);

		if (st->nterms < 0 || st->nterms > CJ_REQ_MAX_TERMS || st->first != first ||
			st->nterms > r->nterms - first)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Step %d has a bad term count (0 to %d, in order).", k + 1, CJ_REQ_MAX_TERMS);
			return false;
		}
		first += st->nterms;
		if (last ? st->for_us != 0 : (st->for_us < 1 || st->for_us > CJ_REQ_MAX_US))
		{
			if (last)
				cj_error_set(err, CJ_ERR_PARAM, "The last step (%d) holds for ever and has no duration.", k + 1);
			else
				cj_error_set(err, CJ_ERR_PARAM, "Step durations must be positive and at most 3650 days (step %d).", k + 1);
			return false;
		}
		if (!CheckSkills(cj_req_terms_c(r) + st->first, st->nterms, k + 1, err))
			return false;
		if (k > 0 && !CheckRelaxes(r, k, err))
			return false;
	}
	if (first != r->nterms)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The steps do not account for every term of the requirement.");
		return false;
	}
	return true;
}

/* Canonical text of a requirement */
void
cj_requirement_format(const CjRequirement *r, char *buf, size_t size)
{
	const CjSkill *terms = cj_req_terms_c(r);
	size_t		pos = 0;
	int32_t		k,
				i;

	buf[0] = '\0';
	for (k = 0; k < r->nsteps; k++)
	{
		const CjReqStep *st = &r->steps[k];

		if (k > 0)
			Append(buf, size, &pos, "; ");
		if (st->nterms == 0)
			Append(buf, size, &pos, "any");
		for (i = 0; i < st->nterms; i++)
		{
			char		lvl[16];

			if (i > 0)
				Append(buf, size, &pos, " & ");
			AppendName(buf, size, &pos, terms[st->first + i].name, true);
			snprintf(lvl, sizeof(lvl), ">=%d", (int) terms[st->first + i].level);
			Append(buf, size, &pos, lvl);
		}
		if (k < r->nsteps - 1)
		{
			char		dur[40];

			Append(buf, size, &pos, " for ");
			cj_duration_format(st->for_us, dur, sizeof(dur));
			Append(buf, size, &pos, dur);
		}
	}
}

/* A one-step requirement from the elements of a text[] */
bool
cj_requirement_from_names(int n, const char *const *names, const int *lens,
						  CjRequirement *out, CjError *err)
{
	out->nsteps = 1;
	out->steps[0].for_us = 0;
	out->steps[0].first = 0;
	if (!FromNames(n, names, lens, cj_req_terms(out), &out->steps[0].nterms,
				   CJ_REQ_MAX_TERMS, false, 1, err))
		return false;
	out->nterms = out->steps[0].nterms;
	return true;
}

/* Does s meet every term of step k of r: a merge of two sorted lists */
bool
cj_skills_satisfy(const CjSkillset *s, const CjRequirement *r, int k)
{
	const CjReqStep *st = &r->steps[k];
	const CjSkill *t = cj_req_terms_c(r) + st->first;
	int32_t		i,
				j = 0;

	for (i = 0; i < st->nterms; i++)
	{
		int			c = 1;

		while (j < s->n && (c = strcmp(s->skills[j].name, t[i].name)) < 0)
			j++;
		if (j >= s->n || c != 0 || s->skills[j].level < t[i].level)
			return false;
		j++;
	}
	return true;
}

/* The step in force after waiting waited_us */
int
cj_requirement_step_at(const CjRequirement *r, int64_t waited_us)
{
	int64_t		end = 0;
	int			k;

	for (k = 0; k < r->nsteps - 1; k++)
	{
		end += r->steps[k].for_us;
		if (waited_us < end)
			return k;
	}
	return r->nsteps - 1;
}

/* Start of step k */
int64_t
cj_requirement_step_start(const CjRequirement *r, int k)
{
	int64_t		start = 0;
	int			i;

	for (i = 0; i < k && i < r->nsteps - 1; i++)
		start += r->steps[i].for_us;
	return start;
}

/* Smallest wait from which s is eligible, -1 for never */
int64_t
cj_requirement_eligible_after(const CjRequirement *r, const CjSkillset *s)
{
	int64_t		start = 0;
	int			k;

	for (k = 0; k < r->nsteps; k++)
	{
		if (cj_skills_satisfy(s, r, k))
			return start;
		start += r->steps[k].for_us;
	}
	return -1;
}
