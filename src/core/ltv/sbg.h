/*-------------------------------------------------------------------------
 *
 * sbg.h
 *	  The shifted-beta-geometric contractual model (Fader and Hardie 2007)
 *	  and its valuation measures (Fader and Hardie 2010).
 *
 * Time is counted in contract periods.  A customer who has made k
 * renewals and then churned (did not renew at the end of period k+1) has
 * lifetime T = k+1; one who has made k renewals and is still active has
 * T > k (right-censored).  The data tuple is (k, churned 1/0).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SBG_H
#define CJ_SBG_H

#include "core/ltv/family.h"

/* S(t) = P(T > t) = B(alpha, beta+t) / B(alpha, beta), t >= 0 */
extern double cj_sbg_survival(const double *p, double t);

/* r(t) = S(t)/S(t-1) = (beta+t-1) / (alpha+beta+t-1), t >= 1 */
extern double cj_sbg_retention(const double *p, double t);

/* P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta), t >= 1 */
extern double cj_sbg_churn_prob(const double *p, double t);

/*
 * Discounted expected lifetime sum_{t>=0} S(t) / (1+d)^t
 * = 2F1(1, beta; alpha+beta; 1/(1+d)), d >= 0 (infinite when d = 0 and
 * alpha <= 1).
 */
extern double cj_sbg_del(const double *p, double d);

/*
 * Discounted expected residual lifetime of a customer who has made n
 * renewals, just before the next renewal decision (Fader and Hardie 2010,
 * "Customer-base valuation in a contractual setting"): sum_{t>n} S(t)/S(n) / (1+d)^(t-n-1)
 * = (beta+n)/(alpha+beta+n) 2F1(1, beta+n+1; alpha+beta+n+1; 1/(1+d)).
 */
extern double cj_sbg_derl(const double *p, double n, double d);

#endif							/* CJ_SBG_H */
