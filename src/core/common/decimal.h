/*-------------------------------------------------------------------------
 *
 * decimal.h
 *	  Exact decimals as int64 counts of millionths (scale 6).
 *
 * Loyalty thresholds and points are exact decimals: 999.995 against 1000
 * must never be a float accident.  They are held as int64 multiples of
 * 10^-6, which covers |v| <= 9223372036854.775807 with six decimal places,
 * and parsed from and printed to plain decimal text (the form numeric_out
 * produces), never through a float.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_DECIMAL_H
#define CJ_DECIMAL_H

#include "core/common/core.h"

#define CJ_DEC_SCALE		6
#define CJ_DEC_ONE			INT64_C(1000000)
/* longest text of a decimal: sign, 13 integer digits, point, 6 digits */
#define CJ_DEC_BUFLEN		32

/*
 * Parse a plain decimal ([+-]digits[.digits], no exponent) at *p (after
 * white space) into millionths.  Fails with CJ_ERR_SYNTAX when there is no
 * number, CJ_ERR_PARAM when it has more than six significant decimal
 * places, CJ_ERR_RANGE when it does not fit.  Advances *p on success.
 */
extern bool cj_dec_parse(const char **p, int64_t *out, CjError *err);

/*
 * floor(v * 10^6) of the decimal text s (the whole string, as numeric_out
 * prints it), saturated to INT64_MIN/INT64_MAX.  Exact for comparisons
 * against any threshold t held in millionths: v >= t/10^6 exactly when
 * floor(v * 10^6) >= t.  Returns false for text that is not a finite
 * plain decimal (NaN, Infinity).
 */
extern bool cj_dec_floor_text(const char *s, int64_t *out);

/* Print v in the shortest plain decimal that reads back exactly. */
extern int	cj_dec_format(int64_t v, char *buf);

/* a + b into *r; false on int64 overflow */
static inline bool
cj_dec_add(int64_t a, int64_t b, int64_t *r)
{
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
		return false;
	*r = a + b;
	return true;
}

#endif							/* CJ_DECIMAL_H */
