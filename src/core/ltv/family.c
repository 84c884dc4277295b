/*-------------------------------------------------------------------------
 *
 * family.c
 *	  The registry of model families.
 *
 * The table is indexed by the stable family id (cj_family.h); that id is
 * what cj_model and cj_fit_state store, so the table is APPEND-ONLY: a row
 * is never moved or reused.  A slot whose family is not built into this
 * library is NULL and every lookup treats it as unknown.  To add a family:
 * write src/core/cj_<name>.c filling a CjFamily, declare it in
 * cj_family.h, and put its address in its slot below.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/family.h"

#include <math.h>
#include <string.h>

static const CjFamily *const Registry[] = {
	NULL,						/* 0: never used */
	&cj_family_bgnbd,			/* 1: CJ_FAMILY_BGNBD */
	&cj_family_mbgnbd,			/* 2: CJ_FAMILY_MBGNBD */
	&cj_family_pnbd,			/* 3: CJ_FAMILY_PNBD */
	&cj_family_bgbb,			/* 4: CJ_FAMILY_BGBB */
	&cj_family_sbg,				/* 5: CJ_FAMILY_SBG */
	&cj_family_gg,				/* 6: CJ_FAMILY_GG */
};

#define REGISTRY_SIZE ((int) (sizeof(Registry) / sizeof(Registry[0])))

/* Family with the given text-form name, or NULL */
const CjFamily *
cj_family_by_name(const char *name)
{
	int			i;

	for (i = 1; i < REGISTRY_SIZE; i++)
		if (Registry[i] && strcmp(Registry[i]->name, name) == 0)
			return Registry[i];
	return NULL;
}

/* Family with the given stable id, or NULL */
const CjFamily *
cj_family_by_id(int id)
{
	if (id <= 0 || id >= REGISTRY_SIZE)
		return NULL;
	return Registry[id];
}

/* Stable id of a registered family (0 if it is not registered) */
int
cj_family_id(const CjFamily *f)
{
	int			i;

	for (i = 1; i < REGISTRY_SIZE; i++)
		if (Registry[i] == f)
			return i;
	return 0;
}

/* Number of slots (ids 1 .. count-1 may hold families) */
int
cj_family_count(void)
{
	return REGISTRY_SIZE;
}

/* Every parameter finite and strictly positive */
bool
cj_family_positive_params(const CjFamily *f, const double *p, CjError *err)
{
	int			i;

	for (i = 0; i < f->nparams; i++)
		if (!(isfinite(p[i]) && p[i] > 0.0))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Parameter %s of a %s model must be a finite number greater than 0.",
						 f->param_names[i], f->title);
			return false;
		}
	return true;
}
