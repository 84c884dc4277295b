/*-------------------------------------------------------------------------
 *
 * bench_families.c
 *	  Microbenchmark of the pure-C core for the families bench_scale.c does
 *	  not cover: BG/BB, shifted-beta-geometric and Gamma-Gamma, without a
 *	  server.
 *
 * Each family's data are ROWS customers simulated at published estimates
 * (BG/BB: the donations estimates of Fader, Hardie and Shang 2010 over 6
 * opportunities; sBG: the "regular" segment of Fader and Hardie 2007 over
 * 12 periods; Gamma-Gamma: the CDNOW estimates of the Gamma-Gamma note
 * over the repeat buyers of a Poisson count) and merged into distinct
 * weighted tuples, as the fit aggregates merge them.  For each it reports
 *   fit:    CPU time of cj_fit_family_scratch, its likelihood evaluations
 *           and the time of one likelihood-and-gradient evaluation;
 *   scores: nanoseconds per row of the family's scores (BG/BB: P(alive),
 *           the conditional expectation over 5 opportunities and the
 *           window PMF at 1; sBG: survival, retention and DERL at 10 %;
 *           Gamma-Gamma: the conditional mean spend) over the rows, and of
 *           a bare loop summing the same numbers.
 * CPU times are the best of REPS (the machines are shared).
 *
 *   make microbench                       (from the project root)
 *   test/bench/ltv/micro/bench_families.bin [ROWS [REPS]]
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/family.h"
#include "core/ltv/fit.h"
#include "core/ltv/sbg.h"
#include "core/ltv/tupleset.h"
#include "core/math/rng.h"
#include "micro.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* rows data tuples of family f (see the header); v is 3 doubles a row */
static void
Simulate(const CjFamily *f, double *v, size_t rows)
{
	static const double bgbb[4] = {1.204, 0.750, 0.657, 2.783},
				sbg[2] = {0.704, 1.182},
				gg[3] = {6.25, 3.74, 15.44};
	CjRng		rng;
	size_t		k;

	cj_rng_seed(&rng, 42);
	for (k = 0; k < rows; k++)
	{
		double	   *u = &v[3 * k];

		if (f == &cj_family_bgbb)
			f->simulate(bgbb, 6.0, &rng, u);
		else if (f == &cj_family_sbg)
		{
			/* churn in period t with probability theta ~ Beta each period */
			double		theta = cj_rng_beta(&rng, sbg[0], sbg[1]);
			int			t = 1;

			while (t <= 12 && cj_rng_uniform(&rng) >= theta)
				t++;
			u[0] = (t <= 12) ? t - 1 : 12;
			u[1] = (t <= 12) ? 1.0 : 0.0;
			u[2] = 0.0;
		}
		else
		{
			/* repeat purchases of a CDNOW-like buyer: 1 + Poisson(2) */
			double		x = 1.0,
						s = cj_rng_exponential(&rng, 1.0);

			while (s < 2.0)
			{
				x++;
				s += cj_rng_exponential(&rng, 1.0);
			}
			u[0] = x;
			u[1] = f->simulate_spend(gg, x, &rng);
			u[2] = 0.0;
		}
	}
}

/* Score number which (0: bare loop) of family f at p for row u */
static double
Score(const CjFamily *f, const double *p, const double *u, int which)
{
	if (which == 0)
		return u[0] + u[1] + u[2];
	if (f == &cj_family_bgbb)
		return which == 1 ? f->p_alive(p, u) :
			which == 2 ? f->conditional(p, u, 5.0) : f->window_pmf(p, u, 1.0, 5.0);
	if (f == &cj_family_sbg)
		return which == 1 ? cj_sbg_survival(p, u[0] + 1.0) :
			which == 2 ? cj_sbg_retention(p, u[0] + 1.0) :
			cj_sbg_derl(p, u[0] + 1.0, 0.1);
	return f->spend(p, u);
}

/* Best of reps CPU times of score which over the rows; *sum its checksum */
static double
TimeRows(const CjFamily *f, const double *p, const double *v, size_t rows,
		 int reps, int which, double *sum)
{
	double		best = INFINITY;
	int			i;

	for (i = 0; i < reps; i++)
	{
		double		t0 = micro_cpu_seconds(),
					s = 0.0;
		size_t		k;

		for (k = 0; k < rows; k++)
			s += Score(f, p, &v[3 * k], which);
		best = fmin(best, micro_cpu_seconds() - t0);
		*sum = s;
	}
	return best;
}

int
main(int argc, char **argv)
{
	static const char *const scores[3][3] = {
		{"p_alive", "conditional (5)", "window pmf (1 in 5)"},
		{"survival", "retention", "derl (10 %)"},
		{"spend", NULL, NULL}};
	size_t		rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int			reps = argc > 2 ? atoi(argv[2]) : 3;
	size_t		srows = rows < 200000 ? rows : 200000;
	const CjFamily *fams[] = {&cj_family_bgbb, &cj_family_sbg, &cj_family_gg};
	double	   *v = malloc(sizeof(double) * 3 * (rows ? rows : 1));
	CjTuple    *t = malloc(sizeof(CjTuple) * (rows + CJ_FIT_SCRATCH(rows)));
	int			i;

	if (v == NULL || t == NULL || reps < 1 || rows == 0)
		return 1;
	for (i = 0; i < 3; i++)
	{
		const CjFamily *f = fams[i];
		CjFitResult fit;
		CjData		d;
		size_t		k;
		double		tfit,
					teval,
					tb,
					sb;
		int			s;

		Simulate(f, v, rows);
		for (k = 0; k < rows; k++)
			t[k] = (CjTuple) {{v[3 * k], v[3 * k + 1], v[3 * k + 2]}, 1};
		d.t = t;
		d.n = cj_tuples_sort_merge(t, rows);
		d.total_weight = rows;
		tfit = micro_time_fit(f, &d, t + d.n, reps, &fit);
		teval = micro_time_eval(f, &d, fit.p, reps);
		printf("%s: %zu customers, %zu distinct tuples; fit %.2f ms CPU, %d evaluations of %.4f ms, fit/evaluation = %.1f\n ",
			   f->name, rows, d.n, tfit * 1e3, fit.evaluations, teval * 1e3,
			   tfit / teval);
		for (s = 0; s < f->nparams; s++)
			printf(" %s=%.6g", f->param_names[s], fit.p[s]);
		printf(" ll=%.6f\n", fit.loglik);
		tb = TimeRows(f, fit.p, v, srows, reps, 0, &sb);
		printf("  ns/row over %zu rows: bare loop %.2f", srows, tb * 1e9 / srows);
		for (s = 1; s <= 3 && scores[i][s - 1]; s++)
		{
			double		sum,
						ts = TimeRows(f, fit.p, v, srows, reps, s, &sum);

			printf(", %s %.1f", scores[i][s - 1], ts * 1e9 / srows);
			sb += sum;
		}
		/* the checksum keeps every loop's result alive */
		printf(" (checksum %.6g)\n", sb);
	}
	free(v);
	free(t);
	return 0;
}
