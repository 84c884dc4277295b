/*
 * family_check.h
 *	  Shared checks of the model-family unit tests.
 */
#ifndef FAMILY_CHECK_H
#define FAMILY_CHECK_H

#include <math.h>
#include <string.h>

#include "cj_family.h"

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
