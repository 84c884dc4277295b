/*-------------------------------------------------------------------------
 *
 * clv.c
 *	  The discounted expected purchases of a customer lifetime value.
 *
 * CLV = margin E[M | x, m] sum_{i=1..n} (E[X(iL) | hist] - E[X((i-1)L) | hist])
 *       / (1 + d)^i
 * (Fader, Hardie and Lee 2005, "RFM and CLV", discrete-time form): the
 * expected purchases of each period, from the conditional expectation of
 * the purchase model, discounted at the rate per period.  The spend factor
 * is the caller's.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/clv.h"

/*
 * The history-free part of the discounted sum, for families that split
 * their conditional expectation as P(alive) times a part of x, T and the
 * horizon (family.h, conditional_part):
 *   sum_i (K(iL) - K((i-1)L)) / (1 + d)^i,  K(t) = E[X(T, T+t) | v] / P(alive).
 */
double
cj_clv_discounted_part(const CjFamily *f, const double *p, double x,
					   double T, int periods, double len, double rate)
{
	double		prev = 0.0,
				disc = 1.0,
				sum = 0.0;
	int			i;

	for (i = 1; i <= periods; i++)
	{
		double		cum = f->conditional_part(p, x, T, i * len);

		/* a period costs microseconds, and there may be 100,000 */
		if ((i & 63) == 0)
			cj_check_interrupts();
		disc /= 1.0 + rate;
		sum += (cum - prev) * disc;
		prev = cum;
	}
	return sum;
}

/*
 * Discounted expected purchases over periods of length len: P(alive) times
 * the part above where the family splits its conditional expectation
 * (one P(alive) per customer instead of one per period), else the sum of
 * the conditional expectations' increments.
 */
double
cj_clv_discounted(const CjFamily *f, const double *p, const double *v,
				  int periods, double len, double rate)
{
	double		prev = 0.0,
				disc = 1.0,
				sum = 0.0;
	int			i;

	if (f->conditional_part && f->p_alive)
		return f->p_alive(p, v) *
			cj_clv_discounted_part(f, p, v[0], v[2], periods, len, rate);
	for (i = 1; i <= periods; i++)
	{
		double		cum = f->conditional(p, v, i * len);

		if ((i & 63) == 0)
			cj_check_interrupts();
		disc /= 1.0 + rate;
		sum += (cum - prev) * disc;
		prev = cum;
	}
	return sum;
}
