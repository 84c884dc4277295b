/*
 * test_covfit.c
 *	  Unit tests of the covariate fits (src/core/ltv/covfit.c): the grouped
 *	  likelihood against the family's own, the analytic gradient against
 *	  differences, and the apparel fits against the independent reference
 *	  (test/ref/covariates_ref.py).
 */
#include "unit.h"
#include "family_check.h"
#include "core/ltv/covfit.h"

#include <stdlib.h>
#include <string.h>

#define APP_MAX_CUST	1000
#define APP_MAX_TX		4000

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm) */
static long
DaysFromCivil(int y, int m, int d)
{
	long		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

typedef struct AppTx
{
	int			id;
	long		day;
} AppTx;

static int
TxCmp(const void *a, const void *b)
{
	const AppTx *x = a,
			   *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->day > y->day) - (x->day < y->day);
}

/* The apparel data grouped by (Gender, Channel): 4 groups */
typedef struct Apparel
{
	CjTuple		t[4][APP_MAX_CUST];
	CjTuple		all[4 * APP_MAX_CUST];	/* every group's tuples, merged */
	CjData		pooled;
	double		z[4][4];		/* trans Gender, Channel, life Gender, Channel */
	CjCovGroup	g[4];
	CjCovData	d;
	int			ncust;
} Apparel;

/*
 * Summary as CLVTools' examples (and covariates_ref.py): weeks, same-day
 * transactions merged, the period ending `weeks` weeks after the first
 * transaction (inclusive), or at the last transaction when weeks <= 0.
 */
static bool
LoadApparel(Apparel *a, int weeks)
{
	static AppTx tx[APP_MAX_TX];
	static int	cov[APP_MAX_CUST + 1][2];
	FILE	   *f = family_open_csv("test/data/apparel_transactions.csv");
	char		line[256];
	int			n = 0,
				i,
				id,
				y,
				m,
				d,
				gnd,
				ch;
	long		first = 0,
				last = 0,
				end;
	size_t		gn[4] = {0};

	if (!f)
		return false;
	while (n < APP_MAX_TX && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d,%d-%d-%d", &id, &y, &m, &d) == 4 && id > 0 &&
			id <= APP_MAX_CUST)
		{
			tx[n].id = id;
			tx[n].day = DaysFromCivil(y, m, d);
			if (n == 0 || tx[n].day < first)
				first = tx[n].day;
			if (n == 0 || tx[n].day > last)
				last = tx[n].day;
			n++;
		}
	fclose(f);
	f = family_open_csv("test/data/apparel_static_cov.csv");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d,%d,%d", &id, &gnd, &ch) == 3 && id > 0 &&
			id <= APP_MAX_CUST)
		{
			cov[id][0] = gnd;
			cov[id][1] = ch;
		}
	fclose(f);
	qsort(tx, n, sizeof(AppTx), TxCmp);
	end = weeks > 0 ? first + 7L * weeks : last;
	a->ncust = 0;
	for (i = 0; i < n;)
	{
		int			j = i,
					x = -1,
					grp;
		long		lastd = tx[i].day;

		for (; j < n && tx[j].id == tx[i].id; j++)
			if (tx[j].day <= end && (j == i || tx[j].day != tx[j - 1].day))
			{
				x++;
				lastd = tx[j].day;
			}
		grp = cov[tx[i].id][0] * 2 + cov[tx[i].id][1];
		a->t[grp][gn[grp]++] = (CjTuple) {{x, (lastd - tx[i].day) / 7.0,
		(end - tx[i].day) / 7.0}, 1.0};
		a->ncust++;
		i = j;
	}
	a->d.total_weight = 0;
	for (i = 0; i < 4; i++)
	{
		a->z[i][0] = a->z[i][2] = i / 2;
		a->z[i][1] = a->z[i][3] = i % 2;
		a->g[i].z = a->z[i];
		a->g[i].d.t = a->t[i];
		a->g[i].d.n = cj_tuples_sort_merge(a->t[i], gn[i]);
		a->g[i].d.total_weight = gn[i];
		a->d.total_weight += gn[i];
	}
	a->d.g = a->g;
	a->d.ngroups = 4;
	/* the pooled data the aggregate passes for the start */
	n = 0;
	for (i = 0; i < 4; i++)
	{
		memcpy(a->all + n, a->g[i].d.t, sizeof(CjTuple) * a->g[i].d.n);
		n += (int) a->g[i].d.n;
	}
	a->pooled.t = a->all;
	a->pooled.n = cj_tuples_sort_merge(a->all, n);
	a->pooled.total_weight = a->d.total_weight;
	a->d.pooled = &a->pooled;
	return true;
}

/* Gender and Channel on both processes; constr: Gender shared */
static void
Spec(CjCovSpec *s, bool constr, double lt, double ll)
{
	memset(s, 0, sizeof(*s));
	s->ntrans = 2;
	s->nlife = 2;
	if (constr)
	{
		/* coefficients: trans.Channel, life.Channel, constr.Gender */
		s->trans_coef[0] = 2;
		s->trans_coef[1] = 0;
		s->life_coef[0] = 2;
		s->life_coef[1] = 1;
		s->ncoef = 3;
		s->kind[0] = CJ_COEF_TRANS;
		s->kind[1] = CJ_COEF_LIFE;
		s->kind[2] = CJ_COEF_CONSTR;
	}
	else
	{
		/* trans.Gender, trans.Channel, life.Gender, life.Channel */
		s->trans_coef[0] = 0;
		s->trans_coef[1] = 1;
		s->life_coef[0] = 2;
		s->life_coef[1] = 3;
		s->ncoef = 4;
		s->kind[0] = s->kind[1] = CJ_COEF_TRANS;
		s->kind[2] = s->kind[3] = CJ_COEF_LIFE;
	}
	s->lambda_trans = lt;
	s->lambda_life = ll;
}

/*
 * With zero coefficients the grouped likelihood is the family's over all
 * customers; the analytic gradient matches central differences.
 */
static void
TestLikelihood(const CjFamily *f, Apparel *a)
{
	static CjTuple all[4 * APP_MAX_CUST];
	CjCovSpec	s;
	CjData		d;
	double		theta[8] = {0.5, 2.0, -0.4, 3.0, 0.3, 0.6, -0.6, 0.8},
				g[8],
				gp[8],
				p[4],
				ll,
				worst = 0.0;
	size_t		n = 0,
				i;
	int			k;
	char		what[128];

	for (i = 0; i < 4; i++)
	{
		memcpy(all + n, a->g[i].d.t, sizeof(CjTuple) * a->g[i].d.n);
		n += a->g[i].d.n;
	}
	d.t = all;
	d.n = cj_tuples_sort_merge(all, n);
	d.total_weight = a->d.total_weight;
	Spec(&s, false, 0, 0);
	{
		double		t0[8];

		memcpy(t0, theta, sizeof(t0));
		t0[4] = t0[5] = t0[6] = t0[7] = 0.0;
		for (k = 0; k < 4; k++)
			p[k] = exp(t0[k]);
		snprintf(what, sizeof(what),
				 "%s: zero coefficients give the family likelihood", f->title);
		CHECK_CLOSE(cj_cov_loglik(f, &s, &a->d, t0, NULL),
					f->loglik(&d, p, NULL), 1e-12, what);
	}
	ll = cj_cov_loglik(f, &s, &a->d, theta, g);
	for (k = 0; k < 8; k++)
	{
		double		h = 1e-6,
					tp[8],
					num;

		memcpy(tp, theta, sizeof(tp));
		tp[k] += h;
		num = cj_cov_loglik(f, &s, &a->d, tp, NULL);
		tp[k] -= 2 * h;
		num = (num - cj_cov_loglik(f, &s, &a->d, tp, NULL)) / (2 * h);
		worst = fmax(worst, fabs(num - g[k]) / fmax(1.0, fabs(num)));
	}
	snprintf(what, sizeof(what),
			 "%s: analytic gradient within 1e-6 of differences (worst %.1e)",
			 f->title, worst);
	CHECK(isfinite(ll) && worst < 1e-6, what);
	(void) gp;
}

/* One reference fit: loglik, penalty and the estimates in spec order */
typedef struct RefFit
{
	const char *name;
	int			family;
	int			weeks;
	bool		constr;
	double		lambda;
	double		loglik;
	double		penalty;
	double		est[8];			/* family parameters, then coefficients */
} RefFit;

/*
 * From test/ref/covariates_ref.py (its output, rounded to 8 digits);
 * constrained fits list trans.Channel, life.Channel, constr.Gender.
 */
static const RefFit Refs[] = {
	{"Pareto/NBD, 104 weeks", CJ_FAMILY_PNBD, 104, false, 0, -5821.062686, 0,
	{1.8389667, 92.962961, 0.59130418, 49.513086,
	0.28613543, 0.62392999, -0.64186802, 0.78975879}},
	{"Pareto/NBD, 104 weeks, L2 0.05", CJ_FAMILY_PNBD, 104, false, 0.05,
		-5828.595488, 0.00970372,
	{1.8142729, 77.93051, 0.57208736, 42.492667,
	0.2262573, 0.33344005, -0.1448528, 0.10352552}},
	{"Pareto/NBD, 104 weeks, Gender constrained", CJ_FAMILY_PNBD, 104, true, 0,
		-5826.534191, 0,
	{1.7938906, 94.735466, 0.42862837, 59.065671,
	0.63855008, 1.0232681, 0.32845341}},
	{"BG/NBD, whole period", CJ_FAMILY_BGNBD, 0, false, 0, -11955.733522, 0,
	{0.46873477, 24.129156, 1.2840875, 6.4095048,
	0.40806231, 0.57106004, -0.72307313, -0.3687636}},
	{"BG/NBD, whole period, L2 0.05", CJ_FAMILY_BGNBD, 0, false, 0.05,
		-11961.215926, 0.00510292,
	{0.46044117, 18.332149, 0.70950439, 3.4995085,
	0.17843689, 0.24990742, -0.077915511, -0.041160509}},
	{"BG/NBD, whole period, Gender constrained", CJ_FAMILY_BGNBD, 0, true, 0,
		-11959.754536, 0,
	{0.46622682, 22.318778, 0.69235572, 3.554576,
	0.5627763, -0.33693525, 0.2773711}},
};

/*
 * BG/NBD on the 104-week split: the likelihood rises towards a boundary
 * (a, b -> infinity with a/b and the coefficients drifting), where the
 * reference stops (covariates_ref.py: a = 3816, b = 28170, log-likelihood
 * -5839.862469; CLVTools a ~ 2e4, b ~ 2e5).  The fit must reach at least
 * that log-likelihood and must not claim an interior optimum.
 */
static void
TestBoundary(void)
{
	static Apparel a;
	CjCovSpec	s;
	CjCovFitResult res;
	CjError		err;
	char		what[400];

	if (!LoadApparel(&a, 104))
	{
		CHECK(false, "apparel data readable");
		return;
	}
	Spec(&s, false, 0, 0);
	if (!cj_cov_fit(&cj_family_bgnbd, &s, &a.d, &res, &err))
	{
		CHECK(false, "BG/NBD, 104 weeks: fits");
		return;
	}
	printf("# BG/NBD 104 weeks: ll=%.6f %s a=%.6g b=%.6g trans %.6g %.6g life %.6g %.6g\n",
		   res.loglik, cj_fit_status_name(res.status), res.p[2], res.p[3],
		   res.coef[0], res.coef[1], res.coef[2], res.coef[3]);
	snprintf(what, sizeof(what),
			 "BG/NBD, 104 weeks: log-likelihood %.6f >= the reference's -5839.862469",
			 res.loglik);
	CHECK(res.loglik >= -5839.862469 - 1e-6, what);
	snprintf(what, sizeof(what),
			 "BG/NBD, 104 weeks: verdict %s, not an interior optimum",
			 cj_fit_status_name(res.status));
	CHECK(res.status != CJ_FIT_CONVERGED && res.p[2] > 1e3 && res.p[3] > 1e4, what);
}

/*
 * The fit's links (covfit.c) give the parameters the model's scores use
 * (the family's covariate_params hook, core/ltv/covariates.h).
 */
static void
TestLinksAgree(void)
{
	static const CjFamily *const fams[] = {&cj_family_pnbd, &cj_family_bgnbd};
	const double p[4] = {0.7, 5.0, 0.9, 11.0},
				coef[4] = {0.3, -0.2, 0.5, 0.25},
				z[4] = {1.0, 2.0, -1.0, 0.5};
	CjCovSpec	s;
	size_t		i;

	Spec(&s, false, 0, 0);
	for (i = 0; i < 2; i++)
	{
		double		q1[4],
					q2[4],
					worst = 0.0;
		int			k;

		cj_cov_transform(fams[i], &s, p, coef, z, q1);
		fams[i]->covariate_params(p, coef[0] * z[0] + coef[1] * z[1],
								  coef[2] * z[2] + coef[3] * z[3], q2);
		for (k = 0; k < 4; k++)
			worst = fmax(worst, fabs(q1[k] / q2[k] - 1.0));
		CHECK(worst < 1e-15, fams[i]->name);
	}
}

/* Acceptance: loglik within 0.01, estimates within 0.5 % or 1e-3 */
static void
TestReference(const RefFit *rf)
{
	const CjFamily *f = cj_family_by_id(rf->family);
	static Apparel a;
	CjCovSpec	s;
	CjCovFitResult res;
	CjError		err;
	char		what[400];
	double		worst = 0.0;
	int			i;

	if (!LoadApparel(&a, rf->weeks))
	{
		CHECK(false, "apparel data readable");
		return;
	}
	Spec(&s, rf->constr, rf->lambda, rf->lambda);
	if (!cj_cov_fit(f, &s, &a.d, &res, &err))
	{
		snprintf(what, sizeof(what), "%s: fits (%s)", rf->name, err.detail);
		CHECK(false, what);
		return;
	}
	snprintf(what, sizeof(what), "%s: log-likelihood within 0.01 (%.6f)",
			 rf->name, res.loglik);
	CHECK(fabs(res.loglik - rf->loglik) <= 0.01, what);
	snprintf(what, sizeof(what), "%s: penalty (%.8f)", rf->name, res.penalty);
	CHECK(fabs(res.penalty - rf->penalty) <= 1e-5 * fmax(1.0, rf->penalty),
		  what);
	for (i = 0; i < res.k; i++)
	{
		double		got = i < 4 ? res.p[i] : res.coef[i - 4],
					want = rf->est[i],
					dev = fabs(want) > 0.2 ? fabs(got / want - 1.0) * 0.2 :
			fabs(got - want);

		if (!(dev <= 1e-3))
			printf("# %s estimate %d: got %.8g want %.8g\n", rf->name, i,
				   got, want);
		worst = fmax(worst, isfinite(dev) ? dev : INFINITY);
	}
	snprintf(what, sizeof(what),
			 "%s: every estimate within 0.5 %% or 1e-3 (%s, %d iterations)",
			 rf->name, cj_fit_status_name(res.status), res.iterations);
	CHECK(worst <= 1e-3 && res.status == CJ_FIT_CONVERGED &&
		  res.hessian == CJ_HESSIAN_PD, what);
}

int
main(void)
{
	static Apparel a;
	size_t		i;

	if (!LoadApparel(&a, 104))
	{
		CHECK(false, "apparel data readable");
		return unit_done();
	}
	CHECK(a.ncust == 600, "apparel: 600 customers");
	TestLikelihood(&cj_family_pnbd, &a);
	TestLikelihood(&cj_family_bgnbd, &a);
	TestLinksAgree();
	for (i = 0; i < sizeof(Refs) / sizeof(Refs[0]); i++)
		TestReference(&Refs[i]);
	TestBoundary();
	return unit_done();
}
