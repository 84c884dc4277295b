/*-------------------------------------------------------------------------
 *
 * points_schedule.c
 *	  cj_points_schedule(ledger, as_of): one row per lot (earn or positive
 *	  adjust at or before as_of) with what remains of it, what was spent,
 *	  expired and reversed, and its status.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "common/util.h"
#include "loyalty/points.h"

#define SCHEDULE_COLS 10

PG_FUNCTION_INFO_V1(cj_points_schedule);

/* Status word of a lot */
static const char *
LotStatus(const CjLot *lot)
{
	if (lot->remaining > 0)
		return lot->state == CJ_LOT_PENDING ? "pending" : "available";
	if (lot->expired > 0)
		return "expired";
	if (lot->reversed == lot->move->points)
		return "reversed";
	return "spent";
}

/* One output row of a lot */
static void
LotRow(const CjLot *lot, Datum *values, bool *nulls)
{
	const CjMove *m = lot->move;

	memset(nulls, 0, sizeof(bool) * SCHEDULE_COLS);
	if (m->reflen > 0)
		values[0] = PointerGetDatum(cstring_to_text_with_len(cj_move_ref(m), m->reflen));
	else
		nulls[0] = true;
	values[1] = TimestampTzGetDatum(m->occurred);
	values[2] = TimestampTzGetDatum(m->available);
	if (m->expires == CJ_TS_NEVER)
		nulls[3] = true;
	else
		values[3] = TimestampTzGetDatum(m->expires);
	values[4] = cj_millionths_numeric(m->points);
	values[5] = cj_millionths_numeric(lot->remaining);
	values[6] = cj_millionths_numeric(lot->spent);
	values[7] = cj_millionths_numeric(lot->expired);
	values[8] = cj_millionths_numeric(lot->reversed);
	values[9] = PointerGetDatum(cstring_to_text(LotStatus(lot)));
}

/* cj_points_schedule(ledger, as_of) */
Datum
cj_points_schedule(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	Tuplestorestate *store;
	MemoryContext old;
	CjPointsBalance bal;
	CjLot	   *lots;
	int			nlots,
				i;
	Datum		values[SCHEDULE_COLS];
	bool		nulls[SCHEDULE_COLS];

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	cj_ledger_replay(PG_GETARG_DATUM(0), PG_GETARG_TIMESTAMPTZ(1), &bal,
					 &lots, &nlots);
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTupleDescCopy(tupdesc);
	store = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
	for (i = 0; i < nlots; i++)
	{
		LotRow(&lots[i], values, nulls);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = tupdesc;
	return (Datum) 0;
}
