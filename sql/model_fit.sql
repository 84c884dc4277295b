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

-- Gamma-Gamma where p x is huge: the likelihood's lgamma(px+q) - lgamma(px)
-- and px log x + (px-1) log m - (px+q) log(gamma + x m) subtracted numbers
-- near 1e13.  A data set whose likelihood rises without end in p (40
-- repeaters) was reported converged with a log-likelihood 0.008 too high
-- and a covariance off by five orders: it is a boundary fit.  A customer
-- with x = 1e8 moved the estimates by 8e-6: now the maximum of a 50-digit
-- evaluation (mpmath) to 1e-11
SELECT m::text ~ ' boundary ' AS boundary, cj_loglik(m) < -388.8023369 AS below_supremum
FROM (SELECT cj_fit_gg(x, m, w::int8) AS m
      FROM (VALUES (6, 50.36864489, 2), (1, 18.71060808, 3), (3, 52.92379467, 4), (6, 17.21200066, 2),
                   (6, 48.90548442, 1), (5, 13.69458031, 2), (4, 23.15071614, 3), (7, 49.8827037, 4),
                   (7, 22.77008868, 3), (6, 22.85007226, 3), (3, 23.68951964, 2), (6, 16.15213107, 3),
                   (8, 13.347627, 3), (2, 9.975174395, 2), (8, 12.61662796, 4), (3, 107.3979396, 2),
                   (3, 12.60536879, 1), (1, 31.66511109, 1), (1, 49.40123467, 1), (2, 28.01319849, 4),
                   (4, 10.44615478, 1), (3, 29.47676584, 4), (7, 25.04312259, 2), (7, 9.696084058, 3),
                   (2, 21.77836181, 2), (2, 36.56393983, 2), (5, 30.23067481, 4), (5, 13.01588709, 3),
                   (7, 54.80479159, 3), (4, 24.48965286, 1), (5, 37.13367307, 1), (7, 14.77936887, 1),
                   (7, 10.78805415, 3), (4, 18.44821757, 2), (2, 22.86950748, 4), (1, 11.83296946, 4),
                   (5, 13.04243612, 2), (2, 15.86762498, 3), (2, 23.66376241, 3), (3, 19.04620636, 2)) v(x, m, w)) s;
SELECT abs(cj_param(m, 'p') / 0.22541398468784 - 1) < 1e-11 AS p,
       abs(cj_param(m, 'q') / 0.65926846206904 - 1) < 1e-11 AS q,
       abs(cj_param(m, 'gamma') / 57.963248430388 - 1) < 1e-11 AS gamma,
       abs(cj_loglik(m) + 96.475296203553) < 1e-9 AS loglik
FROM (SELECT cj_fit_gg(x, m, w::int8) AS m
      FROM (VALUES (1, 0.001, 3), (2, 0.5, 2), (100000000, 12.5, 1), (5, 1000000.0, 1), (30, 40.2, 4),
                   (3, 17.0, 5), (1, 25.0, 6)) v(x, m, w)) s;
