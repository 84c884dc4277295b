#!/usr/bin/env bash
# Claim-next benchmark of the custjourney queue kit.
#
# Starts a throw-away cluster with the binaries of `pg_config --bindir`
# (unix socket only), queues N waiting tickets (default 1,000,000) and
# measures claims per second and p99 claim latency with 1, 8 and 16
# pgbench clients for
#   - cj_claim: earliest-due ticket by one probe of the partial (due, id)
#     index, FOR UPDATE SKIP LOCKED;
#   - the naive approach: the same queue in a plain table, the priority
#     (seconds waited + 60 s per tier point, as contact centers count it)
#     computed at claim time, so every claim sorts the waiting tickets.
# It also measures cj_claim with a short queue (10,000) to show the claim
# cost does not depend on the queue length.  Prints the ratios.
#
# Usage (as a non-root user; the extension must be installed for that
# PostgreSQL):  PG_CONFIG=/path/to/pg_config test/bench/service.sh
# Env: N (tickets, default 1000000), DUR (seconds per run, default 10).
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-pg_config}
BIN=$("$PG_CONFIG" --bindir)
N=${N:-1000000}
DUR=${DUR:-10}
DIR=$(mktemp -d)
PORT=$(( 40000 + RANDOM % 10000 ))
PGOPTS=(-h "$DIR" -p "$PORT" -d postgres -X -q)

stop() { "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true; }
trap 'stop; rm -rf "$DIR"' EXIT

"$BIN/initdb" -D "$DIR/data" -A trust >/dev/null
cat >> "$DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$DIR'
port = $PORT
shared_buffers = 256MB
synchronous_commit = off
max_connections = 50
CONF
"$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w start >/dev/null
psql() { "$BIN/psql" "${PGOPTS[@]}" "$@"; }

psql <<'SQL'
CREATE EXTENSION custjourney;
CREATE TABLE bench_sla AS SELECT 'platinum:30s, gold:2min, silver:5min, *:15min'::cj_sla AS sla;
CREATE TABLE naive_ticket (
	id bigserial PRIMARY KEY, customer text NOT NULL, tier text NOT NULL,
	arrived_at timestamptz NOT NULL, state text NOT NULL DEFAULT 'waiting',
	agent text, claimed_at timestamptz);
CREATE INDEX ON naive_ticket (state);
SQL

# load: tiers 10 % platinum, 25 % gold, 40 % silver, 25 % other
load() {
	psql -c "
	INSERT INTO cj_ticket (customer, tier, arrived_at, due)
	SELECT 'c' || i, t, a, cj_due(a, sla, t)
	FROM bench_sla, generate_series($1, $2) i,
	     LATERAL (SELECT CASE WHEN i % 20 < 2 THEN 'platinum' WHEN i % 20 < 7 THEN 'gold'
	                          WHEN i % 20 < 15 THEN 'silver' ELSE 'bronze' END AS t,
	                     now() - (i % 3600) * interval '1 s' AS a) x;
	INSERT INTO naive_ticket (customer, tier, arrived_at)
	SELECT 'c' || i, CASE WHEN i % 20 < 2 THEN 'platinum' WHEN i % 20 < 7 THEN 'gold'
	                      WHEN i % 20 < 15 THEN 'silver' ELSE 'bronze' END,
	       now() - (i % 3600) * interval '1 s'
	FROM generate_series($1, $2) i;" -c 'VACUUM ANALYZE cj_ticket, naive_ticket'
}

cat > "$DIR/claim.sql" <<'SQL'
SELECT id FROM cj_claim('agent' || :client_id, '{}');
SQL
cat > "$DIR/naive.sql" <<'SQL'
WITH next AS (
	SELECT id FROM naive_ticket
	WHERE state = 'waiting'
	ORDER BY extract(epoch FROM now() - arrived_at)
	         + 60 * CASE tier WHEN 'platinum' THEN 14 WHEN 'gold' THEN 13
	                          WHEN 'silver' THEN 10 ELSE 0 END DESC, id
	LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE naive_ticket t SET state = 'claimed', agent = 'agent' || :client_id,
	claimed_at = now()
FROM next WHERE t.id = next.id RETURNING t.id;
SQL

# run SCRIPT CLIENTS -> "tps p99_ms"
run() {
	local script=$1 clients=$2 out
	# every run starts from a vacuumed queue: claimed tickets leave dead
	# entries at the head of the index until vacuum removes them
	psql -c 'VACUUM cj_ticket, naive_ticket'
	rm -f "$DIR"/pgbench_log.*
	out=$(cd "$DIR" && "$BIN/pgbench" -h "$DIR" -p "$PORT" -n -c "$clients" \
		-j "$(( clients < 4 ? clients : 4 ))" -T "$DUR" -l -f "$script" postgres 2>/dev/null)
	local tps p99
	tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
	p99=$(cat "$DIR"/pgbench_log.* | awk '{print $3}' | sort -n |
		awk '{v[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.2f", v[i]/1000}')
	echo "$tps $p99"
}

# shared buffers one claim touches (plan of cj_claim's body, rolled back):
# a machine-independent measure of the claim's cost
bufs() {
	psql -At -c 'VACUUM cj_ticket' -c "BEGIN" -c "
	EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF)
	WITH next AS (SELECT t.id FROM cj_ticket t
	              WHERE t.queue = 'default' AND t.state = 'waiting'
	                AND t.skills <@ '{}'::text[]
	              ORDER BY t.due, t.id LIMIT 1 FOR UPDATE SKIP LOCKED)
	UPDATE cj_ticket t SET state = 'claimed', agent = 'x', claimed_at = now()
	FROM next WHERE t.id = next.id" -c "ROLLBACK" |
	sed -n 's/.*Buffers: shared hit=\([0-9]*\).*/\1/p' | head -1
}

echo "== short queue: 10,000 waiting"
load 1 10000
small_bufs=$(bufs)
"$BIN/pgbench" -h "$DIR" -p "$PORT" -n -c 1 -T 2 -f "$DIR/claim.sql" postgres >/dev/null 2>&1  # warm-up
read -r small_tps small_p99 < <(run "$DIR/claim.sql" 1)
printf "cj_claim  1 client : %10.1f claims/s  p99 %8s ms  (%s buffers per claim)\n" \
	"$small_tps" "$small_p99" "$small_bufs"

echo "== long queue: $N waiting"
load 10001 "$N"
long_bufs=$(bufs)
psql -At -c "SELECT count(*) || ' waiting (indexed), ' || (SELECT count(*) FROM naive_ticket WHERE state = 'waiting') || ' waiting (naive)' FROM cj_ticket WHERE state = 'waiting'"
declare -A TPS P99
for c in 1 8 16; do
	read -r TPS[cj$c] P99[cj$c] < <(run "$DIR/claim.sql" $c)
	read -r TPS[nv$c] P99[nv$c] < <(run "$DIR/naive.sql" $c)
	printf "clients %2d: cj_claim %10.1f claims/s p99 %8s ms | naive %8.1f claims/s p99 %9s ms | ratio %7.1fx\n" \
		$c "${TPS[cj$c]}" "${P99[cj$c]}" "${TPS[nv$c]}" "${P99[nv$c]}" \
		"$(echo "${TPS[cj$c]} / ${TPS[nv$c]}" | bc -l)"
done
printf "cj_claim with %s vs 10,000 waiting: %s vs %s buffers per claim; 1-client throughput ratio %.2f\n" \
	"$N" "$long_bufs" "$small_bufs" "$(echo "${TPS[cj1]} / $small_tps" | bc -l)"
