/*-------------------------------------------------------------------------
 *
 * special.c
 *	  Log-gamma, log-beta, digamma, trigamma and log-sum-exp.
 *
 * The model likelihoods are sums of log-gamma and log-beta terms plus a
 * log of a sum of tiny or huge powers (BG/NBD's (alpha+T)^-(r+x) term is
 * 1e-3000 for heavy buyers), so everything is computed in log space and
 * combined with log-sum-exp.  Gradients with respect to log parameters need
 * digamma; Newton steps and standard errors need trigamma.
 *
 *-------------------------------------------------------------------------
 */
#include "core/math/special.h"

#include <math.h>

/*
 * log Gamma(x).  libm's lgamma is accurate to a few ulps for x > 0; it
 * also writes the global signgam, which is harmless here (x > 0 always).
 */
double
cj_lgamma(double x)
{
	return lgamma(x);
}

/* log Beta(a, b) */
double
cj_lbeta(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/*
 * digamma(x) for x > 0: using psi(x) = psi(x+1) - 1/x,
 * shift to >= 10, then the asymptotic series (Abramowitz and Stegun 6.3.18)
 *   psi(x) ~ ln x - 1/(2x) - sum B_2k / (2k x^2k).
 * Relative error near 1e-16 for x >= 10 with the terms kept here.
 */
double
cj_digamma(double x)
{
	double		acc = 0.0;
	double		inv,
				inv2;

	if (x <= 0.0)
		return NAN;
	while (x < 10.0)
	{
		acc -= 1.0 / x;
		x += 1.0;
	}
	inv = 1.0 / x;
	inv2 = inv * inv;
	return acc + log(x) - 0.5 * inv -
		inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 -
				inv2 * (1.0 / 240 - inv2 * (1.0 / 132 -
				inv2 * (691.0 / 32760))))));
}

/*
 * trigamma(x) for x > 0: psi'(x) = psi'(x+1) + 1/x^2 up to x >= 10, then
 * (A&S 6.4.12) psi'(x) ~ 1/x + 1/(2x^2) + sum B_2k / x^(2k+1).
 */
double
cj_trigamma(double x)
{
	double		acc = 0.0;
	double		inv,
				inv2;

	if (x <= 0.0)
		return NAN;
	while (x < 10.0)
	{
		acc += 1.0 / (x * x);
		x += 1.0;
	}
	inv = 1.0 / x;
	inv2 = inv * inv;
	return acc + inv + 0.5 * inv2 +
		inv * inv2 * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 * (1.0 / 42 -
				inv2 * (1.0 / 30 - inv2 * (5.0 / 66 -
				inv2 * (691.0 / 2730))))));
}

/* log(exp(a) + exp(b)) */
double
cj_logaddexp(double a, double b)
{
	double		hi = a > b ? a : b;
	double		lo = a > b ? b : a;

	if (isinf(hi) && hi < 0)
		return hi;
	return hi + log1p(exp(lo - hi));
}

/* log(exp(a) - exp(b)), a >= b */
double
cj_logsubexp(double a, double b)
{
	if (b >= a)
		return -INFINITY;
	if (isinf(b) && b < 0)
		return a;
	return a + log1p(-exp(b - a));
}

/* log(sum exp(v[i])) */
double
cj_logsumexp(const double *v, int n)
{
	double		hi = -INFINITY;
	double		s = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		if (v[i] > hi)
			hi = v[i];
	if (isinf(hi))
		return hi;
	for (i = 0; i < n; i++)
		s += exp(v[i] - hi);
	return hi + log(s);
}
