/*-------------------------------------------------------------------------
 *
 * fit_state_text.c
 *	  Parser, printer and validation of cj_fit_state literals (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		state := family '{' [ tuple ( ',' tuple )* ] '}' [ 'unit=' unit ]
 *		tuple := '(' number ( ',' number ){ndata-1} ')' ':' int
 *		unit  := number ( 'd' | 's' )
 * Weights are integers from 1 to 2^53.  Tuples the family rejects are
 * errors; tuples it skips (no information) are dropped; equal tuples are
 * merged, and a merged weight past 2^53 is an error (22003), since the
 * state could not print it as an integer its input reads back.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/fit_state_text.h"
#include "core/common/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ltv/model.h"
#include "core/common/text.h"
#include "core/ltv/tupleset.h"
#include "core/common/shortest.h"

/* Tuples a literal can hold: "(0,0):1" is the shortest */
size_t
cj_fit_state_parse_tuples(size_t textlen)
{
	size_t		n = textlen / 7 + 1;

	return n > CJ_FIT_MAX_TUPLES + 1 ? CJ_FIT_MAX_TUPLES + 1 : n;
}

/* Parse "(v1,...,vk):w" */
static bool
ParseTuple(const char **p, int ndata, CjTuple *t)
{
	int64_t		w;
	int			i;

	memset(t, 0, sizeof(*t));
	if (!cj_accept_char(p, '('))
		return false;
	for (i = 0; i < ndata; i++)
		if ((i > 0 && !cj_accept_char(p, ',')) || !cj_parse_double(p, &t->v[i]))
			return false;
	if (!cj_accept_char(p, ')') || !cj_accept_char(p, ':') ||
		!cj_parse_int64(p, &w) || w < 1 || w > ((int64_t) 1 << 53))
		return false;
	t->w = (double) w;
	return true;
}

/*
 * Drop skipped tuples, sort and merge equal ones.  Weights are integers
 * up to 2^53, so a sum is exact until it passes 2^53, which is checked
 * before adding (a double sum past it would round).
 */
static bool
Normalise(CjFitText *s, CjError *err)
{
	const CjFamily *f = s->family;
	size_t		i,
				k = 0;

	for (i = 0; i < s->n; i++)
		if (!(f->skip_data && f->skip_data(s->t[i].v)))
			s->t[k++] = s->t[i];
	s->n = k;
	if (s->n > 1)
		cj_sort(s->t, s->n, sizeof(CjTuple), cj_tuple_cmp);
	for (i = 1, k = 0; i < s->n; i++)
	{
		if (cj_tuple_cmp(&s->t[k], &s->t[i]) != 0)
		{
			s->t[++k] = s->t[i];
			continue;
		}
		if (s->t[k].w > CJ_FIT_MAX_WEIGHT - s->t[i].w)
		{
			cj_error_set(err, CJ_ERR_RANGE, "The total weight of a data tuple cannot exceed 2^53.");
			return false;
		}
		s->t[k].w += s->t[i].w;
	}
	if (s->n > 0)
		s->n = k + 1;
	return true;
}

/* Parse a literal */
bool
cj_fit_state_parse(const char *text, CjFitText *s, CjError *err)
{
	const char *p = text;
	char		name[64];
	size_t		cap = cj_fit_state_parse_tuples(strlen(text));
	const CjFamily *f;

	s->family = NULL;
	s->unit = 0;
	s->n = 0;
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "Expected family{(value,...):weight,...} optionally followed by unit=.");
	if (cj_parse_ident(&p, name, sizeof(name)) <= 0 ||
		(f = cj_family_by_name(name)) == NULL || !cj_accept_char(&p, '{'))
		return false;
	s->family = f;
	if (!cj_accept_char(&p, '}'))
	{
		do
		{
			if (s->n >= cap || s->n >= CJ_FIT_MAX_TUPLES)
			{
				cj_error_set(err, CJ_ERR_LIMIT, "A fit holds at most %d distinct data tuples.",
							 CJ_FIT_MAX_TUPLES);
				return false;
			}
			if (!ParseTuple(&p, f->ndata, &s->t[s->n]))
				return false;
			if (!f->check_data(s->t[s->n++].v, err))
				return false;
		} while (cj_accept_char(&p, ','));
		if (!cj_accept_char(&p, '}'))
			return false;
	}
	p = cj_skip_space(p);
	if (strncmp(p, "unit=", 5) == 0)
	{
		p += 5;
		if (!cj_parse_unit(&p, &s->unit))
			return false;
	}
	if (!cj_at_end(p))
		return false;
	return Normalise(s, err);
}

/* Rules of a decoded state */
bool
cj_fit_state_validate(CjFitText *s, CjError *err)
{
	size_t		i;
	int			j;

	if (s->family == NULL)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Unknown model family.");
		return false;
	}
	if (!(s->unit >= 0 && isfinite(s->unit)))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The time unit must be a finite number of seconds, or 0.");
		return false;
	}
	if (s->n > CJ_FIT_MAX_TUPLES)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A fit holds at most %d distinct data tuples.",
					 CJ_FIT_MAX_TUPLES);
		return false;
	}
	for (i = 0; i < s->n; i++)
	{
		for (j = 0; j < CJ_TUPLE_DIM; j++)
			if (!isfinite(s->t[i].v[j]) || (j >= s->family->ndata && s->t[i].v[j] != 0))
			{
				cj_error_set(err, CJ_ERR_PARAM, "Data values must be finite.");
				return false;
			}
		if (!(s->t[i].w >= 1 && s->t[i].w <= CJ_FIT_MAX_WEIGHT && s->t[i].w == floor(s->t[i].w)))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Weights must be integers between 1 and 2^53.");
			return false;
		}
		if (!s->family->check_data(s->t[i].v, err))
			return false;
	}
	return Normalise(s, err);
}

/* Unit text: "unit=7d" for whole days, else "unit=<seconds>s" */
size_t
cj_unit_format(double secs, char *buf)
{
	double		days = secs / 86400.0;
	size_t		len;

	memcpy(buf, "unit=", 5);
	len = 5;
	if (days == floor(days) && days * 86400.0 == secs && days < 1e15)
		return len + (size_t) snprintf(buf + len, 24, "%.0fd", days);
	len += (size_t) cj_double_shortest(secs, buf + len);
	buf[len++] = 's';
	buf[len] = '\0';
	return len;
}

/* Bytes of the text form */
size_t
cj_fit_state_text_size(const CjFitText *s)
{
	return 64 + 48 + s->n * (CJ_TUPLE_DIM * CJ_DOUBLE_TEXT_MAX + 4 + 24);
}

/* Canonical text */
size_t
cj_fit_state_format(const CjFitText *s, char *buf)
{
	size_t		len = strlen(s->family->name),
				i;
	int			j;

	memcpy(buf, s->family->name, len);
	buf[len++] = '{';
	for (i = 0; i < s->n; i++)
	{
		if (i > 0)
			buf[len++] = ',';
		buf[len++] = '(';
		for (j = 0; j < s->family->ndata; j++)
		{
			if (j)
				buf[len++] = ',';
			len += (size_t) cj_double_shortest(s->t[i].v[j], buf + len);
		}
		len += (size_t) snprintf(buf + len, 24, "):%lld", (long long) s->t[i].w);
	}
	buf[len++] = '}';
	if (s->unit > 0)
	{
		buf[len++] = ' ';
		len += cj_unit_format(s->unit, buf + len);
	}
	buf[len] = '\0';
	return len;
}
