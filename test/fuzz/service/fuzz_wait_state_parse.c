/*-------------------------------------------------------------------------
 *
 * fuzz_wait_state_parse.c
 *	  libFuzzer target: the cj_wait_state literal parser, printer and
 *	  validation (src/core/service/wait_state.c).
 *
 * An accepted state must validate, print within CJ_WAIT_STATE_TEXT_MAX
 * and read back to the same state, whose text is the same again
 * (parse -> print -> parse is a fixed point).
 *
 * seeds: cj_wait_state
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/service/wait_state.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse; round-trip what is accepted */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	CjWaitState *a = malloc(sizeof(CjWaitState));
	CjWaitState *b = malloc(sizeof(CjWaitState));
	char	   *t1 = malloc(CJ_WAIT_STATE_TEXT_MAX);
	char	   *t2 = malloc(CJ_WAIT_STATE_TEXT_MAX);
	CjError		err;

	if (cj_wait_state_parse(s, a, &err))
	{
		size_t		n = cj_wait_state_format(a, t1);

		FUZZ_ASSERT(cj_wait_state_validate(a, &err));
		FUZZ_ASSERT(n < CJ_WAIT_STATE_TEXT_MAX && strlen(t1) == n);
		FUZZ_ASSERT(cj_wait_state_parse(t1, b, &err));
		FUZZ_ASSERT(memcmp(a, b, sizeof(CjWaitState)) == 0);
		cj_wait_state_format(b, t2);
		FUZZ_ASSERT(strcmp(t1, t2) == 0);
	}
	else
		FuzzCheckError(&err);
	free(t2);
	free(t1);
	free(b);
	free(a);
	free(s);
	return 0;
}
