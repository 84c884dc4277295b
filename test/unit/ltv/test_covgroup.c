/*
 * test_covgroup.c
 *	  Unit test of cj_cov_group_rows (src/core/ltv/covstate.c): grouping
 *	  rows in any order by covariate vector gives what sorting the rows
 *	  whole (cj_rows_sort_merge) and cutting the runs of equal covariates
 *	  gives: the same groups in the same order, the same tuples, weights
 *	  and totals, bit for bit.  Rows come shuffled, with repeated rows,
 *	  negative and fractional covariates, few and many distinct vectors.
 */
#include "unit.h"
#include "core/ltv/covstate.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 40000

static double Rows[MAX_ROWS * 8];
static double Sorted[MAX_ROWS * 8];
static CjTuple Tuples[MAX_ROWS];
static CjCovGroup Groups[MAX_ROWS];
static uint32_t Scratch[4 * MAX_ROWS + 3 * MAX_ROWS + 64];

/* xorshift64*, deterministic */
static uint64_t Seed = 0x2545F4914F6CDD1DULL;

static uint64_t
Next(void)
{
	Seed ^= Seed >> 12;
	Seed ^= Seed << 25;
	Seed ^= Seed >> 27;
	return Seed * 0x2545F4914F6CDD1DULL;
}

/*
 * n rows of nz covariates drawn from `levels` values each (or continuous
 * when levels is 0), then a history and an integer weight
 */
static void
MakeRows(size_t n, int nz, int levels)
{
	int			stride = nz + 4,
				i;
	size_t		r;

	for (r = 0; r < n; r++)
	{
		double	   *v = Rows + r * stride;
		double		x = (double) (Next() % 6);

		/* a few rows repeat an earlier one exactly */
		if (r > 0 && Next() % 10 == 0)
		{
			memcpy(v, Rows + (Next() % r) * stride, sizeof(double) * stride);
			continue;
		}
		for (i = 0; i < nz; i++)
			v[i] = levels ? (double) (Next() % levels) - 1.5 :
				(double) (Next() % 1000003) / 7.0 - 50000.0;
		v[nz] = x;
		v[nz + 1] = x == 0 ? 0.0 : (double) (Next() % 52) / 7.0;
		v[nz + 2] = 52.0 / 7.0 + (double) (Next() % 3);
		v[nz + 3] = (double) (1 + Next() % 5);
	}
}

/* The grouping of n rows against sort-and-cut, nz covariates */
static void
CheckGrouping(size_t n, int nz, int levels, const char *what)
{
	CjCovShape	s;
	int			stride = nz + 4;
	size_t		ns,
				ng,
				nt,
				g,
				i,
				row = 0;
	double		total;
	bool		same = true;

	memset(&s, 0, sizeof(s));
	s.ntrans = (int8_t) (nz / 2);
	s.nlife = (int8_t) (nz - nz / 2);
	MakeRows(n, nz, levels);
	memcpy(Sorted, Rows, sizeof(double) * stride * n);
	ns = cj_rows_sort_merge(Sorted, n, nz + 3);
	CHECK(cj_cov_group_scratch(n) <= sizeof(Scratch) / sizeof(Scratch[0]),
		  "scratch fits");
	ng = cj_cov_group_rows(&s, Rows, n, Tuples, Groups, Scratch, &nt, &total);
	CHECK(nt == ns, what);
	/* walk the sorted rows alongside the groups */
	for (g = 0; g < ng && same; g++)
	{
		const CjCovGroup *gr = &Groups[g];
		double		gw = 0.0;

		for (i = 0; i < gr->d.n && same; i++, row++)
		{
			const double *r = Sorted + row * stride;

			same = row < ns &&
				memcmp(r, gr->z, sizeof(double) * nz) == 0 &&
				gr->d.t[i].v[0] == r[nz] && gr->d.t[i].v[1] == r[nz + 1] &&
				gr->d.t[i].v[2] == r[nz + 2] && gr->d.t[i].w == r[nz + 3];
			gw += r[nz + 3];
		}
		same = same && gw == gr->d.total_weight && gr->d.t == Tuples + row - gr->d.n;
		/* a group's first row starts a new covariate vector */
		if (same && g > 0)
			same = memcmp(Groups[g - 1].z, gr->z, sizeof(double) * nz) != 0;
	}
	CHECK(same && row == ns, what);
	for (i = 0; i < ns; i++)
		total -= Sorted[i * stride + nz + 3];
	CHECK(total == 0.0, "total weight");
}

int
main(void)
{
	CheckGrouping(0, 2, 2, "no rows");
	CheckGrouping(1, 2, 2, "one row");
	CheckGrouping(5000, 6, 2, "6 binary covariates, 5,000 rows");
	CheckGrouping(MAX_ROWS, 4, 5, "4 covariates of 5 levels, 40,000 rows");
	CheckGrouping(MAX_ROWS, 1, 3, "1 covariate of 3 levels");
	CheckGrouping(MAX_ROWS, 3, 0, "3 continuous covariates (every vector distinct)");
	CheckGrouping(MAX_ROWS, 0, 0, "no covariates (one group)");
	return unit_done();
}
