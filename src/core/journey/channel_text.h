/*-------------------------------------------------------------------------
 *
 * channel_text.h
 *	  Channel names in the text forms of the journey types (cj_credits,
 *	  cj_credits_acc, cj_touches, cj_transitions): checks, byte order and
 *	  the double-quoted form (pure C).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_JOURNEY_CHANNEL_TEXT_H
#define CJ_CORE_JOURNEY_CHANNEL_TEXT_H

#include "core/common/core.h"
#include "core/journey/attrib.h"

/* Longest quoted form of a name ("..." with every byte escaped), no NUL */
#define CJ_CHANNEL_QUOTED_MAX (2 * CJ_CHANNEL_MAX_LEN + 2)

/*
 * A channel name is 1 to CJ_CHANNEL_MAX_LEN bytes without a zero byte
 * (name may be NULL to check the length only).  False with err set.
 */
extern bool cj_channel_check(const char *name, int64_t len, CjError *err);

/* Byte order of two names, a shorter name first on a common prefix */
extern int	cj_channel_order(const char *a, int alen, const char *b, int blen);

/*
 * Write name double-quoted with \" and \\ escapes at buf (room for
 * CJ_CHANNEL_QUOTED_MAX bytes; no NUL written); returns the length.
 */
extern size_t cj_channel_quote(const char *name, int len, char *buf);

/* Decimal text of an int64 at buf (room for 21 bytes, NUL written) */
extern size_t cj_int64_format(int64_t v, char *buf);

#endif							/* CJ_CORE_JOURNEY_CHANNEL_TEXT_H */
