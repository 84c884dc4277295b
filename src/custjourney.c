/*-------------------------------------------------------------------------
 *
 * custjourney.c
 *	  Module entry point: magic block and start-up.
 *
 * custjourney keeps no global state, so _PG_init only reserves the GUC
 * prefix; it must never raise an error, because the library may be loaded
 * by a backend that did not ask for it (shared_preload_libraries, or a
 * dump being restored).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "core/common/core.h"
#include "core/common/shortest.h"
#include "core/common/sort.h"

/* CJ_VERSION is default_version of custjourney.control (see Makefile) */
#ifndef CJ_VERSION
#error "CJ_VERSION is not defined: build with the project's Makefile"
#endif

#if PG_VERSION_NUM >= 180000
PG_MODULE_MAGIC_EXT(.name = "custjourney",.version = CJ_VERSION);
#else
PG_MODULE_MAGIC;
#endif

void		_PG_init(void);

/*
 * Pure-C loops call this between chunks of work so that a cancel or a
 * statement_timeout stops a long fit or replay promptly.
 */
static void
CjCheckInterrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* PostgreSQL's in-place qsort, for cj_sort (core/common/sort.h) */
static void
CjSort(void *base, size_t n, size_t size, CjSortCmp cmp)
{
	pg_qsort(base, n, size, cmp);
}

/* Register the core's hooks and reserve the custjourney.* GUC prefix */
void
_PG_init(void)
{
	cj_interrupt_hook = CjCheckInterrupts;
	/* the core sorts with PostgreSQL's qsort, which allocates nothing */
	cj_sort_hook = CjSort;
	/* the core prints floats with float8out's own (much faster) Ryu */
	cj_double_shortest_hook = double_to_shortest_decimal_buf;
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("custjourney");
#endif
}
