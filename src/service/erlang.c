/*-------------------------------------------------------------------------
 *
 * erlang.c
 *	  SQL entry points of the Erlang C staffing functions and Cobham's
 *	  priority-class waits (maths in core/cj_erlang.c).
 *
 * Units: arrival_rate is contacts per unit of time; aht, target_wait and
 * the waits returned are in that same unit (e.g. per second and seconds,
 * or per minute and minutes).  Overloaded systems (agents <= offered load)
 * return P(wait) = 1, service level 0 and an ASA of +Infinity, never NaN.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/util.h"
#include "core/service/erlang.h"

PG_FUNCTION_INFO_V1(cj_erlang_c);
PG_FUNCTION_INFO_V1(cj_erlang_service_level);
PG_FUNCTION_INFO_V1(cj_erlang_asa);
PG_FUNCTION_INFO_V1(cj_erlang_agents);
PG_FUNCTION_INFO_V1(cj_priority_waits);

/* Validate an agent count */
static int64
AgentsArg(int32 n)
{
	if (n < 1 || n > CJ_ERLANG_MAX_AGENTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agents must be between 1 and %d", CJ_ERLANG_MAX_AGENTS)));
	return n;
}

/* Validate a finite argument that must be >= 0 (or > 0 if positive) */
static double
NonNegArg(double v, const char *name, bool positive)
{
	cj_finite_arg(v, name);
	if (positive ? !(v > 0) : v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(positive ? "%s must be positive" : "%s must not be negative",
						name)));
	return v;
}

/* Offered load A = rate * aht in Erlangs, validating both */
static double
LoadArg(double rate, double aht)
{
	double		a = NonNegArg(rate, "arrival_rate", false) *
		NonNegArg(aht, "aht", true);

	if (isinf(a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("offered load arrival_rate * aht is out of range")));
	return a;
}

/* cj_erlang_c(agents, arrival_rate, aht): probability of waiting */
Datum
cj_erlang_c(PG_FUNCTION_ARGS)
{
	int64		n = AgentsArg(PG_GETARG_INT32(0));
	double		a = LoadArg(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));

	PG_RETURN_FLOAT8(cj_erl_c(n, a));
}

/* cj_erlang_service_level(agents, arrival_rate, aht, target_wait) */
Datum
cj_erlang_service_level(PG_FUNCTION_ARGS)
{
	int64		n = AgentsArg(PG_GETARG_INT32(0));
	double		a = LoadArg(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	double		t = NonNegArg(PG_GETARG_FLOAT8(3), "target_wait", false);

	PG_RETURN_FLOAT8(cj_erl_sl(n, a, PG_GETARG_FLOAT8(2), t));
}

/* cj_erlang_asa(agents, arrival_rate, aht): average speed of answer */
Datum
cj_erlang_asa(PG_FUNCTION_ARGS)
{
	int64		n = AgentsArg(PG_GETARG_INT32(0));
	double		a = LoadArg(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));

	PG_RETURN_FLOAT8(cj_erl_asa(n, a, PG_GETARG_FLOAT8(2)));
}

/* cj_erlang_agents(arrival_rate, aht, target_level, target_wait) */
Datum
cj_erlang_agents(PG_FUNCTION_ARGS)
{
	double		a = LoadArg(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1));
	double		level = cj_finite_arg(PG_GETARG_FLOAT8(2), "target_level");
	double		t = NonNegArg(PG_GETARG_FLOAT8(3), "target_wait", false);
	int64		n;

	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target_level must be between 0 and 1, exclusive"),
				 errdetail("A service level of 1 is never reached by a queue with random arrivals.")));
	n = cj_erl_agents(a, PG_GETARG_FLOAT8(1), level, t);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("more than %d agents would be needed", CJ_ERLANG_MAX_AGENTS)));
	PG_RETURN_INT32((int32) n);
}

/*
 * cj_priority_waits(agents, arrival_rates[], aht): mean wait of each
 * priority class (first element served first) in a non-preemptive
 * priority queue, by Cobham's formula.
 */
Datum
cj_priority_waits(PG_FUNCTION_ARGS)
{
	int64		n = AgentsArg(PG_GETARG_INT32(0));
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	double		aht = NonNegArg(PG_GETARG_FLOAT8(2), "aht", true);
	int			k = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	double	   *rates,
			   *waits;
	Datum	   *out;
	int			i;

	if (ARR_NDIM(arr) != 1 || array_contains_nulls(arr) || k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("arrival_rates must be a non-empty one-dimensional array without NULLs")));
	if (k > CJ_ERLANG_MAX_CLASSES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many priority classes"),
				 errdetail("At most %d classes are supported.", CJ_ERLANG_MAX_CLASSES)));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &out, NULL, &k);
	rates = palloc(sizeof(double) * k);
	for (i = 0; i < k; i++)
		rates[i] = DatumGetFloat8(out[i]);
	for (i = 0; i < k; i++)
		LoadArg(rates[i], aht);
	waits = palloc(sizeof(double) * k);
	out = palloc(sizeof(Datum) * k);
	cj_erl_priority_waits(n, rates, k, aht, waits);
	for (i = 0; i < k; i++)
		out[i] = Float8GetDatum(waits[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(out, k, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
