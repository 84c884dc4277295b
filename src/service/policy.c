/*-------------------------------------------------------------------------
 *
 * policy.c
 *	  The cj_sla_policy type (several SLA metrics, each with targets per
 *	  tier and severity) and the due times built on it:
 *	  cj_due(arrived_at, policy, metric, tier [, severity, calendar])
 *	  and cj_sla_policy_target.
 *
 * A value is stored as its version byte and canonical text; the parsed
 * form (about 600 kB at the limits, a few kB in practice) is cached per
 * call site in fn_extra, so a constant policy is parsed once per query.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "core/service/policy.h"
#include "service/calendar.h"

typedef struct PolicyCache
{
	Size		len;
	char	   *bytes;
	CjPolicy	pol;
} PolicyCache;

/* fn_extra of the functions taking a policy and a calendar */
typedef struct DueCache
{
	PolicyCache *policy;
	CalCache   *calendar;
} DueCache;

PG_FUNCTION_INFO_V1(cj_sla_policy_in);
PG_FUNCTION_INFO_V1(cj_sla_policy_out);
PG_FUNCTION_INFO_V1(cj_sla_policy_recv);
PG_FUNCTION_INFO_V1(cj_sla_policy_send);
PG_FUNCTION_INFO_V1(cj_sla_policy_target);
PG_FUNCTION_INFO_V1(cj_due_policy);

/* Pack canonical text behind a version byte */
static bytea *
PolicyPack(const CjPolicy *pol)
{
	char	   *buf = palloc(CJ_POLICY_TEXT_MAX);
	Size		n;
	bytea	   *d;

	cj_slapolicy_format(pol, buf, CJ_POLICY_TEXT_MAX);
	n = strlen(buf);
	d = palloc(VARHDRSZ + 1 + n);
	SET_VARSIZE(d, VARHDRSZ + 1 + n);
	((uint8 *) VARDATA(d))[0] = CJ_BINARY_VERSION;
	memcpy(VARDATA(d) + 1, buf, n);
	pfree(buf);
	return d;
}

/* The canonical text of a stored value (palloc'd, NUL-terminated) */
static char *
PolicyText(struct varlena *v)
{
	Size		len = VARSIZE_ANY_EXHDR(v);

	if (len < 1 || ((uint8 *) VARDATA_ANY(v))[0] != CJ_BINARY_VERSION)
		elog(ERROR, "corrupt cj_sla_policy value");
	return pnstrdup(VARDATA_ANY(v) + 1, len - 1);
}

/* Text input */
Datum
cj_sla_policy_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjPolicy   *pol = palloc(sizeof(CjPolicy));
	CjError		err;

	if (!cj_slapolicy_parse(str, pol, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_sla_policy", str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_BYTEA_P(PolicyPack(pol));
}

/* Canonical text output */
Datum
cj_sla_policy_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(PolicyText(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0))));
}

/* Binary input: version byte, then the text, parsed and checked again */
Datum
cj_sla_policy_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjPolicy   *pol = palloc(sizeof(CjPolicy));
	CjError		err;
	char	   *str;
	int			n;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_sla_policy");
	str = pq_getmsgtext(buf, buf->len - buf->cursor, &n);
	if (!cj_slapolicy_parse(str, pol, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_sla_policy"),
				 errdetail("%s", err.detail)));
	PG_RETURN_BYTEA_P(PolicyPack(pol));
}

/* Binary output */
Datum
cj_sla_policy_send(PG_FUNCTION_ARGS)
{
	char	   *text = PolicyText(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0)));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendtext(&buf, text, strlen(text));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The parsed policy of argument d, cached in *slot */
static PolicyCache *
PolicyGet(MemoryContext mcxt, PolicyCache **slot, Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	Size		len = VARSIZE_ANY_EXHDR(v);
	PolicyCache *c = *slot;
	CjError		err;
	char	   *text;

	if (c != NULL && c->len == len && memcmp(c->bytes, VARDATA_ANY(v), len) == 0)
		return c;
	if (c == NULL)
		c = MemoryContextAllocZero(mcxt, sizeof(PolicyCache));
	else
		pfree(c->bytes);
	c->len = 0;
	text = PolicyText(v);
	if (!cj_slapolicy_parse(text, &c->pol, &err))
		elog(ERROR, "corrupt cj_sla_policy value: %s", err.detail);
	c->bytes = MemoryContextAlloc(mcxt, len);
	memcpy(c->bytes, VARDATA_ANY(v), len);
	c->len = len;
	*slot = c;
	return c;
}

/* Target in microseconds; unknown metric or no applicable target: 22023 */
static int64
PolicyTarget(const CjPolicy *pol, text *metric, text *tier, text *severity)
{
	int			m = cj_slapolicy_metric(pol, VARDATA_ANY(metric), VARSIZE_ANY_EXHDR(metric));
	int64_t		us;
	char		list[CJ_POLICY_MAX_METRICS * (CJ_POLICY_NAME_MAX + 2) + 1];

	if (m < 0)
	{
		cj_slapolicy_metric_list(pol, list, sizeof(list));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown metric \"%s\"", text_to_cstring(metric)),
				 errdetail("The policy's metrics are: %s.", list)));
	}
	if (!cj_slapolicy_lookup(pol, m, VARDATA_ANY(tier), VARSIZE_ANY_EXHDR(tier),
							 severity ? VARDATA_ANY(severity) : NULL,
							 severity ? VARSIZE_ANY_EXHDR(severity) : 0, &us))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no target for tier \"%s\"%s%s%s in metric \"%s\"",
						text_to_cstring(tier), severity ? " and severity \"" : "",
						severity ? text_to_cstring(severity) : "", severity ? "\"" : "",
						text_to_cstring(metric)),
				 errdetail("Add a default target \"*\" to the metric.")));
	return us;
}

/* The DueCache of this call site */
static DueCache *
GetDueCache(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(DueCache));
	return (DueCache *) fcinfo->flinfo->fn_extra;
}

/* cj_sla_policy_target(policy, metric, tier [, severity]) as an interval */
Datum
cj_sla_policy_target(PG_FUNCTION_ARGS)
{
	DueCache   *dc;
	PolicyCache *pc;
	Interval   *iv;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	dc = GetDueCache(fcinfo);
	pc = PolicyGet(fcinfo->flinfo->fn_mcxt, &dc->policy, PG_GETARG_DATUM(0));
	iv = palloc0(sizeof(Interval));
	iv->time = PolicyTarget(&pc->pol, PG_GETARG_TEXT_PP(1), PG_GETARG_TEXT_PP(2),
							PG_NARGS() > 3 && !PG_ARGISNULL(3) ? PG_GETARG_TEXT_PP(3) : NULL);
	PG_RETURN_INTERVAL_P(iv);
}

/*
 * cj_due(arrived_at, policy, metric, tier [, severity, calendar]): the
 * metric's target for the tier and severity, in wall-clock time or in
 * business time of the calendar.  A NULL severity means "none given", a
 * NULL calendar wall-clock time.  (There is no five-argument form: a call
 * with five untyped literals must keep resolving to the value-based
 * cj_due of 1.0.)
 */
Datum
cj_due_policy(PG_FUNCTION_ARGS)
{
	DueCache   *dc;
	PolicyCache *pc;
	TimestampTz arrived;
	int64		us;
	TimestampTz result;
	int			i;

	for (i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i) && i < 4)
			PG_RETURN_NULL();
	dc = GetDueCache(fcinfo);
	pc = PolicyGet(fcinfo->flinfo->fn_mcxt, &dc->policy, PG_GETARG_DATUM(1));
	arrived = PG_GETARG_TIMESTAMPTZ(0);
	us = PolicyTarget(&pc->pol, PG_GETARG_TEXT_PP(2), PG_GETARG_TEXT_PP(3),
					  PG_NARGS() > 4 && !PG_ARGISNULL(4) ? PG_GETARG_TEXT_PP(4) : NULL);
	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
	{
		CalCache   *cc = cj_calendar_get_in(fcinfo->flinfo->fn_mcxt, &dc->calendar,
											PG_GETARG_DATUM(5));

		PG_RETURN_TIMESTAMPTZ(cj_calendar_add(cc, arrived, us));
	}
	if (TIMESTAMP_NOT_FINITE(arrived))
		PG_RETURN_TIMESTAMPTZ(arrived);
	if (pg_add_s64_overflow(arrived, us, &result) || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	PG_RETURN_TIMESTAMPTZ(result);
}
