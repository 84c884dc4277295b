/*-------------------------------------------------------------------------
 *
 * cov_fit_state.h
 *	  The cj_cov_fit_state aggregate state (cov_fit_state.c) of the
 *	  Pareto/NBD and BG/NBD fits with covariates, and the model value it
 *	  returns.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_COV_FIT_STATE_H
#define CJ_COV_FIT_STATE_H

#include "postgres.h"

#include "fmgr.h"

#include "core/ltv/covstate.h"

/*
 * The cj_model datum of a covariate fit: the family parameters, the
 * coefficients under their names (trans.X, life.X, constr.X), their
 * covariance, the unpenalised log-likelihood and the penalty, and the
 * fingerprint of the data fitted.
 */
extern Datum cj_cov_model_datum(const CjFamily *f, const CjCovShape *shape,
								const CjCovFitResult *res,
								double unit_seconds, uint32 data_fp);

#endif							/* CJ_COV_FIT_STATE_H */
