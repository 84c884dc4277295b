-- Acceptance on the full CDNOW log (23,570 customers): BG/NBD fitted on
-- the 39-week calibration (to 1997-09-30); the holdout check over weeks
-- 40-78 against an independent sum of conditional expectations and the
-- actual holdout purchases counted from the log (19,684 repeat
-- purchase-days).
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE TABLE diag_cd_raw (line text);
\copy diag_cd_raw FROM 'test/data/CDNOW_master.txt'
-- whitespace-separated with one header line:
-- customer_id, date YYYYMMDD, number_of_cds, dollar_value
CREATE TABLE diag_cd_tx AS
SELECT f[1]::int AS customer, to_date(f[2], 'YYYYMMDD') AS day, f[4]::numeric AS dollars
FROM (SELECT regexp_split_to_array(btrim(line), '\s+') f FROM diag_cd_raw
      WHERE btrim(line) !~ '^customer') s;
CREATE TABLE diag_cd AS
SELECT customer, cj_frequency(cal)::float8 AS x, cj_recency(cal) AS t_x,
       cj_age(cal, '1997-09-30'::date) AS age,
       (cj_frequency(full_h) - cj_frequency(cal))::float8 AS holdout_x
FROM (SELECT customer,
             cj_history_agg(day, dollars) FILTER (WHERE day <= '1997-09-30') AS cal,
             cj_history_agg(day, dollars) AS full_h
      FROM diag_cd_tx GROUP BY customer) h;
SELECT count(*) AS customers, sum(x) AS calibration_repeats FROM diag_cd;

CREATE TABLE diag_cd_model AS SELECT cj_fit_bgnbd(x, t_x, age) AS bg FROM diag_cd;
SELECT cj_model_jsonb(bg)->>'status' AS status, round(cj_param(bg, 'r')::numeric, 3) AS r,
       round(cj_param(bg, 'alpha')::numeric, 3) AS alpha, round(cj_param(bg, 'a')::numeric, 3) AS a,
       round(cj_param(bg, 'b')::numeric, 3) AS b
FROM diag_cd_model;

-- the actual holdout total counted straight from the log: repeat
-- purchase-days after 1997-09-30 (first purchases are all in calibration)
CREATE TABLE diag_cd_counted AS
SELECT count(*) AS holdout_days FROM (SELECT DISTINCT customer, day FROM diag_cd_tx
                                      WHERE day > '1997-09-30') d;
SELECT holdout_days FROM diag_cd_counted;

CREATE TABLE diag_cd_check AS
SELECT r.* FROM (SELECT cj_holdout_check((SELECT bg FROM diag_cd_model), x, t_x, age, 39, holdout_x) AS h
                 FROM diag_cd) s, cj_holdout_rows(h) r;
SELECT bucket, customers, actual_total, round(expected_total::numeric, 1) AS expected_total
FROM diag_cd_check;

SELECT c.actual_total = (SELECT holdout_days FROM diag_cd_counted) AS actual_matches_log,
       c.actual_total = 19684 AS actual_is_19684,
       abs(c.expected_total / i.independent - 1) < 0.005 AS expected_within_half_percent,
       abs(c.expected_total / i.independent - 1) < 1e-9 AS expected_within_1e_9
FROM diag_cd_check c,
     (SELECT sum(cj_conditional_purchases(bg, x, t_x, age, 39)) AS independent
      FROM diag_cd, diag_cd_model) i
WHERE c.bucket = 'total';
