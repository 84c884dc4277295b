-- cj_tracking / cj_tracking_rows: expected weekly repeat purchases of the
-- CDNOW sample cohort (first purchases staggered over 1997-01-01 ..
-- 1997-03-25) under the published BG/NBD parameters, beside the actual
-- weekly repeat purchases counted from the log.
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE TABLE diag_tr_raw (line text);
\copy diag_tr_raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE diag_tr_tx AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS day, f[5]::numeric AS dollars
FROM (SELECT regexp_split_to_array(btrim(line), '\s+') f FROM diag_tr_raw) s;
CREATE TABLE diag_tr AS
SELECT customer, cj_first_purchase(cj_history_agg(day, dollars)) AS first_purchase
FROM diag_tr_tx GROUP BY customer;
CREATE TABLE diag_tr_model AS
SELECT 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model AS bg;

-- 78 weeks from 1997-01-01
CREATE TABLE diag_tr_bg AS
SELECT cj_tracking((SELECT bg FROM diag_tr_model), first_purchase,
                   '1997-01-01', '7 days', 78) AS t
FROM diag_tr;

-- actual repeat purchase-days per week (same-day purchases count once,
-- the first purchase day is not a repeat)
CREATE TABLE diag_tr_actual AS
SELECT (d.day - '1997-01-01'::date) / 7 + 1 AS period, count(*) AS actual
FROM (SELECT DISTINCT customer, day FROM diag_tr_tx) d
JOIN diag_tr f USING (customer)
WHERE d.day > f.first_purchase::date
GROUP BY 1;

SELECT * FROM (
  SELECT r.period, r.period_start::date, round(r.expected::numeric, 2) AS expected,
         round(r.expected_cumulative::numeric, 2) AS expected_cumulative,
         coalesce(a.actual, 0) AS actual,
         sum(coalesce(a.actual, 0)) OVER (ORDER BY r.period) AS actual_cumulative
  FROM diag_tr_bg, cj_tracking_rows(t) r LEFT JOIN diag_tr_actual a USING (period)) s
WHERE period IN (1, 2, 3, 10, 12, 13, 20, 39, 40, 52, 77, 78)
ORDER BY period;
-- the cumulative actual at weeks 39 and 78 (2,457 and 2,457 + 1,882 are
-- the calibration and holdout repeat purchases of the sample)
SELECT sum(actual) FILTER (WHERE period <= 39) AS actual_39, sum(actual) AS actual_78
FROM diag_tr_actual;

-- independent check: the cumulative total at the end of week 39 and 78 is
-- the sum over customers of E[X(end - first purchase)]
SELECT r.period,
       abs(r.expected_cumulative /
           (SELECT sum(cj_expected_purchases(bg, greatest(0, extract(epoch FROM r.period_end - first_purchase) / 604800)))
            FROM diag_tr, diag_tr_model) - 1) < 1e-12 AS equals_sum_of_expectations
FROM diag_tr_bg, cj_tracking_rows(t) r WHERE r.period IN (1, 39, 78) ORDER BY 1;

-- a model fitted with a time unit uses it: daily periods of a daily model
SELECT r.period, round(r.expected_cumulative::numeric, 6)
FROM (SELECT cj_tracking('bgnbd(r=0.2426, alpha=30.8945, a=0.7929, b=2.4257) unit=1d'::cj_model,
                         '1997-01-01', '1997-01-01', '7 days', 2) t) s, cj_tracking_rows(t) r;
SELECT r.period, round(r.expected_cumulative::numeric, 6)
FROM (SELECT cj_tracking(bg, '1997-01-01', '1997-01-01', '7 days', 2) t FROM diag_tr_model) s,
     cj_tracking_rows(t) r;

-- a customer who arrives after a period contributes nothing to it
SELECT regexp_replace(cj_tracking(bg, '1997-01-10', '1997-01-01', '7 days', 3)::text,
                      '(\.\d{6})\d*', '\1', 'g') AS state FROM diag_tr_model;

-- text form and exact round trips
SELECT t::text::cj_tracking::text = t::text AS text_round_trip FROM diag_tr_bg;
\copy diag_tr_bg TO 'results/diag_tr.bin' WITH (FORMAT binary)
CREATE TABLE diag_tr_back (t cj_tracking);
\copy diag_tr_back FROM 'results/diag_tr.bin' WITH (FORMAT binary)
SELECT b.t::text = a.t::text AS binary_round_trip FROM diag_tr_bg a, diag_tr_back b;
SELECT * FROM cj_tracking_rows('start=0 length=86400000000 customers=2 {0.5,1.25}');

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
SELECT cj_tracking((SELECT bg FROM diag_tr_model), first_purchase, '1997-01-01', '7 days', 78)
FROM diag_tr
$q$) AS "QUERY PLAN";
CREATE TABLE diag_tr_par AS
SELECT cj_tracking((SELECT bg FROM diag_tr_model), first_purchase, '1997-01-01', '7 days', 78) AS t
FROM diag_tr;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT count(*) AS periods,
       count(*) FILTER (WHERE abs(s.expected_cumulative - p.expected_cumulative)
                        <= 1e-12 * s.expected_cumulative) AS equal_to_serial
FROM diag_tr_bg a, cj_tracking_rows(a.t) s
JOIN (SELECT r.* FROM diag_tr_par b, cj_tracking_rows(b.t) r) p USING (period);

-- NULL rows are skipped; no rows gives NULL
SELECT regexp_replace(cj_tracking(bg, f, '1997-01-01', '7 days', 2)::text,
                      '(\.\d{6})\d*', '\1', 'g') AS state
FROM diag_tr_model, (VALUES ('1997-01-01'::timestamptz), (NULL)) v(f);
SELECT cj_tracking(bg, first_purchase, '1997-01-01', '7 days', 2) IS NULL AS empty_is_null
FROM diag_tr, diag_tr_model WHERE false;

-- bad input
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT cj_tracking(bg, '1997-01-01', '1997-01-01', '7 days', 0) FROM diag_tr_model;
SELECT cj_tracking(bg, '1997-01-01', '1997-01-01', '7 days', 10001) FROM diag_tr_model;
SELECT cj_tracking(bg, '1997-01-01', '1997-01-01', '1 month', 3) FROM diag_tr_model;
SELECT cj_tracking(bg, '1997-01-01', '1997-01-01', '0 days', 3) FROM diag_tr_model;
SELECT cj_tracking(bg, '1997-01-01', '1997-01-01', '-7 days', 3) FROM diag_tr_model;
SELECT cj_tracking(bg, '1997-01-01', 'infinity', '7 days', 3) FROM diag_tr_model;
SELECT cj_tracking(bg, '-infinity', '1997-01-01', '7 days', 3) FROM diag_tr_model;
SELECT cj_tracking(bg, '1997-01-01', '1997-01-01', '7 days', n) FROM diag_tr_model, (VALUES (2), (3)) v(n);
SELECT cj_tracking('gg(p=6.25, q=3.74, gamma=15.44)', '1997-01-01', '1997-01-01', '7 days', 3);
SELECT 'start=0 length=1 customers=0'::cj_tracking;
SELECT 'start=0 length=0 customers=0 {0}'::cj_tracking;
SELECT 'start=0 length=1 customers=-1 {0}'::cj_tracking;
SELECT 'start=0 length=1 customers=1 {0,-1}'::cj_tracking;
SELECT 'start=0 length=1 customers=1 {0,nan}'::cj_tracking;
SELECT 'start=0 length=1 customers=1 {0.2,0.1}'::cj_tracking;
SELECT 'start=0 length=1 customers=0 {0.1,0.2}'::cj_tracking;
SELECT 'start=0 length=1 customers=0 {0,0}'::cj_tracking;
SELECT 'start=0 length=1 customers=1 {1} x'::cj_tracking;
SELECT 'length=1 start=0 customers=1 {1}'::cj_tracking;
SELECT 'start=0 length=9223372036854775807 customers=1 {1,2}'::cj_tracking;
DO $$
BEGIN
  PERFORM ('start=0 length=1 customers=1 {' || string_agg('0', ',') || '}')::cj_tracking
  FROM generate_series(1, 10001);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'SQLSTATE %', SQLSTATE;
END $$;
-- hostile binary: wrong version, zero periods, negative value, truncated
CREATE TABLE diag_tr_bin (b bytea);
INSERT INTO diag_tr_bin SELECT cj_tracking_send('start=0 length=1 customers=1 {0.5}');
SELECT b FROM diag_tr_bin;
CREATE TABLE diag_tr_cases AS
SELECT n, b2 AS b FROM diag_tr_bin, LATERAL (VALUES
  ('version 2', set_byte(b, 0, 2)),
  ('periods 0', overlay(b placing '\x00000000'::bytea from 26)),
  ('negative value', overlay(b placing '\xbf'::bytea from 30)),
  ('truncated', substr(b, 1, length(b) - 1))) v(n, b2);
CREATE TABLE diag_tr_bad (t cj_tracking);
\copy (SELECT b FROM diag_tr_cases WHERE n = 'version 2') TO 'results/diag_tr_bad.bin' WITH (FORMAT binary)
\copy diag_tr_bad FROM 'results/diag_tr_bad.bin' WITH (FORMAT binary)
\copy (SELECT b FROM diag_tr_cases WHERE n = 'periods 0') TO 'results/diag_tr_bad.bin' WITH (FORMAT binary)
\copy diag_tr_bad FROM 'results/diag_tr_bad.bin' WITH (FORMAT binary)
\copy (SELECT b FROM diag_tr_cases WHERE n = 'negative value') TO 'results/diag_tr_bad.bin' WITH (FORMAT binary)
\copy diag_tr_bad FROM 'results/diag_tr_bad.bin' WITH (FORMAT binary)
\copy (SELECT b FROM diag_tr_cases WHERE n = 'truncated') TO 'results/diag_tr_bad.bin' WITH (FORMAT binary)
\copy diag_tr_bad FROM 'results/diag_tr_bad.bin' WITH (FORMAT binary)
SELECT count(*) AS accepted_hostile FROM diag_tr_bad;
