/*-------------------------------------------------------------------------
 *
 * credits.h
 *	  The cj_credits type (channel -> credit map) shared by the journey
 *	  aggregates: on-disk layout and builder.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_JOURNEY_H
#define CJ_JOURNEY_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

/*
 * One channel of a credits value.  comp is the low-order part of a
 * double-double running total (cj_credits_acc only; always 0 in
 * cj_credits).  The name is name_len bytes at name_off in the name area.
 */
typedef struct CjCreditEntry
{
	float8		credit;
	float8		comp;
	int32		name_off;
	int32		name_len;
} CjCreditEntry;

/*
 * cj_credits and cj_credits_acc: entries sorted by channel name (byte
 * order, shorter first on a common prefix), then the names.
 */
typedef struct CjCredits
{
	int32		vl_len_;
	uint8		version;		/* CJ_BINARY_VERSION */
	uint8		flags;			/* reserved, 0 */
	int16		reserved;
	int32		n;
	int32		reserved2;
	CjCreditEntry e[FLEXIBLE_ARRAY_MEMBER];
} CjCredits;

#define CJ_CREDITS_NAMES(c) ((char *) &(c)->e[(c)->n])
#define CJ_CREDITS_NAME(c, i) (CJ_CREDITS_NAMES(c) + (c)->e[i].name_off)
#define PG_GETARG_CJ_CREDITS_P(n) ((CjCredits *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* Byte-order comparison of two channel names */
extern int	cj_channel_cmp(const char *a, int alen, const char *b, int blen);

/*
 * A credits value (palloc'd in the current context) from n channels whose
 * names are sorted by cj_channel_cmp and distinct.
 */
extern CjCredits *cj_credits_build(int n, const char *const *names,
								   const int *lens, const double *credit);

/* Append a channel name double-quoted with \" and \\ escapes */
extern void cj_append_channel(StringInfo buf, const char *name, int len);

/* Check a channel name's length (1..CJ_CHANNEL_MAX_LEN bytes) */
extern void cj_check_channel(const char *name, int len);

#endif							/* CJ_JOURNEY_H */
