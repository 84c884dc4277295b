#!/usr/bin/env bash
# Benchmark of the loyalty functions, each as a ratio to a baseline timed
# in the same run on the same table:
#   points: cj_points_ledger + cj_points_balance over MOVES movements of
#           MEMBERS members (default 10,000,000 / 1,000,000), per member,
#           versus a bare sum(points) GROUP BY member;
#   tier:   cj_tier over ROWS qualifying figures (default 10,000,000)
#           versus a bare scan comparing the same figures with numbers.
# Prints the best of REPS runs of each and the ratios.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at.  The script starts its own
# throw-away cluster on a unix socket in a temporary directory (as user
# postgres when run as root), serial plans only, and removes it at the end.
#
#   test/bench/loyalty.sh                                    # full size
#   MEMBERS=10000 MOVES=100000 ROWS=100000 test/bench/loyalty.sh   # quick
set -eu

MEMBERS=${MEMBERS:-1000000}
MOVES=${MOVES:-10000000}
ROWS=${ROWS:-10000000}
REPS=${REPS:-3}
PG_CONFIG=${PG_CONFIG:-pg_config}
. "$(dirname "$0")/../bench_lib.sh"

echo "loading $MOVES movements of $MEMBERS members and $ROWS figures ..."
psql <<SQL
SELECT setseed(0.42) AS seed \gset
-- 70% earns (half of them expiring after a year), 25% redemptions, 5% adjustments
CREATE TABLE bench_pts AS
SELECT (random() * ($MEMBERS - 1))::int + 1 AS member, k AS kind,
       CASE WHEN k = 'redeem' THEN 1 + (random() * 40)::int ELSE 1 + (random() * 100)::int END::numeric AS points,
       at AS occurred_at,
       CASE WHEN k = 'earn' AND random() < 0.5 THEN at + interval '365 days' END AS expires_at
FROM (SELECT CASE WHEN r < 0.70 THEN 'earn' WHEN r < 0.95 THEN 'redeem' ELSE 'adjust' END AS k,
             '2023-01-01 00:00+00'::timestamptz + (random() * 730 * 86400)::bigint * interval '1 second' AS at
      FROM (SELECT random() AS r FROM generate_series(1, $MOVES)) g) s;
CREATE TABLE bench_q AS
SELECT round((random() * 30000)::numeric, 2) AS q FROM generate_series(1, $ROWS);
VACUUM ANALYZE bench_pts;
VACUUM ANALYZE bench_q;

-- time of one run of a query, in milliseconds
CREATE FUNCTION bench_ms(q text) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
    t0 timestamptz := clock_timestamp();
    dummy text;
BEGIN
    EXECUTE q INTO dummy;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END \$\$;
SQL

ladder="'member:0, silver:1000/800, gold:5000/4000, platinum:20000/16000'::cj_ladder"
q_points="SELECT sum((b).available)::text FROM (SELECT member, cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at), '2025-01-01') AS b FROM bench_pts GROUP BY member) s"
q_sum="SELECT sum(s)::text FROM (SELECT member, sum(points) AS s FROM bench_pts GROUP BY member) x"
q_tier="SELECT count(*) FILTER (WHERE cj_tier($ladder, q) = 'gold')::text FROM bench_q"
q_scan="SELECT count(*) FILTER (WHERE q >= 5000 AND q < 20000)::text FROM bench_q"

# cj_tier and the plain comparison agree
psql -At <<SQL
SELECT CASE WHEN ($q_tier) = ($q_scan) THEN 'check: cj_tier agrees with the plain comparison'
            ELSE 'check: MISMATCH' END;
SQL

echo "timing (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
-- interleave the queries so that drift affects them alike
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('points', bench_ms(\$q\$$q_points\$q\$));
        INSERT INTO t VALUES ('sum', bench_ms(\$q\$$q_sum\$q\$));
        INSERT INTO t VALUES ('tier', bench_ms(\$q\$$q_tier\$q\$));
        INSERT INTO t VALUES ('scan', bench_ms(\$q\$$q_scan\$q\$));
    END LOOP;
END \$\$;
SELECT format('%-7s %10s ms', name, round(min(ms)::numeric, 0)) FROM t GROUP BY name ORDER BY 1;
SELECT format('ratio points/sum = %s  (cj_points_ledger + cj_points_balance per member vs bare sum)',
              round(((SELECT min(ms) FROM t WHERE name = 'points') /
                     (SELECT min(ms) FROM t WHERE name = 'sum'))::numeric, 2));
SELECT format('ratio tier/scan  = %s  (cj_tier per row vs bare numeric comparison)',
              round(((SELECT min(ms) FROM t WHERE name = 'tier') /
                     (SELECT min(ms) FROM t WHERE name = 'scan'))::numeric, 2));
SQL
