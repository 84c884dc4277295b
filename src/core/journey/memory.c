/*-------------------------------------------------------------------------
 *
 * memory.c
 *	  Customer interaction memory: layout, in-place updates, exact merge,
 *	  canonical form and validation (pure C).
 *
 * Every loop here is bounded by the documented limits of memory.h (at
 * most CJ_MEMORY_MAX_DAYS day entries, CJ_MEMORY_MAX_CASES cases, ...),
 * and the long ones call cj_check_interrupts().
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/memory.h"

#include <limits.h>
#include <stdlib.h>

static const size_t ElemSize[CJ_MS_N] = {
	sizeof(CjMemContact), sizeof(CjMemDay), sizeof(CjMemChannel),
	sizeof(CjMemTopic), sizeof(CjMemCase), sizeof(CjMemStr), 1, 1
};

static const int32_t Limit[CJ_MS_N] = {
	CJ_MEMORY_MAX_K, CJ_MEMORY_MAX_DAYS, CJ_MEMORY_MAX_CHANNELS,
	CJ_MEMORY_MAX_TOPICS, CJ_MEMORY_MAX_CASES, INT32_MAX, INT32_MAX, INT32_MAX
};

static const char *const LimitWhat[CJ_MS_N] = {
	"recent contacts", "distinct (day, channel) pairs", "distinct channels",
	"distinct topics", "distinct case references", "strings", "string bytes",
	"log bytes"
};

static const char *const StatusName[CJ_ST_MAX + 1] = {
	NULL, "open", "pending", "resolved", "closed"
};

/* Largest value we ever build: well under PostgreSQL's 1 GB */
#define MAX_VALUE_SIZE ((size_t) 0x3FFFFFFF - 64)

static size_t
SectionOff(const int32_t cap[CJ_MS_N], int s)
{
	size_t		off = CJ_MEMORY_HDRSZ;

	for (int i = 0; i < s; i++)
		off += (size_t) cap[i] * ElemSize[i];
	return off;
}

size_t
cj_memory_size(const int32_t cap[CJ_MS_N])
{
	size_t		size = CJ_MEMORY_HDRSZ;

	for (int i = 0; i < CJ_MS_N; i++)
	{
		if (cap[i] < 0 || (size_t) cap[i] > MAX_VALUE_SIZE / ElemSize[i])
			return 0;
		size += (size_t) cap[i] * ElemSize[i];
		if (size > MAX_VALUE_SIZE)
			return 0;
	}
	return size;
}

CjMemContact *
cj_mem_recent(const CjMemory *m)
{
	return (CjMemContact *) ((char *) m + SectionOff(m->cap, CJ_MS_RECENT));
}

CjMemDay *
cj_mem_days(const CjMemory *m)
{
	return (CjMemDay *) ((char *) m + SectionOff(m->cap, CJ_MS_DAYS));
}

CjMemChannel *
cj_mem_chans(const CjMemory *m)
{
	return (CjMemChannel *) ((char *) m + SectionOff(m->cap, CJ_MS_CHANS));
}

CjMemTopic *
cj_mem_topics(const CjMemory *m)
{
	return (CjMemTopic *) ((char *) m + SectionOff(m->cap, CJ_MS_TOPICS));
}

CjMemCase *
cj_mem_cases(const CjMemory *m)
{
	return (CjMemCase *) ((char *) m + SectionOff(m->cap, CJ_MS_CASES));
}

CjMemStr *
cj_mem_strs(const CjMemory *m)
{
	return (CjMemStr *) ((char *) m + SectionOff(m->cap, CJ_MS_STRS));
}

char *
cj_mem_bytes(const CjMemory *m)
{
	return (char *) m + SectionOff(m->cap, CJ_MS_BYTES);
}

const char *
cj_mem_str(const CjMemory *m, int32_t id, int32_t *len)
{
	const CjMemStr *s;

	if (id < 0)
	{
		*len = -1;
		return NULL;
	}
	s = cj_mem_strs(m) + id;
	*len = s->len;
	return cj_mem_bytes(m) + s->off;
}

void
cj_memory_init(CjMemory *m, int k, const int32_t cap[CJ_MS_N])
{
	size_t		size = cj_memory_size(cap);

	memset((char *) m + sizeof(int32_t), 0, size - sizeof(int32_t));
	m->magic = CJ_MEMORY_MAGIC;
	m->version = CJ_MEMORY_VERSION;
	m->k = (uint16_t) k;
	memcpy(m->cap, cap, sizeof(m->cap));
}

bool
cj_memory_check_header(const CjMemory *m, size_t size, CjError *err)
{
	size_t		want;

	if (size < CJ_MEMORY_HDRSZ || m->magic != CJ_MEMORY_MAGIC)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The value is not a customer memory.");
		return false;
	}
	if (m->version != CJ_MEMORY_VERSION)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Customer memory layout version %d is not supported (expected %d).",
					 m->version, CJ_MEMORY_VERSION);
		return false;
	}
	want = cj_memory_size(m->cap);
	if (want == 0 || want != size || m->k < 1 || m->k > CJ_MEMORY_MAX_K ||
		m->total < 0 || m->reserved != 0 ||
		(m->flags & ~CJ_MEM_CANONICAL) != 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The customer memory header is inconsistent.");
		return false;
	}
	for (int i = 0; i < CJ_MS_N; i++)
		if (m->n[i] < 0 || m->n[i] > m->cap[i])
		{
			cj_error_set(err, CJ_ERR_PARAM, "The customer memory header is inconsistent.");
			return false;
		}
	if (m->n[CJ_MS_RECENT] > m->k ||
		(m->total > 0 && m->n[CJ_MS_RECENT] != (m->total < m->k ? m->total : m->k)) ||
		(m->total == 0 && m->n[CJ_MS_RECENT] != 0))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The customer memory header is inconsistent.");
		return false;
	}
	return true;
}

bool
cj_memory_status_code(const char *s, size_t len, int32_t *code)
{
	for (int i = 1; i <= CJ_ST_MAX; i++)
		if (strlen(StatusName[i]) == len && memcmp(StatusName[i], s, len) == 0)
		{
			*code = i;
			return true;
		}
	return false;
}

const char *
cj_memory_status_name(int32_t code)
{
	return (code >= 1 && code <= CJ_ST_MAX) ? StatusName[code] : NULL;
}

bool
cj_memory_check_input(const CjMemInput *in, CjError *err)
{
	static const char *const what[4] = {"channel", "agent", "topic", "ref"};

	for (int i = 0; i < 4; i++)
		if (in->str[i] &&
			(in->len[i] < 0 || in->len[i] > CJ_MEMORY_MAX_TEXT ||
			 memchr(in->str[i], '\0', (size_t) in->len[i]) != NULL))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "A %s is at most %d bytes long; got %d bytes.",
						 what[i], CJ_MEMORY_MAX_TEXT, (int) in->len[i]);
			return false;
		}
	if (in->status < 0 || in->status > CJ_ST_MAX)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Unknown status code %d.", (int) in->status);
		return false;
	}
	return true;
}

/* ---------- strings and the total order ---------- */

static int
StrCmp(const CjMemory *ma, int32_t a, const CjMemory *mb, int32_t b)
{
	const char *sa,
			   *sb;
	int32_t		la,
				lb;
	int			c;

	if (ma == mb && a == b)
		return 0;
	if (a < 0 || b < 0)
	{
		if (a < 0 && b < 0)
			return 0;
		return a < 0 ? -1 : 1;		/* NULL first */
	}
	sa = cj_mem_str(ma, a, &la);
	sb = cj_mem_str(mb, b, &lb);
	c = memcmp(sa, sb, (size_t) (la < lb ? la : lb));
	if (c != 0)
		return c < 0 ? -1 : 1;
	return (la > lb) - (la < lb);
}

int
cj_mem_contact_cmp(const CjMemory *ma, const CjMemContact *a,
				   const CjMemory *mb, const CjMemContact *b)
{
	int			c;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if ((c = StrCmp(ma, a->channel, mb, b->channel)) != 0)
		return c;
	if ((c = StrCmp(ma, a->agent, mb, b->agent)) != 0)
		return c;
	if ((c = StrCmp(ma, a->topic, mb, b->topic)) != 0)
		return c;
	if (a->status != b->status)
		return a->status < b->status ? -1 : 1;
	return StrCmp(ma, a->ref, mb, b->ref);
}

uint32_t
cj_mem_hash(const char *s, int32_t len)
{
	uint32_t	h = 2166136261u;

	for (int32_t i = 0; i < len; i++)
		h = (h ^ (unsigned char) s[i]) * 16777619u;
	return h;
}

/*
 * A string index: open addressing over a pool's string ids by their
 * stored hash, in caller memory (the scratch of a fold, a merge or a
 * canonical form), so interning costs a probe instead of a scan of the
 * pool, with the topic and case entries by string id beside it.  A pool
 * holds up to CJ_MEMORY_MAX_STRINGS strings (a customer with thousands of
 * cases), where scanning the pool, the topics and the cases for each
 * contact made folding and merging quadratic.  Without an index (NULL)
 * lookups scan, which small pools and one-off lookups want.
 */
typedef struct StrIndex
{
	int32_t    *slot;			/* string id, or -1 */
	uint32_t	mask;
	int32_t    *topic_of;		/* by string id: topic entry, or -1 */
	int32_t    *case_of;		/* by string id: case entry, or -1 */
	int32_t		null_topic;		/* topic entry of NULL topics, or -1 */
	CjMemStr   *strs;			/* the indexed memory's pool (its sections */
	char	   *bytes;			/* do not move while an index is in use) */
} StrIndex;

/* Slots of an index for a pool of cap strings: a power of two >= 2 cap */
static size_t
IndexSlots(int32_t cap)
{
	size_t		n = 16;

	while (n < 2 * (size_t) (cap > 0 ? cap : 0))
		n *= 2;
	return n;
}

/* Bytes of an index for a pool of cap strings */
static size_t
IndexBytes(int32_t cap)
{
	return (IndexSlots(cap) + 2 * (size_t) (cap > 0 ? cap : 0)) * sizeof(int32_t);
}

/* Put string id of m into ix */
static void
IndexAdd(StrIndex *ix, int32_t id)
{
	uint32_t	h = ix->strs[id].hash & ix->mask;

	while (ix->slot[h] >= 0)
		h = (h + 1) & ix->mask;
	ix->slot[h] = id;
}

/* Record topic entry i (of string topic) in ix */
static void
IndexTopic(StrIndex *ix, int32_t topic, int32_t i)
{
	if (ix == NULL)
		return;
	if (topic < 0)
		ix->null_topic = i;
	else
		ix->topic_of[topic] = i;
}

/* Record case entry i (of string ref) in ix */
static void
IndexCase(StrIndex *ix, int32_t ref, int32_t i)
{
	if (ix)
		ix->case_of[ref] = i;
}

/*
 * An index of m's pool, topics and cases in mem (size bytes), or NULL
 * when mem is too small for the pool's capacity
 */
static StrIndex *
IndexBuild(StrIndex *ix, void *mem, size_t size, const CjMemory *m)
{
	int32_t		cap = m->cap[CJ_MS_STRS];
	size_t		nslots = IndexSlots(cap);

	if (mem == NULL || size < IndexBytes(cap))
		return NULL;
	ix->slot = mem;
	ix->mask = (uint32_t) (nslots - 1);
	ix->topic_of = ix->slot + nslots;
	ix->case_of = ix->topic_of + cap;
	ix->null_topic = -1;
	ix->strs = cj_mem_strs(m);
	ix->bytes = cj_mem_bytes(m);
	memset(mem, 0xFF, IndexBytes(cap));	/* every entry -1 */
	for (int32_t i = 0; i < m->n[CJ_MS_STRS]; i++)
		IndexAdd(ix, i);
	for (int32_t i = 0; i < m->n[CJ_MS_TOPICS]; i++)
		IndexTopic(ix, cj_mem_topics(m)[i].topic, i);
	for (int32_t i = 0; i < m->n[CJ_MS_CASES]; i++)
		IndexCase(ix, cj_mem_cases(m)[i].last.ref, i);
	return ix;
}

/* Slot of a string in m's pool, -1 if absent */
static int32_t
StrFindHashed(const CjMemory *m, const StrIndex *ix, const char *s,
			  int32_t len, uint32_t h)
{
	const CjMemStr *strs;
	const char *bytes;

	if (ix)
	{
		for (uint32_t i = h & ix->mask; ix->slot[i] >= 0; i = (i + 1) & ix->mask)
		{
			const CjMemStr *e = &ix->strs[ix->slot[i]];

			if (e->hash == h && e->len == len &&
				memcmp(ix->bytes + e->off, s, (size_t) len) == 0)
				return ix->slot[i];
		}
		return -1;
	}
	strs = cj_mem_strs(m);
	bytes = cj_mem_bytes(m);
	for (int32_t i = 0; i < m->n[CJ_MS_STRS]; i++)
		if (strs[i].hash == h && strs[i].len == len &&
			memcmp(bytes + strs[i].off, s, (size_t) len) == 0)
			return i;
	return -1;
}

static int32_t
StrFind(const CjMemory *m, const StrIndex *ix, const char *s, int32_t len)
{
	return StrFindHashed(m, ix, s, len, cj_mem_hash(s, len));
}

static int32_t StrIntern(CjMemory *m, StrIndex *ix, const char *s, int32_t len);

int32_t
cj_mem_intern(CjMemory *m, const char *s, int32_t len)
{
	int32_t		id;

	if (s == NULL)
		return -1;
	if ((id = StrFind(m, NULL, s, len)) >= 0)
		return id;
	if (m->n[CJ_MS_STRS] >= m->cap[CJ_MS_STRS] ||
		len > m->cap[CJ_MS_BYTES] - m->n[CJ_MS_BYTES])
		return -2;
	return StrIntern(m, NULL, s, len);
}

/* Slot of a string, adding it (room must have been checked); NULL -> -1 */
static int32_t
StrIntern(CjMemory *m, StrIndex *ix, const char *s, int32_t len)
{
	int32_t		id;
	CjMemStr   *e;

	uint32_t	h;

	if (s == NULL)
		return -1;
	h = cj_mem_hash(s, len);
	if ((id = StrFindHashed(m, ix, s, len, h)) >= 0)
		return id;
	id = m->n[CJ_MS_STRS]++;
	e = (ix ? ix->strs : cj_mem_strs(m)) + id;
	e->off = m->n[CJ_MS_BYTES];
	e->len = len;
	e->hash = h;
	e->pad = 0;
	memcpy((ix ? ix->bytes : cj_mem_bytes(m)) + e->off, s, (size_t) len);
	m->n[CJ_MS_BYTES] += len;
	if (ix)
		IndexAdd(ix, id);
	return id;
}

/* Translate a contact of src into dst's string slots (room checked) */
static CjMemContact
Translate(CjMemory *dst, StrIndex *ix, const CjMemory *src, const CjMemContact *c)
{
	CjMemContact t = *c;
	const CjMemStr *ss;
	const char *sb;
	const int32_t *from[4] = {&c->channel, &c->agent, &c->topic, &c->ref};
	int32_t    *to[4] = {&t.channel, &t.agent, &t.topic, &t.ref};

	if (dst == src)
		return t;
	/* src's pool located once for the four strings */
	ss = cj_mem_strs(src);
	sb = cj_mem_bytes(src);
	for (int i = 0; i < 4; i++)
	{
		int32_t		id = *from[i];

		*to[i] = id < 0 ? -1 :
			StrIntern(dst, ix, sb + ss[id].off, ss[id].len);
	}
	return t;
}

static int32_t
TranslateId(CjMemory *dst, StrIndex *ix, const CjMemory *src, int32_t id)
{
	const char *s;
	int32_t		len;

	s = cj_mem_str(src, id, &len);
	return StrIntern(dst, ix, s, len);
}

/* ---------- section lookups ---------- */

int32_t
cj_mem_utc_day(int64_t at)
{
	int64_t		d = at / INT64_C(86400000000);

	if (at % INT64_C(86400000000) < 0)
		d--;
	return (int32_t) d;
}

/* First day entry with day >= d */
static int32_t
DayLower(const CjMemory *m, int32_t d)
{
	const CjMemDay *days = cj_mem_days(m);
	int32_t		lo = 0,
				hi = m->n[CJ_MS_DAYS];

	/* time-ordered input usually lands on the last day */
	if (hi > 0 && days[hi - 1].day < d)
		return hi;
	while (lo < hi)
	{
		int32_t		mid = lo + (hi - lo) / 2;

		if (days[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of (d, channel) or -(insert position) - 1 */
static int32_t
DayFind(const CjMemory *m, int32_t d, int32_t channel)
{
	const CjMemDay *days = cj_mem_days(m);
	int32_t		i = DayLower(m, d);

	for (; i < m->n[CJ_MS_DAYS] && days[i].day == d; i++)
		if (days[i].channel == channel)
			return i;
	return -i - 1;
}

static int32_t
ChanFind(const CjMemory *m, int32_t channel)
{
	const CjMemChannel *c = cj_mem_chans(m);

	for (int32_t i = 0; i < m->n[CJ_MS_CHANS]; i++)
		if (c[i].last.channel == channel)
			return i;
	return -1;
}

int32_t
cj_mem_find_channel(const CjMemory *m, const char *s, int32_t len)
{
	int32_t		id = -1;

	if (s != NULL && (id = StrFind(m, NULL, s, len)) < 0)
		return -1;
	return ChanFind(m, id);
}

int32_t
cj_mem_find_topic(const CjMemory *m, int32_t topic)
{
	const CjMemTopic *t = cj_mem_topics(m);

	for (int32_t i = 0; i < m->n[CJ_MS_TOPICS]; i++)
		if (t[i].topic == topic)
			return i;
	return -1;
}

/* Entry of topic string topic (-1: NULL) through ix when there is one */
static int32_t
TopicFind(const CjMemory *m, const StrIndex *ix, int32_t topic)
{
	if (ix == NULL)
		return cj_mem_find_topic(m, topic);
	return topic < 0 ? ix->null_topic : ix->topic_of[topic];
}

static int32_t CaseFind(const CjMemory *m, int32_t ref);

/* Entry of case reference ref (>= 0) through ix when there is one */
static int32_t
CaseFindIx(const CjMemory *m, const StrIndex *ix, int32_t ref)
{
	return ix ? ix->case_of[ref] : CaseFind(m, ref);
}

static int32_t
CaseFind(const CjMemory *m, int32_t ref)
{
	const CjMemCase *c = cj_mem_cases(m);

	for (int32_t i = 0; i < m->n[CJ_MS_CASES]; i++)
		if (c[i].last.ref == ref)
			return i;
	return -1;
}

/* ---------- updates ---------- */

static bool
LimitError(int s, CjError *err)
{
	cj_error_set(err, CJ_ERR_LIMIT,
				 "A customer memory holds at most %d %s.", (int) Limit[s], LimitWhat[s]);
	return false;
}

static bool
AddCount(int64_t *n, int64_t v, CjError *err)
{
	if (__builtin_add_overflow(*n, v, n))
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A contact count exceeds the range of bigint.");
		return false;
	}
	return true;
}

void
cj_memory_lower_k(CjMemory *m, int k)
{
	if (k < m->k)
	{
		m->k = (uint16_t) k;
		if (m->n[CJ_MS_RECENT] > k)
			m->n[CJ_MS_RECENT] = k;
	}
}

/* Insert c into the recent list (newest first, at most k) */
static void
RecentInsert(CjMemory *m, const CjMemContact *c)
{
	CjMemContact *r = cj_mem_recent(m);
	int32_t		n = m->n[CJ_MS_RECENT];
	int32_t		i = n;

	while (i > 0 && cj_mem_contact_cmp(m, c, m, &r[i - 1]) > 0)
		i--;
	if (i >= m->k)
		return;
	if (n == m->k)
		n--;
	memmove(&r[i + 1], &r[i], (size_t) (n - i) * sizeof(CjMemContact));
	r[i] = *c;
	m->n[CJ_MS_RECENT] = n + 1;
}

static void
TopicAt(CjMemTopic *t, int64_t at)
{
	/* called after t->n was incremented */
	if (t->n == 1)
		t->at1 = at;
	else if (at > t->at1 || (t->n == 2 && at == t->at1))
	{
		t->at2 = t->at1;
		t->at1 = at;
	}
	else if (t->n == 2 || at > t->at2)
		t->at2 = at;
}

static void
CaseUpdate(CjMemory *m, CjMemCase *cs, const CjMemContact *c, bool fresh)
{
	if (fresh || cj_mem_contact_cmp(m, c, m, &cs->last) > 0)
		cs->last = *c;
	if (c->status != CJ_ST_NULL)
	{
		if (!(cs->flags & CJ_CASE_HAS_STATUS) ||
			cj_mem_contact_cmp(m, c, m, &cs->last_status) > 0)
			cs->last_status = *c;
		cs->flags |= CJ_CASE_HAS_STATUS;
		if (c->status == CJ_ST_OPEN &&
			(!(cs->flags & CJ_CASE_HAS_OPEN) || c->at < cs->first_open_at))
		{
			cs->first_open_at = c->at;
			cs->flags |= CJ_CASE_HAS_OPEN;
		}
		if (c->status == CJ_ST_RESOLVED || c->status == CJ_ST_CLOSED)
			cs->flags |= CJ_CASE_REOPENABLE;
	}
}

static CjMemAdd AddContact(CjMemory *m, StrIndex *ix, const CjMemInput *in,
						   int k, CjError *err);

CjMemAdd
cj_memory_add(CjMemory *m, const CjMemInput *in, int k, CjError *err)
{
	return AddContact(m, NULL, in, k, err);
}

/* cj_memory_add, strings looked up through ix when there is one */
static CjMemAdd
AddContact(CjMemory *m, StrIndex *ix, const CjMemInput *in, int k,
		   CjError *err)
{
	int32_t		id[4];
	int32_t		newstr = 0,
				newbytes = 0;
	int32_t		day = cj_mem_utc_day(in->at);
	int32_t		di,
				ci = -1,
				ti = -1,
				ki = -1;
	CjMemContact c;

	/* look everything up first: nothing changes unless all fits */
	for (int i = 0; i < 4; i++)
	{
		id[i] = -1;
		if (in->str[i] && (id[i] = StrFind(m, ix, in->str[i], in->len[i])) < 0)
		{
			id[i] = -2;			/* new */
			newstr++;
			newbytes += in->len[i];
		}
	}
	di = id[0] == -2 ? -1 : DayFind(m, day, id[0]);
	if (id[0] != -2)
		ci = ChanFind(m, id[0]);
	if (id[2] != -2)
		ti = TopicFind(m, ix, id[2]);
	if (in->str[3] && id[3] != -2)
		ki = CaseFindIx(m, ix, id[3]);

	if (di < 0 && m->n[CJ_MS_DAYS] >= CJ_MEMORY_MAX_DAYS)
		return LimitError(CJ_MS_DAYS, err), CJ_MEM_ERROR;
	if (ci < 0 && m->n[CJ_MS_CHANS] >= CJ_MEMORY_MAX_CHANNELS)
		return LimitError(CJ_MS_CHANS, err), CJ_MEM_ERROR;
	if (ti < 0 && m->n[CJ_MS_TOPICS] >= CJ_MEMORY_MAX_TOPICS)
		return LimitError(CJ_MS_TOPICS, err), CJ_MEM_ERROR;
	if (in->str[3] && ki < 0 && m->n[CJ_MS_CASES] >= CJ_MEMORY_MAX_CASES)
		return LimitError(CJ_MS_CASES, err), CJ_MEM_ERROR;
	if (m->total == INT64_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A contact count exceeds the range of bigint.");
		return CJ_MEM_ERROR;
	}
	if (m->cap[CJ_MS_RECENT] < m->k ||
		m->n[CJ_MS_STRS] + newstr > m->cap[CJ_MS_STRS] ||
		m->n[CJ_MS_BYTES] + newbytes > m->cap[CJ_MS_BYTES] ||
		(di < 0 && m->n[CJ_MS_DAYS] >= m->cap[CJ_MS_DAYS]) ||
		(ci < 0 && m->n[CJ_MS_CHANS] >= m->cap[CJ_MS_CHANS]) ||
		(ti < 0 && m->n[CJ_MS_TOPICS] >= m->cap[CJ_MS_TOPICS]) ||
		(in->str[3] && ki < 0 && m->n[CJ_MS_CASES] >= m->cap[CJ_MS_CASES]))
		return CJ_MEM_FULL;

	/* now apply */
	c.at = in->at;
	/* only new strings need interning (which also merges equal new ones) */
	c.channel = id[0] != -2 ? id[0] : StrIntern(m, ix, in->str[0], in->len[0]);
	c.agent = id[1] != -2 ? id[1] : StrIntern(m, ix, in->str[1], in->len[1]);
	c.topic = id[2] != -2 ? id[2] : StrIntern(m, ix, in->str[2], in->len[2]);
	c.ref = id[3] != -2 ? id[3] : StrIntern(m, ix, in->str[3], in->len[3]);
	c.status = in->status;
	c.pad = 0;

	cj_memory_lower_k(m, k);
	if (m->total == 0 || in->at < m->first_at)
		m->first_at = in->at;
	if (m->total == 0 || in->at > m->last_at)
		m->last_at = in->at;
	m->total++;
	RecentInsert(m, &c);

	if (di < 0)
	{
		CjMemDay   *days = cj_mem_days(m);

		di = -di - 1;
		if (id[0] == -2)
			di = -DayFind(m, day, c.channel) - 1;
		memmove(&days[di + 1], &days[di],
				(size_t) (m->n[CJ_MS_DAYS] - di) * sizeof(CjMemDay));
		days[di].day = day;
		days[di].channel = c.channel;
		days[di].n = 0;
		m->n[CJ_MS_DAYS]++;
	}
	cj_mem_days(m)[di].n++;

	if (ci < 0)
	{
		CjMemChannel *ch = cj_mem_chans(m) + m->n[CJ_MS_CHANS]++;

		ch->n = 1;
		ch->last = c;
	}
	else
	{
		CjMemChannel *ch = cj_mem_chans(m) + ci;

		ch->n++;
		if (cj_mem_contact_cmp(m, &c, m, &ch->last) > 0)
			ch->last = c;
	}

	{
		CjMemTopic *t;

		if (ti < 0)
		{
			IndexTopic(ix, c.topic, m->n[CJ_MS_TOPICS]);
			t = cj_mem_topics(m) + m->n[CJ_MS_TOPICS]++;
			memset(t, 0, sizeof(*t));
			t->topic = c.topic;
		}
		else
			t = cj_mem_topics(m) + ti;
		t->n++;
		TopicAt(t, c.at);
	}

	if (c.ref >= 0)
	{
		CjMemCase  *cs;
		bool		fresh = ki < 0;

		if (fresh)
		{
			IndexCase(ix, c.ref, m->n[CJ_MS_CASES]);
			cs = cj_mem_cases(m) + m->n[CJ_MS_CASES]++;
			memset(cs, 0, sizeof(*cs));
		}
		else
			cs = cj_mem_cases(m) + ki;
		CaseUpdate(m, cs, &c, fresh);
	}
	m->flags &= ~CJ_MEM_CANONICAL;
	return CJ_MEM_ADDED;
}

static int32_t
GrowCap(int32_t cap, int32_t need, int32_t limit)
{
	int64_t		c = (int64_t) cap * 2;

	if (c < need)
		c = need;
	if (c < 2)
		c = 2;
	if (c > limit)
		c = limit;
	return (int32_t) c;
}

/* ---------- the log ---------- */

/*
 * A log entry: int64 occurred_at (unaligned, memcpy), uint8 status, four
 * uint8 lengths (255 for NULL; strings are at most 200 bytes), then the
 * bytes of channel, agent, topic and ref.  Compact, so that a hash
 * aggregate over many customers keeps small states.
 */
#define LOG_HDR 13
#define LOG_NULL 255

size_t
cj_memory_log_entry_size(const CjMemInput *in)
{
	size_t		size = LOG_HDR;

	for (int i = 0; i < 4; i++)
		if (in->str[i])
			size += (size_t) in->len[i];
	return size;
}

bool
cj_memory_log_append(CjMemory *m, const CjMemInput *in)
{
	size_t		size = cj_memory_log_entry_size(in);
	unsigned char *e;
	size_t		off = LOG_HDR;

	if ((size_t) (m->cap[CJ_MS_LOG] - m->n[CJ_MS_LOG]) < size)
		return false;
	e = (unsigned char *) m + SectionOff(m->cap, CJ_MS_LOG) + m->n[CJ_MS_LOG];
	memcpy(e, &in->at, 8);
	e[8] = (unsigned char) in->status;
	for (int i = 0; i < 4; i++)
	{
		e[9 + i] = in->str[i] ? (unsigned char) in->len[i] : LOG_NULL;
		if (in->str[i])
		{
			memcpy(e + off, in->str[i], (size_t) in->len[i]);
			off += (size_t) in->len[i];
		}
	}
	m->n[CJ_MS_LOG] += (int32_t) size;
	m->flags &= ~CJ_MEM_CANONICAL;
	return true;
}

/* Decode the log entry at offset *pos into in; false if malformed */
static bool
LogEntry(const CjMemory *m, int32_t *pos, CjMemInput *in)
{
	const unsigned char *base = (const unsigned char *) m + SectionOff(m->cap, CJ_MS_LOG);
	size_t		left = (size_t) (m->n[CJ_MS_LOG] - *pos);
	const unsigned char *e = base + *pos;
	size_t		off = LOG_HDR;

	if (*pos < 0 || left < LOG_HDR)
		return false;
	memcpy(&in->at, e, 8);
	in->status = e[8];
	for (int i = 0; i < 4; i++)
	{
		int			l = e[9 + i];

		if (l == LOG_NULL)
		{
			in->str[i] = NULL;
			in->len[i] = 0;
			continue;
		}
		if (l > CJ_MEMORY_MAX_TEXT || (size_t) l > left - off)
			return false;
		in->str[i] = (const char *) e + off;
		in->len[i] = l;
		off += (size_t) l;
	}
	if (in->status > CJ_ST_MAX ||
		in->at < INT64_C(-211813488000000000) || in->at >= INT64_C(9223371331200000000))
		return false;
	*pos += (int32_t) off;
	return true;
}

void
cj_memory_fold_caps(const CjMemory *m, bool keep_log, int32_t cap[CJ_MS_N])
{
	int32_t		entries = 0;
	int32_t		pos = 0;
	CjMemInput	in;

	while (pos < m->n[CJ_MS_LOG] && LogEntry(m, &pos, &in))
		entries++;
	memcpy(cap, m->cap, sizeof(int32_t) * CJ_MS_N);
	if (cap[CJ_MS_RECENT] < m->k)
		cap[CJ_MS_RECENT] = m->k;
	for (int s = CJ_MS_DAYS; s <= CJ_MS_CASES; s++)
	{
		int64_t		want = (int64_t) m->n[s] + entries;

		if (want > Limit[s])
			want = Limit[s];
		if (want > cap[s])
			cap[s] = (int32_t) want;
	}
	if (m->n[CJ_MS_STRS] + 4 * entries > cap[CJ_MS_STRS])
		cap[CJ_MS_STRS] = m->n[CJ_MS_STRS] + 4 * entries;
	if (m->n[CJ_MS_BYTES] + m->n[CJ_MS_LOG] > cap[CJ_MS_BYTES])
		cap[CJ_MS_BYTES] = m->n[CJ_MS_BYTES] + m->n[CJ_MS_LOG];
	if (!keep_log)
		cap[CJ_MS_LOG] = m->n[CJ_MS_LOG];
}

size_t
cj_memory_fold_scratch(const CjMemory *m)
{
	return IndexBytes(m->cap[CJ_MS_STRS]);
}

CjMemAdd
cj_memory_fold(CjMemory *m, void *scratch, size_t scratch_size, CjError *err)
{
	int32_t		pos = 0;
	int32_t		done = 0;
	CjMemInput	in;
	CjMemAdd	r = CJ_MEM_ADDED;
	StrIndex	index;
	StrIndex   *ix = IndexBuild(&index, scratch, scratch_size, m);

	while (pos < m->n[CJ_MS_LOG])
	{
		if (!LogEntry(m, &pos, &in))
		{
			cj_error_set(err, CJ_ERR_PARAM, "The customer memory's contact log is corrupt.");
			return CJ_MEM_ERROR;
		}
		if ((r = AddContact(m, ix, &in, m->k, err)) != CJ_MEM_ADDED)
			break;
		done = pos;
	}
	if (done > 0)
	{
		char	   *base = (char *) m + SectionOff(m->cap, CJ_MS_LOG);

		memmove(base, base + done, (size_t) (m->n[CJ_MS_LOG] - done));
		m->n[CJ_MS_LOG] -= done;
	}
	return r;
}

void
cj_memory_grow_caps(const CjMemory *m, const CjMemInput *in, int32_t cap[CJ_MS_N])
{
	int32_t		need = 0;

	for (int i = 0; i < 4; i++)
		if (in->str[i])
			need += in->len[i];
	/*
	 * Live strings are at most four per contact kept; the copy drops the
	 * others, so size the pool for the live ones plus one contact.
	 */
	cap[CJ_MS_RECENT] = m->k;
	for (int s = CJ_MS_DAYS; s <= CJ_MS_CASES; s++)
		cap[s] = m->n[s] < m->cap[s] ? m->cap[s] :
			GrowCap(m->cap[s], m->n[s] + 1, Limit[s]);
	cap[CJ_MS_STRS] = m->n[CJ_MS_STRS] + m->n[CJ_MS_STRS] / 2 + 4;
	cap[CJ_MS_BYTES] = m->n[CJ_MS_BYTES] + m->n[CJ_MS_BYTES] / 2 + need + 16;
	cap[CJ_MS_LOG] = m->cap[CJ_MS_LOG];
}

void
cj_memory_copy_into(CjMemory *dst, const CjMemory *src)
{
	for (int s = 0; s < CJ_MS_N; s++)
		memcpy((char *) dst + SectionOff(dst->cap, s),
			   (const char *) src + SectionOff(src->cap, s),
			   (size_t) src->n[s] * ElemSize[s]);
	memcpy(dst->n, src->n, sizeof(dst->n));
	dst->k = src->k;
	dst->flags = src->flags;
	dst->first_at = src->first_at;
	dst->last_at = src->last_at;
	dst->total = src->total;
}

void
cj_memory_merge_caps(const CjMemory *a, const CjMemory *b, int32_t cap[CJ_MS_N])
{
	cap[CJ_MS_RECENT] = b && b->k < a->k ? b->k : a->k;
	cap[CJ_MS_LOG] = 0;
	for (int s = CJ_MS_DAYS; s < CJ_MS_LOG; s++)
	{
		int64_t		c = (int64_t) a->n[s] + (b ? b->n[s] : 0);

		if (c > Limit[s])
			c = Limit[s];
		cap[s] = (int32_t) c;
	}
}

/* Merge the day entries of src into dst (both sorted by day) */
static bool
MergeDays(CjMemory *dst, StrIndex *ix, const CjMemory *src, CjMemDay *scratch,
		  CjError *err)
{
	CjMemDay   *d = cj_mem_days(dst);
	const CjMemDay *s = cj_mem_days(src);
	int32_t		n = dst->n[CJ_MS_DAYS];
	int32_t		added = 0;

	/* add to existing entries; new ones go after the old, in day order */
	for (int32_t j = 0; j < src->n[CJ_MS_DAYS]; j++)
	{
		int32_t		ch = TranslateId(dst, ix, src, s[j].channel);
		int32_t		i;

		if ((j & 1023) == 1023)
			cj_check_interrupts();
		/* search the old entries only (the new ones are distinct) */
		dst->n[CJ_MS_DAYS] = n;
		i = DayFind(dst, s[j].day, ch);
		dst->n[CJ_MS_DAYS] = n + added;
		if (i >= 0)
		{
			if (!AddCount(&d[i].n, s[j].n, err))
				return false;
			continue;
		}
		if (n + added >= dst->cap[CJ_MS_DAYS])
			return LimitError(CJ_MS_DAYS, err);
		d[n + added].day = s[j].day;
		d[n + added].channel = ch;
		d[n + added].n = s[j].n;
		added++;
		dst->n[CJ_MS_DAYS] = n + added;
	}
	/* merge the two sorted runs (stable by day) through the scratch */
	if (added > 0 && n > 0 && d[n].day < d[n - 1].day)
	{
		int32_t		i = 0,
					j = n,
					w = 0;

		while (i < n || j < n + added)
		{
			if (j >= n + added || (i < n && d[i].day <= d[j].day))
				scratch[w++] = d[i++];
			else
				scratch[w++] = d[j++];
		}
		memcpy(d, scratch, (size_t) w * sizeof(CjMemDay));
	}
	return true;
}

/*
 * Merge scratch: the day entries' merge buffer (room for dst's day
 * capacity), then dst's string index
 */
static size_t
MergeDayBytes(const int32_t cap[CJ_MS_N])
{
	return ((size_t) cap[CJ_MS_DAYS] * sizeof(CjMemDay) + 7) & ~(size_t) 7;
}

size_t
cj_memory_merge_scratch(const CjMemory *a, const CjMemory *b)
{
	int32_t		cap[CJ_MS_N];

	cj_memory_merge_caps(a, b, cap);
	return MergeDayBytes(cap) + IndexBytes(cap[CJ_MS_STRS]);
}

bool
cj_memory_merge_into(CjMemory *dst, const CjMemory *src, void *scratch,
					 size_t scratch_size, CjError *err)
{
	size_t		days = MergeDayBytes(dst->cap);
	StrIndex	index;
	StrIndex   *ix;

	if (scratch_size < days)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The merge scratch is too small.");
		return false;
	}
	ix = IndexBuild(&index, (char *) scratch + days, scratch_size - days, dst);
	if (src->n[CJ_MS_LOG] != 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "A customer memory must be folded before a merge.");
		return false;
	}
	if (src->total == 0)
		return true;
	cj_memory_lower_k(dst, src->k);
	if (dst->total == 0 || src->first_at < dst->first_at)
		dst->first_at = src->first_at;
	if (dst->total == 0 || src->last_at > dst->last_at)
		dst->last_at = src->last_at;
	if (!AddCount(&dst->total, src->total, err))
		return false;

	/* recent: top K of the two lists */
	{
		CjMemContact merged[CJ_MEMORY_MAX_K];
		CjMemContact *r = cj_mem_recent(dst);
		const CjMemContact *sr = cj_mem_recent(src);
		int32_t		i = 0,
					j = 0,
					n = 0;

		while (n < dst->k && (i < dst->n[CJ_MS_RECENT] || j < src->n[CJ_MS_RECENT]))
		{
			CjMemContact t;

			if (j < src->n[CJ_MS_RECENT])
				t = Translate(dst, ix, src, &sr[j]);
			if (j >= src->n[CJ_MS_RECENT] ||
				(i < dst->n[CJ_MS_RECENT] && cj_mem_contact_cmp(dst, &r[i], dst, &t) >= 0))
				merged[n++] = r[i++];
			else
			{
				merged[n++] = t;
				j++;
			}
		}
		memcpy(r, merged, (size_t) n * sizeof(CjMemContact));
		dst->n[CJ_MS_RECENT] = n;
	}

	if (!MergeDays(dst, ix, src, scratch, err))
		return false;

	for (int32_t j = 0; j < src->n[CJ_MS_CHANS]; j++)
	{
		const CjMemChannel *sc = cj_mem_chans(src) + j;
		CjMemContact t = Translate(dst, ix, src, &sc->last);
		int32_t		i = ChanFind(dst, t.channel);

		if (i < 0)
		{
			if (dst->n[CJ_MS_CHANS] >= dst->cap[CJ_MS_CHANS])
				return LimitError(CJ_MS_CHANS, err);
			i = dst->n[CJ_MS_CHANS]++;
			cj_mem_chans(dst)[i].n = 0;
			cj_mem_chans(dst)[i].last = t;
		}
		else if (cj_mem_contact_cmp(dst, &t, dst, &cj_mem_chans(dst)[i].last) > 0)
			cj_mem_chans(dst)[i].last = t;
		if (!AddCount(&cj_mem_chans(dst)[i].n, sc->n, err))
			return false;
	}

	for (int32_t j = 0; j < src->n[CJ_MS_TOPICS]; j++)
	{
		const CjMemTopic *st = cj_mem_topics(src) + j;
		int32_t		tp = TranslateId(dst, ix, src, st->topic);
		int32_t		i = TopicFind(dst, ix, tp);
		CjMemTopic *t;
		int64_t		v[4];
		int			nv = 0;

		if ((j & 255) == 255)
			cj_check_interrupts();
		if (i < 0)
		{
			if (dst->n[CJ_MS_TOPICS] >= dst->cap[CJ_MS_TOPICS])
				return LimitError(CJ_MS_TOPICS, err);
			i = dst->n[CJ_MS_TOPICS]++;
			IndexTopic(ix, tp, i);
			t = cj_mem_topics(dst) + i;
			memset(t, 0, sizeof(*t));
			t->topic = tp;
		}
		t = cj_mem_topics(dst) + i;
		/* the two greatest of the (up to four) instants */
		if (t->n >= 1)
			v[nv++] = t->at1;
		if (t->n >= 2)
			v[nv++] = t->at2;
		v[nv++] = st->at1;
		if (st->n >= 2)
			v[nv++] = st->at2;
		for (int a = 0; a < 2 && a < nv; a++)
			for (int b = a + 1; b < nv; b++)
				if (v[b] > v[a])
				{
					int64_t		x = v[a];

					v[a] = v[b];
					v[b] = x;
				}
		if (!AddCount(&t->n, st->n, err))
			return false;
		t->at1 = v[0];
		t->at2 = t->n >= 2 ? v[1] : 0;
	}

	for (int32_t j = 0; j < src->n[CJ_MS_CASES]; j++)
	{
		const CjMemCase *sc = cj_mem_cases(src) + j;
		CjMemContact last = Translate(dst, ix, src, &sc->last);
		int32_t		i = CaseFindIx(dst, ix, last.ref);
		CjMemCase  *c;

		if ((j & 255) == 255)
			cj_check_interrupts();
		if (i < 0)
		{
			if (dst->n[CJ_MS_CASES] >= dst->cap[CJ_MS_CASES])
				return LimitError(CJ_MS_CASES, err);
			IndexCase(ix, last.ref, dst->n[CJ_MS_CASES]);
			c = cj_mem_cases(dst) + dst->n[CJ_MS_CASES]++;
			*c = *sc;
			c->last = last;
			if (sc->flags & CJ_CASE_HAS_STATUS)
				c->last_status = Translate(dst, ix, src, &sc->last_status);
			continue;
		}
		c = cj_mem_cases(dst) + i;
		if (cj_mem_contact_cmp(dst, &last, dst, &c->last) > 0)
			c->last = last;
		if (sc->flags & CJ_CASE_HAS_STATUS)
		{
			CjMemContact ls = Translate(dst, ix, src, &sc->last_status);

			if (!(c->flags & CJ_CASE_HAS_STATUS) ||
				cj_mem_contact_cmp(dst, &ls, dst, &c->last_status) > 0)
				c->last_status = ls;
		}
		if ((sc->flags & CJ_CASE_HAS_OPEN) &&
			(!(c->flags & CJ_CASE_HAS_OPEN) || sc->first_open_at < c->first_open_at))
			c->first_open_at = sc->first_open_at;
		c->flags |= sc->flags;
	}
	dst->flags &= ~CJ_MEM_CANONICAL;
	return true;
}

/* ---------- canonical form ---------- */

typedef int (*CmpFn) (const void *ctx, const void *a, const void *b);

/* Stable merge sort of n elements of size sz, with scratch of n * sz */
static void
MergeSort(char *base, size_t n, size_t sz, char *tmp, CmpFn cmp, const void *ctx)
{
	size_t		h;

	if (n < 2)
		return;
	h = n / 2;
	MergeSort(base, h, sz, tmp, cmp, ctx);
	MergeSort(base + h * sz, n - h, sz, tmp, cmp, ctx);
	{
		size_t		i = 0,
					j = h,
					w = 0;

		while (i < h || j < n)
		{
			if (j >= n || (i < h && cmp(ctx, base + i * sz, base + j * sz) <= 0))
				memcpy(tmp + (w++) * sz, base + (i++) * sz, sz);
			else
				memcpy(tmp + (w++) * sz, base + (j++) * sz, sz);
		}
		memcpy(base, tmp, n * sz);
	}
}

static int
DayCmp(const void *ctx, const void *a, const void *b)
{
	const CjMemDay *x = a,
			   *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return StrCmp(ctx, x->channel, ctx, y->channel);
}

static int
ChanCmp(const void *ctx, const void *a, const void *b)
{
	return StrCmp(ctx, ((const CjMemChannel *) a)->last.channel,
				  ctx, ((const CjMemChannel *) b)->last.channel);
}

static int
TopicCmp(const void *ctx, const void *a, const void *b)
{
	return StrCmp(ctx, ((const CjMemTopic *) a)->topic,
				  ctx, ((const CjMemTopic *) b)->topic);
}

static int
CaseCmp(const void *ctx, const void *a, const void *b)
{
	return StrCmp(ctx, ((const CjMemCase *) a)->last.ref,
				  ctx, ((const CjMemCase *) b)->last.ref);
}

void
cj_memory_canonical_caps(const CjMemory *src, int32_t cap[CJ_MS_N])
{
	cap[CJ_MS_RECENT] = src->k;
	for (int s = CJ_MS_DAYS; s < CJ_MS_LOG; s++)
		cap[s] = src->n[s];
	cap[CJ_MS_LOG] = 0;
}

/*
 * Canonical-form scratch: the merge sort's buffer (the largest section),
 * then the string index of the canonical pool (src's live strings at most)
 */
static size_t
CanonSortBytes(const CjMemory *src)
{
	size_t		most = 0;

	for (int s = CJ_MS_DAYS; s <= CJ_MS_CASES; s++)
		if ((size_t) src->n[s] * ElemSize[s] > most)
			most = (size_t) src->n[s] * ElemSize[s];
	return (most + 8 + 7) & ~(size_t) 7;
}

size_t
cj_memory_canonical_scratch(const CjMemory *src)
{
	/* a sorted copy of each section lives in dst while building */
	return CanonSortBytes(src) + IndexBytes(src->n[CJ_MS_STRS]);
}

/*
 * Build the canonical form: sections sorted by key, strings interned in
 * traversal order (recent, days, channels, topics, cases), no unused
 * string, exact capacities.  The sorted sections are first copied into
 * dst's own sections (with src's slots), sorted there, then translated.
 */
bool
cj_memory_canonical(const CjMemory *src, CjMemory *dst, void *scratch,
					CjError *err)
{
	int32_t		cap[CJ_MS_N];
	const CjMemContact *sr = cj_mem_recent(src);
	StrIndex	index;
	StrIndex   *ix;

	cj_memory_canonical_caps(src, cap);
	/* dst's byte and string sections must hold all live strings */
	cj_memory_init(dst, src->k, cap);
	ix = IndexBuild(&index, (char *) scratch + CanonSortBytes(src),
					IndexBytes(src->n[CJ_MS_STRS]), dst);
	dst->first_at = src->first_at;
	dst->last_at = src->last_at;
	dst->total = src->total;

	for (int32_t i = 0; i < src->n[CJ_MS_RECENT]; i++)
		cj_mem_recent(dst)[i] = Translate(dst, ix, src, &sr[i]);
	dst->n[CJ_MS_RECENT] = src->n[CJ_MS_RECENT];

	/* days: copy, sort by (day, channel string) in src's terms, translate */
	{
		CjMemDay   *d = cj_mem_days(dst);
		int32_t		n = src->n[CJ_MS_DAYS];

		memcpy(d, cj_mem_days(src), (size_t) n * sizeof(CjMemDay));
		MergeSort((char *) d, (size_t) n, sizeof(CjMemDay), scratch, DayCmp, src);
		for (int32_t i = 0; i < n; i++)
		{
			if ((i & 4095) == 4095)
				cj_check_interrupts();
			d[i].channel = TranslateId(dst, ix, src, d[i].channel);
		}
		dst->n[CJ_MS_DAYS] = n;
	}
	{
		CjMemChannel *c = cj_mem_chans(dst);
		int32_t		n = src->n[CJ_MS_CHANS];

		memcpy(c, cj_mem_chans(src), (size_t) n * sizeof(CjMemChannel));
		MergeSort((char *) c, (size_t) n, sizeof(CjMemChannel), scratch, ChanCmp, src);
		for (int32_t i = 0; i < n; i++)
			c[i].last = Translate(dst, ix, src, &c[i].last);
		dst->n[CJ_MS_CHANS] = n;
	}
	{
		CjMemTopic *t = cj_mem_topics(dst);
		int32_t		n = src->n[CJ_MS_TOPICS];

		memcpy(t, cj_mem_topics(src), (size_t) n * sizeof(CjMemTopic));
		MergeSort((char *) t, (size_t) n, sizeof(CjMemTopic), scratch, TopicCmp, src);
		for (int32_t i = 0; i < n; i++)
			t[i].topic = TranslateId(dst, ix, src, t[i].topic);
		dst->n[CJ_MS_TOPICS] = n;
	}
	{
		CjMemCase  *c = cj_mem_cases(dst);
		int32_t		n = src->n[CJ_MS_CASES];

		memcpy(c, cj_mem_cases(src), (size_t) n * sizeof(CjMemCase));
		MergeSort((char *) c, (size_t) n, sizeof(CjMemCase), scratch, CaseCmp, src);
		for (int32_t i = 0; i < n; i++)
		{
			if ((i & 1023) == 1023)
				cj_check_interrupts();
			c[i].last = Translate(dst, ix, src, &c[i].last);
			if (c[i].flags & CJ_CASE_HAS_STATUS)
				c[i].last_status = Translate(dst, ix, src, &c[i].last_status);
			else
				memset(&c[i].last_status, 0, sizeof(CjMemContact));
			if (!(c[i].flags & CJ_CASE_HAS_OPEN))
				c[i].first_open_at = 0;
		}
		dst->n[CJ_MS_CASES] = n;
	}
	/* trim the pool to the live strings */
	{
		int32_t		trim[CJ_MS_N];
		size_t		off_strs = SectionOff(dst->cap, CJ_MS_STRS);
		size_t		nstr = (size_t) dst->n[CJ_MS_STRS];
		size_t		nbytes = (size_t) dst->n[CJ_MS_BYTES];
		char	   *bytes = cj_mem_bytes(dst);

		memcpy(trim, dst->cap, sizeof(trim));
		trim[CJ_MS_STRS] = (int32_t) nstr;
		trim[CJ_MS_BYTES] = (int32_t) nbytes;
		/* strings move down first, then the bytes follow them */
		memmove((char *) dst + off_strs + nstr * sizeof(CjMemStr), bytes, nbytes);
		memcpy(dst->cap, trim, sizeof(trim));
	}
	dst->flags = CJ_MEM_CANONICAL;
	(void) err;
	return true;
}

/* ---------- validation of a canonical value ---------- */

static bool
Invalid(CjError *err, const char *what)
{
	cj_error_set(err, CJ_ERR_SYNTAX, "%s", what);
	return false;
}

static bool
ContactOk(const CjMemory *m, const CjMemContact *c)
{
	int32_t		ns = m->n[CJ_MS_STRS];

	return c->channel >= -1 && c->channel < ns && c->agent >= -1 &&
		c->agent < ns && c->topic >= -1 && c->topic < ns &&
		c->ref >= -1 && c->ref < ns && c->status >= 0 &&
		c->status <= CJ_ST_MAX && c->pad == 0 &&
		c->at >= m->first_at && c->at <= m->last_at;
}

bool
cj_memory_validate(const CjMemory *m, CjError *err)
{
	const CjMemContact *r = cj_mem_recent(m);
	const CjMemDay *d = cj_mem_days(m);
	const CjMemChannel *ch = cj_mem_chans(m);
	const CjMemTopic *t = cj_mem_topics(m);
	const CjMemCase *cs = cj_mem_cases(m);
	const CjMemStr *st = cj_mem_strs(m);
	int64_t		sum;

	if (m->total < 1)
		return Invalid(err, "A memory holds at least one contact.");
	if (m->n[CJ_MS_LOG] != 0 || m->cap[CJ_MS_LOG] != 0)
		return Invalid(err, "A canonical memory has no contact log.");
	if (m->first_at > m->last_at)
		return Invalid(err, "The first contact is after the last.");
	/* strings */
	{
		int64_t		off = 0;

		for (int32_t i = 0; i < m->n[CJ_MS_STRS]; i++)
		{
			if (st[i].off != off || st[i].len < 0 || st[i].len > CJ_MEMORY_MAX_TEXT ||
				off + st[i].len > m->n[CJ_MS_BYTES] || st[i].pad != 0 ||
				memchr(cj_mem_bytes(m) + st[i].off, '\0', (size_t) st[i].len) ||
				st[i].hash != cj_mem_hash(cj_mem_bytes(m) + st[i].off, st[i].len))
				return Invalid(err, "A string is malformed or too long.");
			off += st[i].len;
		}
		if (off != m->n[CJ_MS_BYTES])
			return Invalid(err, "The string pool is malformed.");
	}
	/* recent: newest first, K of them (or all) */
	for (int32_t i = 0; i < m->n[CJ_MS_RECENT]; i++)
	{
		if (!ContactOk(m, &r[i]))
			return Invalid(err, "A recent contact is out of range.");
		if (i > 0 && cj_mem_contact_cmp(m, &r[i - 1], m, &r[i]) < 0)
			return Invalid(err, "Recent contacts must be listed newest first, in the documented order.");
	}
	if (r[0].at != m->last_at)
		return Invalid(err, "The newest recent contact must be the last contact.");
	/* days */
	sum = 0;
	for (int32_t i = 0; i < m->n[CJ_MS_DAYS]; i++)
	{
		if (d[i].channel < -1 || d[i].channel >= m->n[CJ_MS_STRS] || d[i].n < 1)
			return Invalid(err, "A day count is out of range.");
		if (i > 0 && DayCmp(m, &d[i - 1], &d[i]) >= 0)
			return Invalid(err, "Day counts must be sorted by day and channel, without duplicates.");
		if (__builtin_add_overflow(sum, d[i].n, &sum))
			return Invalid(err, "The day counts overflow.");
	}
	if (sum != m->total || m->n[CJ_MS_DAYS] < 1 ||
		d[0].day != cj_mem_utc_day(m->first_at) ||
		d[m->n[CJ_MS_DAYS] - 1].day != cj_mem_utc_day(m->last_at))
		return Invalid(err, "The day counts must add up to the total, from the first to the last contact day.");
	/* channels */
	sum = 0;
	for (int32_t i = 0; i < m->n[CJ_MS_CHANS]; i++)
	{
		if (!ContactOk(m, &ch[i].last) || ch[i].n < 1)
			return Invalid(err, "A channel entry is out of range.");
		if (i > 0 && ChanCmp(m, &ch[i - 1], &ch[i]) >= 0)
			return Invalid(err, "Channels must be sorted, without duplicates.");
		if (__builtin_add_overflow(sum, ch[i].n, &sum))
			return Invalid(err, "The channel counts overflow.");
	}
	if (sum != m->total)
		return Invalid(err, "The channel counts must add up to the total.");
	for (int32_t i = 0; i < m->n[CJ_MS_CHANS]; i++)
	{
		int64_t		chsum = 0;

		for (int32_t j = 0; j < m->n[CJ_MS_DAYS]; j++)
			if (d[j].channel == ch[i].last.channel)
				chsum += d[j].n;	/* bounded by the total: no overflow */
		if (chsum != ch[i].n)
			return Invalid(err, "The day counts of a channel must add up to its count.");
	}
	/* topics */
	sum = 0;
	for (int32_t i = 0; i < m->n[CJ_MS_TOPICS]; i++)
	{
		if (t[i].topic < -1 || t[i].topic >= m->n[CJ_MS_STRS] || t[i].n < 1 ||
			t[i].pad != 0 || t[i].at1 < m->first_at || t[i].at1 > m->last_at ||
			(t[i].n >= 2 && (t[i].at2 < m->first_at || t[i].at2 > t[i].at1)) ||
			(t[i].n == 1 && t[i].at2 != 0))
			return Invalid(err, "A topic entry is out of range.");
		if (i > 0 && TopicCmp(m, &t[i - 1], &t[i]) >= 0)
			return Invalid(err, "Topics must be sorted, without duplicates.");
		if (__builtin_add_overflow(sum, t[i].n, &sum))
			return Invalid(err, "The topic counts overflow.");
	}
	if (sum != m->total)
		return Invalid(err, "The topic counts must add up to the total.");
	/* cases */
	for (int32_t i = 0; i < m->n[CJ_MS_CASES]; i++)
	{
		const CjMemCase *c = &cs[i];
		bool		hs = (c->flags & CJ_CASE_HAS_STATUS) != 0;
		bool		ho = (c->flags & CJ_CASE_HAS_OPEN) != 0;

		if ((c->flags & ~7) != 0 || c->pad != 0 || !ContactOk(m, &c->last) ||
			c->last.ref < 0)
			return Invalid(err, "A case entry is out of range.");
		if (hs && (!ContactOk(m, &c->last_status) || c->last_status.ref != c->last.ref ||
				   c->last_status.status == CJ_ST_NULL ||
				   cj_mem_contact_cmp(m, &c->last_status, m, &c->last) > 0))
			return Invalid(err, "A case's latest status contact is inconsistent.");
		if (!hs && (ho || (c->flags & CJ_CASE_REOPENABLE) ||
					c->last.status != CJ_ST_NULL))
			return Invalid(err, "A case without a status cannot have been opened or closed.");
		if (hs && c->last.status != CJ_ST_NULL &&
			cj_mem_contact_cmp(m, &c->last_status, m, &c->last) != 0)
			return Invalid(err, "A case's latest contact carries a status, so it is its latest status contact.");
		if (ho && (c->first_open_at < m->first_at || c->first_open_at > c->last_status.at))
			return Invalid(err, "A case's first opening is out of range.");
		if (!ho && c->first_open_at != 0)
			return Invalid(err, "A case without an opening has no first_open instant.");
		if (hs && c->last_status.status == CJ_ST_OPEN && !ho)
			return Invalid(err, "An open case must have a first opening.");
		if ((c->flags & CJ_CASE_REOPENABLE) == 0 && hs &&
			(c->last_status.status == CJ_ST_RESOLVED || c->last_status.status == CJ_ST_CLOSED))
			return Invalid(err, "A resolved or closed case must be marked as such.");
		if (i > 0 && CaseCmp(m, &cs[i - 1], &cs[i]) >= 0)
			return Invalid(err, "Cases must be sorted by reference, without duplicates.");
		if (!hs)
		{
			static const CjMemContact zero;

			if (memcmp(&c->last_status, &zero, sizeof(zero)) != 0)
				return Invalid(err, "A case without a status has no status contact.");
		}
	}
	if (m->n[CJ_MS_CHANS] < 1 || m->n[CJ_MS_TOPICS] < 1)
		return Invalid(err, "A memory has at least one channel and one topic entry.");
	return true;
}
