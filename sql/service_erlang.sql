-- Erlang C staffing against the textbook example: 360 calls per 30 min,
-- AHT 240 s, i.e. 0.2 calls per second and 48 Erlangs
\set VERBOSITY default

SELECT agents,
       round(cj_erlang_c(agents, 360.0 / 1800, 240)::numeric, 3) AS p_wait,
       round(100 * cj_erlang_service_level(agents, 360.0 / 1800, 240, 15)::numeric, 1) AS sl_15s,
       round(cj_erlang_asa(agents, 360.0 / 1800, 240)::numeric, 1) AS asa_s
FROM unnest(ARRAY[49, 50, 52, 55, 58, 60]) agents ORDER BY agents;
-- the same in minutes: 12 calls per minute, AHT 4 min, target 0.25 min
SELECT round(100 * cj_erlang_service_level(55, 12, 4, 0.25)::numeric, 1) AS sl_15s,
       round(60 * cj_erlang_asa(55, 12, 4)::numeric, 1) AS asa_s;
-- the solver: 55 agents for 80 % within 15 s
SELECT cj_erlang_agents(360.0 / 1800, 240, 0.80, 15) AS agents_80_15,
       cj_erlang_agents(360.0 / 1800, 240, 0.90, 20) AS agents_90_20,
       cj_erlang_agents(360.0 / 1800, 240, 0.50, 0) AS agents_50_0;
-- minimality: one agent fewer misses the target
SELECT cj_erlang_service_level(54, 0.2, 240, 15) < 0.8 AS fewer_misses,
       cj_erlang_service_level(55, 0.2, 240, 15) >= 0.8 AS solver_meets;
-- large centres stay finite (stable Erlang B recursion)
SELECT round(cj_erlang_c(10100, 10000, 1)::numeric, 6) AS p_wait_large,
       cj_erlang_agents(10000, 1, 0.8, 0.05) AS agents_large;

-- overloaded systems (agents <= load): every contact waits, none within
-- target, mean wait infinite; never NaN
SELECT cj_erlang_c(48, 0.2, 240) AS p_wait, cj_erlang_service_level(40, 0.2, 240, 15) AS sl,
       cj_erlang_asa(48, 0.2, 240) AS asa;
-- no traffic
SELECT cj_erlang_c(3, 0, 240) AS p_wait, cj_erlang_asa(3, 0, 240) AS asa;

-- Cobham: mean wait per priority class of a non-preemptive priority queue
-- (first class served first); the rate-weighted mean equals the FCFS ASA
SELECT array_agg(round(w::numeric, 2) ORDER BY k) AS class_waits
FROM unnest(cj_priority_waits(55, ARRAY[0.02, 0.06, 0.12], 240)) WITH ORDINALITY u(w, k);
SELECT round(((0.02 * w[1] + 0.06 * w[2] + 0.12 * w[3]) / 0.2)::numeric, 6) AS mean_wait,
       round(cj_erlang_asa(55, 0.2, 240)::numeric, 6) AS fcfs_asa
FROM cj_priority_waits(55, ARRAY[0.02, 0.06, 0.12], 240) w;
-- one class is plain Erlang C
SELECT round((cj_priority_waits(55, ARRAY[0.2], 240))[1]::numeric, 6) AS one_class,
       round(cj_erlang_asa(55, 0.2, 240)::numeric, 6) AS asa;
-- overloaded: the top class still clears, the bottom one never does
SELECT cj_priority_waits(45, ARRAY[0.05, 0.2], 240) AS overloaded;

-- bad input
SELECT cj_erlang_c(0, 0.2, 240);
SELECT cj_erlang_c(2000000, 0.2, 240);
SELECT cj_erlang_c(55, -0.2, 240);
SELECT cj_erlang_c(55, 0.2, 0);
SELECT cj_erlang_c(55, 'NaN', 240);
SELECT cj_erlang_c(55, 1e300, 1e300);
SELECT cj_erlang_service_level(55, 0.2, 240, -1);
SELECT cj_erlang_asa(55, 0.2, 'Infinity');
SELECT cj_erlang_agents(0.2, 240, 1, 15);
SELECT cj_erlang_agents(0.2, 240, 0, 15);
SELECT cj_erlang_agents(2e6, 1, 0.8, 1);
SELECT cj_priority_waits(55, '{}', 240);
SELECT cj_priority_waits(55, ARRAY[0.1, NULL], 240);
SELECT cj_priority_waits(55, ARRAY[[0.1], [0.1]], 240);
SELECT cj_priority_waits(55, ARRAY[0.1, -0.1], 240);
SELECT cj_priority_waits(55, array_fill(0.0001::float8, ARRAY[1001]), 240);
