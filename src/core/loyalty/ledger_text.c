/*-------------------------------------------------------------------------
 *
 * ledger_text.c
 *	  Points-ledger movements: kinds, validation, total order and the
 *	  canonical text of a movement and of a timestamp.
 *
 * A movement reads
 *	  earn 100 at 2024-01-05T10:00:00Z available 2024-01-12T00:00:00Z
 *		  expires 2025-01-05T00:00:00Z ref "order-17"
 * with the optional parts in that order; times are ISO 8601 instants in
 * UTC (cj_format_instant) so that the text does not depend on the
 * session's TimeZone.
 *
 *-------------------------------------------------------------------------
 */
#include "core/loyalty/points.h"
#include "core/common/decimal.h"
#include "core/common/instant.h"
#include "core/common/text.h"

#include <stdio.h>
#include <string.h>

static const char *const KindNames[] = {"earn", "adjust", "reverse", "adjust", "redeem",
"transfer_in", "transfer_out"};

/* Rank at equal occurred_at: credits, reversals, debits */
static const int KindRank[] = {0, 1, 3, 4, 5, 2, 6};

int
cj_move_rank(uint8_t kind)
{
	return kind <= CJ_MOVE_KIND_MAX ? KindRank[kind] : 7;
}

const char *
cj_move_kind_name(uint8_t kind)
{
	return kind <= CJ_MOVE_KIND_MAX ? KindNames[kind] : "?";
}

/* True for times in PostgreSQL's finite timestamptz range */
bool
cj_ts_in_range(int64_t ts)
{
	return ts >= CJ_MIN_INSTANT && ts < CJ_END_INSTANT;
}

/* Kind from name and sign */
bool
cj_move_kind(const char *name, size_t len, bool negative, uint8_t *kind)
{
	if (len == 6 && memcmp(name, "adjust", 6) == 0)
		*kind = negative ? CJ_MOVE_ADJUST_DOWN : CJ_MOVE_ADJUST_UP;
	else if (len == 4 && memcmp(name, "earn", 4) == 0)
		*kind = CJ_MOVE_EARN;
	else if (len == 6 && memcmp(name, "redeem", 6) == 0)
		*kind = CJ_MOVE_REDEEM;
	else if (len == 7 && memcmp(name, "reverse", 7) == 0)
		*kind = CJ_MOVE_REVERSE;
	else if (len == 11 && memcmp(name, "transfer_in", 11) == 0)
		*kind = CJ_MOVE_TRANSFER_IN;
	else if (len == 12 && memcmp(name, "transfer_out", 12) == 0)
		*kind = CJ_MOVE_TRANSFER_OUT;
	else
		return false;
	return true;
}

/* Check a movement's invariants */
bool
cj_move_validate(const CjMove *m, CjError *err)
{
	if (m->kind > CJ_MOVE_KIND_MAX)
		return cj_error_set(err, CJ_ERR_PARAM, "Movement kinds are %s.", CJ_MOVE_KINDS), false;
	if (m->points <= 0)
		return cj_error_set(err, CJ_ERR_PARAM,
							"Points of earn, redeem, reverse and transfers must be positive, and an adjust must not be zero."), false;
	if (!cj_ts_in_range(m->occurred))
		return cj_error_set(err, CJ_ERR_PARAM,
							"The time occurred_at must be finite."), false;
	if (!cj_move_is_credit(m))
	{
		if (m->available != m->occurred || m->expires != CJ_TS_NEVER)
			return cj_error_set(err, CJ_ERR_PARAM,
								"Only earn, positive adjust and transfer_in movements have available and expires times."), false;
	}
	else if (m->available < m->occurred || !cj_ts_in_range(m->available))
		return cj_error_set(err, CJ_ERR_PARAM,
							"The time available_at must be finite and not before occurred_at."), false;
	else if (m->expires != CJ_TS_NEVER &&
			 (m->expires <= m->available || !cj_ts_in_range(m->expires)))
		return cj_error_set(err, CJ_ERR_PARAM,
							"The time expires_at must be after available_at (or occurred_at), or NULL or infinity for points that never expire."), false;
	if (m->kind == CJ_MOVE_REVERSE && m->reflen == 0)
		return cj_error_set(err, CJ_ERR_PARAM,
							"A reverse movement names the ref of the credit it takes back."), false;
	return true;
}

/* Three-way compare of two int64 */
static int
Cmp64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

/* Total order on content, so that the replay never depends on input order */
int
cj_move_cmp(const CjMove *a, const CjMove *b)
{
	int			c;
	size_t		n = a->reflen < b->reflen ? a->reflen : b->reflen;

	if ((c = Cmp64(a->occurred, b->occurred)) != 0 ||
		(c = Cmp64(cj_move_rank(a->kind), cj_move_rank(b->kind))) != 0 ||
		(c = Cmp64(a->points, b->points)) != 0 ||
		(c = Cmp64(a->available, b->available)) != 0 ||
		(c = Cmp64(a->expires, b->expires)) != 0)
		return c;
	if (n > 0 && (c = memcmp(cj_move_ref(a), cj_move_ref(b), n)) != 0)
		return c;
	return Cmp64(a->reflen, b->reflen);
}

/* Canonical text of one movement */
size_t
cj_move_format(const CjMove *m, char *buf)
{
	char	   *p = buf;
	const char *ref = cj_move_ref(m);
	int			i;

	p += sprintf(p, "%s %s", KindNames[m->kind],
				 m->kind == CJ_MOVE_ADJUST_DOWN ? "-" : "");
	p += cj_dec_format(m->points, p);
	p += sprintf(p, " at ");
	p += cj_format_instant(m->occurred, p);
	if (m->available != m->occurred)
	{
		p += sprintf(p, " available ");
		p += cj_format_instant(m->available, p);
	}
	if (m->expires != CJ_TS_NEVER)
	{
		p += sprintf(p, " expires ");
		p += cj_format_instant(m->expires, p);
	}
	if (m->reflen > 0)
	{
		p += sprintf(p, " ref \"");
		for (i = 0; i < m->reflen; i++)
		{
			if (ref[i] == '"' || ref[i] == '\\')
				*p++ = '\\';
			*p++ = ref[i];
		}
		*p++ = '"';
	}
	*p = '\0';
	return (size_t) (p - buf);
}

/* Consume the keyword kw (followed by a space) if it comes next */
static bool
AcceptWord(const char **p, const char *kw)
{
	const char *s = cj_skip_space(*p);
	size_t		n = strlen(kw);

	if (strncmp(s, kw, n) != 0 || s[n] != ' ')
		return false;
	*p = s + n;
	return true;
}

/* Parse a double-quoted ref with \" and \\ escapes */
static bool
ParseRef(const char **p, CjMove *m, CjError *err)
{
	const char *s = cj_skip_space(*p);
	char	   *ref = (char *) (m + 1);
	int			n = 0;

	if (*s++ != '"')
		return cj_error_set(err, CJ_ERR_SYNTAX, "Expected a double-quoted ref."), false;
	for (; *s && *s != '"'; s++)
	{
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		if (n >= CJ_REF_MAX)
			return cj_error_set(err, CJ_ERR_LIMIT, "A ref can have at most %d bytes.", CJ_REF_MAX), false;
		ref[n++] = *s;
	}
	if (*s != '"')
		return cj_error_set(err, CJ_ERR_SYNTAX, "Unterminated ref."), false;
	m->reflen = (uint8_t) n;
	*p = s + 1;
	return true;
}

/* Parse one optional 'word <timestamp>' part */
static bool
ParseTimePart(const char **p, const char *kw, int64_t *out, bool *seen,
			  CjError *err)
{
	*seen = AcceptWord(p, kw);
	return !*seen || cj_parse_instant(p, out, err);
}

/* Parse one movement */
bool
cj_move_parse(const char **p, CjMove *m, CjError *err)
{
	char		kind[16];
	int			klen = cj_parse_ident(p, kind, sizeof(kind));
	int64_t		pts;
	bool		seen;

	memset(m, 0, sizeof(*m));
	if (klen <= 0)
		return cj_error_set(err, CJ_ERR_SYNTAX, "Expected a movement kind (%s).", CJ_MOVE_KINDS), false;
	if (!cj_dec_parse(p, &pts, err))
		return false;
	if (!cj_move_kind(kind, (size_t) klen, pts < 0, &m->kind))
		return cj_error_set(err, CJ_ERR_SYNTAX, "Movement kinds are %s.", CJ_MOVE_KINDS), false;
	m->points = pts < 0 ? -pts : pts;
	if (!AcceptWord(p, "at"))
		return cj_error_set(err, CJ_ERR_SYNTAX,
							"Expected \"at\" and a time such as 2024-01-05T10:00:00Z."), false;
	if (!cj_parse_instant(p, &m->occurred, err))
		return false;
	m->available = m->occurred;
	m->expires = CJ_TS_NEVER;
	if (!ParseTimePart(p, "available", &m->available, &seen, err) ||
		!ParseTimePart(p, "expires", &m->expires, &seen, err))
		return false;
	if (AcceptWord(p, "ref") && !ParseRef(p, m, err))
		return false;
	if (pts < 0 && m->kind != CJ_MOVE_ADJUST_DOWN)
		return cj_error_set(err, CJ_ERR_PARAM,
							"Points of earn, redeem, reverse and transfers must be positive, and an adjust must not be zero."), false;
	return cj_move_validate(m, err);
}
