#!/usr/bin/env bash
# Benchmark of cj_history_agg: build the purchase histories of CUSTOMERS
# customers from TXNS transactions (default 1,000,000 / 10,000,000) and
# compare, in the same run and on the same table, with
#   builtin: the same summary with built-in aggregates
#            min(at), max(at), count(DISTINCT utc day), sum(amount)
#   bare:    min(at), max(at), count(*), sum(amount) (no distinct days)
# Prints the best of REPS runs of each and the ratios
#   history/builtin (target < 1.0) and history/bare (target <= 1.5),
# plus the history query forced to the built-in query's plan shape (sort
# then group, enable_hashagg = off), since count(DISTINCT) always sorts
# while the planner hashes the others.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at (make install).  The script starts
# its own throw-away cluster on a unix socket in a temporary directory
# (as user postgres when run as root), serial plans only, and removes it
# at the end.
#
#   test/bench/history.sh                         # full size
#   CUSTOMERS=100000 TXNS=1000000 test/bench/history.sh   # quick
set -eu

CUSTOMERS=${CUSTOMERS:-1000000}
TXNS=${TXNS:-10000000}
REPS=${REPS:-3}
PG_CONFIG=${PG_CONFIG:-pg_config}
. "$(dirname "$0")/../bench_lib.sh"

echo "loading $TXNS transactions of $CUSTOMERS customers ..."
psql <<SQL
SELECT setseed(0.42) AS seed \gset
CREATE TABLE bench_tx AS
SELECT (random() * ($CUSTOMERS - 1))::int + 1 AS customer,
       '2023-01-01 00:00+00'::timestamptz
         + (random() * 730 * 86400)::bigint * interval '1 second' AS occurred_at,
       round((random() * 200)::numeric, 2) AS amount
FROM generate_series(1, $TXNS);
VACUUM ANALYZE bench_tx;
SQL

q_hist="SELECT sum(cj_purchase_days(h))::text FROM (SELECT customer, cj_history_agg(occurred_at, amount) h FROM bench_tx GROUP BY customer) s"
q_builtin="SELECT sum(d)::text FROM (SELECT customer, min(occurred_at) f, max(occurred_at) l, count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) d, sum(amount) s FROM bench_tx GROUP BY customer) s WHERE f <= l AND s >= 0"
q_bare="SELECT sum(d)::text FROM (SELECT customer, min(occurred_at) f, max(occurred_at) l, count(*) d, sum(amount) s FROM bench_tx GROUP BY customer) s WHERE f <= l AND s >= 0"

# the history and the built-in query agree on the number of purchase days
psql -At <<SQL
SELECT CASE WHEN ($q_hist) = ($q_builtin) THEN 'check: same purchase-day total'
            ELSE 'check: MISMATCH' END;
SQL

echo "timing (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
-- interleave the three queries so that drift affects them alike
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('history', bench_ms(\$q\$$q_hist\$q\$, 1));
        INSERT INTO t VALUES ('builtin', bench_ms(\$q\$$q_builtin\$q\$, 1));
        INSERT INTO t VALUES ('bare', bench_ms(\$q\$$q_bare\$q\$, 1));
        PERFORM set_config('enable_hashagg', 'off', false);
        INSERT INTO t VALUES ('history (sort plan)', bench_ms(\$q\$$q_hist\$q\$, 1));
        PERFORM set_config('enable_hashagg', 'on', false);
    END LOOP;
END \$\$;
SELECT format('%-20s %8s ms', name, round(min(ms)::numeric, 0)) FROM t GROUP BY name
ORDER BY array_position(ARRAY['history', 'builtin', 'bare', 'history (sort plan)'], name);
SELECT format('ratio history/builtin = %s (target < 1.0)',
              round(((SELECT min(ms) FROM t WHERE name = 'history') /
                     (SELECT min(ms) FROM t WHERE name = 'builtin'))::numeric, 3));
SELECT format('ratio history/bare    = %s (target <= 1.5)',
              round(((SELECT min(ms) FROM t WHERE name = 'history') /
                     (SELECT min(ms) FROM t WHERE name = 'bare'))::numeric, 3));
-- the built-in query must sort (count DISTINCT); with the same plan shape
-- (enable_hashagg = off) the per-row costs compare directly
SELECT format('ratio history (sort plan)/builtin = %s (same plan shape)',
              round(((SELECT min(ms) FROM t WHERE name = 'history (sort plan)') /
                     (SELECT min(ms) FROM t WHERE name = 'builtin'))::numeric, 3));
SQL
