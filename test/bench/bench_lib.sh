# Shared set-up of the benchmarks in test/bench, sourced after PG_CONFIG
# is set: starts a throw-away cluster on a unix socket in a temporary
# directory (as user postgres when run as root), serial plans only, defines
# psql() for it, creates the extension, and removes everything on exit.

bindir=$("$PG_CONFIG" --bindir)

run_as=()
if [ "$(id -u)" -eq 0 ]; then
    run_as=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/cj_bench.XXXXXX)
[ "${#run_as[@]}" -gt 0 ] && chown postgres: "$dir"
port=$((20000 + RANDOM % 20000))

cleanup() {
    "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses='' -c shared_buffers=1GB \
        -c work_mem=2GB -c max_parallel_workers_per_gather=0 -c jit=off \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c max_wal_size=8GB" start >/dev/null

psql() { "${run_as[@]}" "$bindir/psql" -X -q -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 "$@"; }

psql -c "CREATE EXTENSION custjourney" || {
    echo "custjourney is not installed into $("$PG_CONFIG" --pkglibdir); run make install first" >&2
    exit 1
}
