/*-------------------------------------------------------------------------
 *
 * markov.c
 *	  The aggregate cj_markov_attribution(path text[], conversions,
 *	  non_conversions [, order]) -> cj_credits and its state type
 *	  cj_transitions.
 *
 * The state is the chain's sufficient statistic: the count of every
 * observed transition (state -> next channel, conversion or null) and, per
 * channel, the conversions of the journeys that contain it.  A journey
 * c1 .. cn with conversions v and non_conversions u adds v + u to each
 * transition start -> c1 -> ... -> cn, v to cn -> conversion and u to
 * cn -> null; the states of an order-k chain are the last k channels
 * (fewer at the beginning of a journey).  Repeated consecutive channels
 * are kept: in an order-1 chain a self-loop does not change any
 * conversion probability, in higher orders it is part of the history.
 * Counts are integers, so serial, parallel and distributed runs build the
 * same state, and the final function solves it exactly
 * (src/core/journey/markov.c).
 *
 * Channel codes inside a state follow first appearance; the text and
 * binary forms and the final function renumber channels in name order.
 * Text form:
 *	{order=1; "display"=0, "email"=3; 0>1=4, 0>2=3, 1>null=4, 2>conv=3}
 * channels with their converting-journey counts (numbered from 1 in the
 * order listed), then transitions from-state>next=count, a from-state
 * being `order` channel numbers with 0 padding at the front (all 0 is the
 * start), next a channel number, conv or null.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "journey/credits.h"
#include "common/util.h"
#include "core/journey/attrib.h"
#include "core/journey/markov.h"
#include "core/common/text.h"
#include "core/journey/channel_text.h"
#include "core/journey/transitions_text.h"
#include "common/state.h"

PG_FUNCTION_INFO_V1(cj_transitions_in);
PG_FUNCTION_INFO_V1(cj_transitions_out);
PG_FUNCTION_INFO_V1(cj_transitions_recv);
PG_FUNCTION_INFO_V1(cj_transitions_send);
PG_FUNCTION_INFO_V1(cj_markov_trans);
PG_FUNCTION_INFO_V1(cj_markov_combine);
PG_FUNCTION_INFO_V1(cj_markov_final);

#define MK_CONV 0xFFFF
#define MK_NULL 0xFFFE

typedef struct MkChannel
{
	int64		converting;		/* conversions of journeys holding it */
	int32		name_off;
	int32		name_len;
} MkChannel;

typedef struct MkTrans
{
	uint64		key;			/* from[0..2] and next, 16 bits each */
	int64		count;
} MkTrans;

typedef struct CjTransitions
{
	int32		vl_len_;
	uint8		version;		/* CJ_BINARY_VERSION */
	uint8		order;			/* 1 .. CJ_MARKOV_MAX_ORDER */
	int16		reserved;
	int32		nchan;
	int32		chan_cap;
	int32		ntrans;
	int32		trans_cap;
	int32		names_used;
	int32		names_cap;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} CjTransitions;

#define MK_CHANS(s) ((MkChannel *) (s)->data)
#define MK_TRANS(s) ((MkTrans *) ((s)->data + sizeof(MkChannel) * (s)->chan_cap))
#define MK_HASH(s) ((int32 *) (MK_TRANS(s) + (s)->trans_cap))
#define MK_NAMES(s) ((char *) (MK_HASH(s) + HashCap((s)->trans_cap)))
#define MK_NAME(s, c) (MK_NAMES(s) + MK_CHANS(s)[c].name_off)
#define PG_GETARG_CJ_TRANSITIONS_P(n) ((CjTransitions *) cj_state_arg(fcinfo, (n), &TransitionsType))

/* Name bytes of a state: CJ_CREDITS_MAX_CHANNELS names of at most 255 bytes */
#define MK_MAX_NAMES (CJ_CREDITS_MAX_CHANNELS * CJ_CHANNEL_MAX_LEN)

/*
 * Capacities a state may have: the limits, with the room left by version
 * 1.1 (which doubled past them), and the size they imply.
 */
#define MK_CAP_LIMIT(max) (4 * (Size) (max))

static int	HashCap(int trans_cap);

/* Bytes of a state with these capacities */
static Size
StateSize(int chan_cap, int trans_cap, int names_cap)
{
	return offsetof(CjTransitions, data) + sizeof(MkChannel) * (Size) chan_cap +
		sizeof(MkTrans) * (Size) trans_cap + sizeof(int32) * (Size) HashCap(trans_cap) +
		MAXALIGN((Size) names_cap);
}

/* Header check of a received state (see common/state.h) */
static const char *
TransitionsCheck(const void *state, Size size)
{
	const CjTransitions *s = state;

	if (s->version != CJ_BINARY_VERSION || s->reserved != 0)
		return "The state has an unknown format version.";
	if (s->order < 1 || s->order > CJ_MARKOV_MAX_ORDER)
		return "The chain order is out of range.";
	if (s->chan_cap < 0 || (Size) s->chan_cap > MK_CAP_LIMIT(CJ_CREDITS_MAX_CHANNELS) ||
		s->trans_cap < 0 || (Size) s->trans_cap > MK_CAP_LIMIT(CJ_MARKOV_MAX_TRANS) ||
		s->names_cap < 0 || (Size) s->names_cap > MK_CAP_LIMIT(MK_MAX_NAMES) ||
		s->names_cap != (int32) MAXALIGN(s->names_cap) ||
		s->nchan < 0 || s->nchan > s->chan_cap || s->nchan > CJ_CREDITS_MAX_CHANNELS ||
		s->ntrans < 0 || s->ntrans > s->trans_cap || s->ntrans > CJ_MARKOV_MAX_TRANS ||
		s->names_used < 0 || s->names_used > s->names_cap ||
		size != StateSize(s->chan_cap, s->trans_cap, s->names_cap))
		return "The counts and capacities do not fit the size of the state.";
	return NULL;
}

static const CjStateType TransitionsType = {"cj_transitions", offsetof(CjTransitions, data), TransitionsCheck};

/*
 * Transitions are appended in arrival order and found through an
 * open-addressing hash index (transition number + 1, 0 = empty) of a
 * power-of-two size at least twice the transition capacity.
 */
static int
HashCap(int trans_cap)
{
	int			cap = 16;

	/* trans_cap <= MK_CAP_LIMIT(CJ_MARKOV_MAX_TRANS): cap stays below 2^24 */
	while (cap < 2 * trans_cap)
		cap *= 2;
	return cap;
}

/* Home slot of a key in a hash index of cap slots */
static int
HashSlot(uint64 key, int cap)
{
	return (int) (((key + 1) * UINT64CONST(0x9E3779B97F4A7C15)) >> 40) & (cap - 1);
}

/* Pack a from-state and a next symbol into a key */
static uint64
PackKey(const int *from, int next)
{
	return ((uint64) from[0] << 48) | ((uint64) from[1] << 32) |
		((uint64) from[2] << 16) | (uint64) next;
}

/* Unpack a key */
static void
UnpackKey(uint64 key, int *from, int *next)
{
	from[0] = (int) ((key >> 48) & 0xFFFF);
	from[1] = (int) ((key >> 32) & 0xFFFF);
	from[2] = (int) ((key >> 16) & 0xFFFF);
	*next = (int) (key & 0xFFFF);
}

static void RebuildHash(CjTransitions *s);

/* A new empty state with the given capacities, in the current context */
static CjTransitions *
NewState(int order, int chan_cap, int trans_cap, int names_cap)
{
	Size		sz = StateSize(chan_cap, trans_cap, names_cap);
	CjTransitions *s = palloc0(sz);

	SET_VARSIZE(s, sz);
	s->version = CJ_BINARY_VERSION;
	s->order = order;
	s->chan_cap = chan_cap;
	s->trans_cap = trans_cap;
	s->names_cap = MAXALIGN(names_cap);
	return s;
}

/* Error for a chain past its channel limit */
static void
TooManyChannels(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many channels for a Markov chain"),
			 errdetail("A chain can have at most %d channels.", CJ_CREDITS_MAX_CHANNELS)));
}

/* Error for a chain past its transition limit */
static void
TooManyTransitions(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many distinct transitions for a Markov chain"),
			 errdetail("A chain can have at most %d distinct transitions.", CJ_MARKOV_MAX_TRANS)));
}

/* Capacity for need items when cap hold used: double, within the limit */
static int
GrowCap(int cap, int used, int64 need, int limit)
{
	int64		want = Max((int64) cap, Max(2 * (int64) used, need));

	return (int) Min(want, (int64) limit);
}

/*
 * Room for up to chans more channels, trans more transitions and names
 * more name bytes (upper bounds; the caller may add fewer): the same state
 * when it may be modified and has room, else a bigger copy in the current
 * context (the executor moves it into the aggregate context).  Capacities
 * stop at the limits; adding past a limit is an error where the item is
 * added (ChannelCode, AddTrans), so the limits apply to the distinct
 * channels and transitions actually held, whatever the plan.
 */
static CjTransitions *
EnsureRoom(CjTransitions *s, int chans, int trans, int64 names, bool inplace)
{
	CjTransitions *n;
	int64		needc = Min((int64) s->nchan + chans, (int64) CJ_CREDITS_MAX_CHANNELS);
	int64		needt = Min((int64) s->ntrans + trans, (int64) CJ_MARKOV_MAX_TRANS);
	int64		needn = Min((int64) s->names_used + names, (int64) MK_MAX_NAMES);

	if (inplace && needc <= s->chan_cap && needt <= s->trans_cap &&
		needn <= s->names_cap)
		return s;
	n = NewState(s->order,
				 GrowCap(s->chan_cap, s->nchan, needc, CJ_CREDITS_MAX_CHANNELS),
				 GrowCap(s->trans_cap, s->ntrans, needt, CJ_MARKOV_MAX_TRANS),
				 GrowCap(s->names_cap, s->names_used, needn, MK_MAX_NAMES));
	n->nchan = s->nchan;
	n->ntrans = s->ntrans;
	n->names_used = s->names_used;
	memcpy(MK_CHANS(n), MK_CHANS(s), sizeof(MkChannel) * s->nchan);
	memcpy(MK_TRANS(n), MK_TRANS(s), sizeof(MkTrans) * s->ntrans);
	memcpy(MK_NAMES(n), MK_NAMES(s), s->names_used);
	RebuildHash(n);
	return n;
}

/* Code (1-based) of a channel, appended when new (room ensured) */
static int
ChannelCode(CjTransitions *s, const char *name, int len)
{
	MkChannel  *ch = MK_CHANS(s);
	int			c;

	for (c = 0; c < s->nchan; c++)
		if (ch[c].name_len == len && MK_NAME(s, c)[len - 1] == name[len - 1] &&
			memcmp(MK_NAME(s, c), name, len) == 0)
			return c + 1;
	if (s->nchan >= CJ_CREDITS_MAX_CHANNELS)
		TooManyChannels();
	if (s->nchan >= s->chan_cap || len > s->names_cap - s->names_used)
		elog(ERROR, "no room reserved for a new Markov channel");
	ch[c].converting = 0;
	ch[c].name_off = s->names_used;
	ch[c].name_len = len;
	memcpy(MK_NAMES(s) + s->names_used, name, len);
	s->names_used += len;
	s->nchan++;
	return c + 1;
}

/* Add with a 22003 error on overflow */
static int64
AddCount(int64 a, int64 b)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("journey count is out of range")));
	return r;
}

/* Slot of key in the hash index: its entry, or the empty slot for it */
static int32 *
FindSlot(CjTransitions *s, uint64 key)
{
	int			cap = HashCap(s->trans_cap);
	int32	   *h = MK_HASH(s);
	int			i = HashSlot(key, cap);

	while (h[i] != 0 && MK_TRANS(s)[h[i] - 1].key != key)
		i = (i + 1) & (cap - 1);
	return &h[i];
}

/* Index every transition of a freshly copied state */
static void
RebuildHash(CjTransitions *s)
{
	int			i;

	for (i = 0; i < s->ntrans; i++)
		*FindSlot(s, MK_TRANS(s)[i].key) = i + 1;
}

/* Add count to a transition, appending it when new (room ensured) */
static void
AddTrans(CjTransitions *s, uint64 key, int64 count)
{
	int32	   *slot = FindSlot(s, key);
	MkTrans    *t;

	if (*slot != 0)
	{
		t = &MK_TRANS(s)[*slot - 1];
		t->count = AddCount(t->count, count);
		return;
	}
	if (s->ntrans >= CJ_MARKOV_MAX_TRANS)
		TooManyTransitions();
	if (s->ntrans >= s->trans_cap)
		elog(ERROR, "no room reserved for a new Markov transition");
	t = &MK_TRANS(s)[s->ntrans];
	t->key = key;
	t->count = count;
	*slot = ++s->ntrans;
}

/* Move a from-state on to channel next */
static void
ShiftState(int *st, int order, int next)
{
	int			i;

	for (i = 0; i < order - 1; i++)
		st[i] = st[i + 1];
	st[order - 1] = next;
}

/* Add one journey of codes[0..n-1] (room ensured) */
static void
AddJourney(CjTransitions *s, const int *codes, int n, int64 conv, int64 nonconv)
{
	int			st[CJ_MARKOV_MAX_ORDER] = {0, 0, 0};
	int64		all = AddCount(conv, nonconv);
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		AddTrans(s, PackKey(st, codes[i]), all);
		ShiftState(st, s->order, codes[i]);
		if (conv == 0)
			continue;
		for (j = 0; j < i && codes[j] != codes[i]; j++)
			;
		if (j == i)
			MK_CHANS(s)[codes[i] - 1].converting =
				AddCount(MK_CHANS(s)[codes[i] - 1].converting, conv);
	}
	if (conv > 0)
		AddTrans(s, PackKey(st, MK_CONV), conv);
	if (nonconv > 0)
		AddTrans(s, PackKey(st, MK_NULL), nonconv);
}

/* The chain order argument, 22023 unless 1..3 */
static int
OrderArg(int32 order)
{
	if (order < 1 || order > CJ_MARKOV_MAX_ORDER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Markov chain order must be between 1 and %d", CJ_MARKOV_MAX_ORDER),
				 errdetail("The order was %d.", order)));
	return order;
}

/* Error unless two states have the same order */
static void
CheckSameOrder(int a, int b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Markov chain order must be the same for every journey"),
				 errdetail("Orders %d and %d were both given.", a, b)));
}

/* Non-NULL elements of a one-dimensional text array */
static int
PathElements(ArrayType *path, Datum **elems)
{
	bool	   *nulls;
	int			n,
				i,
				k = 0;

	if (ARR_NDIM(path) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("journey path must be a one-dimensional array")));
	deconstruct_array(path, TEXTOID, -1, false, TYPALIGN_INT, elems, &nulls, &n);
	for (i = 0; i < n; i++)
		if (!nulls[i])
			(*elems)[k++] = (*elems)[i];
	if (k == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journey path must contain at least one channel"),
				 errdetail("NULL elements are skipped; an empty journey has no channel to credit.")));
	return k;
}

/*
 * cj_markov_attribution transition: add one journey path with its
 * conversion and non-conversion counts.  Rows with a NULL argument or
 * both counts 0 are ignored.
 */
Datum
cj_markov_trans(PG_FUNCTION_ARGS)
{
	CjTransitions *s = PG_ARGISNULL(0) ? NULL : PG_GETARG_CJ_TRANSITIONS_P(0);
	int			order = 1;
	int64		conv,
				nonconv;
	Datum	   *elems;
	int			n,
				i;
	int64		names = 0;
	int		   *codes;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		(PG_NARGS() > 4 && PG_ARGISNULL(4)))
		goto unchanged;
	if (PG_NARGS() > 4)
		order = OrderArg(PG_GETARG_INT32(4));
	conv = PG_GETARG_INT64(2);
	nonconv = PG_GETARG_INT64(3);
	if (conv < 0 || nonconv < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journey counts must not be negative"),
				 errdetail("The counts were conversions = " INT64_FORMAT " and non_conversions = " INT64_FORMAT ".",
						   conv, nonconv)));
	if (AddCount(conv, nonconv) == 0)
		goto unchanged;
	n = PathElements(PG_GETARG_ARRAYTYPE_P(1), &elems);
	for (i = 0; i < n; i++)
	{
		text	   *t = DatumGetTextPP(elems[i]);

		cj_check_channel(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		names += VARSIZE_ANY_EXHDR(t);
	}
	if (s == NULL)
		s = NewState(order, 16, 64, 256);
	CheckSameOrder(s->order, order);
	s = EnsureRoom(s, n, n + 2, names, AggCheckCallContext(fcinfo, NULL) != 0);
	codes = palloc(sizeof(int) * n);
	for (i = 0; i < n; i++)
	{
		text	   *t = DatumGetTextPP(elems[i]);

		codes[i] = ChannelCode(s, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	AddJourney(s, codes, n, conv, nonconv);
	PG_RETURN_POINTER(s);

unchanged:
	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(s);
}

/* Recode symbol x through map (channels only) */
static int
Recode(int x, const int *map)
{
	return (x == 0 || x == MK_CONV || x == MK_NULL) ? x : map[x - 1];
}

/* Add every count of b into a (room ensured) */
static void
MergeInto(CjTransitions *a, const CjTransitions *b)
{
	int		   *map = palloc(sizeof(int) * Max(b->nchan, 1));
	int			i;

	for (i = 0; i < b->nchan; i++)
	{
		map[i] = ChannelCode(a, MK_NAME(b, i), MK_CHANS(b)[i].name_len);
		MK_CHANS(a)[map[i] - 1].converting =
			AddCount(MK_CHANS(a)[map[i] - 1].converting, MK_CHANS(b)[i].converting);
	}
	for (i = 0; i < b->ntrans; i++)
	{
		int			from[3],
					next,
					k;

		UnpackKey(MK_TRANS(b)[i].key, from, &next);
		for (k = 0; k < 3; k++)
			from[k] = Recode(from[k], map);
		AddTrans(a, PackKey(from, Recode(next, map)), MK_TRANS(b)[i].count);
	}
}

/* Code (1-based) of a channel in s, 0 when absent */
static int
FindChannel(const CjTransitions *s, const char *name, int len)
{
	int			c;

	for (c = 0; c < s->nchan; c++)
		if (MK_CHANS(s)[c].name_len == len &&
			memcmp(MK_NAME(s, c), name, len) == 0)
			return c + 1;
	return 0;
}

/*
 * What merging b into a adds: channels, their name bytes and transitions
 * of b that a lacks (the union, not the sum of the sizes).  New channels
 * get the codes MergeInto will give them, in b's order.
 */
static void
UnionNeeds(CjTransitions *a, const CjTransitions *b, int *chans, int64 *names,
		   int *trans)
{
	int		   *map = palloc(sizeof(int) * Max(b->nchan, 1));
	int			i,
				k;

	*chans = 0;
	*names = 0;
	*trans = 0;
	for (i = 0; i < b->nchan; i++)
	{
		map[i] = FindChannel(a, MK_NAME(b, i), MK_CHANS(b)[i].name_len);
		if (map[i] == 0)
		{
			map[i] = a->nchan + ++(*chans);
			*names += MK_CHANS(b)[i].name_len;
		}
	}
	for (i = 0; i < b->ntrans; i++)
	{
		int			from[3],
					next;

		UnpackKey(MK_TRANS(b)[i].key, from, &next);
		for (k = 0; k < 3; k++)
			from[k] = Recode(from[k], map);
		if (*FindSlot(a, PackKey(from, Recode(next, map))) == 0)
			(*trans)++;
	}
	pfree(map);
}

/* cj_markov_attribution combine: add two partial states */
Datum
cj_markov_combine(PG_FUNCTION_ARGS)
{
	Datum		result;
	bool		isnull;
	CjTransitions *a,
			   *b;
	int			chans,
				trans;
	int64		names;

	if (cj_state_combine_start(fcinfo, "cj_markov_combine", &TransitionsType,
							   &result, &isnull, (void **) &a, (void **) &b))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	CheckSameOrder(a->order, b->order);
	UnionNeeds(a, b, &chans, &names, &trans);
	a = EnsureRoom(a, chans, trans, names, true);
	MergeInto(a, b);
	PG_RETURN_POINTER(a);
}

/* A state's channels and transitions renumbered in channel-name order */
typedef struct Canonical
{
	int			nchan;
	int			ntrans;
	const char **names;
	int		   *lens;
	int64	   *converting;
	CjMarkovTrans *trans;		/* sorted by cj_markov_trans_cmp */
} Canonical;

static const CjTransitions *SortState;

/* Order channel codes by name */
static int
CodeNameCmp(const void *x, const void *y)
{
	int			a = *(const int *) x;
	int			b = *(const int *) y;

	return cj_channel_cmp(MK_NAME(SortState, a), MK_CHANS(SortState)[a].name_len,
						  MK_NAME(SortState, b), MK_CHANS(SortState)[b].name_len);
}

/* Core symbol of a state symbol, renumbered through map */
static int32
CoreSymbol(int x, const int *map)
{
	if (x == MK_CONV)
		return CJ_MK_CONV;
	if (x == MK_NULL)
		return CJ_MK_NULL;
	return Recode(x, map);
}

/* Renumber channels in name order and sort the transitions */
static void
MakeCanonical(const CjTransitions *s, Canonical *c)
{
	int		   *byname = palloc(sizeof(int) * Max(s->nchan, 1));
	int		   *map = palloc(sizeof(int) * Max(s->nchan, 1));
	int			i,
				k;

	for (i = 0; i < s->nchan; i++)
		byname[i] = i;
	SortState = s;
	qsort(byname, s->nchan, sizeof(int), CodeNameCmp);
	c->nchan = s->nchan;
	c->ntrans = s->ntrans;
	c->names = palloc(sizeof(char *) * Max(s->nchan, 1));
	c->lens = palloc(sizeof(int) * Max(s->nchan, 1));
	c->converting = palloc(sizeof(int64) * Max(s->nchan, 1));
	for (i = 0; i < s->nchan; i++)
	{
		map[byname[i]] = i + 1;
		c->names[i] = MK_NAME(s, byname[i]);
		c->lens[i] = MK_CHANS(s)[byname[i]].name_len;
		c->converting[i] = MK_CHANS(s)[byname[i]].converting;
	}
	c->trans = palloc0(sizeof(CjMarkovTrans) * Max(s->ntrans, 1));
	for (i = 0; i < s->ntrans; i++)
	{
		int			from[3],
					next;

		UnpackKey(MK_TRANS(s)[i].key, from, &next);
		for (k = 0; k < CJ_MARKOV_MAX_ORDER; k++)
			c->trans[i].from[k] = k < s->order ? CoreSymbol(from[k], map) : 0;
		c->trans[i].next = CoreSymbol(next, map);
		c->trans[i].count = MK_TRANS(s)[i].count;
	}
	qsort(c->trans, s->ntrans, sizeof(CjMarkovTrans), cj_markov_trans_cmp);
}

/* cj_markov_attribution final: removal effects scaled to the conversions */
Datum
cj_markov_final(PG_FUNCTION_ARGS)
{
	CjTransitions *s;
	Canonical	c;
	int			nstates,
				i;
	bool	   *converts;
	double	   *effect,
			   *credit,
				p,
				total = 0.0;
	CjError		err = {0};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = PG_GETARG_CJ_TRANSITIONS_P(0);
	MakeCanonical(s, &c);
	nstates = cj_markov_nstates(c.trans, c.ntrans);
	if (nstates > CJ_MARKOV_MAX_STATES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many states for an exact Markov solve"),
				 errdetail("The chain has %d states; at most %d are allowed.",
						   nstates, CJ_MARKOV_MAX_STATES),
				 errhint("Use a lower order or fewer channels.")));
	converts = palloc(sizeof(bool) * Max(c.nchan, 1));
	effect = palloc(sizeof(double) * Max(c.nchan, 1));
	credit = palloc(sizeof(double) * Max(c.nchan, 1));
	for (i = 0; i < c.nchan; i++)
		converts[i] = c.converting[i] > 0;
	for (i = 0; i < c.ntrans; i++)
		if (c.trans[i].next == CJ_MK_CONV)
			total += (double) c.trans[i].count;
	if (!cj_markov_removal(c.trans, c.ntrans, s->order, c.nchan, converts,
						   palloc(cj_markov_work_size(nstates, c.ntrans)),
						   &p, effect, &err))
		cj_raise(&err, "Markov chain has no absorbing end from some state");
	cj_markov_credits(effect, c.nchan, total, credit);
	PG_RETURN_POINTER(cj_credits_build(c.nchan, c.names, c.lens, credit));
}

/* The core form of a canonical state (channels by name, sorted) */
static void
CanonicalText(const CjTransitions *s, const Canonical *c, CjChainText *t)
{
	int			i;

	t->order = s->order;
	t->nchan = c->nchan;
	t->ntrans = c->ntrans;
	t->chans = palloc(sizeof(CjChainChannel) * Max(c->nchan, 1));
	for (i = 0; i < c->nchan; i++)
	{
		t->chans[i].name = c->names[i];
		t->chans[i].len = c->lens[i];
		t->chans[i].converting = c->converting[i];
	}
	t->trans = c->trans;
}

/* cj_transitions text output (canonical numbering) */
Datum
cj_transitions_out(PG_FUNCTION_ARGS)
{
	CjTransitions *s = PG_GETARG_CJ_TRANSITIONS_P(0);
	Canonical	c;
	CjChainText t;
	char	   *buf;

	MakeCanonical(s, &c);
	CanonicalText(s, &c, &t);
	buf = palloc(cj_transitions_text_size(&t));
	cj_transitions_format(&t, buf);
	PG_RETURN_CSTRING(buf);
}

/* State symbol of a core symbol */
static int
StateSymbol(int32 x)
{
	return x == CJ_MK_CONV ? MK_CONV : x == CJ_MK_NULL ? MK_NULL : (int) x;
}

/*
 * A state from a validated core form: channels in the order given (codes
 * 1..nchan), transitions distinct.
 */
static CjTransitions *
StateFromText(const CjChainText *t)
{
	int			names = 0,
				i,
				k;
	CjTransitions *s;

	for (i = 0; i < t->nchan; i++)
		names += t->chans[i].len;
	s = NewState(t->order, Max(t->nchan, 1), Max(t->ntrans, 1), Max(names, 1));
	for (i = 0; i < t->nchan; i++)
	{
		MkChannel  *ch = &MK_CHANS(s)[i];

		ch->converting = t->chans[i].converting;
		ch->name_off = s->names_used;
		ch->name_len = t->chans[i].len;
		memcpy(MK_NAMES(s) + s->names_used, t->chans[i].name, t->chans[i].len);
		s->names_used += t->chans[i].len;
		s->nchan++;
	}
	for (i = 0; i < t->ntrans; i++)
	{
		int			from[3] = {0, 0, 0};

		for (k = 0; k < t->order; k++)
			from[k] = StateSymbol(t->trans[i].from[k]);
		AddTrans(s, PackKey(from, StateSymbol(t->trans[i].next)), t->trans[i].count);
	}
	return s;
}

/* cj_transitions text input (parsed by core/journey/transitions_text.c) */
Datum
cj_transitions_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	CjChainText t;
	char	   *names = palloc(cj_transitions_parse_names(len));
	CjError		err;

	t.chans = palloc(sizeof(CjChainChannel) * cj_transitions_parse_chans(len));
	t.trans = palloc(sizeof(CjMarkovTrans) * cj_transitions_parse_trans(len));
	if (!cj_transitions_parse(str, &t, names, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_transitions", str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(StateFromText(&t));
}

/* cj_transitions binary output (canonical numbering) */
Datum
cj_transitions_send(PG_FUNCTION_ARGS)
{
	CjTransitions *s = PG_GETARG_CJ_TRANSITIONS_P(0);
	Canonical	c;
	StringInfoData buf;
	int			i,
				k;

	MakeCanonical(s, &c);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->version);
	pq_sendbyte(&buf, s->order);
	pq_sendint32(&buf, c.nchan);
	for (i = 0; i < c.nchan; i++)
	{
		pq_sendint32(&buf, c.lens[i]);
		pq_sendbytes(&buf, c.names[i], c.lens[i]);
		pq_sendint64(&buf, c.converting[i]);
	}
	pq_sendint32(&buf, c.ntrans);
	for (i = 0; i < c.ntrans; i++)
	{
		for (k = 0; k < s->order; k++)
			pq_sendint32(&buf, c.trans[i].from[k]);
		pq_sendint32(&buf, c.trans[i].next);
		pq_sendint64(&buf, c.trans[i].count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Binary-input failure */
static void
BadTransitions(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary data for type %s", "cj_transitions"),
			 errdetail("%s", detail)));
}

/* cj_transitions binary input, validating what text input validates */
Datum
cj_transitions_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	CjChainText t;
	CjError		err;
	int			i,
				k;

	cj_check_binary_version(pq_getmsgbyte(msg), "cj_transitions");
	t.order = pq_getmsgbyte(msg);
	t.nchan = pq_getmsgint(msg, 4);
	if (t.order < 1 || t.order > CJ_MARKOV_MAX_ORDER ||
		t.nchan < 1 || t.nchan > CJ_CREDITS_MAX_CHANNELS)
		BadTransitions("The order or the channel count is out of range.");
	t.chans = palloc(sizeof(CjChainChannel) * t.nchan);
	for (i = 0; i < t.nchan; i++)
	{
		t.chans[i].len = pq_getmsgint(msg, 4);
		if (!cj_channel_check(NULL, t.chans[i].len, &err))
			BadTransitions(err.detail);
		t.chans[i].name = pq_getmsgbytes(msg, t.chans[i].len);
		t.chans[i].converting = pq_getmsgint64(msg);
	}
	t.ntrans = pq_getmsgint(msg, 4);
	if (t.ntrans < 1 || t.ntrans > CJ_MARKOV_MAX_TRANS)
		BadTransitions("The transition count is out of range.");
	t.trans = palloc0(sizeof(CjMarkovTrans) * t.ntrans);
	for (i = 0; i < t.ntrans; i++)
	{
		for (k = 0; k < t.order; k++)
			t.trans[i].from[k] = pq_getmsgint(msg, 4);
		t.trans[i].next = pq_getmsgint(msg, 4);
		t.trans[i].count = pq_getmsgint64(msg);
	}
	if (!cj_transitions_validate(&t, &err))
		BadTransitions(err.detail);
	for (i = 0; i < t.nchan; i++)
		pg_verifymbstr(t.chans[i].name, t.chans[i].len, false);
	PG_RETURN_POINTER(StateFromText(&t));
}
