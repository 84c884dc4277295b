/*
 * test_identities.c
 *	  Identities between independent code paths of the purchase families,
 *	  over a grid of extreme parameters.
 *
 * A customer with no purchase after the first, observed for T, has the
 * likelihood P(X(T) = 0) of a new customer: exp(loglik of the tuple
 * (0, 0, T)) must equal prob_n(p, 0, T).  The two are computed by
 * different routes in every family (Pareto/NBD: the likelihood's 2F1
 * bracket or its quadrature, against the PMF's NBD term plus a positive
 * integral; BG/NBD and MBG/NBD: the likelihood's log-sum against FHL
 * eq. 8; BG/BB: the likelihood's sum over death times against FHS eq. 7).
 * Likewise a history observed for no time at all (0, 0, 0) says nothing,
 * so the conditional expectation of X(0, t) given it is the new-customer
 * expectation E[X(t)]: BG/BB's FHS eq. 13 against eq. 9 (the BG/NBD-style
 * families and Pareto/NBD compute E[X(t)] as that conditional, so there
 * it would compare a route with itself).
 * The grid takes every parameter from 1e-3 to 1e4 (all 1,296 corners of
 * six values each) and T from 1e-3 to 1e4, where a formula that is right
 * in the middle of the domain can fail.
 */
#include <math.h>
#include <stdio.h>

#include "unit.h"
#include "core/ltv/family.h"

static const double Grid[] = {1e-3, 0.1, 1.0, 10.0, 1e3, 1e4};

#define NGRID (sizeof(Grid) / sizeof(Grid[0]))

/* |exp(ll) - p0| relative to p0, where both are above 1e-250 */
static double
RelDiff(double ll, double p0)
{
	double		l = exp(ll);

	if (l < 1e-250 && p0 < 1e-250)
		return 0.0;
	return fabs(l - p0) / fmax(p0, 1e-300);
}

/* The identity for one family over the grid and the times ts */
static void
CheckFamily(const CjFamily *f, const double *ts, int nts)
{
	int			i,
				bad = 0,
				total = 0;
	double		worst = 0.0;
	char		what[128];

	for (i = 0; i < (int) (NGRID * NGRID * NGRID * NGRID); i++)
	{
		double		p[4] = {Grid[i % NGRID], Grid[i / NGRID % NGRID],
		Grid[i / (NGRID * NGRID) % NGRID], Grid[i / (NGRID * NGRID * NGRID)]};
		int			k;

		for (k = 0; k < nts; k++)
		{
			CjTuple		t = {{0.0, 0.0, ts[k]}, 1.0};
			CjData		d = {&t, 1, 1.0};
			double		ll = f->loglik(&d, p, NULL),
						p0 = f->prob_n(p, 0.0, ts[k]),
						e = RelDiff(ll, p0);

			total++;
			if (!(e <= 1e-9))
			{
				if (bad < 5)
					printf("# %s(%g, %g, %g, %g) T=%g: exp(ll) = %.17g, P(X=0) = %.17g\n",
						   f->name, p[0], p[1], p[2], p[3], ts[k], exp(ll), p0);
				bad++;
			}
			else if (e > worst)
				worst = e;
		}
	}
	snprintf(what, sizeof(what),
			 "%s: exp(loglik(0, 0, T)) = P(X(T) = 0) within 1e-9 at %d points"
			 " (worst agreeing %.1e)", f->name, total, worst);
	CHECK(bad == 0, what);
}

/* conditional(p, (0, 0, 0), t) = expected(p, t) over the grid */
static void
CheckNoHistory(const CjFamily *f, const double *ts, int nts)
{
	int			i,
				bad = 0,
				total = 0;
	double		worst = 0.0;
	char		what[128];

	for (i = 0; i < (int) (NGRID * NGRID * NGRID * NGRID); i++)
	{
		double		p[4] = {Grid[i % NGRID], Grid[i / NGRID % NGRID],
		Grid[i / (NGRID * NGRID) % NGRID], Grid[i / (NGRID * NGRID * NGRID)]};
		double		v[3] = {0.0, 0.0, 0.0};
		int			k;

		for (k = 0; k < nts; k++)
		{
			double		c = f->conditional(p, v, ts[k]),
						e = f->expected(p, ts[k]),
						d = fabs(c - e) / fmax(e, 1e-300);

			total++;
			if (!(d <= 1e-9) && !(c < 1e-250 && e < 1e-250))
			{
				if (bad < 5)
					printf("# %s(%g, %g, %g, %g) t=%g: conditional %.17g, expected %.17g\n",
						   f->name, p[0], p[1], p[2], p[3], ts[k], c, e);
				bad++;
			}
			else if (d > worst && e >= 1e-250)
				worst = d;
		}
	}
	snprintf(what, sizeof(what),
			 "%s: E[X(0, t) | 0, 0, 0] = E[X(t)] within 1e-9 at %d points"
			 " (worst agreeing %.1e)", f->name, total, worst);
	CHECK(bad == 0, what);
}

int
main(void)
{
	static const double times[] = {1e-3, 0.5, 39.0, 1e3, 1e4};
	static const double opportunities[] = {1.0, 6.0, 100.0, 1e4};

	CheckFamily(&cj_family_bgnbd, times, 5);
	CheckFamily(&cj_family_mbgnbd, times, 5);
	CheckFamily(&cj_family_pnbd, times, 5);
	CheckFamily(&cj_family_bgbb, opportunities, 4);
	CheckNoHistory(&cj_family_bgbb, opportunities, 4);
	return unit_done();
}
