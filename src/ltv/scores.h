/*-------------------------------------------------------------------------
 *
 * scores.h
 *	  What the scores (scores.c) share with the diagnostics that score
 *	  customers too (holdout.c, tracking.c).
 *
 * cj_score_model decodes the cj_model in argument argno once per distinct
 * value, caching it in fn_extra slot k (0 .. CJ_SCORE_SLOTS-1; one slot
 * per model argument of the function).  cj_score_result raises 22003 for a
 * non-finite score.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SCORES_H
#define CJ_SCORES_H

#include "ltv/model.h"

#define CJ_SCORE_SLOTS 2

typedef struct CjModelSlot
{
	bool		valid;
	CjModelBody b;				/* b.params are the parameters */
	const CjFamily *f;
	CjCovariates *cov;			/* the coefficients, NULL without */
	char	   *raw;			/* a model with covariates as stored (for
								 * the comparison), rawlen bytes */
	Size		rawlen;
} CjModelSlot;

/*
 * cj_score_model refuses a model with covariates (22023 naming them);
 * cj_score_model_cov takes both kinds.
 */
extern const CjModelSlot *cj_score_model(FunctionCallInfo fcinfo, int argno,
										 int k);
extern const CjModelSlot *cj_score_model_cov(FunctionCallInfo fcinfo,
											 int argno, int k);
extern double cj_score_result(double v, const char *function);

#endif							/* CJ_SCORES_H */
