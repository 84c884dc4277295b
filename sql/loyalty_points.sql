-- Points ledger: cj_points, cj_points_ledger, cj_points_balance, cj_points_schedule.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';

CREATE TABLE loyalty_pt (member text, kind text, points numeric, occurred_at timestamptz,
                         expires_at timestamptz, available_at timestamptz, ref text);
INSERT INTO loyalty_pt VALUES
-- A: partial redemptions across several lots; the lot expiring first is used first
('A', 'earn',   100, '2024-01-01', '2025-01-01', NULL, 'a1'),
('A', 'earn',    50, '2024-02-01', '2024-06-01', NULL, 'a2'),
('A', 'earn',    80, '2024-03-01', NULL,         NULL, 'a3'),
('A', 'redeem',  70, '2024-04-01', NULL,         NULL, NULL),   -- 50 from a2, 20 from a1
('A', 'redeem',  90, '2024-05-01', NULL,         NULL, NULL),   -- 80 from a1, 10 from a3
-- B: a lot expiring after being partly used
('B', 'earn',   100, '2024-01-01', '2024-03-01', NULL, 'b1'),
('B', 'redeem',  30, '2024-02-01', NULL,         NULL, NULL),   -- 70 left, expires 2024-03-01
('B', 'earn',    10, '2024-02-15', NULL,         NULL, 'b2'),
-- C: an earn reversed before being spent
('C', 'earn',   100, '2024-01-01', NULL,         NULL, 'c1'),
('C', 'earn',    40, '2024-01-02', NULL,         NULL, 'c2'),
('C', 'reverse', 100, '2024-01-10', NULL,        NULL, 'c1'),
-- D: an earn reversed after being spent: the balance goes negative, later earns pay it
('D', 'earn',   100, '2024-01-01', NULL,         NULL, 'd1'),
('D', 'redeem', 100, '2024-01-05', NULL,         NULL, NULL),
('D', 'reverse', 100, '2024-01-10', NULL,        NULL, 'd1'),   -- negative 100
('D', 'earn',    30, '2024-02-01', NULL,         NULL, 'd2'),   -- negative 70
('D', 'earn',   200, '2024-03-01', NULL, '2024-03-15',  'd3'),  -- pending until 03-15, then pays 70
-- E: pending points becoming available, and a redemption beyond the balance
('E', 'earn',    60, '2024-01-01', '2024-12-31', '2024-01-31', 'e1'),
('E', 'earn',    40, '2024-01-01', NULL,         NULL,         'e2'),
('E', 'redeem',  50, '2024-01-15', NULL,         NULL,         NULL), -- 40 available: overdraft 10
('E', 'adjust',  -5, '2024-02-10', NULL,         NULL,         NULL), -- e1 had 50 after paying 10
('E', 'adjust',  15, '2024-02-11', '2024-04-01', NULL,         'goodwill'),
-- F: a partly reversed earn, the reversal split over a lot remainder and expired points
('F', 'earn',   100, '2024-01-01', '2024-02-01', NULL, 'f1'),
('F', 'redeem',  30, '2024-01-15', NULL,         NULL, NULL),
('F', 'reverse', 80, '2024-03-01', NULL,         NULL, 'f1'),   -- 70 expired, 10 spent
('F', 'earn',    25, '2024-03-02', NULL,         NULL, NULL),
-- rows with a NULL kind, points or time are ignored
('A', NULL,      99, '2024-01-01', NULL, NULL, NULL),
('A', 'earn',  NULL, '2024-01-01', NULL, NULL, NULL),
('A', 'earn',    99, NULL,         NULL, NULL, NULL);

CREATE TABLE loyalty_pt_ledgers AS
SELECT member, cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref) AS l
FROM loyalty_pt GROUP BY member;

SELECT member, l FROM loyalty_pt_ledgers ORDER BY member;

-- balances at several times
SELECT member, t::date AS as_of, (cj_points_balance(l, t)).*
FROM loyalty_pt_ledgers,
     unnest('{2024-01-20, 2024-03-01, 2024-03-20, 2025-06-01}'::timestamptz[]) t
ORDER BY member, t;

-- the bookkeeping identity holds everywhere:
-- credits = available + pending + redeemed + expired + reversed + deducted - negative
SELECT member, t::date AS as_of,
       (SELECT coalesce(sum(points), 0) FROM loyalty_pt p
        WHERE p.member = x.member AND kind IN ('earn', 'adjust') AND points > 0 AND occurred_at <= t)
       = b.available + b.pending + b.redeemed + b.expired + b.reversed + b.deducted - b.negative AS balanced
FROM loyalty_pt_ledgers x,
     unnest('{2024-01-20, 2024-03-01, 2024-03-20, 2025-06-01}'::timestamptz[]) t,
     LATERAL cj_points_balance(x.l, t) b
ORDER BY member, t;

-- lots, what is left of each and what expires when
SELECT member, s.*
FROM loyalty_pt_ledgers, LATERAL cj_points_schedule(l, '2024-03-20') s
ORDER BY member, earned_at, ref;

-- cj_points gives the balances as of the transaction start; input order is irrelevant
SELECT member,
       cj_points(kind, points, occurred_at, expires_at, available_at, ref ORDER BY occurred_at DESC)
         = cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref), now())
         AS same
FROM loyalty_pt GROUP BY member ORDER BY member;
SELECT (cj_points(kind, points, occurred_at, expires_at)).available AS four_args,
       (cj_points(kind, points, occurred_at, expires_at, available_at)).available AS five_args
FROM loyalty_pt WHERE member = 'A';
SELECT cj_points(kind, points, occurred_at, expires_at) IS NULL AS empty_is_null
FROM loyalty_pt WHERE false;

-- text round trip is exact, binary COPY round trip too
SELECT member, l::text::cj_points_ledger::text = l::text AS text_round_trip
FROM loyalty_pt_ledgers ORDER BY member;
\copy loyalty_pt_ledgers TO 'results/loyalty_pt_ledgers.bin' WITH (FORMAT binary)
CREATE TABLE loyalty_pt_ledgers2 (LIKE loyalty_pt_ledgers);
\copy loyalty_pt_ledgers2 FROM 'results/loyalty_pt_ledgers.bin' WITH (FORMAT binary)
SELECT a.member, a.l::text = b.l::text AS binary_round_trip
FROM loyalty_pt_ledgers a JOIN loyalty_pt_ledgers2 b USING (member) ORDER BY member;
SELECT 'earn 1.5 at 2024-01-01T10:00:00.25Z available 2024-01-02T00:00:00Z expires 2024-02-01T00:00:00Z ref "x;\"y\\"; adjust -0.5 at 2024-01-03T00:00:00Z'::cj_points_ledger;

-- bad movements and literals
SELECT q, loyalty_err(q) AS error FROM (VALUES
  ($$SELECT cj_points('spend', 10, now(), NULL)$$),
  ($$SELECT cj_points('earn', -10, now(), NULL)$$),
  ($$SELECT cj_points('redeem', 0, now(), NULL)$$),
  ($$SELECT cj_points('adjust', 0, now(), NULL)$$),
  ($$SELECT cj_points('earn', 'NaN', now(), NULL)$$),
  ($$SELECT cj_points('earn', 1.0000001, now(), NULL)$$),
  ($$SELECT cj_points('earn', 1e13, now(), NULL)$$),
  ($$SELECT cj_points('earn', 10, '2024-01-02', '2024-01-01')$$),
  ($$SELECT cj_points('earn', 10, '2024-01-02', '2024-02-01', '2024-03-01')$$),
  ($$SELECT cj_points('earn', 10, '2024-01-02', NULL, '2024-01-01')$$),
  ($$SELECT cj_points('earn', 10, '-infinity', NULL)$$),
  ($$SELECT cj_points('reverse', 10, now(), NULL, NULL, NULL)$$),
  ($$SELECT cj_points('earn', 10, now(), NULL, NULL, repeat('r', 256))$$),
  ($$SELECT cj_points_balance('reverse 5 at 2024-01-01T00:00:00Z ref "nope"', now())$$),
  ($$SELECT cj_points_balance('earn 5 at 2024-01-01T00:00:00Z ref "a"; reverse 3 at 2024-01-02T00:00:00Z ref "a"; reverse 3 at 2024-01-03T00:00:00Z ref "a"', now())$$),
  ($$SELECT cj_points_balance('earn 5 at 2024-01-01T00:00:00Z', 'infinity')$$),
  ($$SELECT * FROM cj_points_schedule('earn 5 at 2024-01-01T00:00:00Z', '-infinity')$$),
  ($$SELECT * FROM cj_points_schedule('earn 5 at 2024-01-01T00:00:00Z ref "a"; reverse 6 at 2024-01-02T00:00:00Z ref "a"', now())$$),
  ($$SELECT cj_points_ledger('refund', 5, now(), NULL)$$),
  ($$SELECT ''::cj_points_ledger$$),
  ($$SELECT 'earn 5'::cj_points_ledger$$),
  ($$SELECT 'earn 5 at 2024-01-01T00:00:00Z;'::cj_points_ledger$$),
  ($$SELECT 'earn 5 at 2024-01-01T00:00:00Z ref "a'::cj_points_ledger$$),
  ($$SELECT 'earn 5 at 2024-02-30T00:00:00Z'::cj_points_ledger$$),
  ($$SELECT 'redeem 5 at 2024-01-01T00:00:00Z expires 2025-01-01T00:00:00Z'::cj_points_ledger$$),
  ($$SELECT 'earn 5 at 2024-01-01T00:00:00Z junk'::cj_points_ledger$$)) v(q);
-- redeem and reverse ignore expires_at and available_at
SELECT cj_points_ledger('redeem', 5, '2024-01-01', '2023-01-01', '2020-01-01')::text AS ignored_times;

-- parallel partial aggregation gives the serial result
CREATE TABLE loyalty_pt_big AS
SELECT g % 500 AS member,
       (ARRAY['earn', 'earn', 'earn', 'redeem', 'adjust'])[1 + (g * 7) % 5] AS kind,
       1 + (g * 13) % 97 AS points,
       timestamptz '2024-01-01' + (g % 1000) * interval '1 hour' AS occurred_at,
       CASE WHEN g % 3 = 0 THEN timestamptz '2024-01-01' + (g % 1000 + 500) * interval '1 hour' END AS expires_at
FROM generate_series(1, 20000) g;
ANALYZE loyalty_pt_big;
CREATE TABLE loyalty_pt_serial AS
SELECT member, cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at), '2024-03-01') AS b
FROM loyalty_pt_big GROUP BY member;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT member, cj_points_ledger(kind, points, occurred_at, expires_at) FROM loyalty_pt_big GROUP BY member;
SELECT count(*) AS members, count(*) FILTER (WHERE s.b = p.b) AS same
FROM loyalty_pt_serial s
JOIN (SELECT member, cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at), '2024-03-01') AS b
      FROM loyalty_pt_big GROUP BY member) p USING (member);
EXPLAIN (COSTS OFF)
SELECT cj_points(kind, points, occurred_at, expires_at) FROM loyalty_pt_big;
SELECT (SELECT cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at), '2024-03-01')
        FROM loyalty_pt_big) AS parallel_all;
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT (SELECT cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at), '2024-03-01')
        FROM loyalty_pt_big) AS serial_all;
