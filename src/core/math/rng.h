/*-------------------------------------------------------------------------
 *
 * rng.h
 *	  A small deterministic random number generator for simulation.
 *
 * xoshiro256** (Blackman and Vigna 2018) seeded through splitmix64, so a
 * seed gives the same stream on every platform and PostgreSQL version.
 * Variates: uniform, exponential, normal (polar method), gamma (Marsaglia
 * and Tsang 2000), beta (ratio of gammas), Poisson and geometric.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_RNG_H
#define CJ_RNG_H

#include <stdint.h>

typedef struct CjRng
{
	uint64_t	s[4];
} CjRng;

/* Seed the generator from a 64-bit seed (any value, 0 included) */
extern void cj_rng_seed(CjRng *rng, uint64_t seed);

/* Next raw 64-bit output */
extern uint64_t cj_rng_next(CjRng *rng);

/* Uniform on the open interval (0, 1) */
extern double cj_rng_uniform(CjRng *rng);

/* Exponential with rate lambda > 0 */
extern double cj_rng_exponential(CjRng *rng, double lambda);

/* Standard normal */
extern double cj_rng_normal(CjRng *rng);

/* Gamma with shape > 0 and rate > 0 (mean shape / rate) */
extern double cj_rng_gamma(CjRng *rng, double shape, double rate);

/* Beta(a, b), a, b > 0 */
extern double cj_rng_beta(CjRng *rng, double a, double b);

#endif							/* CJ_RNG_H */
