#!/usr/bin/env bash
# Benchmark of the model diagnostics over CUSTOMERS simulated customers
# (default 1,000,000; BG/NBD with the published CDNOW parameters, first
# purchases spread over 84 days), compared in the same run with
#   check_sql: the holdout check written in SQL (GROUP BY the frequency
#              bucket, sum of cj_conditional_purchases)
#   track_sql: the tracking series written in SQL (GROUP BY the first
#              purchase day, then cj_expected_purchases per day and week)
#   bare:      a scan summing the same columns
# Prints the best of REPS runs of each and the ratios
#   check/check_sql, track/track_sql and
#   check/bare.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at.  The script starts its own
# throw-away cluster on a unix socket in a temporary directory (as user
# postgres when run as root), serial plans only, and removes it at the end.
#
#   test/bench/diagnostics.sh                      # full size
#   CUSTOMERS=100000 test/bench/diagnostics.sh     # quick
set -eu

CUSTOMERS=${CUSTOMERS:-1000000}
REPS=${REPS:-3}
PG_CONFIG=${PG_CONFIG:-pg_config}
. "$(dirname "$0")/../bench_lib.sh"

echo "simulating $CUSTOMERS customers ..."
psql <<SQL
CREATE TABLE bench_m AS
SELECT 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257) unit=7d'::cj_model AS m;
CREATE TABLE bench_c AS
SELECT customer, x, t_x, age, (customer % 5)::float8 AS hx,
       '1997-01-01 00:00+00'::timestamptz + (customer % 84) * interval '1 day' AS first_purchase
FROM cj_simulate((SELECT m FROM bench_m), $CUSTOMERS, 39, 42);
VACUUM ANALYZE bench_c;
SQL

q_check="SELECT r.expected_total::text FROM (SELECT cj_holdout_check((SELECT m FROM bench_m), x, t_x, age, 39, hx) h FROM bench_c) s, cj_holdout_rows(h) r WHERE bucket = 'total'"
q_check_sql="SELECT sum(e)::text FROM (SELECT least(x, 7) b, count(*) n, sum(hx) a, sum(cj_conditional_purchases((SELECT m FROM bench_m), x, t_x, age, 39)) e FROM bench_c GROUP BY 1) s"
q_track="SELECT max(r.expected_cumulative)::text FROM (SELECT cj_tracking((SELECT m FROM bench_m), first_purchase, '1997-01-01 00:00+00', '7 days', 78) t FROM bench_c) s, cj_tracking_rows(t) r"
q_track_sql="SELECT max(e)::text FROM (SELECT p, sum(n * cj_expected_purchases((SELECT m FROM bench_m), greatest(0, extract(epoch FROM '1997-01-01 00:00+00'::timestamptz + p * interval '7 days' - f) / 604800))) e FROM (SELECT first_purchase f, count(*) n FROM bench_c GROUP BY 1) g, generate_series(1, 78) p GROUP BY p) s"
q_bare="SELECT (sum(x) + sum(t_x) + sum(age) + sum(hx))::text FROM bench_c"

psql -At <<SQL
SELECT CASE WHEN abs(($q_check)::float8 / ($q_check_sql)::float8 - 1) < 1e-9
            THEN 'check: holdout totals agree' ELSE 'check: holdout MISMATCH' END;
SELECT CASE WHEN abs(($q_track)::float8 / ($q_track_sql)::float8 - 1) < 1e-9
            THEN 'check: tracking totals agree' ELSE 'check: tracking MISMATCH' END;
SQL

echo "timing (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
CREATE TEMP TABLE q (name text, sql text);
INSERT INTO q VALUES ('check', \$q\$$q_check\$q\$), ('check_sql', \$q\$$q_check_sql\$q\$),
  ('track', \$q\$$q_track\$q\$), ('track_sql', \$q\$$q_track_sql\$q\$), ('bare', \$q\$$q_bare\$q\$);
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
SELECT format('%-10s %10s ms', name, round(min(ms)::numeric, 0)) FROM t GROUP BY name ORDER BY 1;
SELECT format('ratio %s = %s', a || '/' || b,
              round(((SELECT min(ms) FROM t WHERE name = a) / (SELECT min(ms) FROM t WHERE name = b))::numeric, 3))
FROM (VALUES ('check', 'check_sql'), ('track', 'track_sql'), ('check', 'bare')) v(a, b);
SQL
