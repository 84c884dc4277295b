-- Covariates of Pareto/NBD and BG/NBD models: the model text with
-- coefficients, accessors, binary and jsonb forms, and every score with
-- the customer's covariates against the plain score at the transformed
-- parameters
\set VERBOSITY default

-- a model with coefficients written by hand; a bare name is constrained
SELECT 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(Gender=0.4, Channel) life(Gender=-0.2, Channel) constr(Channel=0.3)'::cj_model;
-- blocks in any order, white space, facts with penalty
SELECT ' bgnbd ( r=0.25,alpha=4.4,a=0.8,b=2.4 )  constr( Channel = -0.1 ) life(Channel)  trans( Channel , Gender=1e-3 ) penalty=0.5 ll=-100 n=10'::cj_model;
-- one process only
SELECT 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) life(Age=0.01)'::cj_model;

CREATE TABLE model_cov_t (id int, m cj_model);
INSERT INTO model_cov_t VALUES
  (1, 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(Gender=0.4, Channel) life(Gender=-0.2, Channel) constr(Channel=0.3)'),
  (2, 'bgnbd(r=0.2425929039600646, alpha=4.413531580226649, a=0.7928861286654124, b=2.4257532922261613) trans(Gender=0.123456789012345) ll=-9582.425560567368 penalty=0.0012345 n=2357 iter=20 converged grad=1.5e-05 unit=7d vcov=[0.01, 0.001, 0, 0, 0.002, 0.001, 0.04, 0, 0, 0.003, 0, 0, 0.09, 0.01, 0, 0, 0, 0.01, 0.16, 0, 0.002, 0.003, 0, 0, 0.25]'),
  (3, 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0) life(y=0) vcov=indefinite'),
  (4, 'pnbd(r=1, alpha=2, s=3, beta=4)');
SELECT id, m::text::cj_model::text = m::text AS text_round_trip, m::text FROM model_cov_t ORDER BY id;

-- accessors: parameters and coefficients by name
SELECT cj_param(m, 'alpha') AS alpha, cj_param(m, 'trans.Gender') AS tg,
       cj_param(m, 'life.Gender') AS lg, cj_param(m, 'constr.Channel') AS cc,
       cj_param(m, 'trans.Channel') AS tc, cj_param(m, 'life.Channel') AS lc
FROM model_cov_t WHERE id = 1;
SELECT cj_param(m, 'trans.Gender'), cj_std_error(m, 'trans.Gender'), cj_std_error(m, 'b'),
       cj_loglik(m), (cj_confint(m, 'trans.Gender', 0.95)).*
FROM model_cov_t WHERE id = 2;
-- the natural-scale interval of a coefficient: gamma -/+ z se
SELECT abs((cj_confint(m, 'trans.Gender', 0.95)).lower - (0.123456789012345 - 1.959963984540054 * 0.5)) < 1e-12 AS coef_ci
FROM model_cov_t WHERE id = 2;
SELECT cj_vcov(m) FROM model_cov_t WHERE id = 2;
SELECT id, cj_penalty(m), cj_loglik(m) FROM model_cov_t ORDER BY id;
SELECT cj_std_error(m, 'trans.x') FROM model_cov_t WHERE id = 3;
SELECT id, cj_model_jsonb(m) FROM model_cov_t ORDER BY id;
SELECT cj_param(m, 'trans.Age') FROM model_cov_t WHERE id = 1;
SELECT cj_param(m, 'constr.Gender') FROM model_cov_t WHERE id = 1;
SELECT cj_param(m, 'trans.Gender') FROM model_cov_t WHERE id = 4;

-- binary round trip
\copy model_cov_t TO 'results/model_covariates.bin' WITH (FORMAT binary)
CREATE TABLE model_cov_t2 (id int, m cj_model);
\copy model_cov_t2 FROM 'results/model_covariates.bin' WITH (FORMAT binary)
SELECT a.id, a.m::text = b.m::text AS binary_round_trip, a.m = b.m AS equal
FROM model_cov_t a JOIN model_cov_t2 b USING (id) ORDER BY a.id;

-- equality and hashing: -0 equals 0; names, order and penalty count
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)' AS zero,
       cj_model_hash('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0)') = cj_model_hash('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)') AS zero_hash,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(y=1)' AS other_name,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1, y=2)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(y=2, x=1)' AS other_order,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) penalty=0' AS penalty,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) life(x=1)' AS process,
       'pnbd(r=1, alpha=2, s=3, beta=4)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)' AS plain;
SELECT count(*) AS distinct_models FROM (SELECT m FROM (VALUES ('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0)'::cj_model),
  ('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)'), ('pnbd(r=1, alpha=2, s=3, beta=4)')) v(m) GROUP BY m) g;

-- bad model text
SELECT 'gg(p=6.25, q=3.74, gamma=15.44) trans(x=1)'::cj_model;
SELECT 'mbgnbd(r=0.5, alpha=6, a=0.9, b=1.6) trans(x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) trans(y=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1, x=2)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans()'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x) constr(x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x) life(x) constr(x)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=NaN)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=Infinity)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) penalty=-1'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) penalty=1'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) penalty=1 penalty=1'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) ll=1 trans(y=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) foo(x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(1x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(a234567890123456789012345678901234567890123456789012345678901234=1)'::cj_model;
-- a covariance of the parameters only, for a model with a coefficient
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) vcov=[1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1]'::cj_model;
-- not positive definite
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) vcov=[1,0,0,0,0, 0,1,0,0,0, 0,0,1,0,0, 0,0,0,1,0, 0,0,0,0,0]'::cj_model;

-- Scores with covariates.  Each equals the plain score of the model
-- written with the customer's own parameters (CLVTools'
-- parameterisation): Pareto/NBD alpha_i = alpha0 exp(-gamma_t'z_t),
-- beta_i = beta0 exp(-gamma_l'z_l); BG/NBD alpha_i = alpha0
-- exp(-gamma_t'z_t), a_i = a0 exp(gamma_l'z_l), b_i = b0 exp(gamma_l'z_l).
-- The identity is exact: the same family code at the same parameters.
CREATE TABLE cov_models (fam text, m cj_model, spend cj_model);
INSERT INTO cov_models VALUES
  ('pnbd', 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(Gender=0.4, Channel) life(Gender=-0.2, Channel) constr(Channel=0.3) unit=7d',
   'gg(p=6.25, q=3.74, gamma=15.44)'),
  ('bgnbd', 'bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4) trans(Gender=0.4, Channel) life(Gender=-0.2, Channel) constr(Channel=0.3) unit=7d',
   'gg(p=6.25, q=3.74, gamma=15.44)');
CREATE TABLE cov_customers AS
SELECT i AS id, (i % 3)::float8 AS x, CASE WHEN i % 3 = 0 THEN 0 ELSE 10 + i % 17 END::float8 AS t_x,
       30 + i % 11 AS age, 20 + i % 7 AS mspend,
       (i % 2)::float8 AS gender, ((i / 2) % 3 - 1 + 0.25 * (i % 5))::float8 AS channel
FROM generate_series(1, 40) i;
-- the customer's own plain model
CREATE VIEW cov_plain AS
SELECT fam, c.*, m, spend,
       ARRAY[gender, channel] AS ct, ARRAY[gender, channel] AS cl,
       CASE fam WHEN 'pnbd' THEN
         format('pnbd(r=%s, alpha=%s, s=%s, beta=%s) unit=7d', cj_param(m, 'r'),
                cj_param(m, 'alpha') * exp(-(cj_param(m, 'trans.Gender') * gender + cj_param(m, 'trans.Channel') * channel)),
                cj_param(m, 's'),
                cj_param(m, 'beta') * exp(-(cj_param(m, 'life.Gender') * gender + cj_param(m, 'life.Channel') * channel)))
       ELSE
         format('bgnbd(r=%s, alpha=%s, a=%s, b=%s) unit=7d', cj_param(m, 'r'),
                cj_param(m, 'alpha') * exp(-(cj_param(m, 'trans.Gender') * gender + cj_param(m, 'trans.Channel') * channel)),
                cj_param(m, 'a') * exp(cj_param(m, 'life.Gender') * gender + cj_param(m, 'life.Channel') * channel),
                cj_param(m, 'b') * exp(cj_param(m, 'life.Gender') * gender + cj_param(m, 'life.Channel') * channel))
       END::cj_model AS pm
FROM cov_models, cov_customers c;
SELECT fam, count(*) AS customers,
       count(*) FILTER (WHERE cj_p_alive(m, x, t_x, age, ct, cl) = cj_p_alive(pm, x, t_x, age)) AS p_alive,
       count(*) FILTER (WHERE cj_conditional_purchases(m, x, t_x, age, 13, ct, cl) = cj_conditional_purchases(pm, x, t_x, age, 13)) AS conditional,
       count(*) FILTER (WHERE cj_expected_purchases(m, 52, ct, cl) = cj_expected_purchases(pm, 52)) AS expected,
       count(*) FILTER (WHERE cj_prob_purchases(m, 2, 52, ct, cl) = cj_prob_purchases(pm, 2, 52)) AS prob,
       count(*) FILTER (WHERE cj_clv(m, spend, x, t_x, age, mspend, 12, 4.33, 0.01, ct, cl) = cj_clv(pm, spend, x, t_x, age, mspend, 12, 4.33, 0.01)) AS clv,
       count(*) FILTER (WHERE cj_clv(m, spend, x, t_x, age, mspend, 12, 4.33, 0.01, 0.3, ct, cl) = cj_clv(pm, spend, x, t_x, age, mspend, 12, 4.33, 0.01, 0.3)) AS clv_margin,
       count(*) FILTER (WHERE fam <> 'pnbd' OR cj_dert(m, x, t_x, age, 0.002, ct, cl) = cj_dert(pm, x, t_x, age, 0.002)) AS dert,
       count(DISTINCT cj_p_alive(m, x, t_x, age, ct, cl)) AS distinct_p_alive
FROM cov_plain GROUP BY fam ORDER BY fam;
-- the same, every row twice in one scan (memo hits must give the same value)
SELECT fam, count(*) FILTER (WHERE cj_p_alive(m, x, t_x, age, ct, cl) <> cj_p_alive(pm, x, t_x, age)) AS p_alive_mismatch,
       count(*) FILTER (WHERE cj_conditional_purchases(m, x, t_x, age, 13, ct, cl) <> cj_conditional_purchases(pm, x, t_x, age, 13)) AS cond_mismatch
FROM cov_plain, generate_series(1, 2) GROUP BY fam ORDER BY fam;
-- the model changing on every row (each change decodes it afresh)
SELECT count(*) FILTER (WHERE a = b) AS same, count(*) AS rows
FROM (SELECT cj_p_alive(m, x, t_x, age, ct, cl) AS a, cj_p_alive(pm, x, t_x, age) AS b
      FROM (SELECT * FROM cov_plain ORDER BY id, fam OFFSET 0) o) v;
-- history overloads: the same as the numbers the history summarises
CREATE TABLE cov_hist AS
SELECT 1 AS id, cj_history_agg(ts, 10::float8) AS h
FROM unnest(ARRAY['2024-01-01', '2024-02-12', '2024-03-04', '2024-05-20']::timestamptz[]) ts;
SELECT fam,
       cj_p_alive(m, h, '2024-08-01', ct, cl) = cj_p_alive(pm, h, '2024-08-01') AS p_alive,
       cj_conditional_purchases(m, h, '2024-08-01', 26, ct, cl) = cj_conditional_purchases(pm, h, '2024-08-01', 26) AS conditional,
       cj_clv(m, spend, h, '2024-08-01', 12, 4.33, 0.01, ct, cl) = cj_clv(pm, spend, h, '2024-08-01', 12, 4.33, 0.01) AS clv,
       cj_clv(m, spend, h, '2024-08-01', 12, 4.33, 0.01, 0.3, ct, cl) = cj_clv(pm, spend, h, '2024-08-01', 12, 4.33, 0.01, 0.3) AS clv_margin,
       fam <> 'pnbd' OR cj_dert(m, h, '2024-08-01', 0.002, ct, cl) = cj_dert(pm, h, '2024-08-01', 0.002) AS dert
FROM cov_plain, cov_hist WHERE cov_plain.id = 6 ORDER BY fam;
-- a covariate that raises the purchase rate raises expected purchases
SELECT cj_expected_purchases(m, 52, ARRAY[1, 0], ARRAY[0, 0]) > cj_expected_purchases(m, 52, ARRAY[0, 0], ARRAY[0, 0]) AS trans_up,
       round(cj_expected_purchases(m, 52, ARRAY[0, 0], ARRAY[0, 0])::numeric, 10) AS zero_cov
FROM cov_models ORDER BY fam;
-- zero coefficients: exactly the plain model
SELECT count(*) FILTER (WHERE cj_p_alive('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(g=0) life(h=0)', x, t_x, age, ARRAY[gender], ARRAY[channel])
                              = cj_p_alive('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9)', x, t_x, age)) AS pnbd_same,
       count(*) FILTER (WHERE cj_conditional_purchases('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4) trans(g=0) life(h=0)', x, t_x, age, 10, ARRAY[gender], ARRAY[channel])
                              = cj_conditional_purchases('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)', x, t_x, age, 10)) AS bgnbd_same,
       count(*) AS customers
FROM cov_customers;
-- one process without covariates: an empty array
SELECT cj_p_alive('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) life(Age=0.01)', 2, 20, 30, '{}', ARRAY[40])
     = cj_p_alive(format('pnbd(r=0.79, alpha=5.7, s=0.39, beta=%s)', 9.9 * exp(-(0.01 * 40)))::cj_model, 2, 20, 30) AS life_only;

-- cj_simulate with covariates: draw for draw the plain simulation of the
-- customer's own parameters
SELECT fam, count(*) AS rows,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS same
FROM (SELECT fam, (SELECT array_agg(s ORDER BY customer) FROM cj_simulate(m, 200, 52, 7, ct, cl) s) a,
             (SELECT array_agg(s ORDER BY customer) FROM cj_simulate(pm, 200, 52, 7) s) b
      FROM cov_plain WHERE id <= 6) v GROUP BY fam ORDER BY fam;
SELECT fam, count(*) AS rows,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS same
FROM (SELECT fam, (SELECT array_agg(s ORDER BY customer) FROM cj_simulate(m, spend, 100, 52, 7, ct, cl) s) a,
             (SELECT array_agg(s ORDER BY customer) FROM cj_simulate(pm, spend, 100, 52, 7) s) b
      FROM cov_plain WHERE id <= 3) v GROUP BY fam ORDER BY fam;
-- a population with varying covariates, one customer per call (LATERAL,
-- a seed per customer): its mean purchases agree with the model's
-- expectation for the same customers (within 4 standard errors)
SELECT fam, abs(avg(s.x) - avg(cj_expected_purchases(m, 52, ARRAY[z1, z3], ARRAY[z2, z3])))
              < 4 * stddev(s.x) / sqrt(count(*)) AS mean_agrees
FROM cov_models,
     LATERAL (SELECT i, (i % 2)::float8 AS z1, ((i / 2) % 2)::float8 AS z2, (i % 1000) / 500.0 - 1 AS z3
              FROM generate_series(1, 20000) i) c,
     LATERAL cj_simulate(m, 1, 52, 1000003::int8 * i, ARRAY[z1, z3], ARRAY[z2, z3]) s
GROUP BY fam ORDER BY fam;

-- delta-method intervals with covariates.  At z = 0 the coefficients do
-- not move the score: the interval is the plain model's with the
-- parameters' block of the covariance
SELECT round(((cj_conditional_purchases_interval(m, 2, 20, 30, 10, ARRAY[0], ARRAY[0])).lower
              / (cj_conditional_purchases_interval(p, 2, 20, 30, 10)).lower - 1)::numeric, 12) AS cond_rel_diff,
       round(((cj_clv_interval(m, 'gg(p=6.25, q=3.74, gamma=15.44) vcov=[0.1,0,0, 0,0.1,0, 0,0,1]', 2, 20, 30, 25, 12, 4.33, 0.01, ARRAY[0], ARRAY[0])).upper
              / (cj_clv_interval(p, 'gg(p=6.25, q=3.74, gamma=15.44) vcov=[0.1,0,0, 0,0.1,0, 0,0,1]', 2, 20, 30, 25, 12, 4.33, 0.01)).upper - 1)::numeric, 12) AS clv_rel_diff
FROM (VALUES ('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(a=0.3) life(b=-0.2) vcov=[0.01,0.002,0,0,0.001,0, 0.002,0.25,0,0,0,0, 0,0,0.004,0.01,0,0.002, 0,0,0.01,0.8,0,0, 0.001,0,0,0,0.04,0.005, 0,0,0.002,0,0.005,0.09]'::cj_model,
              'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) vcov=[0.01,0.002,0,0, 0.002,0.25,0,0, 0,0,0.004,0.01, 0,0,0.01,0.8]'::cj_model)) v(m, p);
-- only the coefficient uncertain (parameter variances 1e-20): the
-- interval is s exp(-/+ z |d log s / d gamma| se), the derivative taken
-- here from two plain models
WITH d AS (
  SELECT cj_conditional_purchases('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9)'::cj_model, 2, 20, 30, 10) AS s0,
         cj_conditional_purchases(format('pnbd(r=0.79, alpha=%s, s=0.39, beta=9.9)', 5.7 * exp(-(0.3 + 1e-5) * 2))::cj_model, 2, 20, 30, 10) AS up,
         cj_conditional_purchases(format('pnbd(r=0.79, alpha=%s, s=0.39, beta=9.9)', 5.7 * exp(-(0.3 - 1e-5) * 2))::cj_model, 2, 20, 30, 10) AS down,
         cj_conditional_purchases_interval('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(a=0.3) vcov=[1e-20,0,0,0,0, 0,1e-20,0,0,0, 0,0,1e-20,0,0, 0,0,0,1e-20,0, 0,0,0,0,0.04]',
                                           2, 20, 30, 10, ARRAY[2], '{}') AS i)
SELECT (i).estimate > s0 AS above_population,
       abs((i).lower / ((i).estimate * exp(-1.959963984540054 * abs(ln(up) - ln(down)) / 2e-5 * 0.2)) - 1) < 1e-7 AS lower_ok,
       abs((i).upper / ((i).estimate * exp(1.959963984540054 * abs(ln(up) - ln(down)) / 2e-5 * 0.2)) - 1) < 1e-7 AS upper_ok,
       (i).estimate = cj_conditional_purchases(format('pnbd(r=0.79, alpha=%s, s=0.39, beta=9.9)', 5.7 * exp(-(0.3 * 2)))::cj_model, 2, 20, 30, 10) AS estimate_exact
FROM d;
SELECT cj_conditional_purchases_interval(m, 2, 20, 30, 10) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_conditional_purchases_interval(m, 2, 20, 30, 10, ARRAY[1, 0], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_conditional_purchases_interval('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9)', 2, 20, 30, 10, ARRAY[1, 0], ARRAY[1, 0]);
SELECT cj_clv_interval(m, spend, 2, 20, 30, 25, 12, 4.33, 0.01, ARRAY[1], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';

-- bad input to scores with covariates
SELECT cj_p_alive(m, 2, 20, 30) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_expected_purchases(m, 52) FROM cov_models WHERE fam = 'bgnbd';
SELECT cj_conditional_purchases(m, 2, 20, 30, 10) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_clv(m, spend, 2, 20, 30, 25, 12, 4.33, 0.01) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_dert(m, 2, 20, 30, 0.01) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_p_alive('pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9)', 2, 20, 30, ARRAY[1.0], ARRAY[1.0]);
SELECT cj_p_alive(m, 2, 20, 30, ARRAY[1.0], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_p_alive(m, 2, 20, 30, ARRAY[1, 0], ARRAY[1, 0, 1]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_p_alive(m, 2, 20, 30, '{{1, 0}}', ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_p_alive(m, 2, 20, 30, ARRAY[1, NULL], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_p_alive(m, 2, 20, 30, ARRAY[1, 0], ARRAY['NaN', 0]::float8[]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_p_alive(m, 2, 20, 30, ARRAY[1, 'Infinity'::float8], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_expected_purchases(m, 52, ARRAY[1e4, 0], ARRAY[0, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_p_alive(m, 2, 20, 30, NULL, ARRAY[1, 0]) IS NULL AS strict FROM cov_models WHERE fam = 'pnbd';
SELECT cj_dert(m, 2, 20, 30, 0.01, ARRAY[1, 0], ARRAY[1, 0]) FROM cov_models WHERE fam = 'bgnbd';
SELECT cj_p_alive(m, -1, 20, 30, ARRAY[1, 0], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_expected_purchases(m, -1, ARRAY[1, 0], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
-- functions without covariate arguments refuse a model with covariates
SELECT cj_param_draws(m, 1, 1) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_conditional_purchases_interval(m, 2, 20, 30, 10) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_prob_purchases(m, 1, 10) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_prob_purchases(m, -1, 10, ARRAY[1, 0], ARRAY[1, 0]) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_holdout_check(m, 1, 10, 20, 5, 1) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_simulate(m, 1, 10, 1) FROM cov_models WHERE fam = 'pnbd';
SELECT cj_simulate('pnbd(r=1, alpha=2, s=3, beta=4)', 1, 10, 1, ARRAY[1.0], ARRAY[1.0]);
SELECT cj_simulate(m, 1, 10, 1, ARRAY[1, 0], ARRAY[1]) FROM cov_models WHERE fam = 'pnbd';
SELECT * FROM cj_tracking_rows((SELECT cj_tracking(m, '2024-01-01', '2024-01-01', '7 days', 2) FROM cov_models WHERE fam = 'pnbd'));
