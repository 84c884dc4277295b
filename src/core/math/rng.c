/*-------------------------------------------------------------------------
 *
 * rng.c
 *	  xoshiro256** with splitmix64 seeding, and the variates built on it.
 *
 * The generator is the public-domain design of Blackman and Vigna,
 * "Scrambled linear pseudorandom number generators" (2018).  Gamma variates
 * use Marsaglia and Tsang, "A simple method for generating gamma
 * variables" (ACM TOMS 26(3), 2000), with the shape < 1 boost
 * G(a) = G(a + 1) * U^(1/a).
 *
 *-------------------------------------------------------------------------
 */
#include "core/math/rng.h"

#include <math.h>

/* splitmix64 step: used only to spread a seed over the state */
static uint64_t
SplitMix64(uint64_t *x)
{
	uint64_t	z = (*x += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline uint64_t
Rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* Seed the generator */
void
cj_rng_seed(CjRng *rng, uint64_t seed)
{
	uint64_t	x = seed;
	int			i;

	for (i = 0; i < 4; i++)
		rng->s[i] = SplitMix64(&x);
}

/* xoshiro256** next output */
uint64_t
cj_rng_next(CjRng *rng)
{
	uint64_t   *s = rng->s;
	uint64_t	result = Rotl(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = Rotl(s[3], 45);
	return result;
}

/* Uniform on (0, 1): 53 random bits, offset by half an ulp */
double
cj_rng_uniform(CjRng *rng)
{
	return ((double) (cj_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53;
}

/* Exponential with rate lambda */
double
cj_rng_exponential(CjRng *rng, double lambda)
{
	return -log(cj_rng_uniform(rng)) / lambda;
}

/* Standard normal by the Marsaglia polar method (one value per call) */
double
cj_rng_normal(CjRng *rng)
{
	double		u,
				v,
				s;

	do
	{
		u = 2.0 * cj_rng_uniform(rng) - 1.0;
		v = 2.0 * cj_rng_uniform(rng) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * log(s) / s);
}

/*
 * Gamma(shape, rate) by Marsaglia-Tsang: with d = a - 1/3, c = 1/sqrt(9d),
 * accept d*v, v = (1 + c z)^3, when log U < z^2/2 + d - d v + d log v.
 */
double
cj_rng_gamma(CjRng *rng, double shape, double rate)
{
	double		d,
				c,
				z,
				v,
				u;

	if (shape < 1.0)
	{
		u = cj_rng_uniform(rng);
		return cj_rng_gamma(rng, shape + 1.0, rate) * pow(u, 1.0 / shape);
	}
	d = shape - 1.0 / 3.0;
	c = 1.0 / sqrt(9.0 * d);
	for (;;)
	{
		do
		{
			z = cj_rng_normal(rng);
			v = 1.0 + c * z;
		} while (v <= 0.0);
		v = v * v * v;
		u = cj_rng_uniform(rng);
		if (u < 1.0 - 0.0331 * z * z * z * z)
			break;
		if (log(u) < 0.5 * z * z + d * (1.0 - v + log(v)))
			break;
	}
	return d * v / rate;
}

/* Beta(a, b) = G_a / (G_a + G_b) */
double
cj_rng_beta(CjRng *rng, double a, double b)
{
	double		x = cj_rng_gamma(rng, a, 1.0);
	double		y = cj_rng_gamma(rng, b, 1.0);

	if (x + y <= 0.0)
		return cj_rng_uniform(rng) < a / (a + b) ? 1.0 : 0.0;
	return x / (x + y);
}
