/*-------------------------------------------------------------------------
 *
 * sort.h
 *	  The core's sort: cancellable, and without allocation in the
 *	  extension.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SORT_H
#define CJ_SORT_H

#include <stddef.h>

typedef int (*CjSortCmp) (const void *a, const void *b);

/*
 * The in-place sort the extension sets (PostgreSQL's qsort, which
 * allocates nothing, so an error raised inside a comparison leaks
 * nothing); NULL in unit tests and fuzz targets, where the C library's
 * qsort serves.
 */
extern void (*cj_sort_hook) (void *base, size_t n, size_t size, CjSortCmp cmp);

/*
 * Sort n elements of size bytes at base by cmp, as qsort does, answering
 * a cancel request (cj_check_interrupts) every 65,536 comparisons when
 * the sort is the extension's.  Not reentrant: cmp must not sort.
 */
extern void cj_sort(void *base, size_t n, size_t size, CjSortCmp cmp);

#endif							/* CJ_SORT_H */
