/*
 * test_sbg.c
 *	  Unit tests of the shifted-beta-geometric family (src/core/ltv/sbg.c)
 *	  on the two Fader-Hardie (2007) cohorts.
 */
#include "unit.h"
#include "family_check.h"
#include "core/ltv/fit.h"
#include "core/ltv/sbg.h"

#include <string.h>

/* Customers active at the start of years 0..12 (0..7 calibrate) */
static const double Regular[13] = {1000, 631, 468, 382, 326, 289, 262, 241,
223, 207, 194, 183, 173};
static const double HighEnd[13] = {1000, 869, 743, 653, 593, 551, 517, 491,
468, 445, 427, 409, 394};

/* Years 1..7 as (k renewals, churned) tuples: 7 churn rows and 1 censored */
static size_t
Cohort(const double *c, CjTuple *t)
{
	int			k;

	for (k = 0; k < 7; k++)
	{
		t[k].v[0] = k;
		t[k].v[1] = 1;
		t[k].v[2] = 0;
		t[k].w = c[k] - c[k + 1];
	}
	t[7].v[0] = 7;
	t[7].v[1] = 0;
	t[7].v[2] = 0;
	t[7].w = c[7];
	return 8;
}

/* One cohort: LL, gradient, DEL, holdout projection */
static void
TestCohort(const double *c, const double *p, double ll, double del,
		   const char *name)
{
	CjTuple		t[8];
	CjData		d = {t, Cohort(c, t), 1000};
	double		worst = 0.0,
				sum = 0.0;
	char		what[100];
	int			k;

	snprintf(what, sizeof(what), "%s: LL at published parameters", name);
	CHECK_CLOSE(cj_family_sbg.loglik(&d, p, NULL), ll, 0.06 / fabs(ll), what);
	snprintf(what, sizeof(what), "%s: gradient vs finite differences", name);
	CHECK(family_grad_error(&cj_family_sbg, &d, p) < 1e-7, what);
	snprintf(what, sizeof(what), "%s: DEL at 10 %% (rounded parameters)", name);
	CHECK_CLOSE(cj_sbg_del(p, 0.1), del, 0.001 / del, what);
	{
		CjFitResult r;
		CjError		err;

		snprintf(what, sizeof(what), "%s: fit", name);
		CHECK(cj_fit_family(&cj_family_sbg, &d, &r, &err), what);
		printf("# %s fit: ll=%.6f iter=%d status=%d grad=%g p=%.6g %.6g DEL=%.6f\n",
			   name, r.loglik, r.iterations, r.status, r.grad_norm, r.p[0], r.p[1],
			   cj_sbg_del(r.p, 0.1));
		snprintf(what, sizeof(what), "%s: fit on the published optimum", name);
		CHECK(r.status == CJ_FIT_CONVERGED && fabs(r.p[0] / p[0] - 1) < 0.005 &&
			  fabs(r.p[1] / p[1] - 1) < 0.005 && fabs(r.loglik - ll) < 0.06, what);
		snprintf(what, sizeof(what), "%s: DEL at 10 %% at the optimum", name);
		CHECK(fabs(cj_sbg_del(r.p, 0.1) - del) < 0.0005, what);
	}
	for (k = 8; k <= 12; k++)
		worst = fmax(worst, fabs(1000 * cj_sbg_survival(p, k) - c[k]) / c[k]);
	snprintf(what, sizeof(what), "%s: holdout years 8-12 within 5 %%", name);
	CHECK(worst < 0.05, what);
	/* DEL and DERL against their defining sums */
	for (k = 0; k < 20000; k++)
		sum += cj_sbg_survival(p, k) * pow(1.1, -k);
	snprintf(what, sizeof(what), "%s: DEL = sum S(t) / 1.1^t", name);
	CHECK_CLOSE(cj_sbg_del(p, 0.1), sum, 1e-10, what);
	sum = 0.0;
	for (k = 4; k < 20000; k++)
		sum += cj_sbg_survival(p, k) / cj_sbg_survival(p, 3) * pow(1.1, -(k - 4));
	snprintf(what, sizeof(what), "%s: DERL(3 renewals) = its sum", name);
	CHECK_CLOSE(cj_sbg_derl(p, 3, 0.1), sum, 1e-10, what);
}

int
main(void)
{
	static const double reg[2] = {0.704, 1.182},
				hi[2] = {0.668, 3.806};
	double		p2[2] = {2.5, 1.5};
	CjTuple		t[8];
	CjData		d = {t, 1, 1};
	CjError		err;

	TestCohort(Regular, reg, -1680.3, 3.695, "regular");
	TestCohort(HighEnd, hi, -1611.2, 5.922, "high end");
	CHECK_CLOSE(cj_sbg_retention(reg, 1), 1.182 / (0.704 + 1.182), 1e-15,
				"r(1) = beta / (alpha + beta)");
	CHECK_CLOSE(cj_sbg_survival(reg, 3),
				cj_sbg_retention(reg, 1) * cj_sbg_retention(reg, 2) *
				cj_sbg_retention(reg, 3), 1e-14, "S(3) = r(1) r(2) r(3)");
	CHECK_CLOSE(cj_sbg_churn_prob(reg, 4),
				cj_sbg_survival(reg, 3) - cj_sbg_survival(reg, 4), 1e-14,
				"P(T = 4) = S(3) - S(4)");
	CHECK_CLOSE(cj_sbg_del(p2, 0.0), 3.0 / 1.5, 1e-15, "DEL at d = 0, alpha > 1");
	CHECK(isinf(cj_sbg_del(reg, 0.0)), "DEL at d = 0, alpha <= 1 is infinite");
	CHECK_CLOSE(cj_sbg_del(p2, 1e-3), cj_sbg_del(p2, 0.0), 1e-2,
				"DEL continuous at d -> 0");
	CHECK_CLOSE(cj_sbg_del(p2, 1.0 / 99.0 - 1e-12), cj_sbg_del(p2, 1.0 / 99.0),
				1e-8, "DEL continuous where the method changes");
	CHECK(isfinite(cj_sbg_del(reg, 1e-9)), "DEL finite at a tiny rate");
	CHECK(isfinite(cj_sbg_derl(reg, 1e6, 0.1)) && cj_sbg_derl(reg, 1e6, 0.1) > 0,
		  "DERL finite after a million renewals");
	t[0].v[0] = 3;
	t[0].v[1] = 0;
	t[0].w = 5;
	CHECK(!cj_family_sbg.check_fit(&d, &err), "no churn: no finite MLE, rejected");
	t[0].v[1] = 2;
	CHECK(!cj_family_sbg.check_data(t[0].v, &err), "churned must be 0/1");
	t[0].v[0] = 1.5;
	t[0].v[1] = 1;
	CHECK(!cj_family_sbg.check_data(t[0].v, &err), "periods must be whole");
	return unit_done();
}
