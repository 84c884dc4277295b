/*
 * test_waithist.c
 *	  Unit tests of the log-linear wait histogram (src/core/service/waithist.c).
 */
#include "unit.h"
#include "core/service/waithist.h"

#include <stdint.h>
#include <string.h>

int
main(void)
{
	static int64_t counts[CJ_WAITHIST_BUCKETS];
	int64_t		lo,
				w,
				us,
				q;
	int			b,
				ok = 1,
				i;

	CHECK(cj_waithist_bucket(0) == 0 && cj_waithist_bucket(999) == 0, "sub-ms in bucket 0");
	CHECK(cj_waithist_bucket(63999) == 63 && cj_waithist_bucket(64000) == 64, "exact below 64 ms");
	CHECK(cj_waithist_bucket(INT64_MAX) == CJ_WAITHIST_BUCKETS - 1, "huge waits clamp");
	/* every wait lies in its bucket and the midpoint is within 1/64 */
	for (us = 0; us < (int64_t) 1 << 45; us = us * 5 / 4 + 777)
	{
		b = cj_waithist_bucket(us);
		cj_waithist_range(b, &lo, &w);
		if (b < CJ_WAITHIST_BUCKETS - 1 && (us < lo || us >= lo + w))
			ok = 0;
		if (us >= 64000 && b < CJ_WAITHIST_BUCKETS - 1 &&
			fabs((double) (lo + w / 2) - (double) us) > (double) us / 64.0 + 1000)
			ok = 0;
	}
	CHECK(ok, "buckets contain their waits, midpoints within 1/64");
	/* buckets are contiguous */
	ok = 1;
	for (b = 0; b < CJ_WAITHIST_BUCKETS - 1; b++)
	{
		int64_t		lo2,
					w2;

		cj_waithist_range(b, &lo, &w);
		cj_waithist_range(b + 1, &lo2, &w2);
		if (lo + w != lo2)
			ok = 0;
	}
	CHECK(ok, "buckets are contiguous");
	/* waits 1..100 s: p50 ~ 50 s, p90 ~ 90 s */
	memset(counts, 0, sizeof(counts));
	for (i = 1; i <= 100; i++)
		counts[cj_waithist_bucket((int64_t) i * 1000000)]++;
	q = cj_waithist_quantile(counts, 100, 0.5, 1000000, 100000000);
	CHECK(fabs((double) q - 50e6) <= 50e6 / 64, "p50 within 1/64");
	q = cj_waithist_quantile(counts, 100, 0.9, 1000000, 100000000);
	CHECK(fabs((double) q - 90e6) <= 90e6 / 64, "p90 within 1/64");
	q = cj_waithist_quantile(counts, 100, 1.0, 1000000, 100000000);
	CHECK(q == 100000000 || fabs((double) q - 100e6) <= 100e6 / 64, "p100 near max");
	memset(counts, 0, sizeof(counts));
	counts[cj_waithist_bucket(2500)] = 3;
	CHECK(cj_waithist_quantile(counts, 3, 0.5, 2500, 2500) == 2500, "clamped to min/max");
	return unit_done();
}
