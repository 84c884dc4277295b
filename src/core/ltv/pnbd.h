/*-------------------------------------------------------------------------
 *
 * pnbd.h
 *	  Pareto/NBD (Schmittlein, Morrison and Colombo 1987): the family and
 *	  the predictions that only it defines.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_PNBD_H
#define CJ_PNBD_H

#include "core/ltv/family.h"

/*
 * Log-likelihood of one customer (x, t_x, T) at p = (r, alpha, s, beta),
 * with its gradient on log parameters when grad is not NULL.
 */
extern double cj_pnbd_loglik1(const double *p, const double *v, double *grad);

/*
 * Discounted expected residual transactions at continuous discount rate
 * delta > 0 per time unit (Fader, Hardie and Lee 2005, "RFM and CLV").
 */
extern double cj_pnbd_dert(const double *p, const double *v, double delta);

#endif							/* CJ_PNBD_H */
