/*-------------------------------------------------------------------------
 *
 * fit_state.c
 *	  cj_fit_state: the aggregate state of every model fit, and the
 *	  generic transition, combine and final functions.
 *
 * The state is the set of distinct data tuples with integer weights (the
 * sufficient statistics of every family here), the family's stable id and
 * the time unit.  It is one varlena with spare capacity and an
 * open-addressing hash index inside (offsets, no pointers), so the
 * transition adds a row in O(1) in place, the state moves between
 * parallel workers as a byte image, and its size follows the number of
 * distinct histories, not of customers.  The final function sorts a copy
 * of the tuples, so the fit does not depend on the order rows arrived in:
 * serial, parallel and pre-aggregated (weighted) inputs give the same
 * model to the last bit.
 *
 * A state that grows past EXPAND_AT tuples moves into an expanded object
 * (utils/expandeddatum.h) owned by the aggregate: the executor then keeps
 * the same read-write pointer instead of copying every grown state into
 * its context, and growth is a repalloc, which for large chunks the C
 * library can do without copying.  Anything that needs the value as bytes
 * (a parallel worker's partial result, a Citus node) gets it flattened.
 *
 * Text form: family{(v1,v2,v3):w,...} [unit=7d], tuples in sorted order,
 * e.g. bgnbd{(0,0,38.86):2,(2,30.43,38.86):1}.  An empty state is
 * 'bgnbd{}', which is how an aggregate names its family (INITCOND).
 * Size cap: CJ_FIT_MAX_TUPLES distinct tuples (54000 beyond).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "common/util.h"
#include "common/state.h"
#include "core/common/text.h"
#include "core/ltv/lrtest.h"
#include "core/ltv/tupleset.h"
#include "core/ltv/sbg.h"
#include "ltv/fit_state.h"
#include "ltv/history.h"
#include "ltv/model.h"
#include "core/ltv/fit_state_text.h"

typedef struct CjFitState
{
	int32		vl_len_;
	uint8		version;
	uint8		family;			/* stable family id */
	uint8		ndata;			/* data columns of the family */
	uint8		reserved;		/* must be zero */
	uint32		n;				/* tuples in use */
	uint32		capacity;		/* tuple slots */
	uint32		nslots;			/* hash index entries */
	uint32		pad;
	double		unit;			/* seconds per time unit, 0 = not given */
	/* CjTuple tuples[capacity]; int32 slots[nslots]; */
} CjFitState;

#define STATE_HDR MAXALIGN(sizeof(CjFitState))
#define STATE_TUPLES(s) ((CjTuple *) ((char *) (s) + STATE_HDR))
#define STATE_SLOTS(s) ((int32 *) (STATE_TUPLES(s) + (s)->capacity))
#define STATE_SIZE(capacity, nslots) \
	(STATE_HDR + (Size) (capacity) * sizeof(CjTuple) + (Size) (nslots) * sizeof(int32))

/* Largest weight of a tuple (core/ltv/fit_state_text.h), as an integer */
#define MAX_WEIGHT_INT (INT64CONST(1) << 53)

/* Header check of a received state (see common/state.h) */
static const char *
FitCheck(const void *state, Size size)
{
	const CjFitState *s = state;
	const CjFamily *f = cj_family_by_id(s->family);

	if (s->version != CJ_BINARY_VERSION || s->reserved != 0 || s->pad != 0)
		return "The state has an unknown format version.";
	if (f == NULL || s->ndata != f->ndata)
		return "The state names an unknown model family.";
	if (s->capacity > CJ_FIT_MAX_TUPLES || s->n > s->capacity ||
		s->nslots != cj_tupleset_nslots(s->capacity) ||
		size != STATE_SIZE(s->capacity, s->nslots))
		return "The tuple count and capacity do not fit the size of the state.";
	if (!(isfinite(s->unit) && s->unit >= 0))
		return "The time unit must be a finite number of seconds >= 0.";
	return NULL;
}

static const CjStateType FitType = {"cj_fit_state", STATE_HDR, FitCheck};

/* Error (22003) for a tuple weight past CJ_FIT_MAX_WEIGHT */
static void
WeightOutOfRange(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("weight of a data tuple is out of range for type cj_fit_state"),
			 errdetail("The weights of equal tuples add up to at most " INT64_FORMAT ".",
					   MAX_WEIGHT_INT)));
}

PG_FUNCTION_INFO_V1(cj_fit_state_in);
PG_FUNCTION_INFO_V1(cj_fit_state_out);
PG_FUNCTION_INFO_V1(cj_fit_state_recv);
PG_FUNCTION_INFO_V1(cj_fit_state_send);
PG_FUNCTION_INFO_V1(cj_fit_state_add2);
PG_FUNCTION_INFO_V1(cj_fit_state_add2w);
PG_FUNCTION_INFO_V1(cj_fit_state_add3);
PG_FUNCTION_INFO_V1(cj_fit_state_add3w);
PG_FUNCTION_INFO_V1(cj_fit_state_combine);
PG_FUNCTION_INFO_V1(cj_fit_state_final);
PG_FUNCTION_INFO_V1(cj_fit_state_add_history);
PG_FUNCTION_INFO_V1(cj_fit_sbg_add);
PG_FUNCTION_INFO_V1(cj_fit_sbg_addw);

/* A view of the state's tuple set */
static CjTupleSet
SetOf(CjFitState *s)
{
	CjTupleSet	ts;

	ts.t = STATE_TUPLES(s);
	ts.slots = STATE_SLOTS(s);
	ts.n = s->n;
	ts.capacity = s->capacity;
	ts.nslots = s->nslots;
	return ts;
}

/* Allocate an empty state with room for capacity tuples in mcxt */
static CjFitState *
NewState(MemoryContext mcxt, const CjFamily *f, uint32 capacity, double unit)
{
	uint32		nslots = cj_tupleset_nslots(capacity);
	Size		size = STATE_SIZE(capacity, nslots);
	CjFitState *s = MemoryContextAlloc(mcxt, size);
	CjTupleSet	ts;

	/* only the header needs zeroing: tuples are written before use */
	memset(s, 0, STATE_HDR);
	SET_VARSIZE(s, size);
	s->version = CJ_BINARY_VERSION;
	s->family = (uint8) cj_family_id(f);
	s->ndata = (uint8) f->ndata;
	s->capacity = capacity;
	s->nslots = nslots;
	s->unit = unit;
	ts = SetOf(s);
	cj_tupleset_reindex(&ts);
	return s;
}

/* A copy of s with room for capacity tuples, in mcxt */
static CjFitState *
Regrow(MemoryContext mcxt, const CjFitState *s, uint32 capacity)
{
	CjFitState *r = NewState(mcxt, cj_family_by_id(s->family), capacity, s->unit);
	CjTupleSet	ts;

	memcpy(STATE_TUPLES(r), STATE_TUPLES(s), sizeof(CjTuple) * s->n);
	r->n = s->n;
	ts = SetOf(r);
	cj_tupleset_reindex(&ts);
	return r;
}

/* Error for the size cap */
static void
TooManyTuples(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("model fit state is too large"),
			 errdetail("A fit holds at most %d distinct data tuples.",
					   CJ_FIT_MAX_TUPLES),
			 errhint("Round t_x and T to whole days, or fit a sample.")));
}

/*
 * Capacity after s fills up: fourfold, from at least 1024 slots (each
 * growth of a flat state costs a copy here and another by the executor, so
 * few large steps beat many small ones); an error at the size cap.
 */
static uint32
NextCapacity(const CjFitState *s)
{
	if (s->capacity >= CJ_FIT_MAX_TUPLES)
		TooManyTuples();
	return (uint32) Min((uint64) CJ_FIT_MAX_TUPLES,
						Max((uint64) 1024, (uint64) s->capacity * 4));
}

/*
 * Add v with weight w to s; false when it has no room.  22003 when the
 * tuple's weight would pass CJ_FIT_MAX_WEIGHT (it could not be written
 * out exactly).
 */
static bool
AddTuple(CjFitState *s, const double *v, double w)
{
	CjTupleSet	ts = SetOf(s);

	switch (cj_tupleset_add(&ts, v, s->ndata, w, CJ_FIT_MAX_WEIGHT))
	{
		case CJ_TUPLESET_FULL:
			return false;
		case CJ_TUPLESET_WEIGHT:
			WeightOutOfRange();
			break;
		case CJ_TUPLESET_ADDED:
			break;
	}
	s->n = ts.n;
	return true;
}

/* Add to a state that was just given room */
static void
AddToGrown(CjFitState *s, const double *v, double w)
{
	if (!AddTuple(s, v, w))
		elog(ERROR, "could not add to a grown fit state");
}

/* A large transition state: an expanded object holding the flat state */
#define EXPAND_AT 4096			/* tuple capacity from which states expand */

typedef struct FitExpanded
{
	ExpandedObjectHeader hdr;
	CjFitState *flat;			/* allocated in hdr.eoh_context */
} FitExpanded;

/* Bytes of the flat form of an expanded state */
static Size
FitFlatSize(ExpandedObjectHeader *eoh)
{
	return VARSIZE(((FitExpanded *) eoh)->flat);
}

/* Write the flat form of an expanded state */
static void
FitFlatten(ExpandedObjectHeader *eoh, void *result, Size allocated_size)
{
	memcpy(result, ((FitExpanded *) eoh)->flat, allocated_size);
}

static const ExpandedObjectMethods FitMethods = {FitFlatSize, FitFlatten};

/* The expanded state behind d, or NULL when d is not one of ours */
static FitExpanded *
OurExpanded(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &FitMethods)
			return (FitExpanded *) eoh;
	}
	return NULL;
}

/*
 * The flat state behind a datum, read-only, without flattening ours (our
 * expanded objects hold states we built); any other value is detoasted and
 * checked.
 */
static CjFitState *
StateOf(Datum d)
{
	FitExpanded *e = OurExpanded(d);

	return e ? e->flat : (CjFitState *) cj_state_datum(d, &FitType);
}

/*
 * Move a copy of s with room for capacity tuples into a new expanded
 * object whose context is a child of the aggregate context, which is what
 * lets the executor adopt it without a copy.
 */
static FitExpanded *
Expand(MemoryContext aggctx, const CjFitState *s, uint32 capacity)
{
	MemoryContext cxt = AllocSetContextCreate(aggctx, "cj_fit_state",
											  ALLOCSET_DEFAULT_SIZES);
	FitExpanded *e = MemoryContextAlloc(cxt, sizeof(FitExpanded));

	EOH_init_header(&e->hdr, &FitMethods, cxt);
	e->flat = Regrow(cxt, s, capacity);
	return e;
}

/* Give the flat state of an expanded object room for capacity tuples */
static void
GrowExpanded(FitExpanded *e, uint32 capacity)
{
	uint32		nslots = cj_tupleset_nslots(capacity);
	Size		size = STATE_SIZE(capacity, nslots);
	CjFitState *s = repalloc_huge(e->flat, size);
	CjTupleSet	ts;

	SET_VARSIZE(s, size);
	s->capacity = capacity;
	s->nslots = nslots;
	ts = SetOf(s);
	cj_tupleset_reindex(&ts);
	e->flat = s;
}

/* The family of a state */
static const CjFamily *
StateFamily(const CjFitState *s)
{
	const CjFamily *f = cj_family_by_id(s->family);

	if (f == NULL)
		elog(ERROR, "cj_fit_state has unknown family id %d", s->family);
	return f;
}

/* The family of a cj_fit_state datum */
const CjFamily *
cj_fit_state_family(Datum d)
{
	return StateFamily(StateOf(d));
}

/* Error unless two units agree (0 = not given agrees with anything) */
static double
MergeUnit(double a, double b)
{
	if (a > 0 && b > 0 && a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot fit histories measured in different time units"),
				 errdetail("One row uses %g s and another %g s per unit.", a, b)));
	return a > 0 ? a : b;
}

/* Error for a support function called outside an aggregate */
static void
NotInAggregate(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cj_fit_state support functions can only be called by an aggregate")));
}

/* Error for a state of the wrong family or data width */
static void
WrongFamily(const CjFamily *f, const char *want)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cj_fit_state of family %s cannot be used to fit %s",
					f->name, want)));
}

/*
 * Add v (weight w, unit) to the transition state d of family f; returns
 * the new state datum.  A flat state is updated in place while it has
 * room and otherwise grows into the per-row context (the executor copies
 * it) or, from EXPAND_AT tuples, into an expanded object; an expanded
 * state (read-write, ours) is updated and grown in place.
 */
static Datum
TransAdd(Datum d, MemoryContext aggctx, const CjFamily *f, const double *v,
		 int64 w, double unit)
{
	FitExpanded *e = VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) ?
		OurExpanded(d) : NULL;
	CjFitState *s = e ? e->flat : (CjFitState *) cj_state_datum(d, &FitType);
	uint32		cap;

	if (w < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must not be negative"),
				 errdetail("The weight is the number of customers sharing the row; got %lld.",
						   (long long) w)));
	if (w > MAX_WEIGHT_INT)
		WeightOutOfRange();
	cj_check_tuple(f, v);
	if (unit != s->unit)
		s->unit = MergeUnit(s->unit, unit);
	if (w != 0 && !(f->skip_data && f->skip_data(v)) &&
		!AddTuple(s, v, (double) w))
	{
		cap = NextCapacity(s);
		if (e)
			GrowExpanded(e, cap);
		else if (cap >= EXPAND_AT)
			e = Expand(aggctx, s, cap);
		else
			s = Regrow(CurrentMemoryContext, s, cap);
		AddToGrown(e ? e->flat : s, v, (double) w);
	}
	return e ? EOHPGetRWDatum(&e->hdr) : PointerGetDatum(s);
}

/* The aggregate context of a transition call (an error outside one) */
static MemoryContext
TransContext(FunctionCallInfo fcinfo)
{
	MemoryContext aggctx;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		NotInAggregate();
	return aggctx;
}

/* Generic accumulation step for transition functions (see model.h) */
Datum
cj_fit_state_accum(FunctionCallInfo fcinfo, const CjFamily *fam,
				   const double *v, int64 w, double unit)
{
	MemoryContext aggctx = TransContext(fcinfo);
	Datum		d;
	const CjFamily *f;

	if (PG_ARGISNULL(0))
	{
		if (fam == NULL)
			elog(ERROR, "cj_fit_state transition needs an initial state");
		d = PointerGetDatum(NewState(CurrentMemoryContext, fam, 64, 0));
	}
	else
		d = PG_GETARG_DATUM(0);
	f = StateFamily(StateOf(d));
	if (fam != NULL && fam != f)
		WrongFamily(f, fam->name);
	return TransAdd(d, aggctx, f, v, w, unit);
}

/* Read float8 argument i, rejecting NaN and infinities */
static double
DataArg(FunctionCallInfo fcinfo, int i, const CjFamily *f, int col)
{
	double		v = PG_GETARG_FLOAT8(i);

	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", f->data_names[col])));
	return v;
}

/* Transition over ndata number columns starting at argument 1 */
static Datum
AddNumbers(FunctionCallInfo fcinfo, int ndata, bool weighted)
{
	double		v[CJ_TUPLE_DIM] = {0, 0, 0};
	MemoryContext aggctx = TransContext(fcinfo);
	const CjFamily *f;
	int			i;

	if (PG_ARGISNULL(0))
		elog(ERROR, "cj_fit_state transition needs an initial state");
	f = StateFamily(StateOf(PG_GETARG_DATUM(0)));

	if (f->ndata != ndata)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a %s fit takes %d data columns, not %d",
						f->title, f->ndata, ndata)));
	for (i = 0; i < ndata; i++)
		v[i] = DataArg(fcinfo, i + 1, f, i);
	return TransAdd(PG_GETARG_DATUM(0), aggctx, f, v,
					weighted ? PG_GETARG_INT64(ndata + 1) : 1, 0);
}

/* cj_fit_state_add2(state, v1, v2) */
Datum
cj_fit_state_add2(PG_FUNCTION_ARGS)
{
	return AddNumbers(fcinfo, 2, false);
}

/* cj_fit_state_add2w(state, v1, v2, weight) */
Datum
cj_fit_state_add2w(PG_FUNCTION_ARGS)
{
	return AddNumbers(fcinfo, 2, true);
}

/* cj_fit_state_add3(state, v1, v2, v3) */
Datum
cj_fit_state_add3(PG_FUNCTION_ARGS)
{
	return AddNumbers(fcinfo, 3, false);
}

/* cj_fit_state_add3w(state, v1, v2, v3, weight) */
Datum
cj_fit_state_add3w(PG_FUNCTION_ARGS)
{
	return AddNumbers(fcinfo, 3, true);
}

/*
 * The state that a combine merges into: a itself when it is our expanded
 * object (grown to capacity cap) or a flat state with room for cap tuples;
 * otherwise a copy of big (the larger of a and b) with that room, as an
 * expanded object from EXPAND_AT tuples (the executor then adopts it
 * without a copy, and later combines merge into it in place).  *ep gets
 * the expanded object or NULL.
 */
static CjFitState *
CombineTarget(MemoryContext aggctx, FitExpanded *ea, CjFitState *a,
			  const CjFitState *big, uint32 cap, FitExpanded **ep)
{
	*ep = ea;
	if (ea)
	{
		if (ea->flat->capacity < cap)
			GrowExpanded(ea, cap);
		return ea->flat;
	}
	if (big == a && a->capacity >= cap)
		return a;
	cap = Max(cap, big->capacity);
	if (cap >= EXPAND_AT)
	{
		*ep = Expand(aggctx, big, cap);
		return (*ep)->flat;
	}
	return Regrow(CurrentMemoryContext, big, cap);
}

/*
 * Combine: merge the tuples of arg 1 and arg 0.  The larger state is
 * copied once with room for both (CombineTarget) and the smaller one's
 * tuples are added to it: merging the partial states of a parallel or
 * distributed fit costs one hash insertion per tuple of the smaller state,
 * where adding one state to the other cost one per tuple of the second
 * and a regrowth (two copies) at every fourfold.  The final function sorts
 * the tuples, so the fit does not depend on which state was copied.
 */
Datum
cj_fit_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = TransContext(fcinfo);
	FitExpanded *ea = NULL,
			   *e;
	CjFitState *a = NULL,
			   *b,
			   *s,
			   *small;
	double		unit;
	uint64		need;
	uint32		i;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = StateOf(PG_GETARG_DATUM(1));
	unit = b->unit;
	if (!PG_ARGISNULL(0))
	{
		Datum		da = PG_GETARG_DATUM(0);

		ea = VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(da)) ?
			OurExpanded(da) : NULL;
		a = ea ? ea->flat : StateOf(da);
		if (a->family != b->family)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot combine fit states of families %s and %s",
							StateFamily(a)->name, StateFamily(b)->name)));
		unit = MergeUnit(a->unit, b->unit);
	}
	need = (uint64) (a ? a->n : 0) + b->n;
	small = (ea == NULL && (a == NULL || b->n > a->n)) ? a : b;
	s = CombineTarget(aggctx, ea, a, small == b ? a : b,
					  (uint32) Min(need, (uint64) CJ_FIT_MAX_TUPLES), &e);
	s->unit = unit;
	for (i = 0; small && i < small->n; i++)
	{
		const CjTuple *t = &STATE_TUPLES(small)[i];

		if (!AddTuple(s, t->v, t->w))
		{
			/* more than the size cap in all: distinct ones may still fit */
			if (e)
				GrowExpanded(e, NextCapacity(s));
			else
				e = Expand(aggctx, s, NextCapacity(s));
			s = e->flat;
			AddToGrown(s, t->v, t->w);
		}
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
	return e ? EOHPGetRWDatum(&e->hdr) : PointerGetDatum(s);
}

/* The state's tuples, sorted, as a fitting data set (palloc'd copy) */
static CjData
SortedData(const CjFitState *s)
{
	CjData		d;
	CjTuple    *t = palloc(sizeof(CjTuple) * Max(1, s->n));
	uint32		i;

	memcpy(t, STATE_TUPLES(s), sizeof(CjTuple) * s->n);
	d.n = cj_tuples_sort_merge(t, s->n);
	d.t = t;
	d.total_weight = 0;
	for (i = 0; i < d.n; i++)
		d.total_weight += t[i].w;
	return d;
}

/* Final: fit the state's family; NULL for no data */
Datum
cj_fit_state_final(PG_FUNCTION_ARGS)
{
	CjFitState *s;
	const CjFamily *f;
	CjData		d;
	CjFitResult fit;
	CjError		err;
	uint32		fp;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = StateOf(PG_GETARG_DATUM(0));
	if (s->n == 0)
		PG_RETURN_NULL();
	f = StateFamily(s);
	d = SortedData(s);
	fp = cj_data_fingerprint(d.t, d.n);
	/* scratch for the fit's sample of a large data set */
	if (!cj_fit_family_scratch(f, &d,
							   palloc(sizeof(CjTuple) * CJ_FIT_SCRATCH(d.n)),
							   CJ_FIT_SCRATCH(d.n), &fit, &err))
		cj_raise(&err, psprintf("cannot fit the %s model to these data", f->title));
	PG_RETURN_CJ_MODEL_P(cj_model_make(f, &fit, s->unit, fp));
}

/* A compact state from a validated core form (tuples sorted, merged) */
static CjFitState *
StateFromText(const CjFitText *ft)
{
	CjFitState *s;
	CjTupleSet	ts;

	s = NewState(CurrentMemoryContext, ft->family, (uint32) Max(ft->n, 1), ft->unit);
	memcpy(STATE_TUPLES(s), ft->t, sizeof(CjTuple) * ft->n);
	s->n = (uint32) ft->n;
	ts = SetOf(s);
	cj_tupleset_reindex(&ts);
	return s;
}

/* Text input: family{(v,...):w,...} [unit=...] (core/ltv/fit_state_text.c) */
Datum
cj_fit_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjFitText	ft;
	CjError		err;

	ft.t = palloc_extended(sizeof(CjTuple) * cj_fit_state_parse_tuples(strlen(str)),
						   MCXT_ALLOC_HUGE);
	if (!cj_fit_state_parse(str, &ft, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_fit_state", str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(StateFromText(&ft));
}

/* Text output, tuples in sorted order */
Datum
cj_fit_state_out(PG_FUNCTION_ARGS)
{
	CjFitState *s = (CjFitState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	CjData		d = SortedData(s);
	CjFitText	ft;
	char	   *buf;

	ft.family = StateFamily(s);
	ft.unit = s->unit;
	ft.n = d.n;
	ft.t = (CjTuple *) d.t;
	buf = palloc_extended(cj_fit_state_text_size(&ft), MCXT_ALLOC_HUGE);
	cj_fit_state_format(&ft, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Whether the tuples of a received state, before validation, are as
 * cj_fit_state_send writes them: in strictly increasing order, with no
 * negative zero anywhere.  Anything else would be read, then written back
 * differently.
 */
static bool
BinaryCanonical(const CjFitText *ft)
{
	size_t		i;
	int			j;

	if (ft->unit == 0.0 && signbit(ft->unit))
		return false;
	for (i = 0; i < ft->n; i++)
	{
		for (j = 0; j < CJ_TUPLE_DIM; j++)
			if (ft->t[i].v[j] == 0.0 && signbit(ft->t[i].v[j]))
				return false;
		if (i > 0 && cj_tuple_cmp(&ft->t[i - 1], &ft->t[i]) >= 0)
			return false;
	}
	return true;
}

/*
 * Binary input: version byte, family id byte, unit float8, count int64,
 * then per tuple the family's ndata float8 values and an int64 weight.
 * The decoded state passes every check of the text input.
 */
Datum
cj_fit_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjFitText	ft;
	int64		n,
				i;
	int			j;
	CjError		err;
	bool		canonical;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_fit_state");
	ft.family = cj_family_by_id(pq_getmsgbyte(buf));
	ft.unit = pq_getmsgfloat8(buf);
	n = pq_getmsgint64(buf);
	if (ft.family == NULL || n < 0 || n > (buf->len - buf->cursor) / 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_fit_state"),
				 errdetail("Bad family, unit or tuple count.")));
	if (n > CJ_FIT_MAX_TUPLES)
		TooManyTuples();
	ft.n = (size_t) n;
	ft.t = palloc0(sizeof(CjTuple) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		int64		w;

		for (j = 0; j < ft.family->ndata; j++)
			ft.t[i].v[j] = pq_getmsgfloat8(buf);
		w = pq_getmsgint64(buf);
		/* an out-of-range weight becomes 0, which validation rejects */
		ft.t[i].w = (w < 1 || w > (INT64CONST(1) << 53)) ? 0.0 : (double) w;
	}
	canonical = BinaryCanonical(&ft);
	if (!cj_fit_state_validate(&ft, &err))
		ereport(ERROR,
				(errcode(err.kind == CJ_ERR_LIMIT ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_fit_state"),
				 errdetail("%s", err.detail)));
	/* validation merges equal tuples and drops unused ones: none may be */
	if (!canonical || (int64) ft.n != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_fit_state"),
				 errdetail("The binary form lists distinct tuples in sorted order, with no negative zero.")));
	PG_RETURN_POINTER(StateFromText(&ft));
}

/* Binary output, tuples in sorted order */
Datum
cj_fit_state_send(PG_FUNCTION_ARGS)
{
	CjFitState *s = (CjFitState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	const CjFamily *f = StateFamily(s);
	CjData		d = SortedData(s);
	StringInfoData buf;
	size_t		i;
	int			j;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendbyte(&buf, s->family);
	pq_sendfloat8(&buf, s->unit);
	pq_sendint64(&buf, (int64) d.n);
	for (i = 0; i < d.n; i++)
	{
		for (j = 0; j < f->ndata; j++)
			pq_sendfloat8(&buf, d.t[i].v[j]);
		pq_sendint64(&buf, (int64) d.t[i].w);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Transition: cj_fit_state_add_history(state, h, as_of [, unit]); unit
 * defaults to one week, and the fit records it in the model.
 */
Datum
cj_fit_state_add_history(PG_FUNCTION_ARGS)
{
	CjHistory  *h = PG_GETARG_CJ_HISTORY_P(1);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);
	double		secs = PG_NARGS() > 3 ?
		cj_interval_seconds(PG_GETARG_INTERVAL_P(3), "time unit", true) :
		CJ_WEEK_SECONDS;
	const CjFamily *f;
	CjHistorySummary s;
	double		v[CJ_TUPLE_DIM];

	if (PG_ARGISNULL(0))
		elog(ERROR, "cj_fit_state transition needs an initial state");
	f = cj_fit_state_family(PG_GETARG_DATUM(0));
	cj_history_summary(h, as_of, secs, &s);
	cj_history_model_tuple(f, &s, v);
	return cj_fit_state_accum(fcinfo, NULL, v, 1, secs);
}

/* Add one (periods, churned) customer with weight w to the sBG state */
static Datum
SbgAccum(FunctionCallInfo fcinfo, int64 w)
{
	double		v[CJ_TUPLE_DIM] = {0, 0, 0};

	v[0] = PG_GETARG_INT32(1);
	v[1] = PG_GETARG_BOOL(2) ? 1.0 : 0.0;
	return cj_fit_state_accum(fcinfo, &cj_family_sbg, v, w, 0.0);
}

/* cj_fit_sbg transition: (state, periods, churned) */
Datum
cj_fit_sbg_add(PG_FUNCTION_ARGS)
{
	return SbgAccum(fcinfo, 1);
}

/* cj_fit_sbg transition with a weight: (state, periods, churned, weight) */
Datum
cj_fit_sbg_addw(PG_FUNCTION_ARGS)
{
	return SbgAccum(fcinfo, PG_GETARG_INT64(3));
}
