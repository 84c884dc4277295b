/*-------------------------------------------------------------------------
 *
 * fuzz_model_body.c
 *	  libFuzzer target: validation of a decoded cj_model body
 *	  (cj_model_validate in src/core/ltv/model.c), which cj_model_recv
 *	  applies to every field it reads from the wire.
 *
 * The input bytes are taken as the fields of the body (any bit pattern,
 * including NaN, infinities and unknown family ids).
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>

#include "fuzz.h"
#include "core/ltv/model.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Validate an arbitrary body; accepted bodies have finite parameters */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CjModelBody body;
	CjError		err;
	const CjFamily *f;
	int			i;

	memset(&body, 0, sizeof(body));
	memcpy(&body, data, size < sizeof(body) ? size : sizeof(body));
	if (cj_model_validate(&body, &err))
	{
		f = cj_family_by_id(body.family);
		FUZZ_ASSERT(f != NULL);
		for (i = 0; i < f->nparams; i++)
			FUZZ_ASSERT(isfinite(body.params[i]));
	}
	else
		FuzzCheckError(&err);
	return 0;
}
