/*-------------------------------------------------------------------------
 *
 * bgbb.h
 *	  BG/BB for discrete opportunities (Fader, Hardie and Shang 2010).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_BGBB_H
#define CJ_BGBB_H

#include "core/ltv/family.h"

/*
 * The most opportunities n per customer: the likelihood sums n - t_x
 * terms, so this bounds the work per distinct history.
 */
#define CJ_BGBB_MAX_N 100000

/*
 * Log-likelihood of one customer (x, t_x, n) at p = (alpha, beta, gamma,
 * delta), with its gradient on log parameters when grad is not NULL.
 */
extern double cj_bgbb_loglik1(const double *p, const double *v, double *grad);

#endif							/* CJ_BGBB_H */
