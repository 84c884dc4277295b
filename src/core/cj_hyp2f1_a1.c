/*-------------------------------------------------------------------------
 *
 * cj_hyp2f1_a1.c
 *	  2F1(1, b; c; z) = sum_k (b)_k / (c)_k z^k and its parameter
 *	  derivatives, summed in one pass.
 *
 * With term T_k = prod_{j<k} (b+j) z / (c+j):
 *   d T_k / d b = T_k sum_{j<k} 1 / (b+j)
 *   d T_k / d c = -T_k sum_{j<k} 1 / (c+j)
 *   d T_k / d z = k T_k / z
 * so the derivatives are series of the same terms weighted by running
 * harmonic-like sums.  For c > b the ratio T_{k+1}/T_k < z, every term is
 * at most 1 and the sum is at most 1 / (1 - z): no overflow, no
 * cancellation.  The tail after term k is below T_k z / (1 - z) (times a
 * factor k for the weighted sums), which gives the stopping rule.
 *
 *-------------------------------------------------------------------------
 */
#include "cj_hyp2f1_a1.h"
#include "cj_core.h"

#include <math.h>

/* log 2F1(1, b; c; z) with optional derivatives (see the header) */
double
cj_log_hyp2f1_a1(double b, double c, double z, double *d)
{
	double		t = 1.0,
				s = 1.0,
				sb = 0.0,
				sc = 0.0,
				sz = 0.0,
				hb = 0.0,
				hc = 0.0;
	double		q = 1.0 - z,
				need = d ? 1e-16 : 1e-17;
	long		k;

	if (!(c > b && b > 0.0 && z >= 0.0 && z < 1.0))
		return NAN;
	for (k = 0; k < CJ_HYP2F1_A1_MAX_TERMS; k++)
	{
		double		bk = b + k,
					ick = 1.0 / (c + k);

		hb += 1.0 / bk;
		hc += ick;
		t *= bk * z * ick;
		s += t;
		sb += t * hb;
		sc += t * hc;
		sz += (k + 1) * t;
		if (t < 1e-17 * s)
		{
			/* geometric tail bound, or the k^-(c-b) bound when z ~ 1 */
			double		tail = t * z / q;
			double		alg = t * (k + 1) / (c - b - 1.0);

			if (c - b > 1.0 && alg < tail)
				tail = alg;
			/* the weighted sums' tails are larger by about k + hb + hc */
			if (d)
				tail *= (k + 2) * (1.0 + hb + hc);
			if (tail < need * s)
				break;
		}
		if (t == 0.0)
			break;
		if ((k & 0xffff) == 0xffff)
			cj_check_interrupts();
	}
	if (k >= CJ_HYP2F1_A1_MAX_TERMS)
		return NAN;
	if (d)
	{
		d[0] = sb / s;
		d[1] = -sc / s;
		d[2] = (z > 0.0) ? sz / (z * s) : b / c;
	}
	return log(s);
}

/* 2F1(1, b; c; z) without derivatives (see the header) */
double
cj_hyp2f1_a1(double b, double c, double z)
{
	double		t = 1.0,
				s = 1.0,
				q = 1.0 - z;
	long		k;

	if (!(c > b && b > 0.0 && z >= 0.0 && z < 1.0))
		return NAN;
	for (k = 0; k < CJ_HYP2F1_A1_MAX_TERMS; k++)
	{
		t *= (b + k) * z / (c + k);
		s += t;
		if (t < 1e-17 * s && t * z < 1e-17 * q * s)
			return s;
		if ((k & 0xffff) == 0xffff)
			cj_check_interrupts();
	}
	return NAN;
}
