/*
 * test_special.c
 *	  Unit tests of the special functions (src/core/math/special.c).
 */
#include "unit.h"
#include "core/math/special.h"

int
main(void)
{
	/* reference values from A&S tables / high-precision evaluation */
	CHECK_CLOSE(cj_digamma(1.0), -0.57721566490153286, 1e-14, "psi(1) = -gamma");
	CHECK_CLOSE(cj_digamma(0.5), -1.9635100260214235, 1e-14, "psi(1/2)");
	CHECK_CLOSE(cj_digamma(100.0), 4.6001618527380874, 1e-14, "psi(100)");
	CHECK_CLOSE(cj_digamma(1e-3), -1000.5755719318103, 1e-13, "psi(0.001)");
	CHECK_CLOSE(cj_trigamma(1.0), 1.6449340668482264, 1e-14, "psi'(1) = pi^2/6");
	CHECK_CLOSE(cj_trigamma(0.5), 4.9348022005446793, 1e-14, "psi'(1/2) = pi^2/2");
	CHECK_CLOSE(cj_trigamma(50.0), 0.020201333226697125, 1e-13, "psi'(50)");
	CHECK_CLOSE(cj_lbeta(2.0, 3.0), log(1.0 / 12.0), 1e-14, "log B(2,3)");
	/* digamma differences, mpmath at 50 digits: kept where psi is large */
	CHECK_REL(cj_digamma_diff(1e12, 3.88), 3.8799999999944126934e-12, 1e-12, "psi(1e12+3.88) - psi(1e12)");
	CHECK_REL(cj_digamma_diff(1e7, 0.5), 5.000000125e-8, 1e-12, "psi(1e7+0.5) - psi(1e7)");
	CHECK_REL(cj_digamma_diff(20.0, 0.001), 0.00005126950891889594195, 1e-12, "psi(20.001) - psi(20)");
	CHECK_CLOSE(cj_digamma_diff(3.0, 2.0), 0.58333333333333333333, 1e-14, "psi(5) - psi(3)");

	/*
	 * log-gamma ratios and beta ratios at large arguments, where the plain
	 * differences lose 1e-10 (40-digit values, mpmath's loggamma)
	 */
	{
		static const struct
		{
			double		a,
						k,
						want;
		}			lgr[] = {
			{1e5, 1.0, 11.51292546497022842},
			{1e5, 300.0, 3454.3256924078735292},
			{1.1e5, 0.5, 5.8041166860236402803},
			{16.0, 1e5, 1051444.0177096505825},
			{20.0, -3.5, -10.062129672158679476},	/* a negative step */
			{1.1e5, 1e4, 116523.67818074947861},
			{3.5, 2.0, 2.7568403652716420691},	/* small arguments */
			{1e12, 7.0, 193.41714781152083746},
		};
		size_t		i;

		for (i = 0; i < sizeof(lgr) / sizeof(lgr[0]); i++)
			CHECK_CLOSE(cj_lgamma_ratio(lgr[i].a, lgr[i].k), lgr[i].want, 1e-15,
						"log (a)_k");
	}
	CHECK(cj_lgamma_ratio(5.0, 0.0) == 0.0, "an empty product");
	CHECK_CLOSE(cj_lbeta_ratio(1e4, 1.1e5, 1.0, 299.0), -28.470104579859486503,
				1e-14, "log B(1e4+1, 1.1e5+299)/B(1e4, 1.1e5)");
	CHECK_CLOSE(cj_lbeta(0.5, 1e5), -5.1840965395604141282, 1e-15,
				"log B(0.5, 1e5)");
	CHECK_CLOSE(cj_lbeta(1e5, 0.5), -5.1840965395604141282, 1e-15,
				"log B(1e5, 0.5): symmetric");
	CHECK_CLOSE(cj_logaddexp(-1000.0, -1000.0), -1000.0 + log(2.0), 1e-15,
				"logaddexp tiny");
	CHECK_CLOSE(cj_logaddexp(1000.0, 0.0), 1000.0, 1e-15, "logaddexp huge");
	CHECK(cj_logaddexp(-INFINITY, -INFINITY) == -INFINITY, "logaddexp -inf");
	CHECK_CLOSE(cj_logsubexp(log(3.0), log(1.0)), log(2.0), 1e-15, "logsubexp");
	CHECK(cj_logsubexp(1.0, 1.0) == -INFINITY, "logsubexp equal");
	{
		double		v[3] = {-800.0, -801.0, -802.0};

		CHECK_CLOSE(cj_logsumexp(v, 3),
					-800.0 + log(1.0 + exp(-1.0) + exp(-2.0)), 1e-15,
					"logsumexp");
	}
	return unit_done();
}
