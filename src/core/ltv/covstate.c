/*-------------------------------------------------------------------------
 *
 * covstate.c
 *	  Shape, row set, grouping and text form of the covariate fit state
 *	  (pure C; see covstate.h).
 *
 * Grammar of the text form (white space allowed between tokens):
 *	 state := family '{}'
 *			| family '[' 'trans=' names ';' 'life=' names ';' 'constr=' names
 *				 ';' 'lambda_trans=' number ';' 'lambda_life=' number ']'
 *			  '{' [ row ( ',' row )* ] '}'
 *	 names := [ ident ( ',' ident )* ]
 *	 row   := '(' x ',' t_x ',' T '|' values '|' values ')' ':' weight
 * Weights are integers from 1 to 2^53; equal rows merge (the merged weight
 * at most 2^53).  The printer writes rows sorted and distinct, numbers in
 * their shortest exact form, so text output and input round-trip exactly.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/covstate.h"
#include "core/common/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common/core.h"
#include "core/common/shortest.h"
#include "core/common/text.h"
#include "core/ltv/fit_state_text.h"

/* Whether a covariate name is valid */
bool
cj_cov_name_valid(const char *name)
{
	size_t		i,
				len = strlen(name);

	if (len == 0 || len > CJ_COVNAME_MAX)
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = name[i];
		bool		alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			c == '_';

		if (!(alpha || (i > 0 && c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* Index of name in list (n entries), -1 when absent */
static int
NameIndex(const char list[][CJ_COVNAME_MAX + 1], int n, const char *name)
{
	int			i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return i;
	return -1;
}

/* Check one list of names: valid and distinct */
static bool
CheckNames(const char list[][CJ_COVNAME_MAX + 1], int n, const char *what,
		   CjError *err)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (!cj_cov_name_valid(list[i]))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "The %s covariate name \"%.63s\" is not an identifier of at most %d characters.",
						 what, list[i], CJ_COVNAME_MAX);
			return false;
		}
		if (NameIndex(list, i, list[i]) >= 0)
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "The %s covariate name \"%s\" is given twice.",
						 what, list[i]);
			return false;
		}
	}
	return true;
}

/* Check a shape (see the header) */
bool
cj_cov_shape_check(const CjCovShape *s, CjError *err)
{
	const CjFamily *f = cj_family_by_id(s->family);
	int			i;

	if (f == NULL || !cj_cov_family_supported(f))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Only Pareto/NBD and BG/NBD take covariates.");
		return false;
	}
	if (s->reserved[0] || s->reserved[1] || s->reserved[2] || s->reserved[3])
	{
		cj_error_set(err, CJ_ERR_PARAM, "Reserved bytes must be zero.");
		return false;
	}
	if (s->ntrans == -1 && s->nlife == -1 && s->nconstr == 0)
		return true;			/* no shape yet */
	if (s->ntrans < 0 || s->ntrans > CJ_COVFIT_MAX || s->nlife < 0 ||
		s->nlife > CJ_COVFIT_MAX || s->nconstr < 0 || s->nconstr > CJ_COVFIT_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT,
					 "A process takes at most %d covariates.", CJ_COVFIT_MAX);
		return false;
	}
	if (s->ntrans + s->nlife == 0)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A fit with covariates needs at least one, in cov_trans or cov_life; without any, use the fit without covariates.");
		return false;
	}
	if (!CheckNames(s->trans, s->ntrans, "trans", err) ||
		!CheckNames(s->life, s->nlife, "life", err) ||
		!CheckNames(s->constr, s->nconstr, "constrained", err))
		return false;
	for (i = 0; i < s->nconstr; i++)
		if (NameIndex(s->trans, s->ntrans, s->constr[i]) < 0 ||
			NameIndex(s->life, s->nlife, s->constr[i]) < 0)
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "The constrained covariate \"%s\" must be a trans and a life covariate.",
						 s->constr[i]);
			return false;
		}
	if (!(isfinite(s->lambda_trans) && s->lambda_trans >= 0.0 &&
		  isfinite(s->lambda_life) && s->lambda_life >= 0.0))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "lambda_trans and lambda_life must be finite numbers >= 0.");
		return false;
	}
	return true;
}

/* Whether two shapes are the same */
bool
cj_cov_shape_equal(const CjCovShape *a, const CjCovShape *b)
{
	int			i;

	if (a->family != b->family || a->ntrans != b->ntrans ||
		a->nlife != b->nlife || a->nconstr != b->nconstr ||
		a->lambda_trans != b->lambda_trans || a->lambda_life != b->lambda_life)
		return false;
	for (i = 0; i < a->ntrans; i++)
		if (strcmp(a->trans[i], b->trans[i]) != 0)
			return false;
	for (i = 0; i < a->nlife; i++)
		if (strcmp(a->life[i], b->life[i]) != 0)
			return false;
	for (i = 0; i < a->nconstr; i++)
		if (strcmp(a->constr[i], b->constr[i]) != 0)
			return false;
	return true;
}

/* Spec and coefficient names of a shape (see the header) */
void
cj_cov_shape_spec(const CjCovShape *s, CjCovSpec *spec,
				  char names[][CJ_COEFNAME_MAX])
{
	int			i,
				c = 0;

	memset(spec, 0, sizeof(*spec));
	spec->ntrans = s->ntrans;
	spec->nlife = s->nlife;
	for (i = 0; i < s->ntrans; i++)
		if (NameIndex(s->constr, s->nconstr, s->trans[i]) < 0)
		{
			spec->trans_coef[i] = c;
			spec->kind[c] = CJ_COEF_TRANS;
			snprintf(names[c++], CJ_COEFNAME_MAX, "trans.%s", s->trans[i]);
		}
	for (i = 0; i < s->nlife; i++)
		if (NameIndex(s->constr, s->nconstr, s->life[i]) < 0)
		{
			spec->life_coef[i] = c;
			spec->kind[c] = CJ_COEF_LIFE;
			snprintf(names[c++], CJ_COEFNAME_MAX, "life.%s", s->life[i]);
		}
	for (i = 0; i < s->nconstr; i++)
	{
		spec->trans_coef[NameIndex(s->trans, s->ntrans, s->constr[i])] = c;
		spec->life_coef[NameIndex(s->life, s->nlife, s->constr[i])] = c;
		spec->kind[c] = CJ_COEF_CONSTR;
		snprintf(names[c++], CJ_COEFNAME_MAX, "constr.%s", s->constr[i]);
	}
	spec->ncoef = c;
	spec->lambda_trans = s->lambda_trans;
	spec->lambda_life = s->lambda_life;
}

/*
 * 64-bit hash of a row's bits: one multiply-xorshift step per value and
 * the splitmix finaliser at the end (rows are up to 23 values, hashed once
 * per input row, so the per-value step is kept cheap).
 */
static uint64_t
HashRow(const double *v, int width)
{
	uint64_t	h = 0x9E3779B97F4A7C15u;
	int			i;

	for (i = 0; i < width; i++)
	{
		uint64_t	b;

		memcpy(&b, &v[i], sizeof(b));
		h = (h ^ b) * 0xBF58476D1CE4E5B9u;
		h ^= h >> 29;
	}
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9u;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBu;
	return h ^ (h >> 31);
}

/* Rebuild the hash index of a row set */
void
cj_rowset_reindex(CjRowSet *s)
{
	uint32_t	mask = s->nslots - 1,
				i;
	int			stride = s->width + 1;

	for (i = 0; i < s->nslots; i++)
		s->slots[i] = -1;
	for (i = 0; i < s->n; i++)
	{
		uint32_t	h = (uint32_t) HashRow(s->rows + (size_t) i * stride,
										   s->width) & mask;

		while (s->slots[h] >= 0)
			h = (h + 1) & mask;
		s->slots[h] = (int32_t) i;
	}
}

/* Add weight w to row v */
CjTupleSetAdd
cj_rowset_add(CjRowSet *s, const double *v, double w, double max_w)
{
	double		key[CJ_COVROW_MAX];
	uint32_t	mask = s->nslots - 1,
				h;
	int			stride = s->width + 1,
				i;

	for (i = 0; i < s->width; i++)
		key[i] = v[i] == 0.0 ? 0.0 : v[i];	/* -0 -> 0 */
	h = (uint32_t) HashRow(key, s->width) & mask;
	while (s->slots[h] >= 0)
	{
		double	   *r = s->rows + (size_t) s->slots[h] * stride;

		if (memcmp(r, key, sizeof(double) * s->width) == 0)
		{
			if (r[s->width] > max_w - w)
				return CJ_TUPLESET_WEIGHT;
			r[s->width] += w;
			return CJ_TUPLESET_ADDED;
		}
		h = (h + 1) & mask;
	}
	if (s->n >= s->capacity)
		return CJ_TUPLESET_FULL;
	if (w > max_w)
		return CJ_TUPLESET_WEIGHT;
	memcpy(s->rows + (size_t) s->n * stride, key, sizeof(double) * s->width);
	s->rows[(size_t) s->n * stride + s->width] = w;
	s->slots[h] = (int32_t) s->n++;
	return CJ_TUPLESET_ADDED;
}

/* Row comparison for qsort: the width is passed through a static */
static int	SortWidth;

static int
RowCmp(const void *a, const void *b)
{
	const double *x = a,
			   *y = b;
	int			i;

	for (i = 0; i < SortWidth; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* Sort and merge rows */
size_t
cj_rows_sort_merge(double *rows, size_t n, int width)
{
	size_t		i,
				k = 0;
	int			stride = width + 1;

	if (n == 0)
		return 0;
	SortWidth = width;
	cj_sort(rows, n, sizeof(double) * stride, RowCmp);
	for (i = 1; i < n; i++)
	{
		double	   *r = rows + i * stride,
				   *o = rows + k * stride;

		if (RowCmp(o, r) == 0)
			o[width] += r[width];
		else
			memmove(rows + (++k) * stride, r, sizeof(double) * stride);
	}
	return k + 1;
}

/* Check one row (see the header) */
bool
cj_cov_row_check(const CjCovShape *s, const double *v, CjError *err)
{
	const CjFamily *f = cj_family_by_id(s->family);
	int			nz = s->ntrans + s->nlife,
				i;

	for (i = 0; i < nz; i++)
		if (!isfinite(v[i]))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Covariate values must be finite.");
			return false;
		}
	return f->check_data(v + nz, err);
}

/*
 * Hash index size of the grouping for n rows: the row sets' size for n + 1
 * (a power of two >= 2n + 2, room for the rank and start arrays too)
 */
#define GroupSlots(n) ((size_t) cj_tupleset_nslots((uint32_t) (n) + 1))

/* Scratch of cj_cov_group_rows (see the header) */
size_t
cj_cov_group_scratch(size_t n)
{
	return GroupSlots(n) + 3 * n;
}

/* The covariate vectors the comparison below sees (one sort at a time) */
static const double *GroupRows;
static const uint32_t *GroupRep;
static int	GroupWidth;
static int	GroupStride;

/* Order of two groups: their covariate vectors, lexicographically */
static int
GroupCmp(const void *a, const void *b)
{
	const double *x = GroupRows + (size_t) GroupRep[*(const uint32_t *) a] * GroupStride,
			   *y = GroupRows + (size_t) GroupRep[*(const uint32_t *) b] * GroupStride;
	int			i;

	for (i = 0; i < GroupWidth; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/*
 * Group rows by covariate vector (see the header).  What sorting the whole
 * rows and cutting the runs of equal covariates gives, without sorting
 * rows of up to 24 values: each row's covariate vector is looked up in a
 * hash index of the distinct ones (rep: a row of each), the distinct
 * vectors alone are sorted, the rows' tuples are laid out group by group
 * (a counting sort on the group's rank) and each group's tuples are sorted
 * and merged by the tuple sort.  Same groups, same order, same tuples.
 */
size_t
cj_cov_group_rows(const CjCovShape *s, const double *rows, size_t n,
				  CjTuple *tuples, CjCovGroup *groups, uint32_t *scratch,
				  size_t *ntuples, double *total)
{
	int			nz = s->ntrans + s->nlife,
				width = nz + 3,
				stride = width + 1;
	size_t		nslots = GroupSlots(n),
				mask = nslots - 1,
				i,
				g,
				ng = 0,
				out = 0;
	uint32_t   *slots = scratch,
			   *rep = scratch + nslots,
			   *gid = rep + n,
			   *order = gid + n,
			   *rank = slots,	/* reused once the index is done */
			   *start = slots + n + 1;

	*total = 0.0;
	for (i = 0; i < nslots; i++)
		slots[i] = UINT32_MAX;
	for (i = 0; i < n; i++)
	{
		const double *z = rows + i * stride;
		size_t		h = (size_t) HashRow(z, nz) & mask;

		while (slots[h] != UINT32_MAX &&
			   memcmp(rows + (size_t) rep[slots[h]] * stride, z,
					  sizeof(double) * nz) != 0)
			h = (h + 1) & mask;
		if (slots[h] == UINT32_MAX)
		{
			rep[ng] = (uint32_t) i;
			slots[h] = (uint32_t) ng++;
		}
		gid[i] = slots[h];
		if ((i & 0xffff) == 0xffff)
			cj_check_interrupts();
	}
	for (g = 0; g < ng; g++)
		order[g] = (uint32_t) g;
	GroupRows = rows;
	GroupRep = rep;
	GroupWidth = nz;
	GroupStride = stride;
	cj_sort(order, ng, sizeof(uint32_t), GroupCmp);
	/* rank of each group, and where its tuples start */
	for (g = 0; g <= ng; g++)
		start[g] = 0;
	for (g = 0; g < ng; g++)
		rank[order[g]] = (uint32_t) g;
	for (i = 0; i < n; i++)
		start[rank[gid[i]] + 1]++;
	for (g = 0; g < ng; g++)
		start[g + 1] += start[g];
	for (i = 0; i < n; i++)
	{
		const double *r = rows + i * stride;
		CjTuple    *t = &tuples[start[rank[gid[i]]]++];

		t->v[0] = r[nz];
		t->v[1] = r[nz + 1];
		t->v[2] = r[nz + 2];
		t->w = r[width];
	}
	/* start[g] is now the end of group g: sort, merge and pack each */
	for (g = 0; g < ng; g++)
	{
		size_t		from = g == 0 ? 0 : start[g - 1],
					m,
					j;
		CjCovGroup *gr = &groups[g];

		m = cj_tuples_sort_merge(tuples + from, start[g] - from);
		memmove(tuples + out, tuples + from, sizeof(CjTuple) * m);
		gr->z = rows + (size_t) rep[order[g]] * stride;
		gr->d.t = tuples + out;
		gr->d.n = m;
		gr->d.total_weight = 0.0;
		for (j = 0; j < m; j++)
		{
			gr->d.total_weight += tuples[out + j].w;
			*total += tuples[out + j].w;
		}
		out += m;
	}
	*ntuples = out;
	return ng;
}

/* Rows a literal can hold: "(0,0,0||):1" is the shortest */
size_t
cj_cov_state_parse_rows(size_t textlen)
{
	size_t		n = textlen / 11 + 1;

	return n > CJ_FIT_MAX_TUPLES + 1 ? CJ_FIT_MAX_TUPLES + 1 : n;
}

/* Parse "key=" */
static bool
AcceptKey(const char **p, const char *key)
{
	size_t		len = strlen(key);

	*p = cj_skip_space(*p);
	if (strncmp(*p, key, len) != 0)
		return false;
	*p += len;
	return cj_accept_char(p, '=');
}

/* Parse a comma list of names (possibly empty) up to ';' */
static bool
ParseNames(const char **p, char list[][CJ_COVNAME_MAX + 1], int8_t *n)
{
	const char *q;

	*n = 0;
	q = cj_skip_space(*p);
	if (*q == ';')
		return true;
	do
	{
		if (*n >= CJ_COVFIT_MAX ||
			cj_parse_ident(p, list[*n], CJ_COVNAME_MAX + 1) <= 0)
			return false;
		(*n)++;
	} while (cj_accept_char(p, ','));
	return true;
}

/* Parse k comma-separated numbers into v */
static bool
ParseValues(const char **p, double *v, int k)
{
	int			i;

	for (i = 0; i < k; i++)
		if ((i > 0 && !cj_accept_char(p, ',')) || !cj_parse_double(p, &v[i]))
			return false;
	return true;
}

/* Parse a literal (see the file header) */
bool
cj_cov_state_parse(const char *text, CjCovShape *s, double *rows, size_t *n,
				   CjError *err)
{
	const char *p = text;
	char		name[64];
	const CjFamily *f;
	size_t		cap = cj_cov_state_parse_rows(strlen(text));
	int			nz,
				stride,
				i;

	memset(s, 0, sizeof(*s));
	*n = 0;
	cj_error_set(err, CJ_ERR_SYNTAX,
				 "Expected family{} or family[trans=...;life=...;constr=...;lambda_trans=...;lambda_life=...]{(x,t_x,T|trans values|life values):weight,...}.");
	if (cj_parse_ident(&p, name, sizeof(name)) <= 0 ||
		(f = cj_family_by_name(name)) == NULL)
		return false;
	s->family = (uint8_t) f->id;
	if (!cj_cov_family_supported(f))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Only Pareto/NBD and BG/NBD take covariates.");
		return false;
	}
	if (!cj_accept_char(&p, '['))
	{
		s->ntrans = s->nlife = -1;
		return cj_accept_char(&p, '{') && cj_accept_char(&p, '}') &&
			cj_at_end(p);
	}
	if (!AcceptKey(&p, "trans") || !ParseNames(&p, s->trans, &s->ntrans) ||
		!cj_accept_char(&p, ';') ||
		!AcceptKey(&p, "life") || !ParseNames(&p, s->life, &s->nlife) ||
		!cj_accept_char(&p, ';') ||
		!AcceptKey(&p, "constr") || !ParseNames(&p, s->constr, &s->nconstr) ||
		!cj_accept_char(&p, ';') ||
		!AcceptKey(&p, "lambda_trans") ||
		!cj_parse_double(&p, &s->lambda_trans) || !cj_accept_char(&p, ';') ||
		!AcceptKey(&p, "lambda_life") ||
		!cj_parse_double(&p, &s->lambda_life) || !cj_accept_char(&p, ']') ||
		!cj_accept_char(&p, '{'))
		return false;
	if (!cj_cov_shape_check(s, err))
		return false;
	cj_error_set(err, CJ_ERR_SYNTAX, "Expected a row (x,t_x,T|trans values|life values):weight.");
	nz = s->ntrans + s->nlife;
	stride = nz + 4;
	if (!cj_accept_char(&p, '}'))
	{
		do
		{
			double	   *r = rows + *n * stride;
			int64_t		w;

			if (*n >= cap || *n >= CJ_FIT_MAX_TUPLES)
			{
				cj_error_set(err, CJ_ERR_LIMIT,
							 "A fit holds at most %d distinct rows.",
							 CJ_FIT_MAX_TUPLES);
				return false;
			}
			if (!cj_accept_char(&p, '(') || !ParseValues(&p, r + nz, 3) ||
				!cj_accept_char(&p, '|') || !ParseValues(&p, r, s->ntrans) ||
				!cj_accept_char(&p, '|') ||
				!ParseValues(&p, r + s->ntrans, s->nlife) ||
				!cj_accept_char(&p, ')') || !cj_accept_char(&p, ':') ||
				!cj_parse_int64(&p, &w) || w < 1 || w > ((int64_t) 1 << 53))
				return false;
			for (i = 0; i < nz + 3; i++)
				if (r[i] == 0.0)
					r[i] = 0.0;
			r[nz + 3] = (double) w;
			if (!cj_cov_row_check(s, r, err))
				return false;
			(*n)++;
		} while (cj_accept_char(&p, ','));
		if (!cj_accept_char(&p, '}'))
			return false;
	}
	if (!cj_at_end(p))
		return false;
	*n = cj_rows_sort_merge(rows, *n, nz + 3);
	for (i = 0; i < (int) *n; i++)
		if (rows[(size_t) i * stride + nz + 3] > CJ_FIT_MAX_WEIGHT)
		{
			cj_error_set(err, CJ_ERR_RANGE,
						 "The total weight of a row cannot exceed 2^53.");
			return false;
		}
	return true;
}

/* Bytes of the text form */
size_t
cj_cov_state_text_size(const CjCovShape *s, size_t n)
{
	int			w = s->ntrans < 0 ? 0 : s->ntrans + s->nlife + 3;

	return 128 + 3 * CJ_COVFIT_MAX * (CJ_COVNAME_MAX + 1) + 2 * CJ_DOUBLE_TEXT_MAX +
		n * ((size_t) w * (CJ_DOUBLE_TEXT_MAX + 1) + 8 + 24);
}

/* Write a comma list of names */
static size_t
FormatNames(const char list[][CJ_COVNAME_MAX + 1], int n, char *buf)
{
	size_t		len = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		size_t		l = strlen(list[i]);

		if (i)
			buf[len++] = ',';
		memcpy(buf + len, list[i], l);
		len += l;
	}
	return len;
}

/* Write k comma-separated numbers */
static size_t
FormatValues(const double *v, int k, char *buf)
{
	size_t		len = 0;
	int			i;

	for (i = 0; i < k; i++)
	{
		if (i)
			buf[len++] = ',';
		len += (size_t) cj_double_shortest(v[i], buf + len);
	}
	return len;
}

/* Canonical text */
size_t
cj_cov_state_format(const CjCovShape *s, const double *rows, size_t n,
					char *buf)
{
	const CjFamily *f = cj_family_by_id(s->family);
	size_t		len = strlen(f->name),
				i;
	int			nz,
				stride;

	memcpy(buf, f->name, len);
	if (s->ntrans < 0)
	{
		memcpy(buf + len, "{}", 3);
		return len + 2;
	}
	nz = s->ntrans + s->nlife;
	stride = nz + 4;
	len += (size_t) sprintf(buf + len, "[trans=");
	len += FormatNames(s->trans, s->ntrans, buf + len);
	len += (size_t) sprintf(buf + len, ";life=");
	len += FormatNames(s->life, s->nlife, buf + len);
	len += (size_t) sprintf(buf + len, ";constr=");
	len += FormatNames(s->constr, s->nconstr, buf + len);
	len += (size_t) sprintf(buf + len, ";lambda_trans=");
	len += (size_t) cj_double_shortest(s->lambda_trans, buf + len);
	len += (size_t) sprintf(buf + len, ";lambda_life=");
	len += (size_t) cj_double_shortest(s->lambda_life, buf + len);
	buf[len++] = ']';
	buf[len++] = '{';
	for (i = 0; i < n; i++)
	{
		const double *r = rows + i * stride;

		if (i)
			buf[len++] = ',';
		buf[len++] = '(';
		len += FormatValues(r + nz, 3, buf + len);
		buf[len++] = '|';
		len += FormatValues(r, s->ntrans, buf + len);
		buf[len++] = '|';
		len += FormatValues(r + s->ntrans, s->nlife, buf + len);
		len += (size_t) snprintf(buf + len, 24, "):%lld",
								 (long long) r[nz + 3]);
	}
	buf[len++] = '}';
	buf[len] = '\0';
	return len;
}
