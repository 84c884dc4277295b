/*-------------------------------------------------------------------------
 *
 * holdout.c
 *	  cj_holdout: the calibration/holdout check of a purchase model by
 *	  calibration frequency, as an aggregate with a named state type, and
 *	  cj_holdout_rows() that turns it into tidy rows.
 *
 * For each customer the aggregate adds 1 customer, the actual holdout
 * purchases and the model's conditional expectation
 * E[X(T, T+t*) | x, t_x, T] (the family's conditional function, called in
 * C) to the bucket of its calibration frequency x: 0, 1, ..., k-1 or "k+"
 * (Fader, Hardie and Lee 2005, "Counting your customers the easy way",
 * figure 5).  The state is a small fixed array, summed by the combine
 * function, so the check runs in parallel and distributed.  Text form:
 * see core/cj_diag.h.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "common/util.h"
#include "core/ltv/diag.h"
#include "ltv/diag_util.h"
#include "ltv/scores.h"
#include "common/state.h"
#include "ltv/model.h"

/*
 * The buckets are followed by the low-order parts of their totals
 * (double-double sums, see core/cj_diag.h).  Values stored by version 1.1
 * end after the buckets (HOLDOUT_SIZE); they read as having zero low
 * parts and get them when a support function updates them.
 */
typedef struct CjHoldout
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];	/* must be zero */
	int32		k;				/* buckets 0..k-1 and "k+" (index k) */
	int32		pad;			/* must be zero */
	CjHoldoutBucket b[FLEXIBLE_ARRAY_MEMBER];
	/* CjHoldoutComp lo[k + 1] */
} CjHoldout;

#define HOLDOUT_SIZE(k) (offsetof(CjHoldout, b) + ((k) + 1) * sizeof(CjHoldoutBucket))
#define HOLDOUT_FULL_SIZE(k) (HOLDOUT_SIZE(k) + ((k) + 1) * sizeof(CjHoldoutComp))
#define HOLDOUT_HAS_LO(h) (VARSIZE(h) == HOLDOUT_FULL_SIZE((h)->k))
#define HOLDOUT_LO(h) ((CjHoldoutComp *) ((char *) (h) + HOLDOUT_SIZE((h)->k)))
#define HOLDOUT_DEFAULT_K 7

/* Header check of a received state (see common/state.h) */
static const char *
HoldoutCheck(const void *state, Size size)
{
	const CjHoldout *h = state;

	if (h->version != CJ_BINARY_VERSION || h->reserved[0] || h->reserved[1] ||
		h->reserved[2] || h->pad != 0)
		return "The value has an unknown format version.";
	if (h->k < 1 || h->k > CJ_HOLDOUT_MAX_FREQ ||
		(size != HOLDOUT_SIZE(h->k) && size != HOLDOUT_FULL_SIZE(h->k)))
		return "The number of buckets does not match the size of the value.";
	return NULL;
}

static const CjStateType HoldoutType = {"cj_holdout", offsetof(CjHoldout, b), HoldoutCheck};

PG_FUNCTION_INFO_V1(cj_holdout_in);
PG_FUNCTION_INFO_V1(cj_holdout_out);
PG_FUNCTION_INFO_V1(cj_holdout_recv);
PG_FUNCTION_INFO_V1(cj_holdout_send);
PG_FUNCTION_INFO_V1(cj_holdout_add);
PG_FUNCTION_INFO_V1(cj_holdout_combine);
PG_FUNCTION_INFO_V1(cj_holdout_rows);

/* An all-zero check with k + 1 buckets (and low parts) in mcxt */
static CjHoldout *
NewHoldout(MemoryContext mcxt, int k)
{
	CjHoldout  *h = MemoryContextAllocZero(mcxt, HOLDOUT_FULL_SIZE(k));

	SET_VARSIZE(h, HOLDOUT_FULL_SIZE(k));
	h->version = CJ_BINARY_VERSION;
	h->k = k;
	return h;
}

/* h itself when it has low parts, else a copy with zero ones */
static CjHoldout *
WithLowParts(CjHoldout *h)
{
	CjHoldout  *n;

	if (HOLDOUT_HAS_LO(h))
		return h;
	n = NewHoldout(CurrentMemoryContext, h->k);
	memcpy(n->b, h->b, sizeof(CjHoldoutBucket) * (h->k + 1));
	return n;
}

/* The low parts of bucket i (zero for a value without them) */
static CjHoldoutComp
LowPart(const CjHoldout *h, int i)
{
	CjHoldoutComp z = {0.0, 0.0};

	return HOLDOUT_HAS_LO(h) ? HOLDOUT_LO(h)[i] : z;
}

/* Error (22003) for a total past the range of its type */
static void
TotalOutOfRange(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("holdout check total is out of range for type cj_holdout")));
}

/* Add bucket (b, lo) into bucket i of h, which has low parts */
static void
AddBucket(CjHoldout *h, int i, const CjHoldoutBucket *b, CjHoldoutComp lo)
{
	CjHoldoutBucket *t = &h->b[i];
	CjHoldoutComp *tl = &HOLDOUT_LO(h)[i];

	if (pg_add_s64_overflow(t->customers, b->customers, &t->customers) ||
		!cj_dd_add(&t->actual, &tl->actual, b->actual, lo.actual) ||
		!cj_dd_add(&t->expected, &tl->expected, b->expected, lo.expected))
		TotalOutOfRange();
}

/* Error unless k is an allowed max_freq */
static int
CheckMaxFreq(int32 k)
{
	if (k < 1 || k > CJ_HOLDOUT_MAX_FREQ)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_freq must be between 1 and %d", CJ_HOLDOUT_MAX_FREQ),
				 errdetail("Buckets are the calibration frequencies 0 .. max_freq - 1 and \"max_freq+\"; got %d.",
						   k)));
	return k;
}

/* Text input */
Datum
cj_holdout_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	CjHoldoutBucket *b = palloc(sizeof(CjHoldoutBucket) * (CJ_HOLDOUT_MAX_FREQ + 1));
	CjHoldoutComp *lo = palloc(sizeof(CjHoldoutComp) * (CJ_HOLDOUT_MAX_FREQ + 1));
	CjError		err;
	CjHoldout  *h;
	int			k;

	err.kind = CJ_OK;
	if (!cj_holdout_parse_comp(s, b, lo, &k, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_holdout", s, &err);
		PG_RETURN_NULL();
	}
	h = NewHoldout(CurrentMemoryContext, k);
	memcpy(h->b, b, sizeof(CjHoldoutBucket) * (k + 1));
	memcpy(HOLDOUT_LO(h), lo, sizeof(CjHoldoutComp) * (k + 1));
	PG_RETURN_POINTER(h);
}

/* Append a total and its non-zero low part, signed: "hi+lo", "hi-lo" */
static void
AppendTotal(StringInfo buf, double hi, double lo)
{
	cj_append_float8(buf, hi);
	if (lo > 0.0)
		appendStringInfoChar(buf, '+');
	if (lo != 0.0)
		cj_append_float8(buf, lo);
}

/* Text output: "0:n/actual/expected ... k+:n/actual/expected" */
Datum
cj_holdout_out(PG_FUNCTION_ARGS)
{
	CjHoldout  *h = cj_state_arg(fcinfo, 0, &HoldoutType);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i <= h->k; i++)
	{
		CjHoldoutComp lo = LowPart(h, i);

		appendStringInfo(&buf, "%s%d%s:" INT64_FORMAT "/", i ? " " : "", i,
						 i == h->k ? "+" : "", h->b[i].customers);
		AppendTotal(&buf, h->b[i].actual, lo.actual);
		appendStringInfoChar(&buf, '/');
		AppendTotal(&buf, h->b[i].expected, lo.expected);
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary input: version, k, then k + 1 buckets; then, when some total has
 * a low part, the k + 1 pairs of low parts (a value without them is also
 * the 1.1 form).  Validated as text is.
 */
Datum
cj_holdout_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjHoldout  *h;
	CjError		err;
	int			k,
				i;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_holdout");
	k = CheckMaxFreq(pq_getmsgint(buf, 4));
	h = NewHoldout(CurrentMemoryContext, k);
	for (i = 0; i <= k; i++)
	{
		h->b[i].customers = pq_getmsgint64(buf);
		h->b[i].actual = pq_getmsgfloat8(buf);
		h->b[i].expected = pq_getmsgfloat8(buf);
		if (!cj_holdout_bucket_check(&h->b[i], &err))
			cj_raise(&err, "invalid cj_holdout value");
	}
	if (buf->cursor < buf->len)
		for (i = 0; i <= k; i++)
		{
			CjHoldoutComp *lo = &HOLDOUT_LO(h)[i];

			lo->actual = pq_getmsgfloat8(buf);
			lo->expected = pq_getmsgfloat8(buf);
			if (!cj_dd_valid(h->b[i].actual, lo->actual) ||
				!cj_dd_valid(h->b[i].expected, lo->expected))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid binary data for type cj_holdout"),
						 errdetail("A low-order part must be finite and below half a unit in the last place of its total.")));
		}
	PG_RETURN_POINTER(h);
}

/* Binary output */
Datum
cj_holdout_send(PG_FUNCTION_ARGS)
{
	CjHoldout  *h = cj_state_arg(fcinfo, 0, &HoldoutType);
	StringInfoData buf;
	bool		any_lo = false;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint32(&buf, h->k);
	for (i = 0; i <= h->k; i++)
	{
		CjHoldoutComp lo = LowPart(h, i);

		pq_sendint64(&buf, h->b[i].customers);
		pq_sendfloat8(&buf, h->b[i].actual);
		pq_sendfloat8(&buf, h->b[i].expected);
		any_lo |= (lo.actual != 0.0 || lo.expected != 0.0);
	}
	if (any_lo)
		for (i = 0; i <= h->k; i++)
		{
			pq_sendfloat8(&buf, HOLDOUT_LO(h)[i].actual);
			pq_sendfloat8(&buf, HOLDOUT_LO(h)[i].expected);
		}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A non-negative finite argument */
static double
NonNegArg(double v, const char *name)
{
	if (!(isfinite(v) && v >= 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number >= 0", name),
				 errdetail("Got %g.", v)));
	return v;
}

/*
 * Transition: cj_holdout_add(state, model, x, t_x, T, holdout_length,
 * holdout_x [, max_freq]).  Rows with a NULL argument are skipped.
 */
Datum
cj_holdout_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = cj_agg_context(fcinfo, "cj_holdout_add");
	const CjModelSlot *ms;
	CjHoldout  *h;
	CjHoldoutBucket one;
	CjHoldoutComp zero = {0.0, 0.0};
	double		v[CJ_TUPLE_DIM] = {0, 0, 0};
	double		len,
				actual;
	int32		k = HOLDOUT_DEFAULT_K;
	int			i;

	for (i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_POINTER(cj_state_arg(fcinfo, 0, &HoldoutType));
		}
	if (PG_NARGS() > 7)
		k = CheckMaxFreq(PG_GETARG_INT32(7));
	ms = cj_score_model(fcinfo, 1, 0);
	cj_require_score(ms->f, ms->f->conditional, "cj_holdout_check");
	for (i = 0; i < ms->f->ndata; i++)
		v[i] = cj_finite_arg(PG_GETARG_FLOAT8(2 + i), ms->f->data_names[i]);
	cj_check_tuple(ms->f, v);
	len = NonNegArg(PG_GETARG_FLOAT8(5), "holdout_length");
	actual = NonNegArg(PG_GETARG_FLOAT8(6), "holdout_x");
	if (PG_ARGISNULL(0))
		h = NewHoldout(aggctx, k);
	else
		h = WithLowParts(cj_state_arg(fcinfo, 0, &HoldoutType));
	if (h->k != k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_freq must be the same for every row"),
				 errdetail("One row has %d and another %d.", h->k, k)));
	one.customers = 1;
	one.actual = actual;
	one.expected = cj_score_result(ms->f->conditional(ms->b.params, v, len),
								   "cj_holdout_check");
	if (!(one.expected >= 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("conditional expectation is out of range for cj_holdout_check"),
				 errdetail("Got %g; an expected number of purchases is >= 0.", one.expected)));
	AddBucket(h, cj_holdout_bucket(v[0], k), &one, zero);
	PG_RETURN_POINTER(h);
}

/* Combine: add the buckets of arg 1 into arg 0 */
Datum
cj_holdout_combine(PG_FUNCTION_ARGS)
{
	CjHoldout  *a,
			   *b;
	Datum		result;
	bool		isnull;
	int			i;

	if (cj_state_combine_start(fcinfo, "cj_holdout_combine", &HoldoutType,
							   &result, &isnull, (void **) &a, (void **) &b))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	if (a->k != b->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine holdout checks with different max_freq"),
				 errdetail("One has %d and the other %d.", a->k, b->k)));
	a = WithLowParts(a);
	for (i = 0; i <= a->k; i++)
		AddBucket(a, i, &b->b[i], LowPart(b, i));
	PG_RETURN_POINTER(a);
}

/* One output row of cj_holdout_rows: label and the bucket's sums */
static HeapTuple
HoldoutRow(TupleDesc desc, const char *label, const CjHoldoutBucket *b)
{
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	values[0] = CStringGetTextDatum(label);
	values[1] = Int64GetDatum(b->customers);
	nulls[2] = nulls[3] = (b->customers == 0);
	values[2] = Float8GetDatum(b->customers ? b->actual / b->customers : 0);
	values[3] = Float8GetDatum(b->customers ? b->expected / b->customers : 0);
	values[4] = Float8GetDatum(b->actual);
	values[5] = Float8GetDatum(b->expected);
	return heap_form_tuple(desc, values, nulls);
}

/* Rows of a holdout check: the buckets and the total */
static uint64
HoldoutRowCount(const void *value)
{
	return ((const CjHoldout *) value)->k + 2;
}

/*
 * cj_holdout_rows(cj_holdout) -> (bucket, customers, actual_mean,
 * expected_mean, actual_total, expected_total): one row per bucket "0" ..
 * "k-1", "k+", then "total".  Means are NULL for an empty bucket.
 */
Datum
cj_holdout_rows(PG_FUNCTION_ARGS)
{
	FuncCallContext *fc;
	CjHoldout  *h;
	CjHoldoutBucket tot;
	CjHoldoutComp tot_lo = {0.0, 0.0};
	char		label[16];
	int			i,
				j;

	if (SRF_IS_FIRSTCALL())
		(void) cj_state_arg(fcinfo, 0, &HoldoutType);
	fc = cj_diag_srf_setup(fcinfo, "cj_holdout_rows", HoldoutRowCount);
	h = (CjHoldout *) fc->user_fctx;
	i = (int) fc->call_cntr;
	if (i > h->k + 1)
		SRF_RETURN_DONE(fc);
	if (i <= h->k)
	{
		snprintf(label, sizeof(label), "%d%s", i, i == h->k ? "+" : "");
		SRF_RETURN_NEXT(fc, HeapTupleGetDatum(HoldoutRow(fc->tuple_desc, label,
														 &h->b[i])));
	}
	memset(&tot, 0, sizeof(tot));
	for (j = 0; j <= h->k; j++)
	{
		CjHoldoutComp lo = LowPart(h, j);

		if (pg_add_s64_overflow(tot.customers, h->b[j].customers, &tot.customers) ||
			!cj_dd_add(&tot.actual, &tot_lo.actual, h->b[j].actual, lo.actual) ||
			!cj_dd_add(&tot.expected, &tot_lo.expected, h->b[j].expected, lo.expected))
			TotalOutOfRange();
	}
	SRF_RETURN_NEXT(fc, HeapTupleGetDatum(HoldoutRow(fc->tuple_desc, "total", &tot)));
}
