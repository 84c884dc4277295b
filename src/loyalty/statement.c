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

#include "common/util.h"
#include "loyalty/points.h"
#include "loyalty/statement.h"
#include "core/loyalty/liability.h"
#include "core/common/decimal.h"
#include "core/common/instant.h"

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
	/* the row type, built once per call site (a statement per member) */
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = CreateTupleDescCopy(tupdesc);
		MemoryContextSwitchTo(old);
	}
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	so->desc = CreateTupleDescCopy((TupleDesc) fcinfo->flinfo->fn_extra);
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

/* Longest kind, note or reference copied into a row without allocating */
#define ROW_TEXT 256

typedef struct StatementOut
{
	SetOut		so;
	int64		net;			/* available + pending - negative so far */
} StatementOut;

/* A text Datum of s in buf when it fits, else palloc'd */
static Datum
TextIn(const char *s, size_t len, char *buf)
{
	char	   *t = len <= ROW_TEXT ? buf : palloc(VARHDRSZ + len);

	SET_VARSIZE(t, VARHDRSZ + len);
	memcpy(VARDATA(t), s, len);
	return PointerGetDatum(t);
}

/*
 * One statement row.  Its text and numeric columns are built in local
 * buffers (tuplestore_putvalues copies them into the row): a statement
 * returns about nine rows per member, so an allocation per column would
 * be paid some forty times per member.
 */
static void
StatementRow(StatementOut *st, TimestampTz at, const char *kind,
			 const CjMove *m, bool has_points, int64 points,
			 int64 avail, int64 pend, int64 neg, const char *note)
{
	Datum		values[STATEMENT_COLS];
	bool		nulls[STATEMENT_COLS] = {0};
	int64		net = avail + pend - neg;
	CjNumericBuf num[5];
	union
	{
		int32		align;
		char		b[VARHDRSZ + ROW_TEXT];
	}			txt[3];

	values[0] = TimestampTzGetDatum(at);
	values[1] = TextIn(kind, strlen(kind), txt[0].b);
	nulls[2] = m == NULL || m->reflen == 0;
	if (!nulls[2])
		values[2] = TextIn(cj_move_ref(m), m->reflen, txt[1].b);
	if (has_points)
	{
		values[3] = cj_millionths_numeric_in(points, &num[0]);
		values[4] = cj_millionths_numeric_in(net - st->net, &num[1]);
	}
	else
		nulls[3] = nulls[4] = true;
	values[5] = cj_millionths_numeric_in(avail, &num[2]);
	values[6] = cj_millionths_numeric_in(pend, &num[3]);
	values[7] = cj_millionths_numeric_in(neg, &num[4]);
	if (note)
		values[8] = TextIn(note, strlen(note), txt[2].b);
	else
		nulls[8] = true;
	st->net = net;
	tuplestore_putvalues(st->so.store, st->so.desc, values, nulls);
}

static void
StatementEvent(void *arg, const CjPointsEvent *ev)
{
	StatementOut *st = (StatementOut *) arg;
	const CjMove *m = ev->move;
	char		note_buf[CJ_DEC_BUFLEN + 64];
	char	   *note = NULL;
	const char *kind;

	switch (ev->type)
	{
		case CJ_EV_OPEN:
			StatementRow(st, ev->at, "opening", NULL, false, 0, ev->available,
						 ev->pending, ev->negative, NULL);
			return;
		case CJ_EV_AVAILABLE:
			kind = "available";	/* ref names the lot */
			break;
		case CJ_EV_EXPIRE:
			kind = "expire";
			break;
		default:
			kind = cj_move_kind_name(m->kind);
			if (cj_move_is_credit(m) && m->available > m->occurred)
			{
				note = note_buf;
				strcpy(note, "pending until ");
				cj_format_instant(m->available, note + strlen(note));
			}
			else if (m->kind == CJ_MOVE_REVERSE && ev->unexpired > 0)
			{
				note = note_buf;
				cj_dec_format(ev->unexpired, note);
				strcat(note, " of the points taken back had already expired");
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

/* Month index (year * 12 + month - 1) of a time, in the session's time zone */
static int32
MonthIndex(TimestampTz t)
{
	DateADT		d = DatumGetDateADT(DirectFunctionCall1(timestamptz_date,
														TimestampTzGetDatum(t)));
	int			y,
				m,
				dd;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	return (int32) y * 12 + m - 1;
}

typedef struct LiabilityAcc
{
	int32		first;
	int			n;
	int			cur;			/* month being filled, from 0 */
	int64	   *pairs;			/* expiring, outstanding per month */
	int64		outstanding;	/* available + pending after the last event */
} LiabilityAcc;

static void
LiabilityEvent(void *arg, const CjPointsEvent *ev)
{
	LiabilityAcc *la = (LiabilityAcc *) arg;

	if (ev->type != CJ_EV_OPEN)
	{
		int			k = MonthIndex(ev->at) - la->first;

		while (la->cur < k)
			la->pairs[2 * la->cur++ + 1] = la->outstanding;
		if (ev->type == CJ_EV_EXPIRE)
			la->pairs[2 * la->cur] -= ev->points;
		CHECK_FOR_INTERRUPTS();
	}
	la->outstanding = ev->available + ev->pending;
}

/* A member's liability by month from as_of to as_of + horizon */
void
cj_points_liability_months(Datum ledger, TimestampTz as_of, Interval *horizon,
						   int32 *first, int *n, int64 **pairs)
{
	TimestampTz until = PlusInterval(as_of, horizon, "horizon");
	LiabilityAcc la;
	CjPointsBalance bal;
	int			nlots;

	la.first = MonthIndex(as_of);
	la.n = MonthIndex(until) - la.first + 1;
	if (la.n > CJ_LIAB_MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("horizon is too long"),
				 errdetail("A liability covers at most %d months.", CJ_LIAB_MAX_MONTHS)));
	la.cur = 0;
	la.pairs = palloc0(sizeof(int64) * 2 * la.n);
	la.outstanding = 0;
	ReplayEvents(ledger, as_of, as_of, until, &bal, NULL, &nlots,
				 LiabilityEvent, &la);
	while (la.cur < la.n)
		la.pairs[2 * la.cur++ + 1] = la.outstanding;
	*first = la.first;
	*n = la.n;
	*pairs = la.pairs;
}

/*
 * First day of the month of a month index.  The year is the floor of
 * idx / 12, not C's quotient, which truncates toward zero: the months of
 * BC years (year 0 is 1 BC) have negative indexes.
 */
DateADT
cj_month_index_date(int32 idx)
{
	int32		y = idx >= 0 ? idx / 12 : -((-(int64) idx + 11) / 12);

	return date2j(y, idx - y * 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
}

/* cj_points_liability(ledger, as_of, horizon) */
Datum
cj_points_liability(PG_FUNCTION_ARGS)
{
	TimestampTz as_of = FiniteArg(fcinfo, 1, "as_of");
	SetOut		so;
	int32		first;
	int			n,
				i;
	int64	   *pairs;

	SetBegin(fcinfo, &so);
	cj_points_liability_months(PG_GETARG_DATUM(0), as_of, PG_GETARG_INTERVAL_P(2),
							   &first, &n, &pairs);
	for (i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {0};

		values[0] = DateADTGetDatum(cj_month_index_date(first + i));
		values[1] = cj_millionths_numeric(pairs[2 * i]);
		values[2] = cj_millionths_numeric(pairs[2 * i + 1]);
		tuplestore_putvalues(so.store, so.desc, values, nulls);
	}
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
