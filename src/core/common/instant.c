/*-------------------------------------------------------------------------
 *
 * instant.c
 *	  ISO 8601 UTC text form of instants, shared by every type that stores
 *	  one (histories, points ledgers, ...).  Proleptic Gregorian calendar,
 *	  PostgreSQL's timestamptz range, microsecond precision, no time zone
 *	  other than UTC, so the form is the same in every session.
 *
 *-------------------------------------------------------------------------
 */
#include "core/common/instant.h"
#include "core/common/text.h"

#include <string.h>

/* UTC day of an instant, rounding towards minus infinity */
int32_t
cj_instant_day(int64_t at)
{
	int64_t		d = at / CJ_USECS_PER_DAY;

	if (at % CJ_USECS_PER_DAY < 0)
		d--;
	return (int32_t) d;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's method) */
static int64_t
DaysFromCivil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= (m <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Proleptic Gregorian date of a day count since 1970-01-01 */
static void
CivilFromDays(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Days from 1970-01-01 to 2000-01-01, the PostgreSQL epoch */
#define EPOCH_SHIFT 10957

/* v in decimal, zero-padded to at least width digits, at p; returns the end */
static char *
PutDigits(char *p, int64_t v, int width)
{
	char		tmp[20];
	int			n = 0;

	do
	{
		tmp[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n < width)
		tmp[n++] = '0';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/*
 * Format an instant as ISO 8601 UTC: [-]YYYY-MM-DDTHH:MM:SS[.ffffff]Z, the
 * fraction without trailing zeros.  Written digit by digit, not through
 * snprintf: statements and ledger text print one per movement.
 */
size_t
cj_format_instant(int64_t at, char *buf)
{
	int32_t		day = cj_instant_day(at);
	int64_t		us = at - (int64_t) day * CJ_USECS_PER_DAY;
	int64_t		secs = us / 1000000,
				y;
	int			frac = (int) (us % 1000000),
				m,
				d;
	char	   *p = buf;

	CivilFromDays((int64_t) day + EPOCH_SHIFT, &y, &m, &d);
	if (y < 0)
		*p++ = '-';
	p = PutDigits(p, y < 0 ? -y : y, 4);
	*p++ = '-';
	p = PutDigits(p, m, 2);
	*p++ = '-';
	p = PutDigits(p, d, 2);
	*p++ = 'T';
	p = PutDigits(p, secs / 3600, 2);
	*p++ = ':';
	p = PutDigits(p, secs / 60 % 60, 2);
	*p++ = ':';
	p = PutDigits(p, secs % 60, 2);
	if (frac != 0)
	{
		int			digits = 6;

		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		*p++ = '.';
		p = PutDigits(p, frac, digits);
	}
	*p++ = 'Z';
	*p = '\0';
	return (size_t) (p - buf);
}

/* Parse exactly n digits into *out */
static bool
FixedDigits(const char **p, int n, int *out)
{
	int			v = 0;

	for (; n > 0; n--, (*p)++)
	{
		if (**p < '0' || **p > '9')
			return false;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return true;
}

/* Accept one exact character with no white space before it */
static bool
Exact(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* Parse the date part [-]YYYY-MM-DD into days since 1970 */
static bool
ParseDate(const char **p, int64_t *days)
{
	bool		neg = Exact(p, '-');
	int64_t		y = 0;
	int			ndig = 0,
				m,
				d,
				mdays;
	static const int mlen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	while (**p >= '0' && **p <= '9' && ndig < 7)
	{
		y = y * 10 + (*(*p)++ - '0');
		ndig++;
	}
	if (ndig < 4 || !Exact(p, '-') || !FixedDigits(p, 2, &m) ||
		!Exact(p, '-') || !FixedDigits(p, 2, &d))
		return false;
	if (neg)
		y = -y;
	if (m < 1 || m > 12)
		return false;
	mdays = mlen[m - 1];
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		mdays = 29;
	if (d < 1 || d > mdays)
		return false;
	*days = DaysFromCivil(y, m, d);
	return true;
}

/* Parse an ISO 8601 UTC instant as written by cj_format_instant */
bool
cj_parse_instant(const char **p, int64_t *out, CjError *err)
{
	int64_t		days,
				at;
	int			hh,
				mi,
				ss,
				frac = 0,
				ndig = 0;

	*p = cj_skip_space(*p);
	if (!ParseDate(p, &days) || !Exact(p, 'T') ||
		!FixedDigits(p, 2, &hh) || !Exact(p, ':') ||
		!FixedDigits(p, 2, &mi) || !Exact(p, ':') ||
		!FixedDigits(p, 2, &ss) || hh > 23 || mi > 59 || ss > 59)
		goto bad;
	if (Exact(p, '.'))
	{
		while (**p >= '0' && **p <= '9' && ndig < 6)
		{
			frac = frac * 10 + (*(*p)++ - '0');
			ndig++;
		}
		if (ndig == 0)
			goto bad;
		for (; ndig < 6; ndig++)
			frac *= 10;
	}
	if (!Exact(p, 'Z'))
		goto bad;
	days -= EPOCH_SHIFT;
	if (days < cj_instant_day(CJ_MIN_INSTANT) ||
		days > cj_instant_day(CJ_END_INSTANT))
		goto range;
	at = days * CJ_USECS_PER_DAY + ((int64_t) hh * 3600 + mi * 60 + ss) * 1000000 + frac;
	if (at < CJ_MIN_INSTANT || at >= CJ_END_INSTANT)
		goto range;
	*out = at;
	return true;
bad:
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "Instants are written in UTC as YYYY-MM-DDTHH:MM:SS[.ffffff]Z.");
	return false;
range:
	cj_error_set(err, CJ_ERR_RANGE,
				 "Instants must lie between 4714-11-24 BC and 294276 AD.");
	return false;
}

