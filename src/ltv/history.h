/*-------------------------------------------------------------------------
 *
 * history.h
 *	  The cj_history SQL type: access macros and the helpers other parts of
 *	  custjourney (model fitting, scoring) call.
 *
 * A cj_history datum is a CjHistory (src/core/ltv/history.h) behind a
 * 4-byte varlena header.  Typical use from another C function:
 *
 *		CjHistory  *h = PG_GETARG_CJ_HISTORY_P(0);
 *		TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
 *		double		unit = cj_interval_seconds(PG_GETARG_INTERVAL_P(2), "unit", true);
 *		CjHistorySummary s;
 *
 *		cj_history_summary(h, as_of, unit, &s);
 *		... s.x, s.t_x, s.T, s.m ...
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_HISTORY_GLUE_H
#define CJ_HISTORY_GLUE_H

#include "common/util.h"
#include "core/ltv/family.h"
#include "core/ltv/history.h"

#define DatumGetCjHistoryP(X)		((CjHistory *) PG_DETOAST_DATUM(X))
#define PG_GETARG_CJ_HISTORY_P(n)	DatumGetCjHistoryP(PG_GETARG_DATUM(n))
#define PG_RETURN_CJ_HISTORY_P(x)	PG_RETURN_POINTER(x)

/* Type name used in messages */
#define CJ_HISTORY_TYPNAME "cj_history"

/*
 * palloc a history with room for capacity days in the current memory
 * context, with its varlena header set (contents uninitialised).
 */
extern CjHistory *cj_history_alloc(int32 capacity);

/* t as int64 microseconds; 22023 "<what> must be finite" for +-infinity */
extern int64 cj_history_finite_instant(TimestampTz t, const char *what);

/*
 * The BTYD inputs of a history as of an instant: x (repeat purchase
 * days), t_x and T (day resolution: the UTC day of as_of) in units of
 * unit_seconds (the one representation of a time unit in this code: seconds,
 * > 0; SQL interval arguments are converted once, at the boundary), and m, the mean spend
 * of the repeat days (0 when x = 0).  Raises 22023 when as_of is before
 * the last purchase day (the history must be built over the calibration
 * period only, e.g. with FILTER (WHERE occurred_at <= as_of)) and for a
 * bad unit.
 */
extern void cj_history_summary(const CjHistory *h, TimestampTz as_of,
							   double unit_seconds, CjHistorySummary *out);

/*
 * The data tuple a model family fits and scores for a summary: (x, m) for
 * a spend family, (x, t_x, T) for a purchase family with such data; 0A000
 * for a family whose data histories cannot give (BG/BB, sBG).
 */
extern void cj_history_model_tuple(const CjFamily *f,
								   const CjHistorySummary *s, double *v);

#endif							/* CJ_HISTORY_GLUE_H */
