/*-------------------------------------------------------------------------
 *
 * clv.h
 *	  The discounted expected purchases behind a customer lifetime value
 *	  (core/ltv/clv.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CLV_H
#define CJ_CLV_H

#include "core/ltv/family.h"

/* Upper bound on CLV periods (a century of months is 1200) */
#define CJ_CLV_MAX_PERIODS 100000

/*
 * sum_{i=1..periods} (E[X(iL) | v] - E[X((i-1)L) | v]) / (1 + d)^i under
 * purchase family f with parameters p, for period length L > 0 and rate
 * 0 <= d < 1 (the caller checks them).
 */
extern double cj_clv_discounted(const CjFamily *f, const double *p,
								const double *v, int periods, double len,
								double rate);

/*
 * For a family with conditional_part: the same sum divided by P(alive),
 * which depends on x and T only, so that callers can cache it by (x, T).
 */
extern double cj_clv_discounted_part(const CjFamily *f, const double *p,
									 double x, double T, int periods,
									 double len, double rate);

#endif							/* CJ_CLV_H */
