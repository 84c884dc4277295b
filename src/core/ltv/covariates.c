/*-------------------------------------------------------------------------
 *
 * covariates.c
 *	  The covariate coefficients of a cj_model (see covariates.h): checks,
 *	  the text blocks, the stored form and lookups by qualified name.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/covariates.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/common/text.h"

static const char *const ProcessName[3] = {"trans", "life", "constr"};

/* A name is an identifier of at most CJ_COV_NAME_MAX - 1 bytes */
static bool
ValidName(const char *s)
{
	size_t		i;

	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
		  s[0] == '_'))
		return false;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
			  (s[i] >= '0' && s[i] <= '9') || s[i] == '_') ||
			i >= CJ_COV_NAME_MAX - 1)
			return false;
	return true;
}

/* Index of name among the constrained names, or -1 */
static int
ConstrIndex(const CjCovariates *cov, const char *name)
{
	int			j;

	for (j = 0; j < cov->nconstr; j++)
		if (strcmp(cov->constr_name[j], name) == 0)
			return j;
	return -1;
}

/* Derive ncoef, index[] and gamma[]; check consistency */
bool
cj_covariates_finish(CjCovariates *cov, CjError *err)
{
	int			p,
				i,
				j,
				nfree = 0;
	int			used[CJ_COV_MAX][2];

	if (cov->n[0] < 0 || cov->n[0] > CJ_COV_MAX || cov->n[1] < 0 ||
		cov->n[1] > CJ_COV_MAX || cov->nconstr < 0 || cov->nconstr > CJ_COV_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT,
					 "A model has at most %d covariates per process.", CJ_COV_MAX);
		return false;
	}
	if (cov->flags & ~CJ_COV_FLAGS_ALL)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Unknown covariate flags.");
		return false;
	}
	if ((cov->flags & CJ_COV_HAS_PENALTY) ?
		!(cov->penalty >= 0.0 && isfinite(cov->penalty)) :
		!(cov->penalty == 0.0 && !signbit(cov->penalty)))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The penalty is a finite number >= 0 (and 0 when absent).");
		return false;
	}
	memset(used, 0, sizeof(used));
	for (j = 0; j < cov->nconstr; j++)
	{
		if (!ValidName(cov->constr_name[j]))
			goto badname;
		for (i = 0; i < j; i++)
			if (strcmp(cov->constr_name[i], cov->constr_name[j]) == 0)
				goto repeated;
	}
	for (p = 0; p < 2; p++)
	{
		for (i = 0; i < cov->n[p]; i++)
		{
			if (!ValidName(cov->name[p][i]))
				goto badname;
			for (j = 0; j < i; j++)
				if (strcmp(cov->name[p][j], cov->name[p][i]) == 0)
					goto repeated;
			if (cov->constrained[p][i])
			{
				j = ConstrIndex(cov, cov->name[p][i]);
				if (j < 0)
				{
					cj_error_set(err, CJ_ERR_PARAM,
								 "Covariate \"%s\" of %s is constrained but has no constr(%s=...) value.",
								 cov->name[p][i], ProcessName[p], cov->name[p][i]);
					return false;
				}
				used[j][p] = 1;
			}
			else
				nfree++;
		}
	}
	for (j = 0; j < cov->nconstr; j++)
		if (!used[j][0] || !used[j][1])
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Constrained covariate \"%s\" must be listed (without a value) in both trans(...) and life(...).",
						 cov->constr_name[j]);
			return false;
		}
	cov->ncoef = nfree + cov->nconstr;
	if (cov->ncoef > CJ_COV_MAX_COEF)
	{
		cj_error_set(err, CJ_ERR_LIMIT,
					 "A model has at most %d covariate coefficients.", CJ_COV_MAX_COEF);
		return false;
	}
	for (j = 0; j < cov->ncoef; j++)
		if (!isfinite(cov->coef[j]))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Covariate coefficients must be finite.");
			return false;
		}
	for (j = cov->ncoef; j < CJ_COV_MAX_COEF; j++)
		cov->coef[j] = 0.0;
	/* free entries take coef[] in list order, trans then life */
	nfree = 0;
	for (p = 0; p < 2; p++)
	{
		for (i = 0; i < cov->n[p]; i++)
		{
			int			k = cov->constrained[p][i] ?
				cov->ncoef - cov->nconstr + ConstrIndex(cov, cov->name[p][i]) :
				nfree++;

			cov->index[p][i] = (int16_t) k;
			cov->gamma[p][i] = cov->coef[k];
		}
		for (; i < CJ_COV_MAX; i++)
		{
			cov->index[p][i] = 0;
			cov->gamma[p][i] = 0.0;
		}
	}
	return true;
badname:
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "A covariate name is an identifier of at most %d characters.",
				 CJ_COV_NAME_MAX - 1);
	return false;
repeated:
	cj_error_set(err, CJ_ERR_PARAM, "A covariate name is repeated within one list.");
	return false;
}

/* Same covariates (the covariance compared over dim_vcov^2 entries) */
bool
cj_covariates_equal(const CjCovariates *a, const CjCovariates *b, int dim_vcov)
{
	int			p,
				i;

	if (a->n[0] != b->n[0] || a->n[1] != b->n[1] || a->nconstr != b->nconstr ||
		a->ncoef != b->ncoef || a->flags != b->flags || a->penalty != b->penalty)
		return false;
	for (p = 0; p < 2; p++)
		for (i = 0; i < a->n[p]; i++)
			if (a->constrained[p][i] != b->constrained[p][i] ||
				strcmp(a->name[p][i], b->name[p][i]) != 0)
				return false;
	for (i = 0; i < a->nconstr; i++)
		if (strcmp(a->constr_name[i], b->constr_name[i]) != 0)
			return false;
	for (i = 0; i < a->ncoef; i++)
		if (a->coef[i] != b->coef[i])
			return false;
	for (i = 0; i < dim_vcov * dim_vcov; i++)
		if (a->vcov[i] != b->vcov[i])
			return false;
	return true;
}

/*
 * trans(name=v, name, ...), life(...) or constr(name=v, ...).  The blocks
 * may come in any order, so values are parked where they were read (a free
 * entry's in gamma[][], the j-th constrained one's in coef[j]) and put in
 * the order of coef[] by cj_covariates_assemble once all are read.
 */
bool
cj_covariates_parse_block(const char **pp, int which, CjCovariates *cov,
						  CjError *err)
{
	char		name[CJ_COV_NAME_MAX];
	int		   *count = which < 2 ? &cov->n[which] : &cov->nconstr;
	int			len;

	if (!cj_accept_char(pp, '('))
		goto syntax;
	do
	{
		double		v = 0.0;
		bool		bare;

		len = cj_parse_ident(pp, name, sizeof(name));
		if (len < 0)
		{
			cj_error_set(err, CJ_ERR_SYNTAX,
						 "A covariate name is an identifier of at most %d characters.",
						 CJ_COV_NAME_MAX - 1);
			return false;
		}
		if (len == 0)
			goto syntax;
		bare = !cj_accept_char(pp, '=');
		if (!bare && !cj_parse_double(pp, &v))
			goto syntax;
		if (bare && which == 2)
			goto syntax;
		if (*count >= CJ_COV_MAX)
		{
			cj_error_set(err, CJ_ERR_LIMIT,
						 "A model has at most %d covariates per process.", CJ_COV_MAX);
			return false;
		}
		if (which < 2)
		{
			memcpy(cov->name[which][*count], name, sizeof(name));
			cov->constrained[which][*count] = bare;
			cov->gamma[which][*count] = v;
		}
		else
		{
			memcpy(cov->constr_name[*count], name, sizeof(name));
			cov->coef[*count] = v;
		}
		(*count)++;
	} while (cj_accept_char(pp, ','));
	if (!cj_accept_char(pp, ')'))
		goto syntax;
	return true;
syntax:
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "Expected %s(name=number, ...)%s.", ProcessName[which],
				 which < 2 ? " where a bare name is a constrained covariate" : "");
	return false;
}

/* coef[] from the values the block parser parked (see above) */
void
cj_covariates_assemble(CjCovariates *cov)
{
	double		constr[CJ_COV_MAX];
	int			p,
				i,
				n = 0;

	memcpy(constr, cov->coef, sizeof(constr));
	for (p = 0; p < 2; p++)
		for (i = 0; i < cov->n[p]; i++)
			if (!cov->constrained[p][i] && n < CJ_COV_MAX_COEF)
				cov->coef[n++] = cov->gamma[p][i];
	for (i = 0; i < cov->nconstr && n < CJ_COV_MAX_COEF; i++)
		cov->coef[n++] = constr[i];
}

/* Index of coefficient "trans.X" / "life.X" / "constr.X", or -1 */
int
cj_covariates_find(const CjCovariates *cov, const char *q)
{
	int			p,
				i;

	for (p = 0; p < 3; p++)
	{
		size_t		l = strlen(ProcessName[p]);

		if (strncmp(q, ProcessName[p], l) != 0 || q[l] != '.')
			continue;
		q += l + 1;
		if (p == 2)
		{
			i = ConstrIndex(cov, q);
			return i < 0 ? -1 : cov->ncoef - cov->nconstr + i;
		}
		for (i = 0; i < cov->n[p]; i++)
			if (strcmp(cov->name[p][i], q) == 0)
				return cov->index[p][i];
		return -1;
	}
	return -1;
}

/* "trans.Channel", "life.Gender" or "constr.Gender" for coefficient j */
void
cj_covariates_coef_name(const CjCovariates *cov, int j, char *buf, size_t size)
{
	int			p,
				i;

	if (j >= cov->ncoef - cov->nconstr)
	{
		snprintf(buf, size, "constr.%s",
				 cov->constr_name[j - (cov->ncoef - cov->nconstr)]);
		return;
	}
	for (p = 0; p < 2; p++)
		for (i = 0; i < cov->n[p]; i++)
			if (!cov->constrained[p][i] && cov->index[p][i] == j)
			{
				snprintf(buf, size, "%s.%s", ProcessName[p], cov->name[p][i]);
				return;
			}
	snprintf(buf, size, "?");
}

/*
 * Stored form:
 *   uint8 flags, n_trans, n_life, n_constr, ncoef, 3 zero bytes,
 *   double penalty, double coef[ncoef],
 *   with_vcov: double rows[ncoef][k + ncoef] (the coefficient rows of the
 *     covariance; the parameter block is the body's),
 *   then the names: per trans and life entry a byte 0 (free) / 1
 *   (constrained) and the NUL-terminated name; per constrained name the
 *   NUL-terminated name.
 */
#define HEADER_SIZE 16

size_t
cj_covariates_stored_size(const CjCovariates *cov, int k, bool with_vcov)
{
	size_t		n = HEADER_SIZE + sizeof(double) * cov->ncoef;
	int			p,
				i;

	if (with_vcov)
		n += sizeof(double) * cov->ncoef * (k + cov->ncoef);
	for (p = 0; p < 2; p++)
		for (i = 0; i < cov->n[p]; i++)
			n += 2 + strlen(cov->name[p][i]);
	for (i = 0; i < cov->nconstr; i++)
		n += 1 + strlen(cov->constr_name[i]);
	return n;
}

void
cj_covariates_store(const CjCovariates *cov, int k, bool with_vcov,
					unsigned char *out)
{
	int			dim = k + cov->ncoef,
				p,
				i;

	memset(out, 0, HEADER_SIZE);
	out[0] = cov->flags;
	out[1] = (unsigned char) cov->n[0];
	out[2] = (unsigned char) cov->n[1];
	out[3] = (unsigned char) cov->nconstr;
	out[4] = (unsigned char) cov->ncoef;
	memcpy(out + 8, &cov->penalty, sizeof(double));
	out += HEADER_SIZE;
	memcpy(out, cov->coef, sizeof(double) * cov->ncoef);
	out += sizeof(double) * cov->ncoef;
	if (with_vcov)
	{
		memcpy(out, cov->vcov + (size_t) k * dim,
			   sizeof(double) * cov->ncoef * dim);
		out += sizeof(double) * cov->ncoef * dim;
	}
	for (p = 0; p < 2; p++)
		for (i = 0; i < cov->n[p]; i++)
		{
			size_t		l = strlen(cov->name[p][i]) + 1;

			*out++ = cov->constrained[p][i] ? 1 : 0;
			memcpy(out, cov->name[p][i], l);
			out += l;
		}
	for (i = 0; i < cov->nconstr; i++)
	{
		size_t		l = strlen(cov->constr_name[i]) + 1;

		memcpy(out, cov->constr_name[i], l);
		out += l;
	}
}

/* A NUL-terminated name of at most CJ_COV_NAME_MAX bytes at *in */
static bool
LoadName(const unsigned char **in, const unsigned char *end, char *dst)
{
	const unsigned char *s = *in;
	size_t		l = 0;

	while (s + l < end && s[l] != 0)
		if (++l >= CJ_COV_NAME_MAX)
			return false;
	if (s + l >= end)
		return false;
	memcpy(dst, s, l + 1);
	*in = s + l + 1;
	return true;
}

bool
cj_covariates_load(const unsigned char *in, size_t len, int k,
				   const double *body_vcov, CjCovariates *cov, CjError *err)
{
	const unsigned char *end = in + len;
	int			p,
				i,
				nfree = 0,
				ncoef,
				dim;
	size_t		need;

	memset(cov, 0, sizeof(*cov));
	if (len < HEADER_SIZE || in[5] || in[6] || in[7] ||
		in[1] > CJ_COV_MAX || in[2] > CJ_COV_MAX || in[3] > CJ_COV_MAX ||
		in[4] > CJ_COV_MAX_COEF)
		goto corrupt;
	cov->flags = in[0];
	cov->n[0] = in[1];
	cov->n[1] = in[2];
	cov->nconstr = in[3];
	ncoef = in[4];
	memcpy(&cov->penalty, in + 8, sizeof(double));
	in += HEADER_SIZE;
	dim = k + ncoef;
	need = sizeof(double) * ncoef * (body_vcov ? 1 + dim : 1);
	if (need > (size_t) (end - in))
		goto corrupt;
	memcpy(cov->coef, in, sizeof(double) * ncoef);
	if (body_vcov)
	{
		int			r,
					c;

		memcpy(cov->vcov + (size_t) k * dim, in + sizeof(double) * ncoef,
			   sizeof(double) * ncoef * dim);
		for (r = 0; r < k; r++)
			for (c = 0; c < dim; c++)
				cov->vcov[r * dim + c] = c < k ? body_vcov[r * k + c] :
					cov->vcov[c * dim + r];
	}
	in += need;
	for (p = 0; p < 2; p++)
		for (i = 0; i < cov->n[p]; i++)
		{
			if (in >= end || *in > 1)
				goto corrupt;
			cov->constrained[p][i] = *in++ == 1;
			if (!cov->constrained[p][i])
				nfree++;
			if (!LoadName(&in, end, cov->name[p][i]))
				goto corrupt;
		}
	for (i = 0; i < cov->nconstr; i++)
		if (!LoadName(&in, end, cov->constr_name[i]))
			goto corrupt;
	if (in != end || nfree + cov->nconstr != ncoef)
		goto corrupt;
	if (!cj_covariates_finish(cov, err))
		return false;
	if (body_vcov && !cj_covariates_valid_vcov(cov, k, body_vcov))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A covariance matrix has (k + coefficients)^2 finite entries and is symmetric and positive definite.");
		return false;
	}
	return true;
corrupt:
	cj_error_set(err, CJ_ERR_PARAM, "The covariate section of the model is corrupt.");
	return false;
}

/* (k + ncoef) covariance: finite, symmetric, positive definite, block */
bool
cj_covariates_valid_vcov(const CjCovariates *cov, int k, const double *body_vcov)
{
	double		L[CJ_COV_MAX_DIM * CJ_COV_MAX_DIM];
	int			n = k + cov->ncoef,
				i,
				j,
				l;
	const double *v = cov->vcov;

	for (i = 0; i < n * n; i++)
		if (!isfinite(v[i]) || v[i] != v[(i % n) * n + i / n])
			return false;
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			if (v[i * n + j] != body_vcov[i * k + j])
				return false;
	memcpy(L, v, sizeof(double) * n * n);
	for (j = 0; j < n; j++)
	{
		double		d = L[j * n + j];

		for (l = 0; l < j; l++)
			d -= L[j * n + l] * L[j * n + l];
		if (!(d > 0.0) || !isfinite(d))
			return false;
		L[j * n + j] = sqrt(d);
		for (i = j + 1; i < n; i++)
		{
			double		w = L[i * n + j];

			for (l = 0; l < j; l++)
				w -= L[i * n + l] * L[j * n + l];
			L[i * n + j] = w / L[j * n + j];
		}
	}
	return true;
}
