/*
 * test_covfit_recovery.c
 *	  Recovery of known covariate effects (src/core/ltv/covfit.c): NPOP
 *	  populations of N customers simulated with two binary covariates and
 *	  one continuous one on each process, each fitted; the mean of every
 *	  estimate must be within 2 % of the truth (or within 3 standard errors
 *	  of the mean for the small default run) and the spread of the
 *	  estimates across populations consistent with the reported standard
 *	  errors.
 *
 * The default is a quick run (8 populations of 4,000 customers) so that
 * `make unittest` stays fast; the acceptance run of issue 21 is
 *	   COV_RECOVERY_N=100000 ./test/unit/ltv/test_covfit_recovery.bin
 * (8 populations of 100,000; about a minute per family on one core).
 * Customers are simulated with the family's own simulation at their
 * transformed parameters (cj_cov_transform, CLVTools' links), observed
 * for 52 weeks; t_x is rounded to whole days as calendar data are.
 */
#include "unit.h"
#include "core/ltv/covfit.h"
#include "core/ltv/tupleset.h"
#include "core/math/rng.h"

#include <stdlib.h>
#include <string.h>

#define NPOP	8
#define NCOV	3

/* One family's truth */
typedef struct Truth
{
	const CjFamily *f;
	double		p[4];
	double		trans[NCOV];	/* binary, binary, continuous */
	double		life[NCOV];
} Truth;

/* A simulated population, one group per customer (continuous covariate) */
typedef struct Pop
{
	double	   *z;				/* 2 * NCOV per customer */
	CjTuple    *t;
	CjCovGroup *g;
	CjTuple    *all;
	CjData		pooled;
	CjCovData	d;
} Pop;

static void
Simulate(const Truth *tr, const CjCovSpec *s, int n, uint64_t seed, Pop *pop)
{
	CjRng		rng;
	double		coef[2 * NCOV];
	int			i;

	memcpy(coef, tr->trans, sizeof(tr->trans));
	memcpy(coef + NCOV, tr->life, sizeof(tr->life));
	cj_rng_seed(&rng, seed);
	for (i = 0; i < n; i++)
	{
		double	   *z = pop->z + 2 * NCOV * i,
					pz[4],
					v[CJ_TUPLE_DIM];

		z[0] = cj_rng_uniform(&rng) < 0.5 ? 1.0 : 0.0;
		z[1] = cj_rng_uniform(&rng) < 0.3 ? 1.0 : 0.0;
		z[2] = cj_rng_normal(&rng);
		memcpy(z + NCOV, z, sizeof(double) * NCOV);	/* same on both */
		cj_cov_transform(tr->f, s, tr->p, coef, z, pz);
		tr->f->simulate(pz, 52.0, &rng, v);
		v[1] = v[0] > 0 ? fmin(52.0, round(v[1] * 7.0) / 7.0) : 0.0;
		pop->t[i] = (CjTuple) {{v[0], v[1], 52.0}, 1.0};
		pop->g[i].z = z;
		pop->g[i].d.t = &pop->t[i];
		pop->g[i].d.n = 1;
		pop->g[i].d.total_weight = 1.0;
	}
	memcpy(pop->all, pop->t, sizeof(CjTuple) * n);
	pop->pooled.t = pop->all;
	pop->pooled.n = cj_tuples_sort_merge(pop->all, n);
	pop->pooled.total_weight = n;
	pop->d.g = pop->g;
	pop->d.ngroups = n;
	pop->d.total_weight = n;
	pop->d.pooled = &pop->pooled;
}

static void
Recover(const Truth *tr, int n)
{
	static const char *const names[] = {"trans.b1", "trans.b2", "trans.cont",
	"life.b1", "life.b2", "life.cont"};
	CjCovSpec	s;
	Pop			pop;
	double		est[NPOP][2 * NCOV],
				se[NPOP][2 * NCOV];
	int			k,
				j,
				ok = 0;
	char		what[256];

	memset(&s, 0, sizeof(s));
	s.ntrans = s.nlife = NCOV;
	s.ncoef = 2 * NCOV;
	for (j = 0; j < NCOV; j++)
	{
		s.trans_coef[j] = j;
		s.life_coef[j] = NCOV + j;
		s.kind[j] = CJ_COEF_TRANS;
		s.kind[NCOV + j] = CJ_COEF_LIFE;
	}
	pop.z = malloc(sizeof(double) * 2 * NCOV * n);
	pop.t = malloc(sizeof(CjTuple) * n);
	pop.all = malloc(sizeof(CjTuple) * n);
	pop.g = malloc(sizeof(CjCovGroup) * n);
	for (k = 0; k < NPOP; k++)
	{
		CjCovFitResult res;
		CjError		err;

		Simulate(tr, &s, n, 1000 + 17 * k, &pop);
		if (!cj_cov_fit(tr->f, &s, &pop.d, &res, &err) ||
			res.hessian != CJ_HESSIAN_PD)
		{
			printf("# %s population %d: not fitted (%s)\n", tr->f->title, k,
				   cj_fit_status_name(res.status));
			continue;
		}
		for (j = 0; j < 2 * NCOV; j++)
		{
			est[ok][j] = res.coef[j];
			se[ok][j] = sqrt(res.vcov[(4 + j) * res.k + 4 + j]);
		}
		ok++;
	}
	snprintf(what, sizeof(what), "%s: %d populations of %d fitted", tr->f->title, NPOP, n);
	CHECK(ok == NPOP, what);
	if (ok < 2)
		return;
	for (j = 0; j < 2 * NCOV; j++)
	{
		double		truth = j < NCOV ? tr->trans[j] : tr->life[j - NCOV],
					mean = 0.0,
					sd = 0.0,
					mse = 0.0,
					rel;
		int			i;

		for (i = 0; i < ok; i++)
		{
			mean += est[i][j] / ok;
			mse += se[i][j] * se[i][j] / ok;
		}
		for (i = 0; i < ok; i++)
			sd += (est[i][j] - mean) * (est[i][j] - mean) / (ok - 1);
		sd = sqrt(sd);
		mse = sqrt(mse);
		rel = fabs(mean / truth - 1.0);
		printf("# %s %-10s truth %7.4f mean %8.5f (%.2f %%) sd %.5f mean se %.5f sd/se %.2f\n",
			   tr->f->title, names[j], truth, mean, 100 * rel, sd, mse, sd / mse);
		snprintf(what, sizeof(what),
				 "%s %s: mean within 2 %% of the truth or 3 se of the mean (%.2f %%)",
				 tr->f->title, names[j], 100 * rel);
		CHECK(rel <= 0.02 || fabs(mean - truth) <= 3 * mse / sqrt(ok), what);
		/* sd / se of 8 draws: chi-square(7) gives [0.35, 1.65] at 99.8 % */
		snprintf(what, sizeof(what),
				 "%s %s: spread consistent with the standard errors (sd/se %.2f)",
				 tr->f->title, names[j], sd / mse);
		CHECK(sd / mse >= 0.35 && sd / mse <= 1.65, what);
	}
	free(pop.z);
	free(pop.t);
	free(pop.all);
	free(pop.g);
}

int
main(void)
{
	const char *env = getenv("COV_RECOVERY_N");
	int			n = env ? atoi(env) : 4000;
	Truth		pnbd = {&cj_family_pnbd, {0.55, 10.6, 0.6, 11.7},
	{0.6, -0.4, 0.5}, {-0.5, 0.5, 0.4}};
	Truth		bgnbd = {&cj_family_bgnbd, {0.24, 4.4, 0.79, 2.4},
	{0.6, -0.4, 0.5}, {-0.5, 0.5, 0.4}};

	if (n < 100)
		n = 100;
	Recover(&pnbd, n);
	Recover(&bgnbd, n);
	return unit_done();
}
