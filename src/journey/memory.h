/*-------------------------------------------------------------------------
 *
 * memory.h
 *	  The cj_memory SQL type: helpers shared by its I/O, accessors and
 *	  aggregate (src/journey/memory.c, memory_agg.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_JOURNEY_MEMORY_H
#define CJ_JOURNEY_MEMORY_H

#include "common/util.h"
#include "core/journey/memory.h"

#define CJ_MEMORY_TYPNAME "cj_memory"

/* palloc a memory with these capacities, initialised empty with K = k */
extern CjMemory *cj_memory_alloc(const int32 cap[CJ_MS_N], int k);

/*
 * Argument n as a memory: detoasted, header checked (magic, version,
 * capacities against the size), its contact log folded in (into a copy),
 * at least one contact.  A foreign or corrupt value is an error.
 */
extern CjMemory *cj_memory_getarg(FunctionCallInfo fcinfo, int n);

/* Argument n as an aggregate state: detoasted and header checked only */
extern CjMemory *cj_memory_getstate(FunctionCallInfo fcinfo, int n);

/* A copy of m with its contact log folded in */
extern CjMemory *cj_memory_folded(const CjMemory *m);

/* Fold m's log in place (m has the room); errors say what */
extern void cj_memory_fold_glue(CjMemory *m, const char *what);

/* The canonical form of m (m itself when it already is) */
extern CjMemory *cj_memory_canonicalize(CjMemory *m);

/* A copy of m (folded) with capacities equal to its contents */
extern CjMemory *cj_memory_trimmed(const CjMemory *m);

/* Check a K argument (1..50, 22023) */
extern int	cj_memory_check_k(int32 k);

/* New memory holding the merge of a and b (b may be NULL: a copy) */
extern CjMemory *cj_memory_merged(const CjMemory *a, const CjMemory *b);

#endif							/* CJ_JOURNEY_MEMORY_H */
