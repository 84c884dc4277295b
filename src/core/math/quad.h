/*-------------------------------------------------------------------------
 *
 * quad.h
 *	  Composite Gauss-Legendre quadrature for smooth integrands.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_QUAD_H
#define CJ_QUAD_H

/* An integrand: f(x, arg) */
typedef double (*CjIntegrand) (double x, void *arg);

/*
 * Integral of f over [a, b] split into `panels` equal panels, each with a
 * 12-point Gauss-Legendre rule (exact for polynomials of degree 23).
 */
extern double cj_quad_gl(CjIntegrand f, void *arg, double a, double b,
						 int panels);

/* nf <= CJ_QUAD_VEC_MAX integrands at once: f(x, arg, values) */
#define CJ_QUAD_VEC_MAX 8
typedef void (*CjIntegrandVec) (double x, void *arg, double *values);

/*
 * The integrals of nf functions over one panel [a, b] with the rule of
 * cj_quad_gl (the same nodes for all: one evaluation of what they share),
 * added to sums[0 .. nf-1].
 */
extern void cj_quad_gl_vec(CjIntegrandVec f, void *arg, double a, double b,
						   int nf, double *sums);

/*
 * Integral of f over [a, b] on a graded mesh: panels [a, a+h], then each
 * twice as wide as the one before.  For integrands with a singularity at
 * distance about h left of a, each panel stays well inside the region of
 * analyticity, so the error stays near rounding level.
 */
extern double cj_quad_gl_graded(CjIntegrand f, void *arg, double a, double b,
								double h);

/*
 * cj_quad_gl_graded with no panel wider than wmax > 0: for integrands that
 * also have singularities off the real axis, at distance about 2 wmax
 * from it, where a wide panel would lose accuracy.
 */
extern double cj_quad_gl_graded_capped(CjIntegrand f, void *arg, double a,
									   double b, double h, double wmax);

#endif							/* CJ_QUAD_H */
