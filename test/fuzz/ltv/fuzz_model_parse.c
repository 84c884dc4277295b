/*-------------------------------------------------------------------------
 *
 * fuzz_model_parse.c
 *	  libFuzzer target: the cj_model literal parser (src/core/ltv/model.c).
 *
 * An accepted literal must name a known family and pass validation (the
 * checks recv applies to a binary form).
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
	CjError		err;

	memset(&body, 0x7f, sizeof(body));
	if (cj_model_parse(s, &body, &err))
		FUZZ_ASSERT(cj_model_validate(&body, &err));
	else
		FuzzCheckError(&err);
	free(s);
	return 0;
}
