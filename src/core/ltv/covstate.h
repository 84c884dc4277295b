/*-------------------------------------------------------------------------
 *
 * covstate.h
 *	  The sufficient statistics of a covariate fit (pure C): the shape of
 *	  the fit (covariate names, constraints, lambdas) and a set of distinct
 *	  weighted rows (covariates, x, t_x, T), with its text form.
 *
 * A row is stored as width = ntrans + nlife + 3 doubles followed by its
 * weight: the trans covariates, the life covariates, then x, t_x, T.  In
 * that order the rows sort by covariate vector first, so a sorted array is
 * already grouped the way the likelihood (covfit.h) evaluates it, each
 * group's tuples sorted as the families expect.
 *
 * Text form (cj_cov_fit_state):
 *	 pnbd{}											no row yet, shape open
 *	 pnbd[trans=Gender,Channel;life=Gender,Channel;constr=Gender;
 *		  lambda_trans=0;lambda_life=0]{(0,0,104|1,0|1,0):3,...}
 * rows as (x,t_x,T|trans values|life values):weight, sorted, distinct.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_COVSTATE_H
#define CJ_COVSTATE_H

#include "core/ltv/covariates.h"
#include "core/ltv/covfit.h"
#include "core/ltv/tupleset.h"

/* The longest covariate name (bytes, without the NUL), as the model's */
#define CJ_COVNAME_MAX	(CJ_COV_NAME_MAX - 1)

/* Values of one row before its weight */
#define CJ_COVROW_MAX	(2 * CJ_COVFIT_MAX + 3)

/* The shape of a covariate fit; plain bytes, no pointers */
typedef struct CjCovShape
{
	uint8_t		family;			/* stable family id */
	int8_t		ntrans;			/* -1: no shape yet (empty state) */
	int8_t		nlife;
	int8_t		nconstr;
	uint8_t		reserved[4];	/* zero */
	double		lambda_trans;
	double		lambda_life;
	char		trans[CJ_COVFIT_MAX][CJ_COVNAME_MAX + 1];
	char		life[CJ_COVFIT_MAX][CJ_COVNAME_MAX + 1];
	char		constr[CJ_COVFIT_MAX][CJ_COVNAME_MAX + 1];
} CjCovShape;

/* Values per row (before the weight) of a shape */
#define CJ_COVSHAPE_WIDTH(s) ((s)->ntrans + (s)->nlife + 3)

/* Whether a covariate name is valid: [A-Za-z_][A-Za-z0-9_]*, <= 63 bytes */
extern bool cj_cov_name_valid(const char *name);

/*
 * Check a shape: counts (at least one covariate in all), names valid and
 * distinct within a process, constrained names present in both
 * processes, lambdas finite >= 0.
 */
extern bool cj_cov_shape_check(const CjCovShape *s, CjError *err);

/* Whether two shapes are the same fit (everything but reserved bytes) */
extern bool cj_cov_shape_equal(const CjCovShape *a, const CjCovShape *b);

/*
 * The spec of a shape (covfit.h) and the names of its coefficients, in
 * order: trans.<name> for each unconstrained trans covariate, life.<name>
 * likewise, then constr.<name> (names: ncoef x (CJ_COVNAME_MAX + 8)).
 */
#define CJ_COEFNAME_MAX (CJ_COVNAME_MAX + 8)
extern void cj_cov_shape_spec(const CjCovShape *s, CjCovSpec *spec,
							  char names[][CJ_COEFNAME_MAX]);

/* A set of distinct weighted rows in caller memory (like CjTupleSet) */
typedef struct CjRowSet
{
	double	   *rows;			/* capacity * (width + 1) doubles */
	int32_t    *slots;			/* nslots entries, -1 = empty */
	uint32_t	n;
	uint32_t	capacity;
	uint32_t	nslots;			/* power of two >= 2 * capacity */
	int			width;			/* values per row before the weight */
} CjRowSet;

extern void cj_rowset_reindex(CjRowSet *s);

/*
 * Add weight w to row v (width values; -0 is stored as 0).  Returns
 * CJ_TUPLESET_ADDED, _FULL or _WEIGHT (core/ltv/tupleset.h) and changes
 * nothing unless added.
 */
extern CjTupleSetAdd cj_rowset_add(CjRowSet *s, const double *v, double w,
								   double max_w);

/* Sort rows (width + 1 doubles each) and merge equal ones; returns n */
extern size_t cj_rows_sort_merge(double *rows, size_t n, int width);

/*
 * Check one row against the shape's family: x, t_x, T by the family's
 * data check and every covariate finite.
 */
extern bool cj_cov_row_check(const CjCovShape *s, const double *v,
							 CjError *err);

/*
 * Group rows (in any order) by covariate vector for the likelihood, as
 * sorting them and cutting the runs of equal covariates would: groups in
 * the lexicographic order of their covariates, each with its tuples
 * sorted and equal ones merged.  tuples (n of them), groups (at most n)
 * and scratch (cj_cov_group_scratch(n) values) are the caller's; groups
 * point into rows for their covariates and into tuples, which hold
 * *ntuples tuples afterwards.  Returns the number of groups; *total gets
 * the sum of the weights.
 */
extern size_t cj_cov_group_scratch(size_t n);
extern size_t cj_cov_group_rows(const CjCovShape *s, const double *rows,
								size_t n, CjTuple *tuples, CjCovGroup *groups,
								uint32_t *scratch, size_t *ntuples,
								double *total);

/* Text form: rows a literal of textlen bytes can hold */
extern size_t cj_cov_state_parse_rows(size_t textlen);

/*
 * Parse a literal: the shape into *s and the rows (sorted, merged,
 * checked) into rows (room for cj_cov_state_parse_rows rows of
 * CJ_COVROW_MAX + 1 doubles), *n rows.
 */
extern bool cj_cov_state_parse(const char *text, CjCovShape *s, double *rows,
							   size_t *n, CjError *err);

/* Bytes the text of n rows needs, NUL included */
extern size_t cj_cov_state_text_size(const CjCovShape *s, size_t n);

/* Write the text of a shape and its sorted, merged rows */
extern size_t cj_cov_state_format(const CjCovShape *s, const double *rows,
								  size_t n, char *buf);

#endif							/* CJ_COVSTATE_H */
