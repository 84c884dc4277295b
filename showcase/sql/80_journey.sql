-- Showcase step 80: journey analytics.  RFM segments of the CDNOW
-- customers at the end of the calibration period, and attribution of a
-- small set of journeys: rule-based credits per conversion and the
-- Markov-chain removal effect over the paths.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Journey: RFM segments (as of 1997-09-30) and multi-touch attribution'
CREATE TABLE showcase_rfm AS
WITH stats AS (
  SELECT customer, '1997-09-30'::date - cj_last_purchase(calibration)::date AS recency_days,
         cj_purchase_days(calibration) AS days, cj_total_spend(calibration) AS spend
  FROM cdnow_histories),
cuts AS (
  SELECT percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY recency_days) AS r,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY days) AS f,
         percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY spend) AS m
  FROM stats)
SELECT customer, cj_rfm_segment(cj_rfm_score(recency_days::float8, cuts.r, true),
                                cj_rfm_score(days::float8, cuts.f),
                                cj_rfm_score(spend::float8, cuts.m)) AS segment
FROM stats, cuts;
\echo 'Segments by RFM quintiles, with the models'' view of them (P(alive) from Pareto/NBD)'
SELECT r.segment, count(*) AS customers, round(avg(s.p_alive_pnbd)::numeric, 3) AS mean_p_alive,
       round(avg(s.clv_12m)::numeric, 2) AS mean_clv_12m
FROM showcase_rfm r JOIN showcase_scores s USING (customer)
GROUP BY r.segment ORDER BY mean_clv_12m DESC NULLS LAST;

-- eight journeys: touches before a conversion (or none)
CREATE TABLE showcase_touches (journey int, channel text, touched_at timestamptz, converted_at timestamptz);
INSERT INTO showcase_touches VALUES
  (1, 'display', '1997-10-01 09:00+00', '1997-10-03 12:00+00'),
  (1, 'email',   '1997-10-02 08:00+00', '1997-10-03 12:00+00'),
  (1, 'search',  '1997-10-03 11:50+00', '1997-10-03 12:00+00'),
  (2, 'email',   '1997-10-01 10:00+00', '1997-10-01 10:30+00'),
  (3, 'social',  '1997-10-01 12:00+00', '1997-10-08 20:00+00'),
  (3, 'search',  '1997-10-05 18:00+00', '1997-10-08 20:00+00'),
  (4, 'display', '1997-10-02 09:00+00', '1997-10-09 09:00+00'),
  (4, 'social',  '1997-10-04 09:00+00', '1997-10-09 09:00+00'),
  (4, 'email',   '1997-10-06 09:00+00', '1997-10-09 09:00+00'),
  (4, 'search',  '1997-10-09 08:00+00', '1997-10-09 09:00+00'),
  (5, 'display', '1997-10-01 09:00+00', NULL),
  (5, 'social',  '1997-10-02 09:00+00', NULL),
  (6, 'email',   '1997-10-03 09:00+00', NULL),
  (7, 'search',  '1997-10-04 09:00+00', '1997-10-04 09:05+00'),
  (8, 'display', '1997-10-05 09:00+00', NULL),
  (8, 'email',   '1997-10-06 09:00+00', NULL);

\echo 'Credits of the five conversions by rule (position-based: 40/20/40; time decay: 7-day half-life)'
SELECT c.channel,
       round(max(c.credit) FILTER (WHERE m = 'first_touch')::numeric, 2) AS first_touch,
       round(max(c.credit) FILTER (WHERE m = 'last_touch')::numeric, 2) AS last_touch,
       round(max(c.credit) FILTER (WHERE m = 'linear')::numeric, 2) AS linear,
       round(max(c.credit) FILTER (WHERE m = 'position_based')::numeric, 2) AS position_based,
       round(max(c.credit) FILTER (WHERE m = 'time_decay')::numeric, 2) AS time_decay
FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) m,
     LATERAL (SELECT cj_credits_sum(credits) AS total
              FROM (SELECT cj_attribution(channel, touched_at, converted_at, m) AS credits
                    FROM showcase_touches WHERE converted_at IS NOT NULL GROUP BY journey) j) s,
     cj_credits_each(s.total) c
GROUP BY c.channel ORDER BY c.channel;

\echo 'Markov-chain removal effect over all eight paths (converting or not), solved exactly'
SELECT channel, round(credit::numeric, 3) AS conversions
FROM cj_credits_each((
  SELECT cj_markov_attribution(path, conversions, non_conversions)
  FROM (SELECT array_agg(channel ORDER BY touched_at) AS path,
               max((converted_at IS NOT NULL)::int)::bigint AS conversions,
               (1 - max((converted_at IS NOT NULL)::int))::bigint AS non_conversions
        FROM showcase_touches GROUP BY journey) p))
ORDER BY conversions DESC, channel;
