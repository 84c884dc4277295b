/*-------------------------------------------------------------------------
 *
 * transitions_text.c
 *	  Parser, printer and validation of cj_transitions literals (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		state   := '{' 'order' '=' int ';' channel ( ',' channel )* ';'
 *		           trans ( ',' trans )* '}'
 *		channel := quoted '=' int					(names ascending)
 *		trans   := sym ( '.' sym ){order-1} '>' sym '=' int
 *		sym     := int | 'conv' | 'null'
 * Text and binary input share the rules of ValidTransition and of
 * cj_transitions_validate, so both accept exactly the same states.
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/transitions_text.h"
#include "core/common/sort.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common/text.h"
#include "core/journey/channel_text.h"

/* Channels a literal can hold: each takes at least 5 bytes ("a"=0) */
size_t
cj_transitions_parse_chans(size_t textlen)
{
	size_t		n = textlen / 5 + 1;

	return n > CJ_CREDITS_MAX_CHANNELS + 1 ? CJ_CREDITS_MAX_CHANNELS + 1 : n;
}

/* Transitions a literal can hold: each takes at least 5 bytes (0>1=1) */
size_t
cj_transitions_parse_trans(size_t textlen)
{
	size_t		n = textlen / 5 + 1;

	return n > CJ_MARKOV_MAX_TRANS + 1 ? CJ_MARKOV_MAX_TRANS + 1 : n;
}

/* Name bytes a literal can hold */
size_t
cj_transitions_parse_names(size_t textlen)
{
	size_t		most = (size_t) (CJ_CREDITS_MAX_CHANNELS + 1) * CJ_CHANNEL_MAX_LEN;

	return (textlen < most ? textlen : most) + 1;
}

/*
 * Check one transition (channel numbers 1..nchan, padding only in front,
 * the start never absorbs at once, count > 0); false with err set.
 */
static bool
ValidTransition(const CjMarkovTrans *t, int order, int nchan, CjError *err)
{
	int			k;
	bool		seen = false;

	for (k = 0; k < CJ_MARKOV_MAX_ORDER; k++)
	{
		if (k >= order)
		{
			if (t->from[k] != 0)
			{
				cj_error_set(err, CJ_ERR_PARAM, "A from-state holds exactly %d channel numbers.", order);
				return false;
			}
			continue;
		}
		if (t->from[k] < 0 || t->from[k] > nchan || (seen && t->from[k] == 0))
		{
			cj_error_set(err, CJ_ERR_PARAM, "A from-state holds channel numbers 1 to %d, padded with 0 in front only.", nchan);
			return false;
		}
		seen |= t->from[k] > 0;
	}
	if (!((t->next >= 1 && t->next <= nchan) ||
		  ((t->next == CJ_MK_CONV || t->next == CJ_MK_NULL) && seen)))
	{
		cj_error_set(err, CJ_ERR_PARAM, "A transition goes to a channel number, conv or null; the start goes to a channel.");
		return false;
	}
	if (t->count <= 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Transition counts must be positive.");
		return false;
	}
	return true;
}

/* Parse a transition symbol: a number, conv or null */
static bool
ParseSymbol(const char **p, int32_t *x)
{
	char		word[8];
	int64_t		v;

	if (cj_parse_ident(p, word, sizeof(word)) > 0)
	{
		if (strcmp(word, "conv") == 0)
			*x = CJ_MK_CONV;
		else if (strcmp(word, "null") == 0)
			*x = CJ_MK_NULL;
		else
			return false;
		return true;
	}
	if (!cj_parse_int64(p, &v) || v < 0 || v > CJ_CREDITS_MAX_CHANNELS)
		return false;
	*x = (int32_t) v;
	return true;
}

/* Parse the channel list */
static bool
ParseChannels(const char **p, CjChainText *c, char *names, CjError *err)
{
	char		buf[CJ_CHANNEL_MAX_LEN + 1];
	int			len;
	int64_t		conv;
	size_t		cap = cj_transitions_parse_chans(strlen(*p)),
				used = 0;

	do
	{
		CjChainChannel *ch;

		if (!cj_parse_quoted(p, buf, &len, err))
			return false;
		if (!cj_accept_char(p, '=') || !cj_parse_int64(p, &conv) || conv < 0)
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"=\" and a converting-journey count after a channel.");
			return false;
		}
		if (c->nchan >= CJ_CREDITS_MAX_CHANNELS || (size_t) c->nchan >= cap ||
			(c->nchan > 0 && cj_channel_order(c->chans[c->nchan - 1].name,
											  c->chans[c->nchan - 1].len, buf, len) >= 0))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Channels must be distinct and listed in name order, at most %d.",
						 CJ_CREDITS_MAX_CHANNELS);
			return false;
		}
		memcpy(names + used, buf, (size_t) len);
		ch = &c->chans[c->nchan++];
		ch->name = names + used;
		ch->len = len;
		ch->converting = conv;
		used += (size_t) len;
	} while (cj_accept_char(p, ','));
	return true;
}

/* Parse one from>next=count transition */
static bool
ParseTransition(const char **p, CjChainText *c, size_t cap, CjError *err)
{
	CjMarkovTrans t;
	int			k;

	memset(&t, 0, sizeof(t));
	for (k = 0; k < c->order; k++)
		if ((k > 0 && !cj_accept_char(p, '.')) || !ParseSymbol(p, &t.from[k]) ||
			t.from[k] == CJ_MK_CONV || t.from[k] == CJ_MK_NULL)
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected a from-state of %d channel numbers separated by \".\".", c->order);
			return false;
		}
	if (!cj_accept_char(p, '>') || !ParseSymbol(p, &t.next) ||
		!cj_accept_char(p, '=') || !cj_parse_int64(p, &t.count))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \">\", a channel number, conv or null, \"=\" and a count.");
		return false;
	}
	if (!ValidTransition(&t, c->order, c->nchan, err))
		return false;
	if (c->ntrans >= CJ_MARKOV_MAX_TRANS || (size_t) c->ntrans >= cap)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A chain can have at most %d distinct transitions.", CJ_MARKOV_MAX_TRANS);
		return false;
	}
	c->trans[c->ntrans++] = t;
	return true;
}

/* Sort the transitions; false with err set on a duplicate */
static bool
SortUnique(CjChainText *c, CjError *err)
{
	int			i;

	cj_sort(c->trans, (size_t) c->ntrans, sizeof(CjMarkovTrans), cj_markov_trans_cmp);
	for (i = 1; i < c->ntrans; i++)
		if (cj_markov_trans_cmp(&c->trans[i - 1], &c->trans[i]) == 0)
		{
			cj_error_set(err, CJ_ERR_PARAM, "A transition appears more than once.");
			return false;
		}
	return true;
}

/* Parse a literal */
bool
cj_transitions_parse(const char *text, CjChainText *c, char *names, CjError *err)
{
	const char *p = text;
	char		word[8];
	int64_t		order;
	size_t		tcap = cj_transitions_parse_trans(strlen(text));

	c->order = 0;
	c->nchan = 0;
	c->ntrans = 0;
	if (!cj_accept_char(&p, '{') || cj_parse_ident(&p, word, sizeof(word)) <= 0 ||
		strcmp(word, "order") != 0 || !cj_accept_char(&p, '=') ||
		!cj_parse_int64(&p, &order) || !cj_accept_char(&p, ';'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "A state starts with \"{order=N;\".");
		return false;
	}
	if (order < 1 || order > CJ_MARKOV_MAX_ORDER)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The order must be between 1 and %d.", CJ_MARKOV_MAX_ORDER);
		return false;
	}
	c->order = (int) order;
	if (!ParseChannels(&p, c, names, err))
		return false;
	if (!cj_accept_char(&p, ';'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \";\" after the channels.");
		return false;
	}
	do
	{
		if (!ParseTransition(&p, c, tcap, err))
			return false;
	} while (cj_accept_char(&p, ','));
	if (!cj_accept_char(&p, '}') || !cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \",\" or a final \"}\".");
		return false;
	}
	return SortUnique(c, err);
}

/* Rules of a decoded state */
bool
cj_transitions_validate(CjChainText *c, CjError *err)
{
	int			i;

	if (c->order < 1 || c->order > CJ_MARKOV_MAX_ORDER)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The order must be between 1 and %d.", CJ_MARKOV_MAX_ORDER);
		return false;
	}
	if (c->nchan < 1 || c->nchan > CJ_CREDITS_MAX_CHANNELS)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "The channel count must be between 1 and %d.", CJ_CREDITS_MAX_CHANNELS);
		return false;
	}
	if (c->ntrans < 1 || c->ntrans > CJ_MARKOV_MAX_TRANS)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "The transition count must be between 1 and %d.", CJ_MARKOV_MAX_TRANS);
		return false;
	}
	for (i = 0; i < c->nchan; i++)
	{
		if (!cj_channel_check(c->chans[i].name, c->chans[i].len, err))
			return false;
		if (c->chans[i].converting < 0 ||
			(i > 0 && cj_channel_order(c->chans[i - 1].name, c->chans[i - 1].len,
									   c->chans[i].name, c->chans[i].len) >= 0))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Channels must be distinct and sorted, with counts of at least 0.");
			return false;
		}
	}
	for (i = 0; i < c->ntrans; i++)
	{
		int			k;

		for (k = 0; k < c->order; k++)
			if (c->trans[i].from[k] == CJ_MK_CONV || c->trans[i].from[k] == CJ_MK_NULL)
			{
				cj_error_set(err, CJ_ERR_PARAM, "A from-state holds channel numbers only.");
				return false;
			}
		if (!ValidTransition(&c->trans[i], c->order, c->nchan, err))
			return false;
	}
	return SortUnique(c, err);
}

/* Append a transition symbol */
static size_t
FormatSymbol(int32_t x, char *buf)
{
	if (x == CJ_MK_CONV)
		return (size_t) (memcpy(buf, "conv", 4), 4);
	if (x == CJ_MK_NULL)
		return (size_t) (memcpy(buf, "null", 4), 4);
	return cj_int64_format(x, buf);
}

/* Bytes of the text form */
size_t
cj_transitions_text_size(const CjChainText *c)
{
	size_t		size = 32;
	int			i;

	for (i = 0; i < c->nchan; i++)
		size += 2 * (size_t) c->chans[i].len + 2 + 1 + 21 + 2;
	/* a symbol prints in at most 11 bytes (int32 with sign) + separator */
	size += (size_t) c->ntrans * (CJ_MARKOV_MAX_ORDER * 12 + 12 + 22 + 2);
	return size;
}

/* Canonical text */
size_t
cj_transitions_format(const CjChainText *c, char *buf)
{
	size_t		len;
	int			i,
				k;

	len = (size_t) snprintf(buf, 32, "{order=%d; ", c->order);
	for (i = 0; i < c->nchan; i++)
	{
		if (i > 0)
		{
			buf[len++] = ',';
			buf[len++] = ' ';
		}
		len += cj_channel_quote(c->chans[i].name, c->chans[i].len, buf + len);
		buf[len++] = '=';
		len += cj_int64_format(c->chans[i].converting, buf + len);
	}
	buf[len++] = ';';
	buf[len++] = ' ';
	for (i = 0; i < c->ntrans; i++)
	{
		if (i > 0)
		{
			buf[len++] = ',';
			buf[len++] = ' ';
		}
		for (k = 0; k < c->order; k++)
		{
			if (k > 0)
				buf[len++] = '.';
			len += FormatSymbol(c->trans[i].from[k], buf + len);
		}
		buf[len++] = '>';
		len += FormatSymbol(c->trans[i].next, buf + len);
		buf[len++] = '=';
		len += cj_int64_format(c->trans[i].count, buf + len);
	}
	buf[len++] = '}';
	buf[len] = '\0';
	return len;
}
