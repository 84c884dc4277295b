#!/usr/bin/env bash
# Benchmark of the journey aggregates against a bare scan of the same rows.
#
#   test/bench/journey.sh            full size: 10M touches in 1M journeys,
#                                    1M paths of 2-20 touches over 10 channels
#   SCALE=0.01 test/bench/journey.sh a quick run at 1/100 of the size
#
# The extension must already be installed into the PostgreSQL that
# pg_config (or $PG_CONFIG) points at; test/bench/bench_lib.sh starts a
# throw-away cluster on a unix socket (serial plans) and removes it at the
# end.  Each aggregate's time (best of REPEAT runs, as psql's \timing
# reports it) is printed as a ratio to the bare scan of the same rows
# measured in the same run.
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-pg_config}
SCALE=${SCALE:-1}
REPEAT=${REPEAT:-3}
journeys=$(awk "BEGIN { printf \"%d\", 1000000 * $SCALE }")
paths=$(awk "BEGIN { printf \"%d\", 1000000 * $SCALE }")
. "$(dirname "$0")/../bench_lib.sh"

echo "loading $journeys journeys of 10 touches and $paths paths of 2-20 touches ..."
psql <<SQL
SELECT setseed(0.5) AS seed \gset
CREATE TABLE bench_touch AS
SELECT j AS conv_id,
       'channel_' || (random() * 9)::int AS channel,
       '2024-01-01'::timestamptz + (j % 1000) * interval '1 hour'
           - random() * interval '30 days' AS touched_at,
       '2024-01-01'::timestamptz + (j % 1000) * interval '1 hour' AS converted_at
FROM generate_series(1, $journeys) j, generate_series(1, 10) k;
CREATE TABLE bench_path AS
SELECT ARRAY(SELECT 'channel_' || (random() * 9)::int + 0 * g
             FROM generate_series(1, 2 + i % 19) g) AS path,
       (i % 4 = 0)::int::bigint AS conv,
       (i % 4 <> 0)::int::bigint AS nonconv
FROM generate_series(1, $paths) i;
VACUUM ANALYZE bench_touch;
VACUUM ANALYZE bench_path;
SQL

# best seconds of REPEAT runs of a query, as psql's \timing reports them
best() {
    local q=$1 d b=""
    for _ in $(seq "$REPEAT"); do
        d=$(psql -c '\timing on' -c "$q" | awk '/^Time:/ { print $2 / 1000 }')
        if [ -z "$b" ] || awk "BEGIN { exit !($d < $b) }"; then b=$d; fi
    done
    echo "$b"
}

scan_t=$(best "SELECT count(channel), max(touched_at), max(converted_at) FROM bench_touch")
group_t=$(best "SELECT count(*) FROM (SELECT conv_id, count(channel) FROM bench_touch GROUP BY conv_id) s")
attr_t=$(best "SELECT cj_credits_sum(c) FROM (SELECT cj_attribution(channel, touched_at, converted_at, 'linear') AS c FROM bench_touch GROUP BY conv_id) s")
decay_t=$(best "SELECT cj_credits_sum(c) FROM (SELECT cj_attribution(channel, touched_at, converted_at, 'time_decay', '7 days') AS c FROM bench_touch GROUP BY conv_id) s")
pscan_t=$(best "SELECT sum(cardinality(path)), sum(conv), sum(nonconv) FROM bench_path")
mk1_t=$(best "SELECT cj_markov_attribution(path, conv, nonconv) FROM bench_path")
mk3_t=$(best "SELECT cj_markov_attribution(path, conv, nonconv, 3) FROM bench_path")

ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
echo
echo "rows: $((journeys * 10)) touches in $journeys journeys; $paths paths"
printf '%-58s %8.2f s\n' "bare scan of the touches" "$scan_t"
printf '%-58s %8.2f s  x%s\n' "GROUP BY journey, count(channel) (reference)" "$group_t" "$(ratio "$group_t" "$scan_t")"
printf '%-58s %8.2f s  x%s\n' "cj_attribution linear per journey + cj_credits_sum" "$attr_t" "$(ratio "$attr_t" "$scan_t")"
printf '%-58s %8.2f s  x%s\n' "cj_attribution time_decay per journey + cj_credits_sum" "$decay_t" "$(ratio "$decay_t" "$scan_t")"
printf '%-58s %8.2f s\n' "bare scan of the paths" "$pscan_t"
printf '%-58s %8.2f s  x%s\n' "cj_markov_attribution order 1" "$mk1_t" "$(ratio "$mk1_t" "$pscan_t")"
printf '%-58s %8.2f s  x%s\n' "cj_markov_attribution order 3" "$mk3_t" "$(ratio "$mk3_t" "$pscan_t")"
