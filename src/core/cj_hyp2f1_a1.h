/*-------------------------------------------------------------------------
 *
 * cj_hyp2f1_a1.h
 *	  The Gauss hypergeometric function 2F1(1, b; c; z) with c > b > 0 and
 *	  0 <= z < 1, in log space, with its derivatives in b, c and z.
 *
 * This special case is what the Pareto/NBD likelihood needs after Euler's
 * transformation (see cj_pnbd.c), with the parameter derivatives its exact
 * gradient needs and a plain-value path for per-row scoring; the general
 * function (no derivatives) is cj_hyp2f1.h.
 * Its series has positive terms whose ratio (b+k) z / (c+k) is below z, so
 * it neither overflows nor cancels, whatever the size of b and c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_HYP2F1_A1_H
#define CJ_HYP2F1_A1_H

/* The most series terms summed before giving up (the result is then NaN) */
#define CJ_HYP2F1_A1_MAX_TERMS 2000000

/*
 * log 2F1(1, b; c; z) for c > b > 0, 0 <= z < 1; NaN outside that domain
 * or when the series needs more than CJ_HYP2F1_A1_MAX_TERMS terms (z within
 * about 1e-5 of 1).  When d is not NULL it receives d log F / d b, d log F / d c
 * and d log F / d z in d[0..2].
 */
extern double cj_log_hyp2f1_a1(double b, double c, double z, double *d);

/* 2F1(1, b; c; z) itself, same domain, no derivatives (fast path) */
extern double cj_hyp2f1_a1(double b, double c, double z);

#endif							/* CJ_HYP2F1_A1_H */
