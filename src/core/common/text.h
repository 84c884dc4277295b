/*-------------------------------------------------------------------------
 *
 * text.h
 *	  Small strict tokenizers shared by every literal parser of the core.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_TEXT_H
#define CJ_TEXT_H

#include "core/common/core.h"

/* Skip ASCII white space; returns the first non-space position. */
extern const char *cj_skip_space(const char *p);

/*
 * Parse a finite double at *p (after white space).  On success advances *p
 * past the number and returns true.  NaN, infinities, overflow and a
 * missing number fail.
 */
extern bool cj_parse_double(const char **p, double *out);

/* Parse a decimal int64 at *p (after white space), rejecting overflow. */
extern bool cj_parse_int64(const char **p, int64_t *out);

/*
 * Parse an identifier ([A-Za-z_][A-Za-z0-9_]*) at *p into buf (NUL
 * terminated, at most bufsize-1 bytes).  Returns its length, 0 if there is
 * none, -1 if it is too long.
 */
extern int	cj_parse_ident(const char **p, char *buf, size_t bufsize);

/* If the next non-space character is c, consume it and return true. */
extern bool cj_accept_char(const char **p, char c);

/* True when only white space remains. */
extern bool cj_at_end(const char *p);

/*
 * A double-quoted string with \" and \\ escapes, or the word null, at *p
 * (after white space), advancing *p: its bytes (not NUL terminated) into
 * buf, which has room for max, and their number into *len, or -1 for
 * null.  False with a syntax error otherwise (unquoted, unterminated, a
 * bad escape, longer than max).
 */
extern bool cj_parse_text_or_null(const char **p, char *buf, int32_t max,
								  int32_t *len, CjError *err);

#endif							/* CJ_TEXT_H */
