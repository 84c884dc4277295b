/*-------------------------------------------------------------------------
 *
 * model.c
 *	  Parser and validator of the cj_model text form (see cj_model.h).
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/model.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "core/ltv/fit.h"
#include "core/common/text.h"

/* "<number>d" (days) or "<number>s" (seconds) */
bool
cj_parse_unit(const char **p, double *seconds)
{
	const char *s = *p;
	double		v;

	if (!cj_parse_double(&s, &v))
		return false;
	if (*s == 'd')
		v *= 86400.0;
	else if (*s != 's')
		return false;
	s++;
	if (!(v > 0.0 && isfinite(v)))
		return false;
	*seconds = v;
	*p = s;
	return true;
}

/* family(name=value, ...) */
static bool
ParseParams(const char **pp, CjModelBody *b, const CjFamily **fam, CjError *err)
{
	char		name[64];
	const CjFamily *f;
	bool		seen[CJ_MAX_PARAMS] = {false};
	int			i,
				count = 0;

	if (cj_parse_ident(pp, name, sizeof(name)) <= 0 ||
		(f = cj_family_by_name(name)) == NULL)
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Expected a model family name (%s).", cj_family_names());
		return false;
	}
	*fam = f;
	b->family = (uint8_t) cj_family_id(f);
	if (!cj_accept_char(pp, '('))
		goto syntax;
	do
	{
		double		v;

		if (cj_parse_ident(pp, name, sizeof(name)) <= 0 ||
			!cj_accept_char(pp, '=') || !cj_parse_double(pp, &v))
			goto syntax;
		for (i = 0; i < f->nparams; i++)
			if (strcmp(f->param_names[i], name) == 0)
				break;
		if (i == f->nparams || seen[i])
		{
			cj_error_set(err, CJ_ERR_SYNTAX,
						 "Parameter \"%s\" is unknown or repeated for family %s.",
						 name, f->name);
			return false;
		}
		seen[i] = true;
		b->params[i] = v;
		count++;
	} while (cj_accept_char(pp, ','));
	if (!cj_accept_char(pp, ')'))
		goto syntax;
	if (count != f->nparams)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "A %s model needs all of its %d parameters.",
					 f->name, f->nparams);
		return false;
	}
	return true;
syntax:
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "Expected family(name=number, ...) followed by optional fit facts.");
	return false;
}

/*
 * vcov=[v11, v12, ..., vkk] (the k x k covariance of the parameters, in
 * the family's order, row by row) or vcov=indefinite (the observed
 * information at the estimate was not positive definite).
 */
static bool
ParseVcov(const char **pp, CjModelBody *b, CjCovariates *cov)
{
	const CjFamily *f = cj_family_by_id(b->family);
	char		word[16];
	const char *save = *pp;
	int			k = f->nparams,
				dim = k + ((b->flags & CJ_MODEL_HAS_COV) ? cov->ncoef : 0),
				n = 0,
				i;
	double	   *dst = (b->flags & CJ_MODEL_HAS_COV) ? cov->vcov : b->vcov;

	if (b->flags & (CJ_MODEL_HAS_VCOV | CJ_MODEL_HESS_INDEF))
		return false;
	if (cj_parse_ident(pp, word, sizeof(word)) > 0)
	{
		b->flags |= CJ_MODEL_HESS_INDEF;
		return strcmp(word, "indefinite") == 0;
	}
	*pp = save;
	if (!cj_accept_char(pp, '['))
		return false;
	do
	{
		if (n >= dim * dim || !cj_parse_double(pp, &dst[n]))
			return false;
		n++;
	} while (cj_accept_char(pp, ','));
	b->flags |= CJ_MODEL_HAS_VCOV;
	if (dst != b->vcov)
		for (i = 0; i < k * k; i++)
			b->vcov[i] = dst[(i / k) * dim + i % k];
	return n == dim * dim && cj_accept_char(pp, ']');
}

/*
 * Covariate blocks trans(...), life(...), constr(...) after the
 * parameters, in any order, each at most once; false with err on a
 * syntax error.  *pp is left at the first word that is not a block.
 */
static bool
ParseCovBlocks(const char **pp, CjModelBody *b, CjCovariates *cov,
			   CjError *err)
{
	static const char *const blocks[3] = {"trans", "life", "constr"};
	bool		seen[3] = {false, false, false};

	for (;;)
	{
		const char *save = *pp;
		char		word[16];
		int			which;

		if (cj_parse_ident(pp, word, sizeof(word)) <= 0 ||
			*cj_skip_space(*pp) != '(')
		{
			*pp = save;
			break;
		}
		for (which = 0; which < 3; which++)
			if (strcmp(word, blocks[which]) == 0)
				break;
		if (which == 3 || seen[which] || cov == NULL)
		{
			cj_error_set(err, CJ_ERR_SYNTAX,
						 cov == NULL ? "Covariate coefficients are not accepted here." :
						 "Covariate blocks are trans(...), life(...) and constr(...), each at most once.");
			return false;
		}
		seen[which] = true;
		if (!(b->flags & CJ_MODEL_HAS_COV))
			memset(cov, 0, sizeof(*cov));
		b->flags |= CJ_MODEL_HAS_COV;
		if (!cj_covariates_parse_block(pp, which, cov, err))
			return false;
	}
	if (b->flags & CJ_MODEL_HAS_COV)
	{
		cj_covariates_assemble(cov);
		return cj_covariates_finish(cov, err);
	}
	return true;
}

/*
 * The data fingerprint: exactly 8 hexadecimal digits, not all zero (0
 * means "no fingerprint"); false when absent, repeated or malformed
 */
static bool
ParseFingerprint(const char **pp, uint32_t *fp)
{
	const char *p = cj_skip_space(*pp);
	uint32_t	v = 0;
	int			i;

	if (fp == NULL || *fp != 0)
		return false;
	for (i = 0; i < 8; i++)
	{
		char		c = p[i];
		int			d = (c >= '0' && c <= '9') ? c - '0' :
			(c >= 'a' && c <= 'f') ? c - 'a' + 10 :
			(c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;

		if (d < 0)
			return false;
		v = (v << 4) | (uint32_t) d;
	}
	if (v == 0 || isxdigit((unsigned char) p[8]))
		return false;
	*fp = v;
	*pp = p + 8;
	return true;
}

/*
 * One fit fact; false on a syntax error or a repeated fact.  fp (NULL for
 * callers that keep no fingerprint) receives data=.
 */
static bool
ParseFact(const char **pp, CjModelBody *b, CjCovariates *cov, uint32_t *fp)
{
	char		name[32];
	int			st;
	int64_t		iv;
	uint8_t		bit;

	if (cj_parse_ident(pp, name, sizeof(name)) <= 0)
		return false;
	st = cj_fit_status_by_name(name);
	if (st > 0)
	{
		if (b->status != 0)
			return false;
		b->status = (uint8_t) st;
		return true;
	}
	if (!cj_accept_char(pp, '='))
		return false;
	if (strcmp(name, "ll") == 0)
		bit = CJ_MODEL_HAS_LL;
	else if (strcmp(name, "n") == 0)
		bit = CJ_MODEL_HAS_N;
	else if (strcmp(name, "iter") == 0)
		bit = CJ_MODEL_HAS_ITER;
	else if (strcmp(name, "grad") == 0)
		bit = CJ_MODEL_HAS_GRAD;
	else if (strcmp(name, "unit") == 0)
		bit = CJ_MODEL_HAS_UNIT;
	else if (strcmp(name, "vcov") == 0)
		return ParseVcov(pp, b, cov);
	else if (strcmp(name, "data") == 0)
		return ParseFingerprint(pp, fp);
	else if (strcmp(name, "penalty") == 0)
	{
		if (!(b->flags & CJ_MODEL_HAS_COV) || (cov->flags & CJ_COV_HAS_PENALTY))
			return false;
		cov->flags |= CJ_COV_HAS_PENALTY;
		return cj_parse_double(pp, &cov->penalty);
	}
	else
		return false;
	if (b->flags & bit)
		return false;
	b->flags |= bit;
	switch (bit)
	{
		case CJ_MODEL_HAS_LL:
			return cj_parse_double(pp, &b->loglik);
		case CJ_MODEL_HAS_N:
			return cj_parse_double(pp, &b->n);
		case CJ_MODEL_HAS_GRAD:
			return cj_parse_double(pp, &b->grad_norm);
		case CJ_MODEL_HAS_UNIT:
			*pp = cj_skip_space(*pp);
			return cj_parse_unit(pp, &b->unit);
		default:
			if (!cj_parse_int64(pp, &iv) || iv < 0 || iv > INT32_MAX)
				return false;
			b->iterations = (int32_t) iv;
			return true;
	}
}

/* Parse the text form with its data fingerprint */
bool
cj_model_parse_full(const char *s, CjModelBody *b, CjCovariates *cov,
					uint32_t *fp, CjError *err)
{
	const char *p = s;
	const CjFamily *f;

	memset(b, 0, sizeof(*b));
	if (fp)
		*fp = 0;
	if (!ParseParams(&p, b, &f, err) || !ParseCovBlocks(&p, b, cov, err))
		return false;
	while (!cj_at_end(p))
	{
		if (!ParseFact(&p, b, cov, fp))
		{
			if (b->flags & CJ_MODEL_HAS_COV)
				cj_error_set(err, CJ_ERR_SYNTAX,
							 "Fit facts are ll=, penalty=, n=, data=, iter=, grad=, unit=, vcov= (each once) and one verdict (converged, boundary, maxiter, stalled).");
			else
				cj_error_set(err, CJ_ERR_SYNTAX,
							 "Fit facts are ll=, n=, data=, iter=, grad=, unit=, vcov= (each once) and one verdict (converged, boundary, maxiter, stalled).");
			return false;
		}
	}
	return cj_model_validate_cov(b, (b->flags & CJ_MODEL_HAS_COV) ? cov : NULL,
								 err);
}

/* Parse the text form (a data= fact is then an error) */
bool
cj_model_parse_cov(const char *s, CjModelBody *b, CjCovariates *cov,
				   CjError *err)
{
	return cj_model_parse_full(s, b, cov, NULL, err);
}

/* Parse a text form without covariates */
bool
cj_model_parse(const char *s, CjModelBody *b, CjError *err)
{
	return cj_model_parse_cov(s, b, NULL, err);
}

/* True for +0.0 exactly (not -0.0) */
static bool
IsPlusZero(double v)
{
	return v == 0.0 && !signbit(v);
}

/*
 * Whether two models are the same value: family, fit verdict, flags,
 * iterations and every number (compared as numbers, so -0 equals 0); the
 * format version is not part of the value.
 */
bool
cj_model_equal(const CjModelBody *a, const CjModelBody *b)
{
	int			i;

	if (a->family != b->family || a->status != b->status ||
		a->flags != b->flags || a->iterations != b->iterations ||
		a->loglik != b->loglik || a->n != b->n ||
		a->grad_norm != b->grad_norm || a->unit != b->unit)
		return false;
	for (i = 0; i < CJ_MAX_PARAMS; i++)
		if (a->params[i] != b->params[i])
			return false;
	for (i = 0; i < CJ_MAX_PARAMS * CJ_MAX_PARAMS; i++)
		if (a->vcov[i] != b->vcov[i])
			return false;
	return true;
}

/*
 * A covariance matrix: k x k, finite, exactly symmetric, positive definite
 * (its Cholesky factorisation succeeds with positive pivots), slots past
 * k x k zero.
 */
static bool
ValidVcov(int k, const double *v)
{
	double		L[CJ_MAX_PARAMS * CJ_MAX_PARAMS];
	int			i,
				j,
				l;

	for (i = k * k; i < CJ_MAX_PARAMS * CJ_MAX_PARAMS; i++)
		if (!IsPlusZero(v[i]))
			return false;
	for (i = 0; i < k * k; i++)
		if (!isfinite(v[i]) || v[i] != v[(i % k) * k + i / k])
			return false;
	memcpy(L, v, sizeof(double) * k * k);
	for (j = 0; j < k; j++)
	{
		double		d = L[j * k + j];

		for (l = 0; l < j; l++)
			d -= L[j * k + l] * L[j * k + l];
		if (!(d > 0.0) || !isfinite(d))
			return false;
		L[j * k + j] = sqrt(d);
		for (i = j + 1; i < k; i++)
		{
			double		w = L[i * k + j];

			for (l = 0; l < j; l++)
				w -= L[i * k + l] * L[j * k + l];
			L[i * k + j] = w / L[j * k + j];
		}
	}
	return true;
}

/* Validate every field */
bool
cj_model_validate(const CjModelBody *b, CjError *err)
{
	const CjFamily *f = cj_family_by_id(b->family);
	int			i;

	if (f == NULL)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Unknown model family id %d.", b->family);
		return false;
	}
	if (!f->check_params(b->params, err))
		return false;
	for (i = f->nparams; i < CJ_MAX_PARAMS; i++)
		if (b->params[i] != 0.0)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Unused parameter slots must be 0.");
			return false;
		}
	if (b->status > CJ_FIT_STATUS_MAX ||
		b->iterations < 0 || !isfinite(b->loglik) ||
		!(b->n >= 0.0 && isfinite(b->n)) ||
		!(b->grad_norm >= 0.0 && isfinite(b->grad_norm)) ||
		!(b->unit >= 0.0 && isfinite(b->unit)) ||
		((b->flags & CJ_MODEL_HAS_UNIT) != 0) != (b->unit > 0.0))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Fit facts must be finite: n >= 0, iter >= 0, grad >= 0, unit > 0.");
		return false;
	}
	if ((b->flags & CJ_MODEL_HAS_VCOV) ? ((b->flags & CJ_MODEL_HESS_INDEF) ||
										  !ValidVcov(f->nparams, b->vcov)) :
		!ValidVcov(0, b->vcov))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A covariance matrix has k x k finite entries and is symmetric and positive definite.");
		return false;
	}
	/* a fact the flags say is absent is not printed: it must be zero */
	if ((!(b->flags & CJ_MODEL_HAS_LL) && !IsPlusZero(b->loglik)) ||
		(!(b->flags & CJ_MODEL_HAS_N) && !IsPlusZero(b->n)) ||
		(!(b->flags & CJ_MODEL_HAS_ITER) && b->iterations != 0) ||
		(!(b->flags & CJ_MODEL_HAS_GRAD) && !IsPlusZero(b->grad_norm)))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A fit fact that is not present must be 0.");
		return false;
	}
	return true;
}

/* Validate a body and its covariates */
bool
cj_model_validate_cov(const CjModelBody *b, CjCovariates *cov, CjError *err)
{
	const CjFamily *f;

	if (!cj_model_validate(b, err))
		return false;
	if (!(b->flags & CJ_MODEL_HAS_COV))
		return true;
	f = cj_family_by_id(b->family);
	if (f->covariate_params == NULL)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A %s model takes no covariates (Pareto/NBD and BG/NBD do).",
					 f->title);
		return false;
	}
	if (cov == NULL || !cj_covariates_finish(cov, err))
	{
		if (cov == NULL)
			cj_error_set(err, CJ_ERR_PARAM, "The model's covariates are missing.");
		return false;
	}
	if (cov->ncoef == 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "A model with covariates has at least one.");
		return false;
	}
	if ((b->flags & CJ_MODEL_HAS_VCOV) &&
		!cj_covariates_valid_vcov(cov, f->nparams, b->vcov))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A covariance matrix has (k + coefficients)^2 finite entries and is symmetric and positive definite.");
		return false;
	}
	return true;
}
