/*-------------------------------------------------------------------------
 *
 * statement.h
 *	  Liability by month, shared by cj_points_liability and its aggregate
 *	  form (liability.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_LOYALTY_STATEMENT_H
#define CJ_LOYALTY_STATEMENT_H

#include "postgres.h"

#include "utils/date.h"
#include "utils/timestamp.h"

/*
 * A member's liability from as_of to as_of + horizon: n months from month
 * index first (year * 12 + month - 1, session time zone), pairs of
 * (expiring, outstanding) millionths per month, palloc'd.
 */
extern void cj_points_liability_months(Datum ledger, TimestampTz as_of,
									   Interval *horizon, int32 *first, int *n,
									   int64 **pairs);

/* First day of a month index */
extern DateADT cj_month_index_date(int32 idx);

#endif
