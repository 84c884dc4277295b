/*-------------------------------------------------------------------------
 *
 * credits_text.h
 *	  Text form and validation of cj_credits and its accumulator
 *	  cj_credits_acc (pure C).
 *
 *		{"email"=>0.25, "search"=>0.75}
 *		{"email"=>0.3+5.5e-18}					(cj_credits_acc)
 *
 * Channels are double-quoted (\" and \\ escapes) and printed in byte
 * order; credits print as the shortest decimal that reads back exactly;
 * an accumulator writes a non-zero low-order part after its credit.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_JOURNEY_CREDITS_TEXT_H
#define CJ_CORE_JOURNEY_CREDITS_TEXT_H

#include "core/common/core.h"
#include "core/journey/attrib.h"

/* One channel: name (len bytes, not NUL terminated) and credit */
typedef struct CjCreditItem
{
	const char *name;
	int32_t		len;
	double		credit;
	double		comp;			/* low-order part (cj_credits_acc only) */
} CjCreditItem;

/*
 * Room a parse of a literal of textlen bytes needs: items (at most
 * CJ_CREDITS_MAX_CHANNELS + 1) and name bytes.
 */
extern size_t cj_credits_parse_items(size_t textlen);
extern size_t cj_credits_parse_names(size_t textlen);

/*
 * Parse a literal (acc: cj_credits_acc, which allows "+low" parts) into
 * items (room for cj_credits_parse_items(strlen(text))), the names copied
 * into names (cj_credits_parse_names bytes).  Items come out sorted by
 * name; subnormal credits are flushed to zero (they would not read back).
 * Returns the number of channels, or -1 with err set.
 */
extern int	cj_credits_parse(const char *text, bool acc, CjCreditItem *items,
							 char *names, CjError *err);

/*
 * Check decoded channels (binary input) with the parser's rules: count,
 * names, finite credits, no low-order part unless acc, strictly
 * ascending names.
 */
extern bool cj_credits_validate(const CjCreditItem *items, int64_t n, bool acc,
								CjError *err);

/* Bytes the text of n items needs, NUL included */
extern size_t cj_credits_text_size(const CjCreditItem *items, int n);

/* Write the canonical text into buf; returns its length */
extern size_t cj_credits_format(const CjCreditItem *items, int n, char *buf);

#endif							/* CJ_CORE_JOURNEY_CREDITS_TEXT_H */
