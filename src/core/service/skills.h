/*-------------------------------------------------------------------------
 *
 * skills.h
 *	  Levelled skills and relaxing requirements (pure C): the cj_skillset
 *	  and cj_requirement literals, their checks and canonical printers, and
 *	  the matching functions routing builds on.
 *
 * A skill set gives each skill a level:	'billing:5, spanish:3'
 * A requirement is a list of steps, each holding for a duration except
 * the last, each later step implied by the one before it:
 *		'billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any'
 * Both also read the array-literal form of a text[] ('{billing,spanish}':
 * level 1 each, one step), so that a text[] literal means the same thing
 * under either type.
 *
 * The structures are also the on-disk form the glue stores (after a
 * varlena header and a version word): names are NUL-padded so equal values
 * are equal bytes.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SKILLS_H
#define CJ_SKILLS_H

#include "core/common/core.h"
#include "core/service/sla.h"

/* Longest skill name (bytes, without the NUL), as a PostgreSQL identifier */
#define CJ_SKILL_NAME_MAX 63
/* Levels run from 1 to CJ_SKILL_LEVEL_MAX (level 0 is not holding the skill) */
#define CJ_SKILL_LEVEL_MAX 100
/* Most skills in one skill set */
#define CJ_SKILLSET_MAX 256
/* Most steps in one requirement, and most terms in one step */
#define CJ_REQ_MAX_STEPS 16
#define CJ_REQ_MAX_TERMS 16
/* Longest step duration: 3650 days in microseconds (as cj_sla targets) */
#define CJ_REQ_MAX_US CJ_SLA_MAX_US	/* what cj_duration_parse accepts */

/*
 * Longest canonical text of a name (quoted, every byte escaped), of a
 * skill set and of a requirement, NUL included.
 */
#define CJ_SKILL_NAME_TEXT_MAX (2 * CJ_SKILL_NAME_MAX + 3)
#define CJ_SKILLSET_TEXT_MAX (CJ_SKILLSET_MAX * (CJ_SKILL_NAME_TEXT_MAX + 8) + 8)
#define CJ_REQ_TEXT_MAX \
	(CJ_REQ_MAX_STEPS * (CJ_REQ_MAX_TERMS * (CJ_SKILL_NAME_TEXT_MAX + 9) + 40) + 8)

/* One skill and its level, or one term 'name>=level' of a requirement */
typedef struct CjSkill
{
	int32_t		level;			/* 1 .. CJ_SKILL_LEVEL_MAX */
	char		name[CJ_SKILL_NAME_MAX + 1];	/* NUL-terminated, NUL-padded */
} CjSkill;

/* A skill set: skills in strictly increasing byte order of name */
typedef struct CjSkillset
{
	int32_t		n;				/* 0 .. CJ_SKILLSET_MAX */
	int32_t		reserved;		/* zero */
	CjSkill		skills[];
} CjSkillset;

/* Bytes of a skill set of n skills; CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX) holds any */
#define CJ_SKILLSET_SIZE(n) (offsetof(CjSkillset, skills) + (size_t) (n) * sizeof(CjSkill))

/* One step: its terms are terms[first .. first + nterms - 1] */
typedef struct CjReqStep
{
	int64_t		for_us;			/* how long it holds; 0 on the last step */
	int32_t		nterms;			/* 0 .. CJ_REQ_MAX_TERMS (0 = any) */
	int32_t		first;			/* index of its first term */
} CjReqStep;

/*
 * A requirement: nsteps steps, then (see cj_req_terms) all terms, step by
 * step, each step's terms in strictly increasing byte order of name.
 */
typedef struct CjRequirement
{
	int32_t		nsteps;			/* 1 .. CJ_REQ_MAX_STEPS */
	int32_t		nterms;			/* sum of the steps' nterms */
	CjReqStep	steps[];
} CjRequirement;

/* Bytes of a requirement of nsteps steps and nterms terms */
#define CJ_REQ_SIZE(nsteps, nterms) \
	(offsetof(CjRequirement, steps) + (size_t) (nsteps) * sizeof(CjReqStep) + \
	 (size_t) (nterms) * sizeof(CjSkill))
/* Bytes that hold any requirement */
#define CJ_REQ_SIZE_MAX CJ_REQ_SIZE(CJ_REQ_MAX_STEPS, CJ_REQ_MAX_STEPS * CJ_REQ_MAX_TERMS)

/* The terms of a requirement, after its steps */
static inline CjSkill *
cj_req_terms(CjRequirement *r)
{
	return (CjSkill *) (void *) ((char *) r->steps + (size_t) r->nsteps * sizeof(CjReqStep));
}

static inline const CjSkill *
cj_req_terms_c(const CjRequirement *r)
{
	return (const CjSkill *) (const void *) ((const char *) r->steps +
											 (size_t) r->nsteps * sizeof(CjReqStep));
}

/*
 * Parse a skill set literal into *out (room for CJ_SKILLSET_MAX skills).
 * False with err filled on failure.
 */
extern bool cj_skillset_parse(const char *text, CjSkillset *out, CjError *err);

/* Check a decoded skill set (binary input) with the parser's rules. */
extern bool cj_skillset_validate(const CjSkillset *s, CjError *err);

/* Canonical text: 'billing:5, spanish:3', '{}' when empty (size CJ_SKILLSET_TEXT_MAX). */
extern void cj_skillset_format(const CjSkillset *s, char *buf, size_t size);

/*
 * A skill set from the elements of a text[] (level 1 each): names[i] of
 * lens[i] bytes, NULL elements (names[i] == NULL) skipped, repeats merged.
 */
extern bool cj_skillset_from_names(int n, const char *const *names,
								   const int *lens, CjSkillset *out,
								   CjError *err);

/* Level of a skill (name of len bytes) in s, 0 when s lacks it. */
extern int	cj_skillset_level(const CjSkillset *s, const char *name, size_t len);

/*
 * Parse a requirement literal into *out (room: CJ_REQ_SIZE_MAX bytes).
 * False with err filled on failure.
 */
extern bool cj_requirement_parse(const char *text, CjRequirement *out,
								 CjError *err);

/*
 * Check a decoded requirement (binary input) with the parser's rules,
 * relaxation included.  size is the bytes available at r.
 */
extern bool cj_requirement_validate(const CjRequirement *r, size_t size,
									CjError *err);

/* Canonical text (size CJ_REQ_TEXT_MAX). */
extern void cj_requirement_format(const CjRequirement *r, char *buf, size_t size);

/*
 * A one-step requirement from the elements of a text[] (level 1 each,
 * repeats merged); a NULL element is an error.
 */
extern bool cj_requirement_from_names(int n, const char *const *names,
									  const int *lens, CjRequirement *out,
									  CjError *err);

/* True when skill set s meets every term of step k (0-based) of r. */
extern bool cj_skills_satisfy(const CjSkillset *s, const CjRequirement *r, int k);

/*
 * The step (0-based) in force after waiting waited_us microseconds: step
 * k holds from the sum of the durations before it (inclusive) to that sum
 * plus its own (exclusive).  A negative wait counts as 0.
 */
extern int	cj_requirement_step_at(const CjRequirement *r, int64_t waited_us);

/* Start (microseconds of waiting) of step k of r */
extern int64_t cj_requirement_step_start(const CjRequirement *r, int k);

/*
 * Smallest wait in microseconds at which s satisfies the step then in
 * force, or -1 when it never does.  Since steps only relax, s is eligible
 * from then on.
 */
extern int64_t cj_requirement_eligible_after(const CjRequirement *r,
											 const CjSkillset *s);

#endif							/* CJ_SKILLS_H */
