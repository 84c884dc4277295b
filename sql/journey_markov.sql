-- Markov-chain attribution: exact removal effects
\set VERBOSITY default

-- A small chain worked by hand.  Journeys (conversions, non-conversions):
--   A > B  (1, 0)     A  (0, 1)     B  (0, 1)     C  (0, 1)
-- Transitions: start > A 2/4, start > B 1/4, start > C 1/4;
--   A > B 1/2, A > null 1/2;  B > conv 1/2, B > null 1/2;  C > null 1.
-- Conversion probabilities: h(B) = 1/2, h(A) = 1/2 h(B) = 1/4, h(C) = 0,
--   P = 2/4 h(A) + 1/4 h(B) = 1/8 + 1/8 = 1/4 (1 conversion in 4 journeys).
-- Without A (start > A goes to null): P = 1/4 * 1/2 = 1/8, effect 1/2.
-- Without B: nothing reaches a conversion, P = 0, effect 1.
-- Without C: P unchanged, effect 0 (C is in no converting journey).
-- Credits: 1 conversion split 1/2 : 1 -> A 1/3, B 2/3, C 0.
CREATE TABLE journey_mk_small (path text[], conv bigint, nonconv bigint);
INSERT INTO journey_mk_small VALUES
  ('{A,B}', 1, 0), ('{A}', 0, 1), ('{B}', 0, 1), ('{C}', 0, 1);
SELECT cj_markov_attribution(path, conv, nonconv) FROM journey_mk_small;
SELECT * FROM cj_credits_each((SELECT cj_markov_attribution(path, conv, nonconv) FROM journey_mk_small));
-- a repeated channel is a self-loop, which leaves an order-1 chain's answer
-- alone (up to rounding)
SELECT channel, round(credit::numeric, 12) AS credit
FROM cj_credits_each((SELECT cj_markov_attribution(path, conv, nonconv)
  FROM (VALUES ('{A,A,B,B}'::text[], 1::bigint, 0::bigint), ('{A}', 0, 1), ('{B}', 0, 1), ('{C}', 0, 1)) v(path, conv, nonconv)));
-- NULL elements are skipped; rows with a NULL argument or no journeys are ignored
SELECT cj_markov_attribution(path, conv, nonconv)
FROM (VALUES ('{A,NULL,B}'::text[], 1::bigint, 0::bigint), ('{A}', 0, 1), ('{B}', 0, 1),
             ('{C}', 0, 1), (NULL, 5, 5), ('{A}', NULL, 1), ('{B,A}', 0, 0)) v(path, conv, nonconv);
-- A channel in no converting journey gets 0 even when the chain runs through
-- it to a converting state: C > B (0, 1), B (1, 1).  Removing C would halve
-- P(conversion) (start > C > B), but no journey through C converted.
SELECT cj_markov_attribution(path, conv, nonconv)
FROM (VALUES ('{C,B}'::text[], 0::bigint, 1::bigint), ('{B}', 1, 1)) v(path, conv, nonconv);
-- no conversions at all: every credit is 0; no rows: NULL
SELECT cj_markov_attribution(path, 0, 1) FROM journey_mk_small;
SELECT cj_markov_attribution(path, conv, nonconv) FROM journey_mk_small WHERE false;

-- A larger chain checked against an independent computation: the chain is
-- rebuilt in plain SQL from the journeys (states are the last k channels as
-- strings) and P(conversion) found by value iteration h <- Q h + r from 0
-- (monotone, stopped when it no longer moves), once with nothing removed and
-- once per removed channel.
SELECT setseed(0.17);
CREATE TABLE journey_mk_paths AS
SELECT id, path, conv, nonconv FROM (
  SELECT id,
         ARRAY(SELECT (ARRAY['display', 'email', 'search', 'social', 'tv', 'affiliate'])[1 + (random() * 5)::int + 0 * g]
               FROM generate_series(1, 1 + (id * 7919) % 6) g) AS path,
         (random() < 0.3)::int::bigint AS conv
  FROM generate_series(1, 1500) id) s, LATERAL (SELECT 1 - conv AS nonconv) n;
-- a channel seen only in journeys that did not convert
INSERT INTO journey_mk_paths SELECT 100000 + id, ARRAY['email', 'never'], 0, 2 FROM generate_series(1, 20) id;
SELECT count(*) AS journeys, sum(conv) AS conversions,
       (SELECT count(DISTINCT c) FROM journey_mk_paths, unnest(path) c) AS channels
FROM journey_mk_paths;

CREATE FUNCTION journey_mk_pconv(removed text) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
  before float8 := -1;
  after float8 := 0;
  it int := 0;
BEGIN
  UPDATE journey_mk_h SET h = 0;
  WHILE after - before > 1e-16 AND it < 10000 LOOP
    before := after;
    UPDATE journey_mk_h SET h = n.v
    FROM (SELECT e.src, sum(e.p * CASE
            WHEN e.dst = '(conv)' THEN 1
            WHEN e.dst = '(null)' THEN 0
            WHEN removed = ANY (string_to_array(e.dst, '>')) THEN 0
            ELSE coalesce(h.h, 0) END) AS v
          FROM journey_mk_edge e LEFT JOIN journey_mk_h h ON h.state = e.dst
          GROUP BY e.src) n
    WHERE journey_mk_h.state = n.src;
    SELECT sum(h) INTO after FROM journey_mk_h;
    it := it + 1;
  END LOOP;
  RETURN (SELECT h FROM journey_mk_h WHERE state = '');
END $$;

CREATE FUNCTION journey_mk_reference(k int) RETURNS TABLE (channel text, credit float8)
LANGUAGE plpgsql AS $$
DECLARE
  p float8;
BEGIN
  DROP TABLE IF EXISTS journey_mk_edge, journey_mk_h, journey_mk_re;
  CREATE TEMP TABLE journey_mk_edge AS
  WITH steps AS (
    SELECT array_to_string(j.path[greatest(1, s.i - k):s.i - 1], '>') AS src,
           array_to_string(j.path[greatest(1, s.i - k + 1):s.i], '>') AS dst,
           j.conv + j.nonconv AS w
    FROM journey_mk_paths j, generate_series(1, cardinality(j.path)) s(i)
    UNION ALL
    SELECT array_to_string(j.path[greatest(1, cardinality(j.path) - k + 1):cardinality(j.path)], '>'),
           e.dst, e.w
    FROM journey_mk_paths j,
         LATERAL (VALUES ('(conv)', j.conv), ('(null)', j.nonconv)) e(dst, w)
    WHERE e.w > 0),
  counts AS (SELECT src, dst, sum(w) AS w FROM steps GROUP BY src, dst)
  SELECT src, dst, w::float8 / sum(w) OVER (PARTITION BY src) AS p FROM counts;
  CREATE TEMP TABLE journey_mk_h AS SELECT DISTINCT src AS state, 0::float8 AS h FROM journey_mk_edge;
  p := journey_mk_pconv(NULL);
  CREATE TEMP TABLE journey_mk_re AS
  SELECT c.channel,
         CASE WHEN c.converting > 0 THEN 1 - journey_mk_pconv(c.channel) / p ELSE 0 END AS re
  FROM (SELECT u.c AS channel, sum(j.conv) AS converting
        FROM journey_mk_paths j, LATERAL (SELECT DISTINCT x AS c FROM unnest(j.path) x) u
        GROUP BY u.c) c;
  RETURN QUERY
  SELECT r.channel, (SELECT sum(conv) FROM journey_mk_paths)::float8 * r.re / sum(r.re) OVER ()
  FROM journey_mk_re r;
END $$;

SET client_min_messages = warning;
CREATE TABLE journey_mk_check (k int, channel text, ext float8, ref float8);
INSERT INTO journey_mk_check
SELECT k, e.channel, e.credit, r.credit
FROM generate_series(1, 3) k,
     LATERAL (SELECT * FROM cj_credits_each((SELECT cj_markov_attribution(path, conv, nonconv, k)
                                            FROM journey_mk_paths))) e
     JOIN LATERAL journey_mk_reference(k) r USING (channel);
RESET client_min_messages;
SELECT k, channel, round(ext::numeric, 6) AS credit, abs(ext - ref) < 1e-9 AS matches_reference
FROM journey_mk_check ORDER BY k, channel;
-- credits add up to the conversions, in channel order
SELECT k, (SELECT sum(conv) FROM journey_mk_paths) AS conversions,
       (SELECT sum(credit) FROM cj_credits_each((SELECT cj_markov_attribution(path, conv, nonconv, k)
                                                 FROM journey_mk_paths))) AS total_credit
FROM generate_series(1, 3) k ORDER BY k;
-- order 1 is also the default
SELECT cj_markov_attribution(path, conv, nonconv)::text = cj_markov_attribution(path, conv, nonconv, 1)::text AS same
FROM journey_mk_paths;

-- deterministic, and serial = parallel, bit for bit
CREATE TABLE journey_mk_big AS SELECT j.* FROM journey_mk_paths j, generate_series(1, 20);
ANALYZE journey_mk_big;
CREATE TABLE journey_mk_res (plan text, k int, r text);
INSERT INTO journey_mk_res
SELECT 'serial', k, (SELECT cj_markov_attribution(path, conv, nonconv, k) FROM journey_mk_big)::text
FROM generate_series(1, 2) k;
INSERT INTO journey_mk_res
SELECT 'serial again', k, (SELECT cj_markov_attribution(path, conv, nonconv, k) FROM journey_mk_big)::text
FROM generate_series(1, 2) k;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cj_markov_attribution(path, conv, nonconv, 2) FROM journey_mk_big;
INSERT INTO journey_mk_res
SELECT 'parallel', k, (SELECT cj_markov_attribution(path, conv, nonconv, k) FROM journey_mk_big)::text
FROM generate_series(1, 2) k;
RESET ALL;
SELECT k, count(*) AS runs, count(DISTINCT r) AS distinct_results FROM journey_mk_res GROUP BY k ORDER BY k;
-- 20 copies of every journey give the same credits times 20
SELECT (SELECT round(credit::numeric, 9) FROM cj_credits_each((SELECT cj_markov_attribution(path, conv, nonconv) FROM journey_mk_big)) WHERE channel = 'email') =
       (SELECT round(20 * ext::numeric, 9) FROM journey_mk_check WHERE k = 1 AND channel = 'email') AS scales;
-- partial states with different channel numbering combine
CREATE TABLE journey_mk_p (k int, path text[], conv bigint, nonconv bigint) PARTITION BY LIST (k);
CREATE TABLE journey_mk_p1 PARTITION OF journey_mk_p FOR VALUES IN (1);
CREATE TABLE journey_mk_p2 PARTITION OF journey_mk_p FOR VALUES IN (2);
INSERT INTO journey_mk_p VALUES (1, '{C}', 0, 1), (1, '{A,B}', 1, 0), (2, '{B}', 0, 1), (2, '{A}', 0, 1);
SET enable_partitionwise_aggregate = on;
SELECT cj_markov_attribution(path, conv, nonconv) FROM journey_mk_p;
RESET enable_partitionwise_aggregate;

-- the state type: text and binary round trips
SELECT cj_markov_trans(cj_markov_trans(NULL, '{B,A}', 2, 1), '{A}', 0, 1) AS state;
SELECT cj_markov_trans(NULL, '{B,A,A}', 2, 1, 3) AS order3;
SELECT '{order=1; "A"=2, "B"=2; 0>1=1, 0>2=3, 1>null=2, 1>conv=2, 2>1=3}'::cj_transitions::text;
SELECT cj_markov_final('{order=1; "A"=1, "B"=1, "C"=0; 0>1=2, 0>2=1, 0>3=1, 1>null=1, 1>2=1, 2>null=1, 2>conv=1, 3>null=1}');
CREATE TABLE journey_mk_bin (s cj_transitions);
INSERT INTO journey_mk_bin SELECT cj_markov_trans(NULL, '{B,A,A}', 2, 1, k) FROM generate_series(1, 3) k;
\copy journey_mk_bin TO 'results/journey_markov.bin' WITH (FORMAT binary)
CREATE TABLE journey_mk_bin2 (LIKE journey_mk_bin);
\copy journey_mk_bin2 FROM 'results/journey_markov.bin' WITH (FORMAT binary)
SELECT s::text FROM journey_mk_bin2 ORDER BY 1;
-- bad state literals
SELECT '{order=4; "A"=1; 0.0.0.0>1=1}'::cj_transitions;
SELECT '{order=1; "B"=1, "A"=1; 0>1=1}'::cj_transitions;
SELECT '{order=1; "A"=1; 0>2=1}'::cj_transitions;
SELECT '{order=1; "A"=1; 0>conv=1}'::cj_transitions;
SELECT '{order=2; "A"=1; 1.0>1=1}'::cj_transitions;
SELECT '{order=1; "A"=1; 0>1=0}'::cj_transitions;
SELECT '{order=1; "A"=1; 0>1=1, 0>1=2}'::cj_transitions;
SELECT '{order=1; "A"=1; 0>1=1'::cj_transitions;
-- a state whose chain never absorbs is reported, not divided by zero
SELECT cj_markov_final('{order=1; "A"=1; 0>1=1, 1>1=1}');

-- bad arguments
SELECT cj_markov_attribution(path, conv, nonconv, 0) FROM journey_mk_small;
SELECT cj_markov_attribution(path, conv, nonconv, 4) FROM journey_mk_small;
SELECT cj_markov_attribution(path, -1, nonconv) FROM journey_mk_small;
SELECT cj_markov_attribution('{}', 1, 0);
SELECT cj_markov_attribution('{NULL}', 1, 0);
SELECT cj_markov_attribution('{{A,B},{C,D}}', 1, 0);
SELECT cj_markov_attribution(ARRAY[''], 1, 0);
SELECT cj_markov_attribution(ARRAY[repeat('x', 256)], 1, 0);
SELECT cj_markov_attribution(path, conv, nonconv, k)
FROM (VALUES ('{A}'::text[], 1::bigint, 0::bigint, 1), ('{B}', 1, 0, 2)) v(path, conv, nonconv, k);
SELECT cj_markov_attribution(path, conv, nonconv)
FROM (VALUES ('{A}'::text[], 9223372036854775807::bigint, 0::bigint), ('{A}', 1, 0)) v(path, conv, nonconv);
