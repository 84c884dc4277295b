/*-------------------------------------------------------------------------
 *
 * ladder.h
 *	  Glue helpers of the cj_ladder type shared with other loyalty files.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_LADDER_GLUE_H
#define CJ_LADDER_GLUE_H

#include "postgres.h"

#include "fmgr.h"

#include "core/loyalty/ladder.h"

/* Decoded ladder argument, cached in fn_extra */
extern const CjLadder *cj_get_ladder(FunctionCallInfo fcinfo, int argno);

/* floor(figure * 10^6) of a numeric Datum; 22023 for NaN/Infinity */
extern int64 cj_numeric_floor_millionths(Datum num, const char *what);

/* Index of a named tier; 22023 naming the valid tiers when unknown */
extern int	cj_ladder_tier_index(const CjLadder *l, text *name);

#endif
