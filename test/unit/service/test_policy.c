/*-------------------------------------------------------------------------
 *
 * test_policy.c
 *	  Unit tests of the cj_sla_policy parser, formatter and lookup.
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/policy.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static int64_t
Target(const CjPolicy *p, const char *metric, const char *tier, const char *sev)
{
	int			m = cj_slapolicy_metric(p, metric, strlen(metric));
	int64_t		us = -1;

	if (m < 0 || !cj_slapolicy_lookup(p, m, tier, strlen(tier), sev, sev ? strlen(sev) : 0, &us))
		return -1;
	return us;
}

int
main(void)
{
	CjPolicy   *p = malloc(sizeof(CjPolicy));
	char	   *buf = malloc(CJ_POLICY_TEXT_MAX);
	CjError		err;
	const char *canon = "first_reply: platinum 30s, gold 2min, * 15min; resolution: platinum/high 4h, platinum 1d, */high 8h, * 3d";

	CHECK(cj_slapolicy_parse("first_reply: platinum 30s, gold 2min, *: 15min; resolution: platinum/high 4h, platinum 1d, */high: 8h, *: 3d", p, &err),
		  "the issue's literal parses");
	cj_slapolicy_format(p, buf, CJ_POLICY_TEXT_MAX);
	CHECK(strcmp(buf, canon) == 0, "canonical form");
	CHECK(cj_slapolicy_parse(canon, p, &err), "canonical form parses");
	cj_slapolicy_format(p, buf, CJ_POLICY_TEXT_MAX);
	CHECK(strcmp(buf, canon) == 0, "canonical form round trips");
	CHECK(Target(p, "first_reply", "platinum", NULL) == 30000000, "tier");
	CHECK(Target(p, "first_reply", "bronze", "high") == 900000000, "default");
	CHECK(Target(p, "resolution", "platinum", "high") == INT64_C(14400000000), "tier/severity");
	CHECK(Target(p, "resolution", "platinum", "low") == INT64_C(86400000000), "tier before */severity");
	CHECK(Target(p, "resolution", "gold", "high") == INT64_C(28800000000), "*/severity before *");
	CHECK(Target(p, "resolution", "gold", NULL) == INT64_C(259200000000), "* last");
	CHECK(Target(p, "next_reply", "gold", NULL) == -1, "unknown metric");
	CHECK(!cj_slapolicy_parse("a: gold 1s, gold 2s", p, &err), "duplicate entry");
	CHECK(!cj_slapolicy_parse("a: gold 1 month", p, &err), "months rejected");
	CHECK(!cj_slapolicy_parse("gold:2h", p, &err), "an SLA literal is not a policy");
	CHECK(!cj_slapolicy_parse("a: gold 1s;", p, &err), "trailing separator");
	free(p);
	free(buf);
	return unit_done();
}
