#!/usr/bin/env bash
# Benchmark of the fits with covariates, as ratios measured in the same run:
#   fit_cov:   cj_fit_pnbd / cj_fit_bgnbd with three categorical covariates
#              on both processes (2 x 3 x 4 = 24 combinations) over
#              CUSTOMERS simulated customers (default 1,000,000)
#   fit_plain: the same aggregate without covariates over the same rows
# Target (issue 21): fit_cov within 3x fit_plain.  Beside it, for
# Pareto/NBD, the same two fits over a copy of the table that stores the
# covariate vectors as float8[] columns: the first ratio includes
# PostgreSQL building two arrays a row from the columns a, b, c (ARRAY[a,
# b, c]), the second does not.  The customers are
# simulated per combination with the family's own cj_simulate at the
# combination's transformed parameters (known coefficients), observed for
# 52 weeks, t_x rounded to whole days as calendar data are.  The fitted
# coefficients are printed next to the true ones.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at; the throw-away cluster comes from
# bench_lib.sh (serial plans).
#
#   test/bench/ltv/covariates.sh                       # full size
#   CUSTOMERS=100000 test/bench/ltv/covariates.sh      # quick
set -eu

CUSTOMERS=${CUSTOMERS:-1000000}
REPS=${REPS:-3}
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/test/bench/bench_lib.sh"

echo "simulating $CUSTOMERS customers in 24 covariate combinations ..."
psql <<SQL
-- combinations: a in {0,1}, b in {0,1,2}, c in {0,1,2,3}; true
-- coefficients trans (0.4, -0.2, 0.1), life (-0.3, 0.25, 0.05)
CREATE TABLE combo AS
SELECT row_number() OVER (ORDER BY a, b, c) AS k, a::float8 AS a, b::float8 AS b, c::float8 AS c,
       0.4 * a - 0.2 * b + 0.1 * c AS et, -0.3 * a + 0.25 * b + 0.05 * c AS el
FROM generate_series(0, 1) a, generate_series(0, 2) b, generate_series(0, 3) c;
CREATE TABLE sim_pnbd AS
SELECT z.a, z.b, z.c, s.x, round(s.t_x * 7) / 7 AS t_x, s.age
FROM combo z,
LATERAL cj_simulate(format('pnbd(r=0.55, alpha=%s, s=0.6, beta=%s)', 10.6 * exp(-z.et), 11.7 * exp(-z.el))::cj_model,
                    ($CUSTOMERS / 24)::int8, 52, z.k) s;
CREATE TABLE sim_bgnbd AS
SELECT z.a, z.b, z.c, s.x, round(s.t_x * 7) / 7 AS t_x, s.age
FROM combo z,
LATERAL cj_simulate(format('bgnbd(r=0.24, alpha=%s, a=%s, b=%s)', 4.4 * exp(-z.et), 0.79 * exp(z.el), 2.4 * exp(z.el))::cj_model,
                    ($CUSTOMERS / 24)::int8, 52, 100 + z.k) s;
-- the same customers with their covariate vectors stored
CREATE TABLE sim_pnbd_arr AS
SELECT x, t_x, age, ARRAY[a, b, c] AS z_trans, ARRAY[a, b, c] AS z_life FROM sim_pnbd;
VACUUM ANALYZE sim_pnbd;
VACUUM ANALYZE sim_bgnbd;
VACUUM ANALYZE sim_pnbd_arr;
SQL

o="'{\"names_trans\": [\"a\", \"b\", \"c\"], \"names_life\": [\"a\", \"b\", \"c\"]}'::jsonb"
q_pcov="SELECT cj_fit_pnbd(x, t_x, age, ARRAY[a, b, c], ARRAY[a, b, c], $o)::text FROM sim_pnbd"
q_pplain="SELECT cj_fit_pnbd(x, t_x, age)::text FROM sim_pnbd"
q_pcov_arr="SELECT cj_fit_pnbd(x, t_x, age, z_trans, z_life, $o)::text FROM sim_pnbd_arr"
q_pplain_arr="SELECT cj_fit_pnbd(x, t_x, age)::text FROM sim_pnbd_arr"
q_bcov="SELECT cj_fit_bgnbd(x, t_x, age, ARRAY[a, b, c], ARRAY[a, b, c], $o)::text FROM sim_bgnbd"
q_bplain="SELECT cj_fit_bgnbd(x, t_x, age)::text FROM sim_bgnbd"

psql -At <<SQL
SELECT 'rows ' || count(*) || ', distinct histories ' || count(DISTINCT (x, t_x)) ||
       ', distinct (covariates, history) ' || count(DISTINCT (a, b, c, x, t_x)) FROM sim_pnbd;
SELECT 'pnbd true: trans(a=0.4, b=-0.2, c=0.1) life(a=-0.3, b=0.25, c=0.05)';
SELECT 'pnbd fit:  ' || substring(($q_pcov) FROM '^[^v]*');
SELECT 'bgnbd true: trans(a=0.4, b=-0.2, c=0.1) life(a=-0.3, b=0.25, c=0.05)';
SELECT 'bgnbd fit:  ' || substring(($q_bcov) FROM '^[^v]*');
SQL

echo "timing (best of $REPS, serial plans, interleaved) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('pnbd_plain', bench_ms(\$q\$$q_pplain\$q\$, 1));
        INSERT INTO t VALUES ('pnbd_cov', bench_ms(\$q\$$q_pcov\$q\$, 1));
        INSERT INTO t VALUES ('bgnbd_plain', bench_ms(\$q\$$q_bplain\$q\$, 1));
        INSERT INTO t VALUES ('bgnbd_cov', bench_ms(\$q\$$q_bcov\$q\$, 1));
        INSERT INTO t VALUES ('pnbd_plain_arr', bench_ms(\$q\$$q_pplain_arr\$q\$, 1));
        INSERT INTO t VALUES ('pnbd_cov_arr', bench_ms(\$q\$$q_pcov_arr\$q\$, 1));
    END LOOP;
END \$\$;
SELECT format('%-12s %10s ms', name, round(min(ms)::numeric, 1)) FROM t GROUP BY name ORDER BY 1;
SELECT format('ratio pnbd_cov/pnbd_plain   = %s (target <= 3)',
              round(((SELECT min(ms) FROM t WHERE name = 'pnbd_cov') /
                     (SELECT min(ms) FROM t WHERE name = 'pnbd_plain'))::numeric, 2));
SELECT format('ratio pnbd_cov_arr/pnbd_plain_arr = %s (covariate vectors stored as float8[] columns)',
              round(((SELECT min(ms) FROM t WHERE name = 'pnbd_cov_arr') /
                     (SELECT min(ms) FROM t WHERE name = 'pnbd_plain_arr'))::numeric, 2));
SELECT format('ratio bgnbd_cov/bgnbd_plain = %s (target <= 3)',
              round(((SELECT min(ms) FROM t WHERE name = 'bgnbd_cov') /
                     (SELECT min(ms) FROM t WHERE name = 'bgnbd_plain'))::numeric, 2));
SQL
