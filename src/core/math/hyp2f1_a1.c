/*-------------------------------------------------------------------------
 *
 * hyp2f1_a1.c
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
#include "core/math/hyp2f1_a1.h"
#include "core/common/core.h"

#include <math.h>

/* Forget tab's terms and key it to (b, c) (see the header) */
void
cj_hyp2f1_a1_tab_reset(CjHyp2f1Tab *tab, double b, double c)
{
	tab->b = b;
	tab->c = c;
	tab->n = 0;
}

/*
 * log 2F1(1, b; c; z) with optional derivatives, taking 1 / (c+k) and the
 * running sums of 1 / (b+j) and 1 / (c+j) from tab where it has them and
 * filling it as terms are computed (tab may be NULL).  The arithmetic is
 * the same either way, so the result does not depend on the table.
 */
static double
LogHyp2f1A1(double b, double c, double z, double *d, CjHyp2f1Tab *tab)
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
					ick;

		if (tab && k < tab->n)
		{
			ick = tab->ick[k];
			hb = tab->hb[k];
			hc = tab->hc[k];
		}
		else
		{
			ick = 1.0 / (c + k);
			hb += 1.0 / bk;
			hc += ick;
			if (tab && k == tab->n && k < CJ_HYP2F1_A1_TAB)
			{
				tab->ick[k] = ick;
				tab->hb[k] = hb;
				tab->hc[k] = hc;
				tab->n++;
			}
		}
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

/* log 2F1(1, b; c; z) with optional derivatives (see the header) */
double
cj_log_hyp2f1_a1(double b, double c, double z, double *d)
{
	return LogHyp2f1A1(b, c, z, d, NULL);
}

/* The same with tab's coefficients (see the header) */
double
cj_log_hyp2f1_a1_tab(CjHyp2f1Tab *tab, double z, double *d)
{
	return LogHyp2f1A1(tab->b, tab->c, z, d, tab);
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

/*
 * 2F1(1, b; c; z1) and 2F1(1, b; c; z2) in one pass (see the header).
 * The term ratios (b+k) z / (c+k) share (b+k) / (c+k), and two steps share
 * one division:
 *   1 / ((c+k)(c+k+1)) gives (b+k)/(c+k) and (b+k+1)/(c+k+1),
 * so the pair costs half a division per term instead of two.  Each series
 * advances two terms per step, the second straight from the first of the
 * step (T_{k+2} = T_k P_k with P_k computed off that chain), so the
 * running products are short independent chains the processor overlaps.
 * The stopping rule is that of cj_hyp2f1_a1, tested every second term for
 * both series at once.  Beyond c = 1e100, (c+k)(c+k+1) could overflow:
 * the pair then falls back to two single series.
 */
void
cj_hyp2f1_a1_pair(double b, double c, double z1, double z2, double *f1,
				  double *f2)
{
	double		t1 = 1.0,
				t2 = 1.0,
				s1 = 1.0,
				s2 = 1.0,
				e1 = 1e-17 * (1.0 - z1),
				e2 = 1e-17 * (1.0 - z2);
	long		k;

	*f1 = *f2 = NAN;
	if (!(c > b && b > 0.0 && z1 >= 0.0 && z1 < 1.0 && z2 >= 0.0 && z2 < 1.0))
		return;
	if (c > 1e100)
	{
		*f1 = cj_hyp2f1_a1(b, c, z1);
		*f2 = cj_hyp2f1_a1(b, c, z2);
		return;
	}
	for (k = 0; k < CJ_HYP2F1_A1_MAX_TERMS; k += 2)
	{
		double		bk = b + k,
					ck = c + k,
					inv = 1.0 / (ck * (ck + 1.0)),
					r0 = bk * (ck + 1.0) * inv,
					r1 = (bk + 1.0) * ck * inv,
					a1 = r0 * z1,
					a2 = r0 * z2,
					u1 = t1 * a1,
					u2 = t2 * a2;

		t1 *= a1 * (r1 * z1);
		t2 *= a2 * (r1 * z2);
		s1 += u1 + t1;
		s2 += u2 + t2;
		if ((t1 < 1e-17 * s1) & (t1 * z1 < e1 * s1) &
			(t2 < 1e-17 * s2) & (t2 * z2 < e2 * s2))
		{
			*f1 = s1;
			*f2 = s2;
			return;
		}
		if ((k & 0xffff) == 0)
			cj_check_interrupts();
	}
}
