/*-------------------------------------------------------------------------
 *
 * text.c
 *	  Strict tokenizers shared by the literal parsers of the core.
 *
 * Literals are parsed by hand rather than with sscanf so that every
 * malformed input (trailing junk, NaN, overflow, embedded NULs the caller
 * already cut) is rejected with a precise position, and so that the
 * parsers can be fuzzed without a server.
 *
 *-------------------------------------------------------------------------
 */
#include "core/common/text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void		(*cj_interrupt_hook) (void) = NULL;

/* Record an error class and a formatted detail sentence */
void
cj_error_set(CjError *err, CjErrKind kind, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL)
		return;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

static bool
IsSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

/* Skip ASCII white space */
const char *
cj_skip_space(const char *p)
{
	while (IsSpace(*p))
		p++;
	return p;
}

/* Parse a finite decimal double, advancing *p past it */
bool
cj_parse_double(const char **p, double *out)
{
	const char *s = cj_skip_space(*p);
	const char *q;
	char	   *end;
	double		v;

	/* strtod also takes "nan", "inf" and hex floats: decimals only here */
	q = (*s == '-' || *s == '+') ? s + 1 : s;
	if (!(*q == '.' || (*q >= '0' && *q <= '9')))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || !isfinite(v))
		return false;
	/*
	 * ERANGE also flags subnormal results; keep those (float8in does, and
	 * the shortest-exact output prints them), reject only an underflow to
	 * zero of a non-zero literal.
	 */
	if (errno == ERANGE && v == 0.0)
		return false;
	for (q = s; q < end; q++)
		if (*q == 'x' || *q == 'X')
			return false;
	*out = v;
	*p = end;
	return true;
}

/* Parse a decimal int64, advancing *p past it */
bool
cj_parse_int64(const char **p, int64_t *out)
{
	const char *s = cj_skip_space(*p);
	bool		neg = false;
	uint64_t	v = 0;
	const char *d;

	if (*s == '-' || *s == '+')
		neg = (*s++ == '-');
	d = s;
	while (*s >= '0' && *s <= '9')
	{
		unsigned	digit = (unsigned) (*s - '0');

		if (v > (UINT64_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
		s++;
	}
	if (s == d)
		return false;
	if (neg ? v > (uint64_t) INT64_MAX + 1 : v > (uint64_t) INT64_MAX)
		return false;
	*out = neg ? (int64_t) (0 - v) : (int64_t) v;
	*p = s;
	return true;
}

/* Parse an identifier into buf */
int
cj_parse_ident(const char **p, char *buf, size_t bufsize)
{
	const char *s = cj_skip_space(*p);
	size_t		n = 0;

	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		   (*s >= '0' && *s <= '9') || *s == '_')
	{
		if (n + 1 >= bufsize)
			return -1;
		buf[n++] = *s++;
	}
	buf[n] = '\0';
	*p = s;
	return (int) n;
}

/* Consume character c if it comes next */
bool
cj_accept_char(const char **p, char c)
{
	const char *s = cj_skip_space(*p);

	if (*s != c)
		return false;
	*p = s + 1;
	return true;
}

/* True when only white space remains */
bool
cj_at_end(const char *p)
{
	return *cj_skip_space(p) == '\0';
}

/* Syntax error with a fixed detail; false */
static bool
TextSyntax(CjError *err, const char *what)
{
	cj_error_set(err, CJ_ERR_SYNTAX, "%s", what);
	return false;
}

/* A quoted string or null (see text.h) */
bool
cj_parse_text_or_null(const char **p, char *buf, int32_t max, int32_t *len,
					  CjError *err)
{
	const char *s = cj_skip_space(*p);
	int32_t		n = 0;

	if (strncmp(s, "null", 4) == 0 &&
		!((s[4] >= 'a' && s[4] <= 'z') || (s[4] >= 'A' && s[4] <= 'Z') ||
		  (s[4] >= '0' && s[4] <= '9') || s[4] == '_'))
	{
		*len = -1;
		*p = s + 4;
		return true;
	}
	if (*s++ != '"')
		return TextSyntax(err, "Strings are written in double quotes, or null.");
	for (;;)
	{
		char		c = *s;

		if (c == '\0')
			return TextSyntax(err, "A quoted string is not terminated.");
		if (c == '"')
			break;
		if (c == '\\')
		{
			c = *++s;
			if (c != '"' && c != '\\')
				return TextSyntax(err, "Only \\\" and \\\\ are escapes inside a quoted string.");
		}
		if (n >= max)
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "A string is at most %d bytes long.", (int) max);
			return false;
		}
		buf[n++] = c;
		s++;
	}
	*p = s + 1;
	*len = n;
	return true;
}
