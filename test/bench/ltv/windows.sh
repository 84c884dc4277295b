#!/usr/bin/env bash
# Benchmark of the window quantities (cj_prob_no_purchase,
# cj_conditional_prob_purchases, cj_p_alive_at) over ROWS simulated
# customers (default 10,000,000; BG/NBD and Pareto/NBD at the published
# CDNOW parameters, 39 weeks observed), each summed over the table, against
#   bare: a scan summing the same columns
# measured in the same run.  Prints the best of REPS runs of each and the
# ratios quantity/bare (target: at most 2.5).  The conditional expectation
# (cj_conditional_purchases, 1.1) is timed too, for comparison.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at.  The script starts its own
# throw-away cluster on a unix socket in a temporary directory (as user
# postgres when run as root), serial plans only, and removes it at the end.
#
#   test/bench/ltv/windows.sh                  # full size
#   ROWS=1000000 test/bench/ltv/windows.sh     # quick
set -eu

ROWS=${ROWS:-10000000}
REPS=${REPS:-3}
PG_CONFIG=${PG_CONFIG:-pg_config}
. "$(dirname "$0")/../bench_lib.sh"

echo "simulating $ROWS customers ..."
psql <<SQL
CREATE TABLE bench_m AS
SELECT 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model AS bg,
       'pnbd(r=0.5533, alpha=10.5776, s=0.6061, beta=11.6650)'::cj_model AS pn;
CREATE TABLE bench_c AS
SELECT x, t_x, age FROM cj_simulate((SELECT bg FROM bench_m), $ROWS, 39, 42);
VACUUM ANALYZE bench_c;
SQL

m_bg="'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model"
m_pn="'pnbd(r=0.5533, alpha=10.5776, s=0.6061, beta=11.6650)'::cj_model"
echo "timing (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
CREATE TEMP TABLE q (name text, sql text);
INSERT INTO q VALUES
  ('bare', 'SELECT (sum(x) + sum(t_x) + sum(age))::text FROM bench_c'),
  ('bg_conditional', \$q\$SELECT sum(cj_conditional_purchases($m_bg, x, t_x, age, 4))::text FROM bench_c\$q\$),
  ('bg_no_purchase', \$q\$SELECT sum(cj_prob_no_purchase($m_bg, x, t_x, age, 4))::text FROM bench_c\$q\$),
  ('bg_prob_2', \$q\$SELECT sum(cj_conditional_prob_purchases($m_bg, 2, x, t_x, age, 4))::text FROM bench_c\$q\$),
  ('bg_alive_at', \$q\$SELECT sum(cj_p_alive_at($m_bg, x, t_x, age, 13))::text FROM bench_c\$q\$),
  ('pn_no_purchase', \$q\$SELECT sum(cj_prob_no_purchase($m_pn, x, t_x, age, 4))::text FROM bench_c\$q\$),
  ('pn_prob_2', \$q\$SELECT sum(cj_conditional_prob_purchases($m_pn, 2, x, t_x, age, 4))::text FROM bench_c\$q\$),
  ('pn_alive_at', \$q\$SELECT sum(cj_p_alive_at($m_pn, x, t_x, age, 13))::text FROM bench_c\$q\$);
-- interleave the queries so that drift affects them alike
DO \$\$
DECLARE
    r record;
BEGIN
    FOR i IN 1..$REPS LOOP
        FOR r IN SELECT * FROM q LOOP
            INSERT INTO t VALUES (r.name, bench_ms(r.sql, 1));
        END LOOP;
    END LOOP;
END \$\$;
SELECT format('%-15s %10s ms   ratio to bare %s', name, round(min(ms)::numeric, 0),
              round((min(ms) / (SELECT min(ms) FROM t WHERE name = 'bare'))::numeric, 2))
FROM t GROUP BY name ORDER BY 1;
SQL
