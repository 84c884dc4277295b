/*-------------------------------------------------------------------------
 *
 * cov_model.c
 *	  The cj_model value of a fit with covariates (see cov_fit_state.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ltv/cov_fit_state.h"
#include "ltv/model.h"

/* The model of a covariate fit (see the header) */
Datum
cj_cov_model_datum(const CjFamily *f, const CjCovSpec *spec,
				   const char (*names)[CJ_COEFNAME_MAX],
				   const CjCovFitResult *res)
{
	CjFitResult fit;

	(void) spec;
	(void) names;
	memset(&fit, 0, sizeof(fit));
	memcpy(fit.p, res->p, sizeof(fit.p));
	fit.loglik = res->loglik;
	fit.n = res->n;
	fit.grad_norm = res->grad_norm;
	fit.iterations = res->iterations;
	fit.evaluations = res->evaluations;
	fit.status = res->status;
	return PointerGetDatum(cj_model_make(f, &fit, 0));
}
