/*-------------------------------------------------------------------------
 *
 * statement.c
 *	  What a member and finance see of a points ledger:
 *	  cj_points_statement (every movement and event between two times with
 *	  running balances), cj_points_expiring (what expires when),
 *	  cj_points_liability (outstanding and expiring points per month) and
 *	  cj_points_transfer_lots (the slices of the sender's lots a transfer
 *	  moves, with their expiry dates).
 *
 * All of them replay the ledger once (cj_points_replay_events) and read
 * its events, so a statement's opening and closing rows are
 * cj_points_balance at from and to by construction.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "cj_util.h"
#include "points.h"
#include "core/cj_decimal.h"
#include "core/cj_history.h"

PG_FUNCTION_INFO_V1(cj_points_statement);
PG_FUNCTION_INFO_V1(cj_points_expiring);
PG_FUNCTION_INFO_V1(cj_points_liability);
PG_FUNCTION_INFO_V1(cj_points_transfer_lots);

/* A set-returning call's tuplestore */
typedef struct SetOut
{
	Tuplestorestate *store;
	TupleDesc	desc;
} SetOut;

static void
SetBegin(FunctionCallInfo fcinfo, SetOut *so)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	MemoryContext old;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	so->desc = CreateTupleDescCopy(tupdesc);
	so->store = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = so->store;
	rsinfo->setDesc = so->desc;
}

/* A finite time argument */
static TimestampTz
FiniteArg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(argno);

	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite time", name)));
	return t;
}

/* base + span for a non-negative interval, within the finite range */
static TimestampTz
PlusInterval(TimestampTz base, Interval *span, const char *name)
{
	TimestampTz end;

	if (span->month < 0 || span->day < 0 || span->time < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", name)));
	end = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
												  TimestampTzGetDatum(base),
												  PointerGetDatum(span)));
	if (TIMESTAMP_NOT_FINITE(end) || !cj_ts_in_range(end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s reaches past the range of timestamptz", name)));
	return end;
}

/* One replay with events: work arrays in the current context */
static void
ReplayEvents(Datum ledger, TimestampTz from, TimestampTz moves_until,
			 TimestampTz until, CjPointsBalance *bal, CjLot **lots,
			 int *nlots, CjPointsEventFn fn, void *arg)
{
	int			n;
	const CjMove **moves = cj_ledger_sorted_moves(ledger, &n);
	int			room = Max(n, 1);
	CjReplayWork w;
	CjError		err = {0};

	w.lots = palloc(sizeof(CjLot) * room);
	w.spend = palloc(sizeof(int32) * room);
	w.pend = palloc(sizeof(int32) * room);
	w.byref = palloc(sizeof(int32) * room);
	if (!cj_points_replay_events(moves, n, from, moves_until, until, &w,
								 nlots, bal, fn, arg, &err))
		cj_raise(&err, "cannot replay points ledger");
	if (lots)
		*lots = w.lots;
}

/* ---------------------------------------------------------------- */
/* cj_points_statement                                              */
/* ---------------------------------------------------------------- */

#define STATEMENT_COLS 9

typedef struct StatementOut
{
	SetOut		so;
	int64		net;			/* available + pending - negative so far */
} StatementOut;

static Datum
RefDatum(const CjMove *m, bool *isnull)
{
	*isnull = m == NULL || m->reflen == 0;
	return *isnull ? (Datum) 0 :
		PointerGetDatum(cstring_to_text_with_len(cj_move_ref(m), m->reflen));
}

/* One statement row */
static void
StatementRow(StatementOut *st, TimestampTz at, const char *kind,
			 const CjMove *m, bool has_points, int64 points,
			 int64 avail, int64 pend, int64 neg, const char *note)
{
	Datum		values[STATEMENT_COLS];
	bool		nulls[STATEMENT_COLS] = {0};
	int64		net = avail + pend - neg;

	values[0] = TimestampTzGetDatum(at);
	values[1] = CStringGetTextDatum(kind);
	values[2] = RefDatum(m, &nulls[2]);
	if (has_points)
	{
		values[3] = cj_millionths_numeric(points);
		values[4] = cj_millionths_numeric(net - st->net);
	}
	else
		nulls[3] = nulls[4] = true;
	values[5] = cj_millionths_numeric(avail);
	values[6] = cj_millionths_numeric(pend);
	values[7] = cj_millionths_numeric(neg);
	if (note)
		values[8] = CStringGetTextDatum(note);
	else
		nulls[8] = true;
	st->net = net;
	tuplestore_putvalues(st->so.store, st->so.desc, values, nulls);
}

/* A time in the canonical text of the ledger, for notes */
static char *
InstantText(int64 t)
{
	char	   *buf = palloc(64);

	cj_format_instant(t, buf);
	return buf;
}

static void
StatementEvent(void *arg, const CjPointsEvent *ev)
{
	StatementOut *st = (StatementOut *) arg;
	const CjMove *m = ev->move;
	char	   *note = NULL;
	const char *kind;

	switch (ev->type)
	{
		case CJ_EV_OPEN:
			StatementRow(st, ev->at, "opening", NULL, false, 0, ev->available,
						 ev->pending, ev->negative, NULL);
			return;
		case CJ_EV_AVAILABLE:
			kind = "available";
			note = psprintf("%s of %s becomes available",
							cj_move_kind_name(m->kind), InstantText(m->occurred));
			break;
		case CJ_EV_EXPIRE:
			kind = "expire";
			note = psprintf("%s of %s expires",
							cj_move_kind_name(m->kind), InstantText(m->occurred));
			break;
		default:
			kind = cj_move_kind_name(m->kind);
			if (cj_move_is_credit(m) && m->available > m->occurred)
				note = psprintf("pending until %s", InstantText(m->available));
			else if (m->kind == CJ_MOVE_REVERSE && ev->unexpired > 0)
			{
				char		buf[CJ_DEC_BUFLEN];

				cj_dec_format(ev->unexpired, buf);
				note = psprintf("%s of the points taken back had already expired", buf);
			}
			break;
	}
	StatementRow(st, ev->at, kind, m, true, ev->points, ev->available,
				 ev->pending, ev->negative, note);
}

/* cj_points_statement(ledger, from, to) */
Datum
cj_points_statement(PG_FUNCTION_ARGS)
{
	TimestampTz from = FiniteArg(fcinfo, 1, "from");
	TimestampTz to = FiniteArg(fcinfo, 2, "to");
	StatementOut st;
	CjPointsBalance bal;
	int			nlots;

	if (to < from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("to must not be before from")));
	SetBegin(fcinfo, &st.so);
	st.net = 0;
	ReplayEvents(PG_GETARG_DATUM(0), from, to, to, &bal, NULL, &nlots,
				 StatementEvent, &st);
	StatementRow(&st, to, "closing", NULL, false, 0, bal.available,
				 bal.pending, bal.negative, NULL);
	return (Datum) 0;
}

/* ---------------------------------------------------------------- */
/* cj_points_expiring and cj_points_liability                       */
/* ---------------------------------------------------------------- */

typedef struct ExpiryOut
{
	SetOut		so;
	bool		have;
	TimestampTz at;
	int64		points;
} ExpiryOut;

static void
ExpiryFlush(ExpiryOut *eo)
{
	Datum		values[2];
	bool		nulls[2] = {0};

	if (!eo->have)
		return;
	values[0] = TimestampTzGetDatum(eo->at);
	values[1] = cj_millionths_numeric(eo->points);
	tuplestore_putvalues(eo->so.store, eo->so.desc, values, nulls);
	eo->have = false;
}

static void
ExpiryEvent(void *arg, const CjPointsEvent *ev)
{
	ExpiryOut  *eo = (ExpiryOut *) arg;

	if (ev->type != CJ_EV_EXPIRE)
		return;
	if (eo->have && eo->at != ev->at)
		ExpiryFlush(eo);
	if (!eo->have)
	{
		eo->have = true;
		eo->at = ev->at;
		eo->points = 0;
	}
	eo->points -= ev->points;	/* expiry events carry -remainder */
}

/* cj_points_expiring(ledger, as_of, within) */
Datum
cj_points_expiring(PG_FUNCTION_ARGS)
{
	TimestampTz as_of = FiniteArg(fcinfo, 1, "as_of");
	TimestampTz until = PlusInterval(as_of, PG_GETARG_INTERVAL_P(2), "within");
	ExpiryOut	eo;
	CjPointsBalance bal;
	int			nlots;

	SetBegin(fcinfo, &eo.so);
	eo.have = false;
	ReplayEvents(PG_GETARG_DATUM(0), as_of, as_of, until, &bal, NULL, &nlots,
				 ExpiryEvent, &eo);
	ExpiryFlush(&eo);
	return (Datum) 0;
}

/* First day of the month of a time, in the session's time zone */
static DateADT
MonthOf(TimestampTz t)
{
	DateADT		d = DatumGetDateADT(DirectFunctionCall1(timestamptz_date,
														TimestampTzGetDatum(t)));
	int			y,
				m,
				dd;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	return date2j(y, m, 1) - POSTGRES_EPOCH_JDATE;
}

/* The first day of the month after month */
static DateADT
NextMonth(DateADT month)
{
	int			y,
				m,
				dd;

	j2date(month + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	return m == 12 ? date2j(y + 1, 1, 1) - POSTGRES_EPOCH_JDATE
		: date2j(y, m + 1, 1) - POSTGRES_EPOCH_JDATE;
}

typedef struct LiabilityOut
{
	SetOut		so;
	DateADT		month;			/* month being accumulated */
	int64		expiring;
	int64		outstanding;	/* available + pending after the last event */
} LiabilityOut;

static void
LiabilityRow(LiabilityOut *lo)
{
	Datum		values[3];
	bool		nulls[3] = {0};

	values[0] = DateADTGetDatum(lo->month);
	values[1] = cj_millionths_numeric(lo->expiring);
	values[2] = cj_millionths_numeric(lo->outstanding);
	tuplestore_putvalues(lo->so.store, lo->so.desc, values, nulls);
	lo->month = NextMonth(lo->month);
	lo->expiring = 0;
}

static void
LiabilityEvent(void *arg, const CjPointsEvent *ev)
{
	LiabilityOut *lo = (LiabilityOut *) arg;

	if (ev->type != CJ_EV_OPEN)
	{
		DateADT		m = MonthOf(ev->at);

		while (lo->month < m)
			LiabilityRow(lo);
		if (ev->type == CJ_EV_EXPIRE)
			lo->expiring -= ev->points;
		CHECK_FOR_INTERRUPTS();
	}
	lo->outstanding = ev->available + ev->pending;
}

/* cj_points_liability(ledger, as_of, horizon) */
Datum
cj_points_liability(PG_FUNCTION_ARGS)
{
	TimestampTz as_of = FiniteArg(fcinfo, 1, "as_of");
	TimestampTz until = PlusInterval(as_of, PG_GETARG_INTERVAL_P(2), "horizon");
	LiabilityOut lo;
	CjPointsBalance bal;
	DateADT		last;
	int			nlots;

	SetBegin(fcinfo, &lo.so);
	lo.month = MonthOf(as_of);
	lo.expiring = 0;
	lo.outstanding = 0;
	last = MonthOf(until);
	ReplayEvents(PG_GETARG_DATUM(0), as_of, as_of, until, &bal, NULL, &nlots,
				 LiabilityEvent, &lo);
	while (lo.month <= last)
		LiabilityRow(&lo);
	return (Datum) 0;
}

/* ---------------------------------------------------------------- */
/* cj_points_transfer_lots                                          */
/* ---------------------------------------------------------------- */

/* Exact millionths of a numeric argument */
static int64
Millionths(Datum num, const char *name)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	const char *p = s;
	CjError		err = {0};
	int64		v;

	if (!cj_dec_parse(&p, &v, &err) || *p != '\0')
	{
		if (err.kind == CJ_OK || err.kind == CJ_ERR_SYNTAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be a finite number", name)));
		cj_raise(&err, psprintf("%s cannot be held exactly", name));
	}
	return v;
}

/* cj_points_transfer_lots(ledger, points, at) */
Datum
cj_points_transfer_lots(PG_FUNCTION_ARGS)
{
	int64		amount = Millionths(PG_GETARG_DATUM(1), "points");
	TimestampTz at = FiniteArg(fcinfo, 2, "at");
	SetOut		so;
	CjPointsBalance bal;
	CjLot	   *lots;
	int			nlots,
				nslices,
				i;
	int64	   *pts,
			   *exp;
	const CjLot **scratch;
	CjError		err = {0};

	SetBegin(fcinfo, &so);
	ReplayEvents(PG_GETARG_DATUM(0), at, at, at, &bal, &lots, &nlots, NULL, NULL);
	pts = palloc(sizeof(int64) * Max(nlots, 1));
	exp = palloc(sizeof(int64) * Max(nlots, 1));
	scratch = palloc(sizeof(CjLot *) * Max(nlots, 1));
	if (!cj_points_take_slices(lots, nlots, amount, scratch, pts, exp,
							   &nslices, &err))
		cj_raise(&err, "cannot transfer points");
	for (i = 0; i < nslices; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {0};

		values[0] = cj_millionths_numeric(pts[i]);
		if (exp[i] == CJ_TS_NEVER)
			nulls[1] = true;
		else
			values[1] = TimestampTzGetDatum(exp[i]);
		tuplestore_putvalues(so.store, so.desc, values, nulls);
	}
	return (Datum) 0;
}
