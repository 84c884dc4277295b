/*-------------------------------------------------------------------------
 *
 * rfm.c
 *	  RFM scoring: cj_rfm_score (a value's bucket 1..5 given four cut
 *	  points) and cj_rfm_segment (the named segment of an (r, f, m) score
 *	  from the default map or from the user's jsonb map).
 *
 * A segment map assigns each of the 125 combinations of three scores 1..5
 * to exactly one segment.  It is written as boxes of score ranges:
 *	{"Champions": {"r": [5, 5], "f": [4, 5]}, "Lost": [{"r": 1, "f": [1, 2]}]}
 * a segment maps to one box or an array of boxes, a box gives r, f and m
 * as one score or an inclusive [low, high] range, and an omitted letter
 * means 1..5.  Overlapping or missing combinations are errors naming the
 * combination.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "common/util.h"

PG_FUNCTION_INFO_V1(cj_rfm_score);
PG_FUNCTION_INFO_V1(cj_rfm_score_float8);
PG_FUNCTION_INFO_V1(cj_rfm_segment);
PG_FUNCTION_INFO_V1(cj_rfm_segment_map);
PG_FUNCTION_INFO_V1(cj_rfm_default_map);

#define RFM_BREAKS 4
#define RFM_CELLS 125
#define RFM_CELL(r, f, m) (((r) - 1) * 25 + ((f) - 1) * 5 + ((m) - 1))
#define RFM_MAX_SEGMENTS RFM_CELLS

/* One box of a segment map: inclusive score ranges */
typedef struct RfmBox
{
	const char *segment;
	int			lo[3];
	int			hi[3];
} RfmBox;

/*
 * The default map: the widely used R x F grid of named segments (recency
 * down the rows, frequency across), with the bottom-left corner split into
 * Hibernating (r = 2) and Lost (r = 1).  m does not move a customer between
 * these segments; pass a map of your own to use it.
 */
static const RfmBox DefaultMap[] = {
	{"Champions", {5, 4, 1}, {5, 5, 5}},
	{"Loyal Customers", {3, 4, 1}, {4, 5, 5}},
	{"Potential Loyalists", {4, 2, 1}, {5, 3, 5}},
	{"New Customers", {5, 1, 1}, {5, 1, 5}},
	{"Promising", {4, 1, 1}, {4, 1, 5}},
	{"Need Attention", {3, 3, 1}, {3, 3, 5}},
	{"About to Sleep", {3, 1, 1}, {3, 2, 5}},
	{"At Risk", {1, 3, 1}, {2, 4, 5}},
	{"Can't Lose Them", {1, 5, 1}, {2, 5, 5}},
	{"Hibernating", {2, 1, 1}, {2, 2, 5}},
	{"Lost", {1, 1, 1}, {1, 2, 5}}
};

#define N_DEFAULT (int) (sizeof(DefaultMap) / sizeof(DefaultMap[0]))

/* A validated map: segment names and each combination's segment */
typedef struct RfmMap
{
	int			nseg;
	char	   *names[RFM_MAX_SEGMENTS];
	int16		cell[RFM_CELLS];
} RfmMap;

/* Cache of the last user map of a call site, keyed by its bytes */
typedef struct RfmCache
{
	Size		len;
	char	   *bytes;
	RfmMap		map;
} RfmCache;

/* Error unless a value is not NaN */
static void
CheckNotNaN(bool isnan_, const char *what)
{
	if (isnan_)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be NaN", what)));
}

/* The RFM_BREAKS elements of a breaks array (no NULLs, one dimension) */
static Datum *
BreakElements(ArrayType *a, Oid elemtype, int16 len, bool byval, char align)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("breaks must be a one-dimensional array")));
	if (array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("breaks must not contain NULLs")));
	deconstruct_array(a, elemtype, len, byval, align, &elems, &nulls, &n);
	if (n != RFM_BREAKS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("breaks must have %d elements", RFM_BREAKS),
				 errdetail("Four cut points make the five buckets of an RFM score; %d were given.", n)));
	return elems;
}

/* Error for cut points that go down */
static void
BreaksNotSorted(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("breaks must be in non-decreasing order")));
}

/*
 * cj_rfm_score(value numeric, breaks numeric[]): 1 + the number of cut
 * points strictly below value, so a value equal to a cut point falls in the
 * lower bucket (right-closed buckets, as pandas qcut).
 */
Datum
cj_rfm_score(PG_FUNCTION_ARGS)
{
	Numeric		v = PG_GETARG_NUMERIC(0);
	Datum	   *b = BreakElements(PG_GETARG_ARRAYTYPE_P(1), NUMERICOID, -1, false, TYPALIGN_INT);
	int			score = 1,
				i;

	CheckNotNaN(numeric_is_nan(v), "value");
	for (i = 0; i < RFM_BREAKS; i++)
	{
		CheckNotNaN(numeric_is_nan(DatumGetNumeric(b[i])), "breaks");
		if (i > 0 && DatumGetInt32(DirectFunctionCall2(numeric_cmp, b[i - 1], b[i])) > 0)
			BreaksNotSorted();
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v), b[i])) > 0)
			score++;
	}
	PG_RETURN_INT32(score);
}

/* cj_rfm_score(value float8, breaks float8[]): as the numeric version */
Datum
cj_rfm_score_float8(PG_FUNCTION_ARGS)
{
	float8		v = PG_GETARG_FLOAT8(0);
	Datum	   *b = BreakElements(PG_GETARG_ARRAYTYPE_P(1), FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	int			score = 1,
				i;

	CheckNotNaN(isnan(v), "value");
	for (i = 0; i < RFM_BREAKS; i++)
	{
		CheckNotNaN(isnan(DatumGetFloat8(b[i])), "breaks");
		if (i > 0 && DatumGetFloat8(b[i - 1]) > DatumGetFloat8(b[i]))
			BreaksNotSorted();
		if (v > DatumGetFloat8(b[i]))
			score++;
	}
	PG_RETURN_INT32(score);
}

/* Error unless all three scores are 1..5 */
static void
CheckScores(int r, int f, int m)
{
	if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("RFM scores must be between 1 and 5"),
				 errdetail("Got r = %d, f = %d, m = %d.", r, f, m)));
}

/* Invalid user map: 22023 with a detail */
static void
BadMap(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid RFM segment map"),
			 errdetail("%s", detail)));
}

/* Mark the cells of a box as segment seg, rejecting overlaps */
static void
PaintBox(RfmMap *map, int seg, const int *lo, const int *hi)
{
	int			r,
				f,
				m;

	for (r = lo[0]; r <= hi[0]; r++)
		for (f = lo[1]; f <= hi[1]; f++)
			for (m = lo[2]; m <= hi[2]; m++)
			{
				int16	   *c = &map->cell[RFM_CELL(r, f, m)];

				if (*c >= 0 && *c != seg)
					BadMap(psprintf("Combination r = %d, f = %d, m = %d is mapped to both \"%s\" and \"%s\".",
									r, f, m, map->names[*c], map->names[seg]));
				*c = seg;
			}
}

/* Error naming the first combination no segment maps */
static void
CheckCovered(const RfmMap *map)
{
	int			i;

	for (i = 0; i < RFM_CELLS; i++)
		if (map->cell[i] < 0)
			BadMap(psprintf("Combination r = %d, f = %d, m = %d is not mapped to any segment.",
							i / 25 + 1, (i / 5) % 5 + 1, i % 5 + 1));
}

/* A score 1..5 from a jsonb number */
static int
ScoreValue(const JsonbValue *v, const char *seg)
{
	double		d;

	if (v->type != jbvNumeric)
		BadMap(psprintf("Scores of segment \"%s\" must be numbers.", seg));
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
	if (d != floor(d) || d < 1 || d > 5)
		BadMap(psprintf("Scores of segment \"%s\" must be whole numbers between 1 and 5.", seg));
	return (int) d;
}

/* Read the value of one letter of a box: a score or a [low, high] pair */
static void
ReadRange(JsonbIterator **it, JsonbIteratorToken tok, JsonbValue *v,
		  const char *seg, int *lo, int *hi)
{
	int			n = 0;
	int			s[2] = {0, 0};

	if (tok == WJB_VALUE)
	{
		*lo = *hi = ScoreValue(v, seg);
		return;
	}
	if (tok != WJB_BEGIN_ARRAY)
		BadMap(psprintf("A range of segment \"%s\" must be a score or a [low, high] array.", seg));
	while ((tok = JsonbIteratorNext(it, v, true)) == WJB_ELEM)
	{
		if (n < 2)
			s[n] = ScoreValue(v, seg);
		n++;
	}
	if (n != 2 || s[0] > s[1])
		BadMap(psprintf("A range of segment \"%s\" must be [low, high] with low <= high.", seg));
	*lo = s[0];
	*hi = s[1];
}

/* Read one box (after its WJB_BEGIN_OBJECT) and paint it */
static void
ReadBox(JsonbIterator **it, RfmMap *map, int seg)
{
	int			lo[3] = {1, 1, 1},
				hi[3] = {5, 5, 5};
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(it, &v, false)) == WJB_KEY)
	{
		int			k = -1;

		if (v.val.string.len == 1)
			k = v.val.string.val[0] == 'r' ? 0 : v.val.string.val[0] == 'f' ? 1 :
				v.val.string.val[0] == 'm' ? 2 : -1;
		if (k < 0)
			BadMap(psprintf("A box of segment \"%s\" has the key \"%.*s\"; only r, f and m are allowed.",
							map->names[seg], v.val.string.len, v.val.string.val));
		tok = JsonbIteratorNext(it, &v, false);
		ReadRange(it, tok, &v, map->names[seg], &lo[k], &hi[k]);
	}
	PaintBox(map, seg, lo, hi);
}

/* Read the boxes of one segment (one box or an array of boxes) */
static void
ReadSegment(JsonbIterator **it, RfmMap *map, int seg)
{
	JsonbValue	v;
	JsonbIteratorToken tok = JsonbIteratorNext(it, &v, false);

	if (tok == WJB_BEGIN_OBJECT)
	{
		ReadBox(it, map, seg);
		return;
	}
	if (tok == WJB_BEGIN_ARRAY)
	{
		while ((tok = JsonbIteratorNext(it, &v, false)) == WJB_BEGIN_OBJECT)
			ReadBox(it, map, seg);
		if (tok == WJB_END_ARRAY)
			return;
	}
	BadMap(psprintf("Segment \"%s\" must map to a box object or an array of box objects.",
					map->names[seg]));
}

/* Parse and validate a user map */
static void
ParseMap(Jsonb *jb, RfmMap *map)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	memset(map->cell, -1, sizeof(map->cell));
	map->nseg = 0;
	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		BadMap("The map must be a jsonb object of segment names.");
	it = JsonbIteratorInit(&jb->root);
	tok = JsonbIteratorNext(&it, &v, false);
	while ((tok = JsonbIteratorNext(&it, &v, false)) == WJB_KEY)
	{
		if (map->nseg >= RFM_MAX_SEGMENTS)
			BadMap("A map cannot have more segments than score combinations.");
		if (v.val.string.len == 0)
			BadMap("Segment names must not be empty.");
		map->names[map->nseg] = pnstrdup(v.val.string.val, v.val.string.len);
		ReadSegment(&it, map, map->nseg);
		map->nseg++;
	}
	CheckCovered(map);
}

/* The default map, validated once per backend */
static const RfmMap *
DefaultRfmMap(void)
{
	static RfmMap map;
	static bool ready = false;
	int			i;

	if (!ready)
	{
		memset(map.cell, -1, sizeof(map.cell));
		for (i = 0; i < N_DEFAULT; i++)
		{
			map.names[i] = (char *) DefaultMap[i].segment;
			PaintBox(&map, i, DefaultMap[i].lo, DefaultMap[i].hi);
		}
		map.nseg = N_DEFAULT;
		CheckCovered(&map);
		ready = true;
	}
	return &map;
}

/* Segment name of a combination */
static text *
SegmentOf(const RfmMap *map, int r, int f, int m)
{
	CheckScores(r, f, m);
	return cstring_to_text(map->names[map->cell[RFM_CELL(r, f, m)]]);
}

/* cj_rfm_segment(r, f, m): the default map's segment */
Datum
cj_rfm_segment(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(SegmentOf(DefaultRfmMap(), PG_GETARG_INT32(0),
							   PG_GETARG_INT32(1), PG_GETARG_INT32(2)));
}

/* cj_rfm_segment(r, f, m, map): the user map's segment (map cached) */
Datum
cj_rfm_segment_map(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(3);
	RfmCache   *cache = fcinfo->flinfo->fn_extra;
	Size		len = VARSIZE(jb);

	if (cache == NULL || cache->len != len || memcmp(cache->bytes, jb, len) != 0)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		RfmCache   *fresh = palloc0(sizeof(RfmCache));

		ParseMap(jb, &fresh->map);
		fresh->len = len;
		fresh->bytes = palloc(len);
		memcpy(fresh->bytes, jb, len);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache = fresh;
	}
	PG_RETURN_TEXT_P(SegmentOf(&cache->map, PG_GETARG_INT32(0),
							   PG_GETARG_INT32(1), PG_GETARG_INT32(2)));
}

/* cj_rfm_default_map(): the default map as jsonb boxes */
Datum
cj_rfm_default_map(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	int			i,
				k;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < N_DEFAULT; i++)
	{
		appendStringInfo(&buf, "%s\"%s\": {", i > 0 ? ", " : "", DefaultMap[i].segment);
		for (k = 0; k < 3; k++)
			appendStringInfo(&buf, "%s\"%c\": [%d, %d]", k > 0 ? ", " : "",
							 "rfm"[k], DefaultMap[i].lo[k], DefaultMap[i].hi[k]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
}
