/*
 * test_touches_text.c
 *	  Unit tests of the cj_touches parser, printer and validation
 *	  (src/core/journey/touches_text.c).
 */
#include "unit.h"
#include "core/journey/touches_text.h"

#include <stdint.h>
#include <string.h>

static CjTouchItem items[64];
static char names[4096];
static char out[8192];
static CjTouchesHead head;

/* s parses and prints as want */
static int
Canon(const char *s, const char *want)
{
	CjError		err;
	int			n = cj_touches_parse(s, &head, items, names, &err);

	if (n < 0)
	{
		printf("# %s: %s\n", s, err.detail);
		return 0;
	}
	cj_touches_format(&head, items, n, out);
	if (strcmp(out, want) != 0)
		printf("# %s -> %s\n", s, out);
	return strcmp(out, want) == 0 && cj_touches_validate(&head, items, n, &err) &&
		strlen(out) < cj_touches_text_size(items, n);
}

/* s is rejected with error class kind */
static int
Fails(const char *s, CjErrKind kind)
{
	CjError		err;

	if (cj_touches_parse(s, &head, items, names, &err) >= 0)
		return 0;
	if (err.kind != kind)
		printf("# %s: kind %d (%s)\n", s, err.kind, err.detail);
	return err.kind == kind;
}

int
main(void)
{
	CjError		err;
	CjTouchItem t;

	CHECK(Canon("linear@100{1:\"a\", 50:\"b\"}", "linear@100{1:\"a\", 50:\"b\"}"), "linear");
	CHECK(Canon(" first_touch @ 100 { } ", "first_touch@100{}"), "empty, spaces");
	CHECK(Canon("time_decay(1.5e5)@7{-9223372036854775807:\"x\\\"y\"}",
				"time_decay(150000)@7{-9223372036854775807:\"x\\\"y\"}"), "time decay, extreme time");
	CHECK(Canon("last_touch@5{5:\"b\", 1:\"a\"}", "last_touch@5{5:\"b\", 1:\"a\"}"), "order kept");
	CHECK(Canon("shapley@0{0:\"a\"}", "shapley@0{0:\"a\"}"), "shapley");

	CHECK(Fails("", CJ_ERR_SYNTAX), "empty string");
	CHECK(Fails("nosuch@1{}", CJ_ERR_SYNTAX), "unknown model");
	CHECK(Fails("time_decay@1{}", CJ_ERR_SYNTAX), "half-life missing");
	CHECK(Fails("time_decay(0)@1{}", CJ_ERR_SYNTAX), "zero half-life");
	CHECK(Fails("linear(5)@1{}", CJ_ERR_SYNTAX), "half-life for linear");
	CHECK(Fails("linear@9223372036854775807{}", CJ_ERR_SYNTAX), "infinite conversion");
	CHECK(Fails("linear@1{2:\"a\"}", CJ_ERR_SYNTAX), "touch after conversion");
	CHECK(Fails("linear@1{1:\"\"}", CJ_ERR_PARAM), "empty channel");
	CHECK(Fails("linear@1{} x", CJ_ERR_SYNTAX), "junk after empty list");
	CHECK(Fails("linear@1{1:\"a\"", CJ_ERR_SYNTAX), "unterminated");

	/* binary-input rules */
	head.model = CJ_ATTR_LINEAR;
	head.half_life = 0;
	head.converted = 10;
	CHECK(cj_touches_head_validate(&head, 0, &err), "valid head");
	head.half_life = -0.0;
	CHECK(!cj_touches_head_validate(&head, 0, &err), "negative zero half-life");
	head.half_life = 0;
	head.model = 99;
	CHECK(!cj_touches_head_validate(&head, 0, &err), "unknown model code");
	head.model = CJ_ATTR_TIME_DECAY;
	CHECK(!cj_touches_head_validate(&head, 0, &err), "time_decay without half-life");
	head.half_life = 1.0 / 0.0;
	CHECK(!cj_touches_head_validate(&head, 0, &err), "infinite half-life");
	head.half_life = 3;
	CHECK(!cj_touches_head_validate(&head, CJ_TOUCHES_MAX + 1, &err), "too many touches");
	head.converted = INT64_MIN;
	CHECK(!cj_touches_head_validate(&head, 0, &err), "-infinity conversion");
	head.converted = 10;
	t.at = 11;
	t.name = "a";
	t.len = 1;
	CHECK(!cj_touches_validate(&head, &t, 1, &err), "touch after conversion");
	t.at = 10;
	CHECK(cj_touches_validate(&head, &t, 1, &err), "touch at conversion");
	t.len = 0;
	CHECK(!cj_touches_validate(&head, &t, 1, &err), "empty name");
	return unit_done();
}
