/*-------------------------------------------------------------------------
 *
 * credits_text.c
 *	  Parser, printer and validation of cj_credits and cj_credits_acc
 *	  literals (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		credits := '{' [ entry ( ',' entry )* ] '}'
 *		entry   := quoted '=>' number [ ( '+' | '-' ) number ]
 * The low-order part is accepted by cj_credits_acc only.  Channels may be
 * written in any order and are sorted; a channel listed twice is an
 * error.  Text and binary input share cj_credits_validate's rules.
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/credits_text.h"
#include "core/common/sort.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/common/text.h"
#include "core/common/shortest.h"
#include "core/journey/channel_text.h"

/* Flush subnormals to zero: they would not read back as text */
static double
NoSubnormal(double v)
{
	return fabs(v) < DBL_MIN ? 0.0 : v;
}

/* Items a literal can hold: each entry takes at least 6 bytes ("a"=>1) */
size_t
cj_credits_parse_items(size_t textlen)
{
	size_t		n = textlen / 6 + 1;

	return n > CJ_CREDITS_MAX_CHANNELS + 1 ? CJ_CREDITS_MAX_CHANNELS + 1 : n;
}

/* Name bytes a literal can hold: each byte is written at least once */
size_t
cj_credits_parse_names(size_t textlen)
{
	size_t		most = (size_t) (CJ_CREDITS_MAX_CHANNELS + 1) * CJ_CHANNEL_MAX_LEN;

	return (textlen < most ? textlen : most) + 1;
}

static int
ItemCmp(const void *a, const void *b)
{
	const CjCreditItem *x = a;
	const CjCreditItem *y = b;

	return cj_channel_order(x->name, x->len, y->name, y->len);
}

/* Parse one "name"=>credit[+comp] entry; the name goes to names */
static bool
ParseEntry(const char **p, bool acc, CjCreditItem *it, char *names, CjError *err)
{
	char		buf[CJ_CHANNEL_MAX_LEN + 1];
	int			len;
	const char *s;

	if (!cj_parse_quoted(p, buf, &len, err))
		return false;
	memcpy(names, buf, (size_t) len);
	it->name = names;
	it->len = len;
	s = cj_skip_space(*p);
	if (s[0] != '=' || s[1] != '>')
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"=>\" after a channel name.");
		return false;
	}
	*p = s + 2;
	if (!cj_parse_double(p, &it->credit))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a finite credit after \"=>\".");
		return false;
	}
	it->comp = 0.0;
	s = cj_skip_space(*p);
	if (acc && (*s == '+' || *s == '-') && !cj_parse_double(p, &it->comp))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a finite low-order part.");
		return false;
	}
	it->credit = NoSubnormal(it->credit);
	it->comp = NoSubnormal(it->comp);
	return true;
}

/* Parse a literal */
int
cj_credits_parse(const char *text, bool acc, CjCreditItem *items, char *names,
				 CjError *err)
{
	const char *p = text;
	size_t		cap = cj_credits_parse_items(strlen(text)),
				used = 0;
	int			n = 0,
				i;

	if (!cj_accept_char(&p, '{'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "A credits value starts with \"{\".");
		return -1;
	}
	if (!cj_accept_char(&p, '}'))
	{
		do
		{
			if (n >= CJ_CREDITS_MAX_CHANNELS || (size_t) n >= cap)
			{
				cj_error_set(err, CJ_ERR_LIMIT, "A credits value cannot hold more than %d channels.",
							 CJ_CREDITS_MAX_CHANNELS);
				return -1;
			}
			if (!ParseEntry(&p, acc, &items[n], names + used, err))
				return -1;
			used += (size_t) items[n++].len;
		} while (cj_accept_char(&p, ','));
		if (!cj_accept_char(&p, '}'))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected \",\" or \"}\" after a credit.");
			return -1;
		}
	}
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected text after \"}\".");
		return -1;
	}
	cj_sort(items, (size_t) n, sizeof(CjCreditItem), ItemCmp);
	for (i = 1; i < n; i++)
		if (ItemCmp(&items[i - 1], &items[i]) == 0)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Channel \"%.*s\" appears more than once.",
						 (int) items[i].len, items[i].name);
			return -1;
		}
	return n;
}

/* Rules of a decoded value */
bool
cj_credits_validate(const CjCreditItem *items, int64_t n, bool acc, CjError *err)
{
	int64_t		i;

	if (n < 0 || n > CJ_CREDITS_MAX_CHANNELS)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "The channel count must be between 0 and %d.",
					 CJ_CREDITS_MAX_CHANNELS);
		return false;
	}
	for (i = 0; i < n; i++)
	{
		if (!cj_channel_check(items[i].name, items[i].len, err))
			return false;
		if (!isfinite(items[i].credit) || !isfinite(items[i].comp))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Credits must be finite numbers.");
			return false;
		}
		if (!acc && items[i].comp != 0.0)
		{
			cj_error_set(err, CJ_ERR_PARAM, "A cj_credits value has no low-order parts.");
			return false;
		}
		if (i > 0 && ItemCmp(&items[i - 1], &items[i]) >= 0)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Channels must be distinct and sorted by name.");
			return false;
		}
	}
	return true;
}

/* Bytes of the text form */
size_t
cj_credits_text_size(const CjCreditItem *items, int n)
{
	size_t		size = 3;
	int			i;

	for (i = 0; i < n; i++)
		size += 2 * (size_t) items[i].len + 2 + 2 + 2 * CJ_DOUBLE_TEXT_MAX + 2;
	return size;
}

/* Canonical text */
size_t
cj_credits_format(const CjCreditItem *items, int n, char *buf)
{
	size_t		len = 0;
	int			i;

	buf[len++] = '{';
	for (i = 0; i < n; i++)
	{
		if (i > 0)
		{
			buf[len++] = ',';
			buf[len++] = ' ';
		}
		len += cj_channel_quote(items[i].name, items[i].len, buf + len);
		buf[len++] = '=';
		buf[len++] = '>';
		len += (size_t) cj_double_shortest(items[i].credit, buf + len);
		if (items[i].comp != 0.0)
		{
			if (items[i].comp > 0)
				buf[len++] = '+';
			len += (size_t) cj_double_shortest(items[i].comp, buf + len);
		}
	}
	buf[len++] = '}';
	buf[len] = '\0';
	return len;
}
