/*-------------------------------------------------------------------------
 *
 * liability.c
 *	  Text form and validation of cj_liability values.
 *
 *-------------------------------------------------------------------------
 */
#include "core/loyalty/liability.h"
#include "core/common/decimal.h"
#include "core/common/text.h"

#include <stdio.h>
#include <string.h>

bool
cj_liability_validate(int32_t first, int n, const int64_t *pairs, CjError *err)
{
	int			i;

	if (n < 1 || n > CJ_LIAB_MAX_MONTHS)
		return cj_error_set(err, CJ_ERR_LIMIT, "A liability covers 1 to %d months.",
							CJ_LIAB_MAX_MONTHS), false;
	if (first < CJ_LIAB_MIN_INDEX || first > CJ_LIAB_MAX_INDEX - (n - 1))
		return cj_error_set(err, CJ_ERR_RANGE, "Months lie between 0001-01 and 9999-12."), false;
	for (i = 0; i < 2 * n; i++)
		if (pairs[i] < 0)
			return cj_error_set(err, CJ_ERR_PARAM,
								"Expiring and outstanding points are not negative."), false;
	return true;
}

/* Parse YYYY-MM */
static bool
ParseMonth(const char **p, int32_t *idx, CjError *err)
{
	const char *s = cj_skip_space(*p);
	int			y = 0,
				m = 0,
				i;

	for (i = 0; i < 4; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return cj_error_set(err, CJ_ERR_SYNTAX, "Expected a month such as 2024-01."), false;
		y = y * 10 + (s[i] - '0');
	}
	if (s[4] != '-' || s[5] < '0' || s[5] > '9' || s[6] < '0' || s[6] > '9')
		return cj_error_set(err, CJ_ERR_SYNTAX, "Expected a month such as 2024-01."), false;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (m < 1 || m > 12 || y < 1)
		return cj_error_set(err, CJ_ERR_RANGE, "Months lie between 0001-01 and 9999-12."), false;
	*idx = y * 12 + m - 1;
	*p = s + 7;
	return true;
}

bool
cj_liability_parse(const char *s, int32_t *first, int *n, int64_t *pairs,
				   CjError *err)
{
	const char *p = s;
	int			k = 0;

	do
	{
		int32_t		idx;

		if (!ParseMonth(&p, &idx, err))
			return false;
		if (k == 0)
			*first = idx;
		else if (idx != *first + k)
			return cj_error_set(err, CJ_ERR_PARAM, "Months are consecutive, oldest first."), false;
		if (k >= CJ_LIAB_MAX_MONTHS)
			return cj_error_set(err, CJ_ERR_LIMIT, "A liability covers 1 to %d months.",
								CJ_LIAB_MAX_MONTHS), false;
		if (!cj_accept_char(&p, ':'))
			return cj_error_set(err, CJ_ERR_SYNTAX, "Expected ':' after a month."), false;
		if (!cj_dec_parse(&p, &pairs[2 * k], err))
			return false;
		if (!cj_accept_char(&p, '/'))
			return cj_error_set(err, CJ_ERR_SYNTAX, "Expected expiring/outstanding points."), false;
		if (!cj_dec_parse(&p, &pairs[2 * k + 1], err))
			return false;
		k++;
	} while (cj_accept_char(&p, ';'));
	p = cj_skip_space(p);
	if (*p != '\0')
		return cj_error_set(err, CJ_ERR_SYNTAX, "Months are separated by ';'."), false;
	*n = k;
	return cj_liability_validate(*first, k, pairs, err);
}

size_t
cj_liability_format(int32_t first, int n, const int64_t *pairs, char *buf)
{
	char	   *p = buf;
	int			i;

	for (i = 0; i < n; i++)
	{
		int32_t		idx = first + i;

		p += sprintf(p, "%s%04d-%02d: ", i > 0 ? "; " : "", (int) (idx / 12), (int) (idx % 12 + 1));
		p += cj_dec_format(pairs[2 * i], p);
		*p++ = '/';
		p += cj_dec_format(pairs[2 * i + 1], p);
	}
	*p = '\0';
	return (size_t) (p - buf);
}
