-- Showcase step 30: the holdout check (Fader, Hardie and Lee 2005,
-- figure 5).  Customers grouped by calibration repeat purchases 0..6 and
-- 7+; for each group the mean actual repeat purchases in the 39-week
-- holdout (1997-10-01 .. 1998-06-30) beside each model's conditional
-- expectation.  One aggregate call per model; draws doc/img/holdout.png.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Holdout check: weeks 40-78, actual versus predicted, by calibration frequency'
CREATE TABLE showcase_holdout AS
SELECT s.name, r.*
FROM showcase_models s,
     LATERAL (SELECT cj_holdout_check(s.model, x, t_x, "T", 39, holdout_x) AS h
              FROM cdnow_btyd) c,
     cj_holdout_rows(c.h) WITH ORDINALITY r(bucket, customers, actual_mean, expected_mean,
                                            actual_total, expected_total, ord)
WHERE cj_model_family(s.model) <> 'gg';

\echo 'Mean holdout repeat purchases per customer'
SELECT bucket AS "x (calibration)", min(customers) AS customers,
       round(min(actual_mean)::numeric, 3) AS actual,
       round(min(expected_mean) FILTER (WHERE name = 'BG/NBD')::numeric, 3) AS "BG/NBD",
       round(min(expected_mean) FILTER (WHERE name = 'MBG/NBD')::numeric, 3) AS "MBG/NBD",
       round(min(expected_mean) FILTER (WHERE name = 'Pareto/NBD')::numeric, 3) AS "Pareto/NBD"
FROM showcase_holdout GROUP BY bucket, ord ORDER BY ord;

\echo 'Total repeat purchases in the holdout: predicted versus counted from the log'
SELECT name AS model, round(expected_total::numeric) AS predicted, actual_total AS actual,
       round((100 * (expected_total / actual_total - 1))::numeric, 1) AS "error %"
FROM showcase_holdout WHERE bucket = 'total' ORDER BY name;

-- the plot: one line per bucket, "bucket<TAB>actual<TAB>model ...", and
-- the model names (tab-separated, quoted) for the legend
\! mkdir -p showcase/out doc/img
\pset format unaligned
\pset tuples_only on
\o showcase/out/holdout.dat
SELECT string_agg(v, E'\t' ORDER BY k) FROM (
  SELECT ord, 0 AS k, bucket AS v FROM showcase_holdout WHERE name = 'BG/NBD'
  UNION ALL
  SELECT ord, 1, actual_mean::text FROM showcase_holdout WHERE name = 'BG/NBD'
  UNION ALL
  SELECT ord, 1 + rank() OVER (PARTITION BY ord ORDER BY name), expected_mean::text
  FROM showcase_holdout) s
WHERE ord < (SELECT max(ord) FROM showcase_holdout) GROUP BY ord ORDER BY ord;
\o showcase/out/holdout.names
SELECT string_agg('"' || name || '"', ' ' ORDER BY name) FROM showcase_holdout WHERE bucket = 'total';
\o
\pset format aligned
\pset tuples_only off
\! gnuplot showcase/plots/holdout.gp && echo 'drawn: doc/img/holdout.png'
