/*-------------------------------------------------------------------------
 *
 * util.c
 *	  Glue helpers shared by every type and function of the extension.
 *
 * Centralising the mapping from core error classes to SQLSTATEs, the
 * shortest-exact float output and the interval checks keeps the messages
 * and the text forms of all types consistent.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "datatype/timestamp.h"
#include "utils/builtins.h"

#include "common/util.h"

/* SQLSTATE for a core error class */
int
cj_sqlstate(CjErrKind kind)
{
	switch (kind)
	{
		case CJ_ERR_SYNTAX:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		case CJ_ERR_RANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case CJ_ERR_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case CJ_ERR_PARAM:
		case CJ_OK:
			break;
	}
	return ERRCODE_INVALID_PARAMETER_VALUE;
}

/* Raise a core error with a primary message and the core's detail */
void
cj_raise(const CjError *err, const char *message)
{
	ereport(ERROR,
			(errcode(cj_sqlstate(err->kind)),
			 errmsg("%s", message),
			 err->detail[0] ? errdetail("%s", err->detail) : 0));
	pg_unreachable();
}

/* Report a literal that failed to parse */
void
cj_input_error(Node *escontext, const char *typname, const char *input,
			   const CjError *err)
{
	if (err->kind == CJ_ERR_SYNTAX)
		cj_ereturn(escontext, /* void */ ,
				   (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					errmsg("invalid input syntax for type %s: \"%s\"",
						   typname, input),
					err->detail[0] ? errdetail("%s", err->detail) : 0));
	if (err->kind == CJ_ERR_RANGE)
		cj_ereturn(escontext, /* void */ ,
				   (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					errmsg("value \"%s\" is out of range for type %s", input, typname),
					err->detail[0] ? errdetail("%s", err->detail) : 0));
	cj_ereturn(escontext, /* void */ ,
			   (errcode(cj_sqlstate(err->kind)),
				errmsg("invalid value for type %s: \"%s\"", typname, input),
				err->detail[0] ? errdetail("%s", err->detail) : 0));
}

/* Append v in the shortest form that reads back exactly */
void
cj_append_float8(StringInfo buf, double v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (isnan(v))
		appendStringInfoString(buf, "NaN");
	else if (isinf(v))
		appendStringInfoString(buf, v > 0 ? "Infinity" : "-Infinity");
	else
	{
		double_to_shortest_decimal_buf(v, tmp);
		appendStringInfoString(buf, tmp);
	}
}

/* Length of an interval in seconds; months are rejected */
double
cj_interval_seconds(const Interval *iv, const char *what, bool positive)
{
	double		secs;

	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a fixed length of time", what),
				 errdetail("Months and years have no fixed length; give days, hours, minutes or seconds.")));
	secs = (double) iv->day * 86400.0 + (double) iv->time / 1000000.0;
	if (positive && !(secs > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", what)));
	return secs;
}

/* Microseconds of a window of time (see the header) */
int64
cj_interval_us_window(const Interval *iv, const char *what)
{
	int64		us;

	(void) cj_interval_seconds(iv, what, false);	/* rejects months */
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &us))
		us = iv->day > 0 ? PG_INT64_MAX : PG_INT64_MIN;
	else if (pg_add_s64_overflow(us, iv->time, &us))
		us = iv->time > 0 ? PG_INT64_MAX : PG_INT64_MIN;
	if (us < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what)));
	return us;
}

/* Error unless v is finite */
double
cj_finite_arg(double v, const char *name)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", name)));
	return v;
}

/* Validate the version byte of a binary form */
void
cj_check_binary_version(int version, const char *typname)
{
	if (version != CJ_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", typname),
				 errdetail("Unsupported format version %d; expected %d.",
						   version, CJ_BINARY_VERSION)));
}
