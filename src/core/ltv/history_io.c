/*-------------------------------------------------------------------------
 *
 * history_io.c
 *	  Text and binary forms of a purchase history (pure C).
 *
 * The text form spells every field in session-independent units (UTC
 * ISO 8601 instants, decimal money, day offsets) so that pg_dump, COPY and
 * Citus moving partial aggregate states as text all round-trip exactly.
 * Both decoders end with cj_history_validate(): whatever arrives, as text
 * or as bytes, must satisfy every invariant a built value satisfies.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/history.h"
#include "core/common/text.h"

#include <stdio.h>
#include <string.h>

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

/* Format an instant as ISO 8601 UTC: [-]YYYY-MM-DDTHH:MM:SS[.ffffff]Z */
size_t
cj_format_instant(int64_t at, char *buf)
{
	int32_t		day = cj_instant_day(at);
	int64_t		us = at - (int64_t) day * CJ_USECS_PER_DAY;
	int64_t		secs = us / 1000000,
				y;
	int			frac = (int) (us % 1000000),
				m,
				d,
				n;

	CivilFromDays((int64_t) day + EPOCH_SHIFT, &y, &m, &d);
	n = snprintf(buf, 40, "%s%04lld-%02d-%02dT%02d:%02d:%02d",
				 y < 0 ? "-" : "", (long long) (y < 0 ? -y : y), m, d,
				 (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
	if (frac != 0)
	{
		int			digits = 6;

		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		n += snprintf(buf + n, 40 - n, ".%0*d", digits, frac);
	}
	buf[n++] = 'Z';
	buf[n] = '\0';
	return (size_t) n;
}

/* Format micro-units as a decimal with trailing zeros trimmed */
size_t
cj_format_micro(int64_t v, char *buf)
{
	int			n = snprintf(buf, 24, "%lld", (long long) (v / CJ_MICRO_PER_UNIT));
	int			frac = (int) (v % CJ_MICRO_PER_UNIT);
	int			digits = 6;

	if (frac != 0)
	{
		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		n += snprintf(buf + n, 24 - n, ".%0*d", digits, frac);
	}
	return (size_t) n;
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

/* Accept "key=" */
static bool
Key(const char **p, const char *key, CjError *err)
{
	size_t		len = strlen(key);
	const char *s = cj_skip_space(*p);

	if (strncmp(s, key, len) == 0)
	{
		s += len;
		if (cj_accept_char(&s, '='))
		{
			*p = s;
			return true;
		}
	}
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "Expected \"%s=\": a history is written history(first=..., last=..., spend=..., first_spend=..., days=[0,...]).",
				 key);
	return false;
}

/* Upper bound of the days a literal can hold */
int32_t
cj_history_text_days_bound(const char *s)
{
	int64_t		n = 1;

	for (; *s; s++)
		if (*s == ',')
			n++;
	return n > CJ_HISTORY_MAX_DAYS ? CJ_HISTORY_MAX_DAYS : (int32_t) n;
}

/* Parse the day offsets "[0,d1,...]" into h */
static bool
ParseDays(const char **p, CjHistory *h, int32_t capacity, CjError *err)
{
	int32_t		n = 0;
	int32_t		base = cj_instant_day(h->first_at);

	if (!cj_accept_char(p, '['))
		goto bad;
	do
	{
		int64_t		off;

		if (!cj_parse_int64(p, &off))
			goto bad;
		if (n >= capacity)
		{
			cj_error_set(err, CJ_ERR_LIMIT,
						 "A history cannot have more than %d distinct purchase days.",
						 CJ_HISTORY_MAX_DAYS);
			return false;
		}
		if (off < 0 || off > (int64_t) cj_instant_day(h->last_at) - base ||
			(n == 0 && off != 0))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Day offsets count from the first purchase day: they start at 0 and reach the last purchase day.");
			return false;
		}
		h->days[n++] = (int32_t) (base + off);
	} while (cj_accept_char(p, ','));
	if (!cj_accept_char(p, ']'))
		goto bad;
	h->ndays = n;
	return true;
bad:
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "Days are a bracketed list of day offsets, e.g. [0,17,213].");
	return false;
}

/* Parse "spend=<amount>" style money fields */
static bool
ParseMoney(const char **p, const char *key, int64_t *out, CjError *err)
{
	if (!Key(p, key, err))
		return false;
	*p = cj_skip_space(*p);
	return cj_parse_micro(p, out, false, err);
}

/* Parse a literal into h, validating it */
bool
cj_history_parse(const char *s, CjHistory *h, int32_t capacity, CjError *err)
{
	const char *p = cj_skip_space(s);

	if (err)
	{
		err->kind = CJ_OK;
		err->detail[0] = '\0';
	}
	cj_history_clear_header(h);
	h->version = CJ_HISTORY_VERSION;
	h->capacity = capacity;
	if (strncmp(p, "history", 7) != 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "A history is written history(first=..., last=..., spend=..., first_spend=..., days=[0,...]).");
		return false;
	}
	p += 7;
	if (!cj_accept_char(&p, '('))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"(\" after \"history\".");
		return false;
	}
	if (!Key(&p, "first", err) || !cj_parse_instant(&p, &h->first_at, err) ||
		!cj_accept_char(&p, ',') ||
		!Key(&p, "last", err) || !cj_parse_instant(&p, &h->last_at, err) ||
		!cj_accept_char(&p, ',') ||
		!ParseMoney(&p, "spend", &h->total_spend, err) ||
		!cj_accept_char(&p, ',') ||
		!ParseMoney(&p, "first_spend", &h->first_spend, err) ||
		!cj_accept_char(&p, ',') ||
		!Key(&p, "days", err))
		goto fail;
	if (h->first_at > h->last_at)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The first purchase must not be after the last.");
		return false;
	}
	if (!ParseDays(&p, h, capacity, err))
		return false;
	if (!cj_accept_char(&p, ')') || !cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Expected \")\" closing the history and nothing after it.");
		return false;
	}
	return cj_history_validate(h, err);
fail:
	if (err && err->kind == CJ_OK)
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Fields are separated by commas: history(first=..., last=..., spend=..., first_spend=..., days=[0,...]).");
	return false;
}

/* Bytes needed to format h */
size_t
cj_history_text_size(const CjHistory *h)
{
	return 160 + (size_t) h->ndays * 12;
}

/* Format h into buf */
size_t
cj_history_format(const CjHistory *h, char *buf)
{
	char	   *p = buf;
	int32_t		i;

	p += sprintf(p, "history(first=");
	p += cj_format_instant(h->first_at, p);
	p += sprintf(p, ", last=");
	p += cj_format_instant(h->last_at, p);
	p += sprintf(p, ", spend=");
	p += cj_format_micro(h->total_spend, p);
	p += sprintf(p, ", first_spend=");
	p += cj_format_micro(h->first_spend, p);
	p += sprintf(p, ", days=[");
	for (i = 0; i < h->ndays; i++)
		p += sprintf(p, i ? ",%ld" : "%ld",
					 (long) ((int64_t) h->days[i] - h->days[0]));
	p += sprintf(p, "])");
	return (size_t) (p - buf);
}

/* Big-endian readers and writers */
static int64_t
Get64(const unsigned char *b)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return (int64_t) v;
}

static int32_t
Get32(const unsigned char *b)
{
	return (int32_t) (((uint32_t) b[0] << 24) | ((uint32_t) b[1] << 16) |
					  ((uint32_t) b[2] << 8) | (uint32_t) b[3]);
}

static void
Put64(unsigned char *b, int64_t v)
{
	int			i;

	for (i = 7; i >= 0; i--, v = (int64_t) ((uint64_t) v >> 8))
		b[i] = (unsigned char) (v & 0xff);
}

static void
Put32(unsigned char *b, int32_t v)
{
	b[0] = (unsigned char) ((uint32_t) v >> 24);
	b[1] = (unsigned char) ((uint32_t) v >> 16);
	b[2] = (unsigned char) ((uint32_t) v >> 8);
	b[3] = (unsigned char) v;
}

/* Days announced by a binary form, or -1 */
int32_t
cj_history_wire_days(const unsigned char *buf, size_t len, CjError *err)
{
	int32_t		n;

	if (len < CJ_HISTORY_WIRE_HDR)
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "The binary form is %zu bytes, shorter than its %d-byte header.",
					 len, CJ_HISTORY_WIRE_HDR);
		return -1;
	}
	n = Get32(buf + 2);
	if (n < 1 || n > CJ_HISTORY_MAX_DAYS)
	{
		cj_error_set(err, n > CJ_HISTORY_MAX_DAYS ? CJ_ERR_LIMIT : CJ_ERR_SYNTAX,
					 "The number of purchase days must be between 1 and %d.",
					 CJ_HISTORY_MAX_DAYS);
		return -1;
	}
	if (len != CJ_HISTORY_WIRE_HDR + (size_t) n * 4)
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "The binary form is %zu bytes; %d days need %zu.",
					 len, n, CJ_HISTORY_WIRE_HDR + (size_t) n * 4);
		return -1;
	}
	return n;
}

/* Decode and validate a binary form */
bool
cj_history_decode(const unsigned char *buf, size_t len, CjHistory *h,
				  int32_t capacity, CjError *err)
{
	int32_t		n = cj_history_wire_days(buf, len, err);
	int32_t		i;

	if (n < 0)
		return false;
	if (n > capacity)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "No room for %d purchase days.", n);
		return false;
	}
	cj_history_clear_header(h);
	h->version = buf[0];
	h->flags = buf[1];
	h->ndays = n;
	h->capacity = capacity;
	h->first_at = Get64(buf + 6);
	h->last_at = Get64(buf + 14);
	h->total_spend = Get64(buf + 22);
	h->first_spend = Get64(buf + 30);
	for (i = 0; i < n; i++)
		h->days[i] = Get32(buf + CJ_HISTORY_WIRE_HDR + 4 * i);
	return cj_history_validate(h, err);
}

/* Bytes of the binary form of h */
size_t
cj_history_wire_size(const CjHistory *h)
{
	return CJ_HISTORY_WIRE_HDR + (size_t) h->ndays * 4;
}

/* Encode h into buf */
void
cj_history_encode(const CjHistory *h, unsigned char *buf)
{
	int32_t		i;

	buf[0] = h->version;
	buf[1] = h->flags;
	Put32(buf + 2, h->ndays);
	Put64(buf + 6, h->first_at);
	Put64(buf + 14, h->last_at);
	Put64(buf + 22, h->total_spend);
	Put64(buf + 30, h->first_spend);
	for (i = 0; i < h->ndays; i++)
		Put32(buf + CJ_HISTORY_WIRE_HDR + 4 * i, h->days[i]);
}
