/*-------------------------------------------------------------------------
 *
 * skills.c
 *	  The cj_skillset and cj_requirement types (levelled skills, and
 *	  requirements that relax as a ticket waits) and their SQL functions:
 *	  cj_skillset(text[]), cj_requirement(text[]), cj_satisfies,
 *	  cj_requirement_step, cj_eligible_after, cj_skill_level, cj_skills.
 *
 * Parsing, printing, checking and matching are in the core
 * (src/core/service/skills.c); this file converts between the stored
 * varlena and the core structures, which are stored as they are (after a
 * version word) so that a function reading a value does not copy it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "common/util.h"
#include "core/service/skills.h"
#include "service/skills.h"

/*
 * Stored form: varlena header, version word, then the core structure at
 * offset 8 (8-aligned for the requirement's int64 durations: the type is
 * declared ALIGNMENT = double).
 */
#define SKILLS_HDR 8

typedef struct SkillsHead
{
	int32		vl_len_;
	int32		version;		/* CJ_BINARY_VERSION */
} SkillsHead;

PG_FUNCTION_INFO_V1(cj_skillset_in);
PG_FUNCTION_INFO_V1(cj_skillset_out);
PG_FUNCTION_INFO_V1(cj_skillset_recv);
PG_FUNCTION_INFO_V1(cj_skillset_send);
PG_FUNCTION_INFO_V1(cj_skillset_eq);
PG_FUNCTION_INFO_V1(cj_skillset_ne);
PG_FUNCTION_INFO_V1(cj_skillset_hash);
PG_FUNCTION_INFO_V1(cj_requirement_in);
PG_FUNCTION_INFO_V1(cj_requirement_out);
PG_FUNCTION_INFO_V1(cj_requirement_recv);
PG_FUNCTION_INFO_V1(cj_requirement_send);
PG_FUNCTION_INFO_V1(cj_requirement_eq);
PG_FUNCTION_INFO_V1(cj_requirement_ne);
PG_FUNCTION_INFO_V1(cj_requirement_hash);
PG_FUNCTION_INFO_V1(cj_skillset_from_array);
PG_FUNCTION_INFO_V1(cj_requirement_from_array);
PG_FUNCTION_INFO_V1(cj_satisfies);
PG_FUNCTION_INFO_V1(cj_requirement_step);
PG_FUNCTION_INFO_V1(cj_eligible_after);
PG_FUNCTION_INFO_V1(cj_skill_level);
PG_FUNCTION_INFO_V1(cj_skills);

/* Store a core value of size bytes */
static Datum
Pack(const void *core, Size size)
{
	SkillsHead *d = palloc0(SKILLS_HDR + size);

	SET_VARSIZE(d, SKILLS_HDR + size);
	d->version = CJ_BINARY_VERSION;
	memcpy((char *) d + SKILLS_HDR, core, size);
	return PointerGetDatum(d);
}

/* The core value of a stored datum, after the version and size checks */
static const void *
Unpack(Datum d, Size min, const char *typname)
{
	SkillsHead *h = (SkillsHead *) PG_DETOAST_DATUM(d);

	if (VARSIZE(h) < SKILLS_HDR + min || h->version != CJ_BINARY_VERSION)
		elog(ERROR, "corrupt %s value", typname);
	return (const char *) h + SKILLS_HDR;
}

/* The skill set of a datum */
const CjSkillset *
cj_skillset_datum(Datum d)
{
	const CjSkillset *s = Unpack(d, CJ_SKILLSET_SIZE(0), "cj_skillset");

	if (s->n < 0 || s->n > CJ_SKILLSET_MAX ||
		VARSIZE((char *) s - SKILLS_HDR) != SKILLS_HDR + CJ_SKILLSET_SIZE(s->n))
		elog(ERROR, "corrupt cj_skillset value");
	return s;
}

/* The requirement of a datum */
const CjRequirement *
cj_requirement_datum(Datum d)
{
	const CjRequirement *r = Unpack(d, CJ_REQ_SIZE(1, 0), "cj_requirement");

	if (r->nsteps < 1 || r->nsteps > CJ_REQ_MAX_STEPS || r->nterms < 0 ||
		r->nterms > CJ_REQ_MAX_STEPS * CJ_REQ_MAX_TERMS ||
		VARSIZE((char *) r - SKILLS_HDR) != SKILLS_HDR + CJ_REQ_SIZE(r->nsteps, r->nterms))
		elog(ERROR, "corrupt cj_requirement value");
	return r;
}

/* 22P03 for a binary value that breaks a rule */
cj_noreturn static void
BadBinary(const char *typname, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary data for type %s", typname),
			 errdetail("%s", detail)));
	pg_unreachable();
}

/* Read one skill or term (int32 level, int32 name length, name) */
static void
RecvSkill(StringInfo buf, CjSkill *sk, const char *typname)
{
	int			len;

	sk->level = (int32) pq_getmsgint(buf, 4);
	len = (int) pq_getmsgint(buf, 4);
	if (len < 1 || len > CJ_SKILL_NAME_MAX)
		BadBinary(typname, psprintf("Skill names are 1 to %d bytes long.", CJ_SKILL_NAME_MAX));
	memset(sk->name, 0, sizeof(sk->name));
	pq_copymsgbytes(buf, sk->name, len);
	if (memchr(sk->name, '\0', len) != NULL)
		BadBinary(typname, "Skill names cannot contain a zero byte.");
	/* a name is text in the database encoding, as text input gives */
	if (!pg_verifymbstr(sk->name, len, true))
		BadBinary(typname, "A skill name is not valid in the database encoding.");
}

/* Send one skill or term */
static void
SendSkill(StringInfo buf, const CjSkill *sk)
{
	int			len = (int) strnlen(sk->name, sizeof(sk->name));

	pq_sendint32(buf, sk->level);
	pq_sendint32(buf, len);
	pq_sendbytes(buf, sk->name, len);
}

/* Text input: 'billing:5, spanish:3' or '{billing,spanish}' */
Datum
cj_skillset_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjSkillset *s = palloc(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	CjError		err;

	if (!cj_skillset_parse(str, s, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_skillset", str, &err);
		PG_RETURN_NULL();
	}
	return Pack(s, CJ_SKILLSET_SIZE(s->n));
}

/* Canonical text output */
Datum
cj_skillset_out(PG_FUNCTION_ARGS)
{
	const CjSkillset *s = cj_skillset_datum(PG_GETARG_DATUM(0));
	char	   *buf = palloc(CJ_SKILLSET_TEXT_MAX);

	cj_skillset_format(s, buf, CJ_SKILLSET_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary input: version byte, int32 count, then per skill int32 level,
 * int32 name length and the name.  Every rule of the text input is checked.
 */
Datum
cj_skillset_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjSkillset *s = palloc0(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	CjError		err;
	int			i;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_skillset");
	s->n = (int32) pq_getmsgint(buf, 4);
	if (s->n < 0 || s->n > CJ_SKILLSET_MAX)
		BadBinary("cj_skillset", psprintf("A skill set has 0 to %d skills.", CJ_SKILLSET_MAX));
	for (i = 0; i < s->n; i++)
		RecvSkill(buf, &s->skills[i], "cj_skillset");
	if (!cj_skillset_validate(s, &err))
		BadBinary("cj_skillset", err.detail);
	return Pack(s, CJ_SKILLSET_SIZE(s->n));
}

/* Binary output (see cj_skillset_recv) */
Datum
cj_skillset_send(PG_FUNCTION_ARGS)
{
	const CjSkillset *s = cj_skillset_datum(PG_GETARG_DATUM(0));
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint32(&buf, s->n);
	for (i = 0; i < s->n; i++)
		SendSkill(&buf, &s->skills[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Equal stored bytes: values are canonical (sorted, NUL-padded).  Read in
 * their packed form: a short-header value is compared where it lies,
 * without the copy a full detoast makes.
 */
static bool
SameBytes(Datum a, Datum b)
{
	struct varlena *x = PG_DETOAST_DATUM_PACKED(a);
	struct varlena *y = PG_DETOAST_DATUM_PACKED(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

/* Hash of the stored bytes (consistent with SameBytes) */
static Datum
HashBytes(Datum a)
{
	struct varlena *x = PG_DETOAST_DATUM_PACKED(a);

	return hash_any((unsigned char *) VARDATA_ANY(x), VARSIZE_ANY_EXHDR(x));
}

Datum
cj_skillset_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SameBytes(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

Datum
cj_skillset_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!SameBytes(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

Datum
cj_skillset_hash(PG_FUNCTION_ARGS)
{
	return HashBytes(PG_GETARG_DATUM(0));
}

/* Text input: 'billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any' */
Datum
cj_requirement_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CjRequirement *r = palloc(CJ_REQ_SIZE_MAX);
	CjError		err;

	if (!cj_requirement_parse(str, r, &err))
	{
		cj_input_error(CJ_ESCONTEXT(fcinfo), "cj_requirement", str, &err);
		PG_RETURN_NULL();
	}
	return Pack(r, CJ_REQ_SIZE(r->nsteps, r->nterms));
}

/* Canonical text output */
Datum
cj_requirement_out(PG_FUNCTION_ARGS)
{
	const CjRequirement *r = cj_requirement_datum(PG_GETARG_DATUM(0));
	char	   *buf = palloc(CJ_REQ_TEXT_MAX);

	cj_requirement_format(r, buf, CJ_REQ_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary input: version byte, int32 step count, then per step int64
 * duration in microseconds (0 on the last step), int32 term count and its
 * terms (int32 level, int32 name length, name).  Every rule of the text
 * input is checked, relaxation included.
 */
Datum
cj_requirement_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CjReqStep	steps[CJ_REQ_MAX_STEPS];
	CjSkill    *terms = palloc0(sizeof(CjSkill) * CJ_REQ_MAX_STEPS * CJ_REQ_MAX_TERMS);
	CjRequirement *r;
	CjError		err;
	int			nsteps,
				nterms = 0,
				k,
				i;

	cj_check_binary_version(pq_getmsgbyte(buf), "cj_requirement");
	nsteps = (int) pq_getmsgint(buf, 4);
	if (nsteps < 1 || nsteps > CJ_REQ_MAX_STEPS)
		BadBinary("cj_requirement", psprintf("A requirement has 1 to %d steps.", CJ_REQ_MAX_STEPS));
	for (k = 0; k < nsteps; k++)
	{
		steps[k].for_us = (int64) pq_getmsgint64(buf);
		steps[k].nterms = (int32) pq_getmsgint(buf, 4);
		steps[k].first = nterms;
		if (steps[k].nterms < 0 || steps[k].nterms > CJ_REQ_MAX_TERMS)
			BadBinary("cj_requirement", psprintf("A step has 0 to %d terms.", CJ_REQ_MAX_TERMS));
		for (i = 0; i < steps[k].nterms; i++)
			RecvSkill(buf, &terms[nterms++], "cj_requirement");
	}
	r = palloc0(CJ_REQ_SIZE(nsteps, nterms));
	r->nsteps = nsteps;
	r->nterms = nterms;
	memcpy(r->steps, steps, sizeof(CjReqStep) * nsteps);
	memcpy(cj_req_terms(r), terms, sizeof(CjSkill) * nterms);
	if (!cj_requirement_validate(r, CJ_REQ_SIZE(nsteps, nterms), &err))
		BadBinary("cj_requirement", err.detail);
	return Pack(r, CJ_REQ_SIZE(nsteps, nterms));
}

/* Binary output (see cj_requirement_recv) */
Datum
cj_requirement_send(PG_FUNCTION_ARGS)
{
	const CjRequirement *r = cj_requirement_datum(PG_GETARG_DATUM(0));
	const CjSkill *terms = cj_req_terms_c(r);
	StringInfoData buf;
	int			k,
				i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CJ_BINARY_VERSION);
	pq_sendint32(&buf, r->nsteps);
	for (k = 0; k < r->nsteps; k++)
	{
		pq_sendint64(&buf, r->steps[k].for_us);
		pq_sendint32(&buf, r->steps[k].nterms);
		for (i = 0; i < r->steps[k].nterms; i++)
			SendSkill(&buf, &terms[r->steps[k].first + i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
cj_requirement_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(SameBytes(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

Datum
cj_requirement_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!SameBytes(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

Datum
cj_requirement_hash(PG_FUNCTION_ARGS)
{
	return HashBytes(PG_GETARG_DATUM(0));
}

/* The elements of a text[] (any dimensions) as names and lengths */
static int
ArrayNames(ArrayType *a, const char ***names, int **lens)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	*names = palloc(sizeof(char *) * (n + 1));
	*lens = palloc(sizeof(int) * (n + 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
		{
			(*names)[i] = NULL;
			(*lens)[i] = 0;
		}
		else
		{
			text	   *t = DatumGetTextPP(elems[i]);

			(*names)[i] = VARDATA_ANY(t);
			(*lens)[i] = (int) VARSIZE_ANY_EXHDR(t);
		}
	}
	return n;
}

/*
 * A skill set of the elements of a text[] (level 1 each, NULLs dropped,
 * repeats merged), palloc'd; errors as cj_skillset(text[]).
 */
static CjSkillset *
SkillsetFromTextArray(ArrayType *a)
{
	const char **names;
	int		   *lens;
	int			n = ArrayNames(a, &names, &lens);
	CjSkillset *s = palloc(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	CjError		err;

	if (!cj_skillset_from_names(n, names, lens, s, &err))
		cj_raise(&err, "cannot convert text[] to cj_skillset");
	return s;
}

/*
 * The skill set a text[] skill list meets requirements with, for the
 * text[] form of cj_claim: the elements that can name a skill (a
 * requirement names only such skills, so '' or an over-long name cannot
 * meet any of its terms, and the text[] form keeps them for the skills
 * column), at level 1, NULLs dropped, repeats merged.  (Datum) 0 when
 * even those make no set (more than CJ_SKILLSET_MAX skills): the claim
 * then converts the list, and fails, only if it meets a requirement.
 */
Datum
cj_skillset_for_claim(ArrayType *a)
{
	const char **names;
	int		   *lens;
	int			n = ArrayNames(a, &names, &lens),
				k = 0,
				i;
	CjSkillset *s = palloc(CJ_SKILLSET_SIZE(CJ_SKILLSET_MAX));
	CjError		err;

	for (i = 0; i < n; i++)
		if (names[i] != NULL && lens[i] > 0 && lens[i] <= CJ_SKILL_NAME_MAX &&
			memchr(names[i], '\0', lens[i]) == NULL)
		{
			names[k] = names[i];
			lens[k] = lens[i];
			k++;
		}
	if (!cj_skillset_from_names(k, names, lens, s, &err))
		return (Datum) 0;
	return Pack(s, CJ_SKILLSET_SIZE(s->n));
}

/* cj_skillset(text[]): each element a skill of level 1 */
Datum
cj_skillset_from_array(PG_FUNCTION_ARGS)
{
	CjSkillset *s = SkillsetFromTextArray(PG_GETARG_ARRAYTYPE_P(0));

	return Pack(s, CJ_SKILLSET_SIZE(s->n));
}

/* cj_requirement(text[]): one step requiring each element at level 1 */
Datum
cj_requirement_from_array(PG_FUNCTION_ARGS)
{
	const char **names;
	int		   *lens;
	int			n = ArrayNames(PG_GETARG_ARRAYTYPE_P(0), &names, &lens);
	CjRequirement *r = palloc(CJ_REQ_SIZE_MAX);
	CjError		err;

	if (!cj_requirement_from_names(n, names, lens, r, &err))
		cj_raise(&err, "cannot convert text[] to cj_requirement");
	return Pack(r, CJ_REQ_SIZE(r->nsteps, r->nterms));
}

/*
 * Microseconds of a wait given as an interval: months refused (22023),
 * negative kept (it selects the first step), past int64 saturated.
 */
static int64
WaitUs(const Interval *iv)
{
	int64		us;

	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("waited must be a fixed length of time"),
				 errdetail("Months and years have no fixed length; give days, hours, minutes or seconds.")));
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, iv->time, &us))
		us = (iv->day < 0 || (iv->day == 0 && iv->time < 0)) ? PG_INT64_MIN : PG_INT64_MAX;
	return us;
}

/* cj_satisfies(s, r, waited): s meets the step of r in force after waited */
Datum
cj_satisfies(PG_FUNCTION_ARGS)
{
	const CjSkillset *s = cj_skillset_datum(PG_GETARG_DATUM(0));
	const CjRequirement *r = cj_requirement_datum(PG_GETARG_DATUM(1));
	int64		w = WaitUs(PG_GETARG_INTERVAL_P(2));

	PG_RETURN_BOOL(cj_skills_satisfy(s, r, cj_requirement_step_at(r, w)));
}

/* cj_requirement_step(r, waited): 1-based step in force after waited */
Datum
cj_requirement_step(PG_FUNCTION_ARGS)
{
	const CjRequirement *r = cj_requirement_datum(PG_GETARG_DATUM(0));
	int64		w = WaitUs(PG_GETARG_INTERVAL_P(1));

	PG_RETURN_INT32(cj_requirement_step_at(r, w) + 1);
}

/* cj_eligible_after(r, s): shortest wait after which s may take it, NULL for never */
Datum
cj_eligible_after(PG_FUNCTION_ARGS)
{
	const CjRequirement *r = cj_requirement_datum(PG_GETARG_DATUM(0));
	const CjSkillset *s = cj_skillset_datum(PG_GETARG_DATUM(1));
	int64		us = cj_requirement_eligible_after(r, s);
	Interval   *iv;

	if (us < 0)
		PG_RETURN_NULL();
	iv = palloc0(sizeof(Interval));
	iv->time = us;
	PG_RETURN_INTERVAL_P(iv);
}

/* cj_skill_level(s, skill): level of skill in s, 0 when absent */
Datum
cj_skill_level(PG_FUNCTION_ARGS)
{
	const CjSkillset *s = cj_skillset_datum(PG_GETARG_DATUM(0));
	text	   *name = PG_GETARG_TEXT_PP(1);

	PG_RETURN_INT32(cj_skillset_level(s, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)));
}

/* The skill names of a set in canonical order (see skills.h) */
ArrayType *
cj_skillset_names(const CjSkillset *s)
{
	Datum	   *d = palloc(sizeof(Datum) * (s->n + 1));
	int			i;

	for (i = 0; i < s->n; i++)
		d[i] = PointerGetDatum(cstring_to_text(s->skills[i].name));
	return construct_array(d, s->n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* cj_skills(s): the skill names in canonical order */
Datum
cj_skills(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(cj_skillset_names(cj_skillset_datum(PG_GETARG_DATUM(0))));
}
