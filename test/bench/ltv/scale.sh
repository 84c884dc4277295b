#!/usr/bin/env bash
# Benchmark of fitting and scoring at a million customers, every figure as
# a ratio to a bare scan of the same rows measured in the same run:
#   fit:      cj_fit_pnbd, cj_fit_bgnbd and cj_fit_mbgnbd over CUSTOMERS
#             (default 1,000,000) customers simulated at the CDNOW
#             Pareto/NBD estimates, first purchases spread over 84 days
#             (T from 27 to 39 weeks) and purchase times rounded up to
#             whole days, against SELECT count(*), sum(x), sum(t_x),
#             sum(age) over them (targets: pnbd <= 3.5x, the others
#             <= 2.5x).  Also prints the number of distinct histories and
#             the share of the fit's wall time spent after the rows are
#             collected (the final optimisation): the aggregate's state
#             alone is timed through an aggregate without final function.
#   scoring:  the same summaries repeated COPIES (default 10) times, the
#             copies nudged apart (t_x scaled by 1 - k 1e-9 for x > 0, T
#             raised by k 1e-9 for x = 0) so that no two copies share a
#             tuple: Pareto/NBD cj_p_alive and cj_conditional_purchases
#             against a bare scan of x, t_x, T (target <= 1.25x); cj_clv
#             (12 periods of 4 weeks, 1 % a period) with each purchase
#             family fitted above against a bare scan that also reads the
#             spend column (target <= 1.5x).
#   parallel: with 2 parallel workers against serial plans, the Pareto/NBD
#             fit and the scores over the COPIES x CUSTOMERS rows, plans
#             shown (target: at least 1.6x faster).
# Prints the best of REPS runs of each.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at; the throw-away cluster comes from
# bench_lib.sh (serial plans unless a query says otherwise).
#
#   test/bench/ltv/scale.sh                                # full size
#   CUSTOMERS=100000 REPS=2 test/bench/ltv/scale.sh        # quick
set -eu

CUSTOMERS=${CUSTOMERS:-1000000}
COPIES=${COPIES:-10}
REPS=${REPS:-3}
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/test/bench/bench_lib.sh"

pm="'pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669)'::cj_model"
gm="'gg(p=6.25, q=3.74, gamma=15.44)'::cj_model"
echo "simulating $CUSTOMERS customers, scoring table of $((COPIES * CUSTOMERS)) rows ..."
psql <<SQL
-- 84 cohorts of first purchases, a day apart, observed to day 273 (39
-- weeks); purchase times rounded up to whole days
CREATE TABLE cust AS
SELECT x, ceil(t_x * 7) / 7 AS t_x, age, spend
FROM generate_series(0, 83) AS d,
     LATERAL cj_simulate($pm, $gm,
                         ($CUSTOMERS / 84) + (d < $CUSTOMERS % 84)::int,
                         (273 - d) / 7.0, 42 + d);
CREATE TABLE scored AS
SELECT x, CASE WHEN x > 0 THEN t_x * (1 - k * 1e-9) ELSE t_x END AS t_x,
       CASE WHEN x > 0 THEN age ELSE age + k * 1e-9 END AS age, spend
FROM generate_series(0, $COPIES - 1) AS k, cust;
VACUUM ANALYZE cust;
VACUUM ANALYZE scored;
CREATE TABLE models AS
SELECT cj_fit_pnbd(x, t_x, age) AS pnbd, cj_fit_bgnbd(x, t_x, age) AS bgnbd,
       cj_fit_mbgnbd(x, t_x, age) AS mbgnbd FROM cust;
-- the Pareto/NBD fit without its final function: collecting the rows only
CREATE AGGREGATE bench_collect(float8, float8, float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, PARALLEL = SAFE);
SQL

psql -At <<SQL
SELECT format('customers: %s; distinct (x, t_x, T) histories: %s; rows scored: %s',
              (SELECT count(*) FROM cust),
              (SELECT count(*) FROM (SELECT DISTINCT x, t_x, age FROM cust) s),
              (SELECT count(*) FROM scored));
SELECT format('Pareto/NBD fit state of the %s customers: %s bytes binary, %s bytes as text',
              (SELECT count(*) FROM cust), pg_column_size(st), octet_length(st::text))
FROM (SELECT bench_collect(x, t_x, age) AS st FROM cust) s;
SELECT format('the same for the %s scored rows (%s distinct): %s bytes binary, %s bytes as text',
              (SELECT count(*) FROM scored),
              (SELECT count(*) FROM (SELECT DISTINCT x, t_x, age FROM scored) d),
              pg_column_size(st), octet_length(st::text))
FROM (SELECT bench_collect(x, t_x, age) AS st FROM scored) s;
SELECT 'pnbd:   ' || pnbd::text FROM models;
SELECT 'bgnbd:  ' || bgnbd::text FROM models;
SELECT 'mbgnbd: ' || mbgnbd::text FROM models;
SQL

clv() {
    echo "SELECT sum(cj_clv((SELECT $1 FROM models), $gm, x, t_x, age, spend, 12, 4, 0.01))::text FROM scored"
}
q_fit_pnbd="SELECT cj_fit_pnbd(x, t_x, age)::text FROM cust"
q_fit_bgnbd="SELECT cj_fit_bgnbd(x, t_x, age)::text FROM cust"
q_fit_mbgnbd="SELECT cj_fit_mbgnbd(x, t_x, age)::text FROM cust"
q_collect="SELECT (bench_collect(x, t_x, age) IS NOT NULL)::text FROM cust"
q_fit_bare="SELECT (count(*) + sum(x) + sum(t_x) + sum(age))::text FROM cust"
q_palive="SELECT sum(cj_p_alive($pm, x, t_x, age))::text FROM scored"
q_cond="SELECT sum(cj_conditional_purchases($pm, x, t_x, age, 52))::text FROM scored"
q_bare="SELECT (count(*) + sum(x) + sum(t_x) + sum(age))::text FROM scored"
q_clv_pnbd=$(clv pnbd)
q_clv_bgnbd=$(clv bgnbd)
q_clv_mbgnbd=$(clv mbgnbd)
q_bare_m="SELECT (count(*) + sum(x) + sum(t_x) + sum(age) + sum(spend))::text FROM scored"
q_pfit="SELECT cj_fit_pnbd(x, t_x, age)::text FROM scored"

# ratio of the best times of two names, as text
ratio() {
    echo "round(((SELECT min(ms) FROM t WHERE name = '$1') / (SELECT min(ms) FROM t WHERE name = '$2'))::numeric, 2)"
}

echo "timing (best of $REPS) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
-- interleave each measure with its baseline so that drift affects them alike
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('fit_bare', bench_ms(\$q\$$q_fit_bare\$q\$, 1));
        INSERT INTO t VALUES ('fit_pnbd', bench_ms(\$q\$$q_fit_pnbd\$q\$, 1));
        INSERT INTO t VALUES ('collect', bench_ms(\$q\$$q_collect\$q\$, 1));
        INSERT INTO t VALUES ('fit_bgnbd', bench_ms(\$q\$$q_fit_bgnbd\$q\$, 1));
        INSERT INTO t VALUES ('fit_mbgnbd', bench_ms(\$q\$$q_fit_mbgnbd\$q\$, 1));
    END LOOP;
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('bare', bench_ms(\$q\$$q_bare\$q\$, 1));
        INSERT INTO t VALUES ('p_alive', bench_ms(\$q\$$q_palive\$q\$, 1));
        INSERT INTO t VALUES ('conditional', bench_ms(\$q\$$q_cond\$q\$, 1));
        INSERT INTO t VALUES ('bare_m', bench_ms(\$q\$$q_bare_m\$q\$, 1));
        INSERT INTO t VALUES ('clv_pnbd', bench_ms(\$q\$$q_clv_pnbd\$q\$, 1));
        INSERT INTO t VALUES ('clv_bgnbd', bench_ms(\$q\$$q_clv_bgnbd\$q\$, 1));
        INSERT INTO t VALUES ('clv_mbgnbd', bench_ms(\$q\$$q_clv_mbgnbd\$q\$, 1));
    END LOOP;
END \$\$;
SELECT format('%-12s %10s ms', name, round(min(ms)::numeric, 1)) FROM t GROUP BY name ORDER BY 1;
SELECT format('fit pnbd / bare scan   = %s (target <= 3.5)', $(ratio fit_pnbd fit_bare));
SELECT format('fit bgnbd / bare scan  = %s (target <= 2.5)', $(ratio fit_bgnbd fit_bare));
SELECT format('fit mbgnbd / bare scan = %s (target <= 2.5)', $(ratio fit_mbgnbd fit_bare));
SELECT format('pnbd fit: %s %% of the wall time after the rows are collected',
              round((100 * (1 - (SELECT min(ms) FROM t WHERE name = 'collect') /
                                (SELECT min(ms) FROM t WHERE name = 'fit_pnbd')))::numeric, 0));
SELECT format('p_alive / bare scan     = %s (target <= 1.25)', $(ratio p_alive bare));
SELECT format('conditional / bare scan = %s (target <= 1.25)', $(ratio conditional bare));
SELECT format('clv pnbd / bare scan with spend   = %s (target <= 1.5)', $(ratio clv_pnbd bare_m));
SELECT format('clv bgnbd / bare scan with spend  = %s (target <= 1.5)', $(ratio clv_bgnbd bare_m));
SELECT format('clv mbgnbd / bare scan with spend = %s (target <= 1.5)', $(ratio clv_mbgnbd bare_m));
SQL

echo "parallel: 2 workers against serial plans (best of $REPS) ..."
par="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
psql -c "$par" -c "EXPLAIN (COSTS OFF) $q_pfit" -c "EXPLAIN (COSTS OFF) $q_palive"
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        SET max_parallel_workers_per_gather = 0;
        INSERT INTO t VALUES ('s_fit', bench_ms(\$q\$$q_pfit\$q\$, 1));
        INSERT INTO t VALUES ('s_collect', bench_ms(\$q\$${q_collect/FROM cust/FROM scored}\$q\$, 1));
        INSERT INTO t VALUES ('s_palive', bench_ms(\$q\$$q_palive\$q\$, 1));
        INSERT INTO t VALUES ('s_clv', bench_ms(\$q\$$q_clv_pnbd\$q\$, 1));
        SET max_parallel_workers_per_gather = 2;
        SET parallel_setup_cost = 0;
        SET parallel_tuple_cost = 0;
        SET min_parallel_table_scan_size = 0;
        INSERT INTO t VALUES ('p_fit', bench_ms(\$q\$$q_pfit\$q\$, 1));
        INSERT INTO t VALUES ('p_collect', bench_ms(\$q\$${q_collect/FROM cust/FROM scored}\$q\$, 1));
        INSERT INTO t VALUES ('p_palive', bench_ms(\$q\$$q_palive\$q\$, 1));
        INSERT INTO t VALUES ('p_clv', bench_ms(\$q\$$q_clv_pnbd\$q\$, 1));
    END LOOP;
END \$\$;
SELECT format('%-12s %10s ms', name, round(min(ms)::numeric, 1)) FROM t GROUP BY name ORDER BY 1;
SELECT format('pnbd fit over %s rows: serial / 2 workers = %s (target >= 1.6); after collection: %s %% serial, %s %% parallel',
              (SELECT count(*) FROM scored), $(ratio s_fit p_fit),
              round((100 * (1 - (SELECT min(ms) FROM t WHERE name = 's_collect') /
                                (SELECT min(ms) FROM t WHERE name = 's_fit')))::numeric, 0),
              round((100 * (1 - (SELECT min(ms) FROM t WHERE name = 'p_collect') /
                                (SELECT min(ms) FROM t WHERE name = 'p_fit')))::numeric, 0));
SELECT format('p_alive: serial / 2 workers = %s (target >= 1.6)', $(ratio s_palive p_palive));
SELECT format('clv pnbd: serial / 2 workers = %s (target >= 1.6)', $(ratio s_clv p_clv));
SQL
