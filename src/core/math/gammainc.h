/*-------------------------------------------------------------------------
 *
 * gammainc.h
 *	  The regularized incomplete gamma functions P(a, x) and Q(a, x), for
 *	  chi-square tail probabilities (likelihood-ratio tests).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_GAMMAINC_H
#define CJ_GAMMAINC_H

/*
 * Q(a, x) = Gamma(a, x) / Gamma(a), the upper tail, for a > 0, x >= 0;
 * for a >= 0.5 to about 1e-13 relative, also where it is tiny (below
 * a + 1 the result is 1 - P, so for a far below 0.5 a small Q loses
 * digits); NaN outside the domain or when a loop does not converge.
 */
extern double cj_gamma_q(double a, double x);

/* P(X > x) for X chi-square with df > 0 degrees of freedom: Q(df/2, x/2) */
extern double cj_chisq_sf(double x, double df);

#endif							/* CJ_GAMMAINC_H */
