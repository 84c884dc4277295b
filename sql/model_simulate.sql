-- cj_simulate: deterministic simulation, and fits that recover the truth
\set VERBOSITY default
SELECT customer, x, round(t_x::numeric, 4) AS t_x, age
FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 5, 38.86, 42)
ORDER BY customer;
-- the same seed gives the same customers; another seed others
SELECT (SELECT array_agg(x || ':' || t_x ORDER BY customer)
          FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 1000, 38.86, 7)) =
       (SELECT array_agg(x || ':' || t_x ORDER BY customer)
          FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 1000, 38.86, 7)) AS same_seed,
       (SELECT array_agg(x || ':' || t_x ORDER BY customer)
          FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 1000, 38.86, 7)) =
       (SELECT array_agg(x || ':' || t_x ORDER BY customer)
          FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 1000, 38.86, 8)) AS other_seed;
-- with a spend model
SELECT customer, x, round(spend::numeric, 2) AS spend
FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)',
                 'gg(p=6.25, q=3.74, gamma=15.44)', 6, 38.86, 1)
ORDER BY customer;

-- 100,000 customers from the published BG/NBD parameters: each parameter
-- comes back within 5 %; the simulated mean matches E[X(T)]
CREATE TABLE model_sim AS
SELECT * FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 100000, 78, 2024);
SELECT round(avg(x)::numeric, 2) AS mean_x,
       round(cj_expected_purchases('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 78)::numeric, 2) AS expected_x
FROM model_sim;
CREATE TABLE model_sim_fit AS SELECT cj_fit_bgnbd(x, t_x, age) AS m FROM model_sim;
SELECT p.param, abs(cj_param(m, p.param) / p.value - 1) < 0.05 AS within_5_percent,
       cj_model_jsonb(m)->>'status' AS status
FROM model_sim_fit,
     (VALUES ('r', 0.2426), ('alpha', 4.4135), ('a', 0.7929), ('b', 2.4257)) p(param, value)
ORDER BY p.param;
-- MBG/NBD and Gamma-Gamma likewise
CREATE TABLE model_sim2 AS
SELECT * FROM cj_simulate('mbgnbd(r=0.525, alpha=6.183, a=0.891, b=1.614)',
                          'gg(p=6.25, q=3.74, gamma=15.44)', 100000, 78, 99);
SELECT p.param, abs(cj_param(m, p.param) / p.value - 1) < 0.05 AS within_5_percent
FROM (SELECT cj_fit_mbgnbd(x, t_x, age) AS m FROM model_sim2) f,
     (VALUES ('r', 0.525), ('alpha', 6.183), ('a', 0.891), ('b', 1.614)) p(param, value)
ORDER BY p.param;
SELECT p.param, abs(cj_param(m, p.param) / p.value - 1) < 0.05 AS within_5_percent
FROM (SELECT cj_fit_gg(x, spend) AS m FROM model_sim2) f,
     (VALUES ('p', 6.25), ('q', 3.74), ('gamma', 15.44)) p(param, value)
ORDER BY p.param;

-- bad input
SELECT * FROM cj_simulate('gg(p=6.25, q=3.74, gamma=15.44)', 5, 38.86, 1);
SELECT * FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', -1, 38.86, 1);
SELECT * FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 5, 0, 1);
SELECT * FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)',
                          'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 5, 38.86, 1);
-- a spend model at the edge of the double range: a repeat buyer's mean
-- spend must come out finite and > 0, or the draw is an error
SELECT * FROM cj_simulate('bgnbd(r=0.243, alpha=4.414, a=0.793, b=2.426)',
                          'gg(p=1e300, q=1e-300, gamma=1e300)', 3, 39, 1);
SELECT * FROM cj_simulate('bgnbd(r=0.243, alpha=4.414, a=0.793, b=2.426)',
                          'gg(p=1e-300, q=1e300, gamma=1e-300)', 3, 39, 1);
