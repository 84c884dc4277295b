#!/usr/bin/env bash
# Benchmark of the model fits and scores.  Each figure is the best of REPS
# runs, printed with a ratio against a baseline measured in the same run:
#   1. BG/NBD and Gamma-Gamma fits on the full CDNOW histories (23,570
#      customers, 39-week calibration, built here with cj_history_agg from
#      test/data/CDNOW_master.txt); baseline: a bare scan summing the same
#      columns.  Target: under 20 ms per fit.
#   2. BG/NBD fit of SIM simulated customers (default 10,000,000; t_x at
#      day resolution, as histories have it) straight from the rows, and
#      from pre-aggregated (x, t_x, T, count) rows.  Target: under 3 s.
#   3. Scoring cj_p_alive, cj_conditional_purchases and cj_clv over the
#      SIM stored rows versus a bare scan summing the same columns.
#      Target: at most 1.5x the bare scan for P(alive) and expectations.
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at.  The script starts its own
# throw-away cluster on a unix socket in a temporary directory (as user
# postgres when run as root), serial plans only, and removes it at the end.
#
#   test/bench/models.sh                 # full size
#   SIM=1000000 REPS=2 test/bench/models.sh   # quick
set -eu

SIM=${SIM:-10000000}
REPS=${REPS:-3}
here=$(cd "$(dirname "$0")/../../.." && pwd)
. "$here/test/bench/bench_lib.sh"

cp "$here/test/data/CDNOW_master.txt" "$dir/cdnow.txt"
[ "${#run_as[@]}" -gt 0 ] && chown postgres: "$dir/cdnow.txt"

echo "building the CDNOW histories and $SIM simulated customers ..."
psql <<SQL
CREATE TABLE raw (line text);
COPY raw FROM '$dir/cdnow.txt';
CREATE TABLE tx AS
SELECT f[1]::int AS customer, to_date(f[2], 'YYYYMMDD') AS day, f[4]::numeric AS amount
FROM (SELECT regexp_split_to_array(btrim(line), '\s+') f FROM raw WHERE line ~ '^\s*[0-9]') s;
CREATE TABLE hist AS
SELECT customer, cj_history_agg(day, amount) AS h FROM tx WHERE day <= '1997-09-30' GROUP BY customer;
CREATE TABLE nums AS
SELECT cj_frequency(h)::float8 AS x, cj_recency(h) AS t_x, cj_age(h, '1997-09-30'::date) AS age,
       cj_monetary(h) AS m FROM hist;
CREATE TABLE sim AS
SELECT x, round(t_x * 7) / 7 AS t_x, age, spend AS m
FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)',
                 'gg(p=6.25, q=3.74, gamma=15.44)', $SIM, 39, 1);
CREATE TABLE sim_w AS SELECT x, t_x, age, count(*) AS w FROM sim GROUP BY x, t_x, age;
VACUUM ANALYZE hist;
VACUUM ANALYZE nums;
VACUUM ANALYZE sim;
VACUUM ANALYZE sim_w;
CREATE TABLE models AS
SELECT cj_fit_bgnbd(x, t_x, age) AS bg, cj_fit_gg(x, m) FILTER (WHERE x = 0 OR m > 0) AS gg FROM nums;

SQL

# Backend CPU time per fit (Linux /proc): on a shared machine wall-clock
# figures depend on the load, CPU time much less.
if [ -r /proc/self/stat ]; then
    {
        echo 'SELECT pg_backend_pid() AS bpid \gset'
        echo '\setenv BPID :bpid'
        for q in "cj_fit_bgnbd(x, t_x, age)" "cj_fit_gg(x, m) FILTER (WHERE x = 0 OR m > 0)"; do
            echo "SELECT $q FROM nums \g /dev/null"
            echo "\\! awk '{print \$14 + \$15}' /proc/\$BPID/stat"
            for i in $(seq 10); do echo "SELECT $q FROM nums \g /dev/null"; done
            echo "\\! awk '{print \$14 + \$15}' /proc/\$BPID/stat"
        done
    } > "$dir/cpu.sql"
    chmod 644 "$dir/cpu.sql"
    ticks=$(getconf CLK_TCK)
    psql -f "$dir/cpu.sql" | awk -v hz="$ticks" '
        NR % 2 == 1 { t0 = $1 }
        NR % 2 == 0 { printf "%s fit on the full CDNOW: %.1f ms backend CPU per fit (10 fits)\n",
                      (NR == 2 ? "BG/NBD" : "Gamma-Gamma"), ($1 - t0) * 1000 / hz / 10 }'
fi

psql -P footer=off <<SQL
SELECT count(*) AS cdnow_customers, count(DISTINCT (x, t_x, age)) AS distinct_histories FROM nums;
SELECT count(*) AS sim_customers, (SELECT count(*) FROM sim_w) AS distinct_sim_histories FROM sim;

\echo '1. fits on the full CDNOW (ms; ratio = fit / bare scan of the same rows)'
WITH t AS (SELECT
    bench_ms('SELECT sum(x) + sum(t_x) + sum(age) FROM nums', $REPS) AS bare_nums,
    bench_ms('SELECT cj_fit_bgnbd(x, t_x, age) FROM nums', $REPS) AS bgnbd_nums,
    bench_ms('SELECT cj_fit_gg(x, m) FILTER (WHERE x = 0 OR m > 0) FROM nums', $REPS) AS gg_nums,
    bench_ms('SELECT count(h) FROM hist', $REPS) AS bare_hist,
    bench_ms('SELECT cj_fit_bgnbd(h, ''1997-09-30 23:00+00'') FROM hist', $REPS) AS bgnbd_hist,
    bench_ms('SELECT cj_fit_gg(h, ''1997-09-30 23:00+00'') FILTER (WHERE cj_frequency(h) = 0 OR cj_monetary(h) > 0) FROM hist', $REPS) AS gg_hist)
SELECT 'bgnbd (x, t_x, T)' AS fit, round(bgnbd_nums::numeric, 1) AS ms, round(bare_nums::numeric, 1) AS bare_ms,
       round((bgnbd_nums / bare_nums)::numeric, 1) AS ratio FROM t
UNION ALL SELECT 'gg (x, m)', round(gg_nums::numeric, 1), round(bare_nums::numeric, 1), round((gg_nums / bare_nums)::numeric, 1) FROM t
UNION ALL SELECT 'bgnbd (cj_history)', round(bgnbd_hist::numeric, 1), round(bare_hist::numeric, 1), round((bgnbd_hist / bare_hist)::numeric, 1) FROM t
UNION ALL SELECT 'gg (cj_history)', round(gg_hist::numeric, 1), round(bare_hist::numeric, 1), round((gg_hist / bare_hist)::numeric, 1) FROM t;

\echo '2. BG/NBD fit of the simulated customers (ms)'
WITH t AS (SELECT
    bench_ms('SELECT sum(x) + sum(t_x) + sum(age) FROM sim', $REPS) AS bare,
    bench_ms('SELECT cj_fit_bgnbd(x, t_x, age) FROM sim', $REPS) AS rows,
    bench_ms('SELECT cj_fit_bgnbd(x, t_x, age, w) FROM sim_w', $REPS) AS weighted)
SELECT round(rows::numeric, 0) AS fit_rows_ms, round(bare::numeric, 0) AS bare_scan_ms,
       round((rows / bare)::numeric, 2) AS ratio, round(weighted::numeric, 1) AS fit_weighted_ms FROM t;

\echo '3. scoring the simulated rows (ms; ratio = score / bare scan; the models are constants)'
WITH m AS (SELECT quote_literal(bg::text) || '::cj_model' AS bg, quote_literal(gg::text) || '::cj_model' AS gg FROM models),
t AS (SELECT
    bench_ms('SELECT sum(x) + sum(t_x) + sum(age) FROM sim', $REPS) AS bare,
    bench_ms(format('SELECT sum(cj_p_alive(%s, x, t_x, age)) FROM sim', m.bg), $REPS) AS p_alive,
    bench_ms(format('SELECT sum(cj_conditional_purchases(%s, x, t_x, age, 39)) FROM sim', m.bg), $REPS) AS cond,
    bench_ms(format('SELECT sum(cj_clv(%s, %s, x, t_x, age, m, 12, 4.35, 0.01)) FROM sim', m.bg, m.gg), 1) AS clv
    FROM m)
SELECT 'cj_p_alive' AS score, round(p_alive::numeric, 0) AS ms, round(bare::numeric, 0) AS bare_ms,
       round((p_alive / bare)::numeric, 2) AS ratio FROM t
UNION ALL SELECT 'cj_conditional_purchases', round(cond::numeric, 0), round(bare::numeric, 0), round((cond / bare)::numeric, 2) FROM t
UNION ALL SELECT 'cj_clv (12 periods)', round(clv::numeric, 0), round(bare::numeric, 0), round((clv / bare)::numeric, 2) FROM t;
SQL
