/*-------------------------------------------------------------------------
 *
 * model.h
 *	  The cj_model SQL type (model.c): the value, its decoding and the
 *	  errors every score and fit raise in a family's name.
 *
 * API for the rest of the lifetime-value glue:
 *   CjModel *DatumGetCjModelP(d) / PG_GETARG_CJ_MODEL_P(n)
 *   cj_model_from_body(body)          palloc a cj_model value
 *   cj_model_build(body, cov, fp)     the same with covariates (cov NULL
 *                                     unless body.flags has HAS_COV) and a
 *                                     data fingerprint (0 for none)
 *   cj_model_make(f, fit, unit, fp)   a cj_model from a fit result
 *   cj_model_make_cov(f, fit, unit, cov, fp)  the same with covariates: cov
 *                                     (core/ltv/covariates.h) holds the
 *                                     names, coefficients, penalty and the
 *                                     (k + ncoef)^2 covariance
 *   cj_model_covariates(m)            its covariates (palloc'd) or NULL
 *   cj_model_name_index(f, cov, name) index of 'alpha' / 'trans.X' in the
 *                                     covariance order
 *   cj_model_require_plain(m, "cj_x") 22023 for a model with covariates
 *                                     where a function takes none
 *   cj_customer_params(f, p, cov, ct, cl, q)   a customer's parameters
 *                                     from the covariate arrays, checked
 *   cj_covariate_values(a, cov, process, z)   one array's values, checked
 *   cj_model_family_of(m)             its CjFamily (never NULL)
 *   cj_require_score(f, f->member, "cj_p_alive")   error naming the family
 *                                     when the family lacks that score
 *   cj_check_tuple(f, v)              the family's data check, as an ERROR
 * Scores are in scores.h, fitting in fit_state.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_MODEL_GLUE_H
#define CJ_MODEL_GLUE_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"

#include "common/util.h"
#include "core/ltv/model.h"
#include "core/ltv/fit.h"

typedef struct CjModel
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint32		data_fp;		/* fingerprint of the data fitted
								 * (core/ltv/lrtest.h); 0 = none (a model
								 * written by hand, or stored before 1.2,
								 * whose padding here was zero) */
	CjModelBody b;
} CjModel;

/*
 * A stored model is CJ_MODEL_BASE_SIZE bytes of body (no covariance, and
 * every value stored before 1.2) or the whole body, which a model with
 * covariates (CJ_MODEL_HAS_COV) follows with their stored form
 * (cj_covariates_store, read by cj_model_covariates); DatumGetCjModelP
 * always returns the whole body, the covariance zero when absent.
 */
extern CjModel *cj_model_detoast(Datum d);

#define DatumGetCjModelP(d)		cj_model_detoast(d)
#define PG_GETARG_CJ_MODEL_P(n)	DatumGetCjModelP(PG_GETARG_DATUM(n))
#define PG_RETURN_CJ_MODEL_P(x)	PG_RETURN_POINTER(x)

extern CjModel *cj_model_from_body(const CjModelBody *b);
extern CjModel *cj_model_build(const CjModelBody *b, const CjCovariates *cov,
							   uint32 data_fp);
extern CjModel *cj_model_make(const CjFamily *f, const CjFitResult *fit,
							  double unit_seconds, uint32 data_fp);
extern CjModel *cj_model_make_cov(const CjFamily *f, const CjFitResult *fit,
								  double unit_seconds, CjCovariates *cov,
								  uint32 data_fp);
extern CjCovariates *cj_model_covariates(const CjModel *m);
extern char *cj_covariates_expected(const CjCovariates *cov);
extern void cj_model_require_plain(const CjModel *m, const char *function);
extern void cj_covariate_values(Datum a, const CjCovariates *cov, int process,
								double *z);

/*
 * A float8[] datum's elements read in place when it is inline, 1-D (or
 * empty), without NULLs, finite and at most maxn long; false otherwise
 * (model.c).
 */
extern bool cj_float8_array_inplace(Datum d, int maxn, double *z, int *n);
extern void cj_customer_params(const CjFamily *f, const double *p,
							   const CjCovariates *cov, Datum ct, Datum cl,
							   double *q);
extern void cj_customer_params_z(const CjFamily *f, const double *p,
								 const CjCovariates *cov, const double *zt,
								 const double *zl, double *q);
extern int	cj_model_name_index(const CjFamily *f, const CjCovariates *cov,
								const char *name);
extern const CjFamily *cj_model_family_of(const CjModel *m);

/* Index of parameter name in family f; 22023 listing the names if none */
extern int	cj_model_param_index(const CjFamily *f, const char *name);
extern void cj_require_score(const CjFamily *f, const void *member,
							 const char *function);

cj_noreturn extern void cj_tuple_error(const CjFamily *f, const CjError *err);

/* The family's data check as an ERROR (inline: it runs once per row) */
static inline void
cj_check_tuple(const CjFamily *f, const double *v)
{
	CjError		err;

	if (unlikely(!f->check_data(v, &err)))
		cj_tuple_error(f, &err);
}

/* Append the time unit as "unit=7d" (whole days) or "unit=<seconds>s" */
extern void cj_append_unit(StringInfo buf, double seconds);

#endif							/* CJ_MODEL_GLUE_H */
