/*-------------------------------------------------------------------------
 *
 * earn.c
 *	  Earning rules: parsing, validation, canonical text and the exact
 *	  computation of the points an amount earns.
 *
 * points = amount * rate / per * mult, all exact decimals, so with every
 * figure in millionths: points = A * R * M / (P * 10^12) (A amount, R rate,
 * M multiplier, P per).  The numerator is computed in 128 bits (an amount
 * that overflows it earns more than the points range anyway), the quotient
 * rounded to whole points by the rule's mode with the exact remainder, then
 * capped.
 *
 *-------------------------------------------------------------------------
 */
#include "core/loyalty/earn.h"
#include "core/common/decimal.h"
#include "core/common/text.h"

#include <stdio.h>
#include <string.h>

static const char *const RoundNames[] = {"floor", "nearest", "half_even"};

/* Tier names: identifiers, not a keyword of the rule */
static bool
NameValid(const char *name, CjError *err)
{
	if (strcmp(name, "cap") == 0 || strcmp(name, "min") == 0 ||
		strcmp(name, "round") == 0)
		return cj_error_set(err, CJ_ERR_PARAM,
							"\"%s\" is a keyword of the rule, not a tier name.", name), false;
	return true;
}

bool
cj_earn_validate(const CjEarnRule *r, CjError *err)
{
	int			i,
				j;

	if (r->rate <= 0 || r->per <= 0)
		return cj_error_set(err, CJ_ERR_PARAM,
							"The base rate and the amount it is per must be positive."), false;
	if (r->cap != CJ_EARN_NO_CAP && r->cap <= 0)
		return cj_error_set(err, CJ_ERR_PARAM, "A cap must be positive."), false;
	if (r->min < 0)
		return cj_error_set(err, CJ_ERR_PARAM, "A minimum spend must not be negative."), false;
	if (r->round > CJ_ROUND_HALF_EVEN)
		return cj_error_set(err, CJ_ERR_PARAM, "Rounding modes are %s.", CJ_EARN_ROUND_NAMES), false;
	if (r->ntiers < 0 || r->ntiers > CJ_EARN_MAX_TIERS)
		return cj_error_set(err, CJ_ERR_LIMIT, "A rule can have at most %d tier multipliers.",
							CJ_EARN_MAX_TIERS), false;
	for (i = 0; i < r->ntiers; i++)
	{
		const char *n = r->tiers[i].name;
		size_t		len = strnlen(n, CJ_EARN_NAME_MAX + 1);
		const char *p = n;
		char		buf[CJ_EARN_NAME_MAX + 1];

		if (len == 0 || len > CJ_EARN_NAME_MAX ||
			cj_parse_ident(&p, buf, sizeof(buf)) != (int) len || p != n + len)
			return cj_error_set(err, CJ_ERR_PARAM,
								"Tier names are identifiers of at most %d bytes.", CJ_EARN_NAME_MAX), false;
		if (!NameValid(n, err))
			return false;
		if (r->tiers[i].mult <= 0)
			return cj_error_set(err, CJ_ERR_PARAM,
								"The multiplier of tier \"%s\" must be positive.", n), false;
		for (j = 0; j < i; j++)
			if (strcmp(r->tiers[j].name, n) == 0)
				return cj_error_set(err, CJ_ERR_PARAM,
									"Tier \"%s\" has two multipliers.", n), false;
	}
	return true;
}

/* Expect keyword kw next */
static bool
Word(const char **p, const char *kw)
{
	const char *s = cj_skip_space(*p);
	size_t		n = strlen(kw);

	if (strncmp(s, kw, n) != 0)
		return false;
	if ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		(s[n] >= '0' && s[n] <= '9') || s[n] == '_')
		return false;
	*p = s + n;
	return true;
}

static bool
Decimal(const char **p, int64_t *v, const char *what, CjError *err)
{
	if (!cj_dec_parse(p, v, err))
	{
		if (err->kind == CJ_ERR_SYNTAX)
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected a decimal number for %s.", what);
		return false;
	}
	return true;
}

bool
cj_earn_parse(const char *s, CjEarnRule *r, CjError *err)
{
	const char *p = s;
	bool		seen_cap = false,
				seen_min = false,
				seen_round = false;

	memset(r, 0, sizeof(*r));
	r->cap = CJ_EARN_NO_CAP;
	r->round = CJ_ROUND_FLOOR;
	if (!Decimal(&p, &r->rate, "the base rate", err))
		return false;
	if (!Word(&p, "per"))
		return cj_error_set(err, CJ_ERR_SYNTAX,
							"A rule starts with its base rate, such as \"1 per 1.00\"."), false;
	if (!Decimal(&p, &r->per, "the amount the base rate is per", err))
		return false;
	while (cj_accept_char(&p, ';'))
	{
		char		name[CJ_EARN_NAME_MAX + 2];
		int			n;

		if (Word(&p, "cap"))
		{
			if (seen_cap)
				return cj_error_set(err, CJ_ERR_PARAM, "A rule has at most one cap."), false;
			seen_cap = true;
			if (!Decimal(&p, &r->cap, "the cap", err))
				return false;
			continue;
		}
		if (Word(&p, "min"))
		{
			if (seen_min)
				return cj_error_set(err, CJ_ERR_PARAM, "A rule has at most one minimum spend."), false;
			seen_min = true;
			if (!Decimal(&p, &r->min, "the minimum spend", err))
				return false;
			continue;
		}
		if (Word(&p, "round"))
		{
			int			i;

			if (seen_round)
				return cj_error_set(err, CJ_ERR_PARAM, "A rule has at most one rounding mode."), false;
			seen_round = true;
			n = cj_parse_ident(&p, name, sizeof(name));
			for (i = 0; i < 3; i++)
				if (n > 0 && strcmp(name, RoundNames[i]) == 0)
					break;
			if (i == 3)
				return cj_error_set(err, CJ_ERR_PARAM, "Rounding modes are %s.", CJ_EARN_ROUND_NAMES), false;
			r->round = (uint8_t) i;
			continue;
		}
		n = cj_parse_ident(&p, name, sizeof(name));
		if (n == 0)
			return cj_error_set(err, CJ_ERR_SYNTAX,
								"Expected a tier multiplier such as \"gold x1.5\", a cap, a min or a round part."), false;
		if (n < 0 || n > CJ_EARN_NAME_MAX)
			return cj_error_set(err, CJ_ERR_PARAM,
								"Tier names are identifiers of at most %d bytes.", CJ_EARN_NAME_MAX), false;
		if (r->ntiers >= CJ_EARN_MAX_TIERS)
			return cj_error_set(err, CJ_ERR_LIMIT, "A rule can have at most %d tier multipliers.",
								CJ_EARN_MAX_TIERS), false;
		p = cj_skip_space(p);
		if (*p != 'x')
			return cj_error_set(err, CJ_ERR_SYNTAX,
								"Expected \"x\" and a multiplier after tier \"%s\".", name), false;
		p++;
		memcpy(r->tiers[r->ntiers].name, name, (size_t) n + 1);
		if (!Decimal(&p, &r->tiers[r->ntiers].mult, "a multiplier", err))
			return false;
		r->ntiers++;
	}
	p = cj_skip_space(p);
	if (*p != '\0')
		return cj_error_set(err, CJ_ERR_SYNTAX, "Parts of a rule are separated by ';'."), false;
	return cj_earn_validate(r, err);
}

size_t
cj_earn_format(const CjEarnRule *r, char *buf)
{
	char	   *p = buf;
	int			i;

	p += cj_dec_format(r->rate, p);
	p += sprintf(p, " per ");
	p += cj_dec_format(r->per, p);
	for (i = 0; i < r->ntiers; i++)
	{
		p += sprintf(p, "; %s x", r->tiers[i].name);
		p += cj_dec_format(r->tiers[i].mult, p);
	}
	if (r->cap != CJ_EARN_NO_CAP)
	{
		p += sprintf(p, "; cap ");
		p += cj_dec_format(r->cap, p);
	}
	if (r->min != 0)
	{
		p += sprintf(p, "; min ");
		p += cj_dec_format(r->min, p);
	}
	p += sprintf(p, "; round %s", RoundNames[r->round]);
	return (size_t) (p - buf);
}

int
cj_earn_find(const CjEarnRule *r, const char *name, size_t len)
{
	int			i;

	for (i = 0; i < r->ntiers; i++)
		if (strlen(r->tiers[i].name) == len && memcmp(r->tiers[i].name, name, len) == 0)
			return i;
	return -1;
}

typedef unsigned __int128 u128;

bool
cj_earn_points(const CjEarnRule *r, int64_t amount, int64_t mult,
			   int64_t *out, CjError *err)
{
	u128		num,
				den,
				q,
				rem;

	if (amount < 0)
		return cj_error_set(err, CJ_ERR_PARAM, "An amount must not be negative."), false;
	if (amount < r->min)
	{
		*out = 0;
		return true;
	}
	/* A * R * M, each factor < 2^63: the product of the first two fits */
	num = (u128) (uint64_t) amount * (uint64_t) r->rate;
	if (num != 0 && (uint64_t) mult > ((u128) -1) / num)
	{
		/* beyond 2^128 / 10^12 points: only a cap brings it back */
		if (r->cap == CJ_EARN_NO_CAP)
			return cj_error_set(err, CJ_ERR_RANGE,
								"The points earned exceed 9223372036854 points."), false;
		*out = r->cap;
		return true;
	}
	num *= (uint64_t) mult;
	den = (u128) (uint64_t) r->per * (uint64_t) CJ_DEC_ONE * (uint64_t) CJ_DEC_ONE;
	q = num / den;
	rem = num - q * den;
	switch (r->round)
	{
		case CJ_ROUND_FLOOR:
			break;
		case CJ_ROUND_NEAREST:
			if (rem >= den - rem)
				q++;
			break;
		case CJ_ROUND_HALF_EVEN:
			if (rem > den - rem || (rem == den - rem && (q & 1)))
				q++;
			break;
	}
	if (r->cap != CJ_EARN_NO_CAP && q >= (u128) (r->cap / CJ_DEC_ONE + 1))
	{
		*out = r->cap;			/* q * 10^6 > cap */
		return true;
	}
	if (q > (u128) (INT64_MAX / CJ_DEC_ONE))
		return cj_error_set(err, CJ_ERR_RANGE,
							"The points earned exceed 9223372036854 points."), false;
	*out = (int64_t) q * CJ_DEC_ONE;
	if (r->cap != CJ_EARN_NO_CAP && *out > r->cap)
		*out = r->cap;
	return true;
}
