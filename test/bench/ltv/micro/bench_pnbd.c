/*-------------------------------------------------------------------------
 *
 * bench_pnbd.c
 *	  Microbenchmark of the pure-C Pareto/NBD core, without a server.
 *
 * Two figures, each as a ratio to a baseline measured in the same run
 * (these machines are shared, so absolute CPU times drift):
 *   fit:     cj_fit_family on the full CDNOW master summaries (23,570
 *            customers, calibration to 1997-09-30, weeks), against one
 *            log-likelihood-and-gradient evaluation on the same data: the
 *            ratio is the fit's cost in evaluations;
 *   p_alive: the family's P(alive) over ROWS simulated customers (T = 39
 *            weeks), against a bare loop summing x + t_x + T over them.
 * Prints CPU times (best of REPS) and the ratios.
 *
 *   make microbench                       (from the project root)
 *   test/bench/micro/bench_pnbd.bin [ROWS [REPS]]
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/family.h"
#include "core/ltv/fit.h"
#include "core/math/rng.h"
#include "core/ltv/tupleset.h"
#include "micro.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CDNOW_MASTER "test/data/CDNOW_master.txt"
#define CDNOW_CUSTOMERS 23570

/* Days since 1970-01-01 of a yyyymmdd number (civil calendar) */
static long
DayNumber(long ymd)
{
	long		y = ymd / 10000,
				m = ymd / 100 % 100,
				d = ymd % 100;
	long		era,
				yoe,
				doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/*
 * The (x, t_x, T) summaries of the CDNOW master log at 1997-09-30 in
 * weeks, merged into distinct weighted tuples.  The log is sorted by
 * customer and then by day.  Returns the number of distinct tuples.
 */
static size_t
LoadCdnowMaster(CjTuple *t)
{
	FILE	   *f = fopen(CDNOW_MASTER, "r");
	long		cutoff = DayNumber(19970930);
	long		id,
				ymd,
				cur = -1,
				first = 0,
				last = 0,
				prev = -1,
				x = 0;
	size_t		n = 0;
	char		line[256];

	if (f == NULL)
	{
		fprintf(stderr, "cannot open %s (run from the project root)\n", CDNOW_MASTER);
		exit(1);
	}
	while (fgets(line, sizeof(line), f))
	{
		long		day;

		if (sscanf(line, "%ld %ld", &id, &ymd) != 2)
			continue;
		day = DayNumber(ymd);
		if (id != cur)
		{
			if (cur >= 0)
				t[n++] = (CjTuple) {{x, (last - first) / 7.0, (cutoff - first) / 7.0}, 1};
			cur = id;
			first = last = prev = day;
			x = 0;
			continue;
		}
		if (day != prev && day <= cutoff)
		{
			x++;
			last = day;
		}
		prev = day;
	}
	if (cur >= 0)
		t[n++] = (CjTuple) {{x, (last - first) / 7.0, (cutoff - first) / 7.0}, 1};
	fclose(f);
	if (n != CDNOW_CUSTOMERS)
	{
		fprintf(stderr, "expected %d customers in %s, read %zu\n",
				CDNOW_CUSTOMERS, CDNOW_MASTER, n);
		exit(1);
	}
	return cj_tuples_sort_merge(t, n);
}

/* Best of reps CPU times of the fit; fills *fit */
static double
TimeFit(const CjData *d, int reps, CjFitResult *fit)
{
	double		best = INFINITY;
	CjError		err;
	int			i;

	for (i = 0; i < reps; i++)
	{
		double		t0 = micro_cpu_seconds();

		if (!cj_fit_family(&cj_family_pnbd, d, fit, &err))
		{
			fprintf(stderr, "fit failed: %s\n", err.detail);
			exit(1);
		}
		best = fmin(best, micro_cpu_seconds() - t0);
	}
	return best;
}

/* Best of reps CPU times of f over the rows; *sum receives its checksum */
static double
TimeRows(const double *p, const double *v, size_t rows, int reps, bool bare,
		 double *sum)
{
	double		best = INFINITY;
	int			i;

	for (i = 0; i < reps; i++)
	{
		double		t0 = micro_cpu_seconds(),
					s = 0.0;
		size_t		k;

		if (bare)
			for (k = 0; k < rows; k++)
				s += v[3 * k] + v[3 * k + 1] + v[3 * k + 2];
		else
			for (k = 0; k < rows; k++)
				s += cj_family_pnbd.p_alive(p, &v[3 * k]);
		best = fmin(best, micro_cpu_seconds() - t0);
		*sum = s;
	}
	return best;
}

int
main(int argc, char **argv)
{
	size_t		rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int			reps = argc > 2 ? atoi(argv[2]) : 20;
	static CjTuple t[CDNOW_CUSTOMERS];
	const double sim[4] = {0.553, 10.578, 0.606, 11.669};
	double	   *v = malloc(sizeof(double) * 3 * (rows ? rows : 1));
	CjData		d;
	CjFitResult fit;
	CjRng		rng;
	double		tfit,
				teval,
				tp,
				tb,
				sp,
				sb;
	size_t		k;

	if (v == NULL || reps < 1)
		return 1;
	d.t = t;
	d.n = LoadCdnowMaster(t);
	d.total_weight = CDNOW_CUSTOMERS;
	tfit = TimeFit(&d, reps, &fit);
	teval = micro_time_eval(&cj_family_pnbd, &d, fit.p, reps * 10);
	printf("fit on full CDNOW (%zu distinct histories): %.2f ms CPU, %d evaluations\n",
		   d.n, tfit * 1e3, fit.evaluations);
	printf("  r=%.6f alpha=%.6f s=%.6f beta=%.6f ll=%.4f\n",
		   fit.p[0], fit.p[1], fit.p[2], fit.p[3], fit.loglik);
	printf("one likelihood-and-gradient evaluation: %.3f ms CPU\n", teval * 1e3);
	printf("ratio fit/evaluation = %.1f\n", tfit / teval);

	cj_rng_seed(&rng, 42);
	for (k = 0; k < rows; k++)
		cj_family_pnbd.simulate(sim, 39.0, &rng, &v[3 * k]);
	tb = TimeRows(sim, v, rows, reps, true, &sb);
	tp = TimeRows(sim, v, rows, reps, false, &sp);
	printf("p_alive over %zu simulated rows: %.1f ns/row (sum %.6f); bare loop %.2f ns/row\n",
		   rows, tp * 1e9 / rows, sp, tb * 1e9 / rows);
	printf("ratio p_alive/bare loop = %.1f\n", tp / tb);
	free(v);
	return 0;
}
