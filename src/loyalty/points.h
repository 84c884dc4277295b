/*-------------------------------------------------------------------------
 *
 * points.h
 *	  Glue of the points ledger shared by points.c and points_schedule.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_POINTS_GLUE_H
#define CJ_POINTS_GLUE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/timestamp.h"

#include "common/numeric.h"
#include "core/loyalty/points.h"

/* Replay a cj_points_ledger Datum as of a time (lots optional) */
extern void cj_ledger_replay(Datum ledger, TimestampTz as_of,
							 CjPointsBalance *bal, CjLot **lots, int *nlots);

/* The movements of a cj_points_ledger Datum sorted in replay order */
extern const CjMove **cj_ledger_sorted_moves(Datum ledger, int *n);

/* qsort comparator over CjMove pointers */
extern int	cj_move_qsort_cmp(const void *a, const void *b);

#endif
