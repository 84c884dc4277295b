-- cj_holdout_check / cj_holdout_rows on the CDNOW sample (2,357 customers,
-- 39-week calibration to 1997-09-30, 39-week holdout), with the published
-- BG/NBD parameters of Fader, Hardie and Lee (2005) written by hand so that
-- the expected figures do not depend on a fit.
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE TABLE diag_ho_raw (line text);
\copy diag_ho_raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE diag_ho_tx AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS day, f[5]::numeric AS dollars
FROM (SELECT regexp_split_to_array(btrim(line), '\s+') f FROM diag_ho_raw) s;
CREATE TABLE diag_ho AS
SELECT customer, cj_frequency(cal)::float8 AS x, cj_recency(cal) AS t_x,
       cj_age(cal, '1997-09-30'::date) AS age,
       (cj_frequency(full_h) - cj_frequency(cal))::float8 AS holdout_x
FROM (SELECT customer,
             cj_history_agg(day, dollars) FILTER (WHERE day <= '1997-09-30') AS cal,
             cj_history_agg(day, dollars) AS full_h
      FROM diag_ho_tx GROUP BY customer) h;
CREATE TABLE diag_ho_model AS
SELECT 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model AS bg,
       'mbgnbd(r=0.525, alpha=6.183, a=0.891, b=1.614)'::cj_model AS mbg;

-- 2,357 customers, 2,457 repeat purchases in calibration, 1,882 in the holdout
SELECT count(*), sum(x), sum(holdout_x) FROM diag_ho;

-- the check by calibration frequency 0..6 and 7+ (holdout = 39 weeks)
CREATE TABLE diag_ho_bg AS
SELECT cj_holdout_check(bg, x, t_x, age, 39, holdout_x) AS h FROM diag_ho, diag_ho_model;
SELECT r.bucket, r.customers, round(r.actual_mean::numeric, 4) AS actual_mean,
       round(r.expected_mean::numeric, 4) AS expected_mean,
       r.actual_total, round(r.expected_total::numeric, 2) AS expected_total
FROM diag_ho_bg, cj_holdout_rows(h) r;

-- the totals against an independent sum of conditional expectations
SELECT r.actual_total = (SELECT sum(holdout_x) FROM diag_ho) AS actual_total_ok,
       abs(r.expected_total / (SELECT sum(cj_conditional_purchases(bg, x, t_x, age, 39))
                               FROM diag_ho, diag_ho_model) - 1) < 1e-12 AS expected_total_ok
FROM diag_ho_bg, cj_holdout_rows(h) r WHERE r.bucket = 'total';

-- each bucket against a GROUP BY of the same quantities
SELECT count(*) AS buckets_checked,
       count(*) FILTER (WHERE r.customers = g.n AND r.actual_total = g.actual
                        AND abs(r.expected_total - g.expected) < 1e-9 * g.expected) AS buckets_equal
FROM diag_ho_bg, cj_holdout_rows(h) r
JOIN (SELECT CASE WHEN x >= 7 THEN '7+' ELSE x::int::text END AS bucket, count(*) AS n,
             sum(holdout_x) AS actual, sum(cj_conditional_purchases(bg, x, t_x, age, 39)) AS expected
      FROM diag_ho, diag_ho_model GROUP BY 1) g USING (bucket);

-- MBG/NBD, with buckets 0, 1, 2 and 3+
SELECT r.bucket, r.customers, round(r.actual_mean::numeric, 4) AS actual_mean,
       round(r.expected_mean::numeric, 4) AS expected_mean
FROM (SELECT cj_holdout_check(mbg, x, t_x, age, 39, holdout_x, 3) AS h
      FROM diag_ho, diag_ho_model) s, cj_holdout_rows(h) r;

-- the state's text form, and an exact text round trip
-- (expected sums cut to 6 decimals here: the last digits are the model's)
SELECT regexp_replace(cj_holdout_check(bg, x, t_x, age, 39, holdout_x, 2)::text,
                      '(\.\d{6})\d*', '\1', 'g') AS state
FROM (SELECT * FROM diag_ho ORDER BY customer LIMIT 10) d, diag_ho_model;
SELECT h::text::cj_holdout::text = h::text AS text_round_trip FROM diag_ho_bg;

-- binary round trip through COPY
\copy diag_ho_bg TO 'results/diag_ho.bin' WITH (FORMAT binary)
CREATE TABLE diag_ho_back (h cj_holdout);
\copy diag_ho_back FROM 'results/diag_ho.bin' WITH (FORMAT binary)
SELECT b.h::text = a.h::text AS binary_round_trip FROM diag_ho_bg a, diag_ho_back b;

-- parallel plan: partial aggregates combined, same result as serial
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- The plan's shape without what differs between majors: up to 16 an
-- InitPlan says "(returns $1)" and the Gather "Params Evaluated: $1".
CREATE FUNCTION pg_temp.plan_shape(q text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
	l text;
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		CONTINUE WHEN l ~ '^\s*Params Evaluated:';
		RETURN NEXT regexp_replace(l, ' \(returns \$\d+\)$', '');
	END LOOP;
END
$f$;
SELECT pg_temp.plan_shape($q$
SELECT cj_holdout_check((SELECT bg FROM diag_ho_model), x, t_x, age, 39, holdout_x)
FROM diag_ho
$q$) AS "QUERY PLAN";
CREATE TABLE diag_ho_par AS
SELECT cj_holdout_check((SELECT bg FROM diag_ho_model), x, t_x, age, 39, holdout_x) AS h
FROM diag_ho;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT count(*) AS buckets,
       count(*) FILTER (WHERE s.customers = p.customers AND s.actual_total = p.actual_total
                        AND abs(s.expected_total - p.expected_total) <= 1e-12 * s.expected_total)
         AS equal_to_serial
FROM diag_ho_bg a, cj_holdout_rows(a.h) s
JOIN (SELECT r.* FROM diag_ho_par b, cj_holdout_rows(b.h) r) p USING (bucket);

-- NULL rows are skipped; no rows gives NULL
SELECT regexp_replace(cj_holdout_check(bg, x, t_x, age, 39, holdout_x, 2)::text,
                      '(\.\d{6})\d*', '\1', 'g') AS state
FROM (VALUES (1::float8, 2::float8, 10::float8, 1::float8), (NULL, 1, 1, 1), (2, 3, 10, NULL)) v(x, t_x, age, holdout_x),
     diag_ho_model;
SELECT cj_holdout_check(bg, x, t_x, age, 39, holdout_x) IS NULL AS empty_is_null
FROM diag_ho, diag_ho_model WHERE false;

-- a hand-written value; empty buckets have NULL means
SELECT * FROM cj_holdout_rows('0:2/1/0.5 1:0/0/0 2+:1/4/3.25');

-- bad input
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT cj_holdout_check(bg, -1, 0, 10, 39, 0) FROM diag_ho_model;
SELECT cj_holdout_check(bg, 1, 12, 10, 39, 0) FROM diag_ho_model;
SELECT cj_holdout_check(bg, 1, 2, 10, 39, 'NaN') FROM diag_ho_model;
SELECT cj_holdout_check(bg, 1, 2, 10, 39, -1) FROM diag_ho_model;
SELECT cj_holdout_check(bg, 1, 2, 10, -39, 1) FROM diag_ho_model;
SELECT cj_holdout_check(bg, 1, 2, 'Infinity', 39, 1) FROM diag_ho_model;
SELECT cj_holdout_check(bg, 1, 2, 10, 39, 1, 0) FROM diag_ho_model;
SELECT cj_holdout_check(bg, 1, 2, 10, 39, 1, 1001) FROM diag_ho_model;
SELECT cj_holdout_check(bg, x, 2, 10, 39, 1, x::int) FROM diag_ho_model, (VALUES (1), (2)) v(x);
SELECT cj_holdout_check('gg(p=6.25, q=3.74, gamma=15.44)', 1, 2, 10, 39, 1);
SELECT 'garbage'::cj_holdout;
SELECT '0:1/0/0'::cj_holdout;
SELECT '0:1/0/0 2+:1/0/0'::cj_holdout;
SELECT '0+:1/0/0'::cj_holdout;
SELECT '0:1/0/0 1+:0/1/0'::cj_holdout;
SELECT '0:-1/0/0 1+:0/0/0'::cj_holdout;
SELECT '0:1/0/-2 1+:0/0/0'::cj_holdout;
SELECT '0:1/nan/0 1+:0/0/0'::cj_holdout;
SELECT '0:1/0/0 1+:0/0/0 junk'::cj_holdout;
SELECT '0:1/0 1+:0/0/0'::cj_holdout;
-- more than 1000 buckets: 54000 (the literal is too long to print)
DO $$
BEGIN
  PERFORM string_agg(i || ':0/0/0', ' ')::cj_holdout FROM generate_series(0, 1001) i;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'SQLSTATE %', SQLSTATE;
END $$;
-- hostile binary: wrong version, k out of range, negative count, truncated
CREATE TABLE diag_ho_bin (b bytea);
INSERT INTO diag_ho_bin SELECT cj_holdout_send('0:1/0/0 1+:0/0/0');
SELECT b FROM diag_ho_bin;
CREATE TABLE diag_ho_cases AS
SELECT n, b2 AS b FROM diag_ho_bin, LATERAL (VALUES
  ('version 2', set_byte(b, 0, 2)),
  ('k 0', overlay(b placing '\x00000000'::bytea from 2)),
  ('k huge', overlay(b placing '\x7fffffff'::bytea from 2)),
  ('negative count', overlay(b placing '\xff'::bytea from 6)),
  ('truncated', substr(b, 1, length(b) - 1))) v(n, b2);
\copy (SELECT b FROM diag_ho_cases WHERE n = 'version 2') TO 'results/diag_ho_bad.bin' WITH (FORMAT binary)
CREATE TABLE diag_ho_bad (h cj_holdout);
\copy diag_ho_bad FROM 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy (SELECT b FROM diag_ho_cases WHERE n = 'k 0') TO 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy diag_ho_bad FROM 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy (SELECT b FROM diag_ho_cases WHERE n = 'k huge') TO 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy diag_ho_bad FROM 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy (SELECT b FROM diag_ho_cases WHERE n = 'negative count') TO 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy diag_ho_bad FROM 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy (SELECT b FROM diag_ho_cases WHERE n = 'truncated') TO 'results/diag_ho_bad.bin' WITH (FORMAT binary)
\copy diag_ho_bad FROM 'results/diag_ho_bad.bin' WITH (FORMAT binary)
SELECT count(*) AS accepted_hostile FROM diag_ho_bad;
