/*
 * test_covariates.c
 *	  Unit tests of the covariate coefficients of a model
 *	  (src/core/ltv/covariates.c and the text parser in model.c): the
 *	  coefficient order, lookups by qualified name, the stored form's
 *	  round trip and corruption checks, and the per-customer parameters
 *	  of Pareto/NBD and BG/NBD (CLVTools' parameterisation).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "core/ltv/model.h"

int
main(void)
{
	static CjCovariates cov,
				back;
	CjModelBody b;
	CjError		err;
	unsigned char *bytes;
	size_t		len;
	double		q[4],
				z[2] = {1.0, 2.0};

	CHECK(cj_model_parse_cov("pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) life(Gender=-0.2, Channel) trans(Gender=0.4, Channel, Age=0.01) constr(Channel=0.3)",
							 &b, &cov, &err), "model with covariates parses");
	CHECK(b.flags & CJ_MODEL_HAS_COV, "flag set");
	CHECK(cov.ncoef == 4 && cov.n[0] == 3 && cov.n[1] == 2 && cov.nconstr == 1,
		  "counts");
	/* order: free trans (Gender, Age), free life (Gender), constr (Channel) */
	CHECK(cov.coef[0] == 0.4 && cov.coef[1] == 0.01 && cov.coef[2] == -0.2 &&
		  cov.coef[3] == 0.3, "coefficient order trans, life, constr");
	CHECK(cj_covariates_find(&cov, "trans.Age") == 1, "trans.Age");
	CHECK(cj_covariates_find(&cov, "life.Gender") == 2, "life.Gender");
	CHECK(cj_covariates_find(&cov, "constr.Channel") == 3, "constr.Channel");
	CHECK(cj_covariates_find(&cov, "trans.Channel") == 3,
		  "trans.Channel of a constrained covariate is the constr coefficient");
	CHECK(cj_covariates_find(&cov, "life.Age") == -1, "unknown name");
	CHECK(cj_covariates_find(&cov, "Age") == -1, "unqualified name");
	CHECK(cov.gamma[0][0] == 0.4 && cov.gamma[0][1] == 0.3 &&
		  cov.gamma[0][2] == 0.01 && cov.gamma[1][0] == -0.2 &&
		  cov.gamma[1][1] == 0.3, "dense per-process coefficients");
	CHECK_CLOSE(cj_covariates_linear(&cov, 1, z), -0.2 + 0.6, 1e-15,
				"linear predictor of life");
	CHECK(!cj_model_parse("pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1)", &b, &err),
		  "no covariates accepted without somewhere to put them");

	len = cj_covariates_stored_size(&cov, 4, false);
	bytes = malloc(len);
	cj_covariates_store(&cov, 4, false, bytes);
	CHECK(cj_covariates_load(bytes, len, 4, NULL, &back, &err) &&
		  cj_covariates_equal(&cov, &back, 0), "stored form round trip");
	CHECK(!cj_covariates_load(bytes, len - 1, 4, NULL, &back, &err),
		  "truncated stored form rejected");
	bytes[4] = 5;
	CHECK(!cj_covariates_load(bytes, len, 4, NULL, &back, &err),
		  "wrong coefficient count rejected");
	free(bytes);

	/* Pareto/NBD: alpha_i = alpha0 exp(-eta_t), beta_i = beta0 exp(-eta_l) */
	cj_family_pnbd.covariate_params((const double[]) {0.79, 5.7, 0.39, 9.9},
									0.5, -0.25, q);
	CHECK(q[0] == 0.79 && q[2] == 0.39, "pnbd r and s shared");
	CHECK_CLOSE(q[1], 5.7 * exp(-0.5), 1e-15, "pnbd alpha_i");
	CHECK_CLOSE(q[3], 9.9 * exp(0.25), 1e-15, "pnbd beta_i");
	/* BG/NBD: alpha_i = alpha0 exp(-eta_t), a_i, b_i = a0, b0 exp(eta_l) */
	cj_family_bgnbd.covariate_params((const double[]) {0.24, 4.4, 0.79, 2.4},
									 0.5, -0.25, q);
	CHECK_CLOSE(q[1], 4.4 * exp(-0.5), 1e-15, "bgnbd alpha_i");
	CHECK_CLOSE(q[2], 0.79 * exp(-0.25), 1e-15, "bgnbd a_i");
	CHECK_CLOSE(q[3], 2.4 * exp(-0.25), 1e-15, "bgnbd b_i");
	cj_family_pnbd.covariate_params((const double[]) {1, 2, 3, 4}, 0.0, 0.0, q);
	CHECK(q[0] == 1 && q[1] == 2 && q[2] == 3 && q[3] == 4,
		  "zero predictors give the population parameters exactly");
	CHECK(cj_family_gg.covariate_params == NULL &&
		  cj_family_mbgnbd.covariate_params == NULL, "other families take none");
	return unit_done();
}
