# Shared set-up of the benchmarks in test/bench (sourced, not run): starts
# a throw-away cluster of the PostgreSQL that pg_config (or $PG_CONFIG)
# points at, on a unix socket in a temporary directory (as user postgres
# when run as root), serial plans only, removed on exit; defines psql()
# for it, creates the extension and the SQL helper
#   bench_ms(query text, n int) -> best of n runs of the query, in ms.
# Sets: bindir, dir (the temporary directory), port, run_as.

PG_CONFIG=${PG_CONFIG:-pg_config}
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

psql <<'SQL'
-- best of n runs of a query, in milliseconds
CREATE FUNCTION bench_ms(q text, n int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    best float8 := 'Infinity';
    t0 timestamptz;
    dummy text;
BEGIN
    FOR i IN 1..n LOOP
        t0 := clock_timestamp();
        EXECUTE q INTO dummy;
        best := least(best, 1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
    RETURN best;
END $$;
SQL
