/*-------------------------------------------------------------------------
 *
 * markov.h
 *	  Exact removal effects of an absorbing Markov chain of journeys.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_MARKOV_H
#define CJ_MARKOV_H

#include "core/common/core.h"

/* Highest chain order (states are the last 1..3 channels) */
#define CJ_MARKOV_MAX_ORDER 3

/* Most transient states in one chain (a dense solve: documented cap) */
#define CJ_MARKOV_MAX_STATES 2000

/* Symbol codes: 0 pads a state shorter than the order (the start) */
#define CJ_MK_PAD 0
#define CJ_MK_CONV (-1)
#define CJ_MK_NULL (-2)

/*
 * One observed transition: from a state (the last `order` channel codes
 * 1..nchan, left-padded with CJ_MK_PAD; all padding is the start state) to
 * the next channel code, CJ_MK_CONV or CJ_MK_NULL, seen count (> 0) times.
 */
typedef struct CjMarkovTrans
{
	int32_t		from[CJ_MARKOV_MAX_ORDER];
	int32_t		next;
	int64_t		count;
} CjMarkovTrans;

/* Order transitions by (from, next); usable with qsort */
extern int	cj_markov_trans_cmp(const void *a, const void *b);

/*
 * Number of distinct from-states of transitions sorted by
 * cj_markov_trans_cmp (the chain's transient states).
 */
extern int	cj_markov_nstates(const CjMarkovTrans *t, int ntrans);

/* Bytes of workspace cj_markov_removal needs */
extern size_t cj_markov_work_size(int nstates, int ntrans);

/*
 * Conversion probability of the chain and each channel's removal effect.
 * t: ntrans transitions sorted by cj_markov_trans_cmp, no duplicates;
 * order 1..CJ_MARKOV_MAX_ORDER; nchan channels coded 1..nchan;
 * converts[c-1] false forces channel c's effect to 0 (it is in no
 * converting journey).  Fills *p_conv and effect[0..nchan-1] (removal
 * effects 1 - P(conv without c) / P(conv), in [0, 1]).  work holds
 * cj_markov_work_size(nstates, ntrans) bytes, 8-byte aligned.
 */
extern bool cj_markov_removal(const CjMarkovTrans *t, int ntrans, int order,
							  int nchan, const bool *converts, void *work,
							  double *p_conv, double *effect, CjError *err);

/*
 * Credits from removal effects: total * effect_c / sum(effect), made to
 * add up to total in channel order; all 0 when no effect is positive.
 */
extern void cj_markov_credits(const double *effect, int nchan, double total,
							  double *credit);

#endif							/* CJ_MARKOV_H */
