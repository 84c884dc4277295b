/*
 * test_erlang.c
 *	  Unit tests of the Erlang B/C formulas and Cobham's priority waits
 *	  (src/core/service/erlang.c).
 */
#include "unit.h"
#include "core/service/erlang.h"

int
main(void)
{
	/* textbook: 360 calls / 30 min, AHT 240 s -> 48 Erlangs */
	double		rate = 360.0 / 1800.0,
				aht = 240.0,
				a = rate * aht;
	double		w[3],
				r1[1] = {0.2},
				r3[3] = {0.05, 0.05, 0.1};

	CHECK_CLOSE(a, 48.0, 1e-12, "offered load 48 Erlangs");
	CHECK_CLOSE(cj_erl_b(1, 1.0), 0.5, 1e-15, "B(1,1) = 1/2");
	CHECK_CLOSE(cj_erl_b(2, 1.0), 0.2, 1e-15, "B(2,1) = 1/5");
	CHECK_CLOSE(cj_erl_c(1, 0.5), 0.5, 1e-15, "M/M/1: C = rho");
	CHECK_CLOSE(cj_erl_c(2, 1.0), 1.0 / 3.0, 1e-15, "C(2,1) = 1/3");
	CHECK(fabs(cj_erl_c(55, a) - 0.239) < 0.0005, "55 agents: P(wait) 0.239");
	CHECK(fabs(cj_erl_sl(55, a, aht, 15.0) - 0.846) < 0.0005, "55 agents: SL(15 s) 84.6 %");
	CHECK(fabs(cj_erl_asa(55, a, aht) - 8.2) < 0.05, "55 agents: ASA 8.2 s");
	CHECK(fabs(cj_erl_sl(52, a, aht, 15.0) - 0.637) < 0.0005, "52 agents: SL 63.7 %");
	CHECK(cj_erl_agents(a, aht, 0.8, 15.0) == 55, "solver: 55 agents for 80/15");
	CHECK(cj_erl_agents(a, aht, 0.846, 15.0) == 56, "solver: 56 for 84.7 %");
	CHECK(cj_erl_c(48, a) == 1.0, "overloaded: C = 1");
	CHECK(cj_erl_sl(40, a, aht, 15.0) == 0.0, "overloaded: SL = 0");
	CHECK(isinf(cj_erl_asa(48, a, aht)), "overloaded: ASA infinite");
	CHECK(cj_erl_c(3, 0.0) == 0.0, "no load: C = 0");
	CHECK(cj_erl_agents(0.0, aht, 0.9, 0.0) == 1, "no load: one agent");
	CHECK(cj_erl_c(20000, 19000.0) > 0.0 && cj_erl_c(20000, 19000.0) < 1.0,
		  "large systems stay finite");
	CHECK(cj_erl_agents(2e6, 1.0, 0.8, 1.0) == -1, "solver cap");

	/* Cobham with one class is the plain ASA */
	cj_erl_priority_waits(55, r1, 1, aht, w);
	CHECK_CLOSE(w[0], cj_erl_asa(55, a, aht), 1e-12, "one class = ASA");
	/* the rate-weighted mean over classes is the FCFS mean (conservation) */
	cj_erl_priority_waits(55, r3, 3, aht, w);
	CHECK(w[0] < w[1] && w[1] < w[2], "higher priority waits less");
	CHECK_CLOSE((0.05 * w[0] + 0.05 * w[1] + 0.1 * w[2]) / 0.2,
				cj_erl_asa(55, a, aht), 1e-12, "work conservation");
	cj_erl_priority_waits(40, r3, 3, aht, w);
	CHECK(isfinite(w[0]) && isinf(w[2]), "overload: low class infinite, top finite");
	return unit_done();
}
