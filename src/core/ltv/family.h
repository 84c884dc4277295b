/*-------------------------------------------------------------------------
 *
 * family.h
 *	  The table of function pointers that defines a model family.
 *
 * Every model family (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, sBG,
 * Gamma-Gamma) is one pure-C file that fills in a CjFamily, with its stable
 * id, and one line in the registry (family.c).  The fitting code, the model type and the
 * scoring functions only ever talk to a family through this table, so
 * adding a family touches no switch statement anywhere.  Fill a CjFamily
 * with designated initializers: members may be appended later, and a
 * member left out is NULL (= "not defined by this family").
 *
 * Fitting data are compressed sufficient statistics: distinct data tuples
 * (up to CJ_TUPLE_DIM numbers each) with a weight (how many customers share
 * the tuple).  The log-likelihood is evaluated over the whole data set at
 * once so that a family can hoist terms that depend only on a parameter and
 * x (log-gamma, digamma) out of the per-tuple loop: tuples arrive sorted by
 * v[0], then v[1], then v[2].
 *
 * Parameters are on their natural scale everywhere in this interface; the
 * optimizer works on their logarithms, so loglik's gradient is taken with
 * respect to log(p[i]) (= p[i] * dLL/dp[i]).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_FAMILY_H
#define CJ_FAMILY_H

#include "core/common/core.h"
#include "core/math/rng.h"

#define CJ_MAX_PARAMS	4		/* the most parameters any family has */
#define CJ_TUPLE_DIM	3		/* the most data columns any family has */

/*
 * Time units are seconds (double) everywhere in the code; one week, the
 * BTYD literature's unit, is the default wherever a unit is not given.
 */
#define CJ_WEEK_SECONDS (7.0 * 86400.0)

/*
 * The most purchases one simulated customer may make: a bound on the
 * simulation loops (about a second of work), far above any real history.
 */
#define CJ_SIM_MAX_PURCHASES 100000000.0

/*
 * Stable family ids.  They are stored in cj_model and cj_fit_state values
 * (on disk, in dumps, on the wire), so an id is never reused or renumbered:
 * the registry is append-only.
 */
#define CJ_FAMILY_BGNBD		1
#define CJ_FAMILY_MBGNBD	2
#define CJ_FAMILY_PNBD		3
#define CJ_FAMILY_BGBB		4
#define CJ_FAMILY_SBG		5
#define CJ_FAMILY_GG		6
#define CJ_FAMILY_MAX_ID	255 /* ids fit in one byte */

/* What a family models; decides which scores and simulations apply */
typedef enum CjFamilyKind
{
	CJ_KIND_PURCHASE = 1,		/* repeat-purchase counts (x, t_x, T|n) */
	CJ_KIND_SPEND,				/* monetary value per transaction (x, m) */
	CJ_KIND_CONTRACT			/* contractual retention (sBG) */
} CjFamilyKind;

/* One distinct data tuple and the number of customers that share it */
typedef struct CjTuple
{
	double		v[CJ_TUPLE_DIM];	/* e.g. x, t_x, T; unused slots are 0 */
	double		w;				/* weight, > 0 (an integer count) */
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
	int			id;				/* stable id (CJ_FAMILY_*), stored in values */
	const char *name;			/* name in the text form: "bgnbd" */
	const char *title;			/* for messages: "BG/NBD" */
	CjFamilyKind kind;
	int			nparams;
	const char *const *param_names; /* the papers' symbols: "r", "alpha" ... */
	int			ndata;			/* data columns used: 2 or 3 */
	const char *const *data_names;	/* "x", "t_x", "T" ... */
	const double *example;		/* a typical parameter vector (nparams) */

	/* Validate one data tuple (v[0..ndata-1]); false with a detail. */
	bool		(*check_data) (const double *v, CjError *err);

	/*
	 * Optional: true for a valid tuple that carries no information and is
	 * left out of the data (Gamma-Gamma: customers with x = 0).
	 */
	bool		(*skip_data) (const double *v);

	/* Validate a parameter vector (all > 0 and finite, etc). */
	bool		(*check_params) (const double *p, CjError *err);

	/*
	 * Optional: reject a whole data set that cannot identify the model
	 * (e.g. BG/NBD with no repeat purchase at all); false with a detail.
	 */
	bool		(*check_fit) (const CjData *d, CjError *err);

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
	 * then raises an error naming the family).  Times are in model units.
	 *   expected(p, t)        E[X(t)] for a new customer
	 *   conditional(p, v, t)  E[X(T, T+t) | history v]
	 *   p_alive(p, v)         P(alive | history v)
	 *   prob_n(p, n, t)       P(X(t) = n) for a new customer
	 *   spend(p, v)           E[M | v], v = (x, m): conditional mean spend
	 */
	double		(*expected) (const double *p, double t);
	double		(*conditional) (const double *p, const double *v, double t);
	double		(*p_alive) (const double *p, const double *v);
	double		(*prob_n) (const double *p, double n, double t);
	double		(*spend) (const double *p, const double *v);

	/*
	 * Optional split of conditional for callers that cache the part that
	 * depends on T and the horizon only (real data repeat T: calendar
	 * days, cohorts):
	 *   exposure(p, T, t)             that part
	 *   conditional_given(p, v, e)    conditional(p, v, t) from e, equal to
	 *                                 it to the last bit
	 */
	double		(*exposure) (const double *p, double T, double t);
	double		(*conditional_given) (const double *p, const double *v,
									  double e);

	/*
	 * Simulation, deterministic for a generator state.
	 *   simulate(p, T, rng, v)       one new customer observed for T: fills
	 *                                the data tuple v (x, t_x, T ...); v[0]
	 *                                is NaN when the customer would make
	 *                                more than CJ_SIM_MAX_PURCHASES
	 *                                purchases (or the rate is infinite)
	 *   simulate_spend(p, x, rng)    mean of x transaction values of one
	 *                                customer (x >= 1)
	 */
	void		(*simulate) (const double *p, double T, CjRng *rng, double *v);
	double		(*simulate_spend) (const double *p, double x, CjRng *rng);

	/*
	 * Optional split of conditional into p_alive(p, v) times a part that
	 * depends on x = v[0], T = v[2] and the horizon only (equal to the
	 * quotient up to rounding): a lifetime value then sums that part over
	 * its periods once per (x, T) and multiplies by one P(alive) per
	 * customer, instead of one conditional expectation per period.
	 *   conditional_part(p, x, T, t)
	 */
	double		(*conditional_part) (const double *p, double x, double T,
									 double t);

	/*
	 * Window quantities of a customer with history v over the next t >= 0
	 * model time units (optional; NaN where not computable):
	 *   window_pmf(p, v, n, t)   P(X(T, T+t) = n | v), n >= 0 whole; at
	 *                            n = 0 the probability of no purchase
	 *   p_alive_at(p, v, t)      P(alive at T+t | v); equal to p_alive
	 *                            at t = 0
	 *   check_window(t, err)     optional: false with a detail for a
	 *                            horizon the family cannot take (BG/BB:
	 *                            a whole number of opportunities)
	 */
	double		(*window_pmf) (const double *p, const double *v, double n,
							   double t);

	/*
	 * Optional split of window_pmf: for t > 0, window_pmf(p, v, n, t) =
	 * window_combine(p, v, n, window_part(p, x, T, n, t)) to the last bit,
	 * where window_part is P(X(T, T+t) = n) of a customer alive at T, which
	 * depends on x = v[0] and T = v[2] only, and window_combine is
	 * [n = 0] P(dead) + P(alive) part from the customer's own odds of
	 * having dropped out (so P(dead) keeps its relative precision).  A
	 * scan then computes the part once per (x, T) (what the family's PMF
	 * costs) and the odds per customer.
	 */
	double		(*window_part) (const double *p, double x, double T, double n,
								double t);
	double		(*window_combine) (const double *p, const double *v, double n,
								   double part);
	double		(*p_alive_at) (const double *p, const double *v, double t);
	bool		(*check_window) (double t, CjError *err);

	/*
	 * Optional: time-invariant covariates (core/ltv/covariates.h).  The
	 * parameters q of one customer from the population's p and the linear
	 * predictors eta_trans = gamma_trans' z_trans and eta_life =
	 * gamma_life' z_life; every score of the customer is the family's
	 * score at q.  NULL: the family takes no covariates.
	 */
	void		(*covariate_params) (const double *p, double eta_trans,
									 double eta_life, double *q);
} CjFamily;

/*
 * Registry lookups (family.c); NULL when there is no such family.  A
 * family is found by the id it declares, never by its place in the list.
 */
extern const CjFamily *cj_family_by_name(const char *name);
extern const CjFamily *cj_family_by_id(int id);
extern int	cj_family_id(const CjFamily *f);

/* Walk the registry: cj_family_at(i) for 0 <= i < cj_family_count() */
extern int	cj_family_count(void);
extern const CjFamily *cj_family_at(int i);

/* "bgnbd, mbgnbd, ...": every family's text-form name, for messages */
extern const char *cj_family_names(void);

/*
 * Shared parameter check: every parameter finite and > 0.  Families whose
 * parameters are all positive reals point check_params here.
 */
extern bool cj_family_positive_params(const CjFamily *f, const double *p,
									  CjError *err);

/* The families of this file set (one pure-C file each) */
extern const CjFamily cj_family_bgnbd;
extern const CjFamily cj_family_mbgnbd;
extern const CjFamily cj_family_gg;
extern const CjFamily cj_family_pnbd;
extern const CjFamily cj_family_bgbb;
extern const CjFamily cj_family_sbg;

#endif							/* CJ_FAMILY_H */
