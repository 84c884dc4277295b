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

/* Discounted expected purchases over periods of length len */
double
cj_clv_discounted(const CjFamily *f, const double *p, const double *v,
				  int periods, double len, double rate)
{
	double		prev = 0.0,
				disc = 1.0,
				sum = 0.0;
	int			i;

	for (i = 1; i <= periods; i++)
	{
		double		cum = f->conditional(p, v, i * len);

		disc /= 1.0 + rate;
		sum += (cum - prev) * disc;
		prev = cum;
	}
	return sum;
}
