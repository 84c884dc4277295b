/*-------------------------------------------------------------------------
 *
 * shortest.c
 *	  Shortest exact decimal text of a double (pure C).
 *
 * PostgreSQL prints floats with Ryu (src/common/d2s.c): the shortest
 * digit string that reads back to the same double, and among strings of
 * that length the one closest to the exact value.  This file reaches the
 * same digits with the C library: snprintf("%.*e") rounds the exact value
 * correctly to P digits, and strtod tells whether P digits read back.
 * The interval of decimals that read back to v is symmetric around v
 * except just above a power of two (the gap below is half the gap above),
 * so elsewhere "P digits read back" is monotone in P and a binary search
 * finds the shortest P; at a power of two the correctly rounded P-digit
 * string may fall outside the narrow lower half while its upper neighbour
 * reads back, so the search also tries that neighbour, as Ryu would pick
 * it.  The digits are then laid out as float8out does: fixed notation
 * for decimal exponents -4 to 14, scientific with a signed exponent of at
 * least two digits otherwise.
 *
 *-------------------------------------------------------------------------
 */
#include "core/common/shortest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Significant digits of v (positive, finite) rounded to p digits into
 * digits (NUL terminated, no trailing zeros removed) and the decimal
 * exponent of the first digit.
 */
static void
Digits(double v, int p, char *digits, int *exp10)
{
	char		tmp[40];
	char	   *e;
	int			i,
				k = 0;

	snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
	e = strchr(tmp, 'e');
	for (i = 0; tmp + i < e; i++)
		if (tmp[i] != '.')
			digits[k++] = tmp[i];
	digits[k] = '\0';
	*exp10 = atoi(e + 1);
}

/* The double that digits x 10^(exp10 - len + 1) reads as */
static double
ReadBack(const char *digits, int exp10)
{
	char		tmp[48];

	snprintf(tmp, sizeof(tmp), "%c.%se%d", digits[0], digits + 1, exp10);
	return strtod(tmp, NULL);
}

/*
 * True when the decimal text is exactly halfway between v and a
 * neighbour.  Such a string reads back to v under round-half-even when
 * v's significand is even, but Ryu as PostgreSQL builds it treats both
 * ends of the interval as excluded, so it never prints one.
 */
static bool
IsMidpoint(const char *text, double v)
{
	long double below = (long double) v -
		((long double) v - (long double) nextafter(v, 0.0)) / 2;
	long double above = (long double) v +
		((long double) v - (long double) nextafter(v, 0.0)) / 2;
	long double x = strtold(text, NULL);
	static char exact[1300];
	char	   *p;

	if (isfinite(nextafter(v, INFINITY)))
		above = (long double) v +
			((long double) nextafter(v, INFINITY) - (long double) v) / 2;
	if (x != below && x != above)
		return false;
	/* the long double holds the midpoint exactly: compare all its digits */
	snprintf(exact, sizeof(exact), "%.1200Le", x);
	p = strchr(exact, 'e');
	/* equal when x's exact expansion has no digit beyond the text's */
	{
		char		a[1300],
					b[1300];
		int			na = 0,
					nb = 0,
					i;
		const char *q;

		for (i = 0; exact + i < p; i++)
			if (exact[i] != '.')
				a[na++] = exact[i];
		for (q = text; *q && *q != 'e'; q++)
			if (*q != '.')
				b[nb++] = *q;
		while (na > 0 && a[na - 1] == '0')
			na--;
		while (nb > 0 && b[nb - 1] == '0')
			nb--;
		return na == nb && memcmp(a, b, na) == 0 &&
			atoi(p + 1) == atoi(strchr(text, 'e') + 1);
	}
}

/* True when the digits read back to v and are not a midpoint */
static bool
ReadsBack(const char *digits, int exp10, double v)
{
	char		tmp[48];

	snprintf(tmp, sizeof(tmp), "%c.%se%d", digits[0], digits + 1, exp10);
	return strtod(tmp, NULL) == v && !IsMidpoint(tmp, v);
}

/* Add one unit in the last place of digits (no carry past the first) */
static bool
Increment(char *digits, int *exp10)
{
	int			i = (int) strlen(digits) - 1;

	while (i >= 0 && digits[i] == '9')
		digits[i--] = '0';
	if (i < 0)
	{
		/* 99..9 + 1: 100..0, one more exponent, same length */
		digits[0] = '1';
		(*exp10)++;
		return true;
	}
	digits[i]++;
	return true;
}

/* True when p digits of v (or, near a power of two, the next) read back */
static bool
TryDigits(double v, int p, bool pow2, char *digits, int *exp10)
{
	Digits(v, p, digits, exp10);
	if (ReadsBack(digits, *exp10, v))
		return true;
	if (pow2 && ReadBack(digits, *exp10) <= v)
	{
		char		up[24];
		int			e = *exp10;

		strcpy(up, digits);
		Increment(up, &e);
		if (ReadsBack(up, e, v))
		{
			strcpy(digits, up);
			*exp10 = e;
			return true;
		}
	}
	return false;
}

int			(*cj_double_shortest_hook) (double v, char *buf) = NULL;

/* Shortest exact decimal text of v, as float8out writes it */
int
cj_double_shortest(double v, char *buf)
{
	char		digits[24],
				best[24];
	int			exp10,
				best_exp = 0,
				lo = 1,
				hi = 17,
				len,
				n = 0,
				i;
	bool		pow2;
	int			e2;

	if (cj_double_shortest_hook)
		return cj_double_shortest_hook(v, buf);
	if (isnan(v))
		return (int) (strcpy(buf, "NaN"), 3);
	if (isinf(v))
		return v > 0 ? (int) (strcpy(buf, "Infinity"), 8) :
			(int) (strcpy(buf, "-Infinity"), 9);
	if (signbit(v))
	{
		buf[n++] = '-';
		v = -v;
	}
	if (v == 0)
	{
		buf[n++] = '0';
		buf[n] = '\0';
		return n;
	}
	/* a normal power of two above the smallest normal has a lopsided gap */
	pow2 = frexp(v, &e2) == 0.5 && v > 2.2250738585072014e-308;

	/* 17 digits always read back */
	Digits(v, 17, best, &best_exp);
	if (pow2)
	{
		/* rare: a linear search, since the property may not be monotone */
		for (i = 1; i < 17; i++)
			if (TryDigits(v, i, true, digits, &exp10))
			{
				strcpy(best, digits);
				best_exp = exp10;
				break;
			}
	}
	else
	{
		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (TryDigits(v, mid, false, digits, &exp10))
			{
				hi = mid;
				strcpy(best, digits);
				best_exp = exp10;
			}
			else
				lo = mid + 1;
		}
		if (hi == 17)
			Digits(v, 17, best, &best_exp);
		else if ((int) strlen(best) != hi)
		{
			Digits(v, hi, best, &best_exp);
		}
	}
	/* drop trailing zeros */
	len = (int) strlen(best);
	while (len > 1 && best[len - 1] == '0')
		len--;
	best[len] = '\0';

	if (best_exp >= -4 && best_exp < 15)
	{
		if (best_exp < 0)
		{
			buf[n++] = '0';
			buf[n++] = '.';
			for (i = -1; i > best_exp; i--)
				buf[n++] = '0';
			memcpy(buf + n, best, len);
			n += len;
		}
		else
		{
			for (i = 0; i < len || i <= best_exp; i++)
			{
				if (i == best_exp + 1)
					buf[n++] = '.';
				buf[n++] = i < len ? best[i] : '0';
			}
		}
		buf[n] = '\0';
		return n;
	}
	buf[n++] = best[0];
	if (len > 1)
	{
		buf[n++] = '.';
		memcpy(buf + n, best + 1, len - 1);
		n += len - 1;
	}
	n += snprintf(buf + n, CJ_DOUBLE_TEXT_MAX - n, "e%c%02d",
				  best_exp < 0 ? '-' : '+', abs(best_exp));
	return n;
}
