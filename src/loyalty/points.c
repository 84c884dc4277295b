/*-------------------------------------------------------------------------
 *
 * points.c
 *	  The points ledger: the cj_points_ledger state type (text and binary
 *	  forms), the aggregates cj_points_ledger and cj_points (transition,
 *	  combine, final), cj_points_balance and cj_points_schedule.
 *
 * The aggregate state is the member's list of movements, appended in
 * place (the varlena grows in powers of two in the aggregate context).
 * Combining two partial states concatenates their movements, and the
 * final step sorts them by content (cj_move_cmp) before replaying, so the
 * result never depends on input order, on parallel workers or on which
 * Citus node aggregated what: the aggregate needs no ORDER BY, and without
 * one PostgreSQL can run it as a partial aggregate.
 *
 * Layout: varlena header, version byte, flags byte (0), two reserved bytes
 * (0), int32 movement count, int32 bytes in use; then the movements, each a
 * CjMove followed by its ref padded to 8 bytes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "loyalty/points.h"
#include "core/common/decimal.h"
#include "common/state.h"

#define LEDGER_VERSION	1
#define LEDGER_HDRSZ	(VARHDRSZ + 12)
#define LEDGER_MIN_CAP	256

typedef struct LedgerData
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		count;
	int32		used;			/* bytes in use; VARSIZE is the capacity */
	/* movements follow */
} LedgerData;

PG_FUNCTION_INFO_V1(cj_points_ledger_in);
PG_FUNCTION_INFO_V1(cj_points_ledger_out);
PG_FUNCTION_INFO_V1(cj_points_ledger_recv);
PG_FUNCTION_INFO_V1(cj_points_ledger_send);
PG_FUNCTION_INFO_V1(cj_points_sfunc);
PG_FUNCTION_INFO_V1(cj_points_combine);
PG_FUNCTION_INFO_V1(cj_points_final);
PG_FUNCTION_INFO_V1(cj_points_ledger_final);
PG_FUNCTION_INFO_V1(cj_points_balance);

/* Allocation size for a state needing size bytes: a power of two */
static Size
LedgerCapacity(Size size)
{
	Size		cap = LEDGER_MIN_CAP;

	/* stop doubling at the limit: cap can neither wrap nor loop forever */
	while (cap < size && cap <= MaxAllocSize)
		cap *= 2;
	if (cap > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("points ledger is too large"),
				 errdetail("The movements of one member's ledger must fit in 1 GB (about 20 million movements).")));
	return cap;
}

/* A new empty ledger in the current memory context */
static LedgerData *
LedgerNew(void)
{
	LedgerData *l = palloc0(LEDGER_MIN_CAP);

	SET_VARSIZE(l, LEDGER_MIN_CAP);
	l->version = LEDGER_VERSION;
	l->used = LEDGER_HDRSZ;
	return l;
}

/*
 * A ledger with room for extra more bytes: l itself, or a larger copy in
 * the current memory context.  While aggregating, the varlena's size is
 * its capacity (so that the executor's datumCopy of a new state keeps the
 * room) and used counts the bytes in use.  The old state is never freed
 * here: when a transition function returns a new pointer the executor
 * copies it into the aggregate context and frees the old state itself.
 */
static LedgerData *
LedgerReserve(LedgerData *l, Size extra)
{
	Size		cap;
	LedgerData *n;

	if (extra <= VARSIZE(l) - l->used)
		return l;
	cap = LedgerCapacity(cj_state_add_size(l->used, extra, "cj_points_ledger"));
	n = palloc0(cap);
	memcpy(n, l, l->used);
	SET_VARSIZE(n, cap);
	return n;
}

/* Append one movement (room reserved by LedgerReserve) */
static void
LedgerPut(LedgerData *l, const CjMove *m)
{
	Size		rec = CJ_MOVE_SIZE(m->reflen);
	char	   *p = (char *) l + l->used;

	Assert(l->used + rec <= VARSIZE(l));
	memcpy(p, m, sizeof(CjMove));
	memset(p + sizeof(CjMove), 0, rec - sizeof(CjMove));
	memcpy(p + sizeof(CjMove), cj_move_ref(m), m->reflen);
	l->used += rec;
	l->count++;
}

/* Append one movement outside an aggregate (may return a copy) */
static LedgerData *
LedgerAppend(LedgerData *l, const CjMove *m)
{
	l = LedgerReserve(l, CJ_MOVE_SIZE(m->reflen));
	LedgerPut(l, m);
	return l;
}

/* A copy without spare room, for storage and output */
static LedgerData *
LedgerTrim(const LedgerData *l)
{
	LedgerData *n = palloc(l->used);

	memcpy(n, l, l->used);
	SET_VARSIZE(n, l->used);
	return n;
}

/* Pointers to the movements of a ledger, sorted by cj_move_cmp if asked */
static const CjMove **
LedgerMoves(const LedgerData *l, bool sorted)
{
	const CjMove **moves = palloc(sizeof(CjMove *) * Max(l->count, 1));
	const char *p = (const char *) l + LEDGER_HDRSZ;
	const char *end = (const char *) l + l->used;
	int			i;

	for (i = 0; i < l->count; i++)
	{
		const CjMove *m = (const CjMove *) p;

		if (p + sizeof(CjMove) > end || p + CJ_MOVE_SIZE(m->reflen) > end)
			elog(ERROR, "corrupt cj_points_ledger value");
		moves[i] = m;
		p += CJ_MOVE_SIZE(m->reflen);
	}
	if (sorted)
		qsort(moves, l->count, sizeof(CjMove *), cj_move_qsort_cmp);
	return moves;
}

/*
 * qsort adaptor of cj_move_cmp over pointers.  A member's ledger can hold
 * millions of movements, so the sort answers a cancel request every 64k
 * comparisons (qsort here is PostgreSQL's, which allocates nothing, so
 * leaving it by an error is safe).
 */
int
cj_move_qsort_cmp(const void *a, const void *b)
{
	static uint32 calls = 0;

	if ((++calls & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	return cj_move_cmp(*(const CjMove *const *) a, *(const CjMove *const *) b);
}

/* Header check of a received ledger (see common/state.h) */
static const char *
LedgerCheck(const void *state, Size size)
{
	const LedgerData *l = state;

	if (l->version != LEDGER_VERSION || l->flags != 0 || l->reserved != 0)
		return "The ledger has an unknown format version.";
	if (l->used < LEDGER_HDRSZ || (Size) l->used > size || l->count < 0 ||
		(Size) l->count > ((Size) l->used - LEDGER_HDRSZ) / sizeof(CjMove))
		return "The movement count and the bytes in use do not fit the size of the ledger.";
	return NULL;
}

static const CjStateType LedgerType = {"cj_points_ledger", LEDGER_HDRSZ, LedgerCheck};

static void LedgerCheckTotals(const LedgerData *l);

/* Detoasted, checked ledger argument */
static LedgerData *
LedgerArg(FunctionCallInfo fcinfo, int argno)
{
	return (LedgerData *) cj_state_arg(fcinfo, argno, &LedgerType);
}

/* Text input: movements separated by ';' */
Datum
cj_points_ledger_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	const char *p = s;
	LedgerData *l = LedgerNew();
	CjMove	   *m = palloc(sizeof(CjMove) + CJ_REF_MAX + 8);
	CjError		err = {0};

	do
	{
		if (!cj_move_parse(&p, m, &err))
		{
			cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_points_ledger", s, &err);
			PG_RETURN_NULL();
		}
		l = LedgerAppend(l, m);
		while (*p == ' ')
			p++;
	} while (*p == ';' && p++);
	if (*p != '\0')
	{
		cj_error_set(&err, CJ_ERR_SYNTAX, "Movements are separated by ';'.");
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_points_ledger", s, &err);
		PG_RETURN_NULL();
	}
	LedgerCheckTotals(l);
	PG_RETURN_POINTER(LedgerTrim(l));
}

/* Canonical text: the movements in replay order, separated by '; ' */
Datum
cj_points_ledger_out(PG_FUNCTION_ARGS)
{
	LedgerData *l = LedgerArg(fcinfo, 0);
	const CjMove **moves = LedgerMoves(l, true);
	StringInfoData buf;
	char	   *tmp = palloc(CJ_MOVE_TEXT_MAX);
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < l->count; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, "; ");
		appendBinaryStringInfo(&buf, tmp, cj_move_format(moves[i], tmp));
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: version, count, then each movement; all re-validated */
Datum
cj_points_ledger_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	LedgerData *l = LedgerNew();
	CjMove	   *m = palloc(sizeof(CjMove) + CJ_REF_MAX + 8);
	CjError		err = {0};
	int			n,
				i;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_points_ledger");
	n = pq_getmsgint(buf, 4);
	if (n < 1 || n > (buf->len - buf->cursor) / 34)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_points_ledger"),
				 errdetail("Movement count %d does not match the data.", n)));
	for (i = 0; i < n; i++)
	{
		memset(m, 0, sizeof(CjMove));
		m->kind = pq_getmsgbyte(buf);
		m->points = pq_getmsgint64(buf);
		m->occurred = pq_getmsgint64(buf);
		m->available = pq_getmsgint64(buf);
		m->expires = pq_getmsgint64(buf);
		m->reflen = pq_getmsgbyte(buf);
		pq_copymsgbytes(buf, (char *) (m + 1), m->reflen);
		if (memchr(m + 1, '\0', m->reflen) || !cj_move_validate(m, &err))
		{
			if (err.kind == CJ_OK)
				cj_error_set(&err, CJ_ERR_PARAM, "A ref cannot contain a zero byte.");
			cj_raise(&err, "invalid binary data for type cj_points_ledger");
		}
		l = LedgerAppend(l, m);
	}
	LedgerCheckTotals(l);
	PG_RETURN_POINTER(LedgerTrim(l));
}

/* Binary output */
Datum
cj_points_ledger_send(PG_FUNCTION_ARGS)
{
	LedgerData *l = LedgerArg(fcinfo, 0);
	/* replay order, as the text form: one binary form per value */
	const CjMove **moves = LedgerMoves(l, true);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint32(&buf, l->count);
	for (i = 0; i < l->count; i++)
	{
		pq_sendbyte(&buf, moves[i]->kind);
		pq_sendint64(&buf, moves[i]->points);
		pq_sendint64(&buf, moves[i]->occurred);
		pq_sendint64(&buf, moves[i]->available);
		pq_sendint64(&buf, moves[i]->expires);
		pq_sendbyte(&buf, moves[i]->reflen);
		pq_sendbytes(&buf, cj_move_ref(moves[i]), moves[i]->reflen);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Exact millionths of a points numeric */
static int64
PointsArg(Datum num)
{
	const char *s = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	CjError		err = {0};
	int64		v;

	if (!cj_dec_parse(&s, &v, &err) || *s != '\0')
	{
		if (err.kind == CJ_ERR_SYNTAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("points must be a finite number")));
		cj_raise(&err, "points amount cannot be held exactly");
	}
	return v;
}

/* Build a movement from the transition arguments (1-based after state) */
static void
MoveFromArgs(FunctionCallInfo fcinfo, CjMove *m)
{
	text	   *kind = PG_GETARG_TEXT_PP(1);
	int64		pts = PointsArg(PG_GETARG_DATUM(2));
	CjError		err = {0};

	memset(m, 0, sizeof(CjMove));
	if (!cj_move_kind(VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind), pts < 0, &m->kind))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown points movement kind \"%s\"", text_to_cstring(kind)),
				 errdetail("Valid kinds are: %s.", CJ_MOVE_KINDS)));
	if (pts < 0 && m->kind != CJ_MOVE_ADJUST_DOWN)
		pts = 0;				/* rejected below */
	m->points = pts < 0 ? -pts : pts;
	m->occurred = PG_GETARG_TIMESTAMPTZ(3);
	m->available = m->occurred;
	m->expires = CJ_TS_NEVER;
	if (cj_move_is_credit(m))
	{
		if (!PG_ARGISNULL(4) && PG_GETARG_TIMESTAMPTZ(4) != DT_NOEND)
			m->expires = PG_GETARG_TIMESTAMPTZ(4);
		if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
			m->available = PG_GETARG_TIMESTAMPTZ(5);
	}
	if (PG_NARGS() > 6 && !PG_ARGISNULL(6))
	{
		text	   *ref = PG_GETARG_TEXT_PP(6);
		Size		len = VARSIZE_ANY_EXHDR(ref);

		if (len > CJ_REF_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("points movement ref is too long"),
					 errdetail("A ref can have at most %d bytes.", CJ_REF_MAX)));
		m->reflen = (uint8) len;
		memcpy(m + 1, VARDATA_ANY(ref), len);
	}
	if (!cj_move_validate(m, &err))
		cj_raise(&err, "invalid points movement");
}

/*
 * Transition: append one movement.  Rows with a NULL kind, points or
 * occurred_at are ignored.
 */
Datum
cj_points_sfunc(PG_FUNCTION_ARGS)
{
	LedgerData *l;
	CjMove	   *m;

	(void) cj_agg_context(fcinfo, "cj_points_sfunc");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(LedgerArg(fcinfo, 0));
	}
	m = palloc(sizeof(CjMove) + CJ_REF_MAX + 8);
	MoveFromArgs(fcinfo, m);
	l = PG_ARGISNULL(0) ? LedgerNew() : LedgerArg(fcinfo, 0);
	l = LedgerAppend(l, m);
	pfree(m);
	PG_RETURN_POINTER(l);
}

/* Combine: concatenate movements (the final step sorts) */
Datum
cj_points_combine(PG_FUNCTION_ARGS)
{
	LedgerData *a,
			   *b;
	const CjMove **moves;
	int			i;

	(void) cj_agg_context(fcinfo, "cj_points_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(LedgerArg(fcinfo, 0));
	}
	b = LedgerArg(fcinfo, 1);
	a = PG_ARGISNULL(0) ? LedgerNew() : LedgerArg(fcinfo, 0);
	a = LedgerReserve(a, b->used - LEDGER_HDRSZ);
	moves = LedgerMoves(b, false);
	for (i = 0; i < b->count; i++)
		LedgerPut(a, moves[i]);
	pfree(moves);
	PG_RETURN_POINTER(a);
}

/* Final of cj_points_ledger: the state without its spare room */
Datum
cj_points_ledger_final(PG_FUNCTION_ARGS)
{
	LedgerData *l;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	l = LedgerArg(fcinfo, 0);
	LedgerCheckTotals(l);
	PG_RETURN_POINTER(LedgerTrim(l));
}

/* The movements of a ledger in replay order */
const CjMove **
cj_ledger_sorted_moves(Datum ledger, int *n)
{
	LedgerData *l = (LedgerData *) PG_DETOAST_DATUM(ledger);

	if (l->version != LEDGER_VERSION || l->used < LEDGER_HDRSZ ||
		(Size) l->used > VARSIZE(l))
		elog(ERROR, "corrupt cj_points_ledger value");
	*n = l->count;
	return LedgerMoves(l, true);
}

/*
 * Replay a ledger as of a time; lots and count returned when asked.  A
 * replay that fails raises its error with message what.
 */
static void
LedgerReplay(const LedgerData *l, TimestampTz as_of, CjPointsBalance *bal,
			 CjLot **lots, int *nlots, const char *what)
{
	const CjMove **moves;
	CjReplayWork w;
	CjError		err = {0};
	int			n = Max(l->count, 1);
	int			got;

	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite time")));
	moves = LedgerMoves(l, true);
	w.lots = palloc(sizeof(CjLot) * n);
	w.spend = palloc(sizeof(int32) * n);
	w.pend = palloc(sizeof(int32) * n);
	w.byref = palloc(sizeof(int32) * n);
	if (!cj_points_replay(moves, l->count, as_of, &w, &got, bal, &err))
		cj_raise(&err, what);
	pfree(w.spend);
	pfree(w.pend);
	pfree(w.byref);
	if (lots)
	{
		*lots = w.lots;
		*nlots = got;
	}
	else
		pfree(w.lots);
}

/* Replay a ledger datum as of a time (see LedgerReplay) */
void
cj_ledger_replay(Datum ledger, TimestampTz as_of, CjPointsBalance *bal,
				 CjLot **lots, int *nlots)
{
	LedgerReplay((LedgerData *) cj_state_datum(ledger, &LedgerType), as_of,
				 bal, lots, nlots, "cannot replay points ledger");
}

/*
 * Refuse a ledger whose replay would take a total past the range of
 * millionths (22003), so that every ledger the aggregate and the input
 * functions produce reads back through every function.  Each total a
 * replay keeps (balances, redeemed, expired, reversed, deducted, debt) is
 * at most the sum of the credits or the sum of the other movements, so
 * when both sums fit (any real ledger: one pass over the movements)
 * nothing can overflow; otherwise the ledger is replayed to the last
 * finite instant, which runs every step of every earlier replay.
 */
static void
LedgerCheckTotals(const LedgerData *l)
{
	const char *p = (const char *) l + LEDGER_HDRSZ;
	int64		credits = 0,
				debits = 0;
	bool		fits = true;
	int			i;
	CjPointsBalance bal;

	for (i = 0; i < l->count && fits; i++)
	{
		const CjMove *m = (const CjMove *) p;

		fits = cj_move_is_credit(m) ? cj_dec_add(credits, m->points, &credits)
			: cj_dec_add(debits, m->points, &debits);
		p += CJ_MOVE_SIZE(m->reflen);
	}
	if (!fits)
		LedgerReplay(l, END_TIMESTAMP - 1, &bal, NULL, NULL,
					 "points ledger totals are out of range");
}

/* The cj_points_balance composite of a replay */
static Datum
BalanceTuple(FunctionCallInfo fcinfo, const CjPointsBalance *b)
{
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {0};
	int64		amounts[7] = {b->available, b->pending, b->redeemed, b->expired,
	b->reversed, b->deducted, b->negative};
	int			i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	for (i = 0; i < 7; i++)
		values[i] = cj_millionths_numeric(amounts[i]);
	if (b->next_expiry_at == CJ_TS_NEVER)
		nulls[7] = nulls[8] = true;
	else
	{
		values[7] = TimestampTzGetDatum(b->next_expiry_at);
		values[8] = cj_millionths_numeric(b->next_expiry_points);
	}
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* Final of cj_points: balances as of the transaction's start time */
Datum
cj_points_final(PG_FUNCTION_ARGS)
{
	CjPointsBalance bal;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	cj_ledger_replay(PG_GETARG_DATUM(0), GetCurrentTransactionStartTimestamp(),
					 &bal, NULL, NULL);
	PG_RETURN_DATUM(BalanceTuple(fcinfo, &bal));
}

/* cj_points_balance(ledger, as_of) */
Datum
cj_points_balance(PG_FUNCTION_ARGS)
{
	CjPointsBalance bal;

	cj_ledger_replay(PG_GETARG_DATUM(0), PG_GETARG_TIMESTAMPTZ(1), &bal,
					 NULL, NULL);
	PG_RETURN_DATUM(BalanceTuple(fcinfo, &bal));
}
