/*-------------------------------------------------------------------------
 *
 * erlang.h
 *	  Erlang B / Erlang C staffing maths and Cobham's priority-queue waits
 *	  (pure C).
 *
 * All times share one unit chosen by the caller: the arrival rate is per
 * unit of time, the average handling time (AHT) and the target wait are
 * in that unit, and so are the waits returned.  The offered load is
 * A = rate * AHT Erlangs.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_ERLANG_H
#define CJ_ERLANG_H

#include "core/common/core.h"

/* Most agents the functions accept or the solver returns */
#define CJ_ERLANG_MAX_AGENTS 1000000
/* Most priority classes of cj_priority_waits */
#define CJ_ERLANG_MAX_CLASSES 1000

/* Erlang B blocking probability for n servers and load a (n >= 0, a >= 0) */
extern double cj_erl_b(int64_t n, double a);

/* Erlang C probability of waiting; 1 when n <= a (overloaded) */
extern double cj_erl_c(int64_t n, double a);

/*
 * Share of contacts answered within target_wait:
 * 1 - C exp(-(n - a) t / aht); 0 when overloaded.
 */
extern double cj_erl_sl(int64_t n, double a, double aht, double t);

/* Average speed of answer C aht / (n - a); +Infinity when overloaded */
extern double cj_erl_asa(int64_t n, double a, double aht);

/*
 * Smallest number of agents whose service level reaches level within
 * target wait t (0 < level < 1).  Returns -1 when more than
 * CJ_ERLANG_MAX_AGENTS would be needed.
 */
extern int64_t cj_erl_agents(double a, double aht, double level, double t);

/*
 * Mean queueing delay of each class of a non-preemptive priority M/M/n
 * queue with a common service time aht (Cobham 1954):
 *		W_k = C(n, A) aht / n / ((1 - s_{k-1}) (1 - s_k)),
 *		s_k = (rate_1 + ... + rate_k) aht / n,
 * class 1 being served first.  A class with s_k >= 1 waits forever
 * (+Infinity); C is 1 when the whole system is overloaded.
 */
extern void cj_erl_priority_waits(int64_t n, const double *rates, int nclasses,
							  double aht, double *waits);

#endif							/* CJ_ERLANG_H */
