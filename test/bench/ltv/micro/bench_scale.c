/*-------------------------------------------------------------------------
 *
 * bench_scale.c
 *	  Microbenchmark of the pure-C core at a million customers, per
 *	  purchase family, without a server.
 *
 * The data are those of test/bench/ltv/scale.sh: ROWS customers (default
 * 1,000,000) simulated at the CDNOW Pareto/NBD estimates in 84 daily
 * cohorts (T from 27 to 39 weeks), purchase times rounded up to whole
 * days, merged into distinct weighted tuples.  For each of Pareto/NBD,
 * BG/NBD and MBG/NBD it reports
 *   fit:    CPU time of cj_fit_family_scratch (as the aggregate calls it),
 *           its likelihood evaluations (those of a sample fit included), and
 *           the time of one likelihood-and-gradient evaluation (so a
 *           change in the number of evaluations and one in their cost are
 *           told apart);
 *   scores: nanoseconds per row of P(alive), the conditional expectation
 *           (52 weeks) and the CLV's discounted purchases (12 periods of
 *           4 weeks, 1 % a period) over the rows (no memo: every row is
 *           computed), and of a bare loop summing the same numbers.
 * CPU times are the best of REPS (the machines are shared).
 *
 *   make microbench                       (from the project root)
 *   test/bench/ltv/micro/bench_scale.bin [ROWS [REPS [COHORTS [LAST [RES]]]]]
 *
 * COHORTS daily cohorts (default 84) observed to day LAST (273), times
 * rounded up to RES days (1; 7 rounds t_x and T to weeks): e.g.
 * 10000000 1 1095 1460 for three years of acquisition.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/clv.h"
#include "core/ltv/family.h"
#include "core/ltv/fit.h"
#include "core/ltv/tupleset.h"
#include "core/math/rng.h"
#include "micro.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * rows customers at the CDNOW Pareto/NBD estimates: cohort d (0 ..
 * cohorts-1) observed for (last - d) days, t_x rounded up to whole
 * multiples of res days (and T too when res is more than a day); times in
 * weeks
 */
static void
Simulate(double *v, size_t rows, int cohorts, int last, int res)
{
	const double sim[4] = {0.553, 10.578, 0.606, 11.669};
	CjRng		rng;
	size_t		k;

	cj_rng_seed(&rng, 42);
	for (k = 0; k < rows; k++)
	{
		double	   *u = &v[3 * k];

		cj_family_pnbd.simulate(sim, (last - (int) (k % cohorts)) / 7.0, &rng, u);
		u[1] = ceil(u[1] * 7.0 / res) * res / 7.0;
		if (res > 1)
			u[2] = ceil(u[2] * 7.0 / res) * res / 7.0;
	}
}

/* What TimeRows computes per row */
typedef enum Score
{
	BARE,
	P_ALIVE,
	CONDITIONAL,
	CLV
} Score;

/* Best of reps CPU times of a score of f over the rows; *sum its checksum */
static double
TimeRows(const CjFamily *f, const double *p, const double *v, size_t rows,
		 int reps, Score what, double *sum)
{
	double		best = INFINITY;
	int			i;

	for (i = 0; i < reps; i++)
	{
		double		t0 = micro_cpu_seconds(),
					s = 0.0;
		size_t		k;

		for (k = 0; k < rows; k++)
		{
			const double *u = &v[3 * k];

			switch (what)
			{
				case BARE:
					s += u[0] + u[1] + u[2];
					break;
				case P_ALIVE:
					s += f->p_alive(p, u);
					break;
				case CONDITIONAL:
					s += f->conditional(p, u, 52.0);
					break;
				case CLV:
					s += cj_clv_discounted(f, p, u, 12, 4.0, 0.01);
					break;
			}
		}
		best = fmin(best, micro_cpu_seconds() - t0);
		*sum = s;
	}
	return best;
}

int
main(int argc, char **argv)
{
	size_t		rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int			reps = argc > 2 ? atoi(argv[2]) : 3,
				cohorts = argc > 3 ? atoi(argv[3]) : 84,
				last = argc > 4 ? atoi(argv[4]) : 273,
				res = argc > 5 ? atoi(argv[5]) : 1;
	size_t		srows = rows < 200000 ? rows : 200000;
	const CjFamily *fams[] = {&cj_family_pnbd, &cj_family_bgnbd, &cj_family_mbgnbd};
	double	   *v = malloc(sizeof(double) * 3 * (rows ? rows : 1));
	CjTuple    *t = malloc(sizeof(CjTuple) * (rows + CJ_FIT_SCRATCH(rows)));
	CjData		d;
	size_t		k;
	int			i;
	double		tb,
				sb;

	if (v == NULL || t == NULL || reps < 1 || rows == 0 || cohorts < 1 ||
		last < cohorts || res < 1)
		return 1;
	Simulate(v, rows, cohorts, last, res);
	for (k = 0; k < rows; k++)
		t[k] = (CjTuple) {{v[3 * k], v[3 * k + 1], v[3 * k + 2]}, 1};
	d.t = t;
	d.n = cj_tuples_sort_merge(t, rows);
	d.total_weight = rows;
	printf("%zu customers in %d daily cohorts observed to day %d, times in steps of %d days: %zu distinct histories; scores over the first %zu rows\n",
		   rows, cohorts, last, res, d.n, srows);
	tb = TimeRows(NULL, NULL, v, srows, reps, BARE, &sb);
	printf("bare loop: %.2f ns/row\n", tb * 1e9 / srows);
	for (i = 0; i < 3; i++)
	{
		const CjFamily *f = fams[i];
		CjFitResult fit;
		double		tfit = micro_time_fit(f, &d, t + d.n, reps, &fit),
					teval = micro_time_eval(f, &d, fit.p, reps),
					tp,
					tc,
					tv,
					sp,
					sc,
					sv;

		printf("%s fit: %.1f ms CPU, %d evaluations (%d BFGS iterations) of %.3f ms, fit/evaluation = %.1f\n",
			   f->name, tfit * 1e3, fit.evaluations, fit.iterations, teval * 1e3,
			   tfit / teval);
		printf("  %s=%.10g %s=%.10g %s=%.10g %s=%.10g ll=%.10f\n",
			   f->param_names[0], fit.p[0], f->param_names[1], fit.p[1],
			   f->param_names[2], fit.p[2], f->param_names[3], fit.p[3],
			   fit.loglik);
		tp = TimeRows(f, fit.p, v, srows, reps, P_ALIVE, &sp);
		tc = TimeRows(f, fit.p, v, srows, reps, CONDITIONAL, &sc);
		tv = TimeRows(f, fit.p, v, srows, reps, CLV, &sv);
		printf("  ns/row: p_alive %.1f, conditional %.1f, clv (12 periods) %.1f (sums %.6f %.6f %.6f)\n",
			   tp * 1e9 / srows, tc * 1e9 / srows, tv * 1e9 / srows, sp, sc, sv);
	}
	free(v);
	free(t);
	return 0;
}
