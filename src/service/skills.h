/*-------------------------------------------------------------------------
 *
 * skills.h
 *	  The cj_skillset and cj_requirement glue: the stored values as core
 *	  structures, for the queue functions that match agents to tickets.
 *
 * Values are stored as a varlena header, a version word and the core
 * structure (src/core/service/skills.h), so reading one costs a detoast
 * and no copy; the core functions (cj_skills_satisfy,
 * cj_requirement_step_at, cj_requirement_eligible_after, cj_skillset_level)
 * then work on the pointers these return.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SERVICE_SKILLS_GLUE_H
#define CJ_SERVICE_SKILLS_GLUE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"
#include "utils/timestamp.h"

#include "core/service/skills.h"

/* The skill set held by a cj_skillset datum (detoasted when needed) */
extern const CjSkillset *cj_skillset_datum(Datum d);

/* The requirement held by a cj_requirement datum (detoasted when needed) */
extern const CjRequirement *cj_requirement_datum(Datum d);

/*
 * The skill names of a set as text[] in canonical (byte) order, palloc'd:
 * what cj_skills returns.
 */
extern ArrayType *cj_skillset_names(const CjSkillset *s);

/*
 * The skill set (a cj_skillset datum) a text[] skill list of cj_claim
 * meets requirements with: its elements that can name a skill; (Datum) 0
 * when they make no set (see skills.c).
 */
extern Datum cj_skillset_for_claim(ArrayType *a);

#endif							/* CJ_SERVICE_SKILLS_GLUE_H */
