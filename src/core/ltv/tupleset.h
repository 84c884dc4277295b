/*-------------------------------------------------------------------------
 *
 * tupleset.h
 *	  Sets of distinct weighted data tuples: the sufficient statistics of a
 *	  model fit (see cj_family.h).
 *
 * A set lives in caller-provided memory (the glue keeps it inside one
 * varlena so that it moves between processes as a plain byte image): an
 * array of `capacity` CjTuple slots, `n` of them used, and an open-
 * addressing hash index of `nslots` int32 entries (a power of two at least
 * twice the capacity; -1 = empty) holding positions in the array.  Nothing
 * in it is a pointer, so a copied image stays valid.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_TUPLESET_H
#define CJ_TUPLESET_H

#include "core/ltv/family.h"

typedef struct CjTupleSet
{
	CjTuple    *t;				/* capacity slots */
	int32_t    *slots;			/* nslots entries, -1 = empty */
	uint32_t	n;				/* tuples in use */
	uint32_t	capacity;
	uint32_t	nslots;			/* power of two >= 2 * capacity */
} CjTupleSet;

/* Hash-index size for a capacity (power of two >= 2 * capacity, >= 8) */
extern uint32_t cj_tupleset_nslots(uint32_t capacity);

/* Rebuild the hash index from the tuples (after copying into new memory) */
extern void cj_tupleset_reindex(CjTupleSet *s);

/* Outcome of cj_tupleset_add */
typedef enum CjTupleSetAdd
{
	CJ_TUPLESET_ADDED,			/* added, or weight added to an equal tuple */
	CJ_TUPLESET_FULL,			/* v is new and the set is full */
	CJ_TUPLESET_WEIGHT			/* the tuple's weight would pass max_w */
} CjTupleSetAdd;

/*
 * Add weight w to tuple v (ndata values; the rest are zero).  Changes
 * nothing unless it returns CJ_TUPLESET_ADDED.
 */
extern CjTupleSetAdd cj_tupleset_add(CjTupleSet *s, const double *v, int ndata,
									 double w, double max_w);

/* Lexicographic order on v[] */
extern int	cj_tuple_cmp(const void *a, const void *b);

/*
 * Sort tuples in place and merge equal ones (summing weights); returns
 * the number of distinct tuples.
 */
extern size_t cj_tuples_sort_merge(CjTuple *t, size_t n);

#endif							/* CJ_TUPLESET_H */
