/*-------------------------------------------------------------------------
 *
 * ladder.c
 *	  The cj_ladder type (text, binary and jsonb forms) and the tier
 *	  functions cj_tier, cj_tier_rank, cj_tier_gap and cj_tier_review.
 *
 * On disk a ladder is a varlena: a version byte, a flags byte (zero), the
 * tier count (uint16), then per tier the qualify and keep thresholds as
 * int64 millionths, then per tier a length byte and the name.  Parsing,
 * validation and the review rules live in core/cj_ladder.c; this file
 * converts between the varlena, text, binary and jsonb.
 *
 * A figure (numeric) is compared with the thresholds exactly: it is
 * printed by numeric_out and read back as floor(figure * 10^6), which
 * orders against any threshold held in millionths exactly as the figure
 * itself does.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "common/util.h"
#include "loyalty/ladder.h"
#include "core/common/decimal.h"
#include "core/loyalty/ladder.h"

#define LADDER_VERSION	1
#define LADDER_HDRSZ	(VARHDRSZ + 4)

PG_FUNCTION_INFO_V1(cj_ladder_in);
PG_FUNCTION_INFO_V1(cj_ladder_out);
PG_FUNCTION_INFO_V1(cj_ladder_recv);
PG_FUNCTION_INFO_V1(cj_ladder_send);
PG_FUNCTION_INFO_V1(cj_ladder);
PG_FUNCTION_INFO_V1(cj_ladder_jsonb);
PG_FUNCTION_INFO_V1(cj_tier);
PG_FUNCTION_INFO_V1(cj_tier_rank);
PG_FUNCTION_INFO_V1(cj_tier_gap);
PG_FUNCTION_INFO_V1(cj_tier_review);

/* A decoded ladder cached across calls with the same argument bytes */
typedef struct LadderCache
{
	Size		len;
	char	   *raw;
	CjLadder	ladder;
} LadderCache;

/* Serialize a validated ladder into a new varlena */
static bytea *
LadderToVarlena(const CjLadder *l)
{
	Size		size = LADDER_HDRSZ + (Size) l->ntiers * 16;
	bytea	   *v;
	char	   *p;
	uint16		n;
	int			i;

	for (i = 0; i < l->ntiers; i++)
		size += 1 + strlen(l->tiers[i].name);
	v = (bytea *) palloc0(size);
	SET_VARSIZE(v, size);
	p = VARDATA(v);
	p[0] = LADDER_VERSION;
	p[1] = 0;
	n = (uint16) l->ntiers;
	memcpy(p + 2, &n, 2);
	p += 4;
	for (i = 0; i < l->ntiers; i++, p += 16)
	{
		memcpy(p, &l->tiers[i].qualify, 8);
		memcpy(p + 8, &l->tiers[i].keep, 8);
	}
	for (i = 0; i < l->ntiers; i++)
	{
		size_t		n = strlen(l->tiers[i].name);

		*p++ = (char) n;
		memcpy(p, l->tiers[i].name, n);
		p += n;
	}
	return v;
}

/* Decode a stored ladder (written by LadderToVarlena) */
static void
VarlenaToLadder(const bytea *v, CjLadder *l)
{
	const char *p = VARDATA_ANY(v);
	const char *end = p + VARSIZE_ANY_EXHDR(v);
	uint16		n;
	int			i;

	if (end - p < 4 || p[0] != LADDER_VERSION)
		elog(ERROR, "corrupt cj_ladder value");
	memcpy(&n, p + 2, 2);
	p += 4;
	if (n < 1 || n > CJ_LADDER_MAX_TIERS || end - p < (ptrdiff_t) n * 16)
		elog(ERROR, "corrupt cj_ladder value");
	l->ntiers = n;
	for (i = 0; i < n; i++, p += 16)
	{
		memcpy(&l->tiers[i].qualify, p, 8);
		memcpy(&l->tiers[i].keep, p + 8, 8);
	}
	for (i = 0; i < n; i++)
	{
		uint8		len = (uint8) *p++;

		if (len > CJ_TIER_NAME_MAX || end - p < len)
			elog(ERROR, "corrupt cj_ladder value");
		memcpy(l->tiers[i].name, p, len);
		l->tiers[i].name[len] = '\0';
		p += len;
	}
}

/* A fresh decoded copy of ladder argument argno */
static CjLadder *
LadderArgCopy(FunctionCallInfo fcinfo, int argno)
{
	CjLadder   *l = palloc(sizeof(CjLadder));

	VarlenaToLadder(PG_GETARG_BYTEA_PP(argno), l);
	return l;
}

/* Validate a ladder built from outside input and serialize it */
static Datum
ValidatedLadder(const CjLadder *l, const char *message)
{
	CjError		err = {0};

	if (!cj_ladder_validate(l, &err))
		cj_raise(&err, message);
	return PointerGetDatum(LadderToVarlena(l));
}

/* The ladder argument argno, decoded once per distinct value per call site */
const CjLadder *
cj_get_ladder(FunctionCallInfo fcinfo, int argno)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(argno);
	Size		len = VARSIZE_ANY_EXHDR(v);
	LadderCache *c = (LadderCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LadderCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->raw == NULL || c->len != len || memcmp(c->raw, VARDATA_ANY(v), len) != 0)
	{
		if (c->raw)
			pfree(c->raw);
		c->raw = NULL;
		VarlenaToLadder(v, &c->ladder);
		c->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
		memcpy(c->raw, VARDATA_ANY(v), len);
		c->len = len;
	}
	return &c->ladder;
}

/* Text input */
Datum
cj_ladder_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	CjLadder   *l = palloc(sizeof(CjLadder));
	CjError		err = {0};

	if (!cj_ladder_parse(s, l, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_ladder", s, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_BYTEA_P(LadderToVarlena(l));
}

/* Canonical text output */
Datum
cj_ladder_out(PG_FUNCTION_ARGS)
{
	CjLadder   *l = LadderArgCopy(fcinfo, 0);
	char	   *buf;

	buf = palloc(cj_ladder_text_size(l));
	cj_ladder_format(l, buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary input: version byte, tier count, then name, qualify, keep each */
Datum
cj_ladder_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjLadder   *l = palloc0(sizeof(CjLadder));
	CjError		err = {0};
	int			i,
				n;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_ladder");
	n = pq_getmsgint(buf, 4);
	if (n < 1 || n > CJ_LADDER_MAX_TIERS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_ladder"),
				 errdetail("A ladder has 1 to %d tiers, not %d.",
						   CJ_LADDER_MAX_TIERS, n)));
	l->ntiers = n;
	for (i = 0; i < n; i++)
	{
		int			len = pq_getmsgint(buf, 1);
		const char *name = pq_getmsgbytes(buf, len);

		if (!cj_tier_name_valid(name, len, &err))
			cj_raise(&err, "invalid binary data for type cj_ladder");
		memcpy(l->tiers[i].name, name, len);
		l->tiers[i].qualify = pq_getmsgint64(buf);
		l->tiers[i].keep = pq_getmsgint64(buf);
	}
	PG_RETURN_DATUM(ValidatedLadder(l, "invalid binary data for type cj_ladder"));
}

/* Binary output */
Datum
cj_ladder_send(PG_FUNCTION_ARGS)
{
	CjLadder   *l = LadderArgCopy(fcinfo, 0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint32(&buf, l->ntiers);
	for (i = 0; i < l->ntiers; i++)
	{
		int			len = strlen(l->tiers[i].name);

		pq_sendint8(&buf, len);
		pq_sendbytes(&buf, l->tiers[i].name, len);
		pq_sendint64(&buf, l->tiers[i].qualify);
		pq_sendint64(&buf, l->tiers[i].keep);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Report a malformed jsonb ladder */
static void
JsonbLadderError(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid jsonb for type cj_ladder"),
			 errdetail("%s", detail)));
}

/* A jsonb number as exact millionths */
static int64
JsonbThreshold(const JsonbValue *v, const char *key)
{
	CjError		err = {0};
	const char *s;
	int64		out;

	if (v->type != jbvNumeric)
		JsonbLadderError(psprintf("Key \"%s\" must be a number.", key));
	s = DatumGetCString(DirectFunctionCall1(numeric_out,
											NumericGetDatum(v->val.numeric)));
	if (!cj_dec_parse(&s, &out, &err) || *s != '\0')
		cj_raise(&err, "invalid jsonb for type cj_ladder");
	return out;
}

/* Apply one key/value pair of a tier object */
static void
JsonbTierField(CjTier *t, const JsonbValue *k, const JsonbValue *v,
			   bool *has_name, bool *has_qualify, bool *has_keep)
{
	char	   *key = pnstrdup(k->val.string.val, k->val.string.len);

	if (strcmp(key, "name") == 0)
	{
		CjError		err = {0};

		if (v->type != jbvString)
			JsonbLadderError("Key \"name\" must be a string.");
		if (!cj_tier_name_valid(v->val.string.val, v->val.string.len, &err))
			cj_raise(&err, "invalid jsonb for type cj_ladder");
		memcpy(t->name, v->val.string.val, v->val.string.len);
		*has_name = true;
	}
	else if (strcmp(key, "qualify") == 0)
	{
		t->qualify = JsonbThreshold(v, key);
		*has_qualify = true;
	}
	else if (strcmp(key, "keep") == 0)
	{
		t->keep = JsonbThreshold(v, key);
		*has_keep = true;
	}
	else
		JsonbLadderError(psprintf("Unknown key \"%s\"; a tier has keys \"name\", \"qualify\" and optionally \"keep\".", key));
}

/* Read one tier object; the iterator stands after its WJB_BEGIN_OBJECT */
static void
JsonbTier(JsonbIterator **it, CjTier *t)
{
	JsonbValue	k,
				v;
	JsonbIteratorToken r;
	bool		has_name = false,
				has_qualify = false,
				has_keep = false;

	memset(t, 0, sizeof(*t));
	while ((r = JsonbIteratorNext(it, &k, false)) == WJB_KEY)
	{
		if (JsonbIteratorNext(it, &v, true) != WJB_VALUE || v.type == jbvBinary)
			JsonbLadderError("Tier values must be a string or numbers.");
		JsonbTierField(t, &k, &v, &has_name, &has_qualify, &has_keep);
	}
	if (r != WJB_END_OBJECT)
		JsonbLadderError("Tier values must be a string or numbers.");
	if (!has_name || !has_qualify)
		JsonbLadderError("Each tier needs \"name\" and \"qualify\".");
	if (!has_keep)
		t->keep = t->qualify;
}

/* cj_ladder(jsonb): [{"name": .., "qualify": .., "keep": ..}, ...] */
Datum
cj_ladder(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken r;
	CjLadder   *l = palloc0(sizeof(CjLadder));

	if (!JB_ROOT_IS_ARRAY(jb) || JB_ROOT_IS_SCALAR(jb))
		JsonbLadderError("Expected an array of tier objects, lowest tier first.");
	it = JsonbIteratorInit(&jb->root);
	r = JsonbIteratorNext(&it, &v, false);	/* WJB_BEGIN_ARRAY */
	while ((r = JsonbIteratorNext(&it, &v, false)) != WJB_END_ARRAY)
	{
		if (r != WJB_BEGIN_OBJECT)
			JsonbLadderError("Expected an array of tier objects, lowest tier first.");
		if (l->ntiers >= CJ_LADDER_MAX_TIERS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("invalid jsonb for type cj_ladder"),
					 errdetail("A ladder can have at most %d tiers.",
							   CJ_LADDER_MAX_TIERS)));
		JsonbTier(&it, &l->tiers[l->ntiers++]);
	}
	PG_RETURN_DATUM(ValidatedLadder(l, "invalid jsonb for type cj_ladder"));
}

/* cj_ladder_jsonb(l): the array form cj_ladder(jsonb) reads */
Datum
cj_ladder_jsonb(PG_FUNCTION_ARGS)
{
	CjLadder   *l = LadderArgCopy(fcinfo, 0);
	StringInfoData buf;
	char		num[CJ_DEC_BUFLEN];
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < l->ntiers; i++)
	{
		appendStringInfoString(&buf, i ? ", {\"name\": " : "{\"name\": ");
		escape_json(&buf, l->tiers[i].name);
		cj_dec_format(l->tiers[i].qualify, num);
		appendStringInfo(&buf, ", \"qualify\": %s", num);
		cj_dec_format(l->tiers[i].keep, num);
		appendStringInfo(&buf, ", \"keep\": %s}", num);
	}
	appendStringInfoChar(&buf, ']');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/* floor(figure * 10^6) of a numeric argument, erroring on NaN/Infinity */
int64
cj_numeric_floor_millionths(Datum num, const char *what)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	int64		q;

	if (!cj_dec_floor_text(s, &q))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", what)));
	pfree(s);
	return q;
}

/* Index of a named tier, erroring with the valid names */
int
cj_ladder_tier_index(const CjLadder *l, text *name)
{
	int			i = cj_ladder_find(l, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	char	   *names;

	if (i >= 0)
		return i;
	names = palloc(cj_ladder_text_size(l));
	cj_ladder_names(l, names, cj_ladder_text_size(l));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("tier \"%s\" is not in the ladder", text_to_cstring(name)),
			 errdetail("Valid tiers are: %s.", names)));
	return -1;
}

/* cj_tier(ladder, qualifying): the tier earned outright */
Datum
cj_tier(PG_FUNCTION_ARGS)
{
	const CjLadder *l = cj_get_ladder(fcinfo, 0);
	int64		q = cj_numeric_floor_millionths(PG_GETARG_DATUM(1), "qualifying figure");

	PG_RETURN_TEXT_P(cstring_to_text(l->tiers[cj_ladder_earned(l, q)].name));
}

/* cj_tier_rank(ladder, tier): 1 for the lowest tier */
Datum
cj_tier_rank(PG_FUNCTION_ARGS)
{
	const CjLadder *l = cj_get_ladder(fcinfo, 0);

	PG_RETURN_INT32(cj_ladder_tier_index(l, PG_GETARG_TEXT_PP(1)) + 1);
}

/* cj_tier_gap(ladder, qualifying): amount left to the next tier */
Datum
cj_tier_gap(PG_FUNCTION_ARGS)
{
	const CjLadder *l = cj_get_ladder(fcinfo, 0);
	Datum		fig = PG_GETARG_DATUM(1);
	int			e = cj_ladder_earned(l, cj_numeric_floor_millionths(fig, "qualifying figure"));
	char		num[CJ_DEC_BUFLEN];
	Datum		next;

	if (e + 1 >= l->ntiers)
		PG_RETURN_NULL();
	cj_dec_format(l->tiers[e + 1].qualify, num);
	next = DirectFunctionCall3(numeric_in, CStringGetDatum(num),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_sub, next, fig));
}

/* cj_tier_review(ladder, current, qualifying, policy, floor) */
Datum
cj_tier_review(PG_FUNCTION_ARGS)
{
	const CjLadder *l;
	text	   *pol;
	CjPolicy	policy;
	int			current,
				floor = -1;
	int64		q;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	l = cj_get_ladder(fcinfo, 0);
	pol = PG_GETARG_TEXT_PP(3);
	if (!cj_policy_parse(VARDATA_ANY(pol), VARSIZE_ANY_EXHDR(pol), &policy))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown tier review policy \"%s\"", text_to_cstring(pol)),
				 errdetail("Valid policies are: %s.", CJ_POLICY_NAMES)));
	current = cj_ladder_tier_index(l, PG_GETARG_TEXT_PP(1));
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		floor = cj_ladder_tier_index(l, PG_GETARG_TEXT_PP(4));
	q = cj_numeric_floor_millionths(PG_GETARG_DATUM(2), "qualifying figure");
	PG_RETURN_TEXT_P(cstring_to_text(l->tiers[cj_ladder_review(l, current, q, policy, floor)].name));
}
