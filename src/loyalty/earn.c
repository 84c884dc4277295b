/*-------------------------------------------------------------------------
 *
 * earn.c
 *	  The cj_earn_rule type (text and binary forms) and
 *	  cj_earn(amount, rule, tier): the points an amount earns, exactly.
 *
 * A stored rule is a version byte followed by its canonical text (so a
 * stored value is re-validated whenever it is decoded); cj_earn decodes a
 * rule once per distinct value per call site (fn_extra).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "common/util.h"
#include "core/common/decimal.h"
#include "core/loyalty/earn.h"

#define EARN_VERSION 1

PG_FUNCTION_INFO_V1(cj_earn_rule_in);
PG_FUNCTION_INFO_V1(cj_earn_rule_out);
PG_FUNCTION_INFO_V1(cj_earn_rule_recv);
PG_FUNCTION_INFO_V1(cj_earn_rule_send);
PG_FUNCTION_INFO_V1(cj_earn);

/* Store a validated rule */
static bytea *
RuleToVarlena(const CjEarnRule *r)
{
	char	   *buf = palloc(CJ_EARN_TEXT_MAX);
	size_t		len = cj_earn_format(r, buf);
	bytea	   *v = palloc(VARHDRSZ + 1 + len);

	SET_VARSIZE(v, VARHDRSZ + 1 + len);
	VARDATA(v)[0] = EARN_VERSION;
	memcpy(VARDATA(v) + 1, buf, len);
	pfree(buf);
	return v;
}

/* Decode a stored rule into r */
static void
VarlenaToRule(const bytea *v, CjEarnRule *r)
{
	size_t		len = VARSIZE_ANY_EXHDR(v);
	const char *p = VARDATA_ANY(v);
	char	   *s;
	CjError		err = {0};

	if (len < 1 || p[0] != EARN_VERSION || memchr(p + 1, '\0', len - 1))
		elog(ERROR, "corrupt cj_earn_rule value");
	s = pnstrdup(p + 1, len - 1);
	if (!cj_earn_parse(s, r, &err))
		elog(ERROR, "corrupt cj_earn_rule value");
	pfree(s);
}

typedef struct RuleCache
{
	Size		len;
	char	   *raw;
	CjEarnRule	rule;
} RuleCache;

/* The rule argument, decoded once per distinct value per call site */
static const CjEarnRule *
RuleArg(FunctionCallInfo fcinfo, int argno)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(argno);
	Size		len = VARSIZE_ANY_EXHDR(v);
	RuleCache  *c = (RuleCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RuleCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->raw == NULL || c->len != len || memcmp(c->raw, VARDATA_ANY(v), len) != 0)
	{
		if (c->raw)
			pfree(c->raw);
		c->raw = NULL;
		VarlenaToRule(v, &c->rule);
		c->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(len, 1));
		memcpy(c->raw, VARDATA_ANY(v), len);
		c->len = len;
	}
	return &c->rule;
}

Datum
cj_earn_rule_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	CjEarnRule *r = palloc(sizeof(CjEarnRule));
	CjError		err = {0};

	if (!cj_earn_parse(s, r, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_earn_rule", s, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_BYTEA_P(RuleToVarlena(r));
}

Datum
cj_earn_rule_out(PG_FUNCTION_ARGS)
{
	bytea	   *v = PG_GETARG_BYTEA_PP(0);
	CjEarnRule *r = palloc(sizeof(CjEarnRule));

	VarlenaToRule(v, r);		/* validates */
	PG_RETURN_CSTRING(pnstrdup(VARDATA_ANY(v) + 1, VARSIZE_ANY_EXHDR(v) - 1));
}

/*
 * Binary: version byte, rate, per, cap (-1: none), min as int64
 * millionths, rounding byte, tier count (int32), then each tier's name
 * length byte, name and multiplier (int64 millionths).
 */
Datum
cj_earn_rule_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjEarnRule *r = palloc0(sizeof(CjEarnRule));
	CjError		err = {0};
	int			i,
				n;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_earn_rule");
	r->rate = pq_getmsgint64(buf);
	r->per = pq_getmsgint64(buf);
	r->cap = pq_getmsgint64(buf);
	r->min = pq_getmsgint64(buf);
	r->round = (uint8) pq_getmsgbyte(buf);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > CJ_EARN_MAX_TIERS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_earn_rule"),
				 errdetail("A rule has 0 to %d tier multipliers, not %d.",
						   CJ_EARN_MAX_TIERS, n)));
	r->ntiers = n;
	for (i = 0; i < n; i++)
	{
		int			len = pq_getmsgbyte(buf);
		const char *name;

		if (len < 1 || len > CJ_EARN_NAME_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type cj_earn_rule"),
					 errdetail("Tier names are identifiers of at most %d bytes.", CJ_EARN_NAME_MAX)));
		name = pq_getmsgbytes(buf, len);
		memcpy(r->tiers[i].name, name, len);
		r->tiers[i].name[len] = '\0';
		r->tiers[i].mult = pq_getmsgint64(buf);
	}
	if (!cj_earn_validate(r, &err))
		cj_raise(&err, "invalid binary data for type cj_earn_rule");
	PG_RETURN_BYTEA_P(RuleToVarlena(r));
}

Datum
cj_earn_rule_send(PG_FUNCTION_ARGS)
{
	CjEarnRule *r = palloc(sizeof(CjEarnRule));
	StringInfoData buf;
	int			i;

	VarlenaToRule(PG_GETARG_BYTEA_PP(0), r);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint64(&buf, r->rate);
	pq_sendint64(&buf, r->per);
	pq_sendint64(&buf, r->cap);
	pq_sendint64(&buf, r->min);
	pq_sendbyte(&buf, r->round);
	pq_sendint32(&buf, r->ntiers);
	for (i = 0; i < r->ntiers; i++)
	{
		int			len = strlen(r->tiers[i].name);

		pq_sendbyte(&buf, len);
		pq_sendbytes(&buf, r->tiers[i].name, len);
		pq_sendint64(&buf, r->tiers[i].mult);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Exact millionths of a numeric read straight from its stored form
 * (PostgreSQL's numeric format, stable on disk: a 16-bit header, in the
 * long form a 16-bit weight, then base-10000 digits, leading and trailing
 * zero digits stripped).  The value is sum(d[i] * 10000^(weight - i)).
 * Returns 0 when exact, 1 when it has more than six decimals, 2 when it is
 * out of range, 3 for NaN or an infinity.  Reading the packed datum avoids
 * a copy per row; cj_earn runs over every transaction.
 */
static int
NumericMillionths(Datum d, int64 *out)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	const char *p = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	uint16		head;
	int			weight,
				ndig,
				i;
	bool		neg;
	const char *digits;
	__int128	acc = 0;

	if (len < 2)
		return 3;
	memcpy(&head, p, 2);
	if ((head & 0xC000) == 0xC000)
		return 3;				/* NaN, Infinity, -Infinity */
	if (head & 0x8000)
	{
		/* short form: sign 0x2000, dscale 0x1F80, weight sign 0x40, weight 0x3F */
		neg = (head & 0x2000) != 0;
		weight = (head & 0x0040) ? (int) (~0x003F | (head & 0x003F)) : (int) (head & 0x003F);
		digits = p + 2;
		ndig = (int) ((len - 2) / 2);
	}
	else
	{
		int16		w;

		if (len < 4)
			return 3;
		neg = (head & 0xC000) == 0x4000;
		memcpy(&w, p + 2, 2);
		weight = w;
		digits = p + 4;
		ndig = (int) ((len - 4) / 2);
	}
	for (i = 0; i < ndig; i++)
	{
		int16		dig;
		int			e = 4 * (weight - i) + 6;	/* power of ten of this digit */

		memcpy(&dig, digits + 2 * i, 2);
		if (dig == 0)
			continue;
		if (e > 18)
			return 2;
		if (e < 0)
		{
			if (e < -2 || dig % 100 != 0)
				return 1;
			acc += dig / 100;
		}
		else
		{
			static const int64 pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
				10000000, 100000000, 1000000000, INT64CONST(10000000000),
				INT64CONST(100000000000), INT64CONST(1000000000000),
				INT64CONST(10000000000000), INT64CONST(100000000000000),
			INT64CONST(1000000000000000), INT64CONST(10000000000000000),
			INT64CONST(100000000000000000), INT64CONST(1000000000000000000)};

			acc += (__int128) dig * pow10[e];
		}
		if (acc > PG_INT64_MAX)
			return 2;
	}
	*out = neg ? -(int64) acc : (int64) acc;
	return 0;
}

/* Exact millionths of an amount */
static int64
AmountArg(Datum num)
{
	int64		v = 0;
	CjError		err = {0};

	switch (NumericMillionths(num, &v))
	{
		case 0:
			return v;
		case 1:
			cj_error_set(&err, CJ_ERR_PARAM, "An amount can have at most 6 decimal places.");
			break;
		case 2:
			cj_error_set(&err, CJ_ERR_RANGE,
						 "An amount must lie between -9223372036854.775807 and 9223372036854.775807.");
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("amount must be a finite number")));
	}
	cj_raise(&err, "amount cannot be held exactly");
	return 0;
}

/* cj_earn(amount, rule, tier): NULL amount or rule, NULL; NULL tier: base */
Datum
cj_earn(PG_FUNCTION_ARGS)
{
	const CjEarnRule *r;
	int64		amount,
				mult = CJ_DEC_ONE,
				pts;
	CjError		err = {0};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	r = RuleArg(fcinfo, 1);
	amount = AmountArg(PG_GETARG_DATUM(0));
	if (!PG_ARGISNULL(2) && r->ntiers > 0)
	{
		text	   *t = PG_GETARG_TEXT_PP(2);
		int			i = cj_earn_find(r, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

		if (i >= 0)
			mult = r->tiers[i].mult;
	}
	if (!cj_earn_points(r, amount, mult, &pts, &err))
		cj_raise(&err, "cannot compute points earned");
	if (pts % CJ_DEC_ONE == 0)
		PG_RETURN_NUMERIC(int64_to_numeric(pts / CJ_DEC_ONE));
	else
	{
		char		buf[CJ_DEC_BUFLEN];

		cj_dec_format(pts, buf);
		PG_RETURN_DATUM(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
}
