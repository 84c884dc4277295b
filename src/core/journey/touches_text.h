/*-------------------------------------------------------------------------
 *
 * touches_text.h
 *	  Text form and validation of cj_touches, the state of
 *	  cj_attribution: the model, the conversion time and the touches
 *	  (pure C).
 *
 *		linear@757728000000000{757382400000000:"email", 757468800000000:"search"}
 *		time_decay(129600)@757728000000000{757382400000000:"email"}
 *
 * Times are timestamptz microseconds; the half-life is in seconds.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_JOURNEY_TOUCHES_TEXT_H
#define CJ_CORE_JOURNEY_TOUCHES_TEXT_H

#include "core/common/core.h"
#include "core/journey/attrib.h"

/* Most touches kept for one conversion (documented cap) */
#define CJ_TOUCHES_MAX 100000

/* The conversion: model, half-life (time_decay, else 0), time */
typedef struct CjTouchesHead
{
	int			model;			/* CjAttribModel */
	double		half_life;		/* seconds; > 0 for time_decay, else 0 */
	int64_t		converted;		/* finite timestamptz */
} CjTouchesHead;

/* One touch: time (<= converted) and channel (len bytes, no NUL) */
typedef struct CjTouchItem
{
	int64_t		at;
	const char *name;
	int32_t		len;
} CjTouchItem;

/* Room a parse of a literal of textlen bytes needs: touches, name bytes */
extern size_t cj_touches_parse_items(size_t textlen);
extern size_t cj_touches_parse_names(size_t textlen);

/*
 * Parse a literal into *h and items (room for cj_touches_parse_items),
 * names copied into names (cj_touches_parse_names bytes), touches in the
 * order written.  Returns the number of touches, or -1 with err set.
 */
extern int	cj_touches_parse(const char *text, CjTouchesHead *h,
							 CjTouchItem *items, char *names, CjError *err);

/* Check a decoded head (binary input) with the parser's rules */
extern bool cj_touches_head_validate(const CjTouchesHead *h, int64_t n,
									 CjError *err);

/* Check decoded touches (binary input) with the parser's rules */
extern bool cj_touches_validate(const CjTouchesHead *h, const CjTouchItem *items,
								int64_t n, CjError *err);

/* Bytes the text needs, NUL included */
extern size_t cj_touches_text_size(const CjTouchItem *items, int n);

/* Write the canonical text into buf; returns its length */
extern size_t cj_touches_format(const CjTouchesHead *h, const CjTouchItem *items,
								int n, char *buf);

#endif							/* CJ_CORE_JOURNEY_TOUCHES_TEXT_H */
