/*
 * test_text.c
 *	  Unit tests of the shared strict tokenizers (src/core/common/text.c).
 */
#include "unit.h"
#include "core/common/text.h"

#include <string.h>

/* Parse s as one double and nothing else */
static int
ParsesTo(const char *s, double want)
{
	const char *p = s;
	double		v;

	return cj_parse_double(&p, &v) && cj_at_end(p) && v == want;
}

/* True when s is not accepted as a double */
static int
Rejected(const char *s)
{
	const char *p = s;
	double		v;

	return !cj_parse_double(&p, &v);
}

int
main(void)
{
	const char *p;
	char		buf[8];
	int64_t		i;

	CHECK(ParsesTo(" 1.5", 1.5), "plain decimal");
	CHECK(ParsesTo("-2e3", -2000.0), "exponent");
	CHECK(ParsesTo(".25", 0.25), "leading point");
	CHECK(Rejected("nan"), "nan rejected");
	CHECK(Rejected("-inf"), "-inf rejected");
	CHECK(Rejected("Infinity"), "Infinity rejected");
	CHECK(Rejected("0x10"), "hex rejected");
	CHECK(Rejected("1e999"), "overflow rejected");
	CHECK(Rejected("1e-400"), "underflow to zero rejected");
	CHECK(ParsesTo("5e-324", 4.9406564584124654e-324), "smallest subnormal");
	CHECK(ParsesTo("2.2250738585072e-310", 2.2250738585072e-310), "subnormal");
	CHECK(ParsesTo("0e-400", 0.0), "zero with a large exponent");
	CHECK(Rejected(""), "empty rejected");

	p = "9223372036854775807";
	CHECK(cj_parse_int64(&p, &i) && i == INT64_MAX, "int64 max");
	p = "-9223372036854775808";
	CHECK(cj_parse_int64(&p, &i) && i == INT64_MIN, "int64 min");
	p = "9223372036854775808";
	CHECK(!cj_parse_int64(&p, &i), "int64 overflow rejected");

	p = " gold:1";
	CHECK(cj_parse_ident(&p, buf, sizeof(buf)) == 4 && strcmp(buf, "gold") == 0,
		  "identifier");
	CHECK(cj_accept_char(&p, ':') && !cj_accept_char(&p, ':'), "accept char");
	p = "platinum";
	CHECK(cj_parse_ident(&p, buf, sizeof(buf)) == -1, "identifier too long");
	return unit_done();
}
