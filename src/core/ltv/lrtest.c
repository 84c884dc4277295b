/*-------------------------------------------------------------------------
 *
 * lrtest.c
 *	  Likelihood-ratio test of nested fits (Wilks 1938, "The large-sample
 *	  distribution of the likelihood ratio for testing composite
 *	  hypotheses", Ann. Math. Statist. 9(1)).
 *
 * For a restricted model nested in a full one, both fitted by maximum
 * likelihood to the same data, the statistic
 *   LR = 2 (ll_full - ll_restricted)
 * is asymptotically chi-square with df = (free parameters of full) -
 * (free parameters of restricted) degrees of freedom when the restriction
 * holds and the true parameters are interior.  Hence the checks: both
 * fits converged to an interior optimum (a boundary fit's LR follows a
 * chi-square mixture instead), neither is penalised (a penalised maximum
 * is not the likelihood's), and the same data.
 *
 * Nesting among the models custjourney fits: one family, and the
 * restricted model's covariates a restriction of the full one's.  Each
 * free coefficient of the restricted model is free in the same process of
 * the full model; each constrained one (one coefficient in both
 * processes) is in both processes of the full model, free or
 * constrained; a model without covariates is nested in any covariate
 * model of its family (every coefficient fixed at 0).
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/lrtest.h"
#include "core/math/gammainc.h"
#include "core/math/optim.h"

#include <math.h>
#include <string.h>

/* splitmix64's finaliser (Steele, Lea and Flood 2014): a 64-bit mixer */
static uint64_t
Mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/*
 * Fingerprint (see the header): the sum over tuples, modulo 2^64, of
 * weight x a mixed hash of the tuple's values (their bits, -0 read as 0).
 * A sum is what makes it independent of order and merging; the 64-bit
 * sum is folded to 32 bits for the stored value.
 */
uint32_t
cj_data_fingerprint(const CjTuple *t, size_t n)
{
	uint64_t	acc = 0;
	size_t		i;
	int			j;

	for (i = 0; i < n; i++)
	{
		uint64_t	h = 0x9E3779B97F4A7C15ULL;

		for (j = 0; j < CJ_TUPLE_DIM; j++)
		{
			double		v = t[i].v[j] + 0.0;	/* -0 -> +0 */
			uint64_t	bits;

			memcpy(&bits, &v, sizeof(bits));
			h = Mix64(h ^ bits) + (uint64_t) j;
		}
		acc += (uint64_t) t[i].w * Mix64(h);
	}
	acc ^= acc >> 32;
	return ((uint32_t) acc != 0) ? (uint32_t) acc : 1;
}

/* Position of name in one process list of cov, or -1 */
static int
EntryOf(const CjCovariates *cov, int process, const char *name)
{
	int			i;

	for (i = 0; i < cov->n[process]; i++)
		if (strcmp(cov->name[process][i], name) == 0)
			return i;
	return -1;
}

/*
 * Whether every coefficient of r is also estimated by f (see the file
 * header); false with the first offending name in err
 */
static bool
CovNested(const CjCovariates *r, const CjCovariates *f, CjError *err)
{
	static const char *const process[2] = {"trans", "life"};
	int			p,
				i;

	if (r == NULL)
		return true;
	for (p = 0; p < 2; p++)
		for (i = 0; i < r->n[p]; i++)
		{
			const char *name = r->name[p][i];
			int			e = f ? EntryOf(f, p, name) : -1,
						o = f ? EntryOf(f, 1 - p, name) : -1;

			if (e < 0 || (!r->constrained[p][i] && f->constrained[p][e]) ||
				(r->constrained[p][i] && o < 0))
			{
				cj_error_set(err, CJ_ERR_PARAM,
							 "The restricted model's covariate %s.%s is not estimated by the full model in the same way: the models are not nested.",
							 r->constrained[p][i] ? "constr" : process[p], name);
				return false;
			}
		}
	return true;
}

/* A fit the test can use: fitted, converged, unpenalised; err says why not */
static bool
UsableFit(const CjModelBody *b, const CjCovariates *cov, uint32_t fp,
		  const char *which, CjError *err)
{
	if (!(b->flags & CJ_MODEL_HAS_LL) || !(b->flags & CJ_MODEL_HAS_N))
		cj_error_set(err, CJ_ERR_PARAM,
					 "The %s model has no log-likelihood: it was not fitted.", which);
	else if (b->status != CJ_FIT_CONVERGED)
		cj_error_set(err, CJ_ERR_PARAM,
					 "The %s model's fit did not converge to an interior maximum (it says %s); the chi-square approximation needs one.",
					 which, cj_fit_status_name(b->status));
	else if (cov != NULL && (cov->flags & CJ_COV_HAS_PENALTY))
		cj_error_set(err, CJ_ERR_PARAM,
					 "The %s model was fitted with a penalty: its estimate is not the likelihood's maximum.", which);
	else if (fp == 0)
		cj_error_set(err, CJ_ERR_PARAM,
					 "The %s model records no data fingerprint (it was written by hand or fitted before version 1.2); refit it.", which);
	else
		return true;
	return false;
}

/* The test (see the header) */
bool
cj_lr_test_models(const CjModelBody *r, const CjCovariates *rc, uint32_t rfp,
				  const CjModelBody *f, const CjCovariates *fc, uint32_t ffp,
				  CjLrTest *out, CjError *err)
{
	double		llr = r->loglik,
				llf = f->loglik;

	if (r->family != f->family)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The models are of different families (%s and %s): they are not nested.",
					 cj_family_by_id(r->family)->name,
					 cj_family_by_id(f->family)->name);
		return false;
	}
	if (!UsableFit(r, rc, rfp, "restricted", err) ||
		!UsableFit(f, fc, ffp, "full", err))
		return false;
	if (r->n != f->n || rfp != ffp ||
		(r->flags & CJ_MODEL_HAS_UNIT) != (f->flags & CJ_MODEL_HAS_UNIT) ||
		r->unit != f->unit)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The models were fitted to different data (n = %.17g and %.17g, data %08x and %08x).",
					 r->n, f->n, (unsigned) rfp, (unsigned) ffp);
		return false;
	}
	if (!CovNested(rc, fc, err))
		return false;
	out->df = (fc ? fc->ncoef : 0) - (rc ? rc->ncoef : 0);
	if (out->df <= 0)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The full model estimates %d parameters and the restricted one %d: the full model must have more.",
					 cj_family_by_id(f->family)->nparams + (fc ? fc->ncoef : 0),
					 cj_family_by_id(r->family)->nparams + (rc ? rc->ncoef : 0));
		return false;
	}
	out->statistic = 2.0 * (llf - llr);
	/* a restricted maximum above the full one is rounding, or a failed fit */
	if (out->statistic < 0.0)
	{
		if (-out->statistic > 1e-8 * fmax(1.0, fabs(llf)))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "The full model's log-likelihood (%.17g) is below the restricted model's (%.17g): the full fit did not reach its maximum.",
						 llf, llr);
			return false;
		}
		out->statistic = 0.0;
	}
	out->p_value = cj_chisq_sf(out->statistic, out->df);
	return true;
}
