/*-------------------------------------------------------------------------
 *
 * decimal.c
 *	  Exact decimal text <-> int64 millionths, with no float in between.
 *
 *-------------------------------------------------------------------------
 */
#include "core/common/decimal.h"
#include "core/common/text.h"

#include <string.h>

/*
 * Scan [+-]digits[.digits] at s: integer part into *ip (saturating flag
 * *big when it exceeds what millionths can hold), the first six fraction
 * digits into *frac (as millionths) and whether any later fraction digit
 * is nonzero into *rest.  Returns the end of the number or NULL.
 */
static const char *
ScanDecimal(const char *s, bool *neg, uint64_t *ip, bool *big,
			int64_t *frac, bool *rest)
{
	const char *d;
	int			k = 0;

	*neg = false;
	*ip = 0;
	*big = false;
	*frac = 0;
	*rest = false;
	if (*s == '-' || *s == '+')
		*neg = (*s++ == '-');
	d = s;
	for (; *s >= '0' && *s <= '9'; s++)
	{
		if (*ip > (uint64_t) INT64_MAX / 10)
			*big = true;
		else
			*ip = *ip * 10 + (uint64_t) (*s - '0');
	}
	if (*s == '.')
	{
		s++;
		if (s == d + 1 && !(*s >= '0' && *s <= '9'))
			return NULL;
		for (; *s >= '0' && *s <= '9'; s++, k++)
		{
			if (k < CJ_DEC_SCALE)
				*frac = *frac * 10 + (*s - '0');
			else if (*s != '0')
				*rest = true;
		}
	}
	else if (s == d)
		return NULL;
	for (; k < CJ_DEC_SCALE; k++)
		*frac *= 10;
	return s;
}

/* A scanned decimal: sign, integer part, six fraction digits, rest */
typedef struct Scanned
{
	bool		neg;
	bool		big;			/* integer part beyond any millionths */
	bool		rest;			/* nonzero digits after the sixth decimal */
	uint64_t	ip;
	int64_t		frac;
	const char *end;
} Scanned;

/* Scan the decimal at s (after white space); false if there is none */
static bool
Scan(const char *s, Scanned *d)
{
	d->end = ScanDecimal(cj_skip_space(s), &d->neg, &d->ip, &d->big,
						 &d->frac, &d->rest);
	return d->end != NULL;
}

/* |value| in millionths if it is at most limit */
static bool
Magnitude(const Scanned *d, uint64_t limit, uint64_t *mag)
{
	if (d->big || d->ip > limit / (uint64_t) CJ_DEC_ONE ||
		d->ip * (uint64_t) CJ_DEC_ONE > limit - (uint64_t) d->frac)
		return false;
	*mag = d->ip * (uint64_t) CJ_DEC_ONE + (uint64_t) d->frac;
	return true;
}

/* Parse a plain decimal into millionths */
bool
cj_dec_parse(const char **p, int64_t *out, CjError *err)
{
	Scanned		d;
	uint64_t	mag;

	if (!Scan(*p, &d) || *d.end == 'e' || *d.end == 'E')
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Expected a plain decimal number such as 1000 or 999.995.");
		return false;
	}
	if (d.rest)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "At most %d decimal places are kept exactly.", CJ_DEC_SCALE);
		return false;
	}
	if (!Magnitude(&d, (uint64_t) INT64_MAX, &mag))
	{
		cj_error_set(err, CJ_ERR_RANGE,
					 "Amounts must lie between -9223372036854.775807 and 9223372036854.775807.");
		return false;
	}
	*out = d.neg ? -(int64_t) mag : (int64_t) mag;
	*p = d.end;
	return true;
}

/* floor(v * 10^6), saturated, of a whole decimal text */
bool
cj_dec_floor_text(const char *s, int64_t *out)
{
	Scanned		d;
	uint64_t	mag;

	if (!Scan(s, &d) || !cj_at_end(d.end))
		return false;
	if (!Magnitude(&d, (uint64_t) INT64_MAX - 1, &mag))
		*out = d.neg ? INT64_MIN : INT64_MAX;
	else						/* dropped digits floor a negative lower */
		*out = d.neg ? -(int64_t) mag - (d.rest ? 1 : 0) : (int64_t) mag;
	return true;
}

/* Shortest plain decimal text of v millionths */
int
cj_dec_format(int64_t v, char *buf)
{
	uint64_t	mag = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
	uint64_t	ip = mag / (uint64_t) CJ_DEC_ONE;
	uint64_t	fr = mag % (uint64_t) CJ_DEC_ONE;
	char		tmp[CJ_DEC_BUFLEN];
	int			n = 0,
				i,
				len = 0;

	if (v < 0)
		buf[len++] = '-';
	do
	{
		tmp[n++] = (char) ('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	while (n > 0)
		buf[len++] = tmp[--n];
	if (fr > 0)
	{
		int			digits = CJ_DEC_SCALE;

		while (fr % 10 == 0)
		{
			fr /= 10;
			digits--;
		}
		buf[len++] = '.';
		for (i = digits - 1; i >= 0; i--)
		{
			buf[len + i] = (char) ('0' + fr % 10);
			fr /= 10;
		}
		len += digits;
	}
	buf[len] = '\0';
	return len;
}
