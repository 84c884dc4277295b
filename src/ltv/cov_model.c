/*-------------------------------------------------------------------------
 *
 * cov_model.c
 *	  The cj_model value of a fit with covariates (see cov_fit_state.h):
 *	  the fit's shape and estimates in the model's covariate form
 *	  (core/ltv/covariates.h), whose coefficient order (free trans, free
 *	  life, constrained) is the fit's (core/ltv/covstate.c,
 *	  cj_cov_shape_spec).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ltv/cov_fit_state.h"
#include "ltv/model.h"

/* Whether name is in the shape's constrained list */
static bool
IsConstrained(const CjCovShape *s, const char *name)
{
	int			i;

	for (i = 0; i < s->nconstr; i++)
		if (strcmp(s->constr[i], name) == 0)
			return true;
	return false;
}

/* The model of a covariate fit (see the header) */
Datum
cj_cov_model_datum(const CjFamily *f, const CjCovShape *shape,
				   const CjCovFitResult *res, double unit_seconds,
				   uint32 data_fp)
{
	CjFitResult fit;
	CjCovariates *cov = palloc0(sizeof(CjCovariates));
	int			i,
				k = f->nparams,
				dim = res->k;

	memset(&fit, 0, sizeof(fit));
	memcpy(fit.p, res->p, sizeof(fit.p));
	fit.loglik = res->loglik;
	fit.n = res->n;
	fit.grad_norm = res->grad_norm;
	fit.iterations = res->iterations;
	fit.evaluations = res->evaluations;
	fit.status = res->status;
	fit.hessian = res->hessian;

	cov->n[CJ_COV_TRANS] = shape->ntrans;
	cov->n[CJ_COV_LIFE] = shape->nlife;
	for (i = 0; i < shape->ntrans; i++)
	{
		strlcpy(cov->name[CJ_COV_TRANS][i], shape->trans[i], CJ_COV_NAME_MAX);
		cov->constrained[CJ_COV_TRANS][i] = IsConstrained(shape, shape->trans[i]);
	}
	for (i = 0; i < shape->nlife; i++)
	{
		strlcpy(cov->name[CJ_COV_LIFE][i], shape->life[i], CJ_COV_NAME_MAX);
		cov->constrained[CJ_COV_LIFE][i] = IsConstrained(shape, shape->life[i]);
	}
	cov->nconstr = shape->nconstr;
	for (i = 0; i < shape->nconstr; i++)
		strlcpy(cov->constr_name[i], shape->constr[i], CJ_COV_NAME_MAX);
	for (i = 0; i < dim - k; i++)
		cov->coef[i] = res->coef[i];
	if (shape->lambda_trans > 0 || shape->lambda_life > 0)
	{
		cov->flags |= CJ_COV_HAS_PENALTY;
		cov->penalty = res->penalty;
	}
	if (res->hessian == CJ_HESSIAN_PD)
		memcpy(cov->vcov, res->vcov, sizeof(double) * dim * dim);
	return PointerGetDatum(cj_model_make_cov(f, &fit, unit_seconds, cov,
											 data_fp));
}
