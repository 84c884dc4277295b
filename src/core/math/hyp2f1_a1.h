/*-------------------------------------------------------------------------
 *
 * hyp2f1_a1.h
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

/*
 * Coefficients of the series of one (b, c) shared by many z: 1 / (c+k)
 * and the running sums of 1 / (b+j) and 1 / (c+j), filled as terms are
 * first needed (up to CJ_HYP2F1_A1_TAB of them).  A likelihood evaluates
 * the function at many times t for the same parameters and x, so the
 * series then runs without divisions.  Reset it when (b, c) change.
 */
#define CJ_HYP2F1_A1_TAB 256

typedef struct CjHyp2f1Tab
{
	double		b;
	double		c;
	int			n;				/* terms filled */
	double		ick[CJ_HYP2F1_A1_TAB];
	double		hb[CJ_HYP2F1_A1_TAB];
	double		hc[CJ_HYP2F1_A1_TAB];
} CjHyp2f1Tab;

extern void cj_hyp2f1_a1_tab_reset(CjHyp2f1Tab *tab, double b, double c);

/* cj_log_hyp2f1_a1(tab->b, tab->c, z, d), the same to the last bit */
extern double cj_log_hyp2f1_a1_tab(CjHyp2f1Tab *tab, double z, double *d);

/* 2F1(1, b; c; z) itself, same domain, no derivatives (fast path) */
extern double cj_hyp2f1_a1(double b, double c, double z);

/*
 * 2F1(1, b; c; z1) and 2F1(1, b; c; z2) together, as two calls of
 * cj_hyp2f1_a1 would give them but about twice as fast (P(alive) needs the
 * function at t_x and at T); both NaN outside the domain or past the term
 * limit.
 */
extern void cj_hyp2f1_a1_pair(double b, double c, double z1, double z2,
							  double *f1, double *f2);

#endif							/* CJ_HYP2F1_A1_H */
