/*-------------------------------------------------------------------------
 *
 * fuzz_covariates_load.c
 *	  libFuzzer target: the stored form of a model's covariates
 *	  (cj_covariates_load in src/core/ltv/covariates.c), which every read
 *	  of a stored cj_model with coefficients goes through.
 *
 * The first input byte chooses with or without a covariance (a 4 x 4
 * identity parameter block); the rest is the stored form.  An accepted
 * form is consistent (finished lists, finite coefficients) and stores back
 * to the same bytes.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdlib.h>

#include "fuzz.h"
#include "core/ltv/covariates.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Load an arbitrary covariate section */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static CjCovariates cov;
	static const double ident[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
	CjError		err;
	bool		wv;
	int			i;

	if (size < 1)
		return 0;
	wv = (data[0] & 1) != 0;
	if (cj_covariates_load(data + 1, size - 1, 4, wv ? ident : NULL, &cov, &err))
	{
		size_t		len = cj_covariates_stored_size(&cov, 4, wv);
		unsigned char *back = malloc(len);

		FUZZ_ASSERT(cov.ncoef >= 1 || (cov.n[0] == 0 && cov.n[1] == 0));
		for (i = 0; i < cov.ncoef; i++)
			FUZZ_ASSERT(isfinite(cov.coef[i]));
		FUZZ_ASSERT(len == size - 1);
		cj_covariates_store(&cov, 4, wv, back);
		FUZZ_ASSERT(memcmp(back, data + 1, len) == 0);
		free(back);
	}
	else
		FuzzCheckError(&err);
	return 0;
}
