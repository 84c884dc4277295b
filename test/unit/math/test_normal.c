/*
 * test_normal.c
 *	  Unit tests of the normal quantile (src/core/math/normal.c) against
 *	  40-digit values (mpmath: sqrt(2) erfinv(2p - 1)).
 */
#include <math.h>

#include "core/math/normal.h"
#include "unit.h"

int
main(void)
{
	static const struct
	{
		double		p,
					z;
	}			cases[] = {
		{0.975, 1.95996398454005385560443064983},
		{0.025, -1.95996398454005421177958419423},
		{0.8, 0.841621233572914363803568103728},
		{1e-10, -6.36134090240405619910039694879},
		{0.999999, 4.75342430881708776568809703068},
	};
	int			i;

	for (i = 0; i < (int) (sizeof(cases) / sizeof(cases[0])); i++)
	{
		CHECK_CLOSE(cj_normal_quantile(cases[i].p), cases[i].z, 4e-16,
					"normal quantile against 40 digits");
	}
	CHECK(cj_normal_quantile(0.5) == 0.0, "quantile(0.5) = 0");
	CHECK(isinf(cj_normal_quantile(0.0)) && cj_normal_quantile(0.0) < 0, "quantile(0) = -inf");
	CHECK(isnan(cj_normal_quantile(1.5)) && isnan(cj_normal_quantile(NAN)), "outside [0, 1]: NaN");
	CHECK(isfinite(cj_normal_quantile(1e-300)) && cj_normal_quantile(1e-300) < -37,
		  "quantile(1e-300) is finite");
	return unit_done();
}
