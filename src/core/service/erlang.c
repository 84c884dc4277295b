/*-------------------------------------------------------------------------
 *
 * erlang.c
 *	  Erlang B / Erlang C queueing formulas for staffing (pure C).
 *
 * The M/M/n queue: Poisson arrivals at rate lambda, exponential handling
 * times of mean AHT, n agents, offered load A = lambda AHT.
 *
 * Erlang B is computed with the recursion
 *		B(0) = 1,	B(k) = A B(k-1) / (k + A B(k-1)),
 * which never forms A^n / n! and so neither overflows nor loses precision
 * for thousands of agents (Jagerman 1974).  Erlang C follows from B:
 *		C(n, A) = n B / (n - A (1 - B))		for n > A
 * and the usual service-level and speed-of-answer formulas:
 *		SL(t) = 1 - C exp(-(n - A) t / AHT),	ASA = C AHT / (n - A).
 * When n <= A the queue grows without bound: every contact waits (C = 1),
 * none is answered within any finite target (SL = 0) and the mean wait is
 * infinite (ASA = +Infinity).
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/erlang.h"

#include <math.h>

/* Erlang B by the stable recursion */
double
cj_erl_b(int64_t n, double a)
{
	double		b = 1.0;
	int64_t		k;

	for (k = 1; k <= n; k++)
	{
		b = a * b / ((double) k + a * b);
		if ((k & 4095) == 0)
			cj_check_interrupts();
	}
	return b;
}

/* Erlang C from Erlang B */
double
cj_erl_c(int64_t n, double a)
{
	double		b;

	if ((double) n <= a)
		return 1.0;
	if (a == 0.0)
		return 0.0;
	b = cj_erl_b(n, a);
	return (double) n * b / ((double) n - a * (1.0 - b));
}

/* Share answered within t */
double
cj_erl_sl(int64_t n, double a, double aht, double t)
{
	double		sl;

	if ((double) n <= a)
		return 0.0;
	sl = 1.0 - cj_erl_c(n, a) * exp(-((double) n - a) * t / aht);
	return sl < 0.0 ? 0.0 : sl;
}

/* Average speed of answer */
double
cj_erl_asa(int64_t n, double a, double aht)
{
	if ((double) n <= a)
		return INFINITY;
	return cj_erl_c(n, a) * aht / ((double) n - a);
}

/*
 * Smallest n meeting the service level.  SL rises with n, so walk up from
 * the first stable n, carrying the Erlang B recursion along instead of
 * restarting it for each candidate.
 */
int64_t
cj_erl_agents(double a, double aht, double level, double t)
{
	double		b = 1.0;
	int64_t		k;

	for (k = 1; k <= CJ_ERLANG_MAX_AGENTS; k++)
	{
		double		c,
					sl;

		b = a * b / ((double) k + a * b);
		if ((k & 4095) == 0)
			cj_check_interrupts();
		if ((double) k <= a)
			continue;
		c = (a == 0.0) ? 0.0 : (double) k * b / ((double) k - a * (1.0 - b));
		sl = 1.0 - c * exp(-((double) k - a) * t / aht);
		if (sl >= level)
			return k;
	}
	return -1;
}

/* Cobham's mean waits per priority class */
void
cj_erl_priority_waits(int64_t n, const double *rates, int nclasses, double aht,
				  double *waits)
{
	double		total = 0.0,
				c,
				s_prev = 0.0,
				cum = 0.0;
	int			k;

	for (k = 0; k < nclasses; k++)
		total += rates[k];
	c = cj_erl_c(n, total * aht);
	for (k = 0; k < nclasses; k++)
	{
		double		s;

		cum += rates[k];
		s = cum * aht / (double) n;
		if (s >= 1.0)
			waits[k] = INFINITY;
		else
			waits[k] = c * aht / (double) n / ((1.0 - s_prev) * (1.0 - s));
		s_prev = s;
	}
}
