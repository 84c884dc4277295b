/*-------------------------------------------------------------------------
 *
 * tupleset.c
 *	  Distinct weighted data tuples: hash insertion, sorting, merging.
 *
 * Equal tuples are equal bit patterns after normalising -0 to +0 (NaN
 * never gets here: the families reject it), so the hash is over the raw
 * bits and the order is the numeric order of the values.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/tupleset.h"

#include <stdlib.h>
#include <string.h>

/*
 * Hash-index size: the least power of two >= 2 * capacity, at least 8 and
 * at most 2^31 (which no allocatable set reaches).  In O(1): the states'
 * header checks compare it with the stored size on every row.
 */
uint32_t
cj_tupleset_nslots(uint32_t capacity)
{
	uint64_t	want = 2 * (uint64_t) capacity;

	if (want <= 8)
		return 8;
	if (want >= (UINT64_C(1) << 31))
		return UINT32_C(1) << 31;
	return (uint32_t) (UINT64_C(1) << (64 - __builtin_clzll(want - 1)));
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
CjTupleSetAdd
cj_tupleset_add(CjTupleSet *s, const double *v, int ndata, double w,
				double max_w)
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
			/* max_w - t->w is exact for integer weights up to 2^53 */
			if (!(w <= max_w - t->w))
				return CJ_TUPLESET_WEIGHT;
			t->w += w;
			return CJ_TUPLESET_ADDED;
		}
		h = (h + 1) & mask;
	}
	if (s->n >= s->capacity)
		return CJ_TUPLESET_FULL;
	if (!(w <= max_w))
		return CJ_TUPLESET_WEIGHT;
	memcpy(s->t[s->n].v, key, sizeof(key));
	s->t[s->n].w = w;
	s->slots[h] = (int32_t) s->n;
	s->n++;
	return CJ_TUPLESET_ADDED;
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

/*
 * Sorting.  A fit sorts its distinct tuples once (8,685 for the full CDNOW
 * log), and qsort's callback per comparison cost about a twentieth of a
 * Pareto/NBD fit, so the sort is an introsort with the comparison inline:
 * quicksort on the median of three, insertion sort below 16 tuples, and
 * heapsort past 2 log2(n) levels, so no input is quadratic.
 */
static inline bool
TupleLess(const CjTuple *a, const CjTuple *b)
{
	if (a->v[0] != b->v[0])
		return a->v[0] < b->v[0];
	if (a->v[1] != b->v[1])
		return a->v[1] < b->v[1];
	return a->v[2] < b->v[2];
}

static inline void
TupleSwap(CjTuple *a, CjTuple *b)
{
	CjTuple		x = *a;

	*a = *b;
	*b = x;
}

/* Insertion sort of t[0..n) */
static void
InsertionSort(CjTuple *t, size_t n)
{
	size_t		i,
				j;

	for (i = 1; i < n; i++)
	{
		CjTuple		x = t[i];

		for (j = i; j > 0 && TupleLess(&x, &t[j - 1]); j--)
			t[j] = t[j - 1];
		t[j] = x;
	}
}

/* Restore the max-heap t[0..n) below root */
static void
SiftDown(CjTuple *t, size_t root, size_t n)
{
	for (;;)
	{
		size_t		c = 2 * root + 1;

		if (c >= n)
			return;
		if (c + 1 < n && TupleLess(&t[c], &t[c + 1]))
			c++;
		if (!TupleLess(&t[root], &t[c]))
			return;
		TupleSwap(&t[root], &t[c]);
		root = c;
	}
}

/* Heapsort of t[0..n): the fall-back that bounds the worst case */
static void
HeapSort(CjTuple *t, size_t n)
{
	size_t		i;

	for (i = n / 2; i-- > 0;)
		SiftDown(t, i, n);
	for (i = n; i-- > 1;)
	{
		TupleSwap(&t[0], &t[i]);
		SiftDown(t, 0, i);
	}
}

/*
 * Hoare partition of t[0..n), n >= 3, around the median of t[0], t[n/2]
 * and t[n-1] (moved to t[0]); returns j with t[0..j] <= pivot <= t[j+1..n),
 * both parts non-empty.
 */
static size_t
Partition(CjTuple *t, size_t n)
{
	CjTuple		p;
	size_t		i = 0,
				j = n - 1;

	if (TupleLess(&t[n / 2], &t[0]))
		TupleSwap(&t[n / 2], &t[0]);
	if (TupleLess(&t[n - 1], &t[n / 2]))
		TupleSwap(&t[n - 1], &t[n / 2]);
	if (TupleLess(&t[n / 2], &t[0]))
		TupleSwap(&t[n / 2], &t[0]);
	TupleSwap(&t[0], &t[n / 2]);
	p = t[0];
	for (;;)
	{
		while (TupleLess(&t[i], &p))
			i++;
		while (TupleLess(&p, &t[j]))
			j--;
		if (i >= j)
			return j;
		TupleSwap(&t[i], &t[j]);
		i++;
		j--;
	}
}

/* Introsort of t[0..n) with depth levels of quicksort left */
static void
IntroSort(CjTuple *t, size_t n, int depth)
{
	while (n > 16)
	{
		size_t		j;

		if (depth-- == 0)
		{
			HeapSort(t, n);
			return;
		}
		/* a cancel request is answered between large partitions */
		if (n > 65536)
			cj_check_interrupts();
		j = Partition(t, n) + 1;
		/* recurse into the smaller part, loop on the larger */
		if (j < n - j)
		{
			IntroSort(t, j, depth);
			t += j;
			n -= j;
		}
		else
		{
			IntroSort(t + j, n - j, depth);
			n = j;
		}
	}
	InsertionSort(t, n);
}

/* Sort and merge equal tuples */
size_t
cj_tuples_sort_merge(CjTuple *t, size_t n)
{
	size_t		i,
				k = 0;
	int			depth = 0;

	if (n == 0)
		return 0;
	for (i = n; i > 1; i >>= 1)
		depth += 2;
	IntroSort(t, n, depth);
	for (i = 1; i < n; i++)
	{
		if (cj_tuple_cmp(&t[k], &t[i]) == 0)
			t[k].w += t[i].w;
		else
			t[++k] = t[i];
	}
	return k + 1;
}
