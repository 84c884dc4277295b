#!/usr/bin/env bash
# Benchmark of scoring with covariates over CUSTOMERS simulated customers
# (default 1,000,000; Pareto/NBD with three categorical covariates, 2 x 3 x 4
# = 24 cells, customers simulated cell by cell from the model with
# coefficients), compared in the same run with scoring the same customers
# by the plain model (the issue's bound: at most 1.5x):
#   palive_cov / palive:  cj_p_alive with and without cov_trans, cov_life
#   cond_cov / cond:      cj_conditional_purchases (t = 52) likewise
#   bare:                 a scan summing the same columns
# Prints the best of REPS runs of each and the ratios.  Each query also
# sums its scores so the result is checked to be finite.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at; see bench_lib.sh.
#
#   test/bench/ltv/score_covariates.sh
#   CUSTOMERS=100000 test/bench/ltv/score_covariates.sh     # quick
set -eu

CUSTOMERS=${CUSTOMERS:-1000000}
REPS=${REPS:-3}
PG_CONFIG=${PG_CONFIG:-pg_config}
. "$(dirname "$0")/../bench_lib.sh"

echo "simulating $CUSTOMERS customers in 24 covariate cells ..."
psql <<SQL
CREATE TABLE bench_m AS
SELECT 'pnbd(r=0.55, alpha=10.58, s=0.61, beta=11.67) trans(a=0.3, b=-0.2, c=0.1) life(a=-0.25, b=0.15, c=0.05) unit=7d'::cj_model AS m,
       'pnbd(r=0.55, alpha=10.58, s=0.61, beta=11.67) unit=7d'::cj_model AS p;
CREATE TABLE bench_c AS
SELECT z.a, z.b, z.c, ARRAY[z.a, z.b, z.c] AS ct, ARRAY[z.a, z.b, z.c] AS cl, s.x, s.t_x, s.age
FROM (SELECT a::float8, b::float8, c::float8, row_number() OVER () AS cell
      FROM generate_series(0, 1) a, generate_series(0, 2) b, generate_series(0, 3) c) z,
     LATERAL cj_simulate((SELECT m FROM bench_m), $CUSTOMERS / 24, 39 + z.cell % 3, 42 + z.cell,
                         ARRAY[z.a, z.b, z.c], ARRAY[z.a, z.b, z.c]) s;
VACUUM ANALYZE bench_c;
SQL

q_palive="SELECT sum(cj_p_alive((SELECT p FROM bench_m), x, t_x, age))::text FROM bench_c"
q_palive_cov="SELECT sum(cj_p_alive((SELECT m FROM bench_m), x, t_x, age, ct, cl))::text FROM bench_c"
q_cond="SELECT sum(cj_conditional_purchases((SELECT p FROM bench_m), x, t_x, age, 52))::text FROM bench_c"
q_cond_cov="SELECT sum(cj_conditional_purchases((SELECT m FROM bench_m), x, t_x, age, 52, ct, cl))::text FROM bench_c"
q_bare="SELECT (sum(x) + sum(t_x) + sum(age) + sum(a) + sum(b) + sum(c) + sum(cardinality(ct)) + sum(cardinality(cl)))::text FROM bench_c"

psql -At <<SQL
SELECT 'distinct (x, t_x, T): ' || count(DISTINCT (x, t_x, age)) || ', with covariates: ' || count(DISTINCT (x, t_x, age, a, b, c)) FROM bench_c;
SQL

echo "timing (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
CREATE TEMP TABLE q (name text, sql text);
INSERT INTO q VALUES ('palive', \$q\$$q_palive\$q\$), ('palive_cov', \$q\$$q_palive_cov\$q\$),
  ('cond', \$q\$$q_cond\$q\$), ('cond_cov', \$q\$$q_cond_cov\$q\$), ('bare', \$q\$$q_bare\$q\$);
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
FROM (VALUES ('palive_cov', 'palive'), ('cond_cov', 'cond')) v(a, b);
SQL
