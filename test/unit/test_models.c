/*
 * test_models.c
 *	  Unit tests of the model families and the optimizer: published fits
 *	  on the CDNOW sample, worked values, gradients, extremes.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "cj_bgnbd.h"
#include "cj_hyp2f1.h"
#include "cj_optim.h"
#include "cj_tupleset.h"

#define NCUST 2357

static CjTuple bg[NCUST],
			gg[NCUST];
static size_t nbg,
			ngg;

/* Load test/data/cdnow_customers_summary_with_transactions.csv */
static int
LoadCdnow(void)
{
	FILE	   *f = fopen("test/data/cdnow_customers_summary_with_transactions.csv", "r");
	char		line[256];
	int			n = 0;

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		return 0;
	while (fgets(line, sizeof(line), f))
	{
		double		id,
					x,
					tx,
					T,
					z;

		if (sscanf(line, "%lf,%lf,%lf,%lf,%lf", &id, &x, &tx, &T, &z) != 5)
			continue;
		bg[nbg].v[0] = x;
		bg[nbg].v[1] = tx;
		bg[nbg].v[2] = T;
		bg[nbg++].w = 1;
		if (x > 0)
		{
			gg[ngg].v[0] = x;
			gg[ngg].v[1] = z;
			gg[ngg].v[2] = 0;
			gg[ngg++].w = 1;
		}
		n++;
	}
	fclose(f);
	nbg = cj_tuples_sort_merge(bg, nbg);
	ngg = cj_tuples_sort_merge(gg, ngg);
	return n;
}

static CjData
Data(const CjTuple *t, size_t n)
{
	CjData		d = {t, n, 0.0};
	size_t		i;

	for (i = 0; i < n; i++)
		d.total_weight += t[i].w;
	return d;
}

/* Analytic gradient vs central differences on log parameters */
static void
CheckGradient(const CjFamily *f, const CjData *d, const double *p0, const char *what)
{
	double		g[CJ_MAX_PARAMS],
				p[CJ_MAX_PARAMS],
				gd[CJ_MAX_PARAMS];
	int			i;
	char		msg[128];

	f->loglik(d, p0, g);
	for (i = 0; i < f->nparams; i++)
	{
		double		h = 1e-5,
					lp,
					lm;

		memcpy(p, p0, sizeof(double) * f->nparams);
		p[i] = p0[i] * exp(h);
		lp = f->loglik(d, p, NULL);
		p[i] = p0[i] * exp(-h);
		lm = f->loglik(d, p, NULL);
		snprintf(msg, sizeof(msg), "%s gradient %s", what, f->param_names[i]);
		gd[i] = (lp - lm) / (2 * h);
		CHECK_CLOSE(g[i], gd[i], 1e-5 * (1 + fabs(f->loglik(d, p0, NULL))) /
					fmax(1.0, fabs(gd[i])), msg);
	}
}

static void
FitCheck(const CjFamily *f, const CjData *d, const double *want, double ll,
		 const char *what)
{
	CjFitResult r;
	CjError		err;
	int			i;
	char		msg[128];

	CHECK(cj_fit_family(f, d, &r, &err), what);
	printf("# %s: ll=%.6f iter=%d evals=%d status=%d grad=%g p=%.6g %.6g %.6g %.6g\n",
		   what, r.loglik, r.iterations, r.evaluations, r.status, r.grad_norm,
		   r.p[0], r.p[1], r.p[2], r.p[3]);
	CHECK(r.status == CJ_FIT_CONVERGED, "converged");
	for (i = 0; i < f->nparams; i++)
	{
		snprintf(msg, sizeof(msg), "%s %s within 0.5%%", what, f->param_names[i]);
		CHECK(fabs(r.p[i] / want[i] - 1) < 0.005, msg);
	}
	snprintf(msg, sizeof(msg), "%s LL", what);
	CHECK(fabs(r.loglik - ll) < 0.01, msg);
}

int
main(void)
{
	double		pbg[4] = {0.2426, 4.4135, 0.7929, 2.4257};
	double		pmbg[4] = {0.525, 6.183, 0.891, 1.614};
	double		pgg[3] = {6.25, 3.74, 15.44};
	CjData		dbg,
				dgg;

	CHECK(LoadCdnow() == NCUST, "load CDNOW summary");
	dbg = Data(bg, nbg);
	dgg = Data(gg, ngg);
	CHECK(dgg.total_weight == 946, "946 repeaters");
	CHECK_CLOSE(cj_family_bgnbd.loglik(&dbg, pbg, NULL), -9582.43, 1e-5, "BG/NBD LL at published");
	CheckGradient(&cj_family_bgnbd, &dbg, pbg, "BG/NBD");
	CheckGradient(&cj_family_mbgnbd, &dbg, pmbg, "MBG/NBD");
	CheckGradient(&cj_family_gg, &dgg, pgg, "GG");
	FitCheck(&cj_family_bgnbd, &dbg, pbg, -9582.43, "BG/NBD fit");
	FitCheck(&cj_family_mbgnbd, &dbg, pmbg, -9582.13, "MBG/NBD fit");
	FitCheck(&cj_family_gg, &dgg, pgg, -4055.92, "GG fit");
	return unit_done();
}
