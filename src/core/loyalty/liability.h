/*-------------------------------------------------------------------------
 *
 * liability.h
 *	  The points liability of a program by month: text form of the
 *	  cj_liability value (the state and result of the aggregate form of
 *	  cj_points_liability).
 *
 * Text: '2024-01: 0/100; 2024-02: 30/70' -- consecutive months, each with
 * the points expiring in it and the points outstanding at its end, exact
 * decimals (millionths, cj_decimal.h), not negative.  Months are held as
 * indexes year * 12 + month - 1.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_LOYALTY_LIABILITY_H
#define CJ_CORE_LOYALTY_LIABILITY_H

#include "core/common/core.h"

#define CJ_LIAB_MAX_MONTHS	1200
#define CJ_LIAB_MIN_INDEX	(1 * 12)		/* January of year 1 */
#define CJ_LIAB_MAX_INDEX	(9999 * 12 + 11)	/* December of 9999 */

/* Longest text */
#define CJ_LIAB_TEXT_MAX (CJ_LIAB_MAX_MONTHS * 72 + 16)

/*
 * Parse; pairs has room for 2 * CJ_LIAB_MAX_MONTHS values (expiring,
 * outstanding per month).
 */
extern bool cj_liability_parse(const char *s, int32_t *first, int *n,
							   int64_t *pairs, CjError *err);

/* Validate (binary input) */
extern bool cj_liability_validate(int32_t first, int n, const int64_t *pairs,
								  CjError *err);

/* Canonical text; returns its length */
extern size_t cj_liability_format(int32_t first, int n, const int64_t *pairs,
								  char *buf);

#endif
