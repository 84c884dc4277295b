/*-------------------------------------------------------------------------
 *
 * normal.c
 *	  Quantiles of the standard normal distribution, for confidence
 *	  intervals.
 *
 * A rational approximation (P. J. Acklam, "An algorithm for computing the
 * inverse normal cumulative distribution function", 2003; relative error
 * below 1.15e-9) in three regions, central |p - 0.5| <= 0.47575 and the
 * two tails in q = sqrt(-2 log p), followed by one step of Halley's
 * method on F(x) - p with F(x) = erfc(-x / sqrt 2) / 2 from the C
 * library, which brings the error to the rounding of the last operations
 * (Halley's method triples the number of correct digits).  In the lower
 * tail the step works on the tail probability itself, so quantiles of p
 * down to the smallest doubles keep their relative precision.
 *
 *-------------------------------------------------------------------------
 */
#include "core/math/normal.h"

#include <math.h>

static const double A[6] = {
	-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
	1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
};
static const double B[5] = {
	-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
	6.680131188771972e+01, -1.328068155288572e+01
};
static const double C[6] = {
	-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
	-2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
};
static const double D[4] = {
	7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
	3.754408661907416e+00
};

#define P_LOW 0.02425

/* Acklam's approximation of the lower-tail quantile (p <= 0.5) */
static double
Approx(double p)
{
	double		q,
				r;

	if (p < P_LOW)
	{
		q = sqrt(-2.0 * log(p));
		return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
			((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
	}
	q = p - 0.5;
	r = q * q;
	return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
		(((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0);
}

/* Quantile of the standard normal distribution */
double
cj_normal_quantile(double p)
{
	double		lo,
				x,
				e,
				u;

	if (!(p >= 0.0 && p <= 1.0))
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	if (p == 0.5)
		return 0.0;
	/* work in the lower tail: x(p) = -x(1 - p) */
	lo = p < 0.5 ? p : 1.0 - p;
	x = Approx(lo);
	/* Halley step on F(x) - lo, F the normal CDF */
	e = 0.5 * erfc(-x / M_SQRT2) - lo;
	u = e * sqrt(2.0 * M_PI) * exp(0.5 * x * x);
	x -= u / (1.0 + 0.5 * x * u);
	return p < 0.5 ? x : -x;
}
