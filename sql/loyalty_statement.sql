-- Statements, expiring points, liability and transfer lots.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';

CREATE TABLE loyalty_st (id int, l cj_points_ledger);
INSERT INTO loyalty_st VALUES (1,
  'earn 100 at 2024-01-01T00:00:00Z expires 2024-06-01T00:00:00Z ref "a"; '
  'earn 50 at 2024-02-01T00:00:00Z available 2024-03-01T00:00:00Z expires 2024-04-01T00:00:00Z ref "b"; '
  'redeem 120 at 2024-02-10T00:00:00Z; reverse 30 at 2024-05-01T00:00:00Z ref "a"; '
  'transfer_in 10 at 2024-05-02T00:00:00Z expires 2024-07-01T00:00:00Z ref "t1"; '
  'transfer_out 5 at 2024-05-03T00:00:00Z ref "t2"'),
 (2,
  'earn 100 at 2024-01-01T00:00:00Z expires 2024-06-01T00:00:00Z ref "a"; '
  'earn 40 at 2024-01-10T00:00:00Z expires 2024-06-01T00:00:00Z ref "c"; '
  'earn 50 at 2024-02-01T00:00:00Z available 2024-03-01T00:00:00Z expires 2024-09-01T00:00:00Z ref "b"; '
  'adjust 7 at 2024-02-02T00:00:00Z; redeem 30 at 2024-02-10T00:00:00Z; '
  'transfer_in 10 at 2024-05-02T00:00:00Z expires 2024-07-01T00:00:00Z ref "t1"');

-- redeem 120 leaves a debt of 20 that the pending lot pays on becoming
-- available; the rest of that lot expires; the reverse of spent points is
-- debt again, part paid by the transfer in
SELECT * FROM cj_points_statement((SELECT l FROM loyalty_st WHERE id = 1), '2024-01-15', '2024-12-31');
SELECT * FROM cj_points_statement((SELECT l FROM loyalty_st WHERE id = 2), '2024-01-05', '2024-08-01');
-- opening and closing rows are cj_points_balance at from and to; every row
-- keeps available + pending - negative = previous + change, and a
-- movement's change is its points except a reverse's expired part
SELECT id, f, t,
       bool_and(s.available_after = b0.available AND s.pending_after = b0.pending
                AND s.negative_after = b0.negative) FILTER (WHERE s.kind = 'opening') AS opening_ok,
       bool_and(s.available_after = b1.available AND s.pending_after = b1.pending
                AND s.negative_after = b1.negative) FILTER (WHERE s.kind = 'closing') AS closing_ok
  FROM loyalty_st,
       (VALUES (timestamptz '2023-12-01', timestamptz '2025-01-01'), ('2024-02-10', '2024-03-01'),
               ('2024-04-01', '2024-04-01'), ('2024-06-01', '2024-07-01')) v(f, t),
       cj_points_balance(l, f) b0, cj_points_balance(l, t) b1,
       cj_points_statement(l, f, t) s
 GROUP BY id, f, t ORDER BY id, f;
SELECT id, count(*) AS rows,
       bool_and(net = prev_net + coalesce(change, 0)) AS identity,
       bool_and(change = points OR kind IN ('available', 'reverse', 'opening', 'closing')) AS change_is_points,
       bool_and((kind = 'available') = (change = 0 AND points > 0) OR kind IN ('opening', 'closing')) AS availability_moves_nothing
  FROM (SELECT id, s.*, available_after + pending_after - negative_after AS net,
               lag(available_after + pending_after - negative_after, 1, 0::numeric)
                 OVER (PARTITION BY id ORDER BY ord) AS prev_net
          FROM loyalty_st, cj_points_statement(l, '2023-01-01', '2025-01-01') WITH ORDINALITY s(at, kind, ref, points, change,
               available_after, pending_after, negative_after, note, ord)) x
 GROUP BY id ORDER BY id;

-- expiring: after as_of, up to as_of + within, one row per time
SELECT * FROM cj_points_expiring((SELECT l FROM loyalty_st WHERE id = 2), '2024-02-15', '1 year');
SELECT * FROM cj_points_expiring((SELECT l FROM loyalty_st WHERE id = 2), '2024-02-15', '3 months 17 days');
SELECT * FROM cj_points_expiring((SELECT l FROM loyalty_st WHERE id = 2), '2024-06-01', '1 year');
SELECT cj_points_expiring_total(l, '2024-02-15', '1 year') FROM loyalty_st ORDER BY id;
-- liability: months of the session's time zone
SELECT * FROM cj_points_liability((SELECT l FROM loyalty_st WHERE id = 2), '2024-02-15', '8 months');
SET TimeZone = 'America/New_York';
SELECT * FROM cj_points_liability((SELECT l FROM loyalty_st WHERE id = 2), '2024-05-15', '1 month');
-- the last month ends at as_of + horizon for both columns: a lot expiring
-- later in that month is still outstanding there, not expiring
SELECT * FROM cj_points_liability('earn 100 at 2024-01-10T00:00:00Z expires 2024-06-28T00:00:00Z ref "a"'::cj_points_ledger,
                                  '2024-04-10', '2 months 15 days');
SELECT * FROM cj_points_liability('earn 100 at 2024-01-10T00:00:00Z expires 2024-06-28T00:00:00Z ref "a"'::cj_points_ledger,
                                  '2024-04-10', '2 months 18 days');
SET TimeZone = 'UTC';
-- summed across members
SELECT month, sum(expiring) AS expiring, sum(outstanding) AS outstanding
  FROM loyalty_st, cj_points_liability(l, '2024-02-15', '6 months') GROUP BY month ORDER BY month;

-- transfer lots: soonest expiry first, equal expiries merged
SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 100, '2024-03-15');
SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 167, '2024-03-15');
SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 0.5, '2024-05-15');

-- errors
CREATE FUNCTION loyalty_st_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q, loyalty_st_err(q) FROM (VALUES
  ($$SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 168, '2024-03-15')$$),
  ($$SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 0, '2024-03-15')$$),
  ($$SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 0.0000001, '2024-03-15')$$),
  ($$SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 'NaN', '2024-03-15')$$),
  ($$SELECT * FROM cj_points_transfer_lots((SELECT l FROM loyalty_st WHERE id = 2), 1, 'infinity')$$),
  ($$SELECT * FROM cj_points_statement((SELECT l FROM loyalty_st WHERE id = 2), '2024-03-15', '2024-03-14')$$),
  ($$SELECT * FROM cj_points_statement((SELECT l FROM loyalty_st WHERE id = 2), '-infinity', '2024-03-14')$$),
  ($$SELECT * FROM cj_points_expiring((SELECT l FROM loyalty_st WHERE id = 2), '2024-03-15', '-1 day')$$),
  ($$SELECT * FROM cj_points_expiring((SELECT l FROM loyalty_st WHERE id = 2), '2024-03-15', '1000000 years')$$),
  ($$SELECT * FROM cj_points_liability((SELECT l FROM loyalty_st WHERE id = 2), '2024-03-15', '-1 month')$$),
  ($$SELECT 'transfer_out 5 at 2024-01-01T00:00:00Z expires 2025-01-01T00:00:00Z'::cj_points_ledger$$),
  ($$SELECT 'transfer_in -5 at 2024-01-01T00:00:00Z'::cj_points_ledger$$),
  ($$SELECT 'transfer 5 at 2024-01-01T00:00:00Z'::cj_points_ledger$$)
) v(q);

-- transfers in the text form and through the aggregate; a transfer_in is
-- a credit (replayed before a reverse and debits at the same instant)
SELECT cj_points_ledger(k, p, t, e, NULL, r)::text
  FROM (VALUES ('transfer_out', 5, timestamptz '2024-01-01', NULL::timestamptz, 'x'),
               ('transfer_in', 5, '2024-01-01', '2024-03-01', 'y'),
               ('reverse', 1, '2024-01-01', NULL, 'y')) v(k, p, t, e, r);
SELECT (cj_points_balance('transfer_in 5 at 2024-01-01T00:00:00Z ref "y"; transfer_out 3 at 2024-01-01T00:00:00Z ref "x"; reverse 1 at 2024-01-01T00:00:00Z ref "y"', '2024-02-01')).*;

-- the aggregate form: the same sums in one value, serial or parallel
SELECT cj_points_liability_sum(l, '2024-02-15', '6 months') FROM loyalty_st;
SELECT * FROM cj_liability_months((SELECT cj_points_liability_sum(l, '2024-02-15', '6 months') FROM loyalty_st));
SELECT (SELECT array_agg(m ORDER BY m.month) FROM cj_liability_months(
          (SELECT cj_points_liability_sum(l, '2024-02-15', '6 months') FROM loyalty_st)) m)::text
     = (SELECT array_agg(row(month, expiring, outstanding) ORDER BY month)::text FROM (
          SELECT month, sum(expiring) AS expiring, sum(outstanding) AS outstanding
            FROM loyalty_st, cj_points_liability(l, '2024-02-15', '6 months') GROUP BY month) s) AS sum_of_members;
-- many members in a parallel plan
CREATE TABLE loyalty_st_many AS SELECT g AS id, l FROM loyalty_st, generate_series(1, 2000) g WHERE id = 2;
ANALYZE loyalty_st_many;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT cj_points_liability_sum(l, '2024-02-15', '3 months') FROM loyalty_st_many;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT 'x'::text AS label, '2024-01: 0/100; 2024-02: 30.5/70'::cj_liability::text AS round_trip;
SELECT q, loyalty_st_err(q) FROM (VALUES
  ($$SELECT cj_points_liability_sum(l, a, '1 month') FROM loyalty_st, (VALUES (timestamptz '2024-01-01'), ('2024-03-01')) v(a)$$),
  ($$SELECT '2024-01: 0/100; 2024-03: 1/1'::cj_liability$$),
  ($$SELECT '2024-13: 0/100'::cj_liability$$),
  ($$SELECT '2024-01: -1/100'::cj_liability$$),
  ($$SELECT ''::cj_liability$$),
  ($$SELECT cj_liability_sfunc(NULL, l, now(), '1 month') FROM loyalty_st$$),
  ($$SELECT * FROM cj_points_liability((SELECT l FROM loyalty_st WHERE id = 2), '2024-03-15', '101 years')$$),
  ($$SELECT cj_points_liability_sum(l, '9999-12-15', '1 month') FROM loyalty_st$$),
  ($$SELECT cj_points_liability_sum(l, '0001-06-15 BC', '1 month') FROM loyalty_st$$)
) v(q);
-- months of BC years (year 0 is 1 BC): the set-returning form dates them
SELECT month, expiring, outstanding FROM cj_points_liability(
  (SELECT cj_points_ledger('earn', 100, '0100-01-01 BC', NULL, NULL, 'a')), '0002-01-15 BC', '2 months');
SELECT month FROM cj_points_liability(
  (SELECT cj_points_ledger('earn', 100, '0100-01-01 BC', NULL, NULL, 'a')), '0001-11-15 BC', '3 months');

-- hostile aggregates built by an ordinary role from the support functions:
-- mismatched, truncated or foreign states are refused with an error
CREATE ROLE regress_loyalty_plain;
GRANT SELECT ON loyalty_st TO regress_loyalty_plain;
GRANT EXECUTE ON FUNCTION loyalty_st_err(text) TO regress_loyalty_plain;
SET ROLE regress_loyalty_plain;
CREATE AGGREGATE pg_temp.h1(cj_points_ledger, timestamptz, interval) (
  sfunc = cj_liability_sfunc, stype = cj_liability, initcond = '2024-01: 5/5');
CREATE AGGREGATE pg_temp.h2(cj_liability) (sfunc = cj_liability_combine, stype = cj_liability,
  initcond = '2023-01: 0/0; 2023-02: 0/0');
CREATE AGGREGATE pg_temp.h3(cj_liability) (sfunc = cj_liability_combine, stype = cj_liability);
CREATE AGGREGATE pg_temp.h4(cj_points_ledger, timestamptz, interval) (
  sfunc = cj_liability_sfunc, stype = cj_liability, combinefunc = cj_liability_combine,
  initcond = '2024-02: 1/1; 2024-03: 1/1');
SELECT q, loyalty_st_err(q) FROM (VALUES
  ($$SELECT pg_temp.h1(l, '2024-02-15', '6 months') FROM loyalty_st$$),
  ($$SELECT pg_temp.h2('2024-01: 1/1'::cj_liability)$$),
  ($$SELECT pg_temp.h3(v) FROM (VALUES ('2024-01: 1/1'::cj_liability), ('2024-01: 2/2; 2024-02: 1/1')) x(v)$$),
  ($$SELECT pg_temp.h3(v) FROM (VALUES ('2024-01: 9223372036854/1'::cj_liability), ('2024-01: 1/1')) x(v)$$),
  ($$SELECT pg_temp.h4(l, '2024-02-15', '1 month') FROM loyalty_st$$),
  ($$SELECT cj_liability_combine('2024-01: 1/1', '2024-01: 1/1')$$),
  ($$SELECT cj_liability_months(cj_liability_recv(NULL))$$),
  ($$SELECT cj_liability_out(('\x0100' || repeat('0', 30))::bytea::text::cj_liability)$$)
) v(q);
RESET ROLE;
DROP OWNED BY regress_loyalty_plain;
DROP ROLE regress_loyalty_plain;

-- a reverse of points that had already expired changes no balance
SELECT * FROM cj_points_statement('earn 10 at 2024-01-01T00:00:00Z expires 2024-02-01T00:00:00Z ref "a"; '
                                  'earn 5 at 2024-01-02T00:00:00Z ref "b"; redeem 4 at 2024-01-03T00:00:00Z; '
                                  'reverse 10 at 2024-03-01T00:00:00Z ref "a"', '2024-01-01', '2024-04-01');

-- a transfer and its reversal (doc/loyalty.md): the receiver's lots keep
-- the sender's expiry dates; reversing gives the sender back the same lots
CREATE TABLE loyalty_tr (member text, kind text, points numeric, occurred_at timestamptz,
                         expires_at timestamptz, ref text);
INSERT INTO loyalty_tr VALUES
  ('s', 'earn', 30, '2024-01-01', '2024-12-01', 'e1'),
  ('s', 'earn', 50, '2024-01-02', '2024-06-01', 'e2'),
  ('s', 'earn', 20, '2024-01-03', NULL, 'e3'),
  ('r', 'earn', 5, '2024-01-01', '2024-03-01', 'r1');
CREATE FUNCTION loyalty_tr_ledger(m text) RETURNS cj_points_ledger LANGUAGE sql AS $$
  SELECT cj_points_ledger(kind, points, occurred_at, expires_at, NULL, ref) FROM loyalty_tr WHERE member = m $$;
-- transfer 70 on 2024-02-01: 50 expiring 2024-06-01, then 20 expiring 2024-12-01
INSERT INTO loyalty_tr SELECT 'r', 'transfer_in', s.points, '2024-02-01', s.expires_at, 'tr1'
  FROM cj_points_transfer_lots(loyalty_tr_ledger('s'), 70, '2024-02-01') s;
INSERT INTO loyalty_tr VALUES ('s', 'transfer_out', 70, '2024-02-01', NULL, 'tr1');
SELECT member, kind, points, expires_at FROM loyalty_tr WHERE ref = 'tr1' ORDER BY member, expires_at;
SELECT m, (cj_points_balance(loyalty_tr_ledger(m), '2024-02-02')).available,
       (SELECT string_agg(e.expires_at::date || ':' || e.points, ', ' ORDER BY e.expires_at) FROM cj_points_expiring(loyalty_tr_ledger(m), '2024-02-02', '1 year') e) AS expiring
  FROM unnest(ARRAY['s', 'r']) m;
-- reversal on 2024-03-15: the receiver's reverse takes the transferred lots
-- back; the sender gets transfer_in lots with the same expiry dates
INSERT INTO loyalty_tr SELECT 'r', 'reverse', sum(points), '2024-03-15', NULL, 'tr1'
  FROM loyalty_tr WHERE member = 'r' AND kind = 'transfer_in' AND ref = 'tr1';
INSERT INTO loyalty_tr SELECT 's', 'transfer_in', points, '2024-03-15', expires_at, 'tr1/back'
  FROM loyalty_tr WHERE member = 'r' AND kind = 'transfer_in' AND ref = 'tr1'
   AND coalesce(expires_at, 'infinity') > '2024-03-15';
-- both members are back where they would be without the transfer
SELECT m, (cj_points_balance(loyalty_tr_ledger(m), '2024-03-16')).available,
       (SELECT string_agg(e.expires_at::date || ':' || e.points, ', ' ORDER BY e.expires_at) FROM cj_points_expiring(loyalty_tr_ledger(m), '2024-03-16', '1 year') e) AS expiring
  FROM unnest(ARRAY['s', 'r']) m;

-- amounts are built straight in numeric's stored form: each must be the
-- value numeric_in gives for its shortest text, byte for byte (same text,
-- same stored size once both are in a table)
CREATE TEMP TABLE num_cases AS
WITH v(i, p) AS (
  SELECT row_number() OVER (), p FROM (VALUES (0.000001), (0.00001), (0.0001), (0.001), (0.01), (0.1), (0.5), (1), (9.99),
     (10), (100.01), (9999.9999), (10000), (10000.000001), (12345.6789), (99990000), (100000000.000001),
     (123456789.123456), (4611686018427.387904), (-7), (-0.000001), (-10000.5), (-4611686018427.387903)) x(p)),
     l AS (SELECT cj_points_ledger('adjust', p, timestamptz '2024-01-01' + i * interval '1 day', NULL) AS l FROM v)
SELECT v.p, s.points, trim_scale(v.p) AS want,
       s.available_after AS running, trim_scale(s.available_after::text::numeric) AS running_want
  FROM l, cj_points_statement(l, '2023-12-31', '2025-01-01') s
  JOIN v ON s.at = timestamptz '2024-01-01' + v.i * interval '1 day'
 WHERE s.kind = 'adjust';
SELECT count(*) AS amounts,
       bool_and(points = p AND points::text = want::text
                AND pg_column_size(points) = pg_column_size(want)) AS points_exact,
       bool_and(running::text = running_want::text
                AND pg_column_size(running) = pg_column_size(running_want)) AS running_exact
  FROM num_cases;
