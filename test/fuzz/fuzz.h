/*-------------------------------------------------------------------------
 *
 * fuzz.h
 *	  Shared helpers of the libFuzzer targets (test/fuzz/fuzz_*.c).
 *
 * Each target feeds the bytes libFuzzer gives it to one pure-C parser or
 * binary decoder of src/core, and checks what the server relies on: no
 * crash, no out-of-bounds access, no undefined behaviour, and that what is
 * accepted round-trips.  A broken invariant calls FUZZ_ASSERT, which
 * aborts so that libFuzzer records the input.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_FUZZ_H
#define CJ_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common/core.h"

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
					__FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/*
 * The input as a NUL-terminated string in a buffer of exactly size+1
 * bytes, so that reading past the terminator is caught.  Embedded NULs
 * end the string early, as they would in a cstring.  Caller frees.
 */
static inline char *
FuzzCString(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A core error must carry a known class and a terminated detail */
static inline void
FuzzCheckError(const CjError *err)
{
	FUZZ_ASSERT(err->kind == CJ_ERR_SYNTAX || err->kind == CJ_ERR_PARAM ||
				err->kind == CJ_ERR_RANGE || err->kind == CJ_ERR_LIMIT);
	FUZZ_ASSERT(memchr(err->detail, '\0', sizeof(err->detail)) != NULL);
}

#endif							/* CJ_FUZZ_H */
