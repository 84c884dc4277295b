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

/*
 * Stirling's remainder S(x) = log Gamma(x) - [(x - 1/2) log x - x +
 * log(2 pi)/2] for x >= CJ_STIRLING_MIN, by its asymptotic series
 * (Abramowitz and Stegun 6.1.41)
 *   S(x) ~ 1/(12x) - 1/(360x^3) + 1/(1260x^5) - 1/(1680x^7) + 1/(1188x^9),
 * whose next term, 691/(360360 x^11), is below 1e-16 at x = 16.
 */
#define CJ_STIRLING_MIN 16.0

static double
StirlingRemainder(double x)
{
	double		r = 1.0 / x,
				r2 = r * r;

	return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 *
													(1.0 / 1680 - r2 / 1188))));
}

/*
 * log Gamma(a+k) - log Gamma(a) (the log of the rising factorial (a)_k),
 * a > 0, a + k > 0.  The plain difference of log-gammas of arguments near
 * 1e5 loses the rounding of two values near 1e6, about 2e-10 absolute,
 * which is a relative error of the probabilities built from it (the
 * window PMF at a posterior r + x of 1e5).  For a, a+k >= 16 the Stirling
 * forms are subtracted analytically instead:
 *   (a - 1/2) log1p(k/a) + k log(a+k) - k + S(a+k) - S(a),
 * every term of which is as precise as the result.  Below that both
 * log-gammas are small and the plain difference is as precise.
 */
double
cj_lgamma_ratio(double a, double k)
{
	if (k == 0.0)
		return 0.0;
	if (a < CJ_STIRLING_MIN || a + k < CJ_STIRLING_MIN || !isfinite(k))
		return lgamma(a + k) - lgamma(a);
	return (a - 0.5) * log1p(k / a) + k * log(a + k) - k +
		(StirlingRemainder(a + k) - StirlingRemainder(a));
}

/*
 * log Beta(a, b).  With b the larger, lgamma(a) - [lgamma(a+b) - lgamma(b)]
 * through cj_lgamma_ratio, so a small a against a large b keeps its
 * digits; when both are below CJ_STIRLING_MIN the plain sum (the same
 * bits as before).
 */
double
cj_lbeta(double a, double b)
{
	if (a > b)
	{
		double		tmp = a;

		a = b;
		b = tmp;
	}
	if (b < CJ_STIRLING_MIN)
		return lgamma(a) + lgamma(b) - lgamma(a + b);
	return lgamma(a) - cj_lgamma_ratio(b, a);
}

/*
 * log[B(a+c, b+d) / B(a, b)] = ratio(a, c) + ratio(b, d) - ratio(a+b, c+d)
 * (the moves of a beta posterior), without the cancellation of two log
 * betas of large arguments.
 */
double
cj_lbeta_ratio(double a, double b, double c, double d)
{
	return cj_lgamma_ratio(a, c) + cj_lgamma_ratio(b, d) -
		cj_lgamma_ratio(a + b, c + d);
}

/* ln x - psi(x) for x >= 10: the asymptotic series' terms after ln x */
static double
DigammaTail(double x)
{
	double		inv = 1.0 / x,
				inv2 = inv * inv;

	return 0.5 * inv +
		inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 -
				inv2 * (1.0 / 240 - inv2 * (1.0 / 132 -
				inv2 * (691.0 / 32760))))));
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

	if (x <= 0.0)
		return NAN;
	while (x < 10.0)
	{
		acc -= 1.0 / x;
		x += 1.0;
	}
	return acc + log(x) - DigammaTail(x);
}

/*
 * psi(a+k) - psi(a), a > 0, a + k > 0.  For a, a + k >= 10 the series of
 * cj_digamma subtracted analytically, log1p(k/a) - [T(a+k) - T(a)], so a
 * small difference of two large digammas keeps its digits (the
 * Gamma-Gamma gradient at p x = 1e12, where the plain difference was
 * rounding noise); below that the plain difference, which is as precise.
 */
double
cj_digamma_diff(double a, double k)
{
	if (k == 0.0)
		return 0.0;
	if (a < 10.0 || a + k < 10.0)
		return cj_digamma(a + k) - cj_digamma(a);
	return log1p(k / a) - (DigammaTail(a + k) - DigammaTail(a));
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
