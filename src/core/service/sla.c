/*-------------------------------------------------------------------------
 *
 * sla.c
 *	  Parser and formatter of cj_sla literals (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		sla      := entry ( ',' entry )*
 *		entry    := ( ident | '*' ) ':' duration
 *		duration := number unit
 * Units: us, ms, s, min, h, d and w with their usual long spellings
 * (sec, second(s), minute(s), hour(s), day(s), week(s)); a day is 86400 s.
 * Months and years are rejected because they have no fixed length, and
 * so is the bare "m" (minute or month?).  A target is positive, at most
 * 3650 days, and is rounded to the microsecond (the resolution of
 * timestamptz).
 *
 * Canonical output keeps the tiers in the order written, puts the default
 * last and prints each target with the largest unit that divides it
 * exactly, so text form -> value -> text form is the identity on
 * canonical text and value -> text -> value is exact for every value.
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/sla.h"
#include "core/common/text.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct UnitDef
{
	const char *name;
	int64_t		us;				/* 0 = calendar unit (rejected) */
} UnitDef;

static const UnitDef units[] = {
	{"us", 1}, {"usec", 1}, {"microsecond", 1}, {"microseconds", 1},
	{"ms", 1000}, {"msec", 1000}, {"millisecond", 1000},
	{"milliseconds", 1000},
	{"s", 1000000}, {"sec", 1000000}, {"secs", 1000000},
	{"second", 1000000}, {"seconds", 1000000},
	{"min", 60000000}, {"mins", 60000000}, {"minute", 60000000},
	{"minutes", 60000000},
	{"h", INT64_C(3600000000)}, {"hr", INT64_C(3600000000)},
	{"hrs", INT64_C(3600000000)}, {"hour", INT64_C(3600000000)},
	{"hours", INT64_C(3600000000)},
	{"d", INT64_C(86400000000)}, {"day", INT64_C(86400000000)},
	{"days", INT64_C(86400000000)},
	{"w", INT64_C(604800000000)}, {"week", INT64_C(604800000000)},
	{"weeks", INT64_C(604800000000)},
	{"mon", 0}, {"mons", 0}, {"month", 0}, {"months", 0},
	{"y", 0}, {"yr", 0}, {"yrs", 0}, {"year", 0}, {"years", 0},
};

/* Units used by the canonical output, largest first */
static const UnitDef out_units[] = {
	{"d", INT64_C(86400000000)}, {"h", INT64_C(3600000000)},
	{"min", 60000000}, {"s", 1000000}, {"ms", 1000}, {"us", 1},
};

/* Case-insensitive ASCII equality */
static bool
SameWord(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
	{
		char		x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
		char		y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

/* Look up a unit word; NULL when unknown */
static const UnitDef *
FindUnit(const char *word)
{
	size_t		i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (SameWord(word, units[i].name))
			return &units[i];
	return NULL;
}

/*
 * Parse one duration into microseconds; what names the durations in the
 * range errors ("Target waits", "Step durations").
 */
bool
cj_duration_parse(const char **p, const char *what, int64_t *us, CjError *err)
{
	double		v,
				scaled;
	char		word[32];
	int			n;
	const UnitDef *u;

	if (!cj_parse_double(p, &v))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a number followed by a unit, such as \"30s\" or \"2min\".");
		return false;
	}
	n = cj_parse_ident(p, word, sizeof(word));
	if (n <= 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a unit (us, ms, s, min, h, d or w) after the number.");
		return false;
	}
	if (SameWord(word, "m"))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unit \"m\" is ambiguous; write \"min\" for minutes.");
		return false;
	}
	u = FindUnit(word);
	if (u == NULL)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unknown unit \"%s\"; expected us, ms, s, min, h, d or w.", word);
		return false;
	}
	if (u->us == 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Unit \"%s\" has no fixed length; give days, hours, minutes or seconds.", word);
		return false;
	}
	scaled = v * (double) u->us;
	if (!(scaled >= 0.5))
	{
		cj_error_set(err, CJ_ERR_PARAM, "%s must be positive (at least 1 microsecond).", what);
		return false;
	}
	if (scaled > (double) CJ_SLA_MAX_US)
	{
		cj_error_set(err, CJ_ERR_RANGE, "%s must be at most 3650 days.", what);
		return false;
	}
	*us = (int64_t) llround(scaled);
	return true;
}

/* Canonical form of a duration: the largest unit that divides it */
void
cj_duration_format(int64_t us, char *buf, size_t size)
{
	size_t		i;

	for (i = 0; i < sizeof(out_units) / sizeof(out_units[0]) - 1; i++)
		if (us % out_units[i].us == 0)
			break;
	snprintf(buf, size, "%" PRId64 "%s", us / out_units[i].us,
			 out_units[i].name);
}

/* Index of tier name in sla, or -1 */
static int
FindTier(const CjSla *sla, const char *name, size_t len)
{
	int			i;

	for (i = 0; i < sla->ntiers; i++)
		if (len <= CJ_SLA_NAME_MAX &&
			strncmp(sla->tiers[i].name, name, len) == 0 &&
			sla->tiers[i].name[len] == '\0')
			return i;
	return -1;
}

/* Parse one "name:duration" entry and add it to out */
static bool
ParseEntry(const char **p, CjSla *out, CjError *err)
{
	char		name[CJ_SLA_NAME_MAX + 1];
	int			n = 0;
	int64_t		us;
	bool		dflt = cj_accept_char(p, '*');

	if (!dflt)
		n = cj_parse_ident(p, name, sizeof(name));
	if (n < 0)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "Tier names are limited to %d bytes.", CJ_SLA_NAME_MAX);
		return false;
	}
	if (!dflt && n == 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a tier name (letters, digits, underscores) or \"*\".");
		return false;
	}
	if (!cj_accept_char(p, ':'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \":\" after the tier name.");
		return false;
	}
	if (!cj_duration_parse(p, "Target waits", &us, err))
		return false;
	if (dflt)
	{
		if (out->has_default)
		{
			cj_error_set(err, CJ_ERR_PARAM, "The default tier \"*\" is listed twice.");
			return false;
		}
		out->has_default = 1;
		out->default_us = us;
		return true;
	}
	if (FindTier(out, name, (size_t) n) >= 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Tier \"%s\" is listed twice.", name);
		return false;
	}
	if (out->ntiers >= CJ_SLA_MAX_TIERS)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "An SLA can list at most %d tiers.", CJ_SLA_MAX_TIERS);
		return false;
	}
	memset(out->tiers[out->ntiers].name, 0, sizeof(out->tiers[0].name));
	memcpy(out->tiers[out->ntiers].name, name, (size_t) n);
	out->tiers[out->ntiers].target_us = us;
	out->ntiers++;
	return true;
}

/* Parse a whole cj_sla literal */
bool
cj_sla_parse(const char *text, CjSla *out, CjError *err)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	if (cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "An SLA lists at least one tier:target pair.");
		return false;
	}
	do
	{
		if (!ParseEntry(&p, out, err))
			return false;
	} while (cj_accept_char(&p, ','));
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected text after the last entry; separate entries with \",\".");
		return false;
	}
	return true;
}

/* True when name is a valid identifier of at most CJ_SLA_NAME_MAX bytes */
static bool
ValidName(const char *name)
{
	const char *p = name;
	char		buf[CJ_SLA_NAME_MAX + 1];
	int			n = cj_parse_ident(&p, buf, sizeof(buf));
	size_t		i;

	if (n <= 0 || name[0] != buf[0] || *p != '\0')
		return false;
	/* the padding after the NUL must be zero */
	for (i = (size_t) n; i <= CJ_SLA_NAME_MAX; i++)
		if (name[i] != '\0')
			return false;
	return true;
}

/* Validate a decoded SLA with the parser's rules */
bool
cj_sla_validate(const CjSla *sla, CjError *err)
{
	int			i;

	if (sla->ntiers < 0 || sla->ntiers > CJ_SLA_MAX_TIERS ||
		(sla->has_default != 0 && sla->has_default != 1) ||
		(sla->ntiers == 0 && !sla->has_default) ||
		(!sla->has_default && sla->default_us != 0))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The tier count or default flag is invalid.");
		return false;
	}
	/* without a default the default target is not printed: it must be 0 */
	if (!sla->has_default && sla->default_us != 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "A policy without a default (*) target must have a zero default.");
		return false;
	}
	if (sla->has_default &&
		(sla->default_us <= 0 || sla->default_us > CJ_SLA_MAX_US))
	{
		cj_error_set(err, CJ_ERR_PARAM, "Target waits must be positive and at most 3650 days.");
		return false;
	}
	for (i = 0; i < sla->ntiers; i++)
	{
		const CjSlaTier *t = &sla->tiers[i];

		if (t->target_us <= 0 || t->target_us > CJ_SLA_MAX_US)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Target waits must be positive and at most 3650 days.");
			return false;
		}
		if (!ValidName(t->name))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Tier %d has an invalid name.", i + 1);
			return false;
		}
		if (FindTier(sla, t->name, strlen(t->name)) != i)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Tier \"%s\" is listed twice.", t->name);
			return false;
		}
	}
	return true;
}

/* Write the canonical text form */
void
cj_sla_format(const CjSla *sla, char *buf, size_t size)
{
	size_t		len = 0;
	int			i;
	char		dur[32];

	buf[0] = '\0';
	for (i = 0; i <= sla->ntiers && len < size; i++)
	{
		const char *name;
		int64_t		us;

		if (i == sla->ntiers)
		{
			if (!sla->has_default)
				break;
			name = "*";
			us = sla->default_us;
		}
		else
		{
			name = sla->tiers[i].name;
			us = sla->tiers[i].target_us;
		}
		cj_duration_format(us, dur, sizeof(dur));
		len += (size_t) snprintf(buf + len, size - len, "%s%s:%s",
								 len > 0 ? ", " : "", name, dur);
	}
}

/* Target of a tier, falling back to the default */
bool
cj_sla_lookup(const CjSla *sla, const char *name, size_t len, int64_t *us)
{
	int			i = FindTier(sla, name, len);

	if (i >= 0)
		*us = sla->tiers[i].target_us;
	else if (sla->has_default)
		*us = sla->default_us;
	else
		return false;
	return true;
}

/* Comma-separated tier names, for error details */
void
cj_sla_tier_list(const CjSla *sla, char *buf, size_t size)
{
	size_t		len = 0;
	int			i;

	buf[0] = '\0';
	for (i = 0; i < sla->ntiers && len < size; i++)
		len += (size_t) snprintf(buf + len, size - len, "%s%s",
								 i > 0 ? ", " : "", sla->tiers[i].name);
}
