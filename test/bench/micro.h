/*-------------------------------------------------------------------------
 *
 * micro.h
 *	  Timing helpers shared by the microbenchmarks of the pure-C core
 *	  (test/bench/<area>/micro/bench_*.c).
 *
 * Times are CPU seconds of the process, the best of several repetitions,
 * because the machines the benchmarks run on are shared.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MICRO_H
#define MICRO_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/ltv/family.h"
#include "core/ltv/fit.h"

/* CPU seconds of this process */
static inline double
micro_cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * Best of reps CPU times of the fit of f, with scratch memory for a sample
 * as the aggregate gives it; fills *fit, exits on a failed fit
 */
static inline double
micro_time_fit(const CjFamily *f, const CjData *d, CjTuple *scratch, int reps,
			   CjFitResult *fit)
{
	double		best = INFINITY;
	CjError		err;
	int			i;

	for (i = 0; i < reps; i++)
	{
		double		t0 = micro_cpu_seconds();

		if (!cj_fit_family_scratch(f, d, scratch, CJ_FIT_SCRATCH(d->n), fit,
								   &err))
		{
			fprintf(stderr, "%s fit failed: %s\n", f->name, err.detail);
			exit(1);
		}
		best = fmin(best, micro_cpu_seconds() - t0);
	}
	return best;
}

/*
 * Best of reps CPU times of one likelihood-and-gradient evaluation of f at
 * p; exits when it is not finite
 */
static inline double
micro_time_eval(const CjFamily *f, const CjData *d, const double *p, int reps)
{
	double		best = INFINITY,
				g[CJ_MAX_PARAMS];
	int			i;

	for (i = 0; i < reps; i++)
	{
		double		t0 = micro_cpu_seconds();

		if (!isfinite(f->loglik(d, p, g)))
			exit(1);
		best = fmin(best, micro_cpu_seconds() - t0);
	}
	return best;
}

#endif							/* MICRO_H */
