/*-------------------------------------------------------------------------
 *
 * core.h
 *	  Shared definitions of the pure-C core (no postgres.h).
 *
 * Everything under src/core is plain C99 plus libm: the maths of the
 * models, the literal parsers and the binary decoders.  It never
 * allocates memory behind the caller's back and never longjmps: functions
 * report failure through return codes and a CjError the glue turns into an
 * ereport.  That keeps the core unit-testable, fuzzable and benchmarkable
 * without a server.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_H
#define CJ_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Error classes of the core.  The glue maps them to SQLSTATEs:
 * CJ_ERR_SYNTAX -> 22P02, CJ_ERR_PARAM -> 22023, CJ_ERR_RANGE -> 22003,
 * CJ_ERR_LIMIT -> 54000.
 */
typedef enum CjErrKind
{
	CJ_OK = 0,
	CJ_ERR_SYNTAX,
	CJ_ERR_PARAM,
	CJ_ERR_RANGE,
	CJ_ERR_LIMIT
} CjErrKind;

/* A failure reported by the core: class, primary-message detail. */
typedef struct CjError
{
	CjErrKind	kind;
	char		detail[256];	/* full sentence, capitalised, ends in '.' */
} CjError;

extern void cj_error_set(CjError *err, CjErrKind kind, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* Branch and inlining hints for hot paths (GCC and Clang) */
#define cj_unlikely(x) __builtin_expect((x) != 0, 0)
#define CJ_NOINLINE __attribute__((noinline))

/*
 * Hook called by long-running core loops every few thousand iterations.
 * The extension points it at CHECK_FOR_INTERRUPTS; unit tests leave it
 * NULL.
 */
extern void (*cj_interrupt_hook) (void);

static inline void
cj_check_interrupts(void)
{
	if (cj_interrupt_hook)
		cj_interrupt_hook();
}

#endif							/* CJ_CORE_H */
