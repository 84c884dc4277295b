/*
 * test_instant.c
 *	  Unit tests of instant text (src/core/common/instant.c): the digit
 *	  writer of cj_format_instant against the printf formatting it
 *	  replaced, over the whole timestamptz range, and the parse round trip.
 */
#include "unit.h"
#include "core/common/instant.h"

#include <stdint.h>
#include <string.h>

/* The former formatting: fields from the written text, printf again */
static void
Reference(const char *got, char *want)
{
	long long	y;
	int			m,
				d,
				hh,
				mi,
				ss,
				n = 0;
	const char *p = got;
	const char *frac;

	sscanf(p[0] == '-' ? p + 1 : p, "%lld-%d-%dT%d:%d:%d", &y, &m, &d, &hh, &mi, &ss);
	n = snprintf(want, 64, "%s%04lld-%02d-%02dT%02d:%02d:%02d",
				 p[0] == '-' ? "-" : "", y, m, d, hh, mi, ss);
	frac = strchr(got, '.');
	if (frac)
		n += snprintf(want + n, 64 - n, "%.*s", (int) (strlen(frac) - 1), frac);
	snprintf(want + n, 64 - n, "Z");
}

/* splitmix64: a reproducible stream of instants */
static uint64_t
Next(uint64_t *s)
{
	uint64_t	z = (*s += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

int
main(void)
{
	uint64_t	seed = 42;
	uint64_t	span = (uint64_t) CJ_END_INSTANT - (uint64_t) CJ_MIN_INSTANT;
	int			bad_text = 0,
				bad_trip = 0;
	char		buf[64],
				want[64];

	for (int i = 0; i < 200000; i++)
	{
		int64_t		at = (int64_t) ((uint64_t) CJ_MIN_INSTANT + Next(&seed) % span);
		int64_t		back;
		const char *p = buf;
		CjError		err = {0};
		size_t		n;

		/* a third whole seconds, a third whole milliseconds */
		if (i % 3 == 0)
			at -= ((at % 1000000) + 1000000) % 1000000;
		else if (i % 3 == 1)
			at -= ((at % 1000) + 1000) % 1000;
		n = cj_format_instant(at, buf);
		Reference(buf, want);
		if (strcmp(buf, want) != 0 || n != strlen(buf))
			bad_text++;
		if (!cj_parse_instant(&p, &back, &err) || back != at || *p != '\0')
			bad_trip++;
	}
	CHECK(bad_text == 0, "200,000 random instants print as printf printed them");
	CHECK(bad_trip == 0, "and parse back to the same instant");
	cj_format_instant(0, buf);
	CHECK(strcmp(buf, "2000-01-01T00:00:00Z") == 0, "the epoch");
	cj_format_instant(INT64_C(-1), buf);
	CHECK(strcmp(buf, "1999-12-31T23:59:59.999999Z") == 0, "one microsecond before it");
	cj_format_instant(INT64_C(1500000), buf);
	CHECK(strcmp(buf, "2000-01-01T00:00:01.5Z") == 0, "fraction without trailing zeros");
	cj_format_instant(CJ_MIN_INSTANT, buf);
	CHECK(strcmp(buf, "-4713-11-24T00:00:00Z") == 0, "earliest instant");
	cj_format_instant(CJ_END_INSTANT - 1, buf);
	CHECK(strcmp(buf, "294276-12-31T23:59:59.999999Z") == 0, "latest instant");
	cj_format_instant(INT64_C(-63082281600000000), buf);
	CHECK(strcmp(buf, "0001-01-01T00:00:00Z") == 0, "year 1 keeps four digits");
	return unit_done();
}
