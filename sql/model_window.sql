-- Window quantities: P(no purchase in the next t), the conditional PMF
-- P(X(T, T+t) = n | history) and P(alive at T+t | history), for BG/NBD,
-- MBG/NBD, Pareto/NBD and BG/BB, and their consistency with the scores
-- that exist: the PMF sums to 1, its mean is cj_conditional_purchases, its
-- value at 0 is cj_prob_no_purchase, cj_p_alive_at at t = 0 is cj_p_alive.
\set VERBOSITY default
CREATE TABLE win_m (name text, m cj_model);
INSERT INTO win_m VALUES
  ('bg', 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'),
  ('mbg', 'mbgnbd(r=0.525, alpha=6.183, a=0.891, b=1.614)'),
  ('pnbd', 'pnbd(r=0.5533, alpha=10.5776, s=0.6061, beta=11.6650)'),
  ('bgbb', 'bgbb(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)'),
  ('gg', 'gg(p=6.2488, q=3.7446, gamma=15.4477)');
CREATE TABLE win_cdnow (id int, x float8, t_x float8, age float8, zbar float8);
\copy win_cdnow FROM 'test/data/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE win_donations (x float8, t_x float8, n float8, donors int8);
\copy win_donations FROM 'test/data/donations.csv' WITH (FORMAT csv, HEADER)

-- Fader, Hardie and Lee's customer (x = 2, t_x = 30.43, T = 38.86) over
-- the next 39 weeks: the PMF, P(no purchase) and P(alive) now and at the end
SELECT name, n, round(cj_conditional_prob_purchases(m, n, 2, 30.43, 38.86, 39)::numeric, 6) AS p
FROM win_m, generate_series(0, 3) n WHERE name IN ('bg', 'mbg', 'pnbd') ORDER BY name, n;
SELECT name, round(cj_prob_no_purchase(m, 2, 30.43, 38.86, 39)::numeric, 6) AS p_none,
       round(cj_p_alive(m, 2, 30.43, 38.86)::numeric, 6) AS p_alive,
       round(cj_p_alive_at(m, 2, 30.43, 38.86, 39)::numeric, 6) AS p_alive_39
FROM win_m WHERE name IN ('bg', 'mbg', 'pnbd') ORDER BY name;
-- a donor who gave in 4 of 6 years, the last in year 5, over 5 more years
SELECT n, round(cj_conditional_prob_purchases(m, n, 4, 5, 6, 5)::numeric, 6) AS p
FROM win_m, generate_series(0, 5) n WHERE name = 'bgbb' ORDER BY n;
SELECT round(cj_prob_no_purchase(m, 4, 5, 6, 5)::numeric, 6) AS p_none,
       round(cj_p_alive(m, 4, 5, 6)::numeric, 6) AS p_alive,
       round(cj_p_alive_at(m, 4, 5, 6, 5)::numeric, 6) AS p_alive_5
FROM win_m WHERE name = 'bgbb';

-- the identities on every CDNOW customer (every distinct history) at two
-- horizons: errors below 1e-10 (the mean's relative to max(1, mean))
CREATE TABLE win_cdnow_id AS
SELECT w.name, c.x, c.t_x, c.age, h.t,
       sum(p) AS total, sum(n * p) AS mean,
       max(p) FILTER (WHERE n = 0) AS p0
FROM win_m w, (SELECT DISTINCT x, t_x, age FROM win_cdnow) c,
     (VALUES (4.0), (39.0)) h(t), generate_series(0, 400) n,
     LATERAL (SELECT cj_conditional_prob_purchases(w.m, n, c.x, c.t_x, c.age, h.t) AS p) q
WHERE w.name IN ('bg', 'mbg', 'pnbd')
GROUP BY w.name, c.x, c.t_x, c.age, h.t;
SELECT name, count(*) AS histories,
       max(abs(total - 1)) < 1e-10 AS sums_to_1,
       max(abs(mean - cj_conditional_purchases(m, x, t_x, age, t)) /
           greatest(1, cj_conditional_purchases(m, x, t_x, age, t))) < 1e-10 AS mean_is_conditional,
       bool_and(p0 = cj_prob_no_purchase(m, x, t_x, age, t)) AS p0_is_no_purchase,
       bool_and(cj_p_alive_at(m, x, t_x, age, 0) = cj_p_alive(m, x, t_x, age)) AS alive_at_0,
       bool_and(cj_p_alive_at(m, x, t_x, age, t) <= cj_p_alive(m, x, t_x, age)) AS alive_falls
FROM win_cdnow_id JOIN win_m USING (name) GROUP BY name ORDER BY name;
-- BG/BB on every donations history, over 1, 5 and 30 opportunities
SELECT count(*) AS histories,
       max(abs(total - 1)) < 1e-10 AS sums_to_1,
       max(abs(mean - cj_conditional_purchases(m, x, t_x, n, t)) /
           greatest(1, cj_conditional_purchases(m, x, t_x, n, t))) < 1e-10 AS mean_is_conditional,
       bool_and(p0 = cj_prob_no_purchase(m, x, t_x, n, t)) AS p0_is_no_purchase,
       bool_and(cj_p_alive_at(m, x, t_x, n, 0) = cj_p_alive(m, x, t_x, n)) AS alive_at_0
FROM (SELECT d.x, d.t_x, d.n, h.t, sum(p) AS total, sum(k * p) AS mean,
             max(p) FILTER (WHERE k = 0) AS p0
      FROM win_m w, win_donations d, (VALUES (1.0), (5.0), (30.0)) h(t),
           generate_series(0, 30) k,
           LATERAL (SELECT cj_conditional_prob_purchases(w.m, k, d.x, d.t_x, d.n, h.t) AS p) q
      WHERE w.name = 'bgbb' GROUP BY d.x, d.t_x, d.n, h.t) s, win_m
WHERE win_m.name = 'bgbb';

-- the extremes grid: parameters 0.01, 1 and 1e4, histories from none to
-- 1e5 purchases, horizons up to 1e4; every value finite and a probability,
-- and the identities wherever the window's mean is small enough to sum
CREATE TABLE win_grid AS
SELECT f.fam, format('%s(%s=%s, %s=%s, %s=%s, %s=%s)', f.fam, f.n1, p1, f.n2, p2,
                     f.n3, p3, f.n4, p4)::cj_model AS m, h.x, h.t_x, h.age, t
FROM (VALUES ('bgnbd', 'r', 'alpha', 'a', 'b'), ('mbgnbd', 'r', 'alpha', 'a', 'b'),
             ('pnbd', 'r', 'alpha', 's', 'beta')) f(fam, n1, n2, n3, n4),
     unnest('{0.01, 1, 10000}'::float8[]) p1, unnest('{0.01, 1, 10000}'::float8[]) p2,
     unnest('{0.01, 1, 10000}'::float8[]) p3, unnest('{0.01, 1, 10000}'::float8[]) p4,
     (VALUES (0, 0, 0), (0, 0, 10000), (1, 0.5, 1), (3, 9000, 10000), (100000, 9999.9, 10000),
             (100000, 10, 10000), (100000, 0.001, 0.001)) h(x, t_x, age),
     unnest('{0.01, 1, 10000}'::float8[]) t;
INSERT INTO win_grid
SELECT 'bgbb', format('bgbb(alpha=%s, beta=%s, gamma=%s, delta=%s)', p1, p2, p3, p4)::cj_model,
       h.x, h.t_x, h.n, t
FROM unnest('{0.01, 1, 10000}'::float8[]) p1, unnest('{0.01, 1, 10000}'::float8[]) p2,
     unnest('{0.01, 1, 10000}'::float8[]) p3, unnest('{0.01, 1, 10000}'::float8[]) p4,
     (VALUES (0, 0, 0), (0, 0, 10000), (1, 1, 1), (3, 9000, 10000), (10000, 10000, 10000),
             (10, 10, 10000)) h(x, t_x, n),
     unnest('{1, 10, 10000}'::float8[]) t;
CREATE TABLE win_grid_v AS
SELECT fam, m, x, t_x, age, t, cj_prob_no_purchase(m, x, t_x, age, t) AS p0,
       cj_conditional_prob_purchases(m, 1, x, t_x, age, t) AS p1,
       cj_conditional_prob_purchases(m, 100000, x, t_x, age, t) AS p100000,
       cj_p_alive(m, x, t_x, age) AS alive, cj_p_alive_at(m, x, t_x, age, t) AS alive_t,
       cj_p_alive_at(m, x, t_x, age, 0) AS alive_0,
       cj_conditional_purchases(m, x, t_x, age, t) AS mean
FROM win_grid;
SELECT fam, count(*) AS points,
       bool_and(p0 BETWEEN 0 AND 1 AND p1 BETWEEN 0 AND 1 AND p100000 BETWEEN 0 AND 1) AS pmf_ok,
       bool_and(p0 + p1 <= 1 + 1e-9) AS p0_p1_ok,
       bool_and(alive_t BETWEEN 0 AND alive) AS alive_falls,
       bool_and(alive_0 = alive) AS alive_at_0
FROM win_grid_v GROUP BY fam ORDER BY fam;
-- (where the PMF at 300 is below 1e-18 and falling by 1 % a step at
-- least, so that what lies beyond 300 is below 1e-16; BG/BB up to t)
-- Within 1e-10 everywhere, histories of 1e4 and 1e5 purchases included
-- (the log-gamma ratios of arguments near 1e5 are taken through Stirling's
-- forms, cj_lgamma_ratio; plain differences of log-gammas near 1.2e6 lost
-- up to 4e-10 here).
SELECT fam, count(*) AS summed,
       max(abs(total - 1)) < 1e-10 AS sums_to_1,
       max(abs(msum - mean) / greatest(1, mean)) < 1e-10 AS mean_is_conditional
FROM (SELECT fam, m, x, t_x, age, t, mean, sum(p) AS total, sum(n * p) AS msum
      FROM win_grid_v, generate_series(0, 300) n,
           LATERAL (SELECT cj_conditional_prob_purchases(m, n, x, t_x, age, t) AS p) q
      WHERE n <= CASE WHEN fam = 'bgbb' THEN t ELSE 300 END AND
            mean < 10 AND p0 > 1e-3 AND (fam <> 'bgbb' OR t <= 10) AND
            (fam = 'bgbb' OR
             (cj_conditional_prob_purchases(m, 300, x, t_x, age, t) < 1e-18 AND
              cj_conditional_prob_purchases(m, 300, x, t_x, age, t) <
              0.99 * cj_conditional_prob_purchases(m, 299, x, t_x, age, t)))
      GROUP BY fam, m, x, t_x, age, t, mean) s
GROUP BY fam ORDER BY fam;

-- bad input: n < 0, t < 0 or not finite, a BG/BB horizon that is not a
-- whole number, a family without window quantities, a bad history
SELECT cj_conditional_prob_purchases(m, -1, 2, 30.43, 38.86, 39) FROM win_m WHERE name = 'bg';
SELECT cj_prob_no_purchase(m, 2, 30.43, 38.86, -1) FROM win_m WHERE name = 'bg';
SELECT cj_p_alive_at(m, 2, 30.43, 38.86, 'NaN') FROM win_m WHERE name = 'pnbd';
SELECT cj_p_alive_at(m, 2, 30.43, 38.86, 'Infinity') FROM win_m WHERE name = 'mbg';
SELECT cj_prob_no_purchase(m, 4, 5, 6, 2.5) FROM win_m WHERE name = 'bgbb';
SELECT cj_p_alive_at(m, 4, 5, 6, 200000) FROM win_m WHERE name = 'bgbb';
SELECT cj_prob_no_purchase(m, 1, 2, 3, 4) FROM win_m WHERE name = 'gg';
SELECT cj_p_alive_at('sbg(alpha=1, beta=2)', 1, 2, 3, 4);
SELECT cj_prob_no_purchase(m, 2, 40, 38.86, 39) FROM win_m WHERE name = 'bg';
SELECT cj_conditional_prob_purchases(m, 1, -1, 3, 38.86, 39) FROM win_m WHERE name = 'pnbd';
-- t = 0: the empty window
SELECT name, cj_prob_no_purchase(m, 2, 30.43, 38.86, 0) AS p_none,
       cj_conditional_prob_purchases(m, 1, 2, 30.43, 38.86, 0) AS p_one,
       cj_p_alive_at(m, 2, 30.43, 38.86, 0) = cj_p_alive(m, 2, 30.43, 38.86) AS alive_now
FROM win_m WHERE name IN ('bg', 'mbg', 'pnbd') ORDER BY name;

-- the history overloads: a customer who bought on 1, 15 January and 5
-- February 2024, as of 1 March (x = 2, t_x = 5, T = 60/7 weeks)
CREATE TABLE win_hist AS
SELECT cj_history_agg(at, 10) AS h
FROM (VALUES ('2024-01-01 12:00+00'::timestamptz), ('2024-01-15 12:00+00'),
             ('2024-02-05 12:00+00')) v(at);
SELECT name,
       abs(cj_prob_no_purchase(m, h, '2024-03-01 12:00+00', 10) -
           cj_prob_no_purchase(m, 2, 5, 60.0 / 7, 10)) < 1e-12 AS p_none,
       abs(cj_conditional_prob_purchases(m, 2, h, '2024-03-01 12:00+00', 10) -
           cj_conditional_prob_purchases(m, 2, 2, 5, 60.0 / 7, 10)) < 1e-12 AS p_two,
       abs(cj_p_alive_at(m, h, '2024-03-01 12:00+00', 10) -
           cj_p_alive_at(m, 2, 5, 60.0 / 7, 10)) < 1e-12 AS alive_at,
       cj_p_alive_at(m, h, '2024-03-01 12:00+00', 0) = cj_p_alive(m, h, '2024-03-01 12:00+00') AS alive_at_0,
       cj_prob_no_purchase(m, h, '2024-03-01 12:00+00', 10) =
         cj_conditional_prob_purchases(m, 0, h, '2024-03-01 12:00+00', 10) AS p0
FROM win_m, win_hist WHERE name IN ('bg', 'mbg', 'pnbd') ORDER BY name;
SELECT cj_conditional_prob_purchases(m, -1, h, '2024-03-01 12:00+00', 10) FROM win_m, win_hist WHERE name = 'bg';
SELECT cj_p_alive_at(m, h, '2024-03-01 12:00+00', -1) FROM win_m, win_hist WHERE name = 'bg';
