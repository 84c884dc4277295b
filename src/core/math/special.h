/*-------------------------------------------------------------------------
 *
 * special.h
 *	  Special functions for the models, all in log space where it matters.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SPECIAL_H
#define CJ_SPECIAL_H

/* log Gamma(x) for x > 0 */
extern double cj_lgamma(double x);

/* log Gamma(a+k) - log Gamma(a), a > 0, a + k > 0, precise for large a */
extern double cj_lgamma_ratio(double a, double k);

/* log Beta(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), a, b > 0 */
extern double cj_lbeta(double a, double b);

/* log[B(a+c, b+d) / B(a, b)], a, b, a+c, b+d > 0 */
extern double cj_lbeta_ratio(double a, double b, double c, double d);

/* digamma psi(x) = d/dx log Gamma(x), x > 0 */
extern double cj_digamma(double x);

/* psi(a+k) - psi(a) without cancellation when a is large */
extern double cj_digamma_diff(double a, double k);

/* trigamma psi'(x), x > 0 */
extern double cj_trigamma(double x);

/* log(exp(a) + exp(b)) without overflow; -inf inputs allowed */
extern double cj_logaddexp(double a, double b);

/* log(exp(a) - exp(b)) for a >= b; -inf when equal */
extern double cj_logsubexp(double a, double b);

/* log(sum exp(v[i])) over n values */
extern double cj_logsumexp(const double *v, int n);

#endif							/* CJ_SPECIAL_H */
