/*-------------------------------------------------------------------------
 *
 * touches_text.c
 *	  Parser, printer and validation of cj_touches literals (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		touches := model [ '(' half_life ')' ] '@' int '{' [ touch ( ',' touch )* ] '}'
 *		touch   := int ':' quoted
 * The half-life is written for time_decay only (and required there).
 * Times are finite int64 timestamptz values (not -infinity/infinity);
 * no touch is later than the conversion.  Touches keep their order.
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/touches_text.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common/text.h"
#include "core/common/shortest.h"
#include "core/journey/channel_text.h"

/* timestamptz -infinity and infinity */
#define TS_NOT_FINITE(t) ((t) == INT64_MIN || (t) == INT64_MAX)

/* Touches a literal can hold: each takes at least 5 bytes (0:"a") */
size_t
cj_touches_parse_items(size_t textlen)
{
	size_t		n = textlen / 5 + 1;

	return n > CJ_TOUCHES_MAX + 1 ? CJ_TOUCHES_MAX + 1 : n;
}

/* Name bytes a literal can hold */
size_t
cj_touches_parse_names(size_t textlen)
{
	size_t		most = (size_t) (CJ_TOUCHES_MAX + 1) * CJ_CHANNEL_MAX_LEN;

	return (textlen < most ? textlen : most) + 1;
}

/* Parse a literal */
int
cj_touches_parse(const char *text, CjTouchesHead *h, CjTouchItem *items,
				 char *names, CjError *err)
{
	const char *p = text;
	char		model_name[32];
	char		buf[CJ_CHANNEL_MAX_LEN + 1];
	CjAttribModel model;
	size_t		cap = cj_touches_parse_items(strlen(text)),
				used = 0;
	int			n = 0,
				len;
	int64_t		at;

	memset(h, 0, sizeof(*h));
	if (cj_parse_ident(&p, model_name, sizeof(model_name)) <= 0 ||
		!cj_attrib_model_parse(model_name, &model))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected an attribution model name.");
		return -1;
	}
	h->model = (int) model;
	if (model == CJ_ATTR_TIME_DECAY &&
		(!cj_accept_char(&p, '(') || !cj_parse_double(&p, &h->half_life) ||
		 !cj_accept_char(&p, ')') || !(h->half_life > 0)))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "The time_decay model is followed by a positive half-life in seconds in parentheses.");
		return -1;
	}
	if (!cj_accept_char(&p, '@') || !cj_parse_int64(&p, &h->converted) ||
		TS_NOT_FINITE(h->converted) || !cj_accept_char(&p, '{'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"@\", a finite conversion time in microseconds and \"{\".");
		return -1;
	}
	if (!cj_accept_char(&p, '}'))
	{
		do
		{
			if (!cj_parse_int64(&p, &at) || TS_NOT_FINITE(at) || at > h->converted ||
				!cj_accept_char(&p, ':'))
			{
				cj_error_set(err, CJ_ERR_SYNTAX, "Expected a finite touch time no later than the conversion and \":\".");
				return -1;
			}
			if (!cj_parse_quoted(&p, buf, &len, err))
				return -1;
			if (n >= CJ_TOUCHES_MAX || (size_t) n >= cap)
			{
				cj_error_set(err, CJ_ERR_LIMIT, "A conversion can have at most %d touches.", CJ_TOUCHES_MAX);
				return -1;
			}
			memcpy(names + used, buf, (size_t) len);
			items[n].at = at;
			items[n].name = names + used;
			items[n].len = len;
			used += (size_t) len;
			n++;
		} while (cj_accept_char(&p, ','));
		if (!cj_accept_char(&p, '}'))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected \",\" or a final \"}\".");
			return -1;
		}
	}
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected text after \"}\".");
		return -1;
	}
	return n;
}

/* Rules of a decoded head */
bool
cj_touches_head_validate(const CjTouchesHead *h, int64_t n, CjError *err)
{
	if (h->model < CJ_ATTR_FIRST_TOUCH || h->model > CJ_ATTR_SHAPLEY)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Unknown attribution model.");
		return false;
	}
	if (h->model == CJ_ATTR_TIME_DECAY ?
		!(h->half_life > 0 && isfinite(h->half_life)) :
		(h->half_life != 0.0 || signbit(h->half_life)))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The half-life must be positive for time_decay and 0 otherwise.");
		return false;
	}
	if (TS_NOT_FINITE(h->converted))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The conversion time must be finite.");
		return false;
	}
	if (n < 0 || n > CJ_TOUCHES_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A conversion can have at most %d touches.", CJ_TOUCHES_MAX);
		return false;
	}
	return true;
}

/* Rules of decoded touches */
bool
cj_touches_validate(const CjTouchesHead *h, const CjTouchItem *items, int64_t n,
					CjError *err)
{
	int64_t		i;

	if (!cj_touches_head_validate(h, n, err))
		return false;
	for (i = 0; i < n; i++)
	{
		if (TS_NOT_FINITE(items[i].at) || items[i].at > h->converted)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Touch times must be finite and no later than the conversion.");
			return false;
		}
		if (!cj_channel_check(items[i].name, items[i].len, err))
			return false;
	}
	return true;
}

/* Bytes of the text form */
size_t
cj_touches_text_size(const CjTouchItem *items, int n)
{
	size_t		size = 32 + CJ_DOUBLE_TEXT_MAX + 2 + 21 + 3;
	int			i;

	for (i = 0; i < n; i++)
		size += 2 + 21 + 1 + 2 * (size_t) items[i].len + 2;
	return size;
}

/* Canonical text */
size_t
cj_touches_format(const CjTouchesHead *h, const CjTouchItem *items, int n,
				  char *buf)
{
	const char *model = cj_attrib_model_name((CjAttribModel) h->model);
	size_t		len = strlen(model);
	int			i;

	memcpy(buf, model, len);
	if (h->model == CJ_ATTR_TIME_DECAY)
	{
		buf[len++] = '(';
		len += (size_t) cj_double_shortest(h->half_life, buf + len);
		buf[len++] = ')';
	}
	buf[len++] = '@';
	len += cj_int64_format(h->converted, buf + len);
	buf[len++] = '{';
	for (i = 0; i < n; i++)
	{
		if (i > 0)
		{
			buf[len++] = ',';
			buf[len++] = ' ';
		}
		len += cj_int64_format(items[i].at, buf + len);
		buf[len++] = ':';
		len += cj_channel_quote(items[i].name, items[i].len, buf + len);
	}
	buf[len++] = '}';
	buf[len] = '\0';
	return len;
}
