/*-------------------------------------------------------------------------
 *
 * test_memory.c
 *	  Unit tests of the customer-memory core: order independence, exact
 *	  merges of random splits, the contact log, text and binary round
 *	  trips, hostile input, and the contact-rates log.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journey/contact_rates.h"
#include "core/journey/memory.h"
#include "unit.h"

#define HOUR INT64_C(3600000000)

static const char *const Chans[] = {"phone", "web", NULL, "store"};
static const char *const Agents[] = {"ann", "bob", NULL, "cid", "dan"};
static const char *const Topics[] = {"billing", NULL, "repair"};
static const char *const Refs[] = {NULL, "T1", "T2", "T3"};

static uint64_t rng = 88172645463325252ULL;

static uint32_t
Rand(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t) (rng % n);
}

static void
Contact(int i, CjMemInput *in)
{
	const char *s[4];

	(void) i;
	s[0] = Chans[Rand(4)];
	s[1] = Agents[Rand(5)];
	s[2] = Topics[Rand(3)];
	s[3] = Refs[Rand(4)];
	in->at = (int64_t) Rand(40) * HOUR;
	in->status = (int32_t) Rand(5);
	for (int k = 0; k < 4; k++)
	{
		in->str[k] = s[k];
		in->len[k] = s[k] ? (int32_t) strlen(s[k]) : 0;
	}
}

/* Contact i of the large-pool test: its agent, topic and case in names */
static void
BigContact(int i, char names[3][16], CjMemInput *c)
{
	c->at = (int64_t) ((i * 37) % 5000) * HOUR;
	c->status = (int32_t) (i % 5);
	c->str[0] = Chans[i % 4];
	c->str[1] = names[0];
	c->str[2] = names[1];
	c->str[3] = names[2];
	for (int k = 0; k < 4; k++)
		c->len[k] = c->str[k] ? (int32_t) strlen(c->str[k]) : 0;
}

static CjMemory *
New(const int32_t cap[CJ_MS_N], int k)
{
	CjMemory   *m = calloc(1, cj_memory_size(cap));

	cj_memory_init(m, k, cap);
	return m;
}

/* Add through the log, folding (and growing) as the glue does */
static CjMemory *
Add(CjMemory *m, const CjMemInput *in, int k)
{
	CjError		err;

	cj_memory_lower_k(m, k);
	while (!cj_memory_log_append(m, in))
	{
		int32_t		cap[CJ_MS_N];
		CjMemory   *g;

		cj_memory_fold_caps(m, true, cap);
		cap[CJ_MS_LOG] = m->cap[CJ_MS_LOG] * 2 + 64;
		g = New(cap, m->k);
		cj_memory_copy_into(g, m);
		free(m);
		m = g;
		/* folded scanning the string pool (Folded uses the index) */
		if (cj_memory_fold(m, NULL, 0, &err) != CJ_MEM_ADDED)
			return NULL;
	}
	return m;
}

static CjMemory *
Folded(const CjMemory *m)
{
	int32_t		cap[CJ_MS_N];
	CjMemory   *g;
	CjError		err;

	size_t		size;
	void	   *scratch;

	cj_memory_fold_caps(m, false, cap);
	g = New(cap, m->k);
	cj_memory_copy_into(g, m);
	size = cj_memory_fold_scratch(g);
	scratch = malloc(size);
	if (cj_memory_fold(g, scratch, size, &err) != CJ_MEM_ADDED)
		g = NULL;
	free(scratch);
	return g;
}

static char *
Text(const CjMemory *m0)
{
	CjMemory   *m = Folded(m0);
	int32_t		cap[CJ_MS_N];
	CjMemory   *c;
	char	   *scratch,
			   *buf;
	CjError		err;

	cj_memory_canonical_caps(m, cap);
	c = New(cap, m->k);
	scratch = malloc(cj_memory_canonical_scratch(m));
	cj_memory_canonical(m, c, scratch, &err);
	buf = malloc(cj_memory_text_size(c));
	cj_memory_format(c, buf);
	free(scratch);
	free(c);
	free(m);
	return buf;
}

static CjMemory *
Merged(const CjMemory *a0, const CjMemory *b0)
{
	CjMemory   *a = Folded(a0),
			   *b = Folded(b0);
	int32_t		cap[CJ_MS_N];
	CjMemory   *out;
	size_t		size = cj_memory_merge_scratch(a, b);
	void	   *scratch = malloc(size);
	CjError		err;

	cj_memory_merge_caps(a, b, cap);
	out = New(cap, cap[CJ_MS_RECENT]);
	if (!cj_memory_merge_into(out, a, scratch, size, &err) ||
		!cj_memory_merge_into(out, b, scratch, size, &err))
		out = NULL;
	free(scratch);
	free(a);
	free(b);
	return out;
}

int
main(void)
{
	enum {N = 300};
	CjMemInput in[N];
	int32_t		cap0[CJ_MS_N] = {0};
	int			order[N];
	char	   *want;
	bool		ok;

	for (int i = 0; i < N; i++)
		Contact(i, &in[i]);
	cap0[CJ_MS_RECENT] = 7;
	cap0[CJ_MS_LOG] = 128;

	/* input order does not matter */
	{
		CjMemory   *a = New(cap0, 7),
				   *b = New(cap0, 7);
		char	   *tb;

		for (int i = 0; i < N; i++)
			order[i] = i;
		for (int i = N - 1; i > 0; i--)
		{
			int			j = (int) Rand((uint32_t) i + 1),
						t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		for (int i = 0; i < N; i++)
		{
			a = Add(a, &in[i], 7);
			b = Add(b, &in[order[i]], 7);
		}
		want = Text(a);
		tb = Text(b);
		CHECK(strcmp(want, tb) == 0, "same memory in any input order");
		free(tb);
		free(a);
		free(b);
	}

	/* random three-way splits merge to the whole */
	ok = true;
	for (int trial = 0; trial < 20; trial++)
	{
		CjMemory   *p[3];
		CjMemory   *ab,
				   *abc;
		char	   *t;

		for (int k = 0; k < 3; k++)
			p[k] = New(cap0, 7);
		for (int i = 0; i < N; i++)
		{
			int			k = (int) Rand(3);

			p[k] = Add(p[k], &in[i], 7);
		}
		/* an empty part has no contacts: merge only non-empty ones */
		ab = Merged(p[0], p[1]);
		abc = Merged(ab, p[2]);
		t = Text(abc);
		ok = ok && strcmp(t, want) == 0;
		free(t);
		free(ab);
		free(abc);
		for (int k = 0; k < 3; k++)
			free(p[k]);
	}
	CHECK(ok, "merges of random splits equal the whole");

	/* text and binary round trips, validation */
	{
		int32_t		cap[CJ_MS_N];
		CjMemory   *m = New(cap0, 7),
				   *f,
				   *c,
				   *r;
		CjError		err;
		unsigned char *wire;
		size_t		wlen;
		char	   *t;

		for (int i = 0; i < N; i++)
			m = Add(m, &in[i], 7);
		f = Folded(m);
		cj_memory_canonical_caps(f, cap);
		c = New(cap, f->k);
		{
			void	   *scratch = malloc(cj_memory_canonical_scratch(f));

			cj_memory_canonical(f, c, scratch, &err);
			free(scratch);
		}
		CHECK(cj_memory_validate(c, &err), "the canonical form validates");
		cj_memory_text_caps(want, cap);
		r = New(cap, 5);
		CHECK(cj_memory_parse(want, r, &err), "the text form parses");
		t = Text(r);
		CHECK(strcmp(t, want) == 0, "text round trip");
		free(t);
		free(r);
		wlen = cj_memory_wire_size(c);
		wire = malloc(wlen);
		cj_memory_encode(c, wire);
		cj_memory_wire_caps(wlen, cap);
		r = New(cap, 5);
		CHECK(cj_memory_decode(wire, wlen, r, &err), "the binary form decodes");
		t = Text(r);
		CHECK(strcmp(t, want) == 0, "binary round trip");
		free(t);
		free(r);
		/* every single-byte corruption is rejected or yields a valid value */
		ok = true;
		for (size_t i = 0; i < wlen; i++)
		{
			unsigned char save = wire[i];

			wire[i] ^= (unsigned char) (1 + Rand(255));
			r = New(cap, 5);
			if (cj_memory_decode(wire, wlen, r, &err))
				ok = ok && cj_memory_validate(r, &err);
			else
				ok = ok && err.kind == CJ_ERR_SYNTAX;
			free(r);
			wire[i] = save;
		}
		CHECK(ok, "corrupted binary forms are rejected or valid");
		/* truncations */
		ok = true;
		for (size_t len = 0; len < wlen; len += 7)
		{
			r = New(cap, 5);
			ok = ok && !cj_memory_decode(wire, len, r, &err);
			free(r);
		}
		CHECK(ok, "truncated binary forms are rejected");
		free(wire);
		free(c);
		free(f);
		free(m);
	}

	/* limits */
	{
		CjMemory   *m = New(cap0, 5);
		CjError		err;
		CjMemInput	x;
		char		name[16];
		int			i;

		memset(&x, 0, sizeof(x));
		for (i = 0; i < CJ_MEMORY_MAX_CHANNELS + 1; i++)
		{
			snprintf(name, sizeof(name), "c%d", i);
			x.str[0] = name;
			x.len[0] = (int32_t) strlen(name);
			x.at = i;
			m = Add(m, &x, 5);
			if (m == NULL)
				break;
		}
		if (m != NULL)
			m = Folded(m);
		CHECK(m == NULL, "the channel limit is enforced when folding");
		x.len[0] = CJ_MEMORY_MAX_TEXT + 1;
		CHECK(!cj_memory_check_input(&x, &err) && err.kind == CJ_ERR_PARAM, "over-long text is refused");
	}

	/* contact rates */
	{
		CjContactLog *l = calloc(1, CJ_CLOG_HDRSZ + 4096);
		CjContactEvent e = {0};
		CjContactRates r;
		CjError		err;
		void	   *scratch;

		cj_clog_init(l, 7 * 24 * HOUR, 4096);
		e.str[0] = "a";
		e.len[0] = 1;
		e.str[1] = "billing";
		e.len[1] = 7;
		e.str[2] = "T1";
		e.len[2] = 2;
		e.status = CJ_ST_RESOLVED;
		e.at = 0;
		cj_clog_append(l, &e);
		e.str[2] = "T2";
		e.status = CJ_ST_OPEN;
		e.at = 48 * HOUR;
		cj_clog_append(l, &e);
		e.status = CJ_ST_RESOLVED;
		e.at = 72 * HOUR;
		cj_clog_append(l, &e);
		scratch = malloc(cj_clog_scratch(l));
		CHECK(cj_clog_compute(l, scratch, &r, &err) && r.contacts == 3 && r.repeats == 2 &&
			  r.cases == 2 && r.fcr == 1, "contact rates of a small log");
		free(scratch);
		free(l);
	}
	free(want);
	/*
	 * Large string pools (thousands of case references and agents): the
	 * folds that scan the pool (Add), the fold through the string index
	 * (Folded) and the merge of two halves give the same memory
	 */
	{
		enum {H = 6000};
		static char names[H][3][16];
		int32_t		big[CJ_MS_N] = {0};
		CjMemory   *scan = NULL,
				   *a = NULL,
				   *b = NULL,
				   *whole,
				   *halves;
		char	   *ts,
				   *tw,
				   *th;

		big[CJ_MS_RECENT] = 5;
		big[CJ_MS_LOG] = 4096;
		scan = New(big, 5);
		a = New(big, 5);
		b = New(big, 5);
		for (int i = 0; i < H; i++)
		{
			CjMemInput	c;

			snprintf(names[i][0], 16, "agent%d", (i * 7) % 1500);
			snprintf(names[i][1], 16, "topic%d", (i * 13) % 900);
			snprintf(names[i][2], 16, "case%d", (i * 11) % 4000);
			BigContact(i, names[i], &c);
			scan = Add(scan, &c, 5);
			if (i % 2)
				a = Add(a, &c, 5);
			else
				b = Add(b, &c, 5);
		}
		ts = Text(scan);
		/* one fold of a log holding everything, through the index */
		{
			int32_t		cap[CJ_MS_N] = {0};
			CjMemory   *log;

			cap[CJ_MS_RECENT] = 5;
			cap[CJ_MS_LOG] = H * 64;
			log = New(cap, 5);
			for (int i = 0; i < H; i++)
			{
				CjMemInput	c;

				BigContact(i, names[i], &c);
				cj_memory_log_append(log, &c);
			}
			whole = Folded(log);
			free(log);
		}
		tw = Text(whole);
		halves = Merged(a, b);
		th = halves ? Text(halves) : NULL;
		CHECK(scan && whole && strcmp(ts, tw) == 0,
			  "4,000 cases: folding through the string index equals scanning the pool");
		CHECK(th && strcmp(ts, th) == 0,
			  "4,000 cases: the merge of two halves equals the whole");
		{
			bool		all = true;

			for (int i = 0; i < 4000 && all; i++)
			{
				char		ref[24];

				snprintf(ref, sizeof(ref), "\"case%d\"", i);
				all = strstr(ts, ref) != NULL;
			}
			CHECK(all, "4,000 cases: every case kept");
		}
		free(ts);
		free(tw);
		free(th);
		free(scan);
		free(a);
		free(b);
		free(whole);
		free(halves);
	}
	return unit_done();
}
