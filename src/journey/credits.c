/*-------------------------------------------------------------------------
 *
 * credits.c
 *	  The cj_credits type, a compact channel -> credit map, and its
 *	  accumulator cj_credits_acc: text and binary I/O, cj_credits_each,
 *	  the jsonb cast and the cj_credits_sum aggregate.
 *
 * Text form: {"email"=>0.5, "search"=>0.5}, channels double-quoted (with
 * \" and \\ escapes) and sorted by name in byte order, credits as the
 * shortest decimal that reads back exactly.  cj_credits_acc writes a
 * non-zero low-order part after the credit: "email"=>0.3+5.5e-18.
 *
 * cj_credits_sum adds credits channel by channel in double-double
 * arithmetic (Knuth's TwoSum, TAOCP 2, 4.2.2 thm. B; Dekker 1971): each
 * running total carries its rounding error, so the rounded result is the
 * correctly rounded exact sum except in pathological cancellations, and
 * serial and parallel plans (any grouping of the same credits) agree to
 * the last bit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"

#include "journey/credits.h"
#include "common/util.h"
#include "core/journey/attrib.h"
#include "core/common/text.h"
#include "core/journey/channel_text.h"
#include "core/journey/credits_text.h"
#include "common/state.h"

PG_FUNCTION_INFO_V1(cj_credits_in);
PG_FUNCTION_INFO_V1(cj_credits_out);
PG_FUNCTION_INFO_V1(cj_credits_recv);
PG_FUNCTION_INFO_V1(cj_credits_send);
PG_FUNCTION_INFO_V1(cj_credits_acc_in);
PG_FUNCTION_INFO_V1(cj_credits_acc_recv);
PG_FUNCTION_INFO_V1(cj_credits_each);
PG_FUNCTION_INFO_V1(cj_credits_jsonb);
PG_FUNCTION_INFO_V1(cj_credits_sum_trans);
PG_FUNCTION_INFO_V1(cj_credits_sum_combine);
PG_FUNCTION_INFO_V1(cj_credits_sum_final);

/*
 * Check of a received credits value or accumulator (see common/state.h):
 * the count, and every name inside the name area.  O(channels), which the
 * merge that follows costs anyway.
 */
static const char *
CreditsCheck(const void *state, Size size)
{
	const CjCredits *c = state;
	Size		names;
	int			i;

	if (c->version != CJ_BINARY_VERSION || c->flags != 0 || c->reserved != 0 ||
		c->reserved2 != 0)
		return "The value has an unknown format version.";
	if (c->n < 0 || c->n > CJ_CREDITS_MAX_CHANNELS ||
		size < offsetof(CjCredits, e) + (Size) c->n * sizeof(CjCreditEntry))
		return "The number of channels does not fit the size of the value.";
	names = size - offsetof(CjCredits, e) - (Size) c->n * sizeof(CjCreditEntry);
	for (i = 0; i < c->n; i++)
		if (c->e[i].name_len < 1 || c->e[i].name_len > CJ_CHANNEL_MAX_LEN ||
			c->e[i].name_off < 0 || (Size) c->e[i].name_off > names ||
			(Size) c->e[i].name_len > names - c->e[i].name_off)
			return "A channel name lies outside the value.";
	return NULL;
}

static const CjStateType CreditsType = {"cj_credits", offsetof(CjCredits, e), CreditsCheck};
static const CjStateType CreditsAccType = {"cj_credits_acc", offsetof(CjCredits, e), CreditsCheck};

#define CREDITS_ARG(n) ((CjCredits *) cj_state_arg(fcinfo, (n), &CreditsType))
#define CREDITS_ACC_ARG(n) ((CjCredits *) cj_state_arg(fcinfo, (n), &CreditsAccType))

/* Byte-order comparison of two channel names */
int
cj_channel_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* Check a channel name's length */
void
cj_check_channel(const char *name, int len)
{
	if (len <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("channel name must not be empty")));
	if (len > CJ_CHANNEL_MAX_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("channel name is too long"),
				 errdetail("A channel name cannot be longer than %d bytes.",
						   CJ_CHANNEL_MAX_LEN)));
}

/* Allocate an empty credits value for n channels and nbytes of names */
static CjCredits *
AllocCredits(int n, Size nbytes)
{
	Size		sz = offsetof(CjCredits, e) + sizeof(CjCreditEntry) * n + nbytes;
	CjCredits  *c = palloc0(sz);

	SET_VARSIZE(c, sz);
	c->version = CJ_BINARY_VERSION;
	c->n = n;
	return c;
}

/* Flush subnormals to zero: they would not read back as text */
static double
NoSubnormal(double v)
{
	return fabs(v) < DBL_MIN ? 0.0 : v;
}

/* A credits value from sorted distinct names */
CjCredits *
cj_credits_build(int n, const char *const *names, const int *lens,
				 const double *credit)
{
	Size		nbytes = 0;
	CjCredits  *c;
	int			i,
				off = 0;

	/* what cj_credits input accepts, so every result reads back */
	if (n > CJ_CREDITS_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("result has too many channels for type cj_credits"),
				 errdetail("A credits value holds at most %d channels; this one would have %d.",
						   CJ_CREDITS_MAX_CHANNELS, n)));
	for (i = 0; i < n; i++)
	{
		if (!isfinite(credit[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("credit is out of range for type cj_credits")));
		nbytes += lens[i];
	}
	c = AllocCredits(n, nbytes);
	for (i = 0; i < n; i++)
	{
		c->e[i].credit = NoSubnormal(credit[i]);
		c->e[i].name_off = off;
		c->e[i].name_len = lens[i];
		memcpy(CJ_CREDITS_NAMES(c) + off, names[i], lens[i]);
		off += lens[i];
	}
	return c;
}

/* Append a channel name double-quoted */
void
cj_append_channel(StringInfo buf, const char *name, int len)
{
	int			i;

	appendStringInfoChar(buf, '"');
	for (i = 0; i < len; i++)
	{
		if (name[i] == '"' || name[i] == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, name[i]);
	}
	appendStringInfoChar(buf, '"');
}

/* A credits value from sorted, validated core items */
static CjCredits *
CreditsFromItems(const CjCreditItem *items, int n)
{
	Size		nbytes = 0;
	CjCredits  *c;
	int			i;

	for (i = 0; i < n; i++)
		nbytes += items[i].len;
	c = AllocCredits(n, nbytes);
	nbytes = 0;
	for (i = 0; i < n; i++)
	{
		c->e[i].credit = NoSubnormal(items[i].credit);
		c->e[i].comp = NoSubnormal(items[i].comp);
		c->e[i].name_off = nbytes;
		c->e[i].name_len = items[i].len;
		memcpy(CJ_CREDITS_NAMES(c) + nbytes, items[i].name, items[i].len);
		nbytes += items[i].len;
	}
	return c;
}

/* The core items of a credits value (names point into c) */
static CjCreditItem *
ItemsOf(const CjCredits *c)
{
	CjCreditItem *items = palloc(sizeof(CjCreditItem) * Max(c->n, 1));
	int			i;

	for (i = 0; i < c->n; i++)
	{
		items[i].name = CJ_CREDITS_NAME(c, i);
		items[i].len = c->e[i].name_len;
		items[i].credit = c->e[i].credit;
		items[i].comp = c->e[i].comp;
	}
	return items;
}

/* Parse the text form (core/journey/credits_text.c); NULL with err set */
static CjCredits *
ParseCredits(const char *str, bool acc, CjError *err)
{
	size_t		len = strlen(str);
	CjCreditItem *items = palloc(sizeof(CjCreditItem) * cj_credits_parse_items(len));
	char	   *names = palloc(cj_credits_parse_names(len));
	int			n = cj_credits_parse(str, acc, items, names, err);

	return n < 0 ? NULL : CreditsFromItems(items, n);
}

/*
 * Text form, or with json the jsonb text {"channel": credit} (names JSON
 * escaped, credits as exact decimals, no low-order parts).
 */
static char *
CreditsText(const CjCredits *c, bool json)
{
	StringInfoData buf;
	int			i;

	if (!json)
	{
		CjCreditItem *items = ItemsOf(c);
		char	   *text = palloc(cj_credits_text_size(items, c->n));

		cj_credits_format(items, c->n, text);
		return text;
	}
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < c->n; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, pnstrdup(CJ_CREDITS_NAME(c, i), c->e[i].name_len));
		appendStringInfoString(&buf, ": ");
		cj_append_float8(&buf, c->e[i].credit);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* Binary form: version, count, then name, credit, comp per channel */
static bytea *
CreditsSend(const CjCredits *c)
{
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, c->version);
	pq_sendint32(&buf, c->n);
	for (i = 0; i < c->n; i++)
	{
		pq_sendint32(&buf, c->e[i].name_len);
		pq_sendbytes(&buf, CJ_CREDITS_NAME(c, i), c->e[i].name_len);
		pq_sendfloat8(&buf, c->e[i].credit);
		pq_sendfloat8(&buf, c->e[i].comp);
	}
	return pq_endtypsend(&buf);
}

/* Binary-input failure of a credits type */
static void
BadCredits(const char *typname, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary data for type %s", typname),
			 errdetail("%s", detail)));
}

/* Read the binary form, validating what text input validates */
static CjCredits *
CreditsRecv(StringInfo msg, bool acc, const char *typname)
{
	int			n,
				i;
	CjCreditItem *items;
	CjError		err;

	cj_check_binary_version(pq_getmsgbyte(msg), typname);
	n = pq_getmsgint(msg, 4);
	if (!cj_credits_validate(NULL, n < 0 || n > CJ_CREDITS_MAX_CHANNELS ? n : 0,
							 acc, &err))
		BadCredits(typname, err.detail);
	items = palloc(sizeof(CjCreditItem) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		int			len = pq_getmsgint(msg, 4);

		if (!cj_channel_check(NULL, len, &err))
			BadCredits(typname, err.detail);
		items[i].name = pq_getmsgbytes(msg, len);
		items[i].len = len;
		items[i].credit = pq_getmsgfloat8(msg);
		items[i].comp = pq_getmsgfloat8(msg);
	}
	if (!cj_credits_validate(items, n, acc, &err))
		BadCredits(typname, err.detail);
	for (i = 0; i < n; i++)
		pg_verifymbstr(items[i].name, items[i].len, false);
	return CreditsFromItems(items, n);
}

/* Text input of cj_credits / cj_credits_acc */
static Datum
CreditsIn(FunctionCallInfo fcinfo, bool acc, const char *typname)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjError		err = {0};
	CjCredits  *c = ParseCredits(str, acc, &err);

	if (c == NULL)
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), typname, str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(c);
}

/* cj_credits text input */
Datum
cj_credits_in(PG_FUNCTION_ARGS)
{
	return CreditsIn(fcinfo, false, "cj_credits");
}

/* cj_credits and cj_credits_acc text output */
Datum
cj_credits_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(CreditsText(PG_GETARG_CJ_CREDITS_P(0), false));
}

/* cj_credits binary input */
Datum
cj_credits_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(CreditsRecv((StringInfo) PG_GETARG_POINTER(0), false,
								  "cj_credits"));
}

/* cj_credits and cj_credits_acc binary output */
Datum
cj_credits_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(CreditsSend(PG_GETARG_CJ_CREDITS_P(0)));
}

/* cj_credits_acc text input */
Datum
cj_credits_acc_in(PG_FUNCTION_ARGS)
{
	return CreditsIn(fcinfo, true, "cj_credits_acc");
}

/* cj_credits_acc binary input */
Datum
cj_credits_acc_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(CreditsRecv((StringInfo) PG_GETARG_POINTER(0), true,
								  "cj_credits_acc"));
}

/* cj_credits_each(credits): one row (channel, credit) per channel */
Datum
cj_credits_each(PG_FUNCTION_ARGS)
{
	FuncCallContext *fctx;
	CjCredits  *c;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;

		fctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		fctx->tuple_desc = BlessTupleDesc(tupdesc);
		fctx->user_fctx = CREDITS_ARG(0);
		MemoryContextSwitchTo(old);
	}
	fctx = SRF_PERCALL_SETUP();
	c = fctx->user_fctx;
	if (fctx->call_cntr < (uint64) c->n)
	{
		int			i = (int) fctx->call_cntr;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(CJ_CREDITS_NAME(c, i),
															 c->e[i].name_len));
		values[1] = Float8GetDatum(c->e[i].credit);
		SRF_RETURN_NEXT(fctx, HeapTupleGetDatum(heap_form_tuple(fctx->tuple_desc,
																values, nulls)));
	}
	SRF_RETURN_DONE(fctx);
}

/* cj_credits -> jsonb: {"channel": credit}, credits as exact decimals */
Datum
cj_credits_jsonb(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall1(jsonb_in,
							   CStringGetDatum(CreditsText(CREDITS_ARG(0), true)));
}

/*
 * Add (hi2, lo2) into (*hi, *lo) in double-double arithmetic: TwoSum of
 * the high parts, the low parts added to its error, then renormalised.
 */
static void
DoubleDoubleAdd(double *hi, double *lo, double hi2, double lo2)
{
	double		s = *hi + hi2;
	double		bp = s - *hi;
	double		e = (*hi - (s - bp)) + (hi2 - bp);
	double		h;

	if (!isfinite(s))
		float_overflow_error();
	e += *lo + lo2;
	h = s + e;
	if (!isfinite(h))
		float_overflow_error();
	*lo = NoSubnormal(e - (h - s));
	*hi = h;
}

/*
 * Merge b into a channel by channel.  In place when a already holds every
 * channel of b and may be modified; otherwise a new value in the current
 * memory context (the executor copies it into the aggregate context).
 */
static CjCredits *
MergeCredits(CjCredits *a, const CjCredits *b, bool inplace)
{
	int			i = 0,
				j = 0,
				n = 0;
	CjCredits  *r;
	const char **names;
	int		   *lens;
	double	   *hi,
			   *lo;

	/* count the union */
	while (i < a->n || j < b->n)
	{
		int			c = i >= a->n ? 1 : j >= b->n ? -1 :
			cj_channel_cmp(CJ_CREDITS_NAME(a, i), a->e[i].name_len,
						   CJ_CREDITS_NAME(b, j), b->e[j].name_len);

		n++;
		i += (c <= 0);
		j += (c >= 0);
	}
	if (n > CJ_CREDITS_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many channels in a credits total"),
				 errdetail("A credits value cannot hold more than %d channels.",
						   CJ_CREDITS_MAX_CHANNELS)));
	if (n == a->n && inplace)
	{
		for (i = 0, j = 0; j < b->n; i++)
			if (a->e[i].name_len == b->e[j].name_len &&
				memcmp(CJ_CREDITS_NAME(a, i), CJ_CREDITS_NAME(b, j), b->e[j].name_len) == 0)
			{
				DoubleDoubleAdd(&a->e[i].credit, &a->e[i].comp,
								b->e[j].credit, b->e[j].comp);
				j++;
			}
		return a;
	}
	names = palloc(sizeof(char *) * Max(n, 1));
	lens = palloc(sizeof(int) * Max(n, 1));
	hi = palloc0(sizeof(double) * Max(n, 1));
	lo = palloc0(sizeof(double) * Max(n, 1));
	for (i = 0, j = 0, n = 0; i < a->n || j < b->n; n++)
	{
		int			c = i >= a->n ? 1 : j >= b->n ? -1 :
			cj_channel_cmp(CJ_CREDITS_NAME(a, i), a->e[i].name_len,
						   CJ_CREDITS_NAME(b, j), b->e[j].name_len);
		const CjCredits *src = c <= 0 ? a : b;
		int			k = c <= 0 ? i : j;

		names[n] = CJ_CREDITS_NAME(src, k);
		lens[n] = src->e[k].name_len;
		if (c <= 0)
		{
			DoubleDoubleAdd(&hi[n], &lo[n], a->e[i].credit, a->e[i].comp);
			i++;
		}
		if (c >= 0)
		{
			DoubleDoubleAdd(&hi[n], &lo[n], b->e[j].credit, b->e[j].comp);
			j++;
		}
	}
	r = cj_credits_build(n, names, lens, hi);
	for (i = 0; i < n; i++)
		r->e[i].comp = lo[i];
	return r;
}

/* cj_credits_sum transition: add one conversion's credits */
Datum
cj_credits_sum_trans(PG_FUNCTION_ARGS)
{
	CjCredits  *acc;
	CjCredits  *c;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(CREDITS_ACC_ARG(0));
	}
	c = CREDITS_ARG(1);
	if (PG_ARGISNULL(0))
	{
		CjCredits  *empty = AllocCredits(0, 0);

		PG_RETURN_POINTER(MergeCredits(empty, c, false));
	}
	acc = CREDITS_ACC_ARG(0);
	PG_RETURN_POINTER(MergeCredits(acc, c, AggCheckCallContext(fcinfo, NULL) != 0));
}

/* cj_credits_sum combine: add two partial totals */
Datum
cj_credits_sum_combine(PG_FUNCTION_ARGS)
{
	Datum		result;
	bool		isnull;
	CjCredits  *a,
			   *b;

	if (cj_state_combine_start(fcinfo, "cj_credits_sum_combine", &CreditsAccType,
							   &result, &isnull, (void **) &a, (void **) &b))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	PG_RETURN_POINTER(MergeCredits(a, b, true));
}

/* cj_credits_sum final: round each double-double total */
Datum
cj_credits_sum_final(PG_FUNCTION_ARGS)
{
	CjCredits  *acc;
	CjCredits  *r;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	acc = CREDITS_ACC_ARG(0);
	r = palloc(VARSIZE(acc));
	memcpy(r, acc, VARSIZE(acc));
	for (i = 0; i < r->n; i++)
	{
		r->e[i].credit = NoSubnormal(r->e[i].credit + r->e[i].comp);
		r->e[i].comp = 0.0;
	}
	PG_RETURN_POINTER(r);
}
