-- Rule-based multi-touch attribution: cj_attribution
\set VERBOSITY default
SET timezone = 'UTC';

CREATE TABLE journey_attr_touch (conv int, channel text, touched_at timestamptz, converted_at timestamptz);
INSERT INTO journey_attr_touch VALUES
  -- 1: one touch
  (1, 'email',   '2024-01-01', '2024-01-02'),
  -- 2: two touches
  (2, 'search',  '2024-01-01', '2024-01-04'),
  (2, 'email',   '2024-01-03', '2024-01-04'),
  -- 3: a tie (email and search at the same instant: email first by name),
  --    a NULL channel (ignored), a touch after the conversion (ignored)
  (3, 'display', '2024-01-01 10:00', '2024-01-05 10:00'),
  (3, 'search',  '2024-01-02 10:00', '2024-01-05 10:00'),
  (3, 'email',   '2024-01-02 10:00', '2024-01-05 10:00'),
  (3, NULL,      '2024-01-02 12:00', '2024-01-05 10:00'),
  (3, 'email',   '2024-01-03 10:00', '2024-01-05 10:00'),
  (3, 'social',  '2024-01-06 10:00', '2024-01-05 10:00'),
  -- 4: two touches at the same instant: first is "a", last is "b"
  (4, 'b',       '2024-01-01', '2024-01-02'),
  (4, 'a',       '2024-01-01', '2024-01-02'),
  -- 5: every touch after the conversion: no credits (NULL)
  (5, 'email',   '2024-01-03', '2024-01-02'),
  -- 6: a touch at the very instant of the conversion counts
  (6, 'sms',     '2024-01-02', '2024-01-02'),
  (6, 'email',   '2024-01-01', '2024-01-02');

-- Expected, worked by hand:
--  conversion 3 in journey order: display, email, search, email (n = 4)
--   first_touch     display 1
--   last_touch      email 1
--   linear          display 1/4, email 2/4, search 1/4
--   position_based  display 0.4, email 0.1 + 0.4, search 0.1
--   time_decay      ages 4, 3, 3, 2 days, half-life 1 day: weights
--                   1/4, 1/2, 1/2, 1 of 9/4 -> display 1/9, email 6/9,
--                   search 2/9
--   shapley         1/3 each of the 3 distinct channels
--  conversion 2: search, email; position_based 50/50; time_decay ages 3
--   and 1 days: weights 1/4 and 1 -> search 0.2, email 0.8
SELECT conv, m AS model, cj_attribution(channel, touched_at, converted_at, m, '1 day')
FROM journey_attr_touch, (VALUES ('time_decay')) v(m)
GROUP BY conv, m ORDER BY conv;
SELECT conv, m AS model, cj_attribution(channel, touched_at, converted_at, m)
FROM journey_attr_touch,
     unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'shapley']) m
GROUP BY conv, m ORDER BY conv, m;
-- the default half-life is 7 days: touches 7 days apart weigh 1/2 and 1
SELECT cj_attribution(channel, touched_at, '2024-01-15', 'time_decay')
FROM (VALUES ('a', '2024-01-01'::timestamptz), ('b', '2024-01-08')) v(channel, touched_at);
-- position_based with five touches: 0.4, 0.2/3 x 3, 0.4
SELECT cj_attribution(channel, touched_at, '2024-02-01', 'position_based')
FROM (VALUES ('a', '2024-01-01'::timestamptz), ('b', '2024-01-02'), ('c', '2024-01-03'),
             ('d', '2024-01-04'), ('e', '2024-01-05')) v(channel, touched_at);
-- no rows, or only NULL rows: NULL
SELECT cj_attribution(channel, touched_at, converted_at, 'linear') FROM journey_attr_touch WHERE false;
SELECT cj_attribution(NULL, now(), now(), 'linear');

-- credits per conversion add up to exactly 1, on many random journeys
SELECT setseed(0.42);
CREATE TABLE journey_attr_rand AS
SELECT c AS conv, 'ch' || (random() * 9)::int AS channel,
       '2024-01-01'::timestamptz + random() * interval '30 days' AS touched_at,
       '2024-01-25'::timestamptz + (c % 3) * interval '1 day' AS converted_at
FROM generate_series(1, 3000) c, generate_series(1, 1 + (c % 9)) k;
CREATE TABLE journey_attr_credit AS
SELECT conv, m AS model, cj_attribution(channel, touched_at, converted_at, m) AS credits
FROM journey_attr_rand,
     unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay', 'shapley']) m
GROUP BY conv, m;
SELECT model, count(*) AS conversions, count(credits) AS credited,
       count(*) FILTER (WHERE (SELECT sum(credit) FROM cj_credits_each(credits)) = 1::float8) AS exactly_one
FROM journey_attr_credit GROUP BY model ORDER BY model;
-- totals over conversions (credits of converted journeys only)
SELECT model, cj_credits_sum(credits) IS NOT NULL AS ok,
       round((SELECT sum(credit) FROM cj_credits_each(cj_credits_sum(credits)))::numeric, 9) AS total
FROM journey_attr_credit GROUP BY model ORDER BY model;

-- serial = parallel (partial states combined per conversion)
CREATE TABLE journey_attr_res (plan text, conv int, credits text);
INSERT INTO journey_attr_res
SELECT 'serial', conv, cj_attribution(channel, touched_at, converted_at, 'time_decay', '2 days')::text
FROM journey_attr_rand GROUP BY conv;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT conv, cj_attribution(channel, touched_at, converted_at, 'time_decay', '2 days')
FROM journey_attr_rand GROUP BY conv;
INSERT INTO journey_attr_res
SELECT 'parallel', conv, cj_attribution(channel, touched_at, converted_at, 'time_decay', '2 days')::text
FROM journey_attr_rand GROUP BY conv;
RESET ALL;
SET timezone = 'UTC';
SELECT count(*) AS conversions,
       count(*) FILTER (WHERE s.credits IS NOT DISTINCT FROM p.credits) AS identical
FROM journey_attr_res s JOIN journey_attr_res p USING (conv)
WHERE s.plan = 'serial' AND p.plan = 'parallel';
-- combine of partial states split across partitions
CREATE TABLE journey_attr_p (k int, channel text, touched_at timestamptz) PARTITION BY LIST (k);
CREATE TABLE journey_attr_p1 PARTITION OF journey_attr_p FOR VALUES IN (1);
CREATE TABLE journey_attr_p2 PARTITION OF journey_attr_p FOR VALUES IN (2);
INSERT INTO journey_attr_p VALUES (1, 'display', '2024-01-01'), (2, 'search', '2024-01-02'),
  (1, 'email', '2024-01-03'), (2, 'email', '2024-01-04');
SET enable_partitionwise_aggregate = on;
SELECT cj_attribution(channel, touched_at, '2024-01-05', 'position_based') FROM journey_attr_p;
RESET enable_partitionwise_aggregate;

-- the state type: exact text and binary round trips
SELECT cj_attribution_trans(cj_attribution_trans(NULL, 'email', '2024-01-01', '2024-01-10', 'time_decay', '36 hours'),
                            'se"arch', '2024-01-02', '2024-01-10', 'time_decay', '36 hours') AS state;
SELECT 'time_decay(129600)@758160000000000{757382400000000:"email", 757468800000000:"se\"arch"}'::cj_touches::text;
SELECT cj_attribution_final('linear@100{1:"b", 1:"a", 2:"b"}');
CREATE TABLE journey_attr_bin (t cj_touches);
INSERT INTO journey_attr_bin VALUES ('linear@100{1:"b", 1:"a", 2:"b"}'), ('time_decay(0.5)@0{-5:"x"}'), ('shapley@0{}');
\copy journey_attr_bin TO 'results/journey_attr.bin' WITH (FORMAT binary)
CREATE TABLE journey_attr_bin2 (LIKE journey_attr_bin);
\copy journey_attr_bin2 FROM 'results/journey_attr.bin' WITH (FORMAT binary)
SELECT t::text FROM journey_attr_bin2 ORDER BY 1;
-- bad state literals
SELECT 'nosuch@1{}'::cj_touches;
SELECT 'time_decay@1{}'::cj_touches;
SELECT 'linear@1{2:"a"}'::cj_touches;
SELECT 'linear@1{1:a}'::cj_touches;
SELECT 'linear@1{1:"a"} junk'::cj_touches;

-- bad arguments
SELECT cj_attribution(channel, touched_at, converted_at, 'u_shaped') FROM journey_attr_touch;
SELECT cj_attribution(channel, touched_at, converted_at, 'linear', '1 day') FROM journey_attr_touch;
SELECT cj_attribution(channel, touched_at, converted_at, 'time_decay', '1 month') FROM journey_attr_touch;
SELECT cj_attribution(channel, touched_at, converted_at, 'time_decay', '-1 day') FROM journey_attr_touch;
SELECT cj_attribution(channel, touched_at, converted_at, 'linear') FROM journey_attr_touch WHERE conv IN (1, 2);
SELECT cj_attribution(channel, touched_at, '2024-01-02', m)
FROM (VALUES ('a', '2024-01-01'::timestamptz, 'linear'), ('b', '2024-01-01', 'shapley')) v(channel, touched_at, m);
SELECT cj_attribution('a', '-infinity', '2024-01-02', 'linear');
SELECT cj_attribution('a', '2024-01-01', 'infinity', 'linear');
SELECT cj_attribution('', '2024-01-01', '2024-01-02', 'linear');
SELECT cj_attribution(repeat('x', 256), '2024-01-01', '2024-01-02', 'linear');
-- touches further from their conversion than int64 microseconds reach
-- (4713 BC to 294276 AD): ages in floating point, never wrapped
SELECT cj_attribution(ch, at, '294276-01-01+00', 'time_decay', '1000 hours')
FROM (VALUES ('old', '4713-01-01 BC'::timestamptz), ('recent', '294275-12-31+00')) v(ch, at);
SELECT cj_attribution(ch, at, '294276-01-01+00', 'time_decay', '100000000 hours')
FROM (VALUES ('old', '4713-01-01 BC'::timestamptz), ('recent', '294275-12-31+00')) v(ch, at);
