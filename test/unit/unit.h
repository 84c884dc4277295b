/*-------------------------------------------------------------------------
 *
 * unit.h
 *	  A tiny TAP producer for the unit tests of the pure-C core.
 *
 * Each test program includes this header, calls the CHECK macros and ends
 * with unit_done(), which prints the plan and returns the exit status.
 *
 *-------------------------------------------------------------------------
 */
#ifndef UNIT_H
#define UNIT_H

#include <math.h>
#include <stdio.h>

static int	unit_count = 0;
static int	unit_failed = 0;

/* Record one test result as a TAP line */
static inline void
unit_ok(int ok, const char *what, const char *file, int line)
{
	unit_count++;
	if (!ok)
		unit_failed++;
	printf("%sok %d - %s%s", ok ? "" : "not ", unit_count, what,
		   ok ? "\n" : "");
	if (!ok)
		printf(" (%s:%d)\n", file, line);
}

#define CHECK(cond, what) unit_ok((cond) ? 1 : 0, what, __FILE__, __LINE__)

/* |got - want| <= tol * max(1, |want|) */
#define CHECK_CLOSE(got, want, tol, what) do { \
	double g_ = (got), w_ = (want); \
	int ok_ = fabs(g_ - w_) <= (tol) * fmax(1.0, fabs(w_)); \
	if (!ok_) printf("# %s: got %.17g want %.17g\n", what, g_, w_); \
	unit_ok(ok_, what, __FILE__, __LINE__); } while (0)

/* |got - want| <= tol * |want| (for values far below 1) */
#define CHECK_REL(got, want, tol, what) do { \
	double g_ = (got), w_ = (want); \
	int ok_ = fabs(g_ - w_) <= (tol) * fabs(w_); \
	if (!ok_) printf("# %s: got %.17g want %.17g\n", what, g_, w_); \
	unit_ok(ok_, what, __FILE__, __LINE__); } while (0)

/* Print the plan; exit status 1 when anything failed */
static inline int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif							/* UNIT_H */
