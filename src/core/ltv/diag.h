/*-------------------------------------------------------------------------
 *
 * diag.h
 *	  Model diagnostics: the calibration/holdout check by frequency and the
 *	  cohort tracking series, as plain data with their text parsers.
 *
 * Holdout check (Fader, Hardie and Lee 2005, figure 5): customers grouped
 * by calibration frequency x into buckets 0, 1, ..., k-1 and "k+"; each
 * bucket sums the number of customers, the actual holdout purchases and
 * the model's conditional expectation E[X(T, T+t*) | x, t_x, T].
 * Text form, one entry per bucket in order, the last labelled "k+":
 *
 *   0:1411/123/98.53 1:439/... 6:31/.../... 7+:76/812/790.25
 *
 *   label:customers/actual_total/expected_total
 *
 * Tracking: the expected cumulative repeat purchases of a cohort at the end
 * of each calendar period, sum_i E[X(end_j - s_i)] over customers i with
 * first purchase s_i (a customer contributes 0 before its first purchase).
 * Text form (times in microseconds since 2000-01-01 00:00 UTC, the
 * PostgreSQL epoch, so that the value is exact and independent of the
 * session's time zone):
 *
 *   start=-94608000000000 length=604800000000 customers=2357
 *       {0.125,0.75,...}        (one cumulative total per period)
 *
 * Size caps: CJ_HOLDOUT_MAX_FREQ buckets, CJ_TRACKING_MAX_PERIODS periods.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_DIAG_H
#define CJ_DIAG_H

#include "core/common/core.h"

#define CJ_HOLDOUT_MAX_FREQ		1000	/* largest k (buckets 0..k-1, k+) */
#define CJ_TRACKING_MAX_PERIODS 10000	/* most periods of a tracking series */

/* One frequency bucket of the holdout check */
typedef struct CjHoldoutBucket
{
	int64_t		customers;
	double		actual;			/* sum of actual holdout purchases */
	double		expected;		/* sum of conditional expectations */
} CjHoldoutBucket;

/* The bucket (0..k) of calibration frequency x >= 0 with k buckets + "k+" */
extern int	cj_holdout_bucket(double x, int k);

/*
 * Validate one bucket: customers >= 0, sums finite and >= 0, both sums 0
 * when there are no customers.  false with err.
 */
extern bool cj_holdout_bucket_check(const CjHoldoutBucket *b, CjError *err);

/*
 * Parse the holdout text form into b (room for CJ_HOLDOUT_MAX_FREQ + 1
 * buckets); *k receives the "k+" label.  false with err.
 */
extern bool cj_holdout_parse(const char *s, CjHoldoutBucket *b, int *k,
							 CjError *err);

/* Header of a tracking series */
typedef struct CjTrackingHead
{
	int64_t		start;			/* PostgreSQL timestamp (microseconds) */
	int64_t		length;			/* microseconds per period, > 0 */
	int64_t		customers;		/* customers summed, >= 0 */
	int32_t		periods;		/* 1 .. CJ_TRACKING_MAX_PERIODS */
} CjTrackingHead;

/* Validate a header (ranges, and that the last period end fits) */
extern bool cj_tracking_head_check(const CjTrackingHead *h, CjError *err);

/*
 * Validate the cumulative series of h's periods: finite, >= 0,
 * non-decreasing (up to rounding) and all zero without customers.  false
 * with err.
 */
extern bool cj_tracking_series_check(const CjTrackingHead *h,
									 const double *cum, CjError *err);

/*
 * Parse the tracking text form; cum has room for CJ_TRACKING_MAX_PERIODS
 * values.  false with err.
 */
extern bool cj_tracking_parse(const char *s, CjTrackingHead *h, double *cum,
							  CjError *err);

/*
 * Order-independent sums.  Both aggregates add their floating-point totals
 * in double-double arithmetic (Knuth's TwoSum, as cj_credits_sum does):
 * each total is a pair (hi, lo) with hi = round(hi + lo), so the rounded
 * total is the correctly rounded exact sum except in pathological
 * cancellations, whatever the order and grouping of the rows (serial,
 * parallel, partitioned, hash-spilled, Citus).  A non-zero lo part is
 * written after its total with its sign, as cj_credits_acc does:
 * 0:3/1.5/0.7-2.7e-17.
 */

/* (hi, lo) += (hi2, lo2); false, changing nothing, when the sum overflows */
extern bool cj_dd_add(double *hi, double *lo, double hi2, double lo2);

/* A valid pair: both finite and hi + lo == hi (normalised) */
extern bool cj_dd_valid(double hi, double lo);

/* Low-order parts of a holdout bucket's totals */
typedef struct CjHoldoutComp
{
	double		actual;
	double		expected;
} CjHoldoutComp;

/*
 * cj_holdout_parse also reading the "+lo" parts into lo (room for
 * CJ_HOLDOUT_MAX_FREQ + 1; zero where absent).
 */
extern bool cj_holdout_parse_comp(const char *s, CjHoldoutBucket *b,
								  CjHoldoutComp *lo, int *k, CjError *err);

/* cj_tracking_parse also reading the "+lo" parts into lo (zero where absent) */
extern bool cj_tracking_parse_comp(const char *s, CjTrackingHead *h,
								   double *cum, double *lo, CjError *err);

#endif							/* CJ_DIAG_H */
