-- BG/BB on the donation data of Fader, Hardie and Shang (2010):
-- alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL -33225.58
CREATE TABLE model2_donations (x float8, t_x float8, n float8, donors int8);
\copy model2_donations FROM 'test/data/donations.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE model2_bgbb AS
SELECT cj_fit_bgbb(x, t_x, n, donors) AS m FROM model2_donations;
SELECT cj_model_family(m),
       round(cj_param(m, 'alpha')::numeric, 3) AS alpha,
       round(cj_param(m, 'beta')::numeric, 3) AS beta,
       round(cj_param(m, 'gamma')::numeric, 3) AS gamma,
       round(cj_param(m, 'delta')::numeric, 3) AS delta,
       round(cj_loglik(m)::numeric, 2) AS ll,
       cj_model_jsonb(m)->>'status' AS status
FROM model2_bgbb;
SELECT abs(cj_param(m, 'alpha') / 1.204 - 1) < 0.005 AS alpha_ok,
       abs(cj_param(m, 'beta') / 0.750 - 1) < 0.005 AS beta_ok,
       abs(cj_param(m, 'gamma') / 0.657 - 1) < 0.005 AS gamma_ok,
       abs(cj_param(m, 'delta') / 2.783 - 1) < 0.005 AS delta_ok,
       abs(cj_loglik(m) - (-33225.58)) < 0.01 AS ll_ok
FROM model2_bgbb;

-- worked values: P(alive in 2002) for (x, t_x) = (0, 0), (2, 4), (6, 6):
-- 0.11, 0.59, 0.93; E[X(10)] for a new donor = 3.1798
SELECT x, t_x, round(cj_p_alive(m, x, t_x, 6)::numeric, 2) AS p_alive_2002,
       round(cj_conditional_purchases(m, x, t_x, 6, 5)::numeric, 4) AS next5
FROM model2_bgbb, (VALUES (0, 0), (2, 4), (6, 6)) AS h(x, t_x) ORDER BY x;
SELECT round(cj_expected_purchases(m, 10)::numeric, 4) AS ex10,
       round(cj_expected_purchases(m, 6)::numeric, 4) AS ex6
FROM model2_bgbb;
-- the mean repeat count of the donors against the model's E[X(6)]
SELECT round((sum(x * donors) / sum(donors))::numeric, 4) AS observed_mean FROM model2_donations;

-- P(X(n) = x) is a distribution over 0..n with mean E[X(n)]
SELECT round(total::numeric, 12) AS total,
       round((mean - cj_expected_purchases(m, 6))::numeric, 12) AS mean_gap
FROM model2_bgbb,
     LATERAL (SELECT sum(cj_prob_purchases(m, k, 6)) AS total,
                     sum(k * cj_prob_purchases(m, k, 6)) AS mean
              FROM generate_series(0, 6) AS k) AS d;
-- and it matches the observed frequency distribution
SELECT d.x, d.donors, round(11104 * cj_prob_purchases(m, d.x::int, 6)) AS expected
FROM model2_bgbb, (SELECT x, sum(donors) AS donors FROM model2_donations GROUP BY x) AS d
ORDER BY d.x;

-- identical fits from one row per donor, serial and parallel
CREATE TABLE model2_donation_rows AS
SELECT x, t_x, n FROM model2_donations, generate_series(1, donors);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cj_fit_bgbb(x, t_x, n) FROM model2_donation_rows;
CREATE TABLE model2_bgbb_par AS SELECT cj_fit_bgbb(x, t_x, n) AS m FROM model2_donation_rows;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE model2_bgbb_ser AS SELECT cj_fit_bgbb(x, t_x, n) AS m FROM model2_donation_rows;
RESET max_parallel_workers_per_gather;
SELECT bool_and(abs(cj_param(a.m, k) / cj_param(b.m, k) - 1) < 1e-9
                AND abs(cj_param(a.m, k) / cj_param(c.m, k) - 1) < 1e-9) AS same_fit
FROM model2_bgbb a, model2_bgbb_par b, model2_bgbb_ser c,
     unnest('{alpha,beta,gamma,delta}'::text[]) AS k;

-- long histories stay finite
SELECT round(cj_p_alive(m, 500, 990, 1000)::numeric, 6) AS p_alive_long,
       cj_conditional_purchases(m, 500, 990, 1000, 100) < 100 AS cond_ok
FROM model2_bgbb;

-- bad input
\set VERBOSITY default
SELECT cj_p_alive(m, 3, 2, 6) FROM model2_bgbb;
SELECT cj_p_alive(m, 2, 4, 3) FROM model2_bgbb;
SELECT cj_p_alive(m, 1.5, 4, 6) FROM model2_bgbb;
SELECT cj_fit_bgbb(x, t_x, n) FROM (VALUES (1::float8, 0::float8, 6::float8)) AS v(x, t_x, n);
SELECT cj_fit_bgbb(x, t_x, n) FROM (VALUES (1::float8, 2::float8, 'NaN'::float8)) AS v(x, t_x, n);
SELECT cj_dert(m, 1, 2, 6, 0.1) FROM model2_bgbb;
SELECT cj_prob_purchases(m, 1, 6.5) FROM model2_bgbb;
SELECT cj_prob_purchases(m, 0, 100001) FROM model2_bgbb;
SELECT * FROM cj_simulate('bgbb(alpha=1.2, beta=0.75, gamma=0.66, delta=2.78)', 3, 6.5, 1);
\set VERBOSITY terse
-- no interior maximum: a customer who bought at every opportunity, with or
-- without one who had none (who adds no information), is a boundary fit
-- without a covariance, whatever rounding makes of the Hessian there
SELECT d, cj_model_jsonb(m)->>'status' AS status, cj_model_jsonb(m)->>'hessian' AS hessian
FROM (SELECT 'one buyer' AS d, cj_fit_bgbb(x, tx, n) m FROM (VALUES (1, 1, 1)) v(x, tx, n)
      UNION ALL
      SELECT 'and one without opportunities', cj_fit_bgbb(x, tx, n) FROM (VALUES (0, 0, 0), (1, 1, 1)) v(x, tx, n)) s;
