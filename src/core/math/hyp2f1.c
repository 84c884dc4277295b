/*-------------------------------------------------------------------------
 *
 * hyp2f1.c
 *	  Gauss hypergeometric 2F1 for real arguments, in log space.
 *
 * See cj_hyp2f1.h for the domain and the method.  The series
 *   F = sum_n (a)_n (b)_n / ((c)_n n!) z^n
 * is summed with the term ratio (a+n)(b+n) z / ((c+n)(n+1)); the running
 * term and sum are rescaled by 2^-600 whenever they pass 2^600, the scale
 * being carried in a separate log so that (a)_n (b)_n / (c)_n can exceed
 * the double range (Pareto/NBD heavy buyers).
 *
 *-------------------------------------------------------------------------
 */
#include "core/math/hyp2f1.h"

#include <math.h>

#include "core/common/core.h"
#include "core/math/special.h"

#define SERIES_Z_MAX 0.9
#define NEAR_INT 1e-5

/* log|Gamma(x)| with sign, via reflection for x < 0 */
double
cj_lgamma_signed(double x, int *sign)
{
	if (x > 0.0)
	{
		*sign = 1;
		return cj_lgamma(x);
	}
	if (x == floor(x))
	{
		*sign = 0;
		return INFINITY;
	}
	{
		double		s = sin(M_PI * x);

		*sign = s > 0 ? 1 : -1;
		return log(M_PI) - log(fabs(s)) - cj_lgamma(1.0 - x);
	}
}

/* Direct series for |z| < 1: log|F| and sign */
static double
Series(double a, double b, double c, double z, int *sign)
{
	double		term = 1.0,
				sum = 1.0,
				logscale = 0.0;
	const double big = 0x1.0p600;
	int			n;

	for (n = 0; n < CJ_HYP2F1_MAX_TERMS; n++)
	{
		term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
		sum += term;
		if (fabs(sum) > big || fabs(term) > big)
		{
			sum /= big;
			term /= big;
			logscale += 600.0 * M_LN2;
		}
		if (term == 0.0 ||
			(fabs(term) <= 1e-17 * fabs(sum) &&
			 fabs((a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2.0)) * z) < 1.0))
			break;
		if ((n & 4095) == 4095)
			cj_check_interrupts();
	}
	if (n == CJ_HYP2F1_MAX_TERMS)
	{
		*sign = 0;
		return NAN;
	}
	*sign = sum > 0 ? 1 : (sum < 0 ? -1 : 0);
	return log(fabs(sum)) + logscale;
}

/*
 * One side of the 1 - z connection formula (A&S 15.3.6):
 * F(a,b;c;z) = G1 F(a,b;a+b-c+1;1-z) + (1-z)^(c-a-b) G2 F(c-a,c-b;c-a-b+1;1-z)
 * G1 = Gamma(c) Gamma(c-a-b) / (Gamma(c-a) Gamma(c-b)),
 * G2 = Gamma(c) Gamma(a+b-c) / (Gamma(a) Gamma(b)).
 */
static double
Connection(double a, double b, double c, double z, int *sign)
{
	double		w = 1.0 - z,
				l1,
				l2,
				s1f,
				s2f;
	int			sg[4],
				sa,
				sb,
				s1,
				s2;
	double		lg_c = cj_lgamma_signed(c, &sg[0]);

	l1 = lg_c + cj_lgamma_signed(c - a - b, &sg[1]) -
		cj_lgamma_signed(c - a, &sg[2]) - cj_lgamma_signed(c - b, &sg[3]);
	s1 = sg[0] * sg[1] * sg[2] * sg[3];
	l1 += Series(a, b, a + b - c + 1.0, w, &sa);
	s1 *= sa;
	l2 = lg_c + cj_lgamma_signed(a + b - c, &sg[1]) -
		cj_lgamma_signed(a, &sg[2]) - cj_lgamma_signed(b, &sg[3]);
	s2 = sg[0] * sg[1] * sg[2] * sg[3];
	l2 += (c - a - b) * log(w) + Series(c - a, c - b, c - a - b + 1.0, w, &sb);
	s2 *= sb;
	/* terms with a zero gamma in the denominator vanish */
	if (s1 == 0 || isnan(l1))
		l1 = -INFINITY;
	if (s2 == 0 || isnan(l2))
		l2 = -INFINITY;
	s1f = s1 ? s1 : 1;
	s2f = s2 ? s2 : 1;
	if (s1f == s2f)
	{
		*sign = (int) s1f;
		return cj_logaddexp(l1, l2);
	}
	if (l1 >= l2)
	{
		*sign = (int) s1f;
		return cj_logsubexp(l1, l2);
	}
	*sign = (int) s2f;
	return cj_logsubexp(l2, l1);
}

/* log|2F1(a,b;c;z)| for 0 <= z < 1 */
static double
LogHypPositive(double a, double b, double c, double z, int *sign)
{
	double		m,
				lo,
				hi;
	int			slo,
				shi;

	if (z <= SERIES_Z_MAX)
		return Series(a, b, c, z, sign);
	m = c - a - b;
	if (fabs(m - nearbyint(m)) > NEAR_INT &&
		fabs(c - a - nearbyint(c - a)) > NEAR_INT &&
		fabs(c - b - nearbyint(c - b)) > NEAR_INT)
		return Connection(a, b, c, z, sign);
	/* near-integer gamma arguments: average the evaluations at c -+ d */
	lo = Connection(a, b, c - 2 * NEAR_INT, z, &slo);
	hi = Connection(a, b, c + 2 * NEAR_INT, z, &shi);
	if (slo == shi && slo != 0)
	{
		*sign = slo;
		return cj_logaddexp(lo, hi) - M_LN2;
	}
	return Series(a, b, c, z, sign);
}

/* log|2F1(a, b; c; z)| with sign */
double
cj_log_hyp2f1(double a, double b, double c, double z, int *sign)
{
	int			s;
	double		r;

	if (!sign)
		sign = &s;
	if (!(z < 1.0) || isnan(a) || isnan(b) || isnan(c) ||
		(c <= 0.0 && c == floor(c)))
	{
		*sign = 0;
		return NAN;
	}
	if (z == 0.0 || a == 0.0 || b == 0.0)
	{
		*sign = 1;
		return 0.0;
	}
	if (z > 0.0)
	{
		/*
		 * Euler: F(a,b;c;z) = (1-z)^(c-a-b) F(c-a, c-b; c; z).  When a and b
		 * are large and close to c (BG/NBD's conditional expectation for
		 * heavy buyers: a = r+x, b = b+x, c = a+b+x-1) the transformed series
		 * has small numerator parameters and converges at once.
		 */
		if (fabs(c - a) + fabs(c - b) < fabs(a) + fabs(b))
			return LogHypPositive(c - a, c - b, c, z, sign) +
				(c - a - b) * log1p(-z);
		return LogHypPositive(a, b, c, z, sign);
	}
	/* Pfaff: F(a,b;c;z) = (1-z)^(-a) F(a, c-b; c; z/(z-1)) */
	r = LogHypPositive(a, c - b, c, z / (z - 1.0), sign);
	return r - a * log1p(-z);
}

/* 2F1 itself */
double
cj_hyp2f1(double a, double b, double c, double z)
{
	int			sign;
	double		l = cj_log_hyp2f1(a, b, c, z, &sign);

	if (isnan(l))
		return NAN;
	return sign * exp(l);
}
