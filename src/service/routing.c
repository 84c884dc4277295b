/*-------------------------------------------------------------------------
 *
 * routing.c
 *	  Argument checks and small computations of the queue kit's routing:
 *	  the preferred-agent window of a ticket, the queue list of a routing
 *	  profile and the expected wait behind a queue position.
 *
 * The enqueue functions and cj_queue_position are SQL functions (BEGIN
 * ATOMIC, so no search_path can capture their references) that call these
 * helpers for the checks only C can raise with the right SQLSTATE; the
 * claim, in C (route_claim.c), calls cj_routing_queues and
 * cj_raise_unknown_queue too.  Each returns
 * what its caller needs (a timestamptz, a text[], an interval) and raises
 * 22023, 22004 or 2202E on bad input.  See doc/service.md, "Routing".
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "service/routing.h"

PG_FUNCTION_INFO_V1(cj_routing_window);
PG_FUNCTION_INFO_V1(cj_routing_queues);
PG_FUNCTION_INFO_V1(cj_routing_wait);
PG_FUNCTION_INFO_V1(cj_queue_unknown);

/* the most queues one routing profile may name */
#define CJ_ROUTING_MAX_QUEUES 64

/*
 * cj_routing_window(arrived_at, due, preferred_agent, prefer_for,
 *					 prefer_required, not_before, skills,
 *					 has_requirement) -> timestamptz
 *
 * Checks a ticket's routing arguments and returns the end of its
 * preferred-agent window (NULL when it has no preferred agent): arrival +
 * prefer_for, or the due time when prefer_required.  Rules:
 *	- prefer_for and prefer_required need a preferred agent; a preferred
 *	  agent needs exactly one of them;
 *	- the preferred agent is not empty; prefer_for is positive;
 *	- not_before is not after the due time (a callback later than that is
 *	  enqueued with its own arrival or due time);
 *	- a ticket needs skills (text[]) or a levelled requirement, not both.
 */
Datum
cj_routing_window(PG_FUNCTION_ARGS)
{
	TimestampTz arrived_at;
	TimestampTz due;
	bool		has_agent = !PG_ARGISNULL(2);
	bool		has_for = !PG_ARGISNULL(3);
	bool		required = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
	Interval   *pf;
	TimestampTz end;

	/* a missing arrival or due time is the table's NOT NULL error */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	arrived_at = PG_GETARG_TIMESTAMPTZ(0);
	due = PG_GETARG_TIMESTAMPTZ(1);

	if (!PG_ARGISNULL(6) && !PG_ARGISNULL(7) && PG_GETARG_BOOL(7))
	{
		ArrayType  *sk = PG_GETARG_ARRAYTYPE_P(6);

		if (ArrayGetNItems(ARR_NDIM(sk), ARR_DIMS(sk)) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a ticket needs either skills or a requirement, not both"),
					 errhint("Write the skills into the requirement: '{billing,spanish}' reads as the requirement 'billing>=1 & spanish>=1'.")));
	}
	if (!PG_ARGISNULL(5) && PG_GETARG_TIMESTAMPTZ(5) > due)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("not_before must not be after the ticket's due time"),
				 errdetail("A ticket held until after its due time would be overdue the moment it became eligible."),
				 errhint("Enqueue a later callback with arrived_at at the callback time, or give it a later due time with cj_enqueue_due.")));

	if (!has_agent)
	{
		if (has_for || required)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("prefer_for and prefer_required need a preferred agent")));
		PG_RETURN_NULL();
	}
	if (VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(2)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("preferred agent must not be empty")));
	if (has_for == required)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a preferred agent needs exactly one of prefer_for and prefer_required"),
				 errdetail("prefer_for holds the ticket for that agent for an interval from its arrival; prefer_required holds it until its due time.")));
	if (required)
		PG_RETURN_TIMESTAMPTZ(due);

	/*
	 * The window ends at arrival + prefer_for (months and days counted in
	 * the session time zone, as the ticket's own arithmetic does), which
	 * must lie after the arrival.
	 */
	pf = PG_GETARG_INTERVAL_P(3);
	if (TIMESTAMP_NOT_FINITE(arrived_at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("arrived_at must be a finite time for a prefer_for window"),
				 errdetail("The window runs from the arrival for prefer_for.")));
	end = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
												  TimestampTzGetDatum(arrived_at),
												  IntervalPGetDatum(pf)));
	if (end <= arrived_at)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prefer_for must be positive"),
				 errdetail("The window is \"%s\".",
						   DatumGetCString(DirectFunctionCall1(interval_out,
															   IntervalPGetDatum(pf))))));
	PG_RETURN_TIMESTAMPTZ(end);
}

/*
 * Each delay of a profile lies within a year either way (months counted
 * as 30 days, as interval comparison does): a delay shifts a queue's due
 * times for one agent by minutes or hours, and a bound keeps due + delay
 * a valid time for every ticket the claim compares.
 */
static void
CheckDelays(ArrayType *da)
{
	Datum	   *ds;
	int			nd,
				i;
	Interval	year,
				minus_year;

	memset(&year, 0, sizeof(year));
	year.month = 12;
	minus_year = year;
	minus_year.month = -12;
	deconstruct_array(da, INTERVALOID, sizeof(Interval), false, TYPALIGN_DOUBLE,
					  &ds, NULL, &nd);
	for (i = 0; i < nd; i++)
	{
		Interval   *d = DatumGetIntervalP(ds[i]);

		if (DatumGetInt32(DirectFunctionCall2(interval_cmp, ds[i],
											  IntervalPGetDatum(&year))) > 0 ||
			DatumGetInt32(DirectFunctionCall2(interval_cmp, ds[i],
											  IntervalPGetDatum(&minus_year))) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a delay in a routing profile must lie between -1 year and 1 year"),
					 errdetail("Delay %d is \"%s\".", i + 1,
							   DatumGetCString(DirectFunctionCall1(interval_out,
																   IntervalPGetDatum(d))))));
	}
}

/*
 * cj_routing_queues(queue, queues, delays) -> text[]
 *
 * The queue list of a claim.  Without a profile (queues NULL) it is
 * {queue}, queue not empty (the enqueue functions check their queue so).
 * A profile names 1 to CJ_ROUTING_MAX_QUEUES distinct, non-empty queues;
 * delays, when given, has one non-NULL entry per queue within a year
 * either way (negative delays are allowed: they raise a queue's
 * priority).  A profile replaces queue, so a queue other than the default
 * beside it is an error.  NULL
 * queue and queues give NULL (the claim returns no row, as the STRICT
 * claim of 1.0 did).
 */
Datum
cj_routing_queues(PG_FUNCTION_ARGS)
{
	ArrayType  *qa;
	Datum	   *qs;
	bool	   *qnull;
	int			nq;
	int			i,
				j;

	if (PG_ARGISNULL(1))
	{
		Datum		one;

		if (!PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("delays need a queues list")));
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		if (VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(0)) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("queue must not be empty")));
		one = PG_GETARG_DATUM(0);
		PG_RETURN_ARRAYTYPE_P(construct_array(&one, 1, TEXTOID, -1, false, TYPALIGN_INT));
	}
	if (!PG_ARGISNULL(0))
	{
		text	   *q = PG_GETARG_TEXT_PP(0);

		if (VARSIZE_ANY_EXHDR(q) != 7 || memcmp(VARDATA_ANY(q), "default", 7) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("give either queue or queues, not both"),
					 errdetail("A routing profile (queues) replaces the single queue.")));
	}

	qa = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(qa) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("queues must be a one-dimensional array")));
	deconstruct_array(qa, TEXTOID, -1, false, TYPALIGN_INT, &qs, &qnull, &nq);
	if (nq == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a routing profile needs at least one queue")));
	if (nq > CJ_ROUTING_MAX_QUEUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a routing profile names %d queues", nq),
				 errdetail("A routing profile cannot name more than %d queues.",
						   CJ_ROUTING_MAX_QUEUES)));
	for (i = 0; i < nq; i++)
	{
		text	   *qi;

		if (qnull[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("queue names in a routing profile must not be null")));
		qi = DatumGetTextPP(qs[i]);
		if (VARSIZE_ANY_EXHDR(qi) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("queue names in a routing profile must not be empty")));
		for (j = 0; j < i; j++)
		{
			text	   *qj = DatumGetTextPP(qs[j]);

			if (VARSIZE_ANY_EXHDR(qi) == VARSIZE_ANY_EXHDR(qj) &&
				memcmp(VARDATA_ANY(qi), VARDATA_ANY(qj), VARSIZE_ANY_EXHDR(qi)) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("queue \"%s\" appears twice in the routing profile",
								text_to_cstring(qi))));
		}
	}

	if (!PG_ARGISNULL(2))
	{
		ArrayType  *da = PG_GETARG_ARRAYTYPE_P(2);
		int			nd = ArrayGetNItems(ARR_NDIM(da), ARR_DIMS(da));

		if (ARR_NDIM(da) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("delays must be a one-dimensional array")));
		if (nd != nq)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("a routing profile has %d queues but %d delays", nq, nd)));
		if (array_contains_nulls(da))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("delays in a routing profile must not be null")));
		CheckDelays(da);
	}
	PG_RETURN_ARRAYTYPE_P(qa);
}

/*
 * cj_routing_wait(position, agents, aht) -> interval
 *
 * Expected wait of a queued customer with position others ahead, when all
 * agents are busy and handle times are exponential with mean aht (the
 * M/M/c model behind Erlang C): departures then form a Poisson process of
 * rate agents/aht, and the customer starts service at the (position+1)-th
 * departure, so the wait is Gamma(position + 1, agents/aht) with mean
 * (position + 1) * aht / agents (Gross and Harris, Fundamentals of
 * Queueing Theory, section 2.3, the conditional waiting-time distribution
 * of M/M/c).
 */
Datum
cj_routing_wait(PG_FUNCTION_ARGS)
{
	int64		position = PG_GETARG_INT64(0);
	int32		agents = PG_GETARG_INT32(1);
	Interval   *aht = PG_GETARG_INTERVAL_P(2);
	float8		factor;

	if (position < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("queue position must not be negative")));
	if (agents <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of agents must be positive")));
	/* a fixed, positive length (months have none): 22023 otherwise */
	(void) cj_interval_seconds(aht, "average handle time", true);
	factor = ((float8) position + 1.0) / (float8) agents;
	PG_RETURN_DATUM(DirectFunctionCall2(interval_mul, IntervalPGetDatum(aht),
										Float8GetDatum(factor)));
}

/*
 * The error of a queue name that the queue registry (cj_queue) does not
 * list, while it lists any (an empty registry accepts every name): 22023,
 * or 22004 for NULL.
 */
void
cj_raise_unknown_queue(const char *queue)
{
	if (queue == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("queue must not be NULL")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("queue \"%s\" is not registered", queue),
			 errdetail("The queues are the rows of cj_queue; with no rows there, every queue name is accepted."),
			 errhint("INSERT INTO cj_queue (name) VALUES (%s) registers it.",
					 quote_literal_cstr(queue))));
}

/*
 * cj_queue_unknown(queue) -> boolean: raises cj_raise_unknown_queue's
 * error; never returns.  The enqueue functions call it when the registry
 * is not empty and does not list the queue.
 */
Datum
cj_queue_unknown(PG_FUNCTION_ARGS)
{
	cj_raise_unknown_queue(PG_ARGISNULL(0) ? NULL :
						   text_to_cstring(PG_GETARG_TEXT_PP(0)));
	PG_RETURN_BOOL(false);
}
