/*-------------------------------------------------------------------------
 *
 * model.c
 *	  The cj_model type: text and binary I/O, accessors, equality and
 *	  hashing.
 *
 * A cj_model is a fixed-size varlena (CjModel): family id, parameters and
 * the fit facts.  Text I/O is exact (shortest round-trip floats); the
 * binary form is a version byte followed by the same fields in network
 * order, re-validated on receipt exactly as text input is.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "common/util.h"
#include "ltv/model.h"

PG_FUNCTION_INFO_V1(cj_model_in);
PG_FUNCTION_INFO_V1(cj_model_out);
PG_FUNCTION_INFO_V1(cj_model_recv);
PG_FUNCTION_INFO_V1(cj_model_send);
PG_FUNCTION_INFO_V1(cj_model_family);
PG_FUNCTION_INFO_V1(cj_param);
PG_FUNCTION_INFO_V1(cj_loglik);
PG_FUNCTION_INFO_V1(cj_penalty);
PG_FUNCTION_INFO_V1(cj_model_jsonb);
PG_FUNCTION_INFO_V1(cj_model_eq);
PG_FUNCTION_INFO_V1(cj_model_ne);
PG_FUNCTION_INFO_V1(cj_model_hash);
PG_FUNCTION_INFO_V1(cj_model_hash_extended);

/*
 * Stored size of a model: the body ends before vcov unless it has a
 * covariance or covariates; the covariate section follows a whole body.
 */
static Size
ModelSize(const CjModelBody *b, Size cov_bytes)
{
	return offsetof(CjModel, b) + cov_bytes +
		((b->flags & (CJ_MODEL_HAS_VCOV | CJ_MODEL_HAS_COV)) ?
		 sizeof(CjModelBody) : CJ_MODEL_BASE_SIZE);
}

/*
 * palloc a cj_model holding body, the data fingerprint data_fp (0 for
 * none) and, when body->flags has CJ_MODEL_HAS_COV, the covariates cov
 * (finished: cj_covariates_finish).
 */
CjModel *
cj_model_build(const CjModelBody *b, const CjCovariates *cov, uint32 data_fp)
{
	const CjFamily *f = cj_family_by_id(b->family);
	bool		has_cov = (b->flags & CJ_MODEL_HAS_COV) != 0;
	Size		cb = 0;
	CjModel    *m;

	if (f == NULL || has_cov != (cov != NULL))
		elog(ERROR, "cj_model body and covariates do not match");
	if (has_cov)
		cb = cj_covariates_stored_size(cov, f->nparams,
									   (b->flags & CJ_MODEL_HAS_VCOV) != 0);
	m = palloc0(Max(sizeof(CjModel), ModelSize(b, cb)));
	m->b = *b;
	m->b.version = CJ_BINARY_VERSION;
	m->data_fp = data_fp;
	if (has_cov)
		cj_covariates_store(cov, f->nparams, (b->flags & CJ_MODEL_HAS_VCOV) != 0,
							(unsigned char *) (m + 1));
	SET_VARSIZE(m, ModelSize(b, cb));
	return m;
}

/* palloc a cj_model holding body (no covariates) */
CjModel *
cj_model_from_body(const CjModelBody *b)
{
	return cj_model_build(b, NULL, 0);
}

/* A model datum with its whole body (see model.h) */
CjModel *
cj_model_detoast(Datum d)
{
	struct varlena *raw = PG_DETOAST_DATUM_PACKED(d);
	Size		len = VARSIZE_ANY_EXHDR(raw);
	Size		base = offsetof(CjModel, b) - VARHDRSZ;
	CjModel    *m;

	if (len != base + CJ_MODEL_BASE_SIZE && len < base + sizeof(CjModelBody))
		elog(ERROR, "cj_model value has unexpected size %zu", len);
	m = palloc0(Max(sizeof(CjModel), VARHDRSZ + len));
	memcpy((char *) m + VARHDRSZ, VARDATA_ANY(raw), len);
	SET_VARSIZE(m, VARHDRSZ + len);
	if (((m->b.flags & CJ_MODEL_HAS_COV) != 0) !=
		(len > base + sizeof(CjModelBody)))
		elog(ERROR, "cj_model value has unexpected size %zu", len);
	return m;
}

/*
 * The covariates of a model (palloc'd, validated), or NULL when it has
 * none.
 */
CjCovariates *
cj_model_covariates(const CjModel *m)
{
	const CjFamily *f = cj_model_family_of(m);
	CjCovariates *cov;
	CjError		err;

	if (!(m->b.flags & CJ_MODEL_HAS_COV))
		return NULL;
	cov = palloc(sizeof(CjCovariates));
	if (!cj_covariates_load((const unsigned char *) (m + 1),
							VARSIZE(m) - sizeof(CjModel), f->nparams,
							(m->b.flags & CJ_MODEL_HAS_VCOV) ? m->b.vcov : NULL,
							cov, &err))
		elog(ERROR, "cj_model value has a corrupt covariate section: %s",
			 err.detail);
	return cov;
}

/* A cj_model from a fit result of data with fingerprint data_fp */
CjModel *
cj_model_make(const CjFamily *f, const CjFitResult *fit, double unit_seconds,
			  uint32 data_fp)
{
	return cj_model_make_cov(f, fit, unit_seconds, NULL, data_fp);
}

/*
 * A cj_model from a fit with covariates (see model.h): cov holds the
 * lists, coefficients, penalty and, when fit->hessian is CJ_HESSIAN_PD,
 * the whole (k + ncoef)^2 covariance in cov->vcov (fit->vcov is then not
 * read).  cov is finished here; an inconsistent cov is an internal error.
 */
CjModel *
cj_model_make_cov(const CjFamily *f, const CjFitResult *fit,
				  double unit_seconds, CjCovariates *cov, uint32 data_fp)
{
	CjModelBody b;
	CjError		cerr;
	int			i,
				k = f->nparams;

	memset(&b, 0, sizeof(b));
	b.family = (uint8) cj_family_id(f);
	for (i = 0; i < f->nparams; i++)
		b.params[i] = fit->p[i];
	b.status = (uint8) fit->status;
	b.flags = CJ_MODEL_HAS_LL | CJ_MODEL_HAS_N | CJ_MODEL_HAS_ITER |
		CJ_MODEL_HAS_GRAD;
	b.loglik = fit->loglik;
	b.n = fit->n;
	b.iterations = fit->iterations;
	b.grad_norm = fit->grad_norm;
	if (unit_seconds > 0)
	{
		b.flags |= CJ_MODEL_HAS_UNIT;
		b.unit = unit_seconds;
	}
	if (cov != NULL)
	{
		b.flags |= CJ_MODEL_HAS_COV;
		if (!cj_covariates_finish(cov, &cerr))
			elog(ERROR, "fit produced inconsistent covariates: %s", cerr.detail);
	}
	if (fit->hessian == CJ_HESSIAN_PD)
	{
		CjError		err;

		b.flags |= CJ_MODEL_HAS_VCOV;
		if (cov != NULL)
			for (i = 0; i < k * k; i++)
				b.vcov[i] = cov->vcov[(i / k) * (k + cov->ncoef) + i % k];
		else
			memcpy(b.vcov, fit->vcov, sizeof(double) * k * k);
		/* a covariance that rounding left not positive definite: none */
		if (!cj_model_validate_cov(&b, cov, &err))
		{
			memset(b.vcov, 0, sizeof(b.vcov));
			b.flags ^= CJ_MODEL_HAS_VCOV | CJ_MODEL_HESS_INDEF;
		}
	}
	else if (fit->hessian == CJ_HESSIAN_INDEFINITE)
		b.flags |= CJ_MODEL_HESS_INDEF;
	if (cov != NULL && !cj_model_validate_cov(&b, cov, &cerr))
		elog(ERROR, "fit produced an invalid model: %s", cerr.detail);
	return cj_model_build(&b, cov, data_fp);
}

/* The family of a stored model (validated on input, so never NULL) */
const CjFamily *
cj_model_family_of(const CjModel *m)
{
	const CjFamily *f = cj_family_by_id(m->b.family);

	if (f == NULL)
		elog(ERROR, "cj_model has unknown family id %d", m->b.family);
	return f;
}

/* Error naming the family when it does not define a score */
void
cj_require_score(const CjFamily *f, const void *member, const char *function)
{
	if (member == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not defined for a %s model", function, f->title),
				 errdetail("Model family \"%s\" does not provide this score.",
						   f->name)));
}

/*
 * "cov_trans = {Channel, Gender} and cov_life = {Gender}": what a score
 * of a model with covariates cov expects, for error details
 */
char *
cj_covariates_expected(const CjCovariates *cov)
{
	StringInfoData buf;
	int			p,
				i;

	initStringInfo(&buf);
	for (p = 0; p < 2; p++)
	{
		appendStringInfo(&buf, "%s = {", p ? " and cov_life" : "cov_trans");
		for (i = 0; i < cov->n[p]; i++)
			appendStringInfo(&buf, "%s%s", i ? ", " : "", cov->name[p][i]);
		appendStringInfoChar(&buf, '}');
	}
	return buf.data;
}

/*
 * Refuse a model with covariates where the function has no covariate
 * arguments (22023, naming the covariates it would need)
 */
void
cj_model_require_plain(const CjModel *m, const char *function)
{
	if (m->b.flags & CJ_MODEL_HAS_COV)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s does not take a model with covariates", function),
				 errdetail("The model has coefficients for %s; only the functions with cov_trans and cov_life arguments take it.",
						   cj_covariates_expected(cj_model_covariates(m)))));
}

/*
 * One covariate array, slow path: any storage, every check with its
 * error (one-dimensional, n elements, no NULL, finite); values into z.
 */
static void
CovArrayChecked(Datum d, const CjCovariates *cov, int process, double *z)
{
	static const char *const argname[2] = {"cov_trans", "cov_life"};
	ArrayType  *a = DatumGetArrayTypeP(d);
	int			n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	const double *v;
	int			i;

	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "%s must be float8[]", argname[process]);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", argname[process]),
				 errdetail("The model expects %s.", cj_covariates_expected(cov))));
	if (n != cov->n[process])
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must have %d elements, not %d", argname[process],
						cov->n[process], n),
				 errdetail("The model expects %s.", cj_covariates_expected(cov))));
	if (ARR_HASNULL(a) && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not contain NULL", argname[process]),
				 errdetail("The model expects %s.", cj_covariates_expected(cov))));
	v = (const double *) ((const char *) a +
						  (ARR_HASNULL(a) ? (Size) a->dataoffset :
						   (Size) ARR_OVERHEAD_NONULLS(ARR_NDIM(a))));
	for (i = 0; i < n; i++)
	{
		if (!isfinite(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must contain finite numbers", argname[process]),
					 errdetail("Element %d (%s) is %s.", i + 1,
							   cov->name[process][i],
							   isnan(v[i]) ? "NaN" : "infinite")));
		z[i] = v[i];
	}
}

/*
 * One covariate array's values into z (cov->n[process] of them), checked.
 * Fast path for the common case, a one-dimensional float8 array without
 * NULLs stored inline: it is read where it lies, short varlena header and
 * all (the body of a packed varlena is the unpacked one's, shifted), so a
 * row costs no copy; anything else, and every error, goes the slow way.
 */
void
cj_covariate_values(Datum d, const CjCovariates *cov, int process, double *z)
{
	int			n;

	if (cj_float8_array_inplace(d, cov->n[process], z, &n) &&
		n == cov->n[process])
		return;
	CovArrayChecked(d, cov, process, z);
}

/*
 * The elements of a float8[] datum read where they lie, without the copy
 * that PG_GETARG_ARRAYTYPE_P makes of a short-header array (per row, in
 * scores and in the covariate fits' transition): true only for the common
 * case, an inline array of one dimension (or none) with at most maxn
 * elements, no NULLs and every element finite, with the values in z and
 * their number in *n; false leaves the checks and their errors to the
 * caller's full path.
 */
bool
cj_float8_array_inplace(Datum d, int maxn, double *z, int *n)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(d);
	const char *body;
	int32		hdr[3],
				dim;
	Size		len,
				off;
	int			i;

	if (VARATT_IS_EXTENDED(raw) && !VARATT_IS_SHORT(raw))
		return false;
	body = VARDATA_ANY(raw);
	len = VARSIZE_ANY_EXHDR(raw);
	if (len < sizeof(hdr))
		return false;
	memcpy(hdr, body, sizeof(hdr));	/* ndim, dataoffset, elemtype */
	if (hdr[0] == 0)
	{
		*n = 0;
		return true;
	}
	if (hdr[0] != 1 || hdr[1] != 0 || (Oid) hdr[2] != FLOAT8OID ||
		len < sizeof(hdr) + 2 * sizeof(int32))
		return false;
	memcpy(&dim, body + sizeof(hdr), sizeof(dim));
	off = ARR_OVERHEAD_NONULLS(1) - VARHDRSZ;
	if (dim < 0 || dim > maxn || len != off + sizeof(double) * dim)
		return false;
	memcpy(z, body + off, sizeof(double) * dim);
	for (i = 0; i < dim; i++)
		if (!isfinite(z[i]))
			return false;
	*n = dim;
	return true;
}

/*
 * The parameters q of one customer with covariate arrays ct and cl under
 * a model of family f with parameters p and covariates cov (CLVTools'
 * parameterisation through the family's covariate_params, covariates.h):
 * arrays checked (2202E shape, 22004 NULL, 22023 not finite), q finite
 * and > 0 (22003 otherwise), unused slots 0.
 */
void
cj_customer_params(const CjFamily *f, const double *p, const CjCovariates *cov,
				   Datum ct, Datum cl, double *q)
{
	double		zt[CJ_COV_MAX],
				zl[CJ_COV_MAX];

	cj_covariate_values(ct, cov, CJ_COV_TRANS, zt);
	cj_covariate_values(cl, cov, CJ_COV_LIFE, zl);
	cj_customer_params_z(f, p, cov, zt, zl, q);
}

/* The same from covariate values already read and checked */
void
cj_customer_params_z(const CjFamily *f, const double *p,
					 const CjCovariates *cov, const double *zt,
					 const double *zl, double *q)
{
	double		et,
				el;
	int			i;

	et = cj_covariates_linear(cov, CJ_COV_TRANS, zt);
	el = cj_covariates_linear(cov, CJ_COV_LIFE, zl);

	f->covariate_params(p, et, el, q);
	for (i = 0; i < f->nparams; i++)
		if (!(q[i] > 0.0 && isfinite(q[i])))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the customer's %s is out of range under these covariates",
							f->param_names[i]),
					 errdetail("gamma' z is %g for the purchase process and %g for the lifetime process.",
							   et, el)));
	for (; i < CJ_MAX_PARAMS; i++)
		q[i] = 0.0;
}

/* The error of a failed family data check (cj_check_tuple, model.h) */
void
cj_tuple_error(const CjFamily *f, const CjError *err)
{
	cj_raise(err, psprintf("invalid data for a %s model", f->title));
}

/* Append "unit=7d" or "unit=3600s" */
void
cj_append_unit(StringInfo buf, double secs)
{
	double		days = secs / 86400.0;

	appendStringInfoString(buf, "unit=");
	if (days == floor(days) && days * 86400.0 == secs && days < 1e15)
	{
		appendStringInfo(buf, "%.0fd", days);
		return;
	}
	cj_append_float8(buf, secs);
	appendStringInfoChar(buf, 's');
}

/* Append " trans(Channel=0.3, Gender) life(...) constr(Gender=0.1)" */
static void
AppendCovariates(StringInfo buf, const CjCovariates *cov)
{
	static const char *const block[2] = {"trans", "life"};
	int			p,
				i;

	for (p = 0; p < 2; p++)
	{
		if (cov->n[p] == 0)
			continue;
		appendStringInfo(buf, " %s(", block[p]);
		for (i = 0; i < cov->n[p]; i++)
		{
			appendStringInfo(buf, "%s%s", i ? ", " : "", cov->name[p][i]);
			if (!cov->constrained[p][i])
			{
				appendStringInfoChar(buf, '=');
				cj_append_float8(buf, cov->gamma[p][i]);
			}
		}
		appendStringInfoChar(buf, ')');
	}
	if (cov->nconstr > 0)
	{
		appendStringInfoString(buf, " constr(");
		for (i = 0; i < cov->nconstr; i++)
		{
			appendStringInfo(buf, "%s%s=", i ? ", " : "", cov->constr_name[i]);
			cj_append_float8(buf, cov->coef[cov->ncoef - cov->nconstr + i]);
		}
		appendStringInfoChar(buf, ')');
	}
}

/*
 * Text form of a model body, its covariates (NULL without) and its data
 * fingerprint (0 without)
 */
static char *
ModelText(const CjModelBody *b, const CjCovariates *cov, uint32 data_fp)
{
	const CjFamily *f = cj_family_by_id(b->family);
	StringInfoData buf;
	int			i,
				dim;
	const double *vcov;

	if (f == NULL)
		elog(ERROR, "cj_model has unknown family id %d", b->family);

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s(", f->name);
	for (i = 0; i < f->nparams; i++)
	{
		appendStringInfo(&buf, "%s%s=", i ? ", " : "", f->param_names[i]);
		cj_append_float8(&buf, b->params[i]);
	}
	appendStringInfoChar(&buf, ')');
	if (cov)
		AppendCovariates(&buf, cov);
	if (b->flags & CJ_MODEL_HAS_LL)
	{
		appendStringInfoString(&buf, " ll=");
		cj_append_float8(&buf, b->loglik);
	}
	if (cov && (cov->flags & CJ_COV_HAS_PENALTY))
	{
		appendStringInfoString(&buf, " penalty=");
		cj_append_float8(&buf, cov->penalty);
	}
	if (b->flags & CJ_MODEL_HAS_N)
	{
		appendStringInfoString(&buf, " n=");
		cj_append_float8(&buf, b->n);
	}
	if (data_fp != 0)
		appendStringInfo(&buf, " data=%08x", data_fp);
	if (b->flags & CJ_MODEL_HAS_ITER)
		appendStringInfo(&buf, " iter=%d", b->iterations);
	if (b->status)
		appendStringInfo(&buf, " %s", cj_fit_status_name(b->status));
	if (b->flags & CJ_MODEL_HAS_GRAD)
	{
		appendStringInfoString(&buf, " grad=");
		cj_append_float8(&buf, b->grad_norm);
	}
	if (b->flags & CJ_MODEL_HAS_UNIT)
	{
		appendStringInfoChar(&buf, ' ');
		cj_append_unit(&buf, b->unit);
	}
	if (b->flags & CJ_MODEL_HESS_INDEF)
		appendStringInfoString(&buf, " vcov=indefinite");
	if (b->flags & CJ_MODEL_HAS_VCOV)
	{
		dim = f->nparams + (cov ? cov->ncoef : 0);
		vcov = cov ? cov->vcov : b->vcov;
		appendStringInfoString(&buf, " vcov=[");
		for (i = 0; i < dim * dim; i++)
		{
			if (i)
				appendStringInfoString(&buf, ", ");
			cj_append_float8(&buf, vcov[i]);
		}
		appendStringInfoChar(&buf, ']');
	}
	return buf.data;
}

/* Text input */
Datum
cj_model_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	CjModelBody b;
	CjCovariates *cov = palloc(sizeof(CjCovariates));
	uint32_t	fp;
	CjError		err;

	if (!cj_model_parse_full(s, &b, cov, &fp, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_model", s, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_CJ_MODEL_P(cj_model_build(&b, (b.flags & CJ_MODEL_HAS_COV) ?
										cov : NULL, fp));
}

/* Text output */
Datum
cj_model_out(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);

	PG_RETURN_CSTRING(ModelText(&m->b, cj_model_covariates(m), m->data_fp));
}

/*
 * A covariate name from the message: a length byte and that many bytes
 * (22P03 when too long or holding a NUL; the identifier rules are checked
 * with the rest of the covariates)
 */
static void
RecvName(StringInfo buf, char *dst)
{
	int			len = pq_getmsgbyte(buf);
	const char *s;

	if (len >= CJ_COV_NAME_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_model"),
				 errdetail("A covariate name is longer than %d bytes.",
						   CJ_COV_NAME_MAX - 1)));
	s = pq_getmsgbytes(buf, len);
	if (memchr(s, '\0', len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_model"),
				 errdetail("A covariate name contains a zero byte.")));
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* Send a covariate name: a length byte and the name */
static void
SendName(StringInfo buf, const char *name)
{
	int			len = strlen(name);

	pq_sendbyte(buf, len);
	pq_sendbytes(buf, name, len);
}

/* The covariate part of the binary form (after the body's fields) */
static void
RecvCovariates(StringInfo buf, const CjModelBody *b, int k, CjCovariates *cov)
{
	int			p,
				i,
				dim,
				n[3];

	memset(cov, 0, sizeof(*cov));
	for (p = 0; p < 3; p++)
	{
		n[p] = pq_getmsgbyte(buf);
		if (n[p] > CJ_COV_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type cj_model"),
					 errdetail("A model has at most %d covariates per process.",
							   CJ_COV_MAX)));
	}
	cov->n[0] = n[0];
	cov->n[1] = n[1];
	cov->nconstr = n[2];
	cov->flags = (uint8) pq_getmsgbyte(buf);
	cov->penalty = pq_getmsgfloat8(buf);
	for (p = 0; p < 2; p++)
		for (i = 0; i < cov->n[p]; i++)
		{
			int			kind = pq_getmsgbyte(buf);

			if (kind > 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("invalid binary data for type cj_model"),
						 errdetail("A covariate entry is free (0) or constrained (1).")));
			cov->constrained[p][i] = kind == 1;
			RecvName(buf, cov->name[p][i]);
			if (!cov->constrained[p][i])
				cov->gamma[p][i] = pq_getmsgfloat8(buf);
		}
	for (i = 0; i < cov->nconstr; i++)
	{
		RecvName(buf, cov->constr_name[i]);
		cov->coef[i] = pq_getmsgfloat8(buf);
	}
	cj_covariates_assemble(cov);
	/* ncoef as the lists give it (finish, in validation, checks the rest) */
	cov->ncoef = cov->nconstr;
	for (p = 0; p < 2; p++)
		for (i = 0; i < cov->n[p]; i++)
			cov->ncoef += !cov->constrained[p][i];
	if (cov->ncoef > CJ_COV_MAX_COEF)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_model"),
				 errdetail("A model has at most %d covariate coefficients.",
						   CJ_COV_MAX_COEF)));
	if (!(b->flags & CJ_MODEL_HAS_VCOV))
		return;
	dim = k + cov->ncoef;
	for (i = k * dim; i < dim * dim; i++)
		cov->vcov[i] = pq_getmsgfloat8(buf);
	for (p = 0; p < k; p++)
		for (i = 0; i < dim; i++)
			cov->vcov[p * dim + i] = i < k ? b->vcov[p * k + i] :
				cov->vcov[i * dim + p];
}

/*
 * Binary input: version byte, family id, status, flags (bytes), iterations
 * (int32), the family's parameters, loglik, n, grad_norm, unit (float8),
 * and when flags say so the k x k covariance (float8, row by row).  With
 * covariates there follow: the entry counts of trans, life and constr and
 * the covariate flags (bytes), the penalty (float8), per trans then life
 * entry a byte (1 = constrained), its name (a length byte and the bytes)
 * and, when free, its
 * coefficient (float8), per constrained name the name and coefficient,
 * and with a covariance its coefficient rows (ncoef x (k + ncoef) float8).
 * Last, for a fitted model that has one, the data fingerprint (uint32,
 * not 0); a message without it (every one sent before 1.2) has none.
 */
Datum
cj_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjModelBody b;
	CjCovariates *cov = NULL;
	const CjFamily *f;
	CjError		err;
	uint32		fp = 0;
	int			i;

	memset(&b, 0, sizeof(b));
	cj_check_binary_version(pq_getmsgbyte(buf), "cj_model");
	b.family = (uint8) pq_getmsgbyte(buf);
	f = cj_family_by_id(b.family);
	if (f == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_model"),
				 errdetail("Unknown model family id %d.", b.family)));
	b.status = (uint8) pq_getmsgbyte(buf);
	b.flags = (uint8) pq_getmsgbyte(buf);
	b.iterations = pq_getmsgint(buf, 4);
	for (i = 0; i < f->nparams; i++)
		b.params[i] = pq_getmsgfloat8(buf);
	b.loglik = pq_getmsgfloat8(buf);
	b.n = pq_getmsgfloat8(buf);
	b.grad_norm = pq_getmsgfloat8(buf);
	b.unit = pq_getmsgfloat8(buf);
	if (b.flags & CJ_MODEL_HAS_VCOV)
		for (i = 0; i < f->nparams * f->nparams; i++)
			b.vcov[i] = pq_getmsgfloat8(buf);
	if (b.flags & CJ_MODEL_HAS_COV)
	{
		cov = palloc(sizeof(CjCovariates));
		RecvCovariates(buf, &b, f->nparams, cov);
	}
	/* the fingerprint comes last, when there is one (none before 1.2) */
	if (buf->cursor < buf->len)
	{
		fp = (uint32) pq_getmsgint(buf, 4);
		if (fp == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type cj_model"),
					 errdetail("A data fingerprint that is sent is not 0.")));
	}
	if (!cj_model_validate_cov(&b, cov, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_model"),
				 errdetail("%s", err.detail)));
	PG_RETURN_CJ_MODEL_P(cj_model_build(&b, cov, fp));
}

/* Binary output */
Datum
cj_model_send(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendbyte(&buf, m->b.family);
	pq_sendbyte(&buf, m->b.status);
	pq_sendbyte(&buf, m->b.flags);
	pq_sendint32(&buf, m->b.iterations);
	for (i = 0; i < f->nparams; i++)
		pq_sendfloat8(&buf, m->b.params[i]);
	pq_sendfloat8(&buf, m->b.loglik);
	pq_sendfloat8(&buf, m->b.n);
	pq_sendfloat8(&buf, m->b.grad_norm);
	pq_sendfloat8(&buf, m->b.unit);
	if (m->b.flags & CJ_MODEL_HAS_VCOV)
		for (i = 0; i < f->nparams * f->nparams; i++)
			pq_sendfloat8(&buf, m->b.vcov[i]);
	if (m->b.flags & CJ_MODEL_HAS_COV)
	{
		CjCovariates *cov = cj_model_covariates(m);
		int			p,
					dim = f->nparams + cov->ncoef;

		pq_sendbyte(&buf, cov->n[0]);
		pq_sendbyte(&buf, cov->n[1]);
		pq_sendbyte(&buf, cov->nconstr);
		pq_sendbyte(&buf, cov->flags);
		pq_sendfloat8(&buf, cov->penalty);
		for (p = 0; p < 2; p++)
			for (i = 0; i < cov->n[p]; i++)
			{
				pq_sendbyte(&buf, cov->constrained[p][i] ? 1 : 0);
				SendName(&buf, cov->name[p][i]);
				if (!cov->constrained[p][i])
					pq_sendfloat8(&buf, cov->gamma[p][i]);
			}
		for (i = 0; i < cov->nconstr; i++)
		{
			SendName(&buf, cov->constr_name[i]);
			pq_sendfloat8(&buf, cov->coef[cov->ncoef - cov->nconstr + i]);
		}
		if (m->b.flags & CJ_MODEL_HAS_VCOV)
			for (i = f->nparams * dim; i < dim * dim; i++)
				pq_sendfloat8(&buf, cov->vcov[i]);
	}
	if (m->data_fp != 0)
		pq_sendint32(&buf, m->data_fp);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The family name: 'bgnbd' */
Datum
cj_model_family(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(cj_model_family_of(m)->name));
}

/* Index of a parameter of family f by its name; error listing the names */
int
cj_model_param_index(const CjFamily *f, const char *name)
{
	StringInfoData names;
	int			i;

	initStringInfo(&names);
	for (i = 0; i < f->nparams; i++)
	{
		if (strcmp(f->param_names[i], name) == 0)
			return i;
		appendStringInfo(&names, "%s%s", i ? ", " : "", f->param_names[i]);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("a %s model has no parameter \"%s\"", f->title, name),
			 errdetail("Its parameters are %s.", names.data)));
	return -1;
}

/*
 * Index of a parameter or coefficient of model m (covariates cov, NULL
 * without) by name, in the order of the covariance matrix: the family's
 * parameters 0..k-1, then the coefficients k..k+ncoef-1 ("trans.X",
 * "life.X", "constr.X").  22023 listing every name when unknown.
 */
int
cj_model_name_index(const CjFamily *f, const CjCovariates *cov,
					const char *name)
{
	StringInfoData names;
	char		q[CJ_COV_NAME_MAX + 8];
	int			i;

	if (cov == NULL)
		return cj_model_param_index(f, name);
	for (i = 0; i < f->nparams; i++)
		if (strcmp(f->param_names[i], name) == 0)
			return i;
	i = cj_covariates_find(cov, name);
	if (i >= 0)
		return f->nparams + i;
	initStringInfo(&names);
	for (i = 0; i < f->nparams; i++)
		appendStringInfo(&names, "%s, ", f->param_names[i]);
	for (i = 0; i < cov->ncoef; i++)
	{
		cj_covariates_coef_name(cov, i, q, sizeof(q));
		appendStringInfo(&names, "%s%s", i ? ", " : "", q);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("a %s model has no parameter \"%s\"", f->title, name),
			 errdetail("Its parameters and coefficients are %s.", names.data)));
	return -1;
}

/*
 * One parameter or covariate coefficient by its name ('alpha',
 * 'trans.Channel', 'constr.Gender'); error listing the names when unknown
 */
Datum
cj_param(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	const CjFamily *f = cj_model_family_of(m);
	CjCovariates *cov = cj_model_covariates(m);
	int			i = cj_model_name_index(f, cov, name);

	PG_RETURN_FLOAT8(i < f->nparams ? m->b.params[i] : cov->coef[i - f->nparams]);
}

/* Log-likelihood of a fitted model; NULL for a model written by hand */
Datum
cj_loglik(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);

	if (!(m->b.flags & CJ_MODEL_HAS_LL))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(m->b.loglik);
}

/*
 * The L2 penalty of a regularized fit with covariates (reported beside
 * the unpenalised log-likelihood); NULL for any other model
 */
Datum
cj_penalty(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	CjCovariates *cov = cj_model_covariates(m);

	if (cov == NULL || !(cov->flags & CJ_COV_HAS_PENALTY))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(cov->penalty);
}

/* Append "key": number or null */
static void
JsonNum(StringInfo buf, const char *key, bool present, double v)
{
	appendStringInfo(buf, ", \"%s\": ", key);
	if (present)
		cj_append_float8(buf, v);
	else
		appendStringInfoString(buf, "null");
}

/*
 * "covariates": {"trans": [{"name", "coef", "constrained"}...], "life":
 * [...], "constr": [{"name", "coef"}...], "order": ["r", ..., "trans.X",
 * ...]} (order: the rows of vcov)
 */
static void
JsonCovariates(StringInfo buf, const CjCovariates *cov)
{
	static const char *const block[2] = {"trans", "life"};
	char		q[CJ_COV_NAME_MAX + 8];
	int			p,
				i;

	appendStringInfoString(buf, ", \"covariates\": {");
	for (p = 0; p < 2; p++)
	{
		appendStringInfo(buf, "%s\"%s\": [", p ? ", " : "", block[p]);
		for (i = 0; i < cov->n[p]; i++)
		{
			appendStringInfo(buf, "%s{\"name\": \"%s\", \"coef\": ",
							 i ? ", " : "", cov->name[p][i]);
			cj_append_float8(buf, cov->gamma[p][i]);
			appendStringInfo(buf, ", \"constrained\": %s}",
							 cov->constrained[p][i] ? "true" : "false");
		}
		appendStringInfoChar(buf, ']');
	}
	appendStringInfoString(buf, ", \"constr\": [");
	for (i = 0; i < cov->nconstr; i++)
	{
		appendStringInfo(buf, "%s{\"name\": \"%s\", \"coef\": ",
						 i ? ", " : "", cov->constr_name[i]);
		cj_append_float8(buf, cov->coef[cov->ncoef - cov->nconstr + i]);
		appendStringInfoChar(buf, '}');
	}
	appendStringInfoString(buf, "], \"coefficients\": [");
	for (i = 0; i < cov->ncoef; i++)
	{
		cj_covariates_coef_name(cov, i, q, sizeof(q));
		appendStringInfo(buf, "%s\"%s\"", i ? ", " : "", q);
	}
	appendStringInfoString(buf, "]}");
}

/*
 * The model as jsonb: {"family", "params": {...}, "loglik", "n", "data",
 * "iterations", "status", "grad_norm", "unit_seconds", "hessian", "vcov"};
 * absent facts null.  A model with covariates has "covariates" (above)
 * and "penalty" too, and its vcov covers the parameters then the
 * coefficients in the order of "covariates"."coefficients".
 */
Datum
cj_model_jsonb(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
	CjCovariates *cov = cj_model_covariates(m);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"family\": \"%s\", \"params\": {", f->name);
	for (i = 0; i < f->nparams; i++)
	{
		appendStringInfo(&buf, "%s\"%s\": ", i ? ", " : "", f->param_names[i]);
		cj_append_float8(&buf, m->b.params[i]);
	}
	appendStringInfoChar(&buf, '}');
	if (cov)
		JsonCovariates(&buf, cov);
	JsonNum(&buf, "loglik", m->b.flags & CJ_MODEL_HAS_LL, m->b.loglik);
	if (cov)
		JsonNum(&buf, "penalty", cov->flags & CJ_COV_HAS_PENALTY, cov->penalty);
	JsonNum(&buf, "n", m->b.flags & CJ_MODEL_HAS_N, m->b.n);
	if (m->data_fp != 0)
		appendStringInfo(&buf, ", \"data\": \"%08x\"", m->data_fp);
	else
		appendStringInfoString(&buf, ", \"data\": null");
	JsonNum(&buf, "iterations", m->b.flags & CJ_MODEL_HAS_ITER, m->b.iterations);
	if (m->b.status)
		appendStringInfo(&buf, ", \"status\": \"%s\"",
						 cj_fit_status_name(m->b.status));
	else
		appendStringInfoString(&buf, ", \"status\": null");
	JsonNum(&buf, "grad_norm", m->b.flags & CJ_MODEL_HAS_GRAD, m->b.grad_norm);
	JsonNum(&buf, "unit_seconds", m->b.flags & CJ_MODEL_HAS_UNIT, m->b.unit);
	appendStringInfoString(&buf, ", \"hessian\": ");
	appendStringInfoString(&buf, (m->b.flags & CJ_MODEL_HAS_VCOV) ? "\"positive definite\"" :
						   (m->b.flags & CJ_MODEL_HESS_INDEF) ? "\"indefinite\"" : "null");
	appendStringInfoString(&buf, ", \"vcov\": ");
	if (m->b.flags & CJ_MODEL_HAS_VCOV)
	{
		int			k = f->nparams + (cov ? cov->ncoef : 0),
					j;
		const double *vcov = cov ? cov->vcov : m->b.vcov;

		appendStringInfoChar(&buf, '[');
		for (i = 0; i < k; i++)
		{
			appendStringInfoString(&buf, i ? ", [" : "[");
			for (j = 0; j < k; j++)
			{
				if (j)
					appendStringInfoString(&buf, ", ");
				cj_append_float8(&buf, vcov[i * k + j]);
			}
			appendStringInfoChar(&buf, ']');
		}
		appendStringInfoChar(&buf, ']');
	}
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/*
 * Equality and hashing (the = and <> operators and the hash operator
 * class): equality is of the value, not of its bytes (a model's format
 * version is not part of it, and -0 equals 0); the hash covers exactly
 * what equality compares, canonicalised the same way, and the 32-bit hash
 * is the low half of the extended one at seed 0.
 */

/* Hash of a model: the fields cj_model_equal compares, zeros as +0 */
static uint64
ModelHash(const CjModelBody *b, uint64 seed)
{
	double		num[CJ_MAX_PARAMS + 4];
	uint64		w[1 + CJ_MAX_PARAMS + 4],
				h = 0;
	int			i;

	for (i = 0; i < CJ_MAX_PARAMS; i++)
		num[i] = b->params[i];
	num[CJ_MAX_PARAMS] = b->loglik;
	num[CJ_MAX_PARAMS + 1] = b->n;
	num[CJ_MAX_PARAMS + 2] = b->grad_norm;
	num[CJ_MAX_PARAMS + 3] = b->unit;
	w[0] = (uint64) b->family | (uint64) b->status << 8 |
		(uint64) b->flags << 16 | (uint64) (uint32) b->iterations << 32;
	for (i = 0; i < CJ_MAX_PARAMS + 4; i++)
	{
		double		v = (num[i] == 0.0) ? 0.0 : num[i];

		memcpy(&w[1 + i], &v, sizeof(v));
	}
	h = hash_bytes_extended((const unsigned char *) w, sizeof(w), seed);
	/* a model without covariance hashes as before 1.2 (hash partitions) */
	if (b->flags & CJ_MODEL_HAS_VCOV)
	{
		double		cv[CJ_MAX_PARAMS * CJ_MAX_PARAMS];

		for (i = 0; i < CJ_MAX_PARAMS * CJ_MAX_PARAMS; i++)
			cv[i] = (b->vcov[i] == 0.0) ? 0.0 : b->vcov[i];
		h = hash_combine64(h, hash_bytes_extended((const unsigned char *) cv,
												  sizeof(cv), seed));
	}
	return h;
}

/* Same model value, covariates included */
static bool
ModelEqual(const CjModel *a, const CjModel *b)
{
	CjCovariates *ca,
			   *cb;

	if (!cj_model_equal(&a->b, &b->b) || a->data_fp != b->data_fp)
		return false;
	if (!(a->b.flags & CJ_MODEL_HAS_COV))
		return true;
	ca = cj_model_covariates(a);
	cb = cj_model_covariates(b);
	return cj_covariates_equal(ca, cb, (a->b.flags & CJ_MODEL_HAS_VCOV) ?
							   cj_model_family_of(a)->nparams + ca->ncoef : 0);
}

/*
 * Hash of a model with its covariates: the body's hash combined with the
 * hash of the stored covariate section re-made with every zero as +0 (the
 * stored form is otherwise a function of the value).
 */
static uint64
ModelHashAll(const CjModel *m, uint64 seed)
{
	uint64		h = ModelHash(&m->b, seed);

	/* (a model without a fingerprint hashes as it did before 1.2) */
	if (m->data_fp != 0)
		h = hash_combine64(h, hash_bytes_uint32_extended(m->data_fp, seed));
	if (m->b.flags & CJ_MODEL_HAS_COV)
	{
		CjCovariates *cov = cj_model_covariates(m);
		int			k = cj_model_family_of(m)->nparams,
					i;
		bool		wv = (m->b.flags & CJ_MODEL_HAS_VCOV) != 0;
		Size		len = cj_covariates_stored_size(cov, k, wv);
		unsigned char *bytes = palloc(len);

		for (i = 0; i < cov->ncoef; i++)
			if (cov->coef[i] == 0.0)
				cov->coef[i] = 0.0;
		for (i = 0; i < (k + cov->ncoef) * (k + cov->ncoef); i++)
			if (cov->vcov[i] == 0.0)
				cov->vcov[i] = 0.0;
		if (cov->penalty == 0.0)
			cov->penalty = 0.0;
		cj_covariates_store(cov, k, wv, bytes);
		h = hash_combine64(h, hash_bytes_extended(bytes, len, seed));
	}
	return h;
}

/* cj_model = cj_model */
Datum
cj_model_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(ModelEqual(PG_GETARG_CJ_MODEL_P(0), PG_GETARG_CJ_MODEL_P(1)));
}

/* cj_model <> cj_model */
Datum
cj_model_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!ModelEqual(PG_GETARG_CJ_MODEL_P(0), PG_GETARG_CJ_MODEL_P(1)));
}

/* Hash support 1: 32-bit hash */
Datum
cj_model_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) (uint32) ModelHashAll(PG_GETARG_CJ_MODEL_P(0), 0));
}

/* Hash support 2: 64-bit hash with a seed */
Datum
cj_model_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) ModelHashAll(PG_GETARG_CJ_MODEL_P(0),
										 (uint64) PG_GETARG_INT64(1)));
}
