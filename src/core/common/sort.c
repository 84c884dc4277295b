/*-------------------------------------------------------------------------
 *
 * sort.c
 *	  cj_sort: qsort with cancel checks.
 *
 * A sort of millions of elements (a points ledger's references, a fit
 * state's tuples, a covariate fit's rows) takes seconds, and qsort offers
 * no place to answer a cancel request but the comparison.  The C
 * library's qsort may allocate a buffer (glibc's merge sort does), which
 * an error raised inside a comparison would leak, so comparisons check
 * for interrupts only when the extension has set cj_sort_hook to
 * PostgreSQL's in-place qsort.  The comparison is wrapped through a
 * static (one sort at a time: the backend is single-threaded and no
 * comparison sorts).
 *
 *-------------------------------------------------------------------------
 */
#include "core/common/sort.h"
#include "core/common/core.h"

#include <stdint.h>
#include <stdlib.h>

void		(*cj_sort_hook) (void *base, size_t n, size_t size, CjSortCmp cmp) = NULL;

static CjSortCmp SortCmp;		/* the caller's comparison */
static uint32_t SortCount;		/* comparisons since the last check */

/* The caller's comparison, with a cancel check every 65,536 calls */
static int
CheckedCmp(const void *a, const void *b)
{
	if (((++SortCount) & 0xffff) == 0)
		cj_check_interrupts();
	return SortCmp(a, b);
}

/* Sort (see the header) */
void
cj_sort(void *base, size_t n, size_t size, CjSortCmp cmp)
{
	if (n < 2)
		return;
	if (cj_sort_hook == NULL)
	{
		qsort(base, n, size, cmp);
		return;
	}
	SortCmp = cmp;
	SortCount = 0;
	cj_sort_hook(base, n, size, CheckedCmp);
}
