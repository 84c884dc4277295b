/*-------------------------------------------------------------------------
 *
 * fit.h
 *	  Maximum-likelihood fit of a model family (core/ltv/fit.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_FIT_H
#define CJ_FIT_H

#include "core/ltv/family.h"
#include "core/math/optim.h"

#if CJ_MAX_PARAMS > CJ_OPTIM_MAX_DIM
#error "the optimizer takes fewer variables than a family has parameters"
#endif

/* Outcome of a family fit */
typedef struct CjFitResult
{
	double		p[CJ_MAX_PARAMS];	/* estimates, natural scale */
	double		loglik;
	double		n;				/* customers fitted (sum of weights) */
	double		grad_norm;		/* max |dLL/dlog p| at the estimate */
	int			iterations;		/* BFGS iterations of the winning start */
	int			evaluations;	/* likelihood evaluations, all starts (and
								 * those of a sample's fit) */
	int			status;			/* CjFitStatus */
	int			hessian;		/* CJ_HESSIAN_*: the observed information */
	double		vcov[CJ_MAX_PARAMS * CJ_MAX_PARAMS];	/* k x k, row-major:
														 * covariance of p when
														 * hessian is PD */
} CjFitResult;

/* What is known of the observed information at the estimate */
#define CJ_HESSIAN_NONE			0	/* not computed (fit not converged) */
#define CJ_HESSIAN_PD			1	/* positive definite: vcov is set */
#define CJ_HESSIAN_INDEFINITE	(-1)	/* not positive definite: no vcov */

/*
 * Fit family f to the data (distinct sorted tuples): the family's
 * data-driven start and spread starts ranked by likelihood; the best runs
 * to convergence and is polished by Newton steps, which also checks that
 * its Hessian is positive definite; only where that fails does the second
 * run, as an 8-iteration probe that continues only when it is not behind,
 * and all of them when the best does not converge; the best
 * log-likelihood is kept.
 * False with err for data that cannot be fitted (empty, degenerate per
 * check_fit, likelihood not finite at every start).
 */
extern bool cj_fit_family(const CjFamily *f, const CjData *d,
						  CjFitResult *res, CjError *err);

/*
 * The same with scratch memory of nscratch tuples (the core allocates
 * nothing): from 32,768 distinct tuples on, the fit then starts from the
 * estimate of a fit to a sample of them (fit.c), which needs
 * CJ_FIT_SCRATCH(d->n) tuples; where that fails, the whole data set is
 * fitted as cj_fit_family does.
 */
#define CJ_FIT_SCRATCH(n) ((n) / 4 + 2)

extern bool cj_fit_family_scratch(const CjFamily *f, const CjData *d,
								  CjTuple *scratch, size_t nscratch,
								  CjFitResult *res, CjError *err);

/*
 * Inverse of the negative Hessian of objective fn (k variables) at theta
 * by differences of its analytic gradient (forward from g0 when given,
 * else central), when it is positive definite; false otherwise.  Used for
 * the first inverse Hessian of BFGS and, central, for the covariance.
 */
extern bool cj_fit_inverse_neg_hessian(CjObjective fn, void *ctx, int k,
									   const double *theta, const double *g0,
									   double *Hinv, int *evals);

/* Inverse of a positive definite k x k matrix A (A destroyed); false if not PD */
extern bool cj_fit_invert_pd(int k, double *A, double *Ainv);

/*
 * Newton polish of a converged maximum of fn (see fit.c): false when the
 * negative Hessian is not positive definite there (not identified); else
 * cov (k x k) is its inverse on the optimizer's scale, theta and best are
 * updated by up to two Newton steps.  hinv, when not NULL, is that
 * inverse, already computed by the caller (who then has checked it is
 * positive definite).
 */
extern bool cj_fit_polish(CjObjective fn, void *ctx, int k, double *theta,
						  CjOptimResult *best, int *evals, double *cov,
						  const double *hinv);

#endif							/* CJ_FIT_H */
