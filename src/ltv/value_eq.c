/*-------------------------------------------------------------------------
 *
 * value_eq.c
 *	  Equality and hashing of cj_history and cj_model values: the = and <>
 *	  operators and the hash operator classes behind them.
 *
 * With these, values of the two types can be compared, used in DISTINCT,
 * GROUP BY, UNION, IN and hash joins, and serve as hash partition keys.
 * Equality is of the value, not of its bytes: a history's spare capacity
 * is not part of it, nor is a model's format version, and -0 equals 0.
 * The hash covers exactly what equality compares, canonicalised the same
 * way; the 32-bit hash is the low half of the extended one at seed 0, as
 * the hash access method requires.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"

#include "ltv/history.h"
#include "ltv/model.h"

PG_FUNCTION_INFO_V1(cj_history_eq);
PG_FUNCTION_INFO_V1(cj_history_ne);
PG_FUNCTION_INFO_V1(cj_history_hash);
PG_FUNCTION_INFO_V1(cj_history_hash_extended);
PG_FUNCTION_INFO_V1(cj_model_eq);
PG_FUNCTION_INFO_V1(cj_model_ne);
PG_FUNCTION_INFO_V1(cj_model_hash);
PG_FUNCTION_INFO_V1(cj_model_hash_extended);

/* Hash of a history: its scalar fields, then its days */
static uint64
HistoryHash(const CjHistory *h, uint64 seed)
{
	int64		f[5] = {h->ndays, h->first_at, h->last_at, h->total_spend,
	h->first_spend};

	return hash_combine64(hash_bytes_extended((const unsigned char *) f,
											  sizeof(f), seed),
						  hash_bytes_extended((const unsigned char *) h->days,
											  (int) (sizeof(int32) * h->ndays),
											  seed));
}

/* Hash of a model: the fields cj_model_equal compares, zeros as +0 */
static uint64
ModelHash(const CjModelBody *b, uint64 seed)
{
	double		num[CJ_MAX_PARAMS + 4];
	uint64		w[1 + CJ_MAX_PARAMS + 4];
	int			i;

	for (i = 0; i < CJ_MAX_PARAMS; i++)
		num[i] = b->params[i];
	num[CJ_MAX_PARAMS] = b->loglik;
	num[CJ_MAX_PARAMS + 1] = b->n;
	num[CJ_MAX_PARAMS + 2] = b->grad_norm;
	num[CJ_MAX_PARAMS + 3] = b->unit;
	w[0] = (uint64) b->family | (uint64) b->status << 8 |
		(uint64) b->flags << 16 | (uint64) (uint32) b->iterations << 32;
	for (i = 0; i < CJ_MAX_PARAMS + 4; i++)
	{
		double		v = (num[i] == 0.0) ? 0.0 : num[i];

		memcpy(&w[1 + i], &v, sizeof(v));
	}
	return hash_bytes_extended((const unsigned char *) w, sizeof(w), seed);
}

/* cj_history = cj_history */
Datum
cj_history_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cj_history_equal(PG_GETARG_CJ_HISTORY_P(0),
									PG_GETARG_CJ_HISTORY_P(1)));
}

/* cj_history <> cj_history */
Datum
cj_history_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!cj_history_equal(PG_GETARG_CJ_HISTORY_P(0),
									 PG_GETARG_CJ_HISTORY_P(1)));
}

/* Hash support 1: 32-bit hash */
Datum
cj_history_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) (uint32) HistoryHash(PG_GETARG_CJ_HISTORY_P(0), 0));
}

/* Hash support 2: 64-bit hash with a seed */
Datum
cj_history_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) HistoryHash(PG_GETARG_CJ_HISTORY_P(0),
										(uint64) PG_GETARG_INT64(1)));
}

/* cj_model = cj_model */
Datum
cj_model_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cj_model_equal(&PG_GETARG_CJ_MODEL_P(0)->b,
								  &PG_GETARG_CJ_MODEL_P(1)->b));
}

/* cj_model <> cj_model */
Datum
cj_model_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!cj_model_equal(&PG_GETARG_CJ_MODEL_P(0)->b,
								   &PG_GETARG_CJ_MODEL_P(1)->b));
}

/* Hash support 1: 32-bit hash */
Datum
cj_model_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) (uint32) ModelHash(&PG_GETARG_CJ_MODEL_P(0)->b, 0));
}

/* Hash support 2: 64-bit hash with a seed */
Datum
cj_model_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) ModelHash(&PG_GETARG_CJ_MODEL_P(0)->b,
									  (uint64) PG_GETARG_INT64(1)));
}
