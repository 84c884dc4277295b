/*
 * test_sla.c
 *	  Unit tests of the cj_sla literal parser and formatter
 *	  (src/core/service/sla.c).
 */
#include "unit.h"
#include "core/service/sla.h"

#include <string.h>

static CjSla sla;
static char out[CJ_SLA_TEXT_MAX];

/* Parse s and compare its canonical form with want */
static int
Canon(const char *s, const char *want)
{
	CjError		err;

	if (!cj_sla_parse(s, &sla, &err))
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_sla_format(&sla, out, sizeof(out));
	if (strcmp(out, want) != 0)
		printf("# %s -> %s\n", s, out);
	return strcmp(out, want) == 0 && cj_sla_validate(&sla, &err);
}

/* s is rejected with error class kind */
static int
Fails(const char *s, CjErrKind kind)
{
	CjError		err;

	return !cj_sla_parse(s, &sla, &err) && err.kind == kind;
}

/*
 * Mutate valid literals at random: every input must either fail cleanly or
 * parse to a value whose canonical text parses back to itself.
 */
static int
Fuzz(void)
{
	static const char *seeds[] = {
		"platinum:30s, gold:2min, silver:5min, *:15min",
		"a:1.5h,b:90 seconds,*:1 day", "x:7us, y:3650d, z:1e3 ms"
	};
	static const char alphabet[] = "azAZ09_*:,. -+emsdhwunx";
	unsigned	seed = 12345;
	char		buf[128],
				again[CJ_SLA_TEXT_MAX];
	int			i,
				k,
				ok = 1;
	CjSla		other;
	CjError		err;

	for (i = 0; i < 50000; i++)
	{
		size_t		len;

		strcpy(buf, seeds[i % 3]);
		len = strlen(buf);
		for (k = 0; k < 3; k++)
		{
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
		}
		err.kind = CJ_OK;
		err.detail[0] = '\0';
		if (!cj_sla_parse(buf, &sla, &err))
		{
			if (err.kind == CJ_OK || err.detail[0] == '\0')
				ok = 0;
			continue;
		}
		cj_sla_format(&sla, out, sizeof(out));
		if (!cj_sla_parse(out, &other, &err) || !cj_sla_validate(&other, &err))
			ok = 0;
		cj_sla_format(&other, again, sizeof(again));
		if (strcmp(out, again) != 0)
		{
			printf("# %s -> %s -> %s\n", buf, out, again);
			ok = 0;
		}
	}
	return ok;
}

int
main(void)
{
	int64_t		us;
	char		big[4096];
	int			i;

	CHECK(Canon("platinum:30s, gold:2min, silver:5min, *:15min",
				"platinum:30s, gold:2min, silver:5min, *:15min"), "example");
	CHECK(Canon(" *:900 seconds ,gold : 120 sec", "gold:2min, *:15min"),
		  "default printed last, units normalised");
	CHECK(Canon("a:1 day, b:24h, c:1.5h, d:90s, e:1w, f:1500ms, g:7us",
				"a:1d, b:1d, c:90min, d:90s, e:7d, f:1500ms, g:7us"), "units");
	CHECK(Canon("x:1e3 ms, y:2 HOURS", "x:1s, y:2h"), "exponents and case");
	CHECK(Canon("*:3650d", "*:3650d"), "largest target");
	CHECK(Fails("", CJ_ERR_SYNTAX), "empty");
	CHECK(Fails("gold", CJ_ERR_SYNTAX), "no colon");
	CHECK(Fails("gold:", CJ_ERR_SYNTAX), "no duration");
	CHECK(Fails("gold:30", CJ_ERR_SYNTAX), "no unit");
	CHECK(Fails("gold:5m", CJ_ERR_SYNTAX), "bare m is ambiguous");
	CHECK(Fails("gold:5 parsecs", CJ_ERR_SYNTAX), "unknown unit");
	CHECK(Fails("gold:1 month", CJ_ERR_PARAM), "months rejected");
	CHECK(Fails("gold:1y", CJ_ERR_PARAM), "years rejected");
	CHECK(Fails("gold:-5s", CJ_ERR_PARAM), "negative");
	CHECK(Fails("gold:0s", CJ_ERR_PARAM), "zero");
	CHECK(Fails("gold:0.4us", CJ_ERR_PARAM), "rounds to zero");
	CHECK(Fails("gold:3651d", CJ_ERR_RANGE), "too long");
	CHECK(Fails("gold:nan s", CJ_ERR_SYNTAX), "NaN");
	CHECK(Fails("gold:1s, gold:2s", CJ_ERR_PARAM), "duplicate tier");
	CHECK(Fails("*:1s, *:2s", CJ_ERR_PARAM), "duplicate default");
	CHECK(Fails("gold:1s,", CJ_ERR_SYNTAX), "trailing comma");
	CHECK(Fails("gold:1s x", CJ_ERR_SYNTAX), "trailing junk");
	CHECK(Fails("9lives:1s", CJ_ERR_SYNTAX), "name starts with a digit");
	memset(big, 'a', 64);
	strcpy(big + 64, ":1s");
	CHECK(Fails(big, CJ_ERR_LIMIT), "name too long");
	big[0] = '\0';
	for (i = 0; i < 65; i++)
		sprintf(big + strlen(big), "%st%d:1s", i ? "," : "", i);
	CHECK(Fails(big, CJ_ERR_LIMIT), "too many tiers");

	CHECK(Canon("gold:2min, silver:5min", "gold:2min, silver:5min"), "no default");
	CHECK(cj_sla_lookup(&sla, "gold", 4, &us) && us == 120000000, "lookup");
	CHECK(!cj_sla_lookup(&sla, "bronze", 6, &us), "unknown tier, no default");
	CHECK(!cj_sla_lookup(&sla, "gol", 3, &us), "prefix is not a match");
	cj_sla_tier_list(&sla, out, sizeof(out));
	CHECK(strcmp(out, "gold, silver") == 0, "tier list");
	sla.tiers[1].target_us = 0;
	{
		CjError		err;

		CHECK(!cj_sla_validate(&sla, &err), "validate rejects zero target");
		CHECK(Canon("a:1s, b:2s", "a:1s, b:2s"), "reparse");
		strcpy(sla.tiers[1].name, "a");
		CHECK(!cj_sla_validate(&sla, &err), "validate rejects duplicates");
	}
	CHECK(Fuzz(), "fuzzed literals: no crash, accepted ones round-trip");
	return unit_done();
}
