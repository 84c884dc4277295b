/*-------------------------------------------------------------------------
 *
 * cov_fit_state.c
 *	  cj_cov_fit_state: the aggregate state of the Pareto/NBD and BG/NBD
 *	  fits with covariates, its transition, combine and final functions.
 *
 * The state is the fit's shape (covariate names, constrained covariates,
 * lambdas: core/ltv/covstate.h) and the set of distinct rows (trans
 * covariates, life covariates, x, t_x, T) with integer weights, in one
 * varlena with spare capacity and an open-addressing index inside, like
 * cj_fit_state (fit_state.c): a row is added in O(1) in place, states
 * combine in parallel workers and on Citus as byte images, and the size
 * follows the number of distinct (covariates, history) rows.  With
 * categorical covariates that is the number of distinct histories times
 * at most the number of covariate combinations; continuous covariates make
 * almost every row distinct (the slower path, documented).
 *
 * The first row fixes the shape: the lengths of its covariate arrays and
 * the options (names_trans, names_life, lambda_trans, lambda_life,
 * constrain); every later row must have arrays of the same lengths and the
 * same options, and states combine only with states of the same shape.
 * The final function groups the rows by covariate vector, the groups in
 * the order of their covariates and each group's tuples sorted
 * (cj_cov_group_rows), and fits (core/ltv/covfit.c): the model does not
 * depend on the order rows arrived in.
 *
 * Text form: see core/ltv/covstate.c; the binary form is its text
 * (version byte, then the text), so both input paths share one validation
 * and round-trip exactly.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "common/util.h"
#include "common/state.h"
#include "core/ltv/covstate.h"
#include "core/ltv/fit_state_text.h"
#include "core/ltv/lrtest.h"
#include "ltv/cov_fit_state.h"
#include "ltv/model.h"

typedef struct CjCovFitState
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];	/* zero */
	uint32		n;				/* rows in use */
	uint32		capacity;		/* row slots */
	uint32		nslots;			/* hash index entries */
	uint32		pad;			/* zero */
	CjCovShape	shape;
	/* double rows[capacity * (width + 1)]; int32 slots[nslots]; */
} CjCovFitState;

#define CSTATE_HDR MAXALIGN(sizeof(CjCovFitState))
#define CSTATE_STRIDE(s) ((s)->shape.ntrans < 0 ? 1 : CJ_COVSHAPE_WIDTH(&(s)->shape) + 1)
#define CSTATE_ROWS(s) ((double *) ((char *) (s) + CSTATE_HDR))
#define CSTATE_SLOTS(s) ((int32 *) (CSTATE_ROWS(s) + (Size) (s)->capacity * CSTATE_STRIDE(s)))
#define CSTATE_SIZE(capacity, stride, nslots) \
	(CSTATE_HDR + (Size) (capacity) * (stride) * sizeof(double) + \
	 (Size) (nslots) * sizeof(int32))

/*
 * Header check of a received state (see common/state.h), O(1) as it runs
 * per row: the counts and sizes that memory accesses depend on.  The
 * names and lambdas were validated by the input function or the
 * transition that made the state (contents are trusted, state.h).
 */
static const char *
CovCheck(const void *state, Size size)
{
	const CjCovFitState *s = state;
	const CjCovShape *sh = &s->shape;
	const CjFamily *f = cj_family_by_id(sh->family);

	if (s->version != CJ_BINARY_VERSION || s->reserved[0] || s->reserved[1] ||
		s->reserved[2] || s->pad)
		return "The state has an unknown format version.";
	if (f == NULL || !cj_cov_family_supported(f))
		return "The state names a model family that takes no covariates.";
	if (!((sh->ntrans == -1 && sh->nlife == -1 && sh->nconstr == 0) ||
		  (sh->ntrans >= 0 && sh->ntrans <= CJ_COVFIT_MAX &&
		   sh->nlife >= 0 && sh->nlife <= CJ_COVFIT_MAX &&
		   sh->nconstr >= 0 && sh->nconstr <= CJ_COVFIT_MAX)))
		return "The state has covariate counts out of range.";
	if (s->capacity > CJ_FIT_MAX_TUPLES || s->n > s->capacity ||
		s->nslots != cj_tupleset_nslots(s->capacity) ||
		size != CSTATE_SIZE(s->capacity, CSTATE_STRIDE(s), s->nslots))
		return "The row count and capacity do not fit the size of the state.";
	return NULL;
}

static const CjStateType CovType = {"cj_cov_fit_state", CSTATE_HDR, CovCheck};

PG_FUNCTION_INFO_V1(cj_cov_fit_state_in);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_out);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_recv);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_send);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_add);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_addw);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_addo);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_addwo);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_combine);
PG_FUNCTION_INFO_V1(cj_cov_fit_state_final);

/* A view of the state's rows as a row set */
static CjRowSet
RowsOf(CjCovFitState *s)
{
	CjRowSet	rs;

	rs.rows = CSTATE_ROWS(s);
	rs.slots = CSTATE_SLOTS(s);
	rs.n = s->n;
	rs.capacity = s->capacity;
	rs.nslots = s->nslots;
	rs.width = CSTATE_STRIDE(s) - 1;
	return rs;
}

/* A new state of a shape with room for capacity rows, in mcxt */
static CjCovFitState *
NewState(MemoryContext mcxt, const CjCovShape *shape, uint32 capacity)
{
	uint32		nslots = cj_tupleset_nslots(capacity);
	int			stride = shape->ntrans < 0 ? 1 : CJ_COVSHAPE_WIDTH(shape) + 1;
	Size		size = CSTATE_SIZE(capacity, stride, nslots);
	CjCovFitState *s = MemoryContextAllocHuge(mcxt, size);
	CjRowSet	rs;

	memset(s, 0, CSTATE_HDR);
	SET_VARSIZE(s, size);
	s->version = CJ_BINARY_VERSION;
	s->capacity = capacity;
	s->nslots = nslots;
	s->shape = *shape;
	rs = RowsOf(s);
	cj_rowset_reindex(&rs);
	return s;
}

/* A copy of s with room for capacity rows, in mcxt */
static CjCovFitState *
Regrow(MemoryContext mcxt, const CjCovFitState *s, uint32 capacity)
{
	CjCovFitState *r = NewState(mcxt, &s->shape, capacity);
	CjRowSet	rs;

	memcpy(CSTATE_ROWS(r), CSTATE_ROWS(s),
		   sizeof(double) * CSTATE_STRIDE(s) * s->n);
	r->n = s->n;
	rs = RowsOf(r);
	cj_rowset_reindex(&rs);
	return r;
}

/* Error for the size cap */
static void
TooManyRows(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("covariate fit state is too large"),
			 errdetail("A fit holds at most %d distinct rows of covariates and history.",
					   CJ_FIT_MAX_TUPLES),
			 errhint("Use categorical or bucketed covariates, round t_x and T to whole days, or fit a sample.")));
}

/* Error for a merged weight past 2^53 */
static void
WeightOutOfRange(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("weight of a row is out of range for type cj_cov_fit_state"),
			 errdetail("The weights of equal rows add up to at most 2^53.")));
}

/* Add row v with weight w to *sp, growing it into mcxt when full */
static void
StateAdd(CjCovFitState **sp, MemoryContext mcxt, const double *v, double w)
{
	CjRowSet	rs = RowsOf(*sp);

	switch (cj_rowset_add(&rs, v, w, CJ_FIT_MAX_WEIGHT))
	{
		case CJ_TUPLESET_ADDED:
			(*sp)->n = rs.n;
			return;
		case CJ_TUPLESET_WEIGHT:
			WeightOutOfRange();
			break;
		case CJ_TUPLESET_FULL:
			break;
	}
	if ((*sp)->capacity >= CJ_FIT_MAX_TUPLES)
		TooManyRows();
	*sp = Regrow(mcxt, *sp, (uint32) Min((uint64) CJ_FIT_MAX_TUPLES,
										 Max((uint64) 256, (uint64) (*sp)->capacity * 4)));
	rs = RowsOf(*sp);
	if (cj_rowset_add(&rs, v, w, CJ_FIT_MAX_WEIGHT) != CJ_TUPLESET_ADDED)
		elog(ERROR, "could not add to a grown covariate fit state");
	(*sp)->n = rs.n;
}

/* The options of a fit, parsed from jsonb (cached per call site) */
typedef struct CovOptions
{
	int			ntrans_names;	/* -1: not given */
	int			nlife_names;
	CjCovShape	names;			/* trans, life, constr names and lambdas */
	bool		have_built;		/* built is the shape of (built_nt, built_nl) */
	const void *verified;		/* the state last found to have that shape */
	int			built_nt;
	int			built_nl;
	CjCovShape	built;
	Size		len;			/* the jsonb they came from */
	char	   *bytes;
} CovOptions;

/* Error 22023 for bad options */
static void
BadOptions(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid covariate fit options"),
			 errdetail("%s", detail),
			 errhint("Options: names_trans, names_life, constrain (arrays of names), lambda_trans, lambda_life (numbers >= 0).")));
}

/* Read a jsonb array of names into list; returns the count */
static int
ReadNames(JsonbIterator **it, const char *key, char list[][CJ_COVNAME_MAX + 1])
{
	JsonbValue	v;
	JsonbIteratorToken tok = JsonbIteratorNext(it, &v, false);
	int			n = 0;

	if (tok != WJB_BEGIN_ARRAY)
		BadOptions(psprintf("%s must be an array of names.", key));
	while ((tok = JsonbIteratorNext(it, &v, false)) == WJB_ELEM)
	{
		if (v.type != jbvString)
			BadOptions(psprintf("%s must be an array of names.", key));
		if (n >= CJ_COVFIT_MAX)
			BadOptions(psprintf("%s has more than %d names.", key, CJ_COVFIT_MAX));
		if (v.val.string.len > CJ_COVNAME_MAX)
			BadOptions(psprintf("A name in %s is longer than %d bytes.", key,
								CJ_COVNAME_MAX));
		memcpy(list[n], v.val.string.val, v.val.string.len);
		list[n][v.val.string.len] = '\0';
		n++;
	}
	return n;
}

/* Read a number >= 0 */
static double
ReadLambda(JsonbIterator **it, const char *key)
{
	JsonbValue	v;
	JsonbIteratorToken tok = JsonbIteratorNext(it, &v, false);
	double		d;

	if (tok != WJB_VALUE || v.type != jbvNumeric)
		BadOptions(psprintf("%s must be a number.", key));
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
										   NumericGetDatum(v.val.numeric)));
	if (!(isfinite(d) && d >= 0))
		BadOptions(psprintf("%s must be a finite number >= 0.", key));
	return d + 0.0;				/* -0 -> 0 */
}

/* Parse options jsonb into o */
static void
ParseOptions(Jsonb *jb, CovOptions *o)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int8_t		nc = 0;

	memset(o, 0, sizeof(*o));
	o->ntrans_names = o->nlife_names = -1;
	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		BadOptions("The options must be a jsonb object.");
	it = JsonbIteratorInit(&jb->root);
	tok = JsonbIteratorNext(&it, &v, false);
	while ((tok = JsonbIteratorNext(&it, &v, false)) == WJB_KEY)
	{
		char	   *key = pnstrdup(v.val.string.val, v.val.string.len);

		if (strcmp(key, "names_trans") == 0)
			o->ntrans_names = ReadNames(&it, key, o->names.trans);
		else if (strcmp(key, "names_life") == 0)
			o->nlife_names = ReadNames(&it, key, o->names.life);
		else if (strcmp(key, "constrain") == 0)
		{
			nc = (int8_t) ReadNames(&it, key, o->names.constr);
			o->names.nconstr = nc;
		}
		else if (strcmp(key, "lambda_trans") == 0)
			o->names.lambda_trans = ReadLambda(&it, key);
		else if (strcmp(key, "lambda_life") == 0)
			o->names.lambda_life = ReadLambda(&it, key);
		else
			BadOptions(psprintf("Unknown option \"%s\".", key));
	}
}

/* The parsed options of jb, cached in fn_extra by their bytes */
static CovOptions *
OptionsOf(FunctionCallInfo fcinfo, Jsonb *jb)
{
	CovOptions *c = fcinfo->flinfo->fn_extra;
	Size		len = jb ? VARSIZE(jb) : 0;

	if (c == NULL || c->len != len ||
		(len > 0 && memcmp(c->bytes, jb, len) != 0))
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		CovOptions *fresh = palloc0(sizeof(CovOptions));

		if (jb)
			ParseOptions(jb, fresh);
		else
			fresh->ntrans_names = fresh->nlife_names = -1;
		fresh->len = len;
		fresh->bytes = len ? palloc(len) : NULL;
		if (len)
			memcpy(fresh->bytes, jb, len);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c = fresh;
	}
	return c;
}

/*
 * The shape of a fit of family f from its options and the lengths of the
 * first row's arrays; names default to z1, z2, ... .
 */
static void
ShapeFrom(const CjFamily *f, const CovOptions *o, int nt, int nl,
		  CjCovShape *s)
{
	CjError		err;
	int			i;

	*s = o->names;
	s->family = (uint8) f->id;
	s->ntrans = (int8) nt;
	s->nlife = (int8) nl;
	memset(s->reserved, 0, sizeof(s->reserved));
	if (o->ntrans_names >= 0 && o->ntrans_names != nt)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("names_trans does not match cov_trans"),
				 errdetail("names_trans has %d names and cov_trans %d values.",
						   o->ntrans_names, nt)));
	if (o->nlife_names >= 0 && o->nlife_names != nl)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("names_life does not match cov_life"),
				 errdetail("names_life has %d names and cov_life %d values.",
						   o->nlife_names, nl)));
	if (o->ntrans_names < 0)
		for (i = 0; i < nt; i++)
		{
			memset(s->trans[i], 0, sizeof(s->trans[i]));
			snprintf(s->trans[i], sizeof(s->trans[i]), "z%d", i + 1);
		}
	if (o->nlife_names < 0)
		for (i = 0; i < nl; i++)
		{
			memset(s->life[i], 0, sizeof(s->life[i]));
			snprintf(s->life[i], sizeof(s->life[i]), "z%d", i + 1);
		}
	if (!cj_cov_shape_check(s, &err))
		cj_raise(&err, "invalid covariate fit options");
}

/*
 * Copy float8[] argument argno into v (at most CJ_COVFIT_MAX values);
 * returns the count.  Errors: more than one dimension or too many values
 * (2202E), a NULL element (22004), NaN or an infinity (22023).
 */
static int
ArrayArg(FunctionCallInfo fcinfo, int argno, const char *what, double *v)
{
	ArrayType  *a;
	int			n,
				i;
	const double *d;

	/* the usual row: read in place, no copy of the array */
	if (cj_float8_array_inplace(PG_GETARG_DATUM(argno), CJ_COVFIT_MAX, v, &n))
		return n;
	a = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what)));
	n = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	if (n > CJ_COVFIT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s has too many covariates", what),
				 errdetail("A process takes at most %d covariates; got %d.",
						   CJ_COVFIT_MAX, n)));
	if (ARR_HASNULL(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not contain NULL", what),
				 errdetail("Give every customer a value for every covariate.")));
	/* no NULL bitmap: the data follow the fixed overhead */
	d = (const double *) ((const char *) a + ARR_OVERHEAD_NONULLS(ARR_NDIM(a)));
	for (i = 0; i < n; i++)
	{
		if (!isfinite(d[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must contain finite numbers", what),
					 errdetail("Element %d is %g.", i + 1, d[i])));
		v[i] = d[i];
	}
	return n;
}

/* Error 2202E for a row whose arrays differ in length from the first */
static void
LengthMismatch(const char *what, int want, int got)
{
	ereport(ERROR,
			(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
			 errmsg("%s arrays vary in length within one fit", what),
			 errdetail("The first row has %d values and this one %d.", want, got)));
}

/*
 * Transition: (state, x, t_x, T, cov_trans, cov_life [, weight]
 * [, options]); each variant has its own entry point below, which says
 * where the weight (warg) and the options (oarg) are, or -1: nothing is
 * inferred from the call expression, which callers such as Citus's
 * worker_partial_agg do not provide.  Not strict: a row with a NULL among
 * x, t_x, T, the arrays or the weight is skipped, as the strict
 * transitions of the other fits skip it; NULL options are no options.
 */
static Datum
CovAdd(FunctionCallInfo fcinfo, int warg, int oarg)
{
	MemoryContext aggctx = cj_agg_context(fcinfo, "cj_cov_fit_state_add");
	CjCovFitState *s;
	const CjFamily *f;
	double		v[CJ_COVROW_MAX],
				zt[CJ_COVFIT_MAX],
				zl[CJ_COVFIT_MAX];
	int			nt,
				nl,
				i;
	int64		w = 1;
	Jsonb	   *jb = NULL;
	CovOptions *o;
	CjError		err;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cj_cov_fit_state transition needs an initial state"),
				 errhint("Declare the aggregate with INITCOND 'pnbd{}' or 'bgnbd{}', as cj_fit_pnbd and cj_fit_bgnbd are.")));
	s = cj_state_arg(fcinfo, 0, &CovType);
	for (i = 1; i <= 5; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_POINTER(s);
	if (PG_NARGS() <= Max(warg, oarg))
		elog(ERROR, "cj_cov_fit_state transition called with %d arguments",
			 PG_NARGS());
	if (warg > 0)
	{
		if (PG_ARGISNULL(warg))
			PG_RETURN_POINTER(s);
		w = PG_GETARG_INT64(warg);
	}
	if (oarg > 0 && !PG_ARGISNULL(oarg))
		jb = PG_GETARG_JSONB_P(oarg);
	if (w < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must not be negative"),
				 errdetail("The weight is the number of customers sharing the row; got %lld.",
						   (long long) w)));
	if ((double) w > CJ_FIT_MAX_WEIGHT)
		WeightOutOfRange();
	f = cj_family_by_id(s->shape.family);
	nt = ArrayArg(fcinfo, 4, "cov_trans", zt);
	nl = ArrayArg(fcinfo, 5, "cov_life", zl);
	o = OptionsOf(fcinfo, jb);
	/* the shape of these options and lengths, built once per call site */
	if (!o->have_built || o->built_nt != nt || o->built_nl != nl ||
		o->built.family != s->shape.family)
	{
		ShapeFrom(f, o, nt, nl, &o->built);
		o->built_nt = nt;
		o->built_nl = nl;
		o->have_built = true;
		o->verified = NULL;
	}
	if (s->shape.ntrans < 0)
		s = NewState(CurrentMemoryContext, &o->built, 64);
	else
	{
		if (nt != s->shape.ntrans)
			LengthMismatch("cov_trans", s->shape.ntrans, nt);
		if (nl != s->shape.nlife)
			LengthMismatch("cov_life", s->shape.nlife, nl);
		/*
		 * The names and lambdas are compared once per state (a state is
		 * updated in place, so the same pointer is the same state of this
		 * call site, which has the same options; the counts above are
		 * checked on every row).
		 */
		if (s != o->verified &&
			memcmp(&o->built, &s->shape, sizeof(CjCovShape)) != 0 &&
			!cj_cov_shape_equal(&o->built, &s->shape))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("covariate fit options vary within one fit"),
					 errdetail("Every row of a fit must give the same names, constraints and lambdas.")));
		o->verified = s;
	}
	memcpy(v, zt, sizeof(double) * nt);
	memcpy(v + nt, zl, sizeof(double) * nl);
	v[nt + nl] = PG_GETARG_FLOAT8(1);
	v[nt + nl + 1] = PG_GETARG_FLOAT8(2);
	v[nt + nl + 2] = PG_GETARG_FLOAT8(3);
	for (i = 0; i < 3; i++)
		if (!isfinite(v[nt + nl + i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be a finite number", f->data_names[i])));
	if (!cj_cov_row_check(&s->shape, v, &err))
		cj_tuple_error(f, &err);
	if (w > 0)
		StateAdd(&s, CurrentMemoryContext, v, (double) w);
	(void) aggctx;
	PG_RETURN_POINTER(s);
}

/* cj_cov_fit_state_add(state, x, t_x, T, cov_trans, cov_life) */
Datum
cj_cov_fit_state_add(PG_FUNCTION_ARGS)
{
	return CovAdd(fcinfo, -1, -1);
}

/* cj_cov_fit_state_add(state, x, t_x, T, cov_trans, cov_life, weight) */
Datum
cj_cov_fit_state_addw(PG_FUNCTION_ARGS)
{
	return CovAdd(fcinfo, 6, -1);
}

/* cj_cov_fit_state_add(state, x, t_x, T, cov_trans, cov_life, options) */
Datum
cj_cov_fit_state_addo(PG_FUNCTION_ARGS)
{
	return CovAdd(fcinfo, -1, 6);
}

/* cj_cov_fit_state_add(state, x, t_x, T, cov_trans, cov_life, weight, options) */
Datum
cj_cov_fit_state_addwo(PG_FUNCTION_ARGS)
{
	return CovAdd(fcinfo, 6, 7);
}

/* Combine: add the rows of arg 1 into arg 0 */
Datum
cj_cov_fit_state_combine(PG_FUNCTION_ARGS)
{
	CjCovFitState *a,
			   *b;
	Datum		result;
	bool		isnull;
	uint32		i;
	int			stride;

	if (cj_state_combine_start(fcinfo, "cj_cov_fit_state_combine", &CovType,
							   &result, &isnull, (void **) &a, (void **) &b))
	{
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(result);
	}
	if (a->shape.family != b->shape.family)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine covariate fit states of different families")));
	if (b->shape.ntrans < 0)
		PG_RETURN_POINTER(a);
	if (a->shape.ntrans < 0)
		PG_RETURN_POINTER(Regrow(CurrentMemoryContext, b, Max(b->n, 1)));
	if (!cj_cov_shape_equal(&a->shape, &b->shape))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine covariate fit states of different shapes"),
				 errdetail("Both must have the same covariate names, constraints and lambdas.")));
	stride = CSTATE_STRIDE(b);
	for (i = 0; i < b->n; i++)
	{
		StateAdd(&a, CurrentMemoryContext, CSTATE_ROWS(b) + (Size) i * stride,
				 CSTATE_ROWS(b)[(Size) i * stride + stride - 1]);
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(a);
}

/* The state's rows, sorted and merged (palloc'd copy); *n rows */
static double *
SortedRows(const CjCovFitState *s, size_t *n)
{
	int			stride = CSTATE_STRIDE(s);
	double	   *r = palloc_extended(sizeof(double) * stride * Max(s->n, 1),
									MCXT_ALLOC_HUGE);

	memcpy(r, CSTATE_ROWS(s), sizeof(double) * stride * s->n);
	*n = s->n ? cj_rows_sort_merge(r, s->n, stride - 1) : 0;
	return r;
}

/* Final: fit the model with covariates; NULL for no data */
Datum
cj_cov_fit_state_final(PG_FUNCTION_ARGS)
{
	CjCovFitState *s;
	const CjFamily *f;
	CjCovSpec	spec;
	char		(*names)[CJ_COEFNAME_MAX];
	CjCovData	d;
	CjCovGroup *groups;
	CjTuple    *tuples,
			   *pooled_t;
	CjData		pooled;
	CjCovFitResult res;
	CjError		err;
	uint32	   *scratch;
	size_t		n;
	uint32		fp;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = cj_state_arg(fcinfo, 0, &CovType);
	if (s->n == 0 || s->shape.ntrans < 0)
		PG_RETURN_NULL();
	f = cj_family_by_id(s->shape.family);
	tuples = palloc_extended(sizeof(CjTuple) * s->n, MCXT_ALLOC_HUGE);
	groups = palloc_extended(sizeof(CjCovGroup) * s->n, MCXT_ALLOC_HUGE);
	scratch = palloc_extended(sizeof(uint32) * cj_cov_group_scratch(s->n),
							  MCXT_ALLOC_HUGE);
	d.g = groups;
	d.ngroups = cj_cov_group_rows(&s->shape, CSTATE_ROWS(s), s->n, tuples,
								  groups, scratch, &n, &d.total_weight);
	pfree(scratch);
	/* every group's tuples merged: the fit without covariates, the start */
	pooled_t = palloc_extended(sizeof(CjTuple) * n, MCXT_ALLOC_HUGE);
	memcpy(pooled_t, tuples, sizeof(CjTuple) * n);
	pooled.t = pooled_t;
	pooled.n = cj_tuples_sort_merge(pooled_t, n);
	pooled.total_weight = d.total_weight;
	d.pooled = &pooled;
	fp = cj_data_fingerprint(pooled.t, pooled.n);
	names = palloc(sizeof(*names) * CJ_COVFIT_MAX_COEF);
	cj_cov_shape_spec(&s->shape, &spec, names);
	if (!cj_cov_fit(f, &spec, &d, &res, &err))
		cj_raise(&err, psprintf("cannot fit the %s model with covariates to these data",
								f->title));
	PG_RETURN_DATUM(cj_cov_model_datum(f, &s->shape, &res, 0, fp));
}

/* Text input (core/ltv/covstate.c) */
Datum
cj_cov_fit_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjCovShape shape;
	double	   *rows;
	size_t		n,
				cap = cj_cov_state_parse_rows(strlen(str));
	CjError		err;
	CjCovFitState *s;

	rows = palloc_extended(sizeof(double) * (CJ_COVROW_MAX + 1) * cap,
						   MCXT_ALLOC_HUGE);
	if (!cj_cov_state_parse(str, &shape, rows, &n, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_cov_fit_state", str, &err);
		PG_RETURN_NULL();
	}
	s = NewState(CurrentMemoryContext, &shape, (uint32) Max(n, 1));
	if (n > 0)
	{
		CjRowSet	rs;

		memcpy(CSTATE_ROWS(s), rows, sizeof(double) * CSTATE_STRIDE(s) * n);
		s->n = (uint32) n;
		rs = RowsOf(s);
		cj_rowset_reindex(&rs);
	}
	PG_RETURN_POINTER(s);
}

/* Text output, rows sorted */
Datum
cj_cov_fit_state_out(PG_FUNCTION_ARGS)
{
	CjCovFitState *s = cj_state_arg(fcinfo, 0, &CovType);
	size_t		n;
	double	   *rows = SortedRows(s, &n);
	char	   *buf = palloc_extended(cj_cov_state_text_size(&s->shape, n),
									  MCXT_ALLOC_HUGE);

	cj_cov_state_format(&s->shape, rows, n, buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary input: version byte, then the text form */
Datum
cj_cov_fit_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *txt;
	int			len;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_cov_fit_state");
	len = buf->len - buf->cursor;
	txt = pq_getmsgbytes(buf, len);
	if (memchr(txt, '\0', len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_cov_fit_state"),
				 errdetail("The binary form is the text form, without NUL bytes.")));
	PG_RETURN_DATUM(DirectFunctionCall1(cj_cov_fit_state_in,
										CStringGetDatum(pnstrdup(txt, len))));
}

/* Binary output: version byte, then the text form */
Datum
cj_cov_fit_state_send(PG_FUNCTION_ARGS)
{
	char	   *txt = DatumGetCString(DirectFunctionCall1(cj_cov_fit_state_out,
														  PG_GETARG_DATUM(0)));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendbytes(&buf, txt, strlen(txt));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
