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
 *
 * A model written by hand from published parameters has no facts.  The
 * family is stored by its stable registry id, never by an OID.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_MODEL_H
#define CJ_MODEL_H

#include <stddef.h>

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
#define CJ_MODEL_FLAGS_ALL	0x7f

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

/* Parse the text form into body (version left 0); false with err. */
extern bool cj_model_parse(const char *s, CjModelBody *body, CjError *err);

/* Same model value (every field but the format version; -0 equals 0) */
extern bool cj_model_equal(const CjModelBody *a, const CjModelBody *b);

/* Validate every field of a body (as the text parser does) */
extern bool cj_model_validate(const CjModelBody *body, CjError *err);

/*
 * Parse "<int>d" or "<float>s" (after "unit=") into seconds > 0; the
 * shared time-unit syntax of cj_model and cj_fit_state.
 */
extern bool cj_parse_unit(const char **p, double *seconds);

#endif							/* CJ_MODEL_H */
