/*-------------------------------------------------------------------------
 *
 * attrib.h
 *	  Rule-based multi-touch attribution of one conversion, the exact-total
 *	  adjustment of a credit vector and the quoted channel-name token.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_ATTRIB_H
#define CJ_ATTRIB_H

#include "core/common/core.h"

/* Attribution models of cj_attribution */
typedef enum CjAttribModel
{
	CJ_ATTR_FIRST_TOUCH = 1,
	CJ_ATTR_LAST_TOUCH,
	CJ_ATTR_LINEAR,
	CJ_ATTR_POSITION_BASED,
	CJ_ATTR_TIME_DECAY,
	CJ_ATTR_SHAPLEY
} CjAttribModel;

/* Longest channel name, in bytes (documented cap) */
#define CJ_CHANNEL_MAX_LEN 255

/* Most channels in one credits value (documented cap) */
#define CJ_CREDITS_MAX_CHANNELS 10000

/* Model for its SQL name; false when unknown. */
extern bool cj_attrib_model_parse(const char *name, CjAttribModel *model);

/* SQL name of a model */
extern const char *cj_attrib_model_name(CjAttribModel model);

/*
 * Credit one conversion.  The n touches are in journey order (time, then
 * channel name); chan[i] is the touch's channel index in 0..nchan-1 and
 * age[i] its time before the conversion in seconds (>= 0; used by
 * time_decay only, with half_life in seconds).  credit[0..nchan-1] receives
 * each channel's share; the shares add up to exactly 1 in index order.
 * weight is caller-provided scratch space of n doubles.
 */
extern void cj_attrib_credit(CjAttribModel model, int n, const int *chan,
							 const double *age, double half_life, int nchan,
							 double *weight, double *credit);

/*
 * Adjust the last non-zero entry of credit[0..n-1] so that adding the
 * entries left to right in double precision gives exactly total (when a
 * representable adjustment exists; it always does for total = 1).
 */
extern void cj_exact_total(double *credit, int n, double total);

/*
 * Parse a double-quoted name at *p (after white space): "..." with \" and
 * \\ escapes, at most CJ_CHANNEL_MAX_LEN bytes, into buf (which must hold
 * CJ_CHANNEL_MAX_LEN + 1 bytes; NUL terminated) and its length into *len.
 * Returns false with err set on failure.
 */
extern bool cj_parse_quoted(const char **p, char *buf, int *len, CjError *err);

#endif							/* CJ_ATTRIB_H */
