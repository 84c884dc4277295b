/*-------------------------------------------------------------------------
 *
 * contact_rates.c
 *	  The event log behind cj_contact_rates: append, check, the measures,
 *	  text and binary forms (pure C).
 *
 * Definitions (doc/memory.md), over the contacts of one group:
 *	- a contact is *repeated* when the same customer has a later contact
 *	  (in the order occurred_at, then the other fields) on the same
 *	  non-NULL topic at most `within` after it; repeat-contact rate =
 *	  repeated contacts / contacts;
 *	- a case is a distinct (customer, non-NULL ref); it is *resolved at
 *	  first contact* when it has exactly one contact and that contact's
 *	  status is resolved or closed; first-contact resolution = such cases /
 *	  cases.
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/contact_rates.h"

#include <stdio.h>
#include <string.h>

#include "core/common/instant.h"
#include "core/common/text.h"
#include "core/journey/memory.h"

#define EV_HDR 24				/* int64 at, int32 status, 3 x int32 len */

size_t
cj_clog_event_size(const CjContactEvent *e)
{
	size_t		size = EV_HDR;

	for (int i = 0; i < 3; i++)
		if (e->str[i])
			size += (size_t) e->len[i];
	return (size + 7) & ~(size_t) 7;
}

void
cj_clog_init(CjContactLog *l, int64_t within, int64_t cap)
{
	memset((char *) l + sizeof(int32_t), 0, CJ_CLOG_HDRSZ - sizeof(int32_t));
	l->magic = CJ_CLOG_MAGIC;
	l->version = CJ_CLOG_VERSION;
	l->within = within;
	l->cap = cap;
}

bool
cj_clog_append(CjContactLog *l, const CjContactEvent *e)
{
	size_t		size = cj_clog_event_size(e);
	char	   *p;
	int32_t		len[3];
	size_t		off = EV_HDR;

	if ((size_t) (l->cap - l->nbytes) < size)
		return false;
	p = l->data + l->nbytes;
	memcpy(p, &e->at, 8);
	memcpy(p + 8, &e->status, 4);
	for (int i = 0; i < 3; i++)
	{
		len[i] = e->str[i] ? e->len[i] : -1;
		if (e->str[i])
		{
			memcpy(p + off, e->str[i], (size_t) e->len[i]);
			off += (size_t) e->len[i];
		}
	}
	memcpy(p + 12, len, 12);
	memset(p + off, 0, size - off);
	l->nbytes += (int64_t) size;
	l->nevents++;
	return true;
}

bool
cj_clog_check_header(const CjContactLog *l, size_t size, CjError *err)
{
	if (size < CJ_CLOG_HDRSZ || l->magic != CJ_CLOG_MAGIC ||
		l->version != CJ_CLOG_VERSION || l->flags != 0 || l->reserved != 0 ||
		l->cap < 0 || (size_t) l->cap != size - CJ_CLOG_HDRSZ ||
		l->nbytes < 0 || l->nbytes > l->cap || l->nevents < 0 ||
		l->nevents > CJ_CLOG_MAX_EVENTS || l->within < 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The value is not a valid contact log.");
		return false;
	}
	return true;
}

bool
cj_clog_next(const CjContactLog *l, int64_t *pos, CjContactEvent *e)
{
	const char *p = l->data + *pos;
	size_t		left = (size_t) (l->nbytes - *pos);
	size_t		off = EV_HDR;

	if (left < EV_HDR)
		return false;
	memcpy(&e->at, p, 8);
	memcpy(&e->status, p + 8, 4);
	memcpy(e->len, p + 12, 12);
	for (int i = 0; i < 3; i++)
	{
		if (e->len[i] == -1)
		{
			e->str[i] = NULL;
			e->len[i] = 0;
			continue;
		}
		if (e->len[i] < 0 || e->len[i] > CJ_CLOG_MAX_TEXT ||
			(size_t) e->len[i] > left - off ||
			memchr(p + off, '\0', (size_t) e->len[i]) != NULL)
			return false;
		e->str[i] = p + off;
		off += (size_t) e->len[i];
	}
	off = (off + 7) & ~(size_t) 7;
	if (off > left || e->status < 0 || e->status > CJ_ST_MAX || e->str[0] == NULL ||
		e->at < CJ_MIN_INSTANT || e->at >= CJ_END_INSTANT)
		return false;
	*pos += (int64_t) off;
	return true;
}

bool
cj_clog_validate(const CjContactLog *l, CjError *err)
{
	int64_t		pos = 0;
	int64_t		n = 0;
	CjContactEvent e;

	while (pos < l->nbytes)
	{
		if ((n & 65535) == 65535)
			cj_check_interrupts();
		if (!cj_clog_next(l, &pos, &e))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "A contact of the log is malformed.");
			return false;
		}
		n++;
	}
	if (n != l->nevents)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "The contact count does not match the contacts.");
		return false;
	}
	return true;
}

/* ---------- sorting ---------- */

static int
StrCmp(const char *a, int32_t la, const char *b, int32_t lb)
{
	int			c;

	if (a == NULL || b == NULL)
		return (a == NULL) == (b == NULL) ? 0 : (a == NULL ? -1 : 1);
	c = memcmp(a, b, (size_t) (la < lb ? la : lb));
	if (c != 0)
		return c < 0 ? -1 : 1;
	return (la > lb) - (la < lb);
}

typedef int (*EvCmp) (const CjContactEvent *a, const CjContactEvent *b);

/* (occurred_at, customer, topic, status, ref): the total order */
static int
CmpTotal(const CjContactEvent *a, const CjContactEvent *b)
{
	int			c;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if ((c = StrCmp(a->str[0], a->len[0], b->str[0], b->len[0])) != 0)
		return c;
	if ((c = StrCmp(a->str[1], a->len[1], b->str[1], b->len[1])) != 0)
		return c;
	if (a->status != b->status)
		return a->status < b->status ? -1 : 1;
	return StrCmp(a->str[2], a->len[2], b->str[2], b->len[2]);
}

static int
CmpTopic(const CjContactEvent *a, const CjContactEvent *b)
{
	int			c;

	if ((c = StrCmp(a->str[0], a->len[0], b->str[0], b->len[0])) != 0)
		return c;
	if ((c = StrCmp(a->str[1], a->len[1], b->str[1], b->len[1])) != 0)
		return c;
	return CmpTotal(a, b);
}

static int
CmpRef(const CjContactEvent *a, const CjContactEvent *b)
{
	int			c;

	if ((c = StrCmp(a->str[0], a->len[0], b->str[0], b->len[0])) != 0)
		return c;
	if ((c = StrCmp(a->str[2], a->len[2], b->str[2], b->len[2])) != 0)
		return c;
	return CmpTotal(a, b);
}

static void
SortPtrs(const CjContactEvent **v, const CjContactEvent **tmp, size_t n, EvCmp cmp)
{
	size_t		h,
				i,
				j,
				w;

	if (n < 2)
		return;
	h = n / 2;
	SortPtrs(v, tmp, h, cmp);
	SortPtrs(v + h, tmp, n - h, cmp);
	for (i = 0, j = h, w = 0; i < h || j < n;)
		tmp[w++] = (j >= n || (i < h && cmp(v[i], v[j]) <= 0)) ? v[i++] : v[j++];
	memcpy(v, tmp, n * sizeof(*v));
	if (n > 4096)
		cj_check_interrupts();
}

size_t
cj_clog_scratch(const CjContactLog *l)
{
	return (size_t) l->nevents * (sizeof(CjContactEvent) + 2 * sizeof(void *)) + 8;
}

/* Decode all events into scratch and return the pointer array */
static const CjContactEvent **
Decode(const CjContactLog *l, void *scratch, size_t *n)
{
	CjContactEvent *ev = scratch;
	const CjContactEvent **v = (const CjContactEvent **) (ev + l->nevents);
	int64_t		pos = 0;
	size_t		i = 0;

	while (pos < l->nbytes && i < (size_t) l->nevents && cj_clog_next(l, &pos, &ev[i]))
	{
		v[i] = &ev[i];
		i++;
	}
	*n = i;
	return v;
}

bool
cj_clog_compute(const CjContactLog *l, void *scratch, CjContactRates *out,
				CjError *err)
{
	size_t		n;
	const CjContactEvent **v = Decode(l, scratch, &n);
	const CjContactEvent **tmp = v + l->nevents;

	memset(out, 0, sizeof(*out));
	if (n != (size_t) l->nevents)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The contact log is corrupt.");
		return false;
	}
	out->contacts = (int64_t) n;
	SortPtrs(v, tmp, n, CmpTopic);
	for (size_t i = 0; i + 1 < n; i++)
	{
		const CjContactEvent *a = v[i],
				   *b = v[i + 1];

		if (a->str[1] != NULL && b->str[1] != NULL &&
			StrCmp(a->str[0], a->len[0], b->str[0], b->len[0]) == 0 &&
			StrCmp(a->str[1], a->len[1], b->str[1], b->len[1]) == 0 &&
			b->at - a->at <= l->within)
			out->repeats++;
	}
	SortPtrs(v, tmp, n, CmpRef);
	for (size_t i = 0; i < n;)
	{
		size_t		j = i + 1;

		while (j < n && StrCmp(v[i]->str[0], v[i]->len[0], v[j]->str[0], v[j]->len[0]) == 0 &&
			   StrCmp(v[i]->str[2], v[i]->len[2], v[j]->str[2], v[j]->len[2]) == 0)
			j++;
		if (v[i]->str[2] != NULL)
		{
			out->cases++;
			if (j == i + 1 &&
				(v[i]->status == CJ_ST_RESOLVED || v[i]->status == CJ_ST_CLOSED))
				out->fcr++;
		}
		i = j;
	}
	return true;
}

/* ---------- text ---------- */

typedef struct Out
{
	char	   *buf;
	size_t		pos;
} Out;

static void
Put(Out *o, const char *s, size_t len)
{
	if (o->buf)
		memcpy(o->buf + o->pos, s, len);
	o->pos += len;
}

static void
PutStr(Out *o, const char *s, int32_t len)
{
	if (s == NULL)
	{
		Put(o, "null", 4);
		return;
	}
	Put(o, "\"", 1);
	for (int32_t i = 0; i < len; i++)
	{
		if (s[i] == '"' || s[i] == '\\')
			Put(o, "\\", 1);
		Put(o, s + i, 1);
	}
	Put(o, "\"", 1);
}

size_t
cj_clog_format(const CjContactLog *l, void *scratch, char *buf)
{
	Out			o = {buf, 0};
	char		tmp[64];
	size_t		n;
	const CjContactEvent **v = Decode(l, scratch, &n);

	SortPtrs(v, v + l->nevents, n, CmpTotal);
	Put(&o, tmp, (size_t) snprintf(tmp, sizeof(tmp), "contacts(within=%lld, events=[",
								   (long long) l->within));
	for (size_t i = 0; i < n; i++)
	{
		const char *st = cj_memory_status_name(v[i]->status);

		if (i > 0)
			Put(&o, ", ", 2);
		Put(&o, "(", 1);
		Put(&o, tmp, cj_format_instant(v[i]->at, tmp));
		Put(&o, ", ", 2);
		PutStr(&o, v[i]->str[0], v[i]->len[0]);
		Put(&o, ", ", 2);
		PutStr(&o, v[i]->str[1], v[i]->len[1]);
		Put(&o, ", ", 2);
		if (st)
			Put(&o, st, strlen(st));
		else
			Put(&o, "null", 4);
		Put(&o, ", ", 2);
		PutStr(&o, v[i]->str[2], v[i]->len[2]);
		Put(&o, ")", 1);
	}
	Put(&o, "])", 3);			/* with the NUL */
	return o.pos;
}

int64_t
cj_clog_text_cap(const char *s)
{
	/* an event's bytes never exceed its text (24 + strings vs. "(...)") */
	return (int64_t) strlen(s) + 64;
}

static bool
Syntax(CjError *err, const char *what)
{
	cj_error_set(err, CJ_ERR_SYNTAX, "%s", what);
	return false;
}

static bool
Word(const char **p, const char *w)
{
	const char *s = cj_skip_space(*p);
	size_t		len = strlen(w);

	if (strncmp(s, w, len) == 0 &&
		!((s[len] >= 'a' && s[len] <= 'z') || (s[len] >= '0' && s[len] <= '9') || s[len] == '_'))
	{
		*p = s + len;
		return true;
	}
	return false;
}

/* A quoted string or null: *out points into buf, or is NULL for null */
static bool
ParseStr(const char **p, char *buf, const char **out, int32_t *len, CjError *err)
{
	if (!cj_parse_text_or_null(p, buf, CJ_CLOG_MAX_TEXT, len, err))
		return false;
	*out = (*len < 0) ? NULL : buf;
	if (*len < 0)
		*len = 0;
	return true;
}

bool
cj_clog_parse(const char *s, CjContactLog *l, CjError *err)
{
	const char *p = s;
	int64_t		within;
	char		b[3][CJ_CLOG_MAX_TEXT];

	err->kind = CJ_OK;
	err->detail[0] = '\0';
	if (!Word(&p, "contacts") || !cj_accept_char(&p, '(') || !Word(&p, "within") ||
		!cj_accept_char(&p, '=') || !cj_parse_int64(&p, &within) || within < 0 ||
		!cj_accept_char(&p, ',') || !Word(&p, "events") || !cj_accept_char(&p, '=') ||
		!cj_accept_char(&p, '['))
		return Syntax(err, "A contact log is written contacts(within=<microseconds>, events=[(instant, customer, topic, status, ref), ...]).");
	l->within = within;
	if (!cj_accept_char(&p, ']'))
	{
		do
		{
			CjContactEvent e;
			char		w[16];
			int			wl;

			if (!cj_accept_char(&p, '(') || !cj_parse_instant(&p, &e.at, err))
				return err->detail[0] ? false :
					Syntax(err, "Expected an event (instant, customer, topic, status, ref).");
			if (!cj_accept_char(&p, ',') || !ParseStr(&p, b[0], &e.str[0], &e.len[0], err) ||
				!cj_accept_char(&p, ',') || !ParseStr(&p, b[1], &e.str[1], &e.len[1], err) ||
				!cj_accept_char(&p, ','))
				return err->detail[0] ? false : Syntax(err, "Malformed event.");
			wl = cj_parse_ident(&p, w, sizeof(w));
			if (wl > 0 && strcmp(w, "null") == 0)
				e.status = CJ_ST_NULL;
			else if (wl <= 0 || !cj_memory_status_code(w, (size_t) wl, &e.status))
				return Syntax(err, "A status is one of open, pending, resolved, closed or null.");
			if (!cj_accept_char(&p, ',') || !ParseStr(&p, b[2], &e.str[2], &e.len[2], err) ||
				!cj_accept_char(&p, ')'))
				return err->detail[0] ? false : Syntax(err, "Malformed event.");
			if (e.str[0] == NULL)
				return Syntax(err, "The customer of a contact is not NULL.");
			if (l->nevents >= CJ_CLOG_MAX_EVENTS || !cj_clog_append(l, &e))
			{
				cj_error_set(err, CJ_ERR_LIMIT, "A contact log holds at most %d contacts.",
							 CJ_CLOG_MAX_EVENTS);
				return false;
			}
		} while (cj_accept_char(&p, ','));
		if (!cj_accept_char(&p, ']'))
			return Syntax(err, "Expected \"]\" after the events.");
	}
	if (!cj_accept_char(&p, ')') || !cj_at_end(p))
		return Syntax(err, "Unexpected text after the contact log.");
	return cj_clog_validate(l, err);
}

/* ---------- binary ---------- */

static unsigned char *
W32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char) (v >> 24);
	b[1] = (unsigned char) (v >> 16);
	b[2] = (unsigned char) (v >> 8);
	b[3] = (unsigned char) v;
	return b + 4;
}

static unsigned char *
W64(unsigned char *b, uint64_t v)
{
	return W32(W32(b, (uint32_t) (v >> 32)), (uint32_t) v);
}

size_t
cj_clog_wire_size(const CjContactLog *l)
{
	size_t		size = 2 + 8 + 4;
	int64_t		pos = 0;
	CjContactEvent e;

	/* per event: at 8, status 1, 3 lengths 12, the bytes */
	while (pos < l->nbytes && cj_clog_next(l, &pos, &e))
		size += 21 + (size_t) e.len[0] + (size_t) e.len[1] + (size_t) e.len[2];
	return size;
}

void
cj_clog_encode(const CjContactLog *l, void *scratch, unsigned char *b)
{
	size_t		n;
	const CjContactEvent **v = Decode(l, scratch, &n);

	SortPtrs(v, v + l->nevents, n, CmpTotal);
	*b++ = CJ_CLOG_VERSION;
	*b++ = 0;
	b = W64(b, (uint64_t) l->within);
	b = W32(b, (uint32_t) n);
	for (size_t i = 0; i < n; i++)
	{
		b = W64(b, (uint64_t) v[i]->at);
		*b++ = (unsigned char) v[i]->status;
		for (int k = 0; k < 3; k++)
		{
			b = W32(b, v[i]->str[k] ? (uint32_t) v[i]->len[k] : UINT32_MAX);
			if (v[i]->str[k])
			{
				memcpy(b, v[i]->str[k], (size_t) v[i]->len[k]);
				b += v[i]->len[k];
			}
		}
	}
}

static uint64_t
R(const unsigned char **b, size_t *left, int bytes, bool *ok)
{
	uint64_t	v = 0;

	if (!*ok || *left < (size_t) bytes)
	{
		*ok = false;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v = (v << 8) | (*b)[i];
	*b += bytes;
	*left -= (size_t) bytes;
	return v;
}

bool
cj_clog_decode(const unsigned char *buf, size_t len, CjContactLog *l, CjError *err)
{
	const unsigned char *b = buf;
	size_t		left = len;
	bool		ok = true;
	int64_t		n;

	if (R(&b, &left, 1, &ok) != CJ_CLOG_VERSION || R(&b, &left, 1, &ok) != 0)
		return Syntax(err, "Unsupported version or flags.");
	l->within = (int64_t) R(&b, &left, 8, &ok);
	n = (int64_t) R(&b, &left, 4, &ok);
	if (!ok || l->within < 0 || n < 0 || n > CJ_CLOG_MAX_EVENTS || (size_t) n > left / 21)
		return Syntax(err, "The header is out of range.");
	for (int64_t i = 0; i < n; i++)
	{
		CjContactEvent e;

		if ((i & 65535) == 65535)
			cj_check_interrupts();
		e.at = (int64_t) R(&b, &left, 8, &ok);
		e.status = (int32_t) R(&b, &left, 1, &ok);
		for (int k = 0; k < 3; k++)
		{
			uint32_t	sl = (uint32_t) R(&b, &left, 4, &ok);

			if (sl == UINT32_MAX)
			{
				e.str[k] = NULL;
				e.len[k] = 0;
				continue;
			}
			if (!ok || sl > CJ_CLOG_MAX_TEXT || sl > left)
				return Syntax(err, "A string is too long or truncated.");
			e.str[k] = (const char *) b;
			e.len[k] = (int32_t) sl;
			b += sl;
			left -= sl;
		}
		if (!ok || e.status < 0 || e.status > CJ_ST_MAX || e.str[0] == NULL ||
			e.at < CJ_MIN_INSTANT || e.at >= CJ_END_INSTANT)
			return Syntax(err, "An event is out of range.");
		for (int k = 0; k < 3; k++)
			if (e.str[k] && memchr(e.str[k], '\0', (size_t) e.len[k]))
				return Syntax(err, "A string contains a NUL byte.");
		if (!cj_clog_append(l, &e))
			return Syntax(err, "The binary form is inconsistent.");
	}
	if (left != 0)
		return Syntax(err, "The binary form has trailing bytes.");
	return cj_clog_validate(l, err);
}
