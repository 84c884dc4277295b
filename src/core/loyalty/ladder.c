/*-------------------------------------------------------------------------
 *
 * ladder.c
 *	  Tier ladder literal parser, validator, canonical printer and the
 *	  review policies.
 *
 * Review policies, with E the tier the figure earns outright (highest
 * qualify threshold <= figure), C the current tier and F the floor:
 *
 *	 - every policy upgrades: if E >= C the result is E;
 *	 - soft_landing: C when the figure meets C's keep threshold, else C-1
 *	   (one tier down at most, even when the figure also misses the keep of
 *	   C-1);
 *	 - justified: the highest tier i <= C whose keep threshold the figure
 *	   meets (at least E, since keep <= qualify);
 *	 - reset and realtime: E (back to the lowest tier, then re-earned by the
 *	   figure's qualify thresholds; keep thresholds play no part);
 *	 - finally max(result, F).
 *
 *-------------------------------------------------------------------------
 */
#include "core/loyalty/ladder.h"
#include "core/common/decimal.h"
#include "core/common/text.h"

#include <string.h>

/* Parse one 'name:qualify[/keep]' item */
static bool
ParseTier(const char **p, CjTier *t, CjError *err)
{
	int			n = cj_parse_ident(p, t->name, sizeof(t->name));

	if (n == 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Expected a tier name (letters, digits and underscores, not starting with a digit).");
		return false;
	}
	if (n < 0)
	{
		cj_error_set(err, CJ_ERR_LIMIT,
					 "A tier name can have at most %d bytes.", CJ_TIER_NAME_MAX);
		return false;
	}
	if (!cj_accept_char(p, ':'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Expected ':' and a qualify threshold after tier \"%s\".", t->name);
		return false;
	}
	if (!cj_dec_parse(p, &t->qualify, err))
		return false;
	t->keep = t->qualify;
	if (cj_accept_char(p, '/') && !cj_dec_parse(p, &t->keep, err))
		return false;
	return true;
}

/* Parse and validate a ladder literal */
bool
cj_ladder_parse(const char *s, CjLadder *l, CjError *err)
{
	const char *p = s;

	l->ntiers = 0;
	do
	{
		if (l->ntiers >= CJ_LADDER_MAX_TIERS)
		{
			cj_error_set(err, CJ_ERR_LIMIT,
						 "A ladder can have at most %d tiers.", CJ_LADDER_MAX_TIERS);
			return false;
		}
		if (!ParseTier(&p, &l->tiers[l->ntiers], err))
			return false;
		l->ntiers++;
	} while (cj_accept_char(&p, ','));
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Unexpected text after the last tier; tiers are separated by commas.");
		return false;
	}
	return cj_ladder_validate(l, err);
}

/* Validate a tier name */
bool
cj_tier_name_valid(const char *name, size_t len, CjError *err)
{
	size_t		i;

	if (len == 0 || len > CJ_TIER_NAME_MAX)
	{
		cj_error_set(err, len ? CJ_ERR_LIMIT : CJ_ERR_PARAM,
					 "A tier name has 1 to %d bytes.", CJ_TIER_NAME_MAX);
		return false;
	}
	for (i = 0; i < len; i++)
	{
		char		c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
			  (i > 0 && c >= '0' && c <= '9')))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "A tier name has letters, digits and underscores and does not start with a digit.");
			return false;
		}
	}
	return true;
}

/* Check one tier against its lower neighbour */
static bool
ValidateStep(const CjTier *lo, const CjTier *t, CjError *err)
{
	char		a[CJ_DEC_BUFLEN],
				b[CJ_DEC_BUFLEN];

	if (t->qualify <= lo->qualify)
	{
		cj_dec_format(t->qualify, a);
		cj_dec_format(lo->qualify, b);
		cj_error_set(err, CJ_ERR_PARAM,
					 "Tier \"%s\" qualifies at %s, not above %s of tier \"%s\"; qualify thresholds must strictly increase.",
					 t->name, a, b, lo->name);
		return false;
	}
	if (t->keep <= lo->keep)
	{
		cj_dec_format(t->keep, a);
		cj_dec_format(lo->keep, b);
		cj_error_set(err, CJ_ERR_PARAM,
					 "Tier \"%s\" is kept at %s, not above %s of tier \"%s\"; keep thresholds must strictly increase.",
					 t->name, a, b, lo->name);
		return false;
	}
	return true;
}

/* Validate the shape of a ladder */
bool
cj_ladder_validate(const CjLadder *l, CjError *err)
{
	int			i,
				j;
	char		a[CJ_DEC_BUFLEN],
				b[CJ_DEC_BUFLEN];

	if (l->ntiers < 1 || l->ntiers > CJ_LADDER_MAX_TIERS)
	{
		cj_error_set(err, l->ntiers < 1 ? CJ_ERR_PARAM : CJ_ERR_LIMIT,
					 "A ladder has 1 to %d tiers.", CJ_LADDER_MAX_TIERS);
		return false;
	}
	for (i = 0; i < l->ntiers; i++)
	{
		const CjTier *t = &l->tiers[i];

		if (!cj_tier_name_valid(t->name, strnlen(t->name, sizeof(t->name)), err))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(l->tiers[j].name, t->name) == 0)
			{
				cj_error_set(err, CJ_ERR_PARAM,
							 "Tier name \"%s\" appears more than once.", t->name);
				return false;
			}
		if (t->qualify < 0)
		{
			cj_dec_format(t->qualify, a);
			cj_error_set(err, CJ_ERR_PARAM,
						 "Tier \"%s\" qualifies at %s; thresholds are not negative.",
						 t->name, a);
			return false;
		}
		if (t->keep > t->qualify || t->keep < 0)
		{
			cj_dec_format(t->keep, a);
			cj_dec_format(t->qualify, b);
			cj_error_set(err, CJ_ERR_PARAM,
						 "Tier \"%s\" has keep threshold %s outside [0, %s]; a keep threshold lies between 0 and the qualify threshold.",
						 t->name, a, b);
			return false;
		}
		if (i == 0 && t->qualify != 0)
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "The lowest tier \"%s\" must qualify at 0; it is the tier every member holds.",
						 t->name);
			return false;
		}
		if (i > 0 && !ValidateStep(&l->tiers[i - 1], t, err))
			return false;
	}
	return true;
}

/* Upper bound of the canonical text length */
size_t
cj_ladder_text_size(const CjLadder *l)
{
	return (size_t) l->ntiers * (CJ_TIER_NAME_MAX + 2 * CJ_DEC_BUFLEN + 4) + 1;
}

/* Canonical text: 'name:qualify[/keep]' joined by ', ' */
void
cj_ladder_format(const CjLadder *l, char *buf)
{
	char	   *p = buf;
	int			i;

	for (i = 0; i < l->ntiers; i++)
	{
		const CjTier *t = &l->tiers[i];
		size_t		n = strlen(t->name);

		if (i > 0)
		{
			*p++ = ',';
			*p++ = ' ';
		}
		memcpy(p, t->name, n);
		p += n;
		*p++ = ':';
		p += cj_dec_format(t->qualify, p);
		if (t->keep != t->qualify)
		{
			*p++ = '/';
			p += cj_dec_format(t->keep, p);
		}
	}
	*p = '\0';
}

/* Index of a tier by name */
int
cj_ladder_find(const CjLadder *l, const char *name, size_t len)
{
	int			i;

	for (i = 0; i < l->ntiers; i++)
		if (strlen(l->tiers[i].name) == len &&
			memcmp(l->tiers[i].name, name, len) == 0)
			return i;
	return -1;
}

/* Names as 'a, b, c' */
void
cj_ladder_names(const CjLadder *l, char *buf, size_t size)
{
	size_t		used = 0;
	int			i;

	buf[0] = '\0';
	for (i = 0; i < l->ntiers && used + 1 < size; i++)
	{
		size_t		n = strlen(l->tiers[i].name);

		if (used + n + 3 >= size)
			break;
		if (i > 0)
		{
			memcpy(buf + used, ", ", 2);
			used += 2;
		}
		memcpy(buf + used, l->tiers[i].name, n);
		used += n;
		buf[used] = '\0';
	}
}

/* Highest tier whose qualify threshold is met (binary search) */
int
cj_ladder_earned(const CjLadder *l, int64_t q)
{
	int			lo = 0,
				hi = l->ntiers - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi + 1) / 2;

		if (l->tiers[mid].qualify <= q)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Policy by name */
bool
cj_policy_parse(const char *s, size_t len, CjPolicy *out)
{
	static const struct
	{
		const char *name;
		CjPolicy	policy;
	}			policies[] = {
		{"soft_landing", CJ_POLICY_SOFT_LANDING},
		{"justified", CJ_POLICY_JUSTIFIED},
		{"reset", CJ_POLICY_RESET},
		{"realtime", CJ_POLICY_REALTIME}
	};
	size_t		i;

	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		if (strlen(policies[i].name) == len &&
			memcmp(policies[i].name, s, len) == 0)
		{
			*out = policies[i].policy;
			return true;
		}
	return false;
}

/* The tier after a review (see the file header for the rules) */
int
cj_ladder_review(const CjLadder *l, int current, int64_t q, CjPolicy policy,
				 int floor)
{
	int			earned = cj_ladder_earned(l, q);
	int			result = earned;

	if (earned < current)
	{
		switch (policy)
		{
			case CJ_POLICY_SOFT_LANDING:
				result = q >= l->tiers[current].keep ? current : current - 1;
				break;
			case CJ_POLICY_JUSTIFIED:
				result = current;
				while (result > earned && q < l->tiers[result].keep)
					result--;
				break;
			case CJ_POLICY_RESET:
			case CJ_POLICY_REALTIME:
				break;
		}
	}
	return result < floor ? floor : result;
}
