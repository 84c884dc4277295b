#!/usr/bin/env bash
# Benchmark of business-time due times: cj_due with a service calendar
# against the plain (wall-clock) cj_due over the same rows, in one run.
#
#   test/bench/calendar.sh            full size: 10M tickets over a year
#   SCALE=0.1 test/bench/calendar.sh  a quick run at 1/10 of the size
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at; test/bench/bench_lib.sh starts a
# throw-away cluster on a unix socket (serial plans) and removes it at the
# end.  Arrivals are spread at random over 2026 (so both DST offsets of
# Europe/Paris and America/New_York occur, in random order).  Each query's
# time (best of REPEAT runs) is printed with its ratio to plain cj_due;
# the target is a ratio of at most 2 for the calendar with opening hours
# and holidays.
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-pg_config}
SCALE=${SCALE:-1}
REPEAT=${REPEAT:-3}
rows=$(awk "BEGIN { printf \"%d\", 10000000 * $SCALE }")
. "$(dirname "$0")/../bench_lib.sh"

echo "loading $rows tickets ..."
psql <<SQL
SELECT setseed(0.5) AS seed \gset
CREATE TABLE bench_ticket AS
SELECT '2026-01-01 00:00+00'::timestamptz + random() * interval '365 days' AS arrived_at,
       (ARRAY['platinum', 'gold', 'silver', 'bronze'])[1 + (i % 4)] AS tier
FROM generate_series(1, $rows) i;
VACUUM ANALYZE bench_ticket;
SQL

sla="'platinum:30min, gold:2h, silver:4h, *:8h'::cj_sla"
paris="'Europe/Paris; mon-fri 09:00-12:30, 13:30-18:00; sat 10:00-13:00; closed 2026-01-01, 2026-04-06, 2026-05-01, 2026-05-08, 2026-05-14, 2026-05-25, 2026-07-14, 2026-08-15, 2026-11-01, 2026-11-11, 2026-12-25'::cj_calendar"
ny="'America/New_York; mon-fri 08:00-20:00; sun 22:00-02:00'::cj_calendar"
utc="'UTC; 24x7'::cj_calendar"

declare -A q=(
    [scan]="SELECT max(arrived_at) FROM bench_ticket"
    [plain]="SELECT max(cj_due(arrived_at, $sla, tier)) FROM bench_ticket"
    [paris]="SELECT max(cj_due(arrived_at, $sla, tier, $paris)) FROM bench_ticket"
    [new_york]="SELECT max(cj_due(arrived_at, $sla, tier, $ny)) FROM bench_ticket"
    [utc_24x7]="SELECT max(cj_due(arrived_at, $sla, tier, $utc)) FROM bench_ticket"
    [time_paris]="SELECT max(cj_business_time(arrived_at, arrived_at + interval '3 days', $paris)) FROM bench_ticket"
)
declare -A ms
for k in scan plain paris new_york utc_24x7 time_paris; do
    ms[$k]=$(psql -At -c "SELECT round(bench_ms(\$q\$${q[$k]}\$q\$, $REPEAT)::numeric, 1)")
done
printf '%-12s %12s %10s\n' query ms ratio_to_plain
for k in scan plain paris new_york utc_24x7 time_paris; do
    printf '%-12s %12s %10s\n' "$k" "${ms[$k]}" "$(awk "BEGIN { printf \"%.2f\", ${ms[$k]} / ${ms[plain]} }")"
done
# the calendar's own cost per row, net of the scan both queries share
awk "BEGIN { printf \"per row: plain %.0f ns, paris %.0f ns over the scan\n\", \
    (${ms[plain]} - ${ms[scan]}) * 1e6 / $rows, (${ms[paris]} - ${ms[scan]}) * 1e6 / $rows }"
