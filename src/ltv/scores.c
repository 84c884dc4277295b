/*-------------------------------------------------------------------------
 *
 * scores.c
 *	  Every score of a fitted model, on (x, t_x, T) numbers and on
 *	  (cj_history, as_of): expected purchases, conditional expectation,
 *	  P(alive), P(X(t) = n), expected spend, CLV, Pareto/NBD DERT, the
 *	  window quantities (P(no purchase in the next t), the conditional
 *	  PMF, P(alive at T+t)), and the contractual (sBG) retention,
 *	  survival, DEL and DERL.
 *
 * Both overloads of a score share one routine and one memo: the history
 * overload turns its history into the family's data tuple (in the model's
 * time unit, one week when the model does not say) and goes through the
 * same memoised path as the numbers.
 * The overloads with the customer's covariates (cov_trans, cov_life, last)
 * turn the model's parameters into the customer's (the family's
 * covariate_params, core/ltv/covariates.h) and run the same family code;
 * their memo keys carry those parameters.
 * Scoring runs once per customer row, so the decoded model (family and
 * parameters) is cached in fn_extra and reused while the same model value
 * comes in (a memcmp of its 80-byte body); per-row work is then only the
 * family's formula.  A score the model's family does not define is an
 * error naming the family (22023), not a NULL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "common/util.h"
#include "core/ltv/clv.h"
#include "core/ltv/pnbd.h"
#include "core/ltv/sbg.h"
#include "ltv/history.h"
#include "ltv/scores.h"

PG_FUNCTION_INFO_V1(cj_expected_purchases);
PG_FUNCTION_INFO_V1(cj_conditional_purchases);
PG_FUNCTION_INFO_V1(cj_p_alive);
PG_FUNCTION_INFO_V1(cj_prob_purchases);
PG_FUNCTION_INFO_V1(cj_expected_spend);
PG_FUNCTION_INFO_V1(cj_clv);
PG_FUNCTION_INFO_V1(cj_conditional_purchases_history);
PG_FUNCTION_INFO_V1(cj_p_alive_history);
PG_FUNCTION_INFO_V1(cj_expected_spend_history);
PG_FUNCTION_INFO_V1(cj_clv_history);
PG_FUNCTION_INFO_V1(cj_dert);
PG_FUNCTION_INFO_V1(cj_dert_history);
PG_FUNCTION_INFO_V1(cj_retention);
PG_FUNCTION_INFO_V1(cj_survival);
PG_FUNCTION_INFO_V1(cj_del);
PG_FUNCTION_INFO_V1(cj_derl);
PG_FUNCTION_INFO_V1(cj_prob_no_purchase);
PG_FUNCTION_INFO_V1(cj_prob_no_purchase_history);
PG_FUNCTION_INFO_V1(cj_conditional_prob_purchases);
PG_FUNCTION_INFO_V1(cj_conditional_prob_purchases_history);
PG_FUNCTION_INFO_V1(cj_p_alive_at);
PG_FUNCTION_INFO_V1(cj_p_alive_at_history);
PG_FUNCTION_INFO_V1(cj_expected_purchases_cov);
PG_FUNCTION_INFO_V1(cj_prob_purchases_cov);
PG_FUNCTION_INFO_V1(cj_conditional_purchases_cov);
PG_FUNCTION_INFO_V1(cj_conditional_purchases_history_cov);
PG_FUNCTION_INFO_V1(cj_p_alive_cov);
PG_FUNCTION_INFO_V1(cj_p_alive_history_cov);
PG_FUNCTION_INFO_V1(cj_clv_cov);
PG_FUNCTION_INFO_V1(cj_clv_history_cov);
PG_FUNCTION_INFO_V1(cj_dert_cov);
PG_FUNCTION_INFO_V1(cj_dert_history_cov);

/* Keys a memo entry may have (CLV with covariates: 3 + 3 parameters) */
#define CJ_MEMO_KEYS 9


/*
 * Memo of recent scores at one call site.  Scores are pure functions of
 * the model and a few numbers, and real tables repeat the same histories
 * (23,570 CDNOW customers have 8,685 distinct (x, t_x, T); ten million
 * simulated ones a few thousand), so a direct-mapped table of the last
 * results turns most rows into a hash probe.  Entries belong to a
 * generation that changes whenever a model argument changes.
 */
#define MEMO_BITS 13
#define EXPO_BITS 6
#define EXPO_SIZE (1 << EXPO_BITS)	/* exposure parts per call site */
#define EXPO_COV_BITS 8			/* with covariates: (T, t) x covariate cells */
#define EXPO_COV_SIZE (1 << EXPO_COV_BITS)
#define MEMO_SIZE (1 << MEMO_BITS)	/* entries per call site */
#define PART_BITS 10
#define PART_SIZE (1 << PART_BITS)	/* parts by (x, T) per call site */
#define PART_WORDS 7			/* generation, x, T, 3 more keys, part */
#define QCACHE_BITS 5
#define QCACHE_SIZE (1 << QCACHE_BITS)	/* customers' parameters per call site */
#define QCACHE_Z 8				/* covariates (both processes) it keys on */
#define QCACHE_WORDS (1 + CJ_MAX_PARAMS + QCACHE_Z)	/* generation, q, z */

/*
 * The memo is a flat array of MEMO_SIZE entries of mkeys + 2 doubles each:
 * the generation (0 = empty; exact as a double), the score, then the key.
 * A call site always memoises the same number of keys, so entries are as
 * small as that allows (40 bytes for P(alive) instead of a fixed 80) and a
 * probe usually touches one cache line: the table is far larger than the
 * L1 cache and a probe is a cache miss on most rows of a scan.
 */
typedef struct ScoreCache
{
	CjModelSlot slot[CJ_SCORE_SLOTS];
	bool		fixed[CJ_SCORE_SLOTS];	/* slot's argument is a constant */
	uint32		gen;			/* current generation, >= 1 */
	int			mkeys;			/* keys per memo entry (set on first use) */
	double	   *memo;			/* MEMO_SIZE entries, allocated on first use */
	double	   *pending;		/* entry of the last missed get, for put */
	double		expo[EXPO_SIZE][4]; /* generation, T, t, exposure part */
	double		expo_cov[EXPO_COV_SIZE][8]; /* the same with covariates: generation,
										 * T, t, the customer's q[0..3], part */
	double		horizon;		/* t of the memoised conditional scores */
	double		clv_horizon[3]; /* periods, length, rate of the memoised
								 * lifetime values */
	double		qcache[QCACHE_SIZE][QCACHE_WORDS]; /* covariates -> q */
	double	   *parts;			/* PART_SIZE entries of PART_WORDS,
								 * allocated on first use */
} ScoreCache;

/*
 * Forget every memoised score and exposure part at once: entries carry the
 * generation they were made in (0 = empty).  When the counter wraps, the
 * tables are cleared, so an entry four billion generations old can never
 * pass for a current one.
 */
static void
NewGeneration(ScoreCache *c)
{
	if (++c->gen == 0)
	{
		if (c->memo)
			memset(c->memo, 0, sizeof(double) * (c->mkeys + 2) * MEMO_SIZE);
		if (c->parts)
			memset(c->parts, 0, sizeof(double) * PART_WORDS * PART_SIZE);
		memset(c->qcache, 0, sizeof(c->qcache));
		memset(c->expo, 0, sizeof(c->expo));
		memset(c->expo_cov, 0, sizeof(c->expo_cov));
		c->gen = 1;
	}
}

/* The call site's cache, created on first use */
static inline ScoreCache *
GetCache(FunctionCallInfo fcinfo)
{
	ScoreCache *c = (ScoreCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ScoreCache));
		c->gen = 1;
		fcinfo->flinfo->fn_extra = c;
	}
	return c;
}

/*
 * Memo entry for a key.  The key words are multiplied by distinct odd
 * constants independently (no chain of dependent multiplies: the probe
 * address is ready a few cycles after the arguments) and the table index
 * is taken from the high bits of one final multiply (Fibonacci hashing).
 */
static pg_attribute_always_inline double *
MemoSlot(ScoreCache *c, const double *key, int nkeys)
{
	static const uint64 mult[CJ_MEMO_KEYS] = {
		0x9E3779B97F4A7C15u, 0xBF58476D1CE4E5B9u, 0x94D049BB133111EBu,
		0xD6E8FEB86659FD93u, 0xA0761D6478BD642Fu, 0xE7037ED1A0B428DBu,
		0x8EBC6AF09C88C6E3u, 0x589965CC75374CC3u, 0xC2B2AE3D27D4EB4Fu
	};
	uint64		h = 0;
	int			i;

	for (i = 0; i < nkeys; i++)
	{
		uint64		b;

		memcpy(&b, &key[i], sizeof(b));
		h += (b ^ (b >> 32)) * mult[i];
	}
	h = (h ^ (h >> 29)) * 0x9E3779B97F4A7C15u;
	return &c->memo[(h >> (64 - MEMO_BITS)) * (nkeys + 2)];
}

/*
 * A memoised score for key under the current model(s), if any.  On a miss
 * the probed entry is kept for the put that follows, so a missed row
 * hashes its key once.  Inlined into every score, where nkeys is a
 * constant (the hash and compare loops unroll).
 */
static pg_attribute_always_inline bool
MemoGet(FunctionCallInfo fcinfo, const double *key, int nkeys, double *value)
{
	ScoreCache *c = GetCache(fcinfo);
	double	   *e;
	int			i;

	Assert(nkeys <= CJ_MEMO_KEYS);
	if (unlikely(c->memo == NULL))
	{
		/* on a cache-line boundary: an 8-double entry is one line */
		c->memo = (double *)
			TYPEALIGN(64, MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
												 sizeof(double) * (nkeys + 2) *
												 MEMO_SIZE + 64));
		c->mkeys = nkeys;
	}
	c->pending = NULL;
	if (unlikely(nkeys != c->mkeys))
		return false;
	e = MemoSlot(c, key, nkeys);
	c->pending = e;
	if (e[0] != (double) c->gen)
		return false;
	for (i = 0; i < nkeys; i++)
		if (e[2 + i] != key[i])
			return false;
	*value = e[1];
	return true;
}

/*
 * Remember a score for key under the current model(s): the same key as the
 * get that just missed (its entry is reused), or any key after none.
 */
static pg_attribute_always_inline void
MemoPut(FunctionCallInfo fcinfo, const double *key, int nkeys, double value)
{
	ScoreCache *c = GetCache(fcinfo);
	double	   *e = c->pending;

	Assert(nkeys <= CJ_MEMO_KEYS);
	c->pending = NULL;
	if (c->memo == NULL || nkeys != c->mkeys)
		return;
	if (e == NULL)
		e = MemoSlot(c, key, nkeys);
	e[0] = (double) c->gen;
	e[1] = value;
	memcpy(e + 2, key, sizeof(double) * nkeys);
}

/*
 * Whether argument argno of the call is a Const node.  Deliberately not
 * get_fn_expr_arg_stable(): that also accepts external Params, whose value
 * can change between evaluations of one cached expression (PL/pgSQL simple
 * expressions keep their state for a whole transaction).
 */
static bool
ArgIsConst(FmgrInfo *flinfo, int argno)
{
	List	   *args;

	if (flinfo->fn_expr == NULL || !IsA(flinfo->fn_expr, FuncExpr))
		return false;
	args = ((FuncExpr *) flinfo->fn_expr)->args;
	return argno >= 0 && argno < list_length(args) &&
		IsA(list_nth(args, argno), Const);
}

/*
 * The model in argument argno, decoded once per distinct value (slot k of
 * the call site's cache).  When the argument is a literal constant it is
 * decoded once and later rows skip even the comparison.  A model with
 * covariates is compared as a whole (body and covariate section) and its
 * covariates decoded once into the slot.
 */
static pg_attribute_always_inline const CjModelSlot *
ScoreModel(FunctionCallInfo fcinfo, int argno, int k, bool allow_cov)
{
	ScoreCache *c = GetCache(fcinfo);
	CjModelSlot *ms = &c->slot[k];
	struct varlena *raw;
	const char *data;
	Size		len;
	Size		off = offsetof(CjModel, b) - VARHDRSZ;

	Assert(k >= 0 && k < CJ_SCORE_SLOTS);
	if (c->fixed[k])
		goto done;
	raw = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno));
	data = VARDATA_ANY(raw);
	len = VARSIZE_ANY_EXHDR(raw);
	if (len != off + CJ_MODEL_BASE_SIZE && len < sizeof(CjModel) - VARHDRSZ)
		elog(ERROR, "cj_model value has unexpected size %zu", len);
	if (!ms->valid)
		c->fixed[k] = ArgIsConst(fcinfo->flinfo, argno);
	/* scores depend on the body before the covariance only */
	if (len <= sizeof(CjModel) - VARHDRSZ ?
		(!ms->valid || ms->raw != NULL ||
		 memcmp(&ms->b, data + off, CJ_MODEL_BASE_SIZE) != 0) :
		(!ms->valid || ms->rawlen != len || memcmp(ms->raw, data, len) != 0))
	{
		ms->valid = false;
		memcpy(&ms->b, data + off, CJ_MODEL_BASE_SIZE);
		ms->f = cj_family_by_id(ms->b.family);
		if (ms->f == NULL)
			elog(ERROR, "cj_model has unknown family id %d", ms->b.family);
		if (ms->raw)
			pfree(ms->raw);
		ms->raw = NULL;
		ms->rawlen = 0;
		if (ms->b.flags & CJ_MODEL_HAS_COV)
		{
			/* decoded in the caller's (per-row) context, kept in the slot */
			CjModel    *m = cj_model_detoast(PG_GETARG_DATUM(argno));
			CjCovariates *cov = cj_model_covariates(m);

			if (ms->cov == NULL)
				ms->cov = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
											 sizeof(CjCovariates));
			memcpy(ms->cov, cov, sizeof(CjCovariates));
			pfree(cov);
			pfree(m);
			ms->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
			memcpy(ms->raw, data, len);
			ms->rawlen = len;
		}
		ms->valid = true;
		/* new model: forget the memoised scores */
		NewGeneration(c);
	}
done:
	if (unlikely(ms->raw != NULL && !allow_cov))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs the customer's covariates for a model with covariates",
						get_func_name(fcinfo->flinfo->fn_oid)),
				 errdetail("The model expects %s. The scores cj_p_alive, cj_conditional_purchases, cj_expected_purchases, cj_prob_purchases, cj_clv and cj_dert take them as cov_trans and cov_life after their usual arguments.",
						   cj_covariates_expected(ms->cov))));
	return ms;
}

/* The model in argument argno (see ScoreModel); no covariates */
const CjModelSlot *
cj_score_model(FunctionCallInfo fcinfo, int argno, int k)
{
	return ScoreModel(fcinfo, argno, k, false);
}

/* The model in argument argno, with or without covariates */
const CjModelSlot *
cj_score_model_cov(FunctionCallInfo fcinfo, int argno, int k)
{
	return ScoreModel(fcinfo, argno, k, true);
}

/* A time horizon: finite and >= 0 */
static double
Horizon(double t, const char *name)
{
	if (!(t >= 0.0 && isfinite(t)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number >= 0", name)));
	return t;
}

/*
 * The horizon t of a window quantity or PMF of the model in ms, checked:
 * finite, >= 0 and what the family takes (BG/BB: whole opportunities)
 */
static double
WindowHorizon(const CjModelSlot *ms, double t)
{
	CjError		err;

	t = Horizon(t, "t");
	if (ms->f->check_window && !ms->f->check_window(t, &err))
		cj_raise(&err, "invalid horizon t");
	return t;
}

/* Read a (x, t_x, T)-style tuple from arguments first.. and check it */
static inline void
TupleArgs(FunctionCallInfo fcinfo, int first, const CjModelSlot *ms, double *v)
{
	int			i;

	v[0] = v[1] = v[2] = 0.0;
	for (i = 0; i < ms->f->ndata; i++)
		v[i] = PG_GETARG_FLOAT8(first + i);
	/* the error names the first argument that is not finite */
	if (unlikely(!(isfinite(v[0]) && isfinite(v[1]) && isfinite(v[2]))))
		for (i = 0; i < ms->f->ndata; i++)
			cj_finite_arg(v[i], ms->f->data_names[i]);
	cj_check_tuple(ms->f, v);
}

/* A score that came out NaN or infinite: 22003 */
double
cj_score_result(double v, const char *function)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is not finite for these inputs", function)));
	return v;
}

/* cj_expected_purchases(m, t): E[X(t)] for a new customer */
Datum
cj_expected_purchases(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		t = Horizon(PG_GETARG_FLOAT8(1), "t");

	cj_require_score(ms->f, ms->f->expected, "cj_expected_purchases");
	PG_RETURN_FLOAT8(cj_score_result(ms->f->expected(ms->b.params, t),
							"cj_expected_purchases"));
}

/*
 * E[X(T, T+t) | v] under the model in ms.  Where the family splits off the
 * part that depends on T and t only (Pareto/NBD: the lifetime-weighted
 * exposure, a log and an exp), that part is remembered per call site in a
 * small direct-mapped table: real data repeat T (calendar days, cohorts)
 * and one query scores a single horizon, so rows whose history is new
 * still reuse it.  The result is the family's conditional to the last bit.
 */
static pg_attribute_always_inline double
ScoreConditional(FunctionCallInfo fcinfo, const CjModelSlot *ms,
				 const double *v, double t)
{
	const CjFamily *f = ms->f;
	ScoreCache *c;
	double	   *e;
	uint64		bT,
				bt;

	if (f->exposure == NULL || f->conditional_given == NULL)
		return f->conditional(ms->b.params, v, t);
	c = GetCache(fcinfo);
	memcpy(&bT, &v[2], sizeof(bT));
	memcpy(&bt, &t, sizeof(bt));
	e = c->expo[((bT * 0x9E3779B97F4A7C15u + bt) * 0xBF58476D1CE4E5B9u) >>
				(64 - EXPO_BITS)];
	if (e[0] != (double) c->gen || e[1] != v[2] || e[2] != t)
	{
		e[3] = f->exposure(ms->b.params, v[2], t);
		e[0] = (double) c->gen;
		e[1] = v[2];
		e[2] = t;
	}
	return f->conditional_given(ms->b.params, v, e[3]);
}

/*
 * A query scores one horizon, so the conditional memo is keyed by the
 * history and a new horizon starts a new generation (entries are smaller,
 * probes cheaper; a horizon that changes per row only makes every row a
 * miss).  The test is not-equal, so a NaN horizon never matches and
 * reaches the argument check.
 */
static pg_attribute_always_inline void
ConditionalHorizon(FunctionCallInfo fcinfo, double t)
{
	ScoreCache *c = GetCache(fcinfo);

	if (!(t == c->horizon))
	{
		NewGeneration(c);
		c->horizon = t;
	}
}

/* A conditional expectation that missed the memo: compute and remember */
static pg_attribute_always_inline double
ConditionalMiss(FunctionCallInfo fcinfo, const CjModelSlot *ms,
				const double *key, const double *v, double t)
{
	double		r = cj_score_result(ScoreConditional(fcinfo, ms, v, t),
									"cj_conditional_purchases");

	MemoPut(fcinfo, key, 3, r);
	return r;
}

/* cj_conditional_purchases(m, x, t_x, T, t): E[X(T, T+t) | history] */
Datum
cj_conditional_purchases(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		key[3] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
	PG_GETARG_FLOAT8(3)};
	double		t = PG_GETARG_FLOAT8(4);
	double		v[CJ_TUPLE_DIM];
	double		r;

	ConditionalHorizon(fcinfo, t);
	if (MemoGet(fcinfo, key, 3, &r))
		PG_RETURN_FLOAT8(r);
	if (unlikely(ms->f->conditional == NULL))
		cj_require_score(ms->f, NULL, "cj_conditional_purchases");
	TupleArgs(fcinfo, 1, ms, v);
	t = Horizon(t, "t");
	PG_RETURN_FLOAT8(ConditionalMiss(fcinfo, ms, key, v, t));
}

/* A P(alive) that missed the memo: compute and remember */
static pg_attribute_always_inline double
PAliveMiss(FunctionCallInfo fcinfo, const CjModelSlot *ms, const double *key,
		   const double *v)
{
	double		r = cj_score_result(ms->f->p_alive(ms->b.params, v), "cj_p_alive");

	MemoPut(fcinfo, key, 3, r);
	return r;
}

/* cj_p_alive(m, x, t_x, T) */
Datum
cj_p_alive(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		key[3] = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
	PG_GETARG_FLOAT8(3)};
	double		v[CJ_TUPLE_DIM],
				r;

	if (MemoGet(fcinfo, key, 3, &r))
		PG_RETURN_FLOAT8(r);
	if (unlikely(ms->f->p_alive == NULL))
		cj_require_score(ms->f, NULL, "cj_p_alive");
	TupleArgs(fcinfo, 1, ms, v);
	PG_RETURN_FLOAT8(PAliveMiss(fcinfo, ms, key, v));
}

/* cj_prob_purchases(m, n, t): P(X(t) = n) for a new customer */
Datum
cj_prob_purchases(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	int32		n = PG_GETARG_INT32(1);
	double		t = WindowHorizon(ms, PG_GETARG_FLOAT8(2));

	cj_require_score(ms->f, ms->f->prob_n, "cj_prob_purchases");
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must be >= 0")));
	PG_RETURN_FLOAT8(cj_score_result(ms->f->prob_n(ms->b.params, n, t),
							"cj_prob_purchases"));
}

/*
 * E[M | x, m] from a spend model.  m = 0 is accepted here (a customer
 * whose repeat purchases were all free scores like one with a tiny m);
 * fitting still needs m > 0.
 */
static double
SpendScore(const CjModelSlot *ms, double x, double m)
{
	double		v[CJ_TUPLE_DIM] = {x, m, 0.0};
	double		chk[CJ_TUPLE_DIM] = {x, m == 0.0 ? 1.0 : m, 0.0};

	cj_require_score(ms->f, (const void *) ms->f->spend, "cj_expected_spend");
	cj_finite_arg(x, "x");
	cj_finite_arg(m, "m");
	cj_check_tuple(ms->f, chk);
	return cj_score_result(ms->f->spend(ms->b.params, v), "cj_expected_spend");
}

/* cj_expected_spend(gg, x, m): Gamma-Gamma conditional mean spend */
Datum
cj_expected_spend(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);

	PG_RETURN_FLOAT8(SpendScore(ms, PG_GETARG_FLOAT8(1),
							 PG_GETARG_FLOAT8(2)));
}

/* Whether table entry e holds key in generation gen */
static inline bool
PartMatches(const double *e, uint32 gen, const double *key)
{
	return e[0] == (double) gen && memcmp(e + 1, key, sizeof(double) * 5) == 0;
}

/*
 * The entry of the call site's table of parts by (x, T) for key (x, T and
 * three more numbers): PART_SIZE entries in pairs, a key hashed on x and T
 * (splitmix64's finaliser) to a pair and kept in either of its two, the
 * most recent first.  Two ways, because a scan's few frequent (x, T) that
 * share a slot would otherwise evict each other on every row (with a
 * Pareto/NBD PMF, a quadrature per row).  *hit says whether key was there;
 * on a miss the pair's first entry is made key's (its former content moves
 * to the second) and the caller stores the part in e[6].
 */
static double *
PartEntry(FunctionCallInfo fcinfo, const double *key, bool *hit)
{
	ScoreCache *c = GetCache(fcinfo);
	uint64		bx,
				bt,
				h;
	double	   *e,
			   *e2,
				tmp[PART_WORDS];

	if (unlikely(c->parts == NULL))
		c->parts = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
										  sizeof(double) * PART_WORDS * PART_SIZE);
	memcpy(&bx, &key[0], sizeof(bx));
	memcpy(&bt, &key[1], sizeof(bt));
	h = bx ^ (bt * 0x9E3779B97F4A7C15u);
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9u;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBu;
	h ^= h >> 31;
	e = &c->parts[((h >> (64 - PART_BITS)) & ~(uint64) 1) * PART_WORDS];
	e2 = e + PART_WORDS;
	*hit = true;
	if (PartMatches(e, c->gen, key))
		return e;
	memcpy(tmp, e2, sizeof(tmp));
	memcpy(e2, e, sizeof(tmp));
	if (PartMatches(tmp, c->gen, key))
	{
		memcpy(e, tmp, sizeof(tmp));
		return e;
	}
	*hit = false;
	e[0] = (double) c->gen;
	memcpy(e + 1, key, sizeof(double) * 5);
	return e;
}

/*
 * The discounted sum of a lifetime value over P(alive), for a family that
 * splits its conditional expectation (family.h, conditional_part): it
 * depends on x, T and the horizon only, and real tables repeat (x, T)
 * (cohorts, calendar days) far more than whole histories, so the call
 * site keeps the last ones (PartEntry).
 */
static double
ClvPart(FunctionCallInfo fcinfo, const CjModelSlot *pm, const double *v,
		int32 periods, double len, double rate)
{
	double		key[5] = {v[0], v[2], periods, len, rate};
	bool		hit;
	double	   *e = PartEntry(fcinfo, key, &hit);

	if (!hit)
		e[6] = cj_clv_discounted_part(pm->f, pm->b.params, v[0], v[2],
									  periods, len, rate);
	return e[6];
}

/*
 * margin E[M | x, m], the factor of a lifetime value's discounted sum:
 * the margin checked (finite, >= 0) before the spend, on the memo's hit
 * path as on its miss path
 */
static double
ClvSpendFactor(const CjModelSlot *sm, double x, double m, double margin)
{
	if (!(margin >= 0.0 && isfinite(margin)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("margin must be a finite number >= 0")));
	return margin * SpendScore(sm, x, m);
}

/*
 * A query values lifetimes over one horizon (periods, period length,
 * discount rate), so the lifetime-value memo is keyed by the history (and
 * the customer's parameters with covariates) and a new horizon starts a
 * new generation, as ConditionalHorizon does: entries of 5 doubles instead
 * of 8 and a shorter hash.  Not-equal tests, so a NaN never matches and
 * reaches the argument checks.
 */
static pg_attribute_always_inline void
ClvHorizon(FunctionCallInfo fcinfo, int32 periods, double len, double rate)
{
	ScoreCache *c = GetCache(fcinfo);

	if (!((double) periods == c->clv_horizon[0] && len == c->clv_horizon[1] &&
		  rate == c->clv_horizon[2]))
	{
		NewGeneration(c);
		c->clv_horizon[0] = (double) periods;
		c->clv_horizon[1] = len;
		c->clv_horizon[2] = rate;
	}
}

/*
 * CLV = margin E[M | x, m] sum_{i=1..periods}
 *       (E[X(iL) | hist] - E[X((i-1)L) | hist]) / (1 + d)^i
 * The discounted sum (the costly part: one conditional expectation per
 * period) depends on the history and the horizon only, so it is memoised
 * at the call site (its history-free part also by (x, T): ClvPart); the
 * spend factor is computed per row.
 */
static double
ClvCompute(FunctionCallInfo fcinfo, const CjModelSlot *pm,
		   const CjModelSlot *sm, const double *v, double m, int32 periods,
		   double len, double rate, double margin, const double *q)
{
	double		key[6] = {v[0], v[1], v[2], 0, 0, 0};
	const double *p = pm->b.params;
	int			nkeys = 3;
	double		factor,
				sum;

	ClvHorizon(fcinfo, periods, len, rate);
	if (periods < 1 || periods > CJ_CLV_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("periods must be between 1 and %d", CJ_CLV_MAX_PERIODS)));
	if (!(len > 0.0 && isfinite(len)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period length must be a finite number > 0"),
				 errdetail("It is in the purchase model's time unit.")));
	if (!(rate >= 0.0 && rate < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount rate must be in [0, 1)"),
				 errdetail("It is the rate per period (0.01 for 1 %% a month).")));
	factor = ClvSpendFactor(sm, v[0], m, margin);
	/* with covariates: the customer's q[1..3] are part of the key */
	if (q != NULL)
	{
		Assert(q[0] == pm->b.params[0]);
		memcpy(key + 3, q + 1, sizeof(double) * 3);
		p = q;
		nkeys = 6;
	}
	if (!MemoGet(fcinfo, key, nkeys, &sum))
	{
		/*
		 * P(alive) times a part cached by (x, T) where the family has one
		 * (the cache is keyed by the population's parameters: not with
		 * covariates)
		 */
		if (q == NULL && pm->f->conditional_part && pm->f->p_alive)
			sum = pm->f->p_alive(p, v) *
				ClvPart(fcinfo, pm, v, periods, len, rate);
		else
			sum = cj_clv_discounted(pm->f, p, v, periods, len, rate);
		sum = cj_score_result(sum, "cj_clv");
		MemoPut(fcinfo, key, nkeys, sum);
	}
	return cj_score_result(factor * sum, "cj_clv");
}

/*
 * cj_clv(purchase_model, spend_model, x, t_x, T, m, periods,
 *        period_length, discount_rate [, margin])
 *
 * The memo is probed first, with the arguments as they come: it holds
 * only histories and horizons that passed the checks below and were
 * scored under the current models (a new model starts a new generation),
 * so on a hit only the spend and the margin are new to check and score,
 * as cj_p_alive skips its checks on a hit.  A miss takes the full path
 * (ClvCompute), with the same errors in the same order as ever.
 */
Datum
cj_clv(PG_FUNCTION_ARGS)
{
	const CjModelSlot *pm = cj_score_model(fcinfo, 0, 0);
	const CjModelSlot *sm = cj_score_model(fcinfo, 1, 1);
	double		key[3] = {PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
	PG_GETARG_FLOAT8(4)};
	double		v[CJ_TUPLE_DIM],
				sum;

	ClvHorizon(fcinfo, PG_GETARG_INT32(6), PG_GETARG_FLOAT8(7), PG_GETARG_FLOAT8(8));
	if (MemoGet(fcinfo, key, 3, &sum))
		PG_RETURN_FLOAT8(cj_score_result(ClvSpendFactor(sm, key[0],
														cj_finite_arg(PG_GETARG_FLOAT8(5), "m"),
														PG_NARGS() > 9 ? PG_GETARG_FLOAT8(9) : 1.0) * sum,
										 "cj_clv"));
	cj_require_score(pm->f, (const void *) pm->f->conditional, "cj_clv");
	TupleArgs(fcinfo, 2, pm, v);
	PG_RETURN_FLOAT8(ClvCompute(fcinfo, pm, sm, v,
								cj_finite_arg(PG_GETARG_FLOAT8(5), "m"),
								PG_GETARG_INT32(6), PG_GETARG_FLOAT8(7),
								PG_GETARG_FLOAT8(8),
								PG_NARGS() > 9 ? PG_GETARG_FLOAT8(9) : 1.0, NULL));
}

/*
 * Histories.  The summary of the history argument (argument harg, as_of
 * after it when as_of is true) in the model's time unit, one week when the
 * model does not say, as the family's data tuple, checked.
 */
static void
HistoryArgs(FunctionCallInfo fcinfo, const CjModelSlot *ms, int harg,
			bool as_of, double *v)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(harg);
	CjHistorySummary s;

	if (as_of)
		cj_history_summary(h, PG_GETARG_TIMESTAMPTZ(harg + 1),
						   ms->b.unit > 0 ? ms->b.unit : CJ_WEEK_SECONDS, &s);
	else
	{
		/* spend needs no as_of: x and m do not depend on it */
		memset(&s, 0, sizeof(s));
		s.x = h->ndays - 1;
		s.m = cj_history_monetary(h);
	}
	cj_history_model_tuple(ms->f, &s, v);
	if (ms->f->kind != CJ_KIND_SPEND)
		cj_check_tuple(ms->f, v);	/* SpendScore checks spend data */
}

/* cj_conditional_purchases(m, h, as_of, t) */
Datum
cj_conditional_purchases_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM],
				r,
				t = PG_GETARG_FLOAT8(3);

	cj_require_score(ms->f, (const void *) ms->f->conditional,
					 "cj_conditional_purchases");
	t = Horizon(t, "t");
	HistoryArgs(fcinfo, ms, 1, true, v);
	ConditionalHorizon(fcinfo, t);
	if (MemoGet(fcinfo, v, 3, &r))
		PG_RETURN_FLOAT8(r);
	PG_RETURN_FLOAT8(ConditionalMiss(fcinfo, ms, v, v, t));
}

/* cj_p_alive(m, h, as_of) */
Datum
cj_p_alive_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM],
				r;

	cj_require_score(ms->f, (const void *) ms->f->p_alive, "cj_p_alive");
	HistoryArgs(fcinfo, ms, 1, true, v);
	if (MemoGet(fcinfo, v, 3, &r))
		PG_RETURN_FLOAT8(r);
	PG_RETURN_FLOAT8(PAliveMiss(fcinfo, ms, v, v));
}

/* cj_expected_spend(gg, h) */
Datum
cj_expected_spend_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM];

	cj_require_score(ms->f, (const void *) ms->f->spend, "cj_expected_spend");
	HistoryArgs(fcinfo, ms, 1, false, v);
	PG_RETURN_FLOAT8(SpendScore(ms, v[0], v[1]));
}

/*
 * cj_clv(purchase_model, spend_model, h, as_of, periods, period_length,
 *        discount_rate [, margin])
 */
Datum
cj_clv_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *pm = cj_score_model(fcinfo, 0, 0);
	const CjModelSlot *sm = cj_score_model(fcinfo, 1, 1);
	double		v[CJ_TUPLE_DIM],
				sv[CJ_TUPLE_DIM];

	cj_require_score(pm->f, (const void *) pm->f->conditional, "cj_clv");
	cj_require_score(sm->f, (const void *) sm->f->spend, "cj_clv");
	HistoryArgs(fcinfo, pm, 2, true, v);
	HistoryArgs(fcinfo, sm, 2, false, sv);
	PG_RETURN_FLOAT8(ClvCompute(fcinfo, pm, sm, v, sv[1], PG_GETARG_INT32(4),
								PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6),
								PG_NARGS() > 7 ? PG_GETARG_FLOAT8(7) : 1.0, NULL));
}

/*
 * Window quantities: P(X(T, T+t) = n | history) (n = 0: no purchase) and
 * P(alive at T+t | history), memoised like the conditional expectation
 * (one horizon per query; the key is the history, and n for the PMF).
 * The horizon is checked on a memo miss: finite, >= 0 (t = 0 is the
 * degenerate window: P(no purchase) = 1, P(alive at T) = cj_p_alive),
 * and what the family takes (BG/BB: whole opportunities).
 */
typedef enum WindowKind
{
	WINDOW_PMF,
	WINDOW_ALIVE
} WindowKind;

/* A PMF count argument: n >= 0 */
static double
WindowCount(int32 n)
{
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must be >= 0"),
				 errdetail("It is the number of purchases in the window.")));
	return (double) n;
}

/*
 * P(X(T, T+t) = n | history) for t > 0 by the family's split (family.h,
 * window_part and window_combine): the PMF of a customer alive at T
 * depends on (x, T) only and is kept by (x, T, n, t) (PartEntry), so a
 * scan pays for it (a quadrature for Pareto/NBD) once per (x, T) and for
 * the customer's dropout odds once per row.  The same bits as window_pmf.
 */
static double
WindowSplit(FunctionCallInfo fcinfo, const CjModelSlot *ms, const double *v,
			double n, double t)
{
	double		key[5] = {v[0], v[2], n, t, 0.0};
	bool		hit;
	double	   *e = PartEntry(fcinfo, key, &hit);

	if (!hit)
		e[6] = ms->f->window_part(ms->b.params, v[0], v[2], n, t);
	return ms->f->window_combine(ms->b.params, v, n, e[6]);
}

/* A window quantity that missed the memo: check, compute and remember */
static double
WindowMiss(FunctionCallInfo fcinfo, const CjModelSlot *ms, WindowKind kind,
		   const double *key, int nkeys, double n, const double *v,
		   double t, const char *function)
{
	double		r;

	t = WindowHorizon(ms, t);
	if (kind == WINDOW_PMF && t > 0.0 && ms->f->window_part &&
		ms->f->window_combine)
		r = WindowSplit(fcinfo, ms, v, n, t);
	else if (kind == WINDOW_PMF)
		r = ms->f->window_pmf(ms->b.params, v, n, t);
	else
		r = ms->f->p_alive_at(ms->b.params, v, t);
	r = cj_score_result(r, function);
	MemoPut(fcinfo, key, nkeys, r);
	return r;
}

/*
 * A window quantity on (x, t_x, T) numbers: the history in arguments
 * first.., the horizon in argument first + 3, n (PMF) in nidx >= 0
 */
static double
WindowNumbers(FunctionCallInfo fcinfo, WindowKind kind, int nidx, int first,
			  const char *function)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		key[4],
				v[CJ_TUPLE_DIM],
				n = 0.0,
				t = PG_GETARG_FLOAT8(first + 3),
				r;
	int			nkeys = 0,
				i;

	if (nidx >= 0)
		key[nkeys++] = n = WindowCount(PG_GETARG_INT32(nidx));
	for (i = 0; i < 3; i++)
		key[nkeys++] = PG_GETARG_FLOAT8(first + i);
	ConditionalHorizon(fcinfo, t);
	if (MemoGet(fcinfo, key, nkeys, &r))
		return r;
	cj_require_score(ms->f, kind == WINDOW_PMF ?
					 (const void *) ms->f->window_pmf :
					 (const void *) ms->f->p_alive_at, function);
	TupleArgs(fcinfo, first, ms, v);
	return WindowMiss(fcinfo, ms, kind, key, nkeys, n, v, t, function);
}

/*
 * A window quantity of a (cj_history, as_of) pair in arguments harg,
 * harg + 1, the horizon after them, n (PMF) in nidx >= 0
 */
static double
WindowHistory(FunctionCallInfo fcinfo, WindowKind kind, int nidx, int harg,
			  const char *function)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);
	double		key[4],
				v[CJ_TUPLE_DIM],
				n = 0.0,
				t = PG_GETARG_FLOAT8(harg + 2),
				r;
	int			nkeys = 0;

	cj_require_score(ms->f, kind == WINDOW_PMF ?
					 (const void *) ms->f->window_pmf :
					 (const void *) ms->f->p_alive_at, function);
	if (nidx >= 0)
		key[nkeys++] = n = WindowCount(PG_GETARG_INT32(nidx));
	t = WindowHorizon(ms, t);
	HistoryArgs(fcinfo, ms, harg, true, v);
	memcpy(key + nkeys, v, sizeof(double) * 3);
	nkeys += 3;
	ConditionalHorizon(fcinfo, t);
	if (MemoGet(fcinfo, key, nkeys, &r))
		return r;
	return WindowMiss(fcinfo, ms, kind, key, nkeys, n, v, t, function);
}

/* cj_prob_no_purchase(m, x, t_x, T, t): P(X(T, T+t) = 0 | history) */
Datum
cj_prob_no_purchase(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(WindowNumbers(fcinfo, WINDOW_PMF, -1, 1,
								   "cj_prob_no_purchase"));
}

/* cj_prob_no_purchase(m, h, as_of, t) */
Datum
cj_prob_no_purchase_history(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(WindowHistory(fcinfo, WINDOW_PMF, -1, 1,
								   "cj_prob_no_purchase"));
}

/* cj_conditional_prob_purchases(m, n, x, t_x, T, t): P(X(T, T+t) = n | history) */
Datum
cj_conditional_prob_purchases(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(WindowNumbers(fcinfo, WINDOW_PMF, 1, 2,
								   "cj_conditional_prob_purchases"));
}

/* cj_conditional_prob_purchases(m, n, h, as_of, t) */
Datum
cj_conditional_prob_purchases_history(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(WindowHistory(fcinfo, WINDOW_PMF, 1, 2,
								   "cj_conditional_prob_purchases"));
}

/* cj_p_alive_at(m, x, t_x, T, t): P(alive at T+t | history) */
Datum
cj_p_alive_at(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(WindowNumbers(fcinfo, WINDOW_ALIVE, -1, 1,
								   "cj_p_alive_at"));
}

/* cj_p_alive_at(m, h, as_of, t) */
Datum
cj_p_alive_at_history(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(WindowHistory(fcinfo, WINDOW_ALIVE, -1, 1,
								   "cj_p_alive_at"));
}

/*
 * The model in argument 0, which must be of family f: otherwise an error
 * naming the model's family.
 */
static const CjModelSlot *
ModelOf(FunctionCallInfo fcinfo, const CjFamily *f, const char *function)
{
	const CjModelSlot *ms = cj_score_model(fcinfo, 0, 0);

	cj_require_score(ms->f, ms->f == f ? (const void *) f : NULL, function);
	return ms;
}

/* A rate argument: finite and >= 0 (> 0 when positive is true) */
static double
RateArg(double v, const char *name, bool positive)
{
	if (!isfinite(v) || v < 0.0 || (positive && v == 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number %s 0", name,
						positive ? ">" : ">=")));
	return v;
}

/* A period count argument: at least lo */
static int32
PeriodArg(int32 v, const char *name, int32 lo)
{
	if (v < lo)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be at least %d", name, lo)));
	return v;
}

/* DERT of a checked history v at a continuous rate, parameters p */
static double
DertValue(const double *p, const double *v, double rate)
{
	rate = RateArg(rate, "continuous_rate", true);
	return cj_score_result(cj_pnbd_dert(p, v, rate), "cj_dert");
}

/*
 * cj_dert(m, x, t_x, T, continuous_rate): Pareto/NBD discounted expected
 * residual transactions (Fader, Hardie and Lee 2005, "RFM and CLV").
 */
Datum
cj_dert(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_pnbd, "cj_dert");
	double		v[CJ_TUPLE_DIM] = {0, 0, 0};
	int			i;

	for (i = 0; i < 3; i++)
		v[i] = cj_finite_arg(PG_GETARG_FLOAT8(1 + i), ms->f->data_names[i]);
	cj_check_tuple(ms->f, v);
	PG_RETURN_FLOAT8(DertValue(ms->b.params, v, PG_GETARG_FLOAT8(4)));
}

/* cj_dert(m, h, as_of, continuous_rate): Pareto/NBD DERT of a history */
Datum
cj_dert_history(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_pnbd, "cj_dert");
	double		v[CJ_TUPLE_DIM];

	HistoryArgs(fcinfo, ms, 1, true, v);
	PG_RETURN_FLOAT8(DertValue(ms->b.params, v, PG_GETARG_FLOAT8(3)));
}

/* cj_retention(m, period): sBG retention rate r(t), t >= 1 */
Datum
cj_retention(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_retention");
	int32		t = PeriodArg(PG_GETARG_INT32(1), "period", 1);

	PG_RETURN_FLOAT8(cj_sbg_retention(ms->b.params, t));
}

/* cj_survival(m, period): sBG survival S(t) = P(T > t), t >= 0 */
Datum
cj_survival(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_survival");
	int32		t = PeriodArg(PG_GETARG_INT32(1), "period", 0);

	PG_RETURN_FLOAT8(cj_sbg_survival(ms->b.params, t));
}

/* cj_del(m, discount_rate): sBG discounted expected lifetime */
Datum
cj_del(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_del");
	double		d = RateArg(PG_GETARG_FLOAT8(1), "discount_rate", false);

	PG_RETURN_FLOAT8(cj_score_result(cj_sbg_del(ms->b.params, d), "cj_del"));
}

/*
 * cj_derl(m, periods_survived, discount_rate): sBG discounted expected
 * residual lifetime after that many renewals (Fader and Hardie 2010).
 */
Datum
cj_derl(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = ModelOf(fcinfo, &cj_family_sbg, "cj_derl");
	int32		n = PeriodArg(PG_GETARG_INT32(1), "periods_survived", 0);
	double		d = RateArg(PG_GETARG_FLOAT8(2), "discount_rate", false);

	PG_RETURN_FLOAT8(cj_score_result(cj_sbg_derl(ms->b.params, n, d),
									 "cj_derl"));
}

/*
 * Scores with covariates.  The customer's covariate arrays (arguments
 * targ and targ + 1) give the linear predictors eta = gamma' z of each
 * process, and the family turns the model's parameters into the
 * customer's q (CLVTools' parameterisation, covariates.h); the score is
 * then the family's score at q, exactly what the plain score of a model
 * written with q returns.  Memo keys carry q, so customers with the same
 * history and covariates share an entry and a different customer never
 * reads another's.
 */

/*
 * The customer's parameters q under the model in ms from the covariate
 * arguments targ, targ + 1.  A model without covariates is refused: the
 * plain overload is the one to call.  q of the last covariate vectors seen
 * (up to QCACHE_Z values in all) is kept per call site in a direct-mapped
 * table of the current generation: customers of a covariate cell share it,
 * so most rows skip the linear predictors and their exponentials.
 */
static void
CovParams(FunctionCallInfo fcinfo, const CjModelSlot *ms, int targ, double *q)
{
	const CjCovariates *cov = ms->cov;
	ScoreCache *c = GetCache(fcinfo);
	double		z[2 * CJ_COV_MAX],
			   *e;
	int			nt,
				nz,
				i;
	uint64		h = 0;

	if (ms->raw == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s got covariates for a model without covariates",
						get_func_name(fcinfo->flinfo->fn_oid)),
				 errdetail("The model has no coefficients; call the overload without cov_trans and cov_life.")));
	nt = cov->n[CJ_COV_TRANS];
	nz = nt + cov->n[CJ_COV_LIFE];
	cj_covariate_values(PG_GETARG_DATUM(targ), cov, CJ_COV_TRANS, z);
	cj_covariate_values(PG_GETARG_DATUM(targ + 1), cov, CJ_COV_LIFE, z + nt);
	if (nz > QCACHE_Z)
	{
		cj_customer_params_z(ms->f, ms->b.params, cov, z, z + nt, q);
		return;
	}
	/* customers of one covariate cell share q: remember the last ones */
	for (i = 0; i < nz; i++)
	{
		uint64		b;

		memcpy(&b, &z[i], sizeof(b));
		h = (h + (b ^ (b >> 32))) * 0x9E3779B97F4A7C15u;
	}
	e = c->qcache[h >> (64 - QCACHE_BITS)];
	if (e[0] == (double) c->gen &&
		memcmp(e + 1 + CJ_MAX_PARAMS, z, sizeof(double) * nz) == 0)
	{
		memcpy(q, e + 1, sizeof(double) * CJ_MAX_PARAMS);
		return;
	}
	cj_customer_params_z(ms->f, ms->b.params, cov, z, z + nt, q);
	e[0] = (double) c->gen;
	memcpy(e + 1, q, sizeof(double) * CJ_MAX_PARAMS);
	memcpy(e + 1 + CJ_MAX_PARAMS, z, sizeof(double) * nz);
}

/* cj_expected_purchases(m, t, cov_trans, cov_life): E[X(t)] of a new customer */
Datum
cj_expected_purchases_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model_cov(fcinfo, 0, 0);
	double		t = Horizon(PG_GETARG_FLOAT8(1), "t"),
				q[CJ_MAX_PARAMS];

	cj_require_score(ms->f, ms->f->expected, "cj_expected_purchases");
	CovParams(fcinfo, ms, 2, q);
	PG_RETURN_FLOAT8(cj_score_result(ms->f->expected(q, t),
									 "cj_expected_purchases"));
}

/* cj_prob_purchases(m, n, t, cov_trans, cov_life): P(X(t) = n), new customer */
Datum
cj_prob_purchases_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model_cov(fcinfo, 0, 0);
	int32		n = PG_GETARG_INT32(1);
	double		t = WindowHorizon(ms, PG_GETARG_FLOAT8(2)),
				q[CJ_MAX_PARAMS];

	cj_require_score(ms->f, ms->f->prob_n, "cj_prob_purchases");
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must be >= 0")));
	CovParams(fcinfo, ms, 3, q);
	PG_RETURN_FLOAT8(cj_score_result(ms->f->prob_n(q, n, t),
									 "cj_prob_purchases"));
}

/*
 * E[X(T, T+t) | v] at the customer's parameters q: as ScoreConditional,
 * the exposure part remembered per (T, t, q) (customers of one covariate
 * cell share it), equal to the family's conditional to the last bit.
 */
static double
ScoreConditionalCov(FunctionCallInfo fcinfo, const CjFamily *f,
					const double *v, const double *q, double t)
{
	ScoreCache *c;
	double	   *e;
	uint64		b[6];
	int			i;

	if (f->exposure == NULL || f->conditional_given == NULL)
		return f->conditional(q, v, t);
	c = GetCache(fcinfo);
	memcpy(&b[0], &v[2], sizeof(double));
	memcpy(&b[1], &t, sizeof(double));
	memcpy(&b[2], q, sizeof(double) * 4);
	e = c->expo_cov[((b[0] * 0x9E3779B97F4A7C15u + b[1]) * 0xBF58476D1CE4E5B9u +
					 b[3] * 0x94D049BB133111EBu + b[4] * 0xD6E8FEB86659FD93u +
					 b[5] * 0xA0761D6478BD642Fu + b[2]) >> (64 - EXPO_COV_BITS)];
	for (i = 0; i < 4; i++)
		if (e[3 + i] != q[i])
			break;
	if (e[0] != (double) c->gen || e[1] != v[2] || e[2] != t || i < 4)
	{
		e[7] = f->exposure(q, v[2], t);
		e[0] = (double) c->gen;
		e[1] = v[2];
		e[2] = t;
		memcpy(e + 3, q, sizeof(double) * 4);
	}
	return f->conditional_given(q, v, e[7]);
}

/*
 * A conditional expectation with covariates: memo keyed (v, q[1..3]).
 * q[0] is r, which covariates never change (covariates.h), so it is left
 * out: the entry is then 8 doubles, one cache line.
 */
static double
ConditionalCov(FunctionCallInfo fcinfo, const CjModelSlot *ms, const double *v,
			   const double *q, double t)
{
	double		key[6] = {v[0], v[1], v[2], q[1], q[2], q[3]},
				r;

	Assert(q[0] == ms->b.params[0]);
	ConditionalHorizon(fcinfo, t);
	if (MemoGet(fcinfo, key, 6, &r))
		return r;
	r = cj_score_result(ScoreConditionalCov(fcinfo, ms->f, v, q, t),
						"cj_conditional_purchases");
	MemoPut(fcinfo, key, 6, r);
	return r;
}

/* cj_conditional_purchases(m, x, t_x, T, t, cov_trans, cov_life) */
Datum
cj_conditional_purchases_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model_cov(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM],
				q[CJ_MAX_PARAMS],
				t;

	cj_require_score(ms->f, (const void *) ms->f->conditional,
					 "cj_conditional_purchases");
	TupleArgs(fcinfo, 1, ms, v);
	t = Horizon(PG_GETARG_FLOAT8(4), "t");
	CovParams(fcinfo, ms, 5, q);
	PG_RETURN_FLOAT8(ConditionalCov(fcinfo, ms, v, q, t));
}

/* cj_conditional_purchases(m, h, as_of, t, cov_trans, cov_life) */
Datum
cj_conditional_purchases_history_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model_cov(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM],
				q[CJ_MAX_PARAMS],
				t;

	cj_require_score(ms->f, (const void *) ms->f->conditional,
					 "cj_conditional_purchases");
	t = Horizon(PG_GETARG_FLOAT8(3), "t");
	CovParams(fcinfo, ms, 4, q);
	HistoryArgs(fcinfo, ms, 1, true, v);
	PG_RETURN_FLOAT8(ConditionalCov(fcinfo, ms, v, q, t));
}

/* P(alive) with covariates: memo keyed (v, q[1..3]) as above */
static double
PAliveCov(FunctionCallInfo fcinfo, const CjModelSlot *ms, const double *v,
		  const double *q)
{
	double		key[6] = {v[0], v[1], v[2], q[1], q[2], q[3]},
				r;

	Assert(q[0] == ms->b.params[0]);
	if (MemoGet(fcinfo, key, 6, &r))
		return r;
	r = cj_score_result(ms->f->p_alive(q, v), "cj_p_alive");
	MemoPut(fcinfo, key, 6, r);
	return r;
}

/* cj_p_alive(m, x, t_x, T, cov_trans, cov_life) */
Datum
cj_p_alive_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model_cov(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM],
				q[CJ_MAX_PARAMS];

	cj_require_score(ms->f, (const void *) ms->f->p_alive, "cj_p_alive");
	TupleArgs(fcinfo, 1, ms, v);
	CovParams(fcinfo, ms, 4, q);
	PG_RETURN_FLOAT8(PAliveCov(fcinfo, ms, v, q));
}

/* cj_p_alive(m, h, as_of, cov_trans, cov_life) */
Datum
cj_p_alive_history_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = cj_score_model_cov(fcinfo, 0, 0);
	double		v[CJ_TUPLE_DIM],
				q[CJ_MAX_PARAMS];

	cj_require_score(ms->f, (const void *) ms->f->p_alive, "cj_p_alive");
	CovParams(fcinfo, ms, 3, q);
	HistoryArgs(fcinfo, ms, 1, true, v);
	PG_RETURN_FLOAT8(PAliveCov(fcinfo, ms, v, q));
}

/*
 * cj_clv(purchase_model, spend_model, x, t_x, T, m, periods,
 *        period_length, discount_rate [, margin], cov_trans, cov_life)
 * (the covariates are the purchase model's)
 */
Datum
cj_clv_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *pm = cj_score_model_cov(fcinfo, 0, 0);
	const CjModelSlot *sm = cj_score_model(fcinfo, 1, 1);
	int			c = PG_NARGS() - 2;
	double		v[CJ_TUPLE_DIM],
				q[CJ_MAX_PARAMS];

	cj_require_score(pm->f, (const void *) pm->f->conditional, "cj_clv");
	TupleArgs(fcinfo, 2, pm, v);
	CovParams(fcinfo, pm, c, q);
	PG_RETURN_FLOAT8(ClvCompute(fcinfo, pm, sm, v,
								cj_finite_arg(PG_GETARG_FLOAT8(5), "m"),
								PG_GETARG_INT32(6), PG_GETARG_FLOAT8(7),
								PG_GETARG_FLOAT8(8),
								c > 9 ? PG_GETARG_FLOAT8(9) : 1.0, q));
}

/*
 * cj_clv(purchase_model, spend_model, h, as_of, periods, period_length,
 *        discount_rate [, margin], cov_trans, cov_life)
 */
Datum
cj_clv_history_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *pm = cj_score_model_cov(fcinfo, 0, 0);
	const CjModelSlot *sm = cj_score_model(fcinfo, 1, 1);
	int			c = PG_NARGS() - 2;
	double		v[CJ_TUPLE_DIM],
				sv[CJ_TUPLE_DIM],
				q[CJ_MAX_PARAMS];

	cj_require_score(pm->f, (const void *) pm->f->conditional, "cj_clv");
	cj_require_score(sm->f, (const void *) sm->f->spend, "cj_clv");
	CovParams(fcinfo, pm, c, q);
	HistoryArgs(fcinfo, pm, 2, true, v);
	HistoryArgs(fcinfo, sm, 2, false, sv);
	PG_RETURN_FLOAT8(ClvCompute(fcinfo, pm, sm, v, sv[1], PG_GETARG_INT32(4),
								PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6),
								c > 7 ? PG_GETARG_FLOAT8(7) : 1.0, q));
}

/* The Pareto/NBD model in argument 0, covariates allowed */
static const CjModelSlot *
PnbdModelCov(FunctionCallInfo fcinfo)
{
	const CjModelSlot *ms = cj_score_model_cov(fcinfo, 0, 0);

	cj_require_score(ms->f, ms->f == &cj_family_pnbd ? (const void *) ms->f : NULL,
					 "cj_dert");
	return ms;
}

/* cj_dert(m, x, t_x, T, continuous_rate, cov_trans, cov_life) */
Datum
cj_dert_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = PnbdModelCov(fcinfo);
	double		v[CJ_TUPLE_DIM] = {0, 0, 0},
				q[CJ_MAX_PARAMS];
	int			i;

	for (i = 0; i < 3; i++)
		v[i] = cj_finite_arg(PG_GETARG_FLOAT8(1 + i), ms->f->data_names[i]);
	cj_check_tuple(ms->f, v);
	CovParams(fcinfo, ms, 5, q);
	PG_RETURN_FLOAT8(DertValue(q, v, PG_GETARG_FLOAT8(4)));
}

/* cj_dert(m, h, as_of, continuous_rate, cov_trans, cov_life) */
Datum
cj_dert_history_cov(PG_FUNCTION_ARGS)
{
	const CjModelSlot *ms = PnbdModelCov(fcinfo);
	double		v[CJ_TUPLE_DIM],
				q[CJ_MAX_PARAMS];

	CovParams(fcinfo, ms, 4, q);
	HistoryArgs(fcinfo, ms, 1, true, v);
	PG_RETURN_FLOAT8(DertValue(q, v, PG_GETARG_FLOAT8(3)));
}
