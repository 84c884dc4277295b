/*-------------------------------------------------------------------------
 *
 * optim.h
 *	  A box-constrained BFGS maximiser on log parameters (generic: an
 *	  objective with its gradient, a box, a start).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_OPTIM_H
#define CJ_OPTIM_H

#include "core/common/core.h"

/*
 * The most variables the maximiser takes: a family's parameters (4) and
 * up to 20 covariate coefficients (core/ltv/covfit.h).
 */
#define CJ_OPTIM_MAX_DIM 24

/*
 * Verdict of a fit, stored in cj_model.  The numbers are part of the
 * stored format: append only.
 */
typedef enum CjFitStatus
{
	CJ_FIT_NONE = 0,			/* not fitted (a model written by hand) */
	CJ_FIT_CONVERGED = 1,		/* interior optimum, gradient ~ 0 */
	CJ_FIT_BOUNDARY = 2,		/* optimum on a log-parameter bound, or the
								 * likelihood is flat along some direction
								 * there: the maximum likelihood estimate does
								 * not exist in the interior or is not
								 * identified (degenerate data) */
	CJ_FIT_MAXITER = 3,			/* iteration limit reached */
	CJ_FIT_STALLED = 4			/* no further ascent possible although the
								 * gradient is not small (numerical limit) */
} CjFitStatus;

#define CJ_FIT_STATUS_MAX 4

/* Text name of a verdict ("converged" ...) and back (-1 if unknown) */
extern const char *cj_fit_status_name(int status);
extern int	cj_fit_status_by_name(const char *name);

/*
 * Bounds on every log parameter: exp(+-25) = 7e10 / 1.4e-11 keeps the
 * likelihood terms finite for any data while leaving room for any time or
 * currency unit.
 */
#define CJ_LOGPARAM_MIN (-25.0)
#define CJ_LOGPARAM_MAX 25.0

/* Objective: value to MAXIMISE at theta and (when grad != NULL) gradient */
typedef double (*CjObjective) (void *ctx, const double *theta, double *grad);

typedef struct CjOptimResult
{
	double		value;			/* objective at the end */
	double		grad_norm;		/* max |projected gradient| at the end */
	double		grad[CJ_OPTIM_MAX_DIM]; /* the objective's gradient at the end */
	int			iterations;
	int			evaluations;
	int			status;			/* CjFitStatus */
} CjOptimResult;

/*
 * Maximise fn over the box [lower, upper]^n from theta (updated in place)
 * by BFGS with a projected backtracking line search; a non-finite value is
 * treated as "step too far".  H0 (n x n, row-major, may be NULL = scaled
 * identity) is the first inverse of the negative Hessian.  Returns false
 * when fn is not finite at the starting point.
 */
extern bool cj_optim_maximise(CjObjective fn, void *ctx, int n, double *theta,
							  double lower, double upper, int max_iter,
							  const double *H0, CjOptimResult *res);

/*
 * The same, when fn's value v0 and gradient g0 at theta are already known
 * (g0 NULL: unknown); saves the first evaluation unless theta has to be
 * moved into the box.
 */
extern bool cj_optim_maximise_from(CjObjective fn, void *ctx, int n,
								   double *theta, double lower, double upper,
								   int max_iter, const double *H0, double v0,
								   const double *g0, CjOptimResult *res);

#endif							/* CJ_OPTIM_H */
