-- Showcase step 40: weekly tracking (Fader, Hardie and Lee 2005, figures
-- 2 and 3).  The actual repeat purchases of the whole cohort per calendar
-- week beside each model's expectation, summed over customers whose first
-- purchases are staggered over twelve weeks: one cj_tracking aggregate
-- call per model.  Draws doc/img/tracking_weekly.png and
-- doc/img/tracking_cumulative.png.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Tracking: repeat purchases per week, actual versus expected (week 39 = end of calibration)'
CREATE TABLE showcase_tracking AS
SELECT s.name, r.*
FROM showcase_models s,
     LATERAL (SELECT cj_tracking(s.model, first_purchase, '1997-01-01', '7 days', 78) AS t
              FROM cdnow_btyd) c,
     cj_tracking_rows(c.t) r
WHERE cj_model_family(s.model) <> 'gg';

-- actual repeat purchase-days per week: same-day purchases count once,
-- the first purchase is not a repeat
CREATE TABLE showcase_actual AS
SELECT w AS period, coalesce(n, 0) AS actual
FROM generate_series(1, 78) w
LEFT JOIN (SELECT (d.day - '1997-01-01'::date) / 7 + 1 AS w, count(*) AS n
           FROM (SELECT DISTINCT customer, day FROM cdnow_tx) d
           JOIN cdnow_btyd b USING (customer)
           WHERE d.day > b.first_purchase::date GROUP BY 1) a USING (w);

CREATE TABLE showcase_track AS
SELECT period, a.actual, sum(a.actual) OVER (ORDER BY period) AS actual_cum,
       jsonb_object_agg(t.name, t.expected) AS expected,
       jsonb_object_agg(t.name, t.expected_cumulative) AS expected_cum
FROM showcase_actual a JOIN showcase_tracking t USING (period)
GROUP BY period, a.actual;

\echo 'Repeat purchases in every sixth week'
SELECT period AS week, actual,
       round((expected->>'BG/NBD')::numeric) AS "BG/NBD",
       round((expected->>'MBG/NBD')::numeric) AS "MBG/NBD",
       round((expected->>'Pareto/NBD')::numeric) AS "Pareto/NBD"
FROM showcase_track WHERE period % 6 = 0 OR period = 39 ORDER BY period;

\echo 'Cumulative: calibration (weeks 1-39), holdout (weeks 40-78) and both'
SELECT span, actual, round("BG/NBD") AS "BG/NBD", round("MBG/NBD") AS "MBG/NBD",
       round("Pareto/NBD") AS "Pareto/NBD"
FROM (SELECT 1 AS o, 'weeks 1-39' AS span, c.actual_cum AS actual,
             (c.expected_cum->>'BG/NBD')::numeric AS "BG/NBD",
             (c.expected_cum->>'MBG/NBD')::numeric AS "MBG/NBD",
             (c.expected_cum->>'Pareto/NBD')::numeric AS "Pareto/NBD"
      FROM showcase_track c WHERE period = 39
      UNION ALL
      SELECT 2, 'weeks 40-78', e.actual_cum - c.actual_cum,
             (e.expected_cum->>'BG/NBD')::numeric - (c.expected_cum->>'BG/NBD')::numeric,
             (e.expected_cum->>'MBG/NBD')::numeric - (c.expected_cum->>'MBG/NBD')::numeric,
             (e.expected_cum->>'Pareto/NBD')::numeric - (c.expected_cum->>'Pareto/NBD')::numeric
      FROM showcase_track c, showcase_track e WHERE c.period = 39 AND e.period = 78
      UNION ALL
      SELECT 3, 'weeks 1-78', e.actual_cum, (e.expected_cum->>'BG/NBD')::numeric,
             (e.expected_cum->>'MBG/NBD')::numeric, (e.expected_cum->>'Pareto/NBD')::numeric
      FROM showcase_track e WHERE period = 78) s
ORDER BY o;

-- the plots: "week<TAB>actual<TAB>model ...<TAB>actual cum.<TAB>model cum. ..."
\! mkdir -p showcase/out doc/img
\pset format unaligned
\pset tuples_only on
\o showcase/out/tracking.dat
SELECT period || E'\t' || actual || E'\t' ||
       (SELECT string_agg(v, E'\t' ORDER BY k) FROM jsonb_each_text(expected) e(k, v)) || E'\t' ||
       actual_cum || E'\t' ||
       (SELECT string_agg(v, E'\t' ORDER BY k) FROM jsonb_each_text(expected_cum) e(k, v))
FROM showcase_track ORDER BY period;
\o showcase/out/tracking.names
SELECT string_agg('"' || name || '"', ' ' ORDER BY name) FROM showcase_tracking WHERE period = 1;
\o
\pset format aligned
\pset tuples_only off
\! gnuplot showcase/plots/tracking.gp && echo 'drawn: doc/img/tracking_weekly.png, doc/img/tracking_cumulative.png'
