/*-------------------------------------------------------------------------
 *
 * cj_tupleset.c
 *	  Distinct weighted data tuples: hash insertion, sorting, merging.
 *
 * Equal tuples are equal bit patterns after normalising -0 to +0 (NaN
 * never gets here: the families reject it), so the hash is over the raw
 * bits and the order is the numeric order of the values.
 *
 *-------------------------------------------------------------------------
 */
#include "cj_tupleset.h"

#include <stdlib.h>
#include <string.h>

/* Hash-index size: power of two >= 2 * capacity */
uint32_t
cj_tupleset_nslots(uint32_t capacity)
{
	uint32_t	n = 8;

	while (n < 2 * (uint64_t) capacity)
		n *= 2;
	return n;
}

/* 64-bit mix of the bits of a tuple (splitmix finaliser per value) */
static uint64_t
HashTuple(const double *v)
{
	uint64_t	h = 0x9E3779B97F4A7C15u;
	int			i;

	for (i = 0; i < CJ_TUPLE_DIM; i++)
	{
		uint64_t	b;

		memcpy(&b, &v[i], sizeof(b));
		h ^= b + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
		h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9u;
		h = (h ^ (h >> 27)) * 0x94D049BB133111EBu;
		h ^= h >> 31;
	}
	return h;
}

/* Rebuild the hash index */
void
cj_tupleset_reindex(CjTupleSet *s)
{
	uint32_t	mask = s->nslots - 1,
				i;

	for (i = 0; i < s->nslots; i++)
		s->slots[i] = -1;
	for (i = 0; i < s->n; i++)
	{
		uint32_t	h = (uint32_t) HashTuple(s->t[i].v) & mask;

		while (s->slots[h] >= 0)
			h = (h + 1) & mask;
		s->slots[h] = (int32_t) i;
	}
}

/* Add weight w to tuple v */
bool
cj_tupleset_add(CjTupleSet *s, const double *v, int ndata, double w)
{
	double		key[CJ_TUPLE_DIM] = {0.0, 0.0, 0.0};
	uint32_t	mask = s->nslots - 1,
				h;
	int			i;

	for (i = 0; i < ndata; i++)
		key[i] = v[i] + 0.0;	/* -0 becomes +0 */
	h = (uint32_t) HashTuple(key) & mask;
	while (s->slots[h] >= 0)
	{
		CjTuple    *t = &s->t[s->slots[h]];

		if (memcmp(t->v, key, sizeof(key)) == 0)
		{
			t->w += w;
			return true;
		}
		h = (h + 1) & mask;
	}
	if (s->n >= s->capacity)
		return false;
	memcpy(s->t[s->n].v, key, sizeof(key));
	s->t[s->n].w = w;
	s->slots[h] = (int32_t) s->n;
	s->n++;
	return true;
}

/* Lexicographic order on v[] */
int
cj_tuple_cmp(const void *a, const void *b)
{
	const CjTuple *x = a,
			   *y = b;
	int			i;

	for (i = 0; i < CJ_TUPLE_DIM; i++)
	{
		if (x->v[i] < y->v[i])
			return -1;
		if (x->v[i] > y->v[i])
			return 1;
	}
	return 0;
}

/* Sort and merge equal tuples */
size_t
cj_tuples_sort_merge(CjTuple *t, size_t n)
{
	size_t		i,
				k = 0;

	if (n == 0)
		return 0;
	qsort(t, n, sizeof(CjTuple), cj_tuple_cmp);
	for (i = 1; i < n; i++)
	{
		if (cj_tuple_cmp(&t[k], &t[i]) == 0)
			t[k].w += t[i].w;
		else
			t[++k] = t[i];
	}
	return k + 1;
}
