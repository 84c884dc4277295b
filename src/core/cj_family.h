/*-------------------------------------------------------------------------
 *
 * cj_family.h
 *	  The table of function pointers that defines a model family.
 *
 * Every model family (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, sBG,
 * Gamma-Gamma) is one pure-C file that fills in a CjFamily and one row in
 * the registry (cj_family.c).  The fitting code, the model type and the
 * scoring functions only ever talk to a family through this table, so
 * adding a family touches no switch statement anywhere.
 *
 * Fitting data are compressed sufficient statistics: distinct data tuples
 * (up to CJ_TUPLE_DIM numbers each) with a weight (how many customers share
 * the tuple).  The log-likelihood is evaluated over the whole data set at
 * once so that a family can hoist terms that depend only on a parameter and
 * x (log-gamma, digamma) out of the per-tuple loop: tuples arrive sorted by
 * v[0], then v[1], then v[2].
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_FAMILY_H
#define CJ_FAMILY_H

#include "cj_core.h"

#define CJ_MAX_PARAMS	4		/* the most parameters any family has */
#define CJ_TUPLE_DIM	3		/* the most data columns any family has */

/* One distinct data tuple and the number of customers that share it */
typedef struct CjTuple
{
	double		v[CJ_TUPLE_DIM];	/* e.g. x, t_x, T; unused slots are 0 */
	double		w;				/* weight, > 0 */
} CjTuple;

/* A data set: distinct tuples sorted lexicographically on v[] */
typedef struct CjData
{
	const CjTuple *t;
	size_t		n;				/* number of distinct tuples */
	double		total_weight;	/* sum of the weights (customers) */
} CjData;

typedef struct CjFamily
{
	const char *name;			/* name in the text form: "bgnbd" */
	const char *title;			/* for messages: "BG/NBD" */
	int			nparams;
	const char *const *param_names; /* the papers' symbols: "r", "alpha" ... */
	int			ndata;			/* data columns used: 2 or 3 */
	const char *const *data_names;	/* "x", "t_x", "T" ... */

	/* Validate one data tuple (v[0..ndata-1]); false with a detail. */
	bool		(*check_data) (const double *v, CjError *err);

	/* Validate a parameter vector (all > 0 and finite, etc). */
	bool		(*check_params) (const double *p, CjError *err);

	/*
	 * Total log-likelihood of the data at parameters p (natural scale);
	 * when grad is not NULL, also its gradient with respect to log(p[i]).
	 * Returns -INFINITY (never NaN) where the likelihood is not finite.
	 */
	double		(*loglik) (const CjData *d, const double *p, double *grad);

	/* A data-driven starting point for the optimizer (natural scale). */
	void		(*start) (const CjData *d, double *p);

	/*
	 * Predictions; NULL where the family does not define them (the glue
	 * then raises an error naming the family).
	 *   expected(p, t)        E[X(t)] for a new customer
	 *   conditional(p, v, t)  E[X(T, T+t) | history v]
	 *   p_alive(p, v)         P(alive | history v)
	 *   prob_n(p, n, t)       P(X(t) = n) for a new customer
	 */
	double		(*expected) (const double *p, double t);
	double		(*conditional) (const double *p, const double *v, double t);
	double		(*p_alive) (const double *p, const double *v);
	double		(*prob_n) (const double *p, double n, double t);
} CjFamily;

/* Registry lookups (cj_family.c); NULL when there is no such family. */
extern const CjFamily *cj_family_by_name(const char *name);
extern const CjFamily *cj_family_by_id(int id);
extern int	cj_family_id(const CjFamily *f);
extern int	cj_family_count(void);

#endif							/* CJ_FAMILY_H */
