/*-------------------------------------------------------------------------
 *
 * gammainc.c
 *	  Regularized upper incomplete gamma function Q(a, x).
 *
 * With the prefactor f = x^a e^-x / Gamma(a) (computed in log space):
 *
 *   x < a + 1:  P(a, x) = f / a * sum_n x^n / ((a+1)...(a+n))
 *               (DLMF 8.7.1, a series of positive terms whose ratio
 *               x / (a+n) falls below 1), and Q = 1 - P; below a + 1, Q
 *               is at least 0.08 for a >= 0.5 (one degree of freedom and
 *               more), so the subtraction costs no relative precision
 *               there (for tiny a it would: Q ~ a E1(x));
 *   x >= a + 1: Q(a, x) = f / (x + 1 - a - K), the continued fraction of
 *               DLMF 8.9.2 in its even form, evaluated by the modified
 *               Lentz method (Press et al., Numerical Recipes, 3rd ed.,
 *               section 6.2), which converges in a few dozen terms there
 *               and keeps full relative precision however small Q is.
 *
 * Both loops are bounded (CJ_GAMMAINC_MAX_TERMS); a loop that does not
 * converge gives NaN, never a wrong value.
 *
 *-------------------------------------------------------------------------
 */
#include "core/math/gammainc.h"
#include "core/math/special.h"

#include <float.h>
#include <math.h>

#define CJ_GAMMAINC_MAX_TERMS 100000
#define CJ_GAMMAINC_EPS 1e-16

/* log of x^a e^-x / Gamma(a) */
static double
LogPrefactor(double a, double x)
{
	return a * log(x) - x - cj_lgamma(a);
}

/* P(a, x) by its series, for x < a + 1 */
static double
SeriesP(double a, double x)
{
	double		term = 1.0 / a,
				sum = term;
	int			n;

	for (n = 1; n < CJ_GAMMAINC_MAX_TERMS; n++)
	{
		term *= x / (a + n);
		sum += term;
		if (term < CJ_GAMMAINC_EPS * sum)
			return sum * exp(LogPrefactor(a, x));
	}
	return NAN;
}

/* Q(a, x) by its continued fraction (modified Lentz), for x >= a + 1 */
static double
FractionQ(double a, double x)
{
	double		tiny = DBL_MIN / DBL_EPSILON,
				b = x + 1.0 - a,
				c = 1.0 / tiny,
				d = 1.0 / b,
				h = d;
	int			n;

	for (n = 1; n < CJ_GAMMAINC_MAX_TERMS; n++)
	{
		double		an = -n * (n - a),
					delta;

		b += 2.0;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < CJ_GAMMAINC_EPS)
			return exp(LogPrefactor(a, x) + log(h));
	}
	return NAN;
}

/* Q(a, x) (see the header) */
double
cj_gamma_q(double a, double x)
{
	if (!(a > 0.0 && x >= 0.0) || isinf(a))
		return NAN;
	if (x == 0.0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	if (x < a + 1.0)
		return 1.0 - SeriesP(a, x);
	return FractionQ(a, x);
}

/* Chi-square upper tail (see the header) */
double
cj_chisq_sf(double x, double df)
{
	return cj_gamma_q(0.5 * df, 0.5 * x);
}
