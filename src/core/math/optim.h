/*-------------------------------------------------------------------------
 *
 * optim.h
 *	  Maximum-likelihood fitting of a model family: a box-constrained BFGS
 *	  maximiser on log parameters with several starts.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_OPTIM_H
#define CJ_OPTIM_H

#include "core/ltv/family.h"

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

/* Outcome of a family fit */
typedef struct CjFitResult
{
	double		p[CJ_MAX_PARAMS];	/* estimates, natural scale */
	double		loglik;
	double		n;				/* customers fitted (sum of weights) */
	double		grad_norm;		/* max |dLL/dlog p| at the estimate */
	int			iterations;		/* BFGS iterations of the winning start */
	int			evaluations;	/* likelihood evaluations, all starts */
	int			status;			/* CjFitStatus */
} CjFitResult;

/*
 * Fit family f to the data (distinct sorted tuples): the family's
 * data-driven start and spread starts ranked by likelihood; the best runs
 * to convergence, the second as an 8-iteration probe that continues only
 * when it is not behind, and all of them when the best does not converge;
 * the best log-likelihood is kept.
 * False with err for data that cannot be fitted (empty, degenerate per
 * check_fit, likelihood not finite at every start).
 */
extern bool cj_fit_family(const CjFamily *f, const CjData *d,
						  CjFitResult *res, CjError *err);

#endif							/* CJ_OPTIM_H */
