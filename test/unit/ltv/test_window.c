/*
 * test_window.c
 *	  Unit tests of the window quantities of the purchase families
 *	  (window_pmf, p_alive_at in src/core/ltv/bgnbd.c, pnbd.c, bgbb.c) and
 *	  of the Pareto/NBD PMF they use (PnbdPmf, also cj_prob_purchases).
 */
#include <string.h>

#include "unit.h"
#include "core/ltv/family.h"

/*
 * The identities on a few histories and horizons of each family: the PMF
 * sums to 1 and its mean is the conditional expectation (within 1e-11),
 * P(alive at T) is P(alive) exactly, P(alive at T+t) is below it, and the
 * empty window has no purchase.
 */
static void
TestIdentities(const CjFamily *f, const double *p, const double (*v)[3],
			   int nv, const double *ts, int nt, int nmax)
{
	char		what[160];
	int			i,
				j,
				n;

	for (i = 0; i < nv; i++)
		for (j = 0; j < nt; j++)
		{
			double		total = 0.0,
						mean = 0.0,
						cond = f->conditional(p, v[i], ts[j]);

			for (n = 0; n <= nmax; n++)
			{
				double		q = f->window_pmf(p, v[i], n, ts[j]);

				total += q;
				mean += n * q;
			}
			snprintf(what, sizeof(what), "%s (%g, %g, %g) t=%g: PMF sums to 1",
					 f->name, v[i][0], v[i][1], v[i][2], ts[j]);
			CHECK_CLOSE(total, 1.0, 1e-11, what);
			snprintf(what, sizeof(what), "%s (%g, %g, %g) t=%g: PMF mean is the conditional",
					 f->name, v[i][0], v[i][1], v[i][2], ts[j]);
			CHECK_CLOSE(mean, cond, 1e-11, what);
			snprintf(what, sizeof(what), "%s (%g, %g, %g) t=%g: alive at T+t",
					 f->name, v[i][0], v[i][1], v[i][2], ts[j]);
			CHECK(f->p_alive_at(p, v[i], 0.0) == f->p_alive(p, v[i]) &&
				  f->p_alive_at(p, v[i], ts[j]) <= f->p_alive(p, v[i]) &&
				  f->window_pmf(p, v[i], 0.0, 0.0) == 1.0 &&
				  f->window_pmf(p, v[i], 1.0, 0.0) == 0.0, what);
		}
}

/*
 * The split of window_pmf that scans cache by (x, T) (family.h,
 * window_part, window_combine): for t > 0, the combination of the part
 * is the PMF to the last bit, for every n, on the histories and on
 * extreme parameters.
 */
static void
TestWindowSplit(const CjFamily *f, const double *p, const double (*v)[3],
				int nv, const double *ts, int nt)
{
	char		what[160];
	int			i,
				j,
				n,
				bad = 0;

	for (i = 0; i < nv; i++)
		for (j = 0; j < nt; j++)
			for (n = 0; n <= 40; n++)
			{
				double		w = f->window_pmf(p, v[i], n, ts[j]),
							s = f->window_combine(p, v[i], n,
												  f->window_part(p, v[i][0], v[i][2],
																 n, ts[j]));

				if (memcmp(&w, &s, sizeof(w)) != 0)
				{
					if (bad++ < 3)
						printf("# %s (%g, %g, %g) n=%d t=%g: %.17g != %.17g\n",
							   f->name, v[i][0], v[i][1], v[i][2], n, ts[j], w, s);
				}
			}
	snprintf(what, sizeof(what), "%s: window_combine of window_part is window_pmf bit for bit",
			 f->name);
	CHECK(bad == 0, what);
}

/*
 * Pareto/NBD P(X(t) = n) against 40-digit values (mpmath: the alive and
 * dying parts of the model's definition, tanh-sinh quadrature): tiny
 * probabilities the earlier integral had to 1e-7 only, and a posterior
 * r + x = 1e5 where it overflowed.
 */
static void
TestPnbdPmf(void)
{
	static const struct
	{
		double		p[4],
					n,
					t,
					want;
	}			c[] = {
		{{0.5533, 10.5776, 0.6061, 11.6650}, 15, 0.5, 1.1521172669274698108e-21},
		{{0.1, 100, 0.05, 0.1}, 30, 39, 9.7762698038854183972e-20},
		{{5, 1, 3, 100}, 45, 0.5, 9.3087028080292506619e-18},
	};
	int			i;

	for (i = 0; i < (int) (sizeof(c) / sizeof(c[0])); i++)
		CHECK_CLOSE(cj_family_pnbd.prob_n(c[i].p, c[i].n, c[i].t) / c[i].want,
					1.0, 1e-12, "Pareto/NBD P(X(t) = n) to 1e-12 relative");
	{
		double		p[4] = {1e5 + 0.5, 1e4, 1.0, 1e4};
		double		q = cj_family_pnbd.prob_n(p, 0.0, 0.01);

		CHECK(q > 0.0 && q < 1.0, "Pareto/NBD P(X(t) = 0) at r = 1e5 is a probability");
	}
}

int
main(void)
{
	static const double bg[4] = {0.2426, 4.4135, 0.7929, 2.4257};
	static const double pn[4] = {0.5533, 10.5776, 0.6061, 11.6650};
	static const double bb[4] = {1.204, 0.750, 0.657, 2.783};
	static const double hist[][3] = {{0, 0, 38.86}, {2, 30.43, 38.86},
	{7, 10, 38.86}, {29, 38, 38.86}, {0, 0, 0}};
	static const double ts[] = {0.5, 4, 39};
	static const double bhist[][3] = {{0, 0, 6}, {4, 5, 6}, {6, 6, 6}, {1, 1, 6}};
	static const double bts[] = {1, 5, 30};

	TestIdentities(&cj_family_bgnbd, bg, hist, 5, ts, 3, 400);
	TestIdentities(&cj_family_mbgnbd, bg, hist, 5, ts, 3, 400);
	TestIdentities(&cj_family_pnbd, pn, hist, 5, ts, 3, 400);
	TestIdentities(&cj_family_bgbb, bb, bhist, 4, bts, 3, 30);
	TestWindowSplit(&cj_family_bgnbd, bg, hist, 5, ts, 3);
	TestWindowSplit(&cj_family_mbgnbd, bg, hist, 5, ts, 3);
	TestWindowSplit(&cj_family_pnbd, pn, hist, 5, ts, 3);
	{
		static const double pe[4] = {0.01, 1e4, 1.0, 0.01};
		static const double pf[4] = {50, 0.02, 0.02, 2e4};
		static const double eh[][3] = {{0, 0, 1e4}, {300, 20, 1e4}, {3, 1e-3, 2}};
		static const double et[] = {1e-3, 100};

		TestWindowSplit(&cj_family_pnbd, pe, eh, 3, et, 2);
		TestWindowSplit(&cj_family_pnbd, pf, eh, 3, et, 2);
		TestWindowSplit(&cj_family_bgnbd, pf, eh, 3, et, 2);
	}
	TestPnbdPmf();
	return unit_done();
}
