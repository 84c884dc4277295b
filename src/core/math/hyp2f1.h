/*-------------------------------------------------------------------------
 *
 * hyp2f1.h
 *	  The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments,
 *	  in log space.
 *
 * Needed by the BTYD predictions: BG/NBD's E[X(t)] and P(X(t) = n)
 * (Fader, Hardie and Lee 2005, eq. 7 and 8), its conditional expectation
 * (eq. 10), Pareto/NBD's likelihood and expectations and the sBG's DEL.
 * Heavy buyers make the series terms overflow a double (a = r + x in the
 * hundreds or thousands), so the value is returned as log|F| with a sign.
 *
 * Domain: real a, b, c with c not a non-positive integer, and z < 1.
 * z in [0, 0.9]: direct series (term ratios, rescaled so partial sums never
 * overflow).  z in (0.9, 1): the 1 - z connection formula (Abramowitz and
 * Stegun 15.3.6) with sign-aware log-gammas; when c - a - b is within 1e-5
 * of an integer (where that formula cancels) the value is the mean of the
 * two evaluations at c -+ 1e-5, accurate to about 1e-9 relative.
 * z > 0 with |c-a| + |c-b| < |a| + |b|: Euler's transformation (A&S 15.3.3)
 * first, so heavy buyers' series converge at once.
 * z < 0: Pfaff's transformation (A&S 15.3.4) to z / (z - 1) in (0, 1).
 * A series that has not converged after CJ_HYP2F1_MAX_TERMS terms returns
 * NaN: callers treat NaN as "not computable".
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_HYP2F1_H
#define CJ_HYP2F1_H

#define CJ_HYP2F1_MAX_TERMS 200000

/*
 * log|2F1(a, b; c; z)|; *sign (may be NULL) receives the sign of F
 * (+1, -1, or 0 when F = 0, where the result is -inf).
 */
extern double cj_log_hyp2f1(double a, double b, double c, double z, int *sign);

/* 2F1(a, b; c; z) itself (may overflow to +-inf) */
extern double cj_hyp2f1(double a, double b, double c, double z);

/* log|Gamma(x)| for any real x that is not a non-positive integer */
extern double cj_lgamma_signed(double x, int *sign);

#endif							/* CJ_HYP2F1_H */
