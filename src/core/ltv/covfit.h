/*-------------------------------------------------------------------------
 *
 * covfit.h
 *	  Maximum-likelihood fit of Pareto/NBD and BG/NBD with time-invariant
 *	  covariates (core/ltv/covfit.c): the grouped log-likelihood with its
 *	  analytic gradient, L2 regularization and equality constraints.
 *
 * Customers are described by a covariate vector for the purchase process
 * ("trans") and one for the dropout process ("life").  The data arrive
 * grouped by distinct covariate vector: each group holds the distinct
 * (x, t_x, T) tuples of its customers with weights, so that a group is
 * evaluated by the family's own per-data-set likelihood at the group's
 * transformed parameters.  Categorical covariates therefore cost about
 * what the same fit without covariates costs (times the number of
 * groups only in the per-x and per-(x, t) terms).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_COVFIT_H
#define CJ_COVFIT_H

#include "core/ltv/fit.h"

/*
 * The most covariates of one process a fit takes, and coefficients of one
 * fit (below the model's limits, core/ltv/covariates.h: the optimizer's
 * dimension and the cost of the Hessian grow with them).
 */
#define CJ_COVFIT_MAX		10
#define CJ_COVFIT_MAX_COEF	(2 * CJ_COVFIT_MAX)

#if CJ_MAX_PARAMS + CJ_COVFIT_MAX_COEF > CJ_OPTIM_MAX_DIM
#error "the optimizer takes fewer variables than a covariate model has"
#endif

/* Which penalty applies to a coefficient */
#define CJ_COEF_TRANS	0		/* purchase process: lambda_trans */
#define CJ_COEF_LIFE	1		/* dropout process: lambda_life */
#define CJ_COEF_CONSTR	2		/* shared by both processes: not penalised */

/*
 * The covariate structure of a fit.  Column i of the trans covariates
 * uses coefficient trans_coef[i], column j of the life covariates
 * life_coef[j] (0-based among the ncoef coefficients); a constrained
 * covariate has its trans and its life column pointing at one
 * coefficient of kind CJ_COEF_CONSTR.
 */
typedef struct CjCovSpec
{
	int			ntrans;			/* trans covariates (columns) */
	int			nlife;			/* life covariates (columns) */
	int			trans_coef[CJ_COVFIT_MAX];
	int			life_coef[CJ_COVFIT_MAX];
	int			ncoef;			/* distinct coefficients */
	int			kind[CJ_COVFIT_MAX_COEF];	/* CJ_COEF_* */
	double		lambda_trans;	/* >= 0, CLVTools' scale */
	double		lambda_life;
} CjCovSpec;

/* One distinct covariate vector and its customers' distinct tuples */
typedef struct CjCovGroup
{
	const double *z;			/* ntrans trans values, then nlife life */
	CjData		d;				/* sorted distinct tuples, weights */
} CjCovGroup;

typedef struct CjCovData
{
	const CjCovGroup *g;
	size_t		ngroups;
	double		total_weight;	/* customers over all groups */
	const CjData *pooled;		/* optional: every group's tuples merged
								 * (sorted, distinct), for the start */
} CjCovData;

/* Outcome of a covariate fit */
typedef struct CjCovFitResult
{
	int			k;				/* variables: nparams + ncoef */
	double		p[CJ_MAX_PARAMS];	/* base parameters, natural scale */
	double		coef[CJ_COVFIT_MAX_COEF];	/* coefficients */
	double		loglik;			/* unpenalised, at the estimates */
	double		penalty;		/* lambda_trans sum g^2 + lambda_life sum g^2 */
	double		n;				/* customers */
	double		grad_norm;		/* max |gradient| of the penalised sum */
	int			iterations;
	int			evaluations;
	int			status;			/* CjFitStatus */
	int			hessian;		/* CJ_HESSIAN_* */
	/* k x k, row-major: covariance of (p, coef) when hessian is PD */
	double		vcov[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM];
} CjCovFitResult;

/* Whether family f takes covariates (Pareto/NBD, BG/NBD) */
extern bool cj_cov_family_supported(const CjFamily *f);

/*
 * Validate a spec for family f: counts in range, every column mapped to a
 * coefficient of the right kind, lambdas finite and >= 0.
 */
extern bool cj_cov_spec_check(const CjFamily *f, const CjCovSpec *s,
							  CjError *err);

/*
 * The group's parameters: family parameters p (natural scale) transformed
 * by the coefficients and the group's covariates z (CLVTools' links, see
 * covfit.c).  Also used by the scores and the simulation.
 */
extern void cj_cov_transform(const CjFamily *f, const CjCovSpec *s,
							 const double *p, const double *coef,
							 const double *z, double *pz);

/*
 * Unpenalised log-likelihood of the grouped data at theta = (log p,
 * coefficients); when grad is not NULL, its gradient with respect to
 * theta.  -INFINITY where not finite.
 */
extern double cj_cov_loglik(const CjFamily *f, const CjCovSpec *s,
							const CjCovData *d, const double *theta,
							double *grad);

/* CLVTools' penalty lambda_trans sum g^2 + lambda_life sum g^2 */
extern double cj_cov_penalty(const CjCovSpec *s, const double *coef);

/*
 * Fit family f with covariates: maximise the log-likelihood minus N times
 * the penalty (the optimum of CLVTools' -LL/N + penalty).  False with err
 * for data that cannot be fitted.
 */
extern bool cj_cov_fit(const CjFamily *f, const CjCovSpec *s,
					   const CjCovData *d, CjCovFitResult *res, CjError *err);

#endif							/* CJ_COVFIT_H */
