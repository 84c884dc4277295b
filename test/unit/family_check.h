/*
 * family_check.h
 *	  Shared checks of the model-family unit tests.
 */
#ifndef FAMILY_CHECK_H
#define FAMILY_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/ltv/family.h"
#include "core/ltv/tupleset.h"

/* Open a CSV file of test/data (paths from the repository root) past its header */
static inline FILE *
family_open_csv(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[256];

	if (f && !fgets(line, sizeof(line), f))
	{
		fclose(f);
		f = NULL;
	}
	return f;
}

/*
 * The CDNOW sample summary (ID, x, t_x, T, zbar), one weight per customer:
 * the (x, t_x, T) tuples into bg and, when gg is not NULL, the (x, zbar)
 * tuples of the repeaters into gg, each sorted and merged into distinct
 * weighted tuples as the fit state keeps them.  Returns the number of
 * customers read (at most cap); 0 when the file cannot be read.
 */
static inline size_t
family_load_cdnow(CjTuple *bg, size_t *nbg, CjTuple *gg, size_t *ngg,
				  size_t cap)
{
	FILE	   *f = family_open_csv("test/data/cdnow_customers_summary_with_transactions.csv");
	char		line[256];
	size_t		n = 0,
				k = 0;
	double		id,
				x,
				tx,
				T,
				z;

	*nbg = 0;
	if (ngg)
		*ngg = 0;
	if (!f)
		return 0;
	while (n < cap && fgets(line, sizeof(line), f))
	{
		if (sscanf(line, "%lf,%lf,%lf,%lf,%lf", &id, &x, &tx, &T, &z) != 5)
			continue;
		bg[n] = (CjTuple) {{x, tx, T}, 1.0};
		if (gg && x > 0)
			gg[k++] = (CjTuple) {{x, z, 0.0}, 1.0};
		n++;
	}
	fclose(f);
	*nbg = cj_tuples_sort_merge(bg, n);
	if (gg)
		*ngg = cj_tuples_sort_merge(gg, k);
	return n;
}

/*
 * Worst relative error of a family's analytic log-parameter gradient
 * against central finite differences at p.
 */
static inline double
family_grad_error(const CjFamily *f, const CjData *d, const double *p)
{
	double		g[CJ_MAX_PARAMS],
				q[CJ_MAX_PARAMS],
				worst = 0.0;
	int			i;

	f->loglik(d, p, g);
	for (i = 0; i < f->nparams; i++)
	{
		double		h = 1e-5,
					up,
					dn,
					fd;

		memcpy(q, p, sizeof(double) * f->nparams);
		q[i] = p[i] * exp(h);
		up = f->loglik(d, q, NULL);
		q[i] = p[i] * exp(-h);
		dn = f->loglik(d, q, NULL);
		fd = (up - dn) / (2 * h);
		worst = fmax(worst, fabs(fd - g[i]) / fmax(1.0, fabs(fd)));
	}
	return worst;
}

#endif							/* FAMILY_CHECK_H */
