/*-------------------------------------------------------------------------
 *
 * normal.h
 *	  The standard normal distribution: its quantile function.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_NORMAL_H
#define CJ_NORMAL_H

/*
 * z with P(Z <= z) = p for a standard normal Z, 0 < p < 1, to within a
 * few ulps; -inf / +inf at p = 0 / 1, NaN outside [0, 1].
 */
extern double cj_normal_quantile(double p);

#endif							/* CJ_NORMAL_H */
