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

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "common/util.h"
#include "core/ltv/diag.h"
#include "ltv/diag_util.h"
#include "ltv/scores.h"

typedef struct CjHoldout
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];	/* must be zero */
	int32		k;				/* buckets 0..k-1 and "k+" (index k) */
	int32		pad;			/* must be zero */
	CjHoldoutBucket b[FLEXIBLE_ARRAY_MEMBER];
} CjHoldout;

#define HOLDOUT_SIZE(k) (offsetof(CjHoldout, b) + ((k) + 1) * sizeof(CjHoldoutBucket))
#define HOLDOUT_DEFAULT_K 7

PG_FUNCTION_INFO_V1(cj_holdout_in);
PG_FUNCTION_INFO_V1(cj_holdout_out);
PG_FUNCTION_INFO_V1(cj_holdout_recv);
PG_FUNCTION_INFO_V1(cj_holdout_send);
PG_FUNCTION_INFO_V1(cj_holdout_add);
PG_FUNCTION_INFO_V1(cj_holdout_combine);
PG_FUNCTION_INFO_V1(cj_holdout_rows);

/* An all-zero check with k + 1 buckets in mcxt */
static CjHoldout *
NewHoldout(MemoryContext mcxt, int k)
{
	CjHoldout  *h = MemoryContextAllocZero(mcxt, HOLDOUT_SIZE(k));

	SET_VARSIZE(h, HOLDOUT_SIZE(k));
	h->version = CJ_BINARY_VERSION;
	h->k = k;
	return h;
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
	CjError		err;
	CjHoldout  *h;
	int			k;

	err.kind = CJ_OK;
	if (!cj_holdout_parse(s, b, &k, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_holdout", s, &err);
		PG_RETURN_NULL();
	}
	h = NewHoldout(CurrentMemoryContext, k);
	memcpy(h->b, b, sizeof(CjHoldoutBucket) * (k + 1));
	PG_RETURN_POINTER(h);
}

/* Text output: "0:n/actual/expected ... k+:n/actual/expected" */
Datum
cj_holdout_out(PG_FUNCTION_ARGS)
{
	CjHoldout  *h = (CjHoldout *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i <= h->k; i++)
	{
		appendStringInfo(&buf, "%s%d%s:" INT64_FORMAT "/", i ? " " : "", i,
						 i == h->k ? "+" : "", h->b[i].customers);
		cj_append_float8(&buf, h->b[i].actual);
		appendStringInfoChar(&buf, '/');
		cj_append_float8(&buf, h->b[i].expected);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: version, k, then k + 1 buckets; validated as text is */
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
	PG_RETURN_POINTER(h);
}

/* Binary output */
Datum
cj_holdout_send(PG_FUNCTION_ARGS)
{
	CjHoldout  *h = (CjHoldout *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint32(&buf, h->k);
	for (i = 0; i <= h->k; i++)
	{
		pq_sendint64(&buf, h->b[i].customers);
		pq_sendfloat8(&buf, h->b[i].actual);
		pq_sendfloat8(&buf, h->b[i].expected);
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
	MemoryContext aggctx;
	const CjModelSlot *ms;
	CjHoldout  *h;
	double		v[CJ_TUPLE_DIM] = {0, 0, 0};
	double		len,
				actual;
	int32		k = HOLDOUT_DEFAULT_K;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "cj_holdout_add called in non-aggregate context");
	for (i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
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
		h = (CjHoldout *) PG_GETARG_POINTER(0);
	if (h->k != k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_freq must be the same for every row"),
				 errdetail("One row has %d and another %d.", h->k, k)));
	i = cj_holdout_bucket(v[0], k);
	h->b[i].customers++;
	h->b[i].actual += actual;
	h->b[i].expected += cj_score_result(ms->f->conditional(ms->b.params, v, len),
										"cj_holdout_check");
	PG_RETURN_POINTER(h);
}

/* Combine: add the buckets of arg 1 into arg 0 */
Datum
cj_holdout_combine(PG_FUNCTION_ARGS)
{
	struct varlena *va,
			   *vb;
	CjHoldout  *a,
			   *b;
	Datum		result;
	bool		isnull;
	int			i;

	if (cj_diag_combine_start(fcinfo, "cj_holdout_combine", &result, &isnull, &va, &vb))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	a = (CjHoldout *) va;
	b = (CjHoldout *) vb;
	if (a->k != b->k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine holdout checks with different max_freq"),
				 errdetail("One has %d and the other %d.", a->k, b->k)));
	for (i = 0; i <= a->k; i++)
	{
		a->b[i].customers += b->b[i].customers;
		a->b[i].actual += b->b[i].actual;
		a->b[i].expected += b->b[i].expected;
	}
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
	char		label[16];
	int			i,
				j;

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
		tot.customers += h->b[j].customers;
		tot.actual += h->b[j].actual;
		tot.expected += h->b[j].expected;
	}
	SRF_RETURN_NEXT(fc, HeapTupleGetDatum(HoldoutRow(fc->tuple_desc, "total", &tot)));
}
