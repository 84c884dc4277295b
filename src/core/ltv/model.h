/*-------------------------------------------------------------------------
 *
 * model.h
 *	  The fitted-model value: family, parameters and fit facts, with its
 *	  text parser.
 *
 * Text form (the parameters in the family's order on output, any order on
 * input), optionally followed by fit facts in any order, each at most once:
 *
 *   bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257) ll=-9582.43 n=2357
 *       iter=23 converged grad=1.5e-05 unit=7d
 *
 *   ll=<float>       log-likelihood at the estimate
 *   n=<float>        number of customers fitted (sum of weights)
 *   iter=<int>       optimizer iterations of the winning start
 *   converged | boundary | maxiter | stalled      the verdict (cj_optim.h)
 *   grad=<float>     largest |dLL/dlog(param)| at the estimate
 *   unit=<int>d | unit=<float>s   the time unit (days or seconds)
 *   data=<8 hex digits>  fingerprint of the data fitted (core/ltv/lrtest.h),
 *                    so that a likelihood-ratio test can refuse models
 *                    fitted to different customers
 *
 * A model written by hand from published parameters has no facts.  The
 * family is stored by its stable registry id, never by an OID.
 *
 * A Pareto/NBD or BG/NBD model may carry covariate coefficients
 * (covariates.h), written between the parameters and the facts, and then
 * the facts may include penalty= and its vcov= covers the parameters and
 * then the coefficients ((k + ncoef)^2 numbers):
 *
 *   pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(Gender=0.4,
 *       Channel) life(Gender=-0.2, Channel) constr(Channel=0.3)
 *       ll=-2810.6 penalty=0.0041 n=250 ...
 *
 *   penalty=<float>  the L2 penalty of a regularized fit (>= 0)
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_MODEL_H
#define CJ_MODEL_H

#include <stddef.h>

#include "core/ltv/covariates.h"
#include "core/ltv/family.h"

/* which optional facts are present */
#define CJ_MODEL_HAS_LL		0x01
#define CJ_MODEL_HAS_N		0x02
#define CJ_MODEL_HAS_ITER	0x04
#define CJ_MODEL_HAS_GRAD	0x08
#define CJ_MODEL_HAS_UNIT	0x10
#define CJ_MODEL_HAS_VCOV	0x20	/* vcov holds the parameters' covariance */
#define CJ_MODEL_HESS_INDEF 0x40	/* the observed information at the
									 * estimate was not positive definite:
									 * there is no covariance */
#define CJ_MODEL_HAS_COV	0x80	/* covariate coefficients follow the body
									 * (core/ltv/covariates.h) */
#define CJ_MODEL_FLAGS_ALL	0xff

/* Fixed-width body of a cj_model value (after the varlena header) */
typedef struct CjModelBody
{
	uint8_t		version;		/* format version (CJ_BINARY_VERSION) */
	uint8_t		family;			/* stable family id (cj_family.h) */
	uint8_t		status;			/* CjFitStatus; 0 = not fitted */
	uint8_t		flags;			/* CJ_MODEL_HAS_* */
	int32_t		iterations;
	double		params[CJ_MAX_PARAMS]; /* natural scale; unused slots 0 */
	double		loglik;
	double		n;
	double		grad_norm;
	double		unit;			/* seconds per model time unit */
	/* from here on only when CJ_MODEL_HAS_VCOV (values stored before 1.2 end here) */
	double		vcov[CJ_MAX_PARAMS * CJ_MAX_PARAMS];	/* k x k row-major,
														 * natural scale */
} CjModelBody;

/* Bytes of a body without covariance (every value stored before 1.2) */
#define CJ_MODEL_BASE_SIZE	offsetof(CjModelBody, vcov)

/*
 * Parse the text form into body (version left 0) and, when the text has
 * covariates, cov (CJ_MODEL_HAS_COV set in body->flags); false with err.
 * cov may be NULL for callers that take no covariates: such a text is
 * then an error.
 */
extern bool cj_model_parse_cov(const char *s, CjModelBody *body,
							   CjCovariates *cov, CjError *err);
/*
 * The same with the data fingerprint of data= (0 when absent) in *fp; the
 * fingerprint is not part of the body (the stored value keeps it in its
 * header, ltv/model.h).
 */
extern bool cj_model_parse_full(const char *s, CjModelBody *body,
								CjCovariates *cov, uint32_t *fp, CjError *err);
extern bool cj_model_parse(const char *s, CjModelBody *body, CjError *err);

/* Same model value (every field but the format version; -0 equals 0) */
extern bool cj_model_equal(const CjModelBody *a, const CjModelBody *b);

/* Validate every field of a body (as the text parser does) */
extern bool cj_model_validate(const CjModelBody *body, CjError *err);

/*
 * Validate a body with its covariates (cov NULL unless CJ_MODEL_HAS_COV):
 * the body, the family takes covariates, the lists (cj_covariates_finish,
 * which it runs), the full covariance.
 */
extern bool cj_model_validate_cov(const CjModelBody *body, CjCovariates *cov,
								  CjError *err);

/*
 * Parse "<int>d" or "<float>s" (after "unit=") into seconds > 0; the
 * shared time-unit syntax of cj_model and cj_fit_state.
 */
extern bool cj_parse_unit(const char **p, double *seconds);

#endif							/* CJ_MODEL_H */
