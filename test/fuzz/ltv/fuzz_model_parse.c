/*-------------------------------------------------------------------------
 *
 * fuzz_model_parse.c
 *	  libFuzzer target: the cj_model literal parser (src/core/ltv/model.c).
 *
 * An accepted literal must name a known family and pass validation (the
 * checks recv applies to a binary form); with covariates, their stored
 * form must read back equal (data= included in the literal's grammar).
 *
 * seeds: cj_model
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/ltv/model.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse a model literal */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjModelBody body;
	static CjCovariates cov,
				back;
	CjError		err;
	uint32_t	fp;

	memset(&body, 0x7f, sizeof(body));
	if (cj_model_parse_full(s, &body, &cov, &fp, &err))
	{
		FUZZ_ASSERT(cj_model_validate_cov(&body, (body.flags & CJ_MODEL_HAS_COV) ?
										  &cov : NULL, &err));
		if (body.flags & CJ_MODEL_HAS_COV)
		{
			int			k = cj_family_by_id(body.family)->nparams;
			bool		wv = (body.flags & CJ_MODEL_HAS_VCOV) != 0;
			size_t		len = cj_covariates_stored_size(&cov, k, wv);
			unsigned char *bytes = malloc(len);

			cj_covariates_store(&cov, k, wv, bytes);
			FUZZ_ASSERT(cj_covariates_load(bytes, len, k, wv ? body.vcov : NULL,
										   &back, &err));
			FUZZ_ASSERT(cj_covariates_equal(&cov, &back, wv ? k + cov.ncoef : 0));
			free(bytes);
		}
	}
	else
		FuzzCheckError(&err);
	free(s);
	return 0;
}
