/*-------------------------------------------------------------------------
 *
 * cj_ledger_text.c
 *	  Points-ledger movements: kinds, validation, total order and the
 *	  canonical text of a movement and of a timestamp.
 *
 * A movement reads
 *	  earn 100 at 2024-01-05 10:00:00+00 available 2024-01-12 00:00:00+00
 *		  expires 2025-01-05 00:00:00+00 ref "order-17"
 * with the optional parts in that order; times are always printed in UTC
 * so that the text does not depend on the session's TimeZone.
 *
 *-------------------------------------------------------------------------
 */
#include "cj_points.h"
#include "cj_decimal.h"
#include "cj_text.h"

#include <stdio.h>
#include <string.h>

#define USECS_PER_DAY	INT64_C(86400000000)

static const char *const KindNames[] = {"earn", "adjust", "reverse", "adjust", "redeem"};

/* Days from 2000-01-01 to y-m-d, proleptic Gregorian (H. Hinnant's method) */
static int64_t
DaysFromCivil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 - 10957;
}

/* Inverse of DaysFromCivil */
static void
CivilFromDays(int64_t z, int *y, int *m, int *d)
{
	int64_t		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468 + 10957;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*m <= 2));
}

/* True for times in years 1 to 9999 */
bool
cj_ts_in_range(int64_t ts)
{
	return ts >= DaysFromCivil(1, 1, 1) * USECS_PER_DAY &&
		ts < DaysFromCivil(10000, 1, 1) * USECS_PER_DAY;
}

/* 'YYYY-MM-DD HH:MM:SS[.ffffff]+00' */
size_t
cj_ts_format(int64_t ts, char *buf)
{
	int64_t		days = ts >= 0 ? ts / USECS_PER_DAY : -((-ts + USECS_PER_DAY - 1) / USECS_PER_DAY);
	int64_t		us = ts - days * USECS_PER_DAY;
	int			y,
				m,
				d,
				n;
	int64_t		secs = us / 1000000,
				frac = us % 1000000;

	CivilFromDays(days, &y, &m, &d);
	n = sprintf(buf, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d,
				(int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
	if (frac > 0)
	{
		int			digits = 6;

		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		n += sprintf(buf + n, ".%0*d", digits, (int) frac);
	}
	return (size_t) n + (size_t) sprintf(buf + n, "+00");
}

/* Read exactly width digits */
static bool
Digits(const char **p, int width, int *out)
{
	int			v = 0,
				i;

	for (i = 0; i < width; i++)
	{
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += width;
	*out = v;
	return true;
}

/* Parse the canonical timestamp text */
bool
cj_ts_parse(const char **p, int64_t *out)
{
	const char *s = cj_skip_space(*p);
	int			y,
				mo,
				d,
				h,
				mi,
				se,
				frac = 0,
				k = 0;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (!Digits(&s, 4, &y) || *s++ != '-' || !Digits(&s, 2, &mo) ||
		*s++ != '-' || !Digits(&s, 2, &d) || *s++ != ' ' ||
		!Digits(&s, 2, &h) || *s++ != ':' || !Digits(&s, 2, &mi) ||
		*s++ != ':' || !Digits(&s, 2, &se))
		return false;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && k < 6; s++, k++)
			frac = frac * 10 + (*s - '0');
	if (s[-1] == '.' || strncmp(s, "+00", 3) != 0)
		return false;
	for (; k < 6; k++)
		frac *= 10;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
		(mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) ||
		h > 23 || mi > 59 || se > 59)
		return false;
	*out = DaysFromCivil(y, mo, d) * USECS_PER_DAY +
		((int64_t) h * 3600 + mi * 60 + se) * 1000000 + frac;
	*p = s + 3;
	return true;
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
	else
		return false;
	return true;
}

/* Check a movement's invariants */
bool
cj_move_validate(const CjMove *m, CjError *err)
{
	if (m->kind > CJ_MOVE_REDEEM)
		return cj_error_set(err, CJ_ERR_PARAM, "Movement kinds are %s.", CJ_MOVE_KINDS), false;
	if (m->points <= 0)
		return cj_error_set(err, CJ_ERR_PARAM,
							"Points of earn, redeem and reverse must be positive, and an adjust must not be zero."), false;
	if (!cj_ts_in_range(m->occurred))
		return cj_error_set(err, CJ_ERR_PARAM,
							"occurred_at must be a finite time in years 1 to 9999."), false;
	if (!cj_move_is_credit(m))
	{
		if (m->available != m->occurred || m->expires != CJ_TS_NEVER)
			return cj_error_set(err, CJ_ERR_PARAM,
								"Only earn and positive adjust movements have available and expires times."), false;
	}
	else if (m->available < m->occurred || !cj_ts_in_range(m->available))
		return cj_error_set(err, CJ_ERR_PARAM,
							"available_at must be a finite time not before occurred_at."), false;
	else if (m->expires != CJ_TS_NEVER &&
			 (m->expires <= m->available || !cj_ts_in_range(m->expires)))
		return cj_error_set(err, CJ_ERR_PARAM,
							"expires_at must be after available_at (or occurred_at), or NULL or infinity for points that never expire."), false;
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
		(c = Cmp64(a->kind, b->kind)) != 0 ||
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
	p += cj_ts_format(m->occurred, p);
	if (m->available != m->occurred)
	{
		p += sprintf(p, " available ");
		p += cj_ts_format(m->available, p);
	}
	if (m->expires != CJ_TS_NEVER)
	{
		p += sprintf(p, " expires ");
		p += cj_ts_format(m->expires, p);
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
	if (*seen && !cj_ts_parse(p, out))
		return cj_error_set(err, CJ_ERR_SYNTAX,
							"Expected a time 'YYYY-MM-DD HH:MM:SS[.ffffff]+00' after \"%s\".", kw), false;
	return true;
}

/* Parse one movement */
bool
cj_move_parse(const char **p, CjMove *m, CjError *err)
{
	char		kind[8];
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
	if (!AcceptWord(p, "at") || !cj_ts_parse(p, &m->occurred))
		return cj_error_set(err, CJ_ERR_SYNTAX,
							"Expected \"at\" and a time 'YYYY-MM-DD HH:MM:SS[.ffffff]+00'."), false;
	m->available = m->occurred;
	m->expires = CJ_TS_NEVER;
	if (!ParseTimePart(p, "available", &m->available, &seen, err) ||
		!ParseTimePart(p, "expires", &m->expires, &seen, err))
		return false;
	if (AcceptWord(p, "ref") && !ParseRef(p, m, err))
		return false;
	if (pts < 0 && m->kind != CJ_MOVE_ADJUST_DOWN)
		return cj_error_set(err, CJ_ERR_PARAM,
							"Points of earn, redeem and reverse must be positive, and an adjust must not be zero."), false;
	return cj_move_validate(m, err);
}
