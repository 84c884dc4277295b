-- Showcase step 10: purchase histories of the full CDNOW log (23,570
-- customers, 69,659 purchases, 1997-01-01 .. 1998-06-30).
-- Leaves cdnow_tx (one row per purchase) and cdnow_histories (one
-- cj_history per customer: calibration up to 1997-09-30, and full) for
-- the later steps.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Purchase histories: the full CDNOW log (test/data/CDNOW_master.txt)'
CREATE TABLE cdnow_raw (line text);
\copy cdnow_raw FROM 'test/data/CDNOW_master.txt'
CREATE TABLE cdnow_tx AS
SELECT f[1]::int AS customer, to_date(f[2], 'YYYYMMDD') AS day,
       f[3]::int AS cds, f[4]::numeric AS dollars
FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM cdnow_raw
      WHERE btrim(line) !~ '^customer') s;   -- skip the header line
DROP TABLE cdnow_raw;

-- one aggregate call per customer; FILTER gives the calibration period
CREATE TABLE cdnow_histories AS
SELECT customer,
       cj_history_agg(day, dollars) FILTER (WHERE day <= '1997-09-30') AS calibration,
       cj_history_agg(day, dollars) AS full_history
FROM cdnow_tx GROUP BY customer;

SELECT count(*) AS transactions, count(DISTINCT customer) AS customers,
       min(day) AS first_day, max(day) AS last_day, sum(dollars) AS revenue
FROM cdnow_tx;

\echo 'Calibration period (to 1997-09-30): x = repeat purchase days'
SELECT count(*) AS customers,
       count(*) FILTER (WHERE cj_frequency(calibration) > 0) AS repeaters,
       sum(cj_frequency(calibration)) AS repeat_days,
       round(avg(cj_monetary(calibration))
             FILTER (WHERE cj_frequency(calibration) > 0)::numeric, 2) AS mean_repeat_spend,
       max(cj_frequency(calibration)) AS max_x
FROM cdnow_histories;

\echo 'Three histories (UTC instants, exact spend, purchase days since the first)'
SELECT customer, calibration FROM cdnow_histories
WHERE customer IN (1, 3, 4) ORDER BY customer;

\echo 'BTYD inputs as of 1997-09-30, in weeks'
SELECT customer, cj_frequency(calibration) AS x,
       round(cj_recency(calibration)::numeric, 2) AS t_x,
       round(cj_age(calibration, '1997-09-30'::date)::numeric, 2) AS "T",
       round(cj_monetary(calibration)::numeric, 2) AS m,
       cj_frequency(full_history) - cj_frequency(calibration) AS holdout_x
FROM cdnow_histories
WHERE customer IN (1, 3, 5, 7, 8, 25, 7592) ORDER BY customer;

\echo 'Histories merge exactly: calibration + holdout = full history'
SELECT count(*) FILTER (WHERE cj_history_merge(calibration, h)::text
                        = full_history::text) AS equal, count(*) AS customers
FROM cdnow_histories
LEFT JOIN (SELECT customer, cj_history_agg(day, dollars) AS h FROM cdnow_tx
           WHERE day > '1997-09-30' GROUP BY customer) hold USING (customer);
