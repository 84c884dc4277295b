/*-------------------------------------------------------------------------
 *
 * memory_io.c
 *	  Text and binary forms of a customer memory (pure C).
 *
 * Both forms are written from the canonical value only, so equal
 * memories have equal text and equal bytes.  Both readers build a value
 * and end with cj_memory_validate(): the sections must come in canonical
 * order and satisfy every invariant a built memory satisfies.
 *
 * Text grammar (white space allowed between tokens):
 *
 *	 memory   := 'memory(' 'k=' INT ',' 'first=' INSTANT ',' 'last=' INSTANT
 *				 ',' 'total=' INT ',' 'recent=[' contact {',' contact} ']'
 *				 ',' 'days=[' day {',' day} ']'
 *				 ',' 'channels=[' chan {',' chan} ']'
 *				 ',' 'topics=[' topic {',' topic} ']'
 *				 ',' 'cases=[' [case {',' case}] ']' ')'
 *	 contact  := '(' INSTANT ',' str ',' str ',' str ',' status ',' str ')'
 *				 (occurred_at, channel, agent, topic, status, ref)
 *	 day      := '(' INT ',' str ',' INT ')'  (day offset from the first
 *				 contact's UTC day, channel, count)
 *	 chan     := '(' INT ',' contact ')'  (count, latest contact)
 *	 topic    := '(' str ',' INT ',' INSTANT [',' INSTANT] ')'
 *				 (topic, count, latest instant, second latest if count > 1)
 *	 case     := '(' contact ',' (contact | 'null') ',' (INSTANT | 'null')
 *				 ',' ('true' | 'false') ')'
 *				 (latest contact, latest contact with a status, first
 *				 'open' instant, whether a resolved/closed status was seen)
 *	 str      := 'null' | '"' { any byte but '"' and '\', or '\"', '\\' } '"'
 *	 status   := 'null' | 'open' | 'pending' | 'resolved' | 'closed'
 *	 INSTANT  := UTC ISO 8601 as cj_history writes it
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/memory.h"

#include <stdio.h>

#include "core/common/instant.h"
#include "core/common/text.h"

/* ---------- text output ---------- */

typedef struct Out
{
	char	   *buf;			/* NULL: only count */
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
PutS(Out *o, const char *s)
{
	Put(o, s, strlen(s));
}

static void
PutInt(Out *o, int64_t v)
{
	char		tmp[32];

	Put(o, tmp, (size_t) snprintf(tmp, sizeof(tmp), "%lld", (long long) v));
}

static void
PutInstant(Out *o, int64_t at)
{
	char		tmp[48];

	Put(o, tmp, cj_format_instant(at, tmp));
}

static void
PutStr(Out *o, const CjMemory *m, int32_t id)
{
	int32_t		len;
	const char *s = cj_mem_str(m, id, &len);

	if (s == NULL)
	{
		PutS(o, "null");
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

static void
PutContact(Out *o, const CjMemory *m, const CjMemContact *c)
{
	const char *st = cj_memory_status_name(c->status);

	Put(o, "(", 1);
	PutInstant(o, c->at);
	PutS(o, ", ");
	PutStr(o, m, c->channel);
	PutS(o, ", ");
	PutStr(o, m, c->agent);
	PutS(o, ", ");
	PutStr(o, m, c->topic);
	PutS(o, ", ");
	PutS(o, st ? st : "null");
	PutS(o, ", ");
	PutStr(o, m, c->ref);
	Put(o, ")", 1);
}

static size_t
Format(const CjMemory *m, Out *o)
{
	int32_t		day0 = cj_mem_utc_day(m->first_at);

	PutS(o, "memory(k=");
	PutInt(o, m->k);
	PutS(o, ", first=");
	PutInstant(o, m->first_at);
	PutS(o, ", last=");
	PutInstant(o, m->last_at);
	PutS(o, ", total=");
	PutInt(o, m->total);
	PutS(o, ", recent=[");
	for (int32_t i = 0; i < m->n[CJ_MS_RECENT]; i++)
	{
		if (i > 0)
			PutS(o, ", ");
		PutContact(o, m, cj_mem_recent(m) + i);
	}
	PutS(o, "], days=[");
	for (int32_t i = 0; i < m->n[CJ_MS_DAYS]; i++)
	{
		const CjMemDay *d = cj_mem_days(m) + i;

		if (i > 0)
			PutS(o, ", ");
		Put(o, "(", 1);
		PutInt(o, (int64_t) d->day - day0);
		PutS(o, ", ");
		PutStr(o, m, d->channel);
		PutS(o, ", ");
		PutInt(o, d->n);
		Put(o, ")", 1);
	}
	PutS(o, "], channels=[");
	for (int32_t i = 0; i < m->n[CJ_MS_CHANS]; i++)
	{
		const CjMemChannel *c = cj_mem_chans(m) + i;

		if (i > 0)
			PutS(o, ", ");
		Put(o, "(", 1);
		PutInt(o, c->n);
		PutS(o, ", ");
		PutContact(o, m, &c->last);
		Put(o, ")", 1);
	}
	PutS(o, "], topics=[");
	for (int32_t i = 0; i < m->n[CJ_MS_TOPICS]; i++)
	{
		const CjMemTopic *t = cj_mem_topics(m) + i;

		if (i > 0)
			PutS(o, ", ");
		Put(o, "(", 1);
		PutStr(o, m, t->topic);
		PutS(o, ", ");
		PutInt(o, t->n);
		PutS(o, ", ");
		PutInstant(o, t->at1);
		if (t->n >= 2)
		{
			PutS(o, ", ");
			PutInstant(o, t->at2);
		}
		Put(o, ")", 1);
	}
	PutS(o, "], cases=[");
	for (int32_t i = 0; i < m->n[CJ_MS_CASES]; i++)
	{
		const CjMemCase *c = cj_mem_cases(m) + i;

		if (i > 0)
			PutS(o, ", ");
		Put(o, "(", 1);
		PutContact(o, m, &c->last);
		PutS(o, ", ");
		if (c->flags & CJ_CASE_HAS_STATUS)
			PutContact(o, m, &c->last_status);
		else
			PutS(o, "null");
		PutS(o, ", ");
		if (c->flags & CJ_CASE_HAS_OPEN)
			PutInstant(o, c->first_open_at);
		else
			PutS(o, "null");
		PutS(o, (c->flags & CJ_CASE_REOPENABLE) ? ", true)" : ", false)");
	}
	PutS(o, "])");
	Put(o, "", 1);
	return o->pos;
}

size_t
cj_memory_text_size(const CjMemory *m)
{
	Out			o = {NULL, 0};

	return Format(m, &o);
}

size_t
cj_memory_format(const CjMemory *m, char *buf)
{
	Out			o = {buf, 0};

	return Format(m, &o) - 1;
}

/* ---------- text input ---------- */

static bool
Syntax(CjError *err, const char *what)
{
	cj_error_set(err, CJ_ERR_SYNTAX, "%s", what);
	return false;
}

static bool
Expect(const char **p, char c, CjError *err)
{
	if (cj_accept_char(p, c))
		return true;
	cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"%c\" at \"%.20s\".", c, cj_skip_space(*p));
	return false;
}

static bool
Word(const char **p, const char *w)
{
	const char *s = cj_skip_space(*p);
	size_t		len = strlen(w);

	if (strncmp(s, w, len) == 0 &&
		!((s[len] >= 'a' && s[len] <= 'z') || (s[len] >= 'A' && s[len] <= 'Z') ||
		  (s[len] >= '0' && s[len] <= '9') || s[len] == '_'))
	{
		*p = s + len;
		return true;
	}
	return false;
}

static bool
Key(const char **p, const char *key, CjError *err)
{
	if (Word(p, key) && cj_accept_char(p, '='))
		return true;
	cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"%s=\" at \"%.20s\".", key, cj_skip_space(*p));
	return false;
}

/* A quoted string or null, interned into m */
static bool
ParseStr(const char **p, CjMemory *m, int32_t *id, CjError *err)
{
	char		tmp[CJ_MEMORY_MAX_TEXT];
	int32_t		len;

	if (!cj_parse_text_or_null(p, tmp, CJ_MEMORY_MAX_TEXT, &len, err))
		return false;
	if (len < 0)
		*id = -1;
	else if ((*id = cj_mem_intern(m, tmp, len)) == -2)
		return Syntax(err, "The literal holds too many strings.");
	return true;
}

static bool
ParseStatus(const char **p, int32_t *st, CjError *err)
{
	char		w[16];
	int			n = cj_parse_ident(p, w, sizeof(w));

	if (n > 0 && strcmp(w, "null") == 0)
	{
		*st = CJ_ST_NULL;
		return true;
	}
	if (n > 0 && cj_memory_status_code(w, (size_t) n, st))
		return true;
	return Syntax(err, "A status is one of open, pending, resolved, closed or null.");
}

static bool
ParseInt(const char **p, int64_t *v, CjError *err)
{
	if (cj_parse_int64(p, v))
		return true;
	cj_error_set(err, CJ_ERR_SYNTAX, "Expected an integer at \"%.20s\".", cj_skip_space(*p));
	return false;
}

static bool
ParseContact(const char **p, CjMemory *m, CjMemContact *c, CjError *err)
{
	memset(c, 0, sizeof(*c));
	return Expect(p, '(', err) && cj_parse_instant(p, &c->at, err) &&
		Expect(p, ',', err) && ParseStr(p, m, &c->channel, err) &&
		Expect(p, ',', err) && ParseStr(p, m, &c->agent, err) &&
		Expect(p, ',', err) && ParseStr(p, m, &c->topic, err) &&
		Expect(p, ',', err) && ParseStatus(p, &c->status, err) &&
		Expect(p, ',', err) && ParseStr(p, m, &c->ref, err) &&
		Expect(p, ')', err);
}

/* "[" item {"," item} "]" with at most cap items (empty allowed) */
typedef bool (*ItemFn) (const char **p, CjMemory *m, int32_t i, CjError *err);

static bool
ParseList(const char **p, CjMemory *m, int s, ItemFn item, CjError *err)
{
	if (!Expect(p, '[', err))
		return false;
	if (cj_accept_char(p, ']'))
		return true;
	do
	{
		if (m->n[s] >= m->cap[s])
		{
			cj_error_set(err, CJ_ERR_LIMIT, "The literal has too many entries in one list.");
			return false;
		}
		if ((m->n[s] & 1023) == 1023)
			cj_check_interrupts();
		if (!item(p, m, m->n[s], err))
			return false;
		m->n[s]++;
	} while (cj_accept_char(p, ','));
	return Expect(p, ']', err);
}

static bool
RecentItem(const char **p, CjMemory *m, int32_t i, CjError *err)
{
	return ParseContact(p, m, cj_mem_recent(m) + i, err);
}

static bool
DayItem(const char **p, CjMemory *m, int32_t i, CjError *err)
{
	CjMemDay   *d = cj_mem_days(m) + i;
	int64_t		off;

	if (!Expect(p, '(', err) || !ParseInt(p, &off, err) || !Expect(p, ',', err) ||
		!ParseStr(p, m, &d->channel, err) || !Expect(p, ',', err) ||
		!ParseInt(p, &d->n, err) || !Expect(p, ')', err))
		return false;
	if (off < 0 || off > INT32_MAX / 2)
		return Syntax(err, "Day offsets count days from the first contact's day, from 0.");
	d->day = cj_mem_utc_day(m->first_at) + (int32_t) off;
	if (d->day > cj_mem_utc_day(m->last_at))
		return Syntax(err, "A day offset lies after the last contact's day.");
	return true;
}

static bool
ChanItem(const char **p, CjMemory *m, int32_t i, CjError *err)
{
	CjMemChannel *c = cj_mem_chans(m) + i;

	return Expect(p, '(', err) && ParseInt(p, &c->n, err) && Expect(p, ',', err) &&
		ParseContact(p, m, &c->last, err) && Expect(p, ')', err);
}

static bool
TopicItem(const char **p, CjMemory *m, int32_t i, CjError *err)
{
	CjMemTopic *t = cj_mem_topics(m) + i;

	memset(t, 0, sizeof(*t));
	if (!Expect(p, '(', err) || !ParseStr(p, m, &t->topic, err) || !Expect(p, ',', err) ||
		!ParseInt(p, &t->n, err) || !Expect(p, ',', err) ||
		!cj_parse_instant(p, &t->at1, err))
		return false;
	if (t->n >= 2 && (!Expect(p, ',', err) || !cj_parse_instant(p, &t->at2, err)))
		return false;
	return Expect(p, ')', err);
}

static bool
CaseItem(const char **p, CjMemory *m, int32_t i, CjError *err)
{
	CjMemCase  *c = cj_mem_cases(m) + i;

	memset(c, 0, sizeof(*c));
	if (!Expect(p, '(', err) || !ParseContact(p, m, &c->last, err) || !Expect(p, ',', err))
		return false;
	if (!Word(p, "null"))
	{
		if (!ParseContact(p, m, &c->last_status, err))
			return false;
		c->flags |= CJ_CASE_HAS_STATUS;
	}
	if (!Expect(p, ',', err))
		return false;
	if (!Word(p, "null"))
	{
		if (!cj_parse_instant(p, &c->first_open_at, err))
			return false;
		c->flags |= CJ_CASE_HAS_OPEN;
	}
	if (!Expect(p, ',', err))
		return false;
	if (Word(p, "true"))
		c->flags |= CJ_CASE_REOPENABLE;
	else if (!Word(p, "false"))
		return Syntax(err, "Expected true or false.");
	return Expect(p, ')', err);
}

void
cj_memory_text_caps(const char *s, int32_t cap[CJ_MS_N])
{
	int64_t		len = (int64_t) strlen(s);
	int64_t		quotes = 0;

	for (const char *q = s; *q; q++)
		quotes += (*q == '"');
	cap[CJ_MS_RECENT] = CJ_MEMORY_MAX_K;
	cap[CJ_MS_DAYS] = (int32_t) (len / 9 + 1 < CJ_MEMORY_MAX_DAYS ? len / 9 + 1 : CJ_MEMORY_MAX_DAYS);
	cap[CJ_MS_CHANS] = (int32_t) (len / 30 + 1 < CJ_MEMORY_MAX_CHANNELS ? len / 30 + 1 : CJ_MEMORY_MAX_CHANNELS);
	cap[CJ_MS_TOPICS] = (int32_t) (len / 28 + 1 < CJ_MEMORY_MAX_TOPICS ? len / 28 + 1 : CJ_MEMORY_MAX_TOPICS);
	cap[CJ_MS_CASES] = (int32_t) (len / 60 + 1 < CJ_MEMORY_MAX_CASES ? len / 60 + 1 : CJ_MEMORY_MAX_CASES);
	cap[CJ_MS_STRS] = (int32_t) (quotes / 2 + 1 < CJ_MEMORY_MAX_STRINGS ? quotes / 2 + 1 : CJ_MEMORY_MAX_STRINGS);
	cap[CJ_MS_BYTES] = (int32_t) (len + 1 < INT32_MAX / 2 ? len + 1 : INT32_MAX / 2);
	cap[CJ_MS_LOG] = 0;
}

bool
cj_memory_parse(const char *s, CjMemory *m, CjError *err)
{
	const char *p = s;
	int64_t		k,
				total;

	if (!Word(&p, "memory") || !Expect(&p, '(', err))
		return Syntax(err, "A memory is written memory(k=..., first=..., last=..., total=..., recent=[...], days=[...], channels=[...], topics=[...], cases=[...]).");
	if (!Key(&p, "k", err) || !ParseInt(&p, &k, err))
		return false;
	if (k < 1 || k > CJ_MEMORY_MAX_K)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "k must be between 1 and %d.", CJ_MEMORY_MAX_K);
		return false;
	}
	m->k = (uint16_t) k;
	if (!Expect(&p, ',', err) || !Key(&p, "first", err) ||
		!cj_parse_instant(&p, &m->first_at, err) ||
		!Expect(&p, ',', err) || !Key(&p, "last", err) ||
		!cj_parse_instant(&p, &m->last_at, err) ||
		!Expect(&p, ',', err) || !Key(&p, "total", err) || !ParseInt(&p, &total, err))
		return false;
	if (total < 1)
		return Syntax(err, "total must be at least 1.");
	if (m->first_at > m->last_at)
		return Syntax(err, "The first contact is after the last.");
	m->total = total;
	if (!Expect(&p, ',', err) || !Key(&p, "recent", err) ||
		!ParseList(&p, m, CJ_MS_RECENT, RecentItem, err) ||
		!Expect(&p, ',', err) || !Key(&p, "days", err) ||
		!ParseList(&p, m, CJ_MS_DAYS, DayItem, err) ||
		!Expect(&p, ',', err) || !Key(&p, "channels", err) ||
		!ParseList(&p, m, CJ_MS_CHANS, ChanItem, err) ||
		!Expect(&p, ',', err) || !Key(&p, "topics", err) ||
		!ParseList(&p, m, CJ_MS_TOPICS, TopicItem, err) ||
		!Expect(&p, ',', err) || !Key(&p, "cases", err) ||
		!ParseList(&p, m, CJ_MS_CASES, CaseItem, err) ||
		!Expect(&p, ')', err))
		return false;
	if (!cj_at_end(p))
		return Syntax(err, "Unexpected text after the memory.");
	if (m->n[CJ_MS_RECENT] != (m->total < m->k ? m->total : m->k))
		return Syntax(err, "recent lists min(k, total) contacts.");
	return cj_memory_validate(m, err);
}

/* ---------- binary form ---------- */

#define CONTACT_WIRE 25

static unsigned char *
W8(unsigned char *b, uint8_t v)
{
	*b = v;
	return b + 1;
}

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

static unsigned char *
WContact(unsigned char *b, const CjMemContact *c)
{
	b = W64(b, (uint64_t) c->at);
	b = W32(b, (uint32_t) c->channel);
	b = W32(b, (uint32_t) c->agent);
	b = W32(b, (uint32_t) c->topic);
	b = W32(b, (uint32_t) c->ref);
	return W8(b, (uint8_t) c->status);
}

size_t
cj_memory_wire_size(const CjMemory *m)
{
	return 4 + 24 + 4 + (size_t) m->n[CJ_MS_STRS] * 4 + (size_t) m->n[CJ_MS_BYTES] +
		4 + (size_t) m->n[CJ_MS_RECENT] * CONTACT_WIRE +
		4 + (size_t) m->n[CJ_MS_DAYS] * 16 +
		4 + (size_t) m->n[CJ_MS_CHANS] * (8 + CONTACT_WIRE) +
		4 + (size_t) m->n[CJ_MS_TOPICS] * 28 +
		4 + (size_t) m->n[CJ_MS_CASES] * (1 + 8 + 2 * CONTACT_WIRE);
}

void
cj_memory_encode(const CjMemory *m, unsigned char *b)
{
	static const CjMemContact zero;

	b = W8(b, CJ_MEMORY_VERSION);
	b = W8(b, 0);
	b = W8(b, (uint8_t) (m->k >> 8));
	b = W8(b, (uint8_t) m->k);
	b = W64(b, (uint64_t) m->first_at);
	b = W64(b, (uint64_t) m->last_at);
	b = W64(b, (uint64_t) m->total);
	b = W32(b, (uint32_t) m->n[CJ_MS_STRS]);
	for (int32_t i = 0; i < m->n[CJ_MS_STRS]; i++)
	{
		int32_t		len;
		const char *s = cj_mem_str(m, i, &len);

		b = W32(b, (uint32_t) len);
		memcpy(b, s, (size_t) len);
		b += len;
	}
	b = W32(b, (uint32_t) m->n[CJ_MS_RECENT]);
	for (int32_t i = 0; i < m->n[CJ_MS_RECENT]; i++)
		b = WContact(b, cj_mem_recent(m) + i);
	b = W32(b, (uint32_t) m->n[CJ_MS_DAYS]);
	for (int32_t i = 0; i < m->n[CJ_MS_DAYS]; i++)
	{
		b = W32(b, (uint32_t) cj_mem_days(m)[i].day);
		b = W32(b, (uint32_t) cj_mem_days(m)[i].channel);
		b = W64(b, (uint64_t) cj_mem_days(m)[i].n);
	}
	b = W32(b, (uint32_t) m->n[CJ_MS_CHANS]);
	for (int32_t i = 0; i < m->n[CJ_MS_CHANS]; i++)
	{
		b = W64(b, (uint64_t) cj_mem_chans(m)[i].n);
		b = WContact(b, &cj_mem_chans(m)[i].last);
	}
	b = W32(b, (uint32_t) m->n[CJ_MS_TOPICS]);
	for (int32_t i = 0; i < m->n[CJ_MS_TOPICS]; i++)
	{
		const CjMemTopic *t = cj_mem_topics(m) + i;

		b = W32(b, (uint32_t) t->topic);
		b = W64(b, (uint64_t) t->n);
		b = W64(b, (uint64_t) t->at1);
		b = W64(b, (uint64_t) t->at2);
	}
	b = W32(b, (uint32_t) m->n[CJ_MS_CASES]);
	for (int32_t i = 0; i < m->n[CJ_MS_CASES]; i++)
	{
		const CjMemCase *c = cj_mem_cases(m) + i;

		b = W8(b, (uint8_t) c->flags);
		b = W64(b, (uint64_t) c->first_open_at);
		b = WContact(b, &c->last);
		b = WContact(b, (c->flags & CJ_CASE_HAS_STATUS) ? &c->last_status : &zero);
	}
}

typedef struct In
{
	const unsigned char *b;
	size_t		left;
	bool		ok;
} In;

static uint64_t
R(In *in, int bytes)
{
	uint64_t	v = 0;

	if (!in->ok || in->left < (size_t) bytes)
	{
		in->ok = false;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v = (v << 8) | in->b[i];
	in->b += bytes;
	in->left -= (size_t) bytes;
	return v;
}

static int32_t
RCount(In *in, int32_t cap, size_t min_each)
{
	int32_t		n = (int32_t) (uint32_t) R(in, 4);

	if (n < 0 || n > cap || (size_t) n > in->left / min_each + 1)
		in->ok = false;
	return in->ok ? n : 0;
}

static void
RContact(In *in, CjMemContact *c)
{
	c->at = (int64_t) R(in, 8);
	c->channel = (int32_t) (uint32_t) R(in, 4);
	c->agent = (int32_t) (uint32_t) R(in, 4);
	c->topic = (int32_t) (uint32_t) R(in, 4);
	c->ref = (int32_t) (uint32_t) R(in, 4);
	c->status = (int32_t) R(in, 1);
	c->pad = 0;
}

void
cj_memory_wire_caps(size_t len, int32_t cap[CJ_MS_N])
{
	size_t		l = len / 4 + 1;

	cap[CJ_MS_RECENT] = CJ_MEMORY_MAX_K;
	cap[CJ_MS_DAYS] = (int32_t) (len / 16 + 1 < CJ_MEMORY_MAX_DAYS ? len / 16 + 1 : CJ_MEMORY_MAX_DAYS);
	cap[CJ_MS_CHANS] = (int32_t) (len / 33 + 1 < CJ_MEMORY_MAX_CHANNELS ? len / 33 + 1 : CJ_MEMORY_MAX_CHANNELS);
	cap[CJ_MS_TOPICS] = (int32_t) (len / 28 + 1 < CJ_MEMORY_MAX_TOPICS ? len / 28 + 1 : CJ_MEMORY_MAX_TOPICS);
	cap[CJ_MS_CASES] = (int32_t) (len / 59 + 1 < CJ_MEMORY_MAX_CASES ? len / 59 + 1 : CJ_MEMORY_MAX_CASES);
	cap[CJ_MS_STRS] = (int32_t) (l < CJ_MEMORY_MAX_STRINGS ? l : CJ_MEMORY_MAX_STRINGS);
	cap[CJ_MS_BYTES] = (int32_t) (len + 1 < INT32_MAX / 2 ? len + 1 : INT32_MAX / 2);
	cap[CJ_MS_LOG] = 0;
}

static bool
InstantOk(int64_t at)
{
	return at >= CJ_MIN_INSTANT && at < CJ_END_INSTANT;
}

bool
cj_memory_decode(const unsigned char *buf, size_t len, CjMemory *m, CjError *err)
{
	In			in = {buf, len, true};
	int32_t		n;

	if (R(&in, 1) != CJ_MEMORY_VERSION || R(&in, 1) != 0)
		return Syntax(err, "Unsupported version or flags.");
	m->k = (uint16_t) R(&in, 2);
	m->first_at = (int64_t) R(&in, 8);
	m->last_at = (int64_t) R(&in, 8);
	m->total = (int64_t) R(&in, 8);
	if (!in.ok || m->k < 1 || m->k > CJ_MEMORY_MAX_K || !InstantOk(m->first_at) ||
		!InstantOk(m->last_at) || m->total < 1)
		return Syntax(err, "The header is out of range.");
	n = RCount(&in, m->cap[CJ_MS_STRS], 4);
	for (int32_t i = 0; i < n && in.ok; i++)
	{
		int32_t		l = (int32_t) (uint32_t) R(&in, 4);
		CjMemStr   *s = cj_mem_strs(m) + i;

		if (l < 0 || l > CJ_MEMORY_MAX_TEXT || (size_t) l > in.left ||
			l > m->cap[CJ_MS_BYTES] - m->n[CJ_MS_BYTES])
			return Syntax(err, "A string is too long or truncated.");
		s->off = m->n[CJ_MS_BYTES];
		s->len = l;
		s->hash = cj_mem_hash((const char *) in.b, l);
		s->pad = 0;
		memcpy(cj_mem_bytes(m) + s->off, in.b, (size_t) l);
		in.b += l;
		in.left -= (size_t) l;
		m->n[CJ_MS_BYTES] += l;
		m->n[CJ_MS_STRS]++;
	}
	n = RCount(&in, m->k, CONTACT_WIRE);
	for (int32_t i = 0; i < n; i++)
		RContact(&in, cj_mem_recent(m) + i);
	m->n[CJ_MS_RECENT] = n;
	n = RCount(&in, m->cap[CJ_MS_DAYS], 16);
	for (int32_t i = 0; i < n; i++)
	{
		CjMemDay   *d = cj_mem_days(m) + i;

		d->day = (int32_t) (uint32_t) R(&in, 4);
		d->channel = (int32_t) (uint32_t) R(&in, 4);
		d->n = (int64_t) R(&in, 8);
	}
	m->n[CJ_MS_DAYS] = n;
	n = RCount(&in, m->cap[CJ_MS_CHANS], 8 + CONTACT_WIRE);
	for (int32_t i = 0; i < n; i++)
	{
		cj_mem_chans(m)[i].n = (int64_t) R(&in, 8);
		RContact(&in, &cj_mem_chans(m)[i].last);
	}
	m->n[CJ_MS_CHANS] = n;
	n = RCount(&in, m->cap[CJ_MS_TOPICS], 28);
	for (int32_t i = 0; i < n; i++)
	{
		CjMemTopic *t = cj_mem_topics(m) + i;

		t->topic = (int32_t) (uint32_t) R(&in, 4);
		t->pad = 0;
		t->n = (int64_t) R(&in, 8);
		t->at1 = (int64_t) R(&in, 8);
		t->at2 = (int64_t) R(&in, 8);
	}
	m->n[CJ_MS_TOPICS] = n;
	n = RCount(&in, m->cap[CJ_MS_CASES], 1 + 8 + 2 * CONTACT_WIRE);
	for (int32_t i = 0; i < n; i++)
	{
		CjMemCase  *c = cj_mem_cases(m) + i;

		if ((i & 1023) == 1023)
			cj_check_interrupts();
		c->flags = (int32_t) R(&in, 1);
		c->pad = 0;
		c->first_open_at = (int64_t) R(&in, 8);
		RContact(&in, &c->last);
		RContact(&in, &c->last_status);
	}
	m->n[CJ_MS_CASES] = n;
	if (!in.ok || in.left != 0)
		return Syntax(err, "The binary form is truncated, too long, or has a count out of range.");
	if (m->n[CJ_MS_RECENT] != (m->total < m->k ? m->total : m->k))
		return Syntax(err, "recent lists min(k, total) contacts.");
	return cj_memory_validate(m, err);
}
