/*
 * test_credits_text.c
 *	  Unit tests of the cj_credits / cj_credits_acc parser, printer and
 *	  validation (src/core/journey/credits_text.c).
 */
#include "unit.h"
#include "core/journey/credits_text.h"

#include <string.h>

static CjCreditItem items[64];
static char names[4096];
static char out[8192];

/* s parses (as acc or not) and prints as want */
static int
Canon(const char *s, bool acc, const char *want)
{
	CjError		err;
	int			n = cj_credits_parse(s, acc, items, names, &err);

	if (n < 0)
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_credits_format(items, n, out);
	if (strcmp(out, want) != 0)
		printf("# %s -> %s\n", s, out);
	return strcmp(out, want) == 0 && cj_credits_validate(items, n, acc, &err) &&
		strlen(out) < cj_credits_text_size(items, n);
}

/* s is rejected with error class kind */
static int
Fails(const char *s, bool acc, CjErrKind kind)
{
	CjError		err;

	if (cj_credits_parse(s, acc, items, names, &err) >= 0)
		return 0;
	if (err.kind != kind)
		printf("# %s: kind %d (%s)\n", s, err.kind, err.detail);
	return err.kind == kind;
}

int
main(void)
{
	CjError		err;
	CjCreditItem v[2];

	CHECK(Canon("{}", false, "{}"), "empty");
	CHECK(Canon(" { \"search\" => 0.75 , \"email\"=>0.25 } ", false,
				"{\"email\"=>0.25, \"search\"=>0.75}"), "sorted, spaces");
	CHECK(Canon("{\"a\\\"b\"=>1e-3, \"c\\\\d\"=>-2}", false,
				"{\"a\\\"b\"=>0.001, \"c\\\\d\"=>-2}"), "escapes");
	CHECK(Canon("{\"x\"=>0.30000000000000004}", false, "{\"x\"=>0.30000000000000004}"),
		  "shortest exact");
	CHECK(Canon("{\"a\"=>1e16}", false, "{\"a\"=>1e+16}"), "scientific");
	CHECK(Canon("{\"a\"=>1e-320}", false, "{\"a\"=>0}"), "subnormal flushed");
	CHECK(Canon("{\"a\"=>0.3+5.5e-18, \"b\"=>1-1e-17}", true,
				"{\"a\"=>0.3+5.5e-18, \"b\"=>1-1e-17}"), "low-order parts");
	CHECK(Canon("{\"a\"=>1+0}", true, "{\"a\"=>1}"), "zero low-order part dropped");

	CHECK(Fails("", false, CJ_ERR_SYNTAX), "empty string");
	CHECK(Fails("{\"a\"=>1+1e-17}", false, CJ_ERR_SYNTAX), "low part in cj_credits");
	CHECK(Fails("{\"a\"=>1, \"a\"=>2}", false, CJ_ERR_PARAM), "duplicate");
	CHECK(Fails("{\"\"=>1}", false, CJ_ERR_PARAM), "empty name");
	CHECK(Fails("{\"a\"=>NaN}", false, CJ_ERR_SYNTAX), "NaN");
	CHECK(Fails("{\"a\"=>1e400}", false, CJ_ERR_SYNTAX), "overflow");
	CHECK(Fails("{\"a\"=>1} x", false, CJ_ERR_SYNTAX), "trailing junk");
	CHECK(Fails("{\"a\"=>1,}", false, CJ_ERR_SYNTAX), "trailing comma");
	CHECK(Fails("{\"a\\x\"=>1}", false, CJ_ERR_SYNTAX), "bad escape");

	/* binary-input rules */
	v[0].name = "b";
	v[0].len = 1;
	v[0].credit = 1;
	v[0].comp = 0;
	v[1] = v[0];
	v[1].name = "a";
	CHECK(!cj_credits_validate(v, 2, false, &err) && err.kind == CJ_ERR_PARAM, "unsorted");
	v[1].name = "c";
	CHECK(cj_credits_validate(v, 2, false, &err), "sorted");
	v[1].comp = 1e-17;
	CHECK(!cj_credits_validate(v, 2, false, &err), "low part in cj_credits");
	CHECK(cj_credits_validate(v, 2, true, &err), "low part in cj_credits_acc");
	v[1].credit = 1.0 / 0.0;
	CHECK(!cj_credits_validate(v, 2, true, &err), "infinite credit");
	v[1].credit = 1;
	v[1].name = "c\0";
	v[1].len = 2;
	CHECK(!cj_credits_validate(v, 2, true, &err), "zero byte in a name");
	CHECK(!cj_credits_validate(v, -1, true, &err), "negative count");
	CHECK(!cj_credits_validate(v, CJ_CREDITS_MAX_CHANNELS + 1, true, &err) &&
		  err.kind == CJ_ERR_LIMIT, "too many channels");
	return unit_done();
}
