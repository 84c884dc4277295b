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

#include "common/hashfn.h"
#include "libpq/pqformat.h"
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
PG_FUNCTION_INFO_V1(cj_model_jsonb);
PG_FUNCTION_INFO_V1(cj_model_eq);
PG_FUNCTION_INFO_V1(cj_model_ne);
PG_FUNCTION_INFO_V1(cj_model_hash);
PG_FUNCTION_INFO_V1(cj_model_hash_extended);

/* Stored size of a model: the body ends before vcov unless it has one */
static Size
ModelSize(const CjModelBody *b)
{
	return offsetof(CjModel, b) +
		((b->flags & CJ_MODEL_HAS_VCOV) ? sizeof(CjModelBody) : CJ_MODEL_BASE_SIZE);
}

/* palloc a cj_model holding body */
CjModel *
cj_model_from_body(const CjModelBody *b)
{
	CjModel    *m = palloc0(sizeof(CjModel));

	m->b = *b;
	m->b.version = CJ_BINARY_VERSION;
	SET_VARSIZE(m, ModelSize(b));
	return m;
}

/* A model datum with its whole body (see model.h) */
CjModel *
cj_model_detoast(Datum d)
{
	struct varlena *raw = PG_DETOAST_DATUM_PACKED(d);
	Size		len = VARSIZE_ANY_EXHDR(raw);
	Size		base = offsetof(CjModel, b) - VARHDRSZ;
	CjModel    *m;

	if (len != base + CJ_MODEL_BASE_SIZE && len != base + sizeof(CjModelBody))
		elog(ERROR, "cj_model value has unexpected size %zu", len);
	m = palloc0(sizeof(CjModel));
	memcpy((char *) m + VARHDRSZ, VARDATA_ANY(raw), len);
	SET_VARSIZE(m, VARHDRSZ + len);
	return m;
}

/* A cj_model from a fit result */
CjModel *
cj_model_make(const CjFamily *f, const CjFitResult *fit, double unit_seconds)
{
	CjModelBody b;
	int			i;

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
	if (fit->hessian == CJ_HESSIAN_PD)
	{
		CjError		err;

		b.flags |= CJ_MODEL_HAS_VCOV;
		memcpy(b.vcov, fit->vcov, sizeof(double) * f->nparams * f->nparams);
		/* a covariance that rounding left not positive definite: none */
		if (!cj_model_validate(&b, &err))
		{
			memset(b.vcov, 0, sizeof(b.vcov));
			b.flags ^= CJ_MODEL_HAS_VCOV | CJ_MODEL_HESS_INDEF;
		}
	}
	else if (fit->hessian == CJ_HESSIAN_INDEFINITE)
		b.flags |= CJ_MODEL_HESS_INDEF;
	return cj_model_from_body(&b);
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

/* Text form of a model body */
static char *
ModelText(const CjModelBody *b)
{
	const CjFamily *f = cj_family_by_id(b->family);
	StringInfoData buf;
	int			i;

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
	if (b->flags & CJ_MODEL_HAS_LL)
	{
		appendStringInfoString(&buf, " ll=");
		cj_append_float8(&buf, b->loglik);
	}
	if (b->flags & CJ_MODEL_HAS_N)
	{
		appendStringInfoString(&buf, " n=");
		cj_append_float8(&buf, b->n);
	}
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
		appendStringInfoString(&buf, " vcov=[");
		for (i = 0; i < f->nparams * f->nparams; i++)
		{
			if (i)
				appendStringInfoString(&buf, ", ");
			cj_append_float8(&buf, b->vcov[i]);
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
	CjError		err;

	if (!cj_model_parse(s, &b, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_model", s, &err);
		PG_RETURN_NULL();
	}
	PG_RETURN_CJ_MODEL_P(cj_model_from_body(&b));
}

/* Text output */
Datum
cj_model_out(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);

	PG_RETURN_CSTRING(ModelText(&m->b));
}

/*
 * Binary input: version byte, family id, status, flags (bytes), iterations
 * (int32), the family's parameters, loglik, n, grad_norm, unit (float8),
 * and when flags say so the k x k covariance (float8, row by row).
 */
Datum
cj_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjModelBody b;
	const CjFamily *f;
	CjError		err;
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
	if (!cj_model_validate(&b, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type cj_model"),
				 errdetail("%s", err.detail)));
	PG_RETURN_CJ_MODEL_P(cj_model_from_body(&b));
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

/* One parameter by its name; error listing the names when unknown */
Datum
cj_param(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));

	PG_RETURN_FLOAT8(m->b.params[cj_model_param_index(cj_model_family_of(m),
													  name)]);
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
 * The model as jsonb: {"family", "params": {...}, "loglik", "n",
 * "iterations", "status", "grad_norm", "unit_seconds", "hessian", "vcov"};
 * absent facts null.
 */
Datum
cj_model_jsonb(PG_FUNCTION_ARGS)
{
	CjModel    *m = PG_GETARG_CJ_MODEL_P(0);
	const CjFamily *f = cj_model_family_of(m);
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
	JsonNum(&buf, "loglik", m->b.flags & CJ_MODEL_HAS_LL, m->b.loglik);
	JsonNum(&buf, "n", m->b.flags & CJ_MODEL_HAS_N, m->b.n);
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
		int			k = f->nparams,
					j;

		appendStringInfoChar(&buf, '[');
		for (i = 0; i < k; i++)
		{
			appendStringInfoString(&buf, i ? ", [" : "[");
			for (j = 0; j < k; j++)
			{
				if (j)
					appendStringInfoString(&buf, ", ");
				cj_append_float8(&buf, m->b.vcov[i * k + j]);
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

/* cj_model = cj_model */
Datum
cj_model_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cj_model_equal(&PG_GETARG_CJ_MODEL_P(0)->b,
								  &PG_GETARG_CJ_MODEL_P(1)->b));
}

/* cj_model <> cj_model */
Datum
cj_model_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!cj_model_equal(&PG_GETARG_CJ_MODEL_P(0)->b,
								   &PG_GETARG_CJ_MODEL_P(1)->b));
}

/* Hash support 1: 32-bit hash */
Datum
cj_model_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) (uint32) ModelHash(&PG_GETARG_CJ_MODEL_P(0)->b, 0));
}

/* Hash support 2: 64-bit hash with a seed */
Datum
cj_model_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) ModelHash(&PG_GETARG_CJ_MODEL_P(0)->b,
									  (uint64) PG_GETARG_INT64(1)));
}
