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
 * The window's P(no purchase in (0, t]) of that empty history is the
 * new customer's P(X(t) = 0) (Pareto/NBD: the likelihood route of its
 * window part against the PMF's; MBG/NBD: the window's posterior, whose
 * first dropout is in the past, against FHL eq. 8 with the shift; the
 * BG/NBD and BG/BB windows are that PMF itself there), and a Pareto/NBD
 * customer with no purchase by T is alive with P(alive) P(X(T) = 0) =
 * (alpha/(alpha+T))^r (beta/(beta+T))^s, the likelihood's alive term
 * (Fader and Hardie's 2005 note on the Pareto/NBD).
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

/* One identity over the parameter grid and the times ts */
typedef double (*GridSide) (const CjFamily *f, const double *p, double t);

static void
CheckGrid(const CjFamily *f, const double *ts, int nts, GridSide lhs,
		  GridSide rhs, const char *name)
{
	int			i,
				bad = 0,
				total = 0;
	double		worst = 0.0;
	char		what[160];

	for (i = 0; i < (int) (NGRID * NGRID * NGRID * NGRID); i++)
	{
		double		p[4] = {Grid[i % NGRID], Grid[i / NGRID % NGRID],
		Grid[i / (NGRID * NGRID) % NGRID], Grid[i / (NGRID * NGRID * NGRID)]};
		int			k;

		for (k = 0; k < nts; k++)
		{
			double		a = lhs(f, p, ts[k]),
						b = rhs(f, p, ts[k]),
						d = fabs(a - b) / fmax(b, 1e-300);

			total++;
			if (a < 1e-250 && b < 1e-250)
				continue;
			if (!(d <= 1e-9))
			{
				if (bad < 5)
					printf("# %s(%g, %g, %g, %g) t=%g: %.17g against %.17g\n",
						   f->name, p[0], p[1], p[2], p[3], ts[k], a, b);
				bad++;
			}
			else if (d > worst)
				worst = d;
		}
	}
	snprintf(what, sizeof(what), "%s: %s within 1e-9 at %d points (worst %.1e)",
			 f->name, name, total, worst);
	CHECK(bad == 0, what);
}

/* The two sides of the identities (see the header) */
static double
WindowNone(const CjFamily *f, const double *p, double t)
{
	double		v[3] = {0.0, 0.0, 0.0};

	return f->window_pmf(p, v, 0.0, t);
}

static double
NewNone(const CjFamily *f, const double *p, double t)
{
	return f->prob_n(p, 0.0, t);
}

static double
AliveTimesNone(const CjFamily *f, const double *p, double T)
{
	double		v[3] = {0.0, 0.0, T};

	return f->p_alive(p, v) * f->prob_n(p, 0.0, T);
}

static double
LikNone(const CjFamily *f, const double *p, double T)
{
	CjTuple		t = {{0.0, 0.0, T}, 1.0};
	CjData		d = {&t, 1, 1.0};

	return exp(f->loglik(&d, p, NULL));
}

static double
CondEmpty(const CjFamily *f, const double *p, double t)
{
	double		v[3] = {0.0, 0.0, 0.0};

	return f->conditional(p, v, t);
}

static double
Expected(const CjFamily *f, const double *p, double t)
{
	return f->expected(p, t);
}

static double
PnbdAliveTerm(const CjFamily *f, const double *p, double T)
{
	(void) f;
	return exp(-p[0] * log1p(T / p[1]) - p[2] * log1p(T / p[3]));
}

int
main(void)
{
	static const double times[] = {1e-3, 0.5, 39.0, 1e3, 1e4};
	static const double opportunities[] = {1.0, 6.0, 100.0, 1e4};

	const CjFamily *lik[] = {&cj_family_bgnbd, &cj_family_mbgnbd, &cj_family_pnbd};
	int			i;

	for (i = 0; i < 3; i++)
		CheckGrid(lik[i], times, 5, LikNone, NewNone,
				  "exp(loglik(0, 0, T)) = P(X(T) = 0)");
	CheckGrid(&cj_family_bgbb, opportunities, 4, LikNone, NewNone,
			  "exp(loglik(0, 0, n)) = P(X(n) = 0)");
	CheckGrid(&cj_family_bgbb, opportunities, 4, CondEmpty, Expected,
			  "E[X(0, t) | 0, 0, 0] = E[X(t)]");
	CheckGrid(&cj_family_mbgnbd, times, 5, WindowNone, NewNone,
			  "P(none in (0, t] | 0, 0, 0) = P(X(t) = 0)");
	CheckGrid(&cj_family_pnbd, times, 5, WindowNone, NewNone,
			  "P(none in (0, t] | 0, 0, 0) = P(X(t) = 0)");
	CheckGrid(&cj_family_pnbd, times, 5, AliveTimesNone, PnbdAliveTerm,
			  "P(alive | 0, 0, T) P(X(T) = 0) = the alive term");
	return unit_done();
}
