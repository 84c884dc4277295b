/*-------------------------------------------------------------------------
 *
 * fit_state_text.h
 *	  Text form and validation of cj_fit_state, the state of every model
 *	  fit: a family, distinct data tuples with integer weights and an
 *	  optional time unit (pure C).
 *
 *		bgnbd{(0,0,38.86):2,(2,30.43,38.86):4} unit=7d
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_LTV_FIT_STATE_TEXT_H
#define CJ_CORE_LTV_FIT_STATE_TEXT_H

#include "core/common/core.h"
#include "core/ltv/family.h"

/* At most this many distinct tuples (documented cap) */
#define CJ_FIT_MAX_TUPLES 10000000

/* Largest weight of one tuple: 2^53, the last integer a double holds exactly */
#define CJ_FIT_MAX_WEIGHT ((double) ((int64_t) 1 << 53))

/* A state (the tuple array is the caller's) */
typedef struct CjFitText
{
	const CjFamily *family;
	double		unit;			/* seconds per time unit, 0 = not given */
	size_t		n;
	CjTuple    *t;
} CjFitText;

/* Tuples a literal of textlen bytes can hold (each takes >= 7 bytes) */
extern size_t cj_fit_state_parse_tuples(size_t textlen);

/*
 * Parse a literal into *s, whose tuple array (room for
 * cj_fit_state_parse_tuples) the caller provides.  The tuples come out
 * checked by the family, without the ones it skips, sorted and merged.
 * False with err set: syntax, data the family rejects, a merged weight
 * past 2^53 (CJ_ERR_RANGE) or too many tuples (CJ_ERR_LIMIT).
 */
extern bool cj_fit_state_parse(const char *text, CjFitText *s, CjError *err);

/*
 * Check a decoded state (binary input) with the parser's rules, then
 * drop skipped tuples, sort and merge them as the parser does.
 */
extern bool cj_fit_state_validate(CjFitText *s, CjError *err);

/* Bytes the text needs, NUL included */
extern size_t cj_fit_state_text_size(const CjFitText *s);

/* Write the text (tuples as given: sorted and merged) into buf */
extern size_t cj_fit_state_format(const CjFitText *s, char *buf);

/* Write " unit=7d" style text of a unit in seconds (> 0); returns length */
extern size_t cj_unit_format(double secs, char *buf);

#endif							/* CJ_CORE_LTV_FIT_STATE_TEXT_H */
