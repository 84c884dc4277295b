/*-------------------------------------------------------------------------
 *
 * tiers.c
 *	  Tier status for members and ladders as values:
 *	  cj_tier_keep_gap (what is still needed to keep the current tier),
 *	  cj_tier_projection (the tier at the review at the pace so far), and
 *	  equality and hashing of cj_ladder.
 *
 * Projection rule (linear pace): in a window [lower, upper) of D days, as
 * of day a (lower <= a), the member has qualified for E = min(a - lower +
 * 1, D) days (the as_of day counts as elapsed).  The projected figure is
 * qualifying_so_far * D / E, floored to millionths, and the projected tier
 * is cj_tier_review(ladder, current, projected figure, policy, floor).
 * When the window is over (a >= upper - 1) the projection is the figure
 * itself.
 *
 * A stored cj_ladder is canonical (validated, every byte defined), so two
 * ladders are equal exactly when their bytes are.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/hash.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"
#include "catalog/pg_type.h"

#include "common/util.h"
#include "loyalty/ladder.h"
#include "core/common/decimal.h"

PG_FUNCTION_INFO_V1(cj_tier_keep_gap);
PG_FUNCTION_INFO_V1(cj_tier_projection);
PG_FUNCTION_INFO_V1(cj_ladder_eq);
PG_FUNCTION_INFO_V1(cj_ladder_ne);
PG_FUNCTION_INFO_V1(cj_ladder_hash);
PG_FUNCTION_INFO_V1(cj_ladder_hash_extended);

/* numeric Datum of millionths */
static Datum
MillionthsNumeric(int64 v)
{
	char		buf[CJ_DEC_BUFLEN];

	cj_dec_format(v, buf);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* A finite numeric argument */
static Datum
FiniteNumeric(FunctionCallInfo fcinfo, int argno, const char *what)
{
	Numeric		n = PG_GETARG_NUMERIC(argno);

	if (numeric_is_nan(n) || numeric_is_inf(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", what)));
	return NumericGetDatum(n);
}

/* cj_tier_keep_gap(ladder, current, qualifying) */
Datum
cj_tier_keep_gap(PG_FUNCTION_ARGS)
{
	const CjLadder *l = cj_get_ladder(fcinfo, 0);
	int			cur = cj_ladder_tier_index(l, PG_GETARG_TEXT_PP(1));
	Datum		fig = FiniteNumeric(fcinfo, 2, "qualifying figure");
	Datum		gap;

	/* the lowest tier is every member's: no figure, not even below 0, loses it */
	if (cur == 0)
		PG_RETURN_DATUM(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
	gap = DirectFunctionCall2(numeric_sub, MillionthsNumeric(l->tiers[cur].keep), fig);
	if (DatumGetBool(DirectFunctionCall2(numeric_le, gap,
										 DirectFunctionCall1(int4_numeric, Int32GetDatum(0)))))
		PG_RETURN_DATUM(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
	PG_RETURN_DATUM(gap);
}

static Datum
Int8Num(int64 v)
{
	return DirectFunctionCall1(int8_numeric, Int64GetDatum(v));
}

/* floor(x / d) of an integral numeric x and d > 0, as int64 millionths */
static int64
FloorDiv(Datum x, int64 d)
{
	Datum		q = DirectFunctionCall2(numeric_div_trunc, x, Int8Num(d));
	char	   *txt;
	char	   *end;
	int64		v;

	/* div_trunc truncates toward zero: below zero, step down if inexact */
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, x, Int8Num(0))) &&
		!DatumGetBool(DirectFunctionCall2(numeric_eq, x,
										  DirectFunctionCall2(numeric_mul, q, Int8Num(d)))))
		q = DirectFunctionCall2(numeric_sub, q, Int8Num(1));
	txt = DatumGetCString(DirectFunctionCall1(numeric_out, q));
	errno = 0;
	v = strtoll(txt, &end, 10);
	if (errno != 0 || *end != '\0' || v == PG_INT64_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("projected qualifying figure is out of range")));
	return v;
}

/*
 * cj_tier_projection(ladder, current, qualifying_so_far, window, as_of,
 * policy [, floor])
 */
Datum
cj_tier_projection(PG_FUNCTION_ARGS)
{
	const CjLadder *l;
	RangeType  *win;
	TypeCacheEntry *typcache;
	RangeBound	lo,
				hi;
	bool		empty;
	DateADT		as_of;
	int64		days,
				elapsed,
				q;
	int			current,
				floor = -1;
	text	   *pol;
	CjPolicy	policy;
	Datum		fig;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	l = cj_get_ladder(fcinfo, 0);
	current = cj_ladder_tier_index(l, PG_GETARG_TEXT_PP(1));
	fig = FiniteNumeric(fcinfo, 2, "qualifying figure");
	win = PG_GETARG_RANGE_P(3);
	as_of = PG_GETARG_DATEADT(4);
	pol = PG_GETARG_TEXT_PP(5);
	if (!cj_policy_parse(VARDATA_ANY(pol), VARSIZE_ANY_EXHDR(pol), &policy))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown tier review policy \"%s\"", text_to_cstring(pol)),
				 errdetail("Valid policies are: %s.", CJ_POLICY_NAMES)));
	if (PG_NARGS() > 6 && !PG_ARGISNULL(6))
		floor = cj_ladder_tier_index(l, PG_GETARG_TEXT_PP(6));
	/* not range_get_typcache: fn_extra holds the ladder cache */
	typcache = lookup_type_cache(RangeTypeGetOid(win), TYPECACHE_RANGE_INFO);
	if (typcache->rngelemtype == NULL || typcache->rngelemtype->type_id != DATEOID)
		elog(ERROR, "cj_tier_projection expects a daterange");
	range_deserialize(typcache, win, &lo, &hi, &empty);
	if (empty || lo.infinite || hi.infinite ||
		DATE_NOT_FINITE(DatumGetDateADT(lo.val)) ||
		DATE_NOT_FINITE(DatumGetDateADT(hi.val)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("qualification window must be a finite, non-empty date range")));
	/* a daterange is canonical: [lower, upper) */
	days = (int64) DatumGetDateADT(hi.val) - DatumGetDateADT(lo.val);
	if (DATE_NOT_FINITE(as_of) || as_of < DatumGetDateADT(lo.val))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite date not before the window starts")));
	elapsed = (int64) as_of - DatumGetDateADT(lo.val) + 1;
	if (elapsed >= days)
		q = cj_numeric_floor_millionths(fig, "qualifying figure");
	else
	{
		/* floor(figure * 10^6 * days / elapsed), exactly */
		q = FloorDiv(DirectFunctionCall2(numeric_mul, fig, Int8Num(days * 1000000)),
					 elapsed);
	}
	PG_RETURN_TEXT_P(cstring_to_text(l->tiers[cj_ladder_review(l, current, q, policy, floor)].name));
}

/* Bytes of a ladder argument (canonical) */
static bytea *
LadderBytes(FunctionCallInfo fcinfo, int argno)
{
	(void) cj_get_ladder(fcinfo, argno);	/* checks the format */

	return PG_GETARG_BYTEA_PP(argno);
}

static bool
LadderEqual(FunctionCallInfo fcinfo)
{
	bytea	   *a = PG_GETARG_BYTEA_PP(0);
	bytea	   *b = PG_GETARG_BYTEA_PP(1);

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

Datum
cj_ladder_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LadderEqual(fcinfo));
}

Datum
cj_ladder_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!LadderEqual(fcinfo));
}

Datum
cj_ladder_hash(PG_FUNCTION_ARGS)
{
	bytea	   *v = LadderBytes(fcinfo, 0);

	return hash_any((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

Datum
cj_ladder_hash_extended(PG_FUNCTION_ARGS)
{
	bytea	   *v = LadderBytes(fcinfo, 0);

	return hash_any_extended((const unsigned char *) VARDATA_ANY(v),
							 VARSIZE_ANY_EXHDR(v), PG_GETARG_INT64(1));
}
