/*-------------------------------------------------------------------------
 *
 * sla.c
 *	  The cj_sla type (per-tier target waits) and the dispatch-key
 *	  functions built on it: cj_due, cj_sla_target, cj_sla_status.
 *
 * A due time fixed at arrival (arrival + the tier's target wait) orders a
 * queue earliest-deadline-first: premium tiers are answered sooner, yet
 * every contact's deadline eventually comes, and because the key never
 * changes it can be stored in a column and indexed.  Targets are fixed
 * lengths of time (never months), so cj_due is IMMUTABLE.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "access/xact.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "core/service/sla.h"
#include "service/sla.h"

/* On-disk form: a header and the tiers in the order written */
typedef struct SlaData
{
	int32		vl_len_;
	uint8		version;		/* CJ_BINARY_VERSION */
	uint8		has_default;	/* 0 or 1 */
	uint16		ntiers;
	int32		reserved;		/* must be zero */
	int64		default_us;
	CjSlaTier	tiers[FLEXIBLE_ARRAY_MEMBER];
} SlaData;

#define PG_GETARG_SLA_P(n) ((SlaData *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

PG_FUNCTION_INFO_V1(cj_sla_in);
PG_FUNCTION_INFO_V1(cj_sla_out);
PG_FUNCTION_INFO_V1(cj_sla_recv);
PG_FUNCTION_INFO_V1(cj_sla_send);
PG_FUNCTION_INFO_V1(cj_due);
PG_FUNCTION_INFO_V1(cj_due_value);
PG_FUNCTION_INFO_V1(cj_sla_target);
PG_FUNCTION_INFO_V1(cj_sla_status);

/* Pack a parsed SLA into its on-disk form */
static SlaData *
SlaPack(const CjSla *sla)
{
	Size		size = offsetof(SlaData, tiers) +
		sizeof(CjSlaTier) * (Size) sla->ntiers;
	SlaData    *d = palloc0(size);

	SET_VARSIZE(d, size);
	d->version = CJ_BINARY_VERSION;
	d->has_default = (uint8) sla->has_default;
	d->ntiers = (uint16) sla->ntiers;
	d->default_us = sla->default_us;
	memcpy(d->tiers, sla->tiers, sizeof(CjSlaTier) * (Size) sla->ntiers);
	return d;
}

/* Unpack the on-disk form (trusted: it was validated on the way in) */
static void
SlaUnpack(const SlaData *d, CjSla *sla)
{
	if (d->version != CJ_BINARY_VERSION || d->ntiers > CJ_SLA_MAX_TIERS)
		elog(ERROR, "corrupt cj_sla value");
	sla->ntiers = d->ntiers;
	sla->has_default = d->has_default;
	sla->default_us = d->default_us;
	memcpy(sla->tiers, d->tiers, sizeof(CjSlaTier) * (Size) d->ntiers);
}

/* Text input: 'platinum:30s, gold:2min, *:15min' */
Datum
cj_sla_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjSla	   *sla = palloc(sizeof(CjSla));
	CjError		err;

	if (!cj_sla_parse(str, sla, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_sla", str, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(SlaPack(sla));
}

/* Canonical text output */
Datum
cj_sla_out(PG_FUNCTION_ARGS)
{
	SlaData    *d = PG_GETARG_SLA_P(0);
	CjSla	   *sla = palloc(sizeof(CjSla));
	char	   *buf = palloc(CJ_SLA_TEXT_MAX);

	SlaUnpack(d, sla);
	cj_sla_format(sla, buf, CJ_SLA_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary input: version byte, default flag byte, int32 tier count, int64
 * default target, then per tier int64 target, int32 name length, name.
 * Everything the text parser checks is checked again.
 */
Datum
cj_sla_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjSla	   *sla = palloc0(sizeof(CjSla));
	CjError		err;
	int			i;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_sla");
	sla->has_default = pq_getmsgbyte(buf);
	sla->ntiers = pq_getmsgint(buf, 4);
	sla->default_us = pq_getmsgint64(buf);
	if (sla->ntiers < 0 || sla->ntiers > CJ_SLA_MAX_TIERS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_sla"),
				 errdetail("An SLA lists between 0 and %d tiers.", CJ_SLA_MAX_TIERS)));
	for (i = 0; i < sla->ntiers; i++)
	{
		int			len;

		sla->tiers[i].target_us = pq_getmsgint64(buf);
		len = pq_getmsgint(buf, 4);
		if (len < 1 || len > CJ_SLA_NAME_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type cj_sla"),
					 errdetail("Tier names are 1 to %d bytes long.", CJ_SLA_NAME_MAX)));
		pq_copymsgbytes(buf, sla->tiers[i].name, len);
	}
	if (!cj_sla_validate(sla, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_sla"),
				 errdetail("%s", err.detail)));
	PG_RETURN_POINTER(SlaPack(sla));
}

/* Binary output (see cj_sla_recv) */
Datum
cj_sla_send(PG_FUNCTION_ARGS)
{
	SlaData    *d = PG_GETARG_SLA_P(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendbyte(&buf, d->has_default);
	pq_sendint32(&buf, d->ntiers);
	pq_sendint64(&buf, d->default_us);
	for (i = 0; i < d->ntiers; i++)
	{
		int			len = (int) strnlen(d->tiers[i].name, CJ_SLA_NAME_MAX);

		pq_sendint64(&buf, d->tiers[i].target_us);
		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, d->tiers[i].name, len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Target of a tier in microseconds; unknown tier without default: 22023 */
static int64
TierTarget(const SlaData *d, const text *tier)
{
	CjSla	   *sla = palloc(sizeof(CjSla));
	int64		us;
	char	   *list;

	SlaUnpack(d, sla);
	if (cj_sla_lookup(sla, VARDATA_ANY(tier), VARSIZE_ANY_EXHDR(tier), &us))
		return us;
	list = palloc(CJ_SLA_TEXT_MAX);
	cj_sla_tier_list(sla, list, CJ_SLA_TEXT_MAX);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown tier \"%s\"", text_to_cstring(tier)),
			 errdetail("The SLA has no default tier \"*\"; its tiers are: %s.", list)));
	pg_unreachable();
}

/* Target of a tier for other files of the service area */
int64
cj_sla_tier_target(Datum sla, text *tier)
{
	return TierTarget((SlaData *) PG_DETOAST_DATUM(sla), tier);
}

/* ts + us, erroring on overflow; infinite timestamps stay infinite */
static TimestampTz
AddMicroseconds(TimestampTz ts, int64 us)
{
	TimestampTz result;

	if (TIMESTAMP_NOT_FINITE(ts))
		return ts;
	if (pg_add_s64_overflow(ts, us, &result) || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

/* A length in microseconds held as a double, rounded; out of int64: 22008 */
static int64
RoundMicros(double us)
{
	if (!(fabs(us) < 9.2e18))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return (int64) llround(us);
}

/* cj_due(arrived_at, sla, tier): arrival plus the tier's target wait */
Datum
cj_due(PG_FUNCTION_ARGS)
{
	TimestampTz arrived = PG_GETARG_TIMESTAMPTZ(0);
	SlaData    *d = PG_GETARG_SLA_P(1);
	text	   *tier = PG_GETARG_TEXT_PP(2);

	PG_RETURN_TIMESTAMPTZ(AddMicroseconds(arrived, TierTarget(d, tier)));
}

/* Length of a fixed interval in microseconds (months rejected) */
static double
IntervalMicros(Interval *iv, const char *what, bool positive)
{
	return cj_interval_seconds(iv, what, positive) * 1e6;
}

/*
 * cj_due(arrived_at, value, base_target, credit_per_unit, min_target):
 * value-based key, "priority as time" as contact centers count it: each
 * unit of value takes credit_per_unit off the base target, never below
 * min_target, so the queue jump any customer can get is bounded and
 * nobody starves:
 *		due = arrived_at + max(min_target, base_target - value * credit)
 */
Datum
cj_due_value(PG_FUNCTION_ARGS)
{
	TimestampTz arrived = PG_GETARG_TIMESTAMPTZ(0);
	double		value = cj_finite_arg(PG_GETARG_FLOAT8(1), "value");
	double		base = IntervalMicros(PG_GETARG_INTERVAL_P(2), "base_target", true);
	double		credit = IntervalMicros(PG_GETARG_INTERVAL_P(3), "credit_per_unit", false);
	double		min_us = IntervalMicros(PG_GETARG_INTERVAL_P(4), "min_target", false);
	double		target;

	if (value < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value must not be negative")));
	if (credit < 0 || min_us < 0 || min_us > base)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value-based target"),
				 errdetail("Argument credit_per_unit must not be negative, and min_target must be between 0 and base_target.")));
	target = base - value * credit;
	if (!(target > min_us))
		target = min_us;
	PG_RETURN_TIMESTAMPTZ(AddMicroseconds(arrived, RoundMicros(target)));
}

/* cj_sla_target(sla, tier): the tier's target wait as an interval */
Datum
cj_sla_target(PG_FUNCTION_ARGS)
{
	SlaData    *d = PG_GETARG_SLA_P(0);
	text	   *tier = PG_GETARG_TEXT_PP(1);
	Interval   *iv = palloc0(sizeof(Interval));

	/* a time-only interval: "1 day" would stretch across a DST change */
	iv->time = TierTarget(d, tier);
	PG_RETURN_INTERVAL_P(iv);
}

/*
 * cj_sla_status(arrived_at, due, now): 'breached' once now is past due,
 * 'at_risk' once 75 % of the target (due - arrived_at) has elapsed,
 * 'on_track' before.
 */
Datum
cj_sla_status(PG_FUNCTION_ARGS)
{
	TimestampTz arrived = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz due = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz now = PG_GETARG_TIMESTAMPTZ(2);
	const char *status;

	if (TIMESTAMP_NOT_FINITE(arrived) || TIMESTAMP_NOT_FINITE(due) ||
		TIMESTAMP_NOT_FINITE(now))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("arrived_at, due and now must be finite")));
	if (due < arrived)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("due must not be earlier than arrived_at")));
	if (now > due)
		status = "breached";
	else if ((double) (now - arrived) >= 0.75 * (double) (due - arrived))
		status = "at_risk";
	else
		status = "on_track";
	PG_RETURN_TEXT_P(cstring_to_text(status));
}

/*
 * cj_stale_cutoff(timeout): now() - timeout, for a positive fixed-length
 * timeout; claims made before it are stale.
 */
PG_FUNCTION_INFO_V1(cj_stale_cutoff);
Datum
cj_stale_cutoff(PG_FUNCTION_ARGS)
{
	double		us = IntervalMicros(PG_GETARG_INTERVAL_P(0), "timeout", true);

	PG_RETURN_TIMESTAMPTZ(AddMicroseconds(GetCurrentTransactionStartTimestamp(),
										  -RoundMicros(us)));
}
