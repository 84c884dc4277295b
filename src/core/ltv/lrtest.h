/*-------------------------------------------------------------------------
 *
 * lrtest.h
 *	  Likelihood-ratio test of two nested fits of the same data, and the
 *	  data fingerprint a fit records so that the test can tell.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_LRTEST_H
#define CJ_LRTEST_H

#include "core/ltv/model.h"

/*
 * Fingerprint of a data set: a 32-bit digest of its tuples and weights
 * that does not depend on their order or on how equal tuples were merged
 * (so a plain fit and a covariate fit of the same customers agree);
 * never 0, which means "no fingerprint".
 */
extern uint32_t cj_data_fingerprint(const CjTuple *t, size_t n);

/* Outcome of a likelihood-ratio test */
typedef struct CjLrTest
{
	double		statistic;		/* 2 (ll_full - ll_restricted), >= 0 */
	int			df;				/* free parameters full - restricted */
	double		p_value;		/* chi-square(df) upper tail */
} CjLrTest;

/*
 * Test restricted (body r, covariates rc or NULL, fingerprint rfp)
 * against full (f, fc, ffp); false with err (CJ_ERR_PARAM) unless both
 * are converged unpenalised fits of one family to the same data (equal n,
 * unit and fingerprint) and the restricted model is nested in the full
 * one (see lrtest.c).
 */
extern bool cj_lr_test_models(const CjModelBody *r, const CjCovariates *rc,
							  uint32_t rfp, const CjModelBody *f,
							  const CjCovariates *fc, uint32_t ffp,
							  CjLrTest *out, CjError *err);

#endif							/* CJ_LRTEST_H */
