#!/usr/bin/env bash
# Benchmark of the Pareto/NBD family, each figure as a ratio measured in
# the same run:
#   fit:   cj_fit_pnbd over the full CDNOW master summaries (23,570
#          customers, 39-week calibration) against a bare scan that sums
#          the same three columns (target: the fit under 30 ms; reference
#          on this machine type: CLVTools about 0.9 s, lifetimes about
#          6.8 s, BTYD about 13.5 s)
#   score: cj_p_alive and cj_conditional_purchases over ROWS stored
#          (x, t_x, T) rows against a bare scan summing the same columns
#          (target: at most 2x)
# Prints the best of REPS runs of each.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at (make install); the throw-away
# cluster comes from bench_lib.sh.
#
#   test/bench/models2.sh                  # full size (10,000,000 rows)
#   ROWS=1000000 test/bench/models2.sh     # quick
set -eu

ROWS=${ROWS:-10000000}
REPS=${REPS:-5}
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/test/bench/bench_lib.sh"

echo "loading the CDNOW master log and $ROWS simulated customers ..."
cat "$top/test/data/CDNOW_master.txt" | psql -c "CREATE TABLE raw (line text)" \
    -c "COPY raw FROM STDIN"
psql <<SQL
CREATE TABLE cdnow AS
WITH rows AS (
    SELECT f[1]::int AS id, to_date(f[2], 'YYYYMMDD') AS day
    FROM (SELECT regexp_split_to_array(btrim(line, E' \r'), '\s+') AS f FROM raw) AS s
    WHERE f[1] ~ '^[0-9]+\$'),
days AS (SELECT DISTINCT id, day FROM rows),
cust AS (
    SELECT id, min(day) AS first,
           max(day) FILTER (WHERE day <= date '1997-09-30') AS last,
           count(*) FILTER (WHERE day <= date '1997-09-30') - 1 AS x
    FROM days GROUP BY id)
SELECT id, x::float8 AS x, ((last - first) / 7.0)::float8 AS t_x,
       ((date '1997-09-30' - first) / 7.0)::float8 AS age
FROM cust;
CREATE TABLE scored AS
SELECT x, t_x, age
FROM cj_simulate('pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669)'::cj_model,
                 $ROWS, 39, 42);
VACUUM ANALYZE cdnow;
VACUUM ANALYZE scored;

SQL

m="'pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669)'::cj_model"
q_fit="SELECT cj_fit_pnbd(x, t_x, age)::text FROM cdnow"
q_fitbare="SELECT (sum(x) + sum(t_x) + sum(age))::text FROM cdnow"
q_palive="SELECT sum(cj_p_alive($m, x, t_x, age))::text FROM scored"
q_cond="SELECT sum(cj_conditional_purchases($m, x, t_x, age, 52))::text FROM scored"
q_bare="SELECT sum(x + t_x + age)::text FROM scored"

psql -At -c "SELECT 'fit: ' || ($q_fit)"

echo "timing (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('fit', bench_ms(\$q\$$q_fit\$q\$, 1));
        INSERT INTO t VALUES ('fit_bare', bench_ms(\$q\$$q_fitbare\$q\$, 1));
    END LOOP;
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('bare', bench_ms(\$q\$$q_bare\$q\$, 1));
        INSERT INTO t VALUES ('conditional', bench_ms(\$q\$$q_cond\$q\$, 1));
        INSERT INTO t VALUES ('p_alive', bench_ms(\$q\$$q_palive\$q\$, 1));
    END LOOP;
END \$\$;
SELECT format('%-12s %10s ms', name, round(min(ms)::numeric, 1)) FROM t GROUP BY name ORDER BY 1;
SELECT format('fit on full CDNOW: %s ms (target < 30 ms); fit/bare scan = %s',
              round((SELECT min(ms) FROM t WHERE name = 'fit')::numeric, 1),
              round(((SELECT min(ms) FROM t WHERE name = 'fit') /
                     (SELECT min(ms) FROM t WHERE name = 'fit_bare'))::numeric, 2));
SELECT format('reference ratios of the fit: CLVTools 0.9 s = %sx, lifetimes 6.8 s = %sx, BTYD 13.5 s = %sx slower',
              round((900 / (SELECT min(ms) FROM t WHERE name = 'fit'))::numeric, 0),
              round((6800 / (SELECT min(ms) FROM t WHERE name = 'fit'))::numeric, 0),
              round((13500 / (SELECT min(ms) FROM t WHERE name = 'fit'))::numeric, 0));
SELECT format('ratio p_alive/bare     = %s (target <= 2)',
              round(((SELECT min(ms) FROM t WHERE name = 'p_alive') /
                     (SELECT min(ms) FROM t WHERE name = 'bare'))::numeric, 3));
SELECT format('ratio conditional/bare = %s (target <= 2)',
              round(((SELECT min(ms) FROM t WHERE name = 'conditional') /
                     (SELECT min(ms) FROM t WHERE name = 'bare'))::numeric, 3));
SQL
