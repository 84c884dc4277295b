-- Model fitting: cj_fit_bgnbd, cj_fit_mbgnbd, cj_fit_gg on the CDNOW sample
\set VERBOSITY default
CREATE TABLE model_cdnow (id int, x float8, t_x float8, age float8, zbar float8);
\copy model_cdnow FROM 'test/data/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
SELECT count(*), sum(x), count(*) FILTER (WHERE x > 0) AS repeaters FROM model_cdnow;

CREATE TABLE model_fits AS
SELECT 'bgnbd'::text AS name, cj_fit_bgnbd(x, t_x, age) AS m FROM model_cdnow
UNION ALL
SELECT 'mbgnbd', cj_fit_mbgnbd(x, t_x, age) FROM model_cdnow
UNION ALL
SELECT 'gg', cj_fit_gg(x, zbar) FROM model_cdnow;

-- published optima: BG/NBD (Fader, Hardie, Lee 2005) r 0.243 alpha 4.414
-- a 0.793 b 2.426 LL -9582.43; MBG/NBD (BTYDplus) r 0.525 alpha 6.183
-- a 0.891 b 1.614 LL -9582.13; Gamma-Gamma (Fader, Hardie 2013) p 6.25
-- q 3.74 gamma 15.44 LL -4055.92
CREATE TABLE model_published (name text, param text, value float8);
INSERT INTO model_published VALUES
  ('bgnbd', 'r', 0.2426), ('bgnbd', 'alpha', 4.4135), ('bgnbd', 'a', 0.7929), ('bgnbd', 'b', 2.4257),
  ('mbgnbd', 'r', 0.525), ('mbgnbd', 'alpha', 6.183), ('mbgnbd', 'a', 0.891), ('mbgnbd', 'b', 1.614),
  ('gg', 'p', 6.25), ('gg', 'q', 3.74), ('gg', 'gamma', 15.44);
SELECT f.name, p.param, round(cj_param(f.m, p.param)::numeric, 4) AS estimate, p.value AS published,
       abs(cj_param(f.m, p.param) / p.value - 1) < 0.005 AS within_half_percent
FROM model_fits f JOIN model_published p USING (name) ORDER BY f.name, p.param;
SELECT name, round(cj_loglik(m)::numeric, 2) AS ll,
       cj_model_jsonb(m)->>'status' AS status, cj_model_jsonb(m)->'n' AS n,
       (cj_model_jsonb(m)->>'grad_norm')::float8 < 1e-3 AS small_gradient
FROM model_fits ORDER BY name;
SELECT abs(cj_loglik(m) - (-9582.43)) < 0.01 AS bgnbd_ll FROM model_fits WHERE name = 'bgnbd';
SELECT abs(cj_loglik(m) - (-9582.13)) < 0.01 AS mbgnbd_ll FROM model_fits WHERE name = 'mbgnbd';
SELECT abs(cj_loglik(m) - (-4055.92)) < 0.01 AS gg_ll FROM model_fits WHERE name = 'gg';

-- weights versus repeated rows: the same model to the last bit
CREATE TABLE model_cdnow_w AS
SELECT x, t_x, age, zbar, count(*) AS w FROM model_cdnow GROUP BY x, t_x, age, zbar;
SELECT (SELECT cj_fit_bgnbd(x, t_x, age, w) FROM model_cdnow_w)::text =
       (SELECT m FROM model_fits WHERE name = 'bgnbd')::text AS bgnbd_weights_identical,
       (SELECT cj_fit_mbgnbd(x, t_x, age, w) FROM model_cdnow_w)::text =
       (SELECT m FROM model_fits WHERE name = 'mbgnbd')::text AS mbgnbd_weights_identical,
       (SELECT cj_fit_gg(x, zbar, w) FROM model_cdnow_w)::text =
       (SELECT m FROM model_fits WHERE name = 'gg')::text AS gg_weights_identical;
-- weight 0 rows count for nothing; NULL rows are ignored
SELECT cj_fit_bgnbd(x, t_x, age, w) IS NULL AS all_weight_zero
FROM (SELECT x, t_x, age, 0::int8 AS w FROM model_cdnow) s;
SELECT (SELECT cj_fit_bgnbd(x, t_x, age) FROM
          (SELECT x, t_x, age FROM model_cdnow UNION ALL SELECT NULL, 1, 2) s)::text =
       (SELECT m FROM model_fits WHERE name = 'bgnbd')::text AS nulls_ignored;

-- parallel plans give the identical model
CREATE TABLE model_cdnow_big AS SELECT c.* FROM model_cdnow c, generate_series(1, 4);
ANALYZE model_cdnow_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT cj_fit_bgnbd(x, t_x, age) FROM model_cdnow_big;
CREATE TABLE model_par AS
SELECT cj_fit_bgnbd(x, t_x, age) AS b, cj_fit_gg(x, zbar) AS g FROM model_cdnow_big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT (SELECT b FROM model_par)::text = cj_fit_bgnbd(x, t_x, age)::text AS bgnbd_parallel_identical,
       (SELECT g FROM model_par)::text = cj_fit_gg(x, zbar)::text AS gg_parallel_identical
FROM model_cdnow_big;
-- four copies of every customer: same estimates as one copy, 4 x LL
SELECT abs(cj_param(b, 'r') / cj_param(m, 'r') - 1) < 1e-6 AS same_r,
       abs(cj_loglik(b) / cj_loglik(m) - 4) < 1e-9 AS four_times_ll
FROM model_par, model_fits WHERE name = 'bgnbd';
RESET max_parallel_workers_per_gather;

-- degenerate input
SELECT cj_fit_bgnbd(x, t_x, age) IS NULL AS empty_is_null FROM model_cdnow WHERE false;
SELECT cj_fit_gg(x, zbar) IS NULL AS no_repeaters_is_null FROM model_cdnow WHERE x = 0;
SELECT cj_fit_bgnbd(x, t_x, age) FROM model_cdnow WHERE x = 0;
SELECT cj_fit_mbgnbd(x, t_x, age) FROM model_cdnow WHERE x = 0;
-- a single customer: the likelihood has no interior maximum
SELECT cj_model_jsonb(cj_fit_bgnbd(x, t_x, age))->>'status' AS single_customer
FROM model_cdnow WHERE id = 1;
SELECT cj_model_jsonb(cj_fit_gg(x, zbar))->>'status' AS single_spender
FROM model_cdnow WHERE id = 1;
-- bad rows
SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (2::float8, 40::float8, 38.86::float8)) v(x, t_x, age);
SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (-1::float8, 0::float8, 38.86::float8)) v(x, t_x, age);
SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (1.5::float8, 3::float8, 38.86::float8)) v(x, t_x, age);
SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (1::float8, 'NaN'::float8, 38.86::float8)) v(x, t_x, age);
SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (1::float8, 1::float8, 0::float8)) v(x, t_x, age);
SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (0::float8, 1::float8, 3::float8)) v(x, t_x, age);
SELECT cj_fit_bgnbd(x, t_x, age, w) FROM (VALUES (1::float8, 1::float8, 3::float8, -1::int8)) v(x, t_x, age, w);
SELECT cj_fit_mbgnbd(x, t_x, age) FROM (VALUES (1::float8, 'Infinity'::float8, 38.86::float8)) v(x, t_x, age);
SELECT cj_fit_gg(x, m) FROM (VALUES (2::float8, 0::float8)) v(x, m);
SELECT cj_fit_gg(x, m) FROM (VALUES (2::float8, -5::float8)) v(x, m);
