/*-------------------------------------------------------------------------
 *
 * fuzz_state_validate.c
 *	  libFuzzer target: the binary-input validation of the state types
 *	  parsed in the core (wait state, credits and accumulator, touches,
 *	  transitions, fit state).
 *
 * The first byte picks a type; the rest is read as that type's decoded
 * fields, as the glue's recv functions fill them from the wire.  The
 * validation must never crash, and what it accepts must print and read
 * back through the text parser to the same value: binary input accepts
 * nothing the text input refuses, and every accepted value has a text
 * form (output domain = input domain).
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>

#include "fuzz.h"
#include "core/journey/credits_text.h"
#include "core/journey/touches_text.h"
#include "core/journey/transitions_text.h"
#include "core/ltv/fit_state_text.h"
#include "core/service/wait_state.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A cursor over the fuzzer's bytes; reads past the end give zeros */
typedef struct Bytes
{
	const uint8_t *p;
	size_t		left;
} Bytes;

static void
Take(Bytes *b, void *out, size_t n)
{
	size_t		k = n < b->left ? n : b->left;

	memset(out, 0, n);
	memcpy(out, b->p, k);
	b->p += k;
	b->left -= k;
}

static int64_t
TakeI64(Bytes *b)
{
	int64_t		v;

	Take(b, &v, sizeof(v));
	return v;
}

/* A small count (0..15), so that arrays stay small */
static int
TakeCount(Bytes *b)
{
	uint8_t		c;

	Take(b, &c, 1);
	return c & 15;
}

/* Small values are more likely to pass validation */
static int64_t
TakeSmall(Bytes *b)
{
	int8_t		c;

	Take(b, &c, 1);
	if (c == -128)
		return TakeI64(b);
	return c;
}

static double
TakeDouble(Bytes *b)
{
	double		v;
	uint8_t		c;

	Take(b, &c, 1);
	if (c < 200)
		return (double) (c % 50) / (1 + c / 50);
	Take(b, &v, sizeof(v));
	return v;
}

/* names: up to 3 bytes each, from the input */
static const char *
TakeName(Bytes *b, char *store, int32_t *len)
{
	uint8_t		c;

	Take(b, &c, 1);
	*len = c % 4;
	Take(b, store, (size_t) *len);
	return store;
}

static void
WaitState(Bytes *b)
{
	CjWaitState *s = calloc(1, sizeof(CjWaitState));
	CjWaitState *r = malloc(sizeof(CjWaitState));
	char	   *text = malloc(CJ_WAIT_STATE_TEXT_MAX);
	CjError		err;
	int			i,
				nb;

	s->kind = (int) TakeSmall(b) & 3;
	s->n = TakeSmall(b);
	s->within = TakeSmall(b);
	s->sum = TakeSmall(b);
	s->min = TakeSmall(b);
	s->max = TakeSmall(b);
	nb = TakeCount(b);
	for (i = 0; i < nb; i++)
	{
		uint16_t	idx;

		Take(b, &idx, 2);
		s->counts[idx % CJ_WAITHIST_BUCKETS] = TakeSmall(b);
	}
	if (cj_wait_state_validate(s, &err))
	{
		cj_wait_state_format(s, text);
		FUZZ_ASSERT(cj_wait_state_parse(text, r, &err));
		FUZZ_ASSERT(memcmp(s, r, sizeof(CjWaitState)) == 0);
	}
	else
		FuzzCheckError(&err);
	free(text);
	free(r);
	free(s);
}

static void
Credits(Bytes *b, bool acc)
{
	CjCreditItem it[16];
	char		store[16][4];
	int			n = TakeCount(b),
				i;
	CjError		err;

	for (i = 0; i < n; i++)
	{
		it[i].name = TakeName(b, store[i], &it[i].len);
		it[i].credit = TakeDouble(b);
		it[i].comp = TakeDouble(b);
	}
	if (cj_credits_validate(it, n, acc, &err))
	{
		char	   *text = malloc(cj_credits_text_size(it, n));
		size_t		len = cj_credits_format(it, n, text);
		CjCreditItem *back = malloc(sizeof(CjCreditItem) * cj_credits_parse_items(len));
		char	   *names = malloc(cj_credits_parse_names(len));

		FUZZ_ASSERT(cj_credits_parse(text, acc, back, names, &err) == n);
		for (i = 0; i < n; i++)
		{
			/* subnormal credits read back as 0, as the glue stores them */
			double		c = fabs(it[i].credit) < 2.2250738585072014e-308 ? 0 : it[i].credit;
			double		k = fabs(it[i].comp) < 2.2250738585072014e-308 ? 0 : it[i].comp;

			FUZZ_ASSERT(back[i].len == it[i].len &&
						memcmp(back[i].name, it[i].name, it[i].len) == 0);
			FUZZ_ASSERT(back[i].credit == c && back[i].comp == k);
		}
		free(names);
		free(back);
		free(text);
	}
	else
		FuzzCheckError(&err);
}

static void
Touches(Bytes *b)
{
	CjTouchesHead h,
				h2;
	CjTouchItem it[16];
	char		store[16][4];
	int			n,
				i;
	CjError		err;

	h.model = (int) (TakeSmall(b) & 7);
	h.half_life = TakeDouble(b);
	h.converted = TakeSmall(b);
	n = TakeCount(b);
	for (i = 0; i < n; i++)
	{
		it[i].at = TakeSmall(b);
		it[i].name = TakeName(b, store[i], &it[i].len);
	}
	if (cj_touches_validate(&h, it, n, &err))
	{
		char	   *text = malloc(cj_touches_text_size(it, n));
		size_t		len = cj_touches_format(&h, it, n, text);
		CjTouchItem *back = malloc(sizeof(CjTouchItem) * cj_touches_parse_items(len));
		char	   *names = malloc(cj_touches_parse_names(len));

		FUZZ_ASSERT(cj_touches_parse(text, &h2, back, names, &err) == n);
		FUZZ_ASSERT(h2.model == h.model && h2.half_life == h.half_life &&
					h2.converted == h.converted);
		for (i = 0; i < n; i++)
			FUZZ_ASSERT(back[i].at == it[i].at && back[i].len == it[i].len &&
						memcmp(back[i].name, it[i].name, it[i].len) == 0);
		free(names);
		free(back);
		free(text);
	}
	else
		FuzzCheckError(&err);
}

static void
Transitions(Bytes *b)
{
	CjChainChannel ch[16];
	CjMarkovTrans tr[16];
	char		store[16][4];
	CjChainText c = {0, 0, 0, ch, tr},
				r;
	CjError		err;
	int			i,
				k;

	c.order = (int) (TakeSmall(b) & 3);
	c.nchan = TakeCount(b);
	for (i = 0; i < c.nchan; i++)
	{
		ch[i].name = TakeName(b, store[i], &ch[i].len);
		ch[i].converting = TakeSmall(b);
	}
	c.ntrans = TakeCount(b);
	for (i = 0; i < c.ntrans; i++)
	{
		for (k = 0; k < CJ_MARKOV_MAX_ORDER; k++)
			tr[i].from[k] = k < c.order ? (int32_t) TakeSmall(b) : 0;
		tr[i].next = (int32_t) TakeSmall(b);
		tr[i].count = TakeSmall(b);
	}
	if (cj_transitions_validate(&c, &err))
	{
		char	   *text = malloc(cj_transitions_text_size(&c));
		size_t		len = cj_transitions_format(&c, text);
		char	   *names = malloc(cj_transitions_parse_names(len));

		r.chans = malloc(sizeof(CjChainChannel) * cj_transitions_parse_chans(len));
		r.trans = malloc(sizeof(CjMarkovTrans) * cj_transitions_parse_trans(len));
		FUZZ_ASSERT(cj_transitions_parse(text, &r, names, &err));
		FUZZ_ASSERT(r.order == c.order && r.nchan == c.nchan && r.ntrans == c.ntrans);
		FUZZ_ASSERT(memcmp(r.trans, c.trans, sizeof(CjMarkovTrans) * c.ntrans) == 0);
		for (i = 0; i < c.nchan; i++)
			FUZZ_ASSERT(r.chans[i].len == c.chans[i].len &&
						r.chans[i].converting == c.chans[i].converting &&
						memcmp(r.chans[i].name, c.chans[i].name, c.chans[i].len) == 0);
		free(r.trans);
		free(r.chans);
		free(names);
		free(text);
	}
	else
		FuzzCheckError(&err);
}

static void
FitState(Bytes *b)
{
	CjTuple		t[16];
	CjFitText	s = {NULL, 0, 0, t},
				r;
	CjError		err;
	size_t		i;
	int			j;

	s.family = cj_family_by_id((int) (TakeSmall(b) & 7));
	s.unit = TakeDouble(b);
	s.n = (size_t) TakeCount(b);
	memset(t, 0, sizeof(t));
	for (i = 0; i < s.n; i++)
	{
		for (j = 0; j < CJ_TUPLE_DIM; j++)
			t[i].v[j] = (s.family && j < s.family->ndata) ? TakeDouble(b) : 0;
		t[i].w = (double) TakeSmall(b);
	}
	if (cj_fit_state_validate(&s, &err))
	{
		char	   *text = malloc(cj_fit_state_text_size(&s));
		size_t		len = cj_fit_state_format(&s, text);

		r.t = malloc(sizeof(CjTuple) * cj_fit_state_parse_tuples(len));
		FUZZ_ASSERT(cj_fit_state_parse(text, &r, &err));
		FUZZ_ASSERT(r.family == s.family && r.n == s.n &&
					(r.unit == s.unit || s.unit == 0));
		FUZZ_ASSERT(memcmp(r.t, s.t, sizeof(CjTuple) * s.n) == 0);
		free(r.t);
		free(text);
	}
	else
		FuzzCheckError(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Bytes		b = {data, size};
	uint8_t		which;

	Take(&b, &which, 1);
	switch (which % 6)
	{
		case 0:
			WaitState(&b);
			break;
		case 1:
			Credits(&b, false);
			break;
		case 2:
			Credits(&b, true);
			break;
		case 3:
			Touches(&b);
			break;
		case 4:
			Transitions(&b);
			break;
		default:
			FitState(&b);
			break;
	}
	return 0;
}
