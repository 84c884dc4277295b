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
