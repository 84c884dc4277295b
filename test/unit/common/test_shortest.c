/*
 * test_shortest.c
 *	  Unit tests of the shortest exact double printer
 *	  (src/core/common/shortest.c): the same text as PostgreSQL's
 *	  float8out for values whose output is known, and exact read-back.
 */
#include "unit.h"
#include "core/common/shortest.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* v prints as want */
static int
Prints(double v, const char *want)
{
	char		buf[CJ_DOUBLE_TEXT_MAX];
	int			n = cj_double_shortest(v, buf);

	if (strcmp(buf, want) != 0 || n != (int) strlen(want))
		printf("# %.17g -> %s, want %s\n", v, buf, want);
	return strcmp(buf, want) == 0 && n == (int) strlen(want);
}

int
main(void)
{
	uint64_t	x = 88172645463325252ULL;
	int			i,
				bad = 0;

	/* outputs of float8out (PostgreSQL 15, extra_float_digits = 1) */
	CHECK(Prints(0.0, "0"), "zero");
	CHECK(Prints(-0.0, "-0"), "negative zero");
	CHECK(Prints(1.0, "1"), "one");
	CHECK(Prints(0.1, "0.1"), "0.1");
	CHECK(Prints(0.30000000000000004, "0.30000000000000004"), "0.1 + 0.2");
	CHECK(Prints(1.0 / 3.0, "0.3333333333333333"), "one third");
	CHECK(Prints(1e14, "100000000000000"), "1e14 fixed");
	CHECK(Prints(1e15, "1e+15"), "1e15 scientific");
	CHECK(Prints(123456789012345.6, "123456789012345.6"), "15 digits fixed");
	CHECK(Prints(0.0001, "0.0001"), "1e-4 fixed");
	CHECK(Prints(0.00001, "1e-05"), "1e-5 scientific");
	CHECK(Prints(1.57375781394385e-05, "1.57375781394385e-05"), "small gradient");
	CHECK(Prints(1e308, "1e+308"), "1e308");
	CHECK(Prints(DBL_MAX, "1.7976931348623157e+308"), "largest double");
	CHECK(Prints(DBL_MIN, "2.2250738585072014e-308"), "smallest normal");
	CHECK(Prints(5e-324, "5e-324"), "smallest subnormal");
	CHECK(Prints(-2.5, "-2.5"), "negative");
	CHECK(Prints(9007199254740993.0, "9.007199254740992e+15"), "2^53 + 1 rounds");
	/* exact binary midpoints are never printed (Ryu as PostgreSQL builds it) */
	CHECK(Prints(9.174e21, "9.174000000000001e+21"), "midpoint excluded");
	CHECK(Prints(4.8265237e19, "4.8265236999999996e+19"), "midpoint excluded below");
	CHECK(Prints(1.0 / 0.0, "Infinity"), "infinity");
	CHECK(Prints(-1.0 / 0.0, "-Infinity"), "minus infinity");
	CHECK(Prints(nan(""), "NaN"), "NaN");

	/* every printed value reads back exactly */
	for (i = 0; i < 200000; i++)
	{
		char		buf[CJ_DOUBLE_TEXT_MAX];
		double		v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&v, &x, sizeof(v));
		if (isnan(v))
			continue;
		cj_double_shortest(v, buf);
		if (strtod(buf, NULL) != v && !(isinf(v)))
			bad++;
	}
	CHECK(bad == 0, "200000 random doubles read back");
	return unit_done();
}
