/*-------------------------------------------------------------------------
 *
 * waithist.h
 *	  Log-linear histogram of waits for mergeable percentiles (pure C).
 *
 * Waits are bucketed in whole milliseconds: exactly below 64 ms, and with
 * 32 buckets per power of two above, so a bucket's midpoint is within
 * 1/64 (1.6 %) of any wait in it.  Buckets from different nodes or
 * workers add up, which makes the percentiles of cj_wait_stats
 * combinable in parallel and on Citus with a fixed-size state.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_WAITHIST_H
#define CJ_WAITHIST_H

#include "core/common/core.h"

/* Waits of 2^39 ms (17 years) and more share the last bucket */
#define CJ_WAITHIST_BUCKETS (64 + (39 - 6) * 32)

/*
 * The longest wait the histogram keeps to 1/64 (microseconds, exclusive):
 * 2^39 ms, about 17.4 years.  Longer waits would share the last bucket,
 * whose midpoint says nothing about them, so cj_wait_stats refuses them.
 */
#define CJ_WAITHIST_LIMIT_US (((int64_t) 1 << 39) * 1000)

/* Bucket of a wait of us microseconds (us >= 0) */
extern int	cj_waithist_bucket(int64_t us);

/* Lower bound and width of bucket b, in microseconds */
extern void cj_waithist_range(int b, int64_t *lo_us, int64_t *width_us);

/*
 * Nearest-rank p-quantile (0 < p <= 1) of n waits counted in counts:
 * the midpoint of the bucket holding rank ceil(p n), clamped to
 * [min_us, max_us].
 */
extern int64_t cj_waithist_quantile(const int64_t *counts, int64_t n, double p,
								int64_t min_us, int64_t max_us);

#endif							/* CJ_WAITHIST_H */
