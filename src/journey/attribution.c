/*-------------------------------------------------------------------------
 *
 * attribution.c
 *	  The per-conversion aggregate cj_attribution(channel, touched_at,
 *	  converted_at, model [, half_life]) -> cj_credits and its state type
 *	  cj_touches.
 *
 * The state keeps the model, the half-life, the conversion time and the
 * touches at or before it (channel and time); the final function orders
 * the touches by time and then channel name (byte order), which breaks
 * ties deterministically, and lets the core credit them
 * (src/core/journey/attrib.c).
 *
 * Text form of cj_touches, times in microseconds since 2000-01-01 UTC:
 *	linear@774000000000000{773990000000000:"email", 773995000000000:"search"}
 *	time_decay(604800)@774000000000000{...}   (half-life in seconds)
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "journey/credits.h"
#include "common/util.h"
#include "core/journey/attrib.h"
#include "core/common/text.h"
#include "core/journey/channel_text.h"
#include "core/journey/touches_text.h"
#include "common/state.h"

PG_FUNCTION_INFO_V1(cj_touches_in);
PG_FUNCTION_INFO_V1(cj_touches_out);
PG_FUNCTION_INFO_V1(cj_touches_recv);
PG_FUNCTION_INFO_V1(cj_touches_send);
PG_FUNCTION_INFO_V1(cj_attribution_trans);
PG_FUNCTION_INFO_V1(cj_attribution_combine);
PG_FUNCTION_INFO_V1(cj_attribution_final);

/* Half-life of time_decay when none is given: 7 days */
#define CJ_DEFAULT_HALF_LIFE (7.0 * 86400.0)

typedef struct CjTouches
{
	int32		vl_len_;
	uint8		version;		/* CJ_BINARY_VERSION */
	uint8		model;			/* CjAttribModel */
	int16		reserved;
	int32		ntouch;
	int32		used;			/* bytes of touch records */
	int64		converted;		/* TimestampTz of the conversion */
	float8		half_life;		/* seconds; time_decay only, else 0 */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* TouchRec records */
} CjTouches;

typedef struct TouchRec
{
	int64		at;
	int32		len;
	char		name[FLEXIBLE_ARRAY_MEMBER];
} TouchRec;

#define TOUCH_REC_SIZE(len) TYPEALIGN(8, offsetof(TouchRec, name) + (len))
#define TOUCHES_CAP(t) ((Size) VARSIZE(t) - offsetof(CjTouches, data))
#define PG_GETARG_CJ_TOUCHES_P(n) ((CjTouches *) cj_state_arg(fcinfo, (n), &TouchesType))

/* Header check of a received state (see common/state.h) */
static const char *
TouchesCheck(const void *state, Size size)
{
	const CjTouches *t = state;

	if (t->version != CJ_BINARY_VERSION || t->reserved != 0)
		return "The state has an unknown format version.";
	if (t->model < CJ_ATTR_FIRST_TOUCH || t->model > CJ_ATTR_SHAPLEY ||
		!(isfinite(t->half_life) && t->half_life >= 0))
		return "The state names an unknown attribution model.";
	if (t->ntouch < 0 || t->ntouch > CJ_TOUCHES_MAX || t->used < 0 ||
		(Size) t->used > size - offsetof(CjTouches, data) ||
		(Size) t->ntouch > (Size) t->used / TOUCH_REC_SIZE(1))
		return "The touch count and the bytes in use do not fit the size of the state.";
	return NULL;
}

static const CjStateType TouchesType = {"cj_touches", offsetof(CjTouches, data), TouchesCheck};

/* A new state with room for at least cap bytes of touches */
static CjTouches *
NewTouches(CjAttribModel model, double half_life, int64 converted, Size cap)
{
	Size		sz = offsetof(CjTouches, data) + Max(cap, 64);
	CjTouches  *t = palloc0(sz);

	SET_VARSIZE(t, sz);
	t->version = CJ_BINARY_VERSION;
	t->model = (uint8) model;
	t->converted = converted;
	t->half_life = half_life;
	return t;
}

/*
 * Make room for extra bytes of touches: the same value when it may be
 * modified and has room, else a bigger copy in the current context (the
 * executor moves it into the aggregate context).
 */
static CjTouches *
Reserve(CjTouches *t, Size extra, int ntouch, bool inplace)
{
	CjTouches  *n;

	Size		need;

	if (ntouch > CJ_TOUCHES_MAX - t->ntouch)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many touches for one conversion"),
				 errdetail("A conversion can have at most %d touches.",
						   CJ_TOUCHES_MAX)));
	need = cj_state_add_size(t->used, extra, "cj_touches");
	if (inplace && need <= TOUCHES_CAP(t))
		return t;
	/* at most 100000 touches of 264 bytes: far below MaxAllocSize */
	n = NewTouches(t->model, t->half_life, t->converted,
				   Max(Min(2 * TOUCHES_CAP(t), (Size) CJ_TOUCHES_MAX * TOUCH_REC_SIZE(CJ_CHANNEL_MAX_LEN)),
					   need));
	n->ntouch = t->ntouch;
	n->used = t->used;
	memcpy(n->data, t->data, t->used);
	return n;
}

/* Append one touch (room reserved) */
static void
AppendTouch(CjTouches *t, int64 at, const char *name, int len)
{
	TouchRec   *r = (TouchRec *) (t->data + t->used);

	r->at = at;
	r->len = len;
	memcpy(r->name, name, len);
	t->used += TOUCH_REC_SIZE(len);
	t->ntouch++;
}

/* Error unless a and b describe the same conversion and model */
static void
CheckSameConversion(const CjTouches *a, const CjTouches *b)
{
	if (a->model != b->model || a->half_life != b->half_life)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model and half_life must be the same for every touch of a conversion")));
	if (a->converted != b->converted)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("converted_at must be the same for every touch of a conversion"),
				 errdetail("Each group of cj_attribution rows must be one conversion."),
				 errhint("Group the rows by conversion.")));
}

/* Last model name seen by a call site, so rows skip the name lookup */
typedef struct ModelCache
{
	int			len;
	char		name[32];
	CjAttribModel model;
} ModelCache;

/* The model named by a text argument, 22023 when unknown */
static CjAttribModel
ModelArg(FunctionCallInfo fcinfo, text *name)
{
	ModelCache *cache = fcinfo->flinfo->fn_extra;
	int			len = VARSIZE_ANY_EXHDR(name);
	char	   *s;
	CjAttribModel m;

	if (cache != NULL && cache->len == len &&
		memcmp(cache->name, VARDATA_ANY(name), len) == 0)
		return cache->model;
	s = text_to_cstring(name);
	if (!cj_attrib_model_parse(s, &m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown attribution model \"%s\"", s),
				 errdetail("The models are first_touch, last_touch, linear, position_based, time_decay and shapley.")));
	if (len < (int) sizeof(cache->name))
	{
		if (cache == NULL)
			fcinfo->flinfo->fn_extra = cache =
				MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(ModelCache));
		cache->len = len;
		memcpy(cache->name, s, len);
		cache->model = m;
	}
	return m;
}

/* Error unless a timestamp is finite */
static int64
FiniteTime(TimestampTz ts, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite", what)));
	return (int64) ts;
}

/*
 * cj_attribution transition: keep one touch.  Rows with a NULL argument and
 * touches after the conversion are ignored.
 */
Datum
cj_attribution_trans(PG_FUNCTION_ARGS)
{
	CjTouches  *t = PG_ARGISNULL(0) ? NULL : PG_GETARG_CJ_TOUCHES_P(0);
	text	   *channel;
	int64		at,
				conv;
	CjAttribModel model;
	double		half_life = 0.0;
	bool		inplace = AggCheckCallContext(fcinfo, NULL) != 0;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4) ||
		(PG_NARGS() > 5 && PG_ARGISNULL(5)))
		goto unchanged;
	model = ModelArg(fcinfo, PG_GETARG_TEXT_PP(4));
	if (PG_NARGS() > 5)
	{
		if (model != CJ_ATTR_TIME_DECAY)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("half_life applies only to the time_decay model")));
		half_life = cj_interval_seconds(PG_GETARG_INTERVAL_P(5), "half_life", true);
	}
	else if (model == CJ_ATTR_TIME_DECAY)
		half_life = CJ_DEFAULT_HALF_LIFE;
	at = FiniteTime(PG_GETARG_TIMESTAMPTZ(2), "touched_at");
	conv = FiniteTime(PG_GETARG_TIMESTAMPTZ(3), "converted_at");
	if (at > conv)
		goto unchanged;
	channel = PG_GETARG_TEXT_PP(1);
	cj_check_channel(VARDATA_ANY(channel), VARSIZE_ANY_EXHDR(channel));
	if (t == NULL)
		t = NewTouches(model, half_life, conv, 256);
	else
	{
		CjTouches	probe = {0};

		probe.model = model;
		probe.half_life = half_life;
		probe.converted = conv;
		CheckSameConversion(t, &probe);
	}
	t = Reserve(t, TOUCH_REC_SIZE(VARSIZE_ANY_EXHDR(channel)), 1, inplace);
	AppendTouch(t, at, VARDATA_ANY(channel), VARSIZE_ANY_EXHDR(channel));
	PG_RETURN_POINTER(t);

unchanged:
	if (t == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(t);
}

/* cj_attribution combine: concatenate the touches of two partial states */
Datum
cj_attribution_combine(PG_FUNCTION_ARGS)
{
	Datum		result;
	bool		isnull;
	CjTouches  *a,
			   *b;

	if (cj_state_combine_start(fcinfo, "cj_attribution_combine", &TouchesType,
							   &result, &isnull, (void **) &a, (void **) &b))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	CheckSameConversion(a, b);
	a = Reserve(a, b->used, b->ntouch, true);
	memcpy(a->data + a->used, b->data, b->used);
	a->used += b->used;
	a->ntouch += b->ntouch;
	PG_RETURN_POINTER(a);
}

/* Order touches by time, then channel name */
static int
TouchCmp(const void *x, const void *y)
{
	const TouchRec *a = *(const TouchRec *const *) x;
	const TouchRec *b = *(const TouchRec *const *) y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return cj_channel_cmp(a->name, a->len, b->name, b->len);
}

/* Order touches by channel name only */
static int
TouchNameCmp(const void *x, const void *y)
{
	const TouchRec *a = *(const TouchRec *const *) x;
	const TouchRec *b = *(const TouchRec *const *) y;

	return cj_channel_cmp(a->name, a->len, b->name, b->len);
}

/* Pointers to the n touch records of a state */
static TouchRec **
TouchList(const CjTouches *t)
{
	TouchRec  **recs = palloc(sizeof(TouchRec *) * Max(t->ntouch, 1));
	Size		off = 0;
	int			i;

	for (i = 0; i < t->ntouch; i++)
	{
		recs[i] = (TouchRec *) (t->data + off);
		if (off + offsetof(TouchRec, name) > (Size) t->used ||
			recs[i]->len < 1 || recs[i]->len > CJ_CHANNEL_MAX_LEN ||
			off + TOUCH_REC_SIZE(recs[i]->len) > (Size) t->used)
			cj_state_invalid(&TouchesType, "A touch lies outside the state.");
		off += TOUCH_REC_SIZE(recs[i]->len);
	}
	return recs;
}

/*
 * Seconds from a touch to its conversion.  Finite timestamps can be
 * further apart than int64 microseconds reach (4713 BC to 294276 AD):
 * such a difference is taken in floating point instead of wrapping.
 */
static double
TouchAge(TimestampTz converted, TimestampTz at)
{
	int64		us;

	if (pg_sub_s64_overflow(converted, at, &us))
		return ((double) converted - (double) at) / 1e6;
	return (double) us / 1e6;
}

/* cj_attribution final: credit the conversion's touches */
Datum
cj_attribution_final(PG_FUNCTION_ARGS)
{
	CjTouches  *t;
	TouchRec  **recs,
			  **byname;
	int			n,
				nchan = 0,
				i;
	int		   *chan;
	double	   *age,
			   *weight,
			   *credit;
	const char **names;
	int		   *lens;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = PG_GETARG_CJ_TOUCHES_P(0);
	n = t->ntouch;
	if (n == 0)
		PG_RETURN_NULL();
	recs = TouchList(t);
	byname = palloc(sizeof(TouchRec *) * n);
	memcpy(byname, recs, sizeof(TouchRec *) * n);
	qsort(recs, n, sizeof(TouchRec *), TouchCmp);
	qsort(byname, n, sizeof(TouchRec *), TouchNameCmp);
	names = palloc(sizeof(char *) * n);
	lens = palloc(sizeof(int) * n);
	for (i = 0; i < n; i++)
		if (i == 0 || TouchNameCmp(&byname[i - 1], &byname[i]) != 0)
		{
			names[nchan] = byname[i]->name;
			lens[nchan++] = byname[i]->len;
		}
	chan = palloc(sizeof(int) * n);
	age = palloc(sizeof(double) * n);
	weight = palloc(sizeof(double) * n);
	credit = palloc(sizeof(double) * nchan);
	for (i = 0; i < n; i++)
	{
		int			lo = 0,
					hi = nchan - 1;

		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (cj_channel_cmp(names[mid], lens[mid], recs[i]->name, recs[i]->len) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		chan[i] = lo;
		age[i] = TouchAge(t->converted, recs[i]->at);
	}
	cj_attrib_credit((CjAttribModel) t->model, n, chan, age, t->half_life,
					 nchan, weight, credit);
	PG_RETURN_POINTER(cj_credits_build(nchan, names, lens, credit));
}

/* A state holding the validated core touches */
static CjTouches *
TouchesFromItems(const CjTouchesHead *h, const CjTouchItem *items, int n)
{
	Size		need = 0;
	CjTouches  *t;
	int			i;

	for (i = 0; i < n; i++)
		need += TOUCH_REC_SIZE(items[i].len);
	t = NewTouches((CjAttribModel) h->model, h->half_life, h->converted, need);
	for (i = 0; i < n; i++)
		AppendTouch(t, items[i].at, items[i].name, items[i].len);
	return t;
}

/* cj_touches text input (parsed by core/journey/touches_text.c) */
Datum
cj_touches_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	CjTouchItem *items = palloc(sizeof(CjTouchItem) * cj_touches_parse_items(len));
	char	   *names = palloc(cj_touches_parse_names(len));
	CjTouchesHead h;
	CjError		err;
	int			n = cj_touches_parse(str, &h, items, names, &err);

	if (n < 0)
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_touches", str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(TouchesFromItems(&h, items, n));
}

/* cj_touches text output */
Datum
cj_touches_out(PG_FUNCTION_ARGS)
{
	CjTouches  *t = PG_GETARG_CJ_TOUCHES_P(0);
	TouchRec  **recs = TouchList(t);
	CjTouchItem *items = palloc(sizeof(CjTouchItem) * Max(t->ntouch, 1));
	CjTouchesHead h;
	char	   *buf;
	int			i;

	h.model = t->model;
	h.half_life = t->half_life;
	h.converted = t->converted;
	for (i = 0; i < t->ntouch; i++)
	{
		items[i].at = recs[i]->at;
		items[i].name = recs[i]->name;
		items[i].len = recs[i]->len;
	}
	buf = palloc(cj_touches_text_size(items, t->ntouch));
	cj_touches_format(&h, items, t->ntouch, buf);
	PG_RETURN_CSTRING(buf);
}

/* cj_touches binary output */
Datum
cj_touches_send(PG_FUNCTION_ARGS)
{
	CjTouches  *t = PG_GETARG_CJ_TOUCHES_P(0);
	TouchRec  **recs = TouchList(t);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, t->version);
	pq_sendbyte(&buf, t->model);
	pq_sendfloat8(&buf, t->half_life);
	pq_sendint64(&buf, t->converted);
	pq_sendint32(&buf, t->ntouch);
	for (i = 0; i < t->ntouch; i++)
	{
		pq_sendint64(&buf, recs[i]->at);
		pq_sendint32(&buf, recs[i]->len);
		pq_sendbytes(&buf, recs[i]->name, recs[i]->len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Binary-input failure */
static void
BadTouches(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary data for type %s", "cj_touches"),
			 errdetail("%s", detail)));
}

/* cj_touches binary input, validating what text input validates */
Datum
cj_touches_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	CjTouchesHead h;
	CjTouchItem *items;
	CjError		err;
	int			n,
				i;

	cj_check_binary_version(pq_getmsgbyte(msg), "cj_touches");
	h.model = pq_getmsgbyte(msg);
	h.half_life = pq_getmsgfloat8(msg);
	h.converted = pq_getmsgint64(msg);
	n = pq_getmsgint(msg, 4);
	if (!cj_touches_head_validate(&h, n, &err))
		BadTouches(err.detail);
	items = palloc(sizeof(CjTouchItem) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		items[i].at = pq_getmsgint64(msg);
		items[i].len = pq_getmsgint(msg, 4);
		if (!cj_channel_check(NULL, items[i].len, &err))
			BadTouches(err.detail);
		items[i].name = pq_getmsgbytes(msg, items[i].len);
	}
	if (!cj_touches_validate(&h, items, n, &err))
		BadTouches(err.detail);
	for (i = 0; i < n; i++)
		pg_verifymbstr(items[i].name, items[i].len, false);
	PG_RETURN_POINTER(TouchesFromItems(&h, items, n));
}
