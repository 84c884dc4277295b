-- Replay cost and reversals of several lots under one ref.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';

-- 40,000 earn/reverse pairs under one ref.  The replay is O(n log n): it
-- takes well under a second (a replay that rescans the ref's lots for every
-- reverse, O(n^2), takes several seconds and trips the timeout).
SET statement_timeout = '3s';
WITH m AS (
  SELECT 'earn' AS kind, 1::numeric AS pts,
         timestamptz '2024-01-01' + g * interval '1 second' AS at, 'order-1' AS ref
    FROM generate_series(1, 40000) g
  UNION ALL
  SELECT 'reverse', 1, timestamptz '2024-01-01' + g * interval '1 second' + interval '0.5 second', 'order-1'
    FROM generate_series(1, 40000) g)
SELECT b.available, b.reversed, b.negative
  FROM (SELECT cj_points_ledger(kind, pts, at, NULL, NULL, ref) AS l FROM m) s,
       cj_points_balance(s.l, '2025-01-01') b;
-- the same with every reverse taking back a point and a half (the reverse
-- spans two lots), 20,000 earns of 3 and 40,000 reverses of 1.5
WITH m AS (
  SELECT 'earn' AS kind, 3::numeric AS pts,
         timestamptz '2024-01-01' + g * interval '1 second' AS at, 'order-2' AS ref
    FROM generate_series(1, 20000) g
  UNION ALL
  SELECT 'reverse', 1.5, timestamptz '2024-01-01' + g * interval '0.5 second' + interval '0.75 second', 'order-2'
    FROM generate_series(1, 40000) g)
SELECT b.available, b.reversed, b.negative
  FROM (SELECT cj_points_ledger(kind, pts, at, NULL, NULL, ref) AS l FROM m) s,
       cj_points_balance(s.l, '2025-01-01') b;
-- one reverse taking back all 40,000 lots at once
WITH m AS (
  SELECT 'earn' AS kind, 1::numeric AS pts,
         timestamptz '2024-01-01' + g * interval '1 second' AS at, 'order-3' AS ref
    FROM generate_series(1, 40000) g
  UNION ALL
  SELECT 'reverse', 39999.5, timestamptz '2024-02-01', 'order-3')
SELECT b.available, b.reversed, b.negative
  FROM (SELECT cj_points_ledger(kind, pts, at, NULL, NULL, ref) AS l FROM m) s,
       cj_points_balance(s.l, '2025-01-01') b;
RESET statement_timeout;

-- Several lots under one ref are taken back in creation order, each reverse
-- starting where the last one stopped; later lots under the ref are only
-- reached once the earlier ones are fully reversed.
SELECT ref, earned_at, points, remaining, spent, reversed, status
  FROM cj_points_schedule(
    'earn 10 at 2024-01-01T00:00:00Z ref "x"; earn 20 at 2024-01-02T00:00:00Z ref "x"; '
    'earn 5 at 2024-01-02T12:00:00Z ref "y"; '
    'reverse 4 at 2024-01-03T00:00:00Z ref "x"; reverse 6 at 2024-01-04T00:00:00Z ref "x"; '
    'earn 30 at 2024-01-05T00:00:00Z ref "x"; reverse 25 at 2024-01-06T00:00:00Z ref "x"; '
    'reverse 5 at 2024-01-07T00:00:00Z ref "y"', '2024-02-01');
-- a reverse before a later lot of its ref exists cannot reach that lot
SELECT cj_points_balance(
    'earn 10 at 2024-01-01T00:00:00Z ref "x"; reverse 4 at 2024-01-03T00:00:00Z ref "x"; '
    'reverse 7 at 2024-01-04T00:00:00Z ref "x"; earn 30 at 2024-01-05T00:00:00Z ref "x"', '2024-02-01');
-- ... but once it exists it can (the replay stops at as_of: the third lot
-- is not born yet at 2024-01-04T12:00)
SELECT (cj_points_balance(
    'earn 10 at 2024-01-01T00:00:00Z ref "x"; reverse 10 at 2024-01-03T00:00:00Z ref "x"; '
    'earn 30 at 2024-01-05T00:00:00Z ref "x"; reverse 30 at 2024-01-06T00:00:00Z ref "x"', a)).*
  FROM (VALUES (timestamptz '2024-01-04 12:00'), ('2024-01-06')) v(a);
-- a reverse past what remains under a ref after earlier reverses fails
SELECT cj_points_balance(
    'earn 10 at 2024-01-01T00:00:00Z ref "x"; earn 10 at 2024-01-02T00:00:00Z ref "x"; '
    'reverse 15 at 2024-01-03T00:00:00Z ref "x"; reverse 6 at 2024-01-04T00:00:00Z ref "x"', '2024-02-01');
