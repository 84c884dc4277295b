#!/usr/bin/env bash
# Benchmark of the member-facing loyalty functions, each as a ratio to a
# baseline timed in the same run on the same table:
#   statement: cj_points_statement over a year for MEMBERS members from
#              MOVES movements (default 1,000,000 / 10,000,000), every row
#              returned, versus cj_points_balance of the same ledgers
#              (the benchmark of test/bench/loyalty.sh); target <= 1.5;
#              beside it the floor of any statement: the balance plus nine
#              bare rows a member through a set-returning function;
#   earn:      cj_earn(amount, rule, tier) over ROWS amounts (default
#              10,000,000) versus a bare numeric multiplication of the same
#              amounts; target <= 1.5.
# Prints the best of REPS runs of each and the ratios.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at; the script starts its own throw-away
# cluster (test/bench/bench_lib.sh), serial plans only.
#
#   test/bench/loyalty2.sh                                              # full size
#   MEMBERS=100000 MOVES=1000000 ROWS=1000000 test/bench/loyalty2.sh   # quick
set -eu

MEMBERS=${MEMBERS:-1000000}
MOVES=${MOVES:-10000000}
ROWS=${ROWS:-10000000}
REPS=${REPS:-3}
PG_CONFIG=${PG_CONFIG:-pg_config}
. "$(dirname "$0")/../bench_lib.sh"

echo "loading $MOVES movements of $MEMBERS members and $ROWS amounts ..."
psql <<SQL
SELECT setseed(0.42) AS seed \gset
-- 60% earns (half expiring after a year, a fifth pending for 30 days),
-- 25% redemptions, 5% adjustments, 5% transfers in and 5% out
CREATE TABLE bench_pts AS
SELECT (random() * ($MEMBERS - 1))::int + 1 AS member, k AS kind,
       CASE WHEN k IN ('redeem', 'transfer_out') THEN 1 + (random() * 40)::int ELSE 1 + (random() * 100)::int END::numeric AS points,
       at AS occurred_at,
       CASE WHEN k IN ('earn', 'transfer_in') AND random() < 0.5 THEN at + interval '365 days' END AS expires_at,
       CASE WHEN k = 'earn' AND random() < 0.2 THEN at + interval '30 days' END AS available_at
FROM (SELECT CASE WHEN r < 0.60 THEN 'earn' WHEN r < 0.85 THEN 'redeem' WHEN r < 0.90 THEN 'adjust'
                  WHEN r < 0.95 THEN 'transfer_in' ELSE 'transfer_out' END AS k,
             '2023-01-01 00:00+00'::timestamptz + (random() * 730 * 86400)::bigint * interval '1 second' AS at
      FROM (SELECT random() AS r FROM generate_series(1, $MOVES)) g) s;
CREATE TABLE bench_ledgers AS
SELECT member, cj_points_ledger(kind, points, occurred_at, expires_at, available_at) AS l
  FROM bench_pts GROUP BY member;
CREATE TABLE bench_amt AS
SELECT round((random() * 500)::numeric, 2) AS a, (ARRAY['member', 'silver', 'gold'])[1 + g % 3] AS tier
  FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE bench_ledgers;
VACUUM ANALYZE bench_amt;

CREATE FUNCTION bench_ms(q text) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
    t0 timestamptz := clock_timestamp();
    dummy text;
BEGIN
    EXECUTE q INTO dummy;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END \$\$;
SQL

rule="'1 per 1.00; silver x1.25; gold x1.5; cap 5000; min 10.00; round floor'::cj_earn_rule"
q_stmt="SELECT count(*)::text FROM bench_ledgers, cj_points_statement(l, '2024-01-01', '2025-01-01')"
q_bal="SELECT sum((cj_points_balance(l, '2025-01-01')).available)::text FROM bench_ledgers"
q_earn="SELECT sum(cj_earn(a, $rule, tier))::text FROM bench_amt"
q_mul="SELECT sum(a * 1.25)::text FROM bench_amt"
# the floor of any statement: the balance's replay plus as many bare rows
# per member through a set-returning function, without columns
q_rows="SELECT count(*)::text FROM bench_ledgers, generate_series(1, 9)"
q_scan="SELECT count(*)::text FROM bench_ledgers"

psql -At <<SQL
SELECT 'statement rows per member: ' || round(($q_stmt)::numeric / $MEMBERS, 1);
SELECT CASE WHEN (SELECT sum(cj_earn(a, '1 per 1; round floor', NULL)) FROM bench_amt)
               = (SELECT sum(floor(a)) FROM bench_amt)
            THEN 'check: cj_earn agrees with floor(amount)' ELSE 'check: MISMATCH' END;
SQL

echo "timing (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('statement', bench_ms(\$q\$$q_stmt\$q\$));
        INSERT INTO t VALUES ('balance', bench_ms(\$q\$$q_bal\$q\$));
        INSERT INTO t VALUES ('earn', bench_ms(\$q\$$q_earn\$q\$));
        INSERT INTO t VALUES ('multiply', bench_ms(\$q\$$q_mul\$q\$));
        INSERT INTO t VALUES ('rows', bench_ms(\$q\$$q_rows\$q\$));
        INSERT INTO t VALUES ('scan', bench_ms(\$q\$$q_scan\$q\$));
    END LOOP;
END \$\$;
SELECT format('%-10s %10s ms', name, round(min(ms)::numeric, 0)) FROM t GROUP BY name ORDER BY 1;
SELECT format('ratio statement/balance = %s  (cj_points_statement over a year vs cj_points_balance, per member)',
              round(((SELECT min(ms) FROM t WHERE name = 'statement') /
                     (SELECT min(ms) FROM t WHERE name = 'balance'))::numeric, 2));
SELECT format('floor                   = %s  ((balance + 9 bare rows a member - scan) / balance: no statement can go below it)',
              round(((SELECT min(ms) FROM t WHERE name = 'balance') + (SELECT min(ms) FROM t WHERE name = 'rows')
                     - (SELECT min(ms) FROM t WHERE name = 'scan'))::numeric /
                    (SELECT min(ms) FROM t WHERE name = 'balance')::numeric, 2));
SELECT format('ratio earn/multiply     = %s  (cj_earn per row vs bare numeric multiplication)',
              round(((SELECT min(ms) FROM t WHERE name = 'earn') /
                     (SELECT min(ms) FROM t WHERE name = 'multiply'))::numeric, 2));
SQL
