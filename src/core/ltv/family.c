/*-------------------------------------------------------------------------
 *
 * family.c
 *	  The registry of model families.
 *
 * Each family carries its stable id (family.h); that id is what cj_model
 * and cj_fit_state store, so it is never renumbered or reused.  Lookups
 * go by the id each family declares, never by its place in the list
 * below: the order of the list changes nothing stored.  To add a family:
 * write src/core/ltv/<name>.c filling a CjFamily (with a new id), declare
 * it in family.h, and add its address to the list.  Error messages that
 * list the families are generated from the list (cj_family_names).
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/family.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const CjFamily *const Registry[] = {
	&cj_family_bgnbd,
	&cj_family_mbgnbd,
	&cj_family_pnbd,
	&cj_family_bgbb,
	&cj_family_sbg,
	&cj_family_gg,
};

#define REGISTRY_SIZE ((int) (sizeof(Registry) / sizeof(Registry[0])))

/* Family with the given text-form name, or NULL */
const CjFamily *
cj_family_by_name(const char *name)
{
	int			i;

	for (i = 0; i < REGISTRY_SIZE; i++)
		if (strcmp(Registry[i]->name, name) == 0)
			return Registry[i];
	return NULL;
}

/*
 * Family with the given stable id, or NULL.  Ids are below 256 (states
 * store them in a byte); the table by id is filled on first use, as
 * states look their family up on every row they take.
 */
const CjFamily *
cj_family_by_id(int id)
{
	static const CjFamily *by_id[256];
	static bool filled = false;
	int			i;

	if (!filled)
	{
		for (i = 0; i < REGISTRY_SIZE; i++)
			if (Registry[i]->id >= 0 && Registry[i]->id < 256)
				by_id[Registry[i]->id] = Registry[i];
		filled = true;
	}
	return (id >= 0 && id < 256) ? by_id[id] : NULL;
}

/* Stable id of a family */
int
cj_family_id(const CjFamily *f)
{
	return f->id;
}

/* Number of registered families */
int
cj_family_count(void)
{
	return REGISTRY_SIZE;
}

/* The i-th registered family (0 <= i < cj_family_count()), or NULL */
const CjFamily *
cj_family_at(int i)
{
	return (i >= 0 && i < REGISTRY_SIZE) ? Registry[i] : NULL;
}

/* The text-form names of every family, "bgnbd, mbgnbd, ...", in the list's order */
const char *
cj_family_names(void)
{
	static char names[256];
	size_t		len = 0;
	int			i;

	if (names[0] != '\0')
		return names;
	for (i = 0; i < REGISTRY_SIZE && len + 32 < sizeof(names); i++)
		len += (size_t) snprintf(names + len, sizeof(names) - len, "%s%s",
								 i > 0 ? ", " : "", Registry[i]->name);
	return names;
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
