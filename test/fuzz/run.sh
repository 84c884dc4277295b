#!/usr/bin/env bash
# test/fuzz/run.sh NAME [SECONDS] [extra libFuzzer flags...]
#   Run one libFuzzer target (built by build.sh) for SECONDS (default 300)
#   on one core, from a corpus seeded by test/fuzz/seeds.  Text targets
#   take every line of the seed files of their type; binary targets start
#   from the seeds' binary forms in test/fuzz/seeds/wire/<type>/ (if any).
#   The corpus grows in test/fuzz/corpus/NAME (not committed); a crash
#   leaves test/fuzz/crash-* and a non-zero exit.  Prints the exec count.
set -u
cd "$(dirname "$0")/../.."
name=$1
secs=${2:-300}
shift $(( $# >= 2 ? 2 : 1 ))
src=$(ls test/fuzz/*/"fuzz_$name.c" 2>/dev/null | head -n 1)
[ -n "$src" ] || { echo "no fuzz target $name" >&2; exit 2; }
bin=${src%.c}.bin
[ -x "$bin" ] || test/fuzz/build.sh "$name"
corpus=test/fuzz/corpus/$name
mkdir -p "$corpus"
# which seeds a target starts from: "# seeds: <type> [wire]" in its source
read -r stype swire < <(sed -nE 's/^ \* seeds: ([a-z_]+)( wire)?.*/\1 \2/p' \
    "$src" | head -n 1; echo)
if [ -n "${stype:-}" ]; then
    if [ -n "${swire:-}" ]; then
        [ -d "test/fuzz/seeds/wire/$stype" ] && cp test/fuzz/seeds/wire/"$stype"/* "$corpus"/ 2>/dev/null || true
    elif [ -f "test/fuzz/seeds/$stype.txt" ]; then
        i=0
        grep -vE '^(#|\s*$)' "test/fuzz/seeds/$stype.txt" | while IFS= read -r line; do
            i=$((i + 1))
            printf '%s' "$line" > "$corpus/seed_$i"
        done
    fi
fi
mkdir -p test/fuzz/artifacts
log=test/fuzz/artifacts/$name.log
"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=60 -rss_limit_mb=2048 \
    -artifact_prefix=test/fuzz/artifacts/"$name"- "$@" "$corpus" >"$log" 2>&1
rc=$?
grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|ERROR|SUMMARY|invariant' "$log" || true
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
echo "fuzz_$name: ${execs:-?} executions in ${secs}s, exit $rc"
exit $rc
