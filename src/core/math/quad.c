/*-------------------------------------------------------------------------
 *
 * quad.c
 *	  Composite 12-point Gauss-Legendre quadrature.
 *
 * The nodes and weights are the standard ones (Abramowitz and Stegun,
 * table 25.4, n = 12), for the half interval [0, 1] of [-1, 1].
 *
 *-------------------------------------------------------------------------
 */
#include "core/math/quad.h"

#include <math.h>

static const double GlNode[6] = {
	0.1252334085114689154724414,
	0.3678314989981801937526915,
	0.5873179542866174472967024,
	0.7699026741943046870368938,
	0.9041172563704748566784659,
	0.9815606342467192506905491
};

static const double GlWeight[6] = {
	0.2491470458134027850005624,
	0.2334925365383548087608499,
	0.2031674267230659217490645,
	0.1600783285433462263346525,
	0.1069393259953184309602547,
	0.0471753363865118271946160
};

/* Integral of f over [a, b] in equal panels (see the header) */
double
cj_quad_gl(CjIntegrand f, void *arg, double a, double b, int panels)
{
	double		h = (b - a) / panels,
				sum = 0.0;
	int			i,
				j;

	for (i = 0; i < panels; i++)
	{
		double		mid = a + (i + 0.5) * h,
					half = 0.5 * h,
					part = 0.0;

		for (j = 0; j < 6; j++)
			part += GlWeight[j] * (f(mid - half * GlNode[j], arg) +
								   f(mid + half * GlNode[j], arg));
		sum += part * half;
	}
	return sum;
}

/* Integrals of nf functions over one panel [a, b], added to sums */
void
cj_quad_gl_vec(CjIntegrandVec f, void *arg, double a, double b, int nf,
			   double *sums)
{
	double		mid = 0.5 * (a + b),
				half = 0.5 * (b - a),
				lo[CJ_QUAD_VEC_MAX],
				hi[CJ_QUAD_VEC_MAX],
				part[CJ_QUAD_VEC_MAX] = {0};
	int			j,
				k;

	for (j = 0; j < 6; j++)
	{
		f(mid - half * GlNode[j], arg, lo);
		f(mid + half * GlNode[j], arg, hi);
		for (k = 0; k < nf; k++)
			part[k] += GlWeight[j] * (lo[k] + hi[k]);
	}
	for (k = 0; k < nf; k++)
		sums[k] += part[k] * half;
}

/* Integral of f over [a, b] on a doubling mesh (see the header) */
double
cj_quad_gl_graded(CjIntegrand f, void *arg, double a, double b, double h)
{
	return cj_quad_gl_graded_capped(f, arg, a, b, h, INFINITY);
}

/* The same with no panel wider than wmax (see the header) */
double
cj_quad_gl_graded_capped(CjIntegrand f, void *arg, double a, double b,
						 double h, double wmax)
{
	double		sum = 0.0,
				lo = a;

	if (!(h > 0.0) || h > b - a)
		h = b - a;
	while (lo < b)
	{
		double		hi = fmin(b, lo + fmin(h, wmax));

		sum += cj_quad_gl(f, arg, lo, hi, 1);
		lo = hi;
		h *= 2.0;
	}
	return sum;
}
