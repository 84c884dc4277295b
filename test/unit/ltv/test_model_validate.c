/*
 * test_model_validate.c
 *	  Unit tests of cj_model_validate (src/core/ltv/model.c) on the bodies a
 *	  binary form can carry: a fit fact the flags mark absent is not
 *	  printed, so it must be zero for text and binary forms to agree.
 */
#include <math.h>
#include <string.h>

#include "unit.h"
#include "core/ltv/model.h"

int
main(void)
{
	CjModelBody b;
	CjModelBody base;
	CjError		err;

	CHECK(cj_model_parse("bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)",
						 &base, &err), "hand-written model parses");
	b = base;
	CHECK(cj_model_validate(&b, &err), "parsed body validates");
	b = base;
	b.version = 0xff;
	CHECK(cj_model_equal(&b, &base), "equality ignores the format version");
	b.params[3] = 2.4258;
	CHECK(!cj_model_equal(&b, &base), "another parameter value is another model");
	b = base;
	b.unit = 7 * 86400.0;
	CHECK(!cj_model_equal(&b, &base), "another time unit is another model");
	b = base;
	b.loglik = -1.0;
	CHECK(!cj_model_validate(&b, &err), "loglik without HAS_LL rejected");
	b.flags |= CJ_MODEL_HAS_LL;
	CHECK(cj_model_validate(&b, &err), "loglik with HAS_LL accepted");
	b = base;
	b.n = -0.0;
	CHECK(!cj_model_validate(&b, &err), "-0 n without HAS_N rejected");
	b = base;
	b.iterations = 7;
	CHECK(!cj_model_validate(&b, &err), "iterations without HAS_ITER rejected");
	b = base;
	b.grad_norm = 1e-300;
	CHECK(!cj_model_validate(&b, &err), "grad without HAS_GRAD rejected");
	CHECK(cj_model_parse("gg(p=6.25, q=3.74, gamma=15.44) ll=-4055.9 n=946 iter=18 converged grad=1e-06 unit=7d",
						 &b, &err), "model with every fit fact parses");
	return unit_done();
}
