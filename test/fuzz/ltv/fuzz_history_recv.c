/*-------------------------------------------------------------------------
 *
 * fuzz_history_recv.c
 *	  libFuzzer target: the cj_history binary decoder
 *	  (src/core/ltv/history_io.c), as cj_history_recv drives it.
 *
 * An accepted binary form must validate and encode back to the same
 * bytes (the wire format has exactly one encoding per value).
 *
 * seeds: cj_history wire
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/ltv/history.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decode, then re-encode an accepted form */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CjError		err;
	int32_t		n = cj_history_wire_days(data, size, &err);
	CjHistory  *h;

	if (n < 0)
	{
		FuzzCheckError(&err);
		return 0;
	}
	FUZZ_ASSERT(n >= 1 && n <= CJ_HISTORY_MAX_DAYS);
	h = malloc(cj_history_size(n));
	if (cj_history_decode(data, size, h, n, &err))
	{
		size_t		wsize = cj_history_wire_size(h);
		unsigned char *wire = malloc(wsize);

		FUZZ_ASSERT(cj_history_validate(h, &err));
		FUZZ_ASSERT(wsize == size);
		cj_history_encode(h, wire);
		FUZZ_ASSERT(memcmp(wire, data, size) == 0);
		free(wire);
	}
	else
		FuzzCheckError(&err);
	free(h);
	return 0;
}
