/*-------------------------------------------------------------------------
 *
 * waithist.c
 *	  Log-linear wait histogram (pure C); see cj_waithist.h.
 *
 * Bucket layout, for a wait of m whole milliseconds:
 *		m < 64:		bucket m (1 ms wide)
 *		m >= 64:	e = floor(log2 m), bucket 64 + (e - 6) * 32 + the five
 *					bits of m below its leading bit
 * the same scheme as HdrHistogram with 5 significant bits.
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/waithist.h"

#include <math.h>

/* Bucket of a wait */
int
cj_waithist_bucket(int64_t us)
{
	int64_t		m = us / 1000;
	int			e = 0;

	if (m < 64)
		return (int) m;
	while ((m >> (e + 1)) != 0)
		e++;
	if (e >= 39)
		return CJ_WAITHIST_BUCKETS - 1;
	return 64 + (e - 6) * 32 + (int) ((m >> (e - 5)) & 31);
}

/* Lower bound and width of a bucket in microseconds */
void
cj_waithist_range(int b, int64_t *lo_us, int64_t *width_us)
{
	int			e,
				sub;

	if (b < 64)
	{
		*lo_us = (int64_t) b * 1000;
		*width_us = 1000;
		return;
	}
	e = 6 + (b - 64) / 32;
	sub = (b - 64) % 32;
	*width_us = ((int64_t) 1 << (e - 5)) * 1000;
	*lo_us = (((int64_t) 1 << e) + (int64_t) sub * ((int64_t) 1 << (e - 5))) * 1000;
}

/* Nearest-rank quantile from the buckets */
int64_t
cj_waithist_quantile(const int64_t *counts, int64_t n, double p,
				 int64_t min_us, int64_t max_us)
{
	int64_t		rank = (int64_t) ceil(p * (double) n),
				seen = 0,
				lo,
				width,
				mid;
	int			b;

	if (rank < 1)
		rank = 1;
	for (b = 0; b < CJ_WAITHIST_BUCKETS - 1; b++)
	{
		seen += counts[b];
		if (seen >= rank)
			break;
	}
	cj_waithist_range(b, &lo, &width);
	mid = lo + width / 2;
	if (mid < min_us)
		mid = min_us;
	if (mid > max_us)
		mid = max_us;
	return mid;
}
