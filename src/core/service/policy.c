/*-------------------------------------------------------------------------
 *
 * policy.c
 *	  Parser, formatter and lookup of cj_sla_policy literals (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		policy   := metric ( ';' metric )*
 *		metric   := ident ':' entry ( ',' entry )*
 *		entry    := selector [ ':' ] duration
 *		selector := ( ident | '*' ) [ '/' ( ident | '*' ) ]
 * Durations are those of cj_sla ("30s", "2min", "4h", "1d"; no months).
 * The canonical output keeps metrics and entries in the order written,
 * writes "selector duration" with the duration in the largest exact unit,
 * and drops a "/ *" severity (the same as none).
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/policy.h"
#include "core/service/sla.h"
#include "core/common/text.h"

#include <stdio.h>
#include <string.h>

/* Parse an identifier or "*" into buf; false on error */
static bool
ParseName(const char **p, char *buf, bool star_ok, const char *what, CjError *err)
{
	int			n;

	if (star_ok && cj_accept_char(p, '*'))
	{
		strcpy(buf, "*");
		return true;
	}
	n = cj_parse_ident(p, buf, CJ_POLICY_NAME_MAX + 1);
	if (n < 0)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "Names are limited to %d bytes.", CJ_POLICY_NAME_MAX);
		return false;
	}
	if (n == 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected %s (letters, digits, underscores)%s.", what,
					 star_ok ? " or \"*\"" : "");
		return false;
	}
	return true;
}

/* Same selector? */
static bool
SameSelector(const CjPolicyEntry *a, const CjPolicyEntry *b)
{
	return strcmp(a->tier, b->tier) == 0 && strcmp(a->severity, b->severity) == 0;
}

/* Parse one "selector duration" entry into metric m */
static bool
ParseEntry(const char **p, CjPolicyMetric *m, CjError *err)
{
	CjPolicyEntry e;
	int			i;

	memset(&e, 0, sizeof(e));
	if (!ParseName(p, e.tier, true, "a tier name", err))
		return false;
	if (cj_accept_char(p, '/'))
	{
		if (!ParseName(p, e.severity, true, "a severity", err))
			return false;
		if (strcmp(e.severity, "*") == 0)
			e.severity[0] = '\0';
	}
	(void) cj_accept_char(p, ':');
	if (!cj_duration_parse(p, "Target waits", &e.target_us, err))
		return false;
	for (i = 0; i < m->nentries; i++)
		if (SameSelector(&m->entries[i], &e))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Metric \"%s\" lists %s%s%s twice.", m->name, e.tier,
						 e.severity[0] ? "/" : "", e.severity);
			return false;
		}
	if (m->nentries >= CJ_POLICY_MAX_ENTRIES)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A metric lists at most %d targets.", CJ_POLICY_MAX_ENTRIES);
		return false;
	}
	m->entries[m->nentries++] = e;
	return true;
}

/* Parse a whole literal */
bool
cj_slapolicy_parse(const char *text, CjPolicy *out, CjError *err)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	do
	{
		CjPolicyMetric *m;
		char		name[CJ_POLICY_NAME_MAX + 1];

		if (!ParseName(&p, name, false, "a metric name such as \"first_reply\"", err))
			return false;
		if (cj_slapolicy_metric(out, name, strlen(name)) >= 0)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Metric \"%s\" is listed twice.", name);
			return false;
		}
		if (out->nmetrics >= CJ_POLICY_MAX_METRICS)
		{
			cj_error_set(err, CJ_ERR_LIMIT, "A policy lists at most %d metrics.", CJ_POLICY_MAX_METRICS);
			return false;
		}
		m = &out->metrics[out->nmetrics++];
		strcpy(m->name, name);
		if (!cj_accept_char(&p, ':'))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected \":\" after metric \"%s\".", name);
			return false;
		}
		do
		{
			if (!ParseEntry(&p, m, err))
				return false;
		} while (cj_accept_char(&p, ','));
	} while (cj_accept_char(&p, ';'));
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected text; separate targets with \",\" and metrics with \";\".");
		return false;
	}
	return true;
}

/* Canonical text form */
void
cj_slapolicy_format(const CjPolicy *p, char *buf, size_t size)
{
	size_t		len = 0;
	int			i,
				j;
	char		dur[32];

	buf[0] = '\0';
	for (i = 0; i < p->nmetrics && len < size; i++)
	{
		const CjPolicyMetric *m = &p->metrics[i];

		len += (size_t) snprintf(buf + len, size - len, "%s%s:", i ? "; " : "", m->name);
		for (j = 0; j < m->nentries && len < size; j++)
		{
			const CjPolicyEntry *e = &m->entries[j];

			cj_duration_format(e->target_us, dur, sizeof(dur));
			len += (size_t) snprintf(buf + len, size - len, "%s %s%s%s %s", j ? "," : "",
									 e->tier, e->severity[0] ? "/" : "", e->severity, dur);
		}
	}
}

/* Index of a metric */
int
cj_slapolicy_metric(const CjPolicy *p, const char *name, size_t len)
{
	int			i;

	for (i = 0; i < p->nmetrics; i++)
		if (len <= CJ_POLICY_NAME_MAX && strncmp(p->metrics[i].name, name, len) == 0 &&
			p->metrics[i].name[len] == '\0')
			return i;
	return -1;
}

/* Does a stored name equal (name, len)? */
static bool
NameIs(const char *stored, const char *name, size_t len)
{
	return len <= CJ_POLICY_NAME_MAX && strncmp(stored, name, len) == 0 && stored[len] == '\0';
}

/* Target of (tier, severity): tier/severity, tier, * /severity, * */
bool
cj_slapolicy_lookup(const CjPolicy *p, int mi, const char *tier, size_t tlen,
				 const char *severity, size_t slen, int64_t *us)
{
	const CjPolicyMetric *m = &p->metrics[mi];
	int			pass,
				i;

	for (pass = 0; pass < 4; pass++)
	{
		bool		want_tier = pass < 2;
		bool		want_sev = pass % 2 == 0;

		if (want_sev && severity == NULL)
			continue;
		for (i = 0; i < m->nentries; i++)
		{
			const CjPolicyEntry *e = &m->entries[i];

			if (want_tier ? !NameIs(e->tier, tier, tlen) : strcmp(e->tier, "*") != 0)
				continue;
			if (want_sev ? !NameIs(e->severity, severity, slen) : e->severity[0] != '\0')
				continue;
			*us = e->target_us;
			return true;
		}
	}
	return false;
}

/* Comma-separated metric names */
void
cj_slapolicy_metric_list(const CjPolicy *p, char *buf, size_t size)
{
	size_t		len = 0;
	int			i;

	buf[0] = '\0';
	for (i = 0; i < p->nmetrics && len < size; i++)
		len += (size_t) snprintf(buf + len, size - len, "%s%s", i ? ", " : "", p->metrics[i].name);
}
