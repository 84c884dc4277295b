#!/usr/bin/env bash
# Routing benchmark of the custjourney queue kit (doc/service.md, "Routing").
#
# Starts a throw-away cluster with the binaries of `pg_config --bindir`
# (unix socket only) and queues, in one table:
#   - queue 'default': N waiting tickets (default 1,000,000), a fifth of
#     them pinned to one of 50 agents (half of the windows still open, half
#     over), the rest plain;
#   - queues 'p1', 'p2', 'p3': N/3 plain waiting tickets each;
#   - queue 'lvl': N waiting tickets with the levelled requirement
#     'billing>=4 for 30s; billing>=2' (all past their first step);
#   - queue 'short': SHORT plain waiting tickets (default 10,000).
# Then measures, one pgbench client each, in one run (VACUUM before each):
#   base   the 1.1 claim (its SQL body, kept here as bench_claim_11) on
#          'default': the baseline;
#   plain  cj_claim on 'default' by agents without pinned tickets;
#   pref   cj_claim on 'default' by the 50 preferred agents;
#   prof3  cj_claim over the profile {p1,p2,p3} with delays {0,1 min,-1 min};
#   lvl    cj_claim(agent, 'billing:3'::cj_skillset) on 'lvl' (each probe
#          checks the requirement at the ticket's wait);
#   short  cj_claim on 'short' (SHORT waiting) against plain (N waiting);
#   pos    cj_queue_position of tickets 10, 1,000 and 100,000 places from
#          the front of 'default' (server time per call: 200 calls in one
#          statement, so the client round trip is not counted).
# and prints each claim's cost relative to the baseline (target: within 2x)
# and short/long (target: within 1.3x).
#
# Usage (as a non-root user; the extension must be installed for that
# PostgreSQL):  PG_CONFIG=/path/to/pg_config test/bench/service/routing.sh
# Env: N (tickets, default 1000000), DUR (seconds per run, default 10),
# ROUNDS (runs of each claim, best taken, default 3), SHORT (tickets of
# 'short', default 10000).  A run must not drain its queue (a claim that
# finds nothing is fast): the script checks that every queue still has
# waiting tickets after the claims; raise N and SHORT or lower DUR if not.
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-pg_config}
BIN=$("$PG_CONFIG" --bindir)
N=${N:-1000000}
SHORT=${SHORT:-10000}
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
shared_buffers = 512MB
synchronous_commit = off
max_connections = 20
autovacuum = off
CONF
"$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w start >/dev/null
psql() { "$BIN/psql" "${PGOPTS[@]}" "$@"; }

echo "== load ($(uptime | sed 's/.*load/load/'))"
psql <<SQL
CREATE EXTENSION custjourney;
-- the claim of 1.1, verbatim: the baseline
CREATE FUNCTION bench_claim_11(agent text, skills text[] DEFAULT '{}'::text[],
	queue text DEFAULT 'default'::text)
RETURNS SETOF cj_ticket
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE ROWS 1
BEGIN ATOMIC
	WITH next AS (
		SELECT t.id FROM cj_ticket t
		WHERE t.queue = bench_claim_11.queue AND t.state = 'waiting'::text
		  AND t.skills <@ bench_claim_11.skills
		ORDER BY t.due, t.id
		LIMIT 1
		FOR UPDATE SKIP LOCKED
	)
	UPDATE cj_ticket t
	SET state = 'claimed'::text, agent = bench_claim_11.agent,
		claimed_at = pg_catalog.now(), claims = t.claims + 1
	FROM next
	WHERE t.id = next.id
	RETURNING t.*;
END;
-- tickets as cj_enqueue_due stores them (pinned_until, held_until derived
-- the same way), inserted in bulk
INSERT INTO cj_ticket (customer, arrived_at, due, queue, preferred_agent,
	prefer_for, pinned_until, held_until)
SELECT 'c' || i, a, a + interval '5 min', 'default',
       CASE WHEN i % 5 = 0 THEN 'agent' || (i / 5) % 50 END,
       CASE WHEN i % 5 = 0 THEN w END,
       CASE WHEN i % 5 = 0 THEN a + w END,
       CASE WHEN i % 5 = 0 AND a + w > now() THEN a + w END
FROM generate_series(1, $N) i,
     LATERAL (SELECT now() - interval '1 hour' + (i::float8 / $N) * interval '1 hour' AS a,
                     CASE WHEN i % 10 = 0 THEN interval '2 hours' ELSE interval '1 s' END AS w) x;
INSERT INTO cj_ticket (customer, arrived_at, due, queue)
SELECT 'c' || i, a, a + interval '5 min', (ARRAY['p1', 'p2', 'p3'])[1 + i % 3]
FROM generate_series(1, $N) i,
     LATERAL (SELECT now() - interval '1 hour' + (i::float8 / $N) * interval '1 hour' AS a) x;
INSERT INTO cj_ticket (customer, arrived_at, due, queue, requirement)
SELECT 'c' || i, a, a + interval '5 min', 'lvl', 'billing>=4 for 30s; billing>=2'
FROM generate_series(1, $N) i,
     LATERAL (SELECT now() - interval '1 hour' + (i::float8 / $N) * interval '59 min' AS a) x;
INSERT INTO cj_ticket (customer, arrived_at, due, queue)
SELECT 'c' || i, a, a + interval '5 min', 'short'
FROM generate_series(1, $SHORT) i,
     LATERAL (SELECT now() - interval '1 hour' + (i::float8 / $SHORT) * interval '1 hour' AS a) x;
VACUUM ANALYZE cj_ticket;
SQL
psql -At -c "SELECT queue || ': ' || count(*) || ' waiting, ' || count(held_until) || ' pinned now'
             FROM cj_ticket WHERE state = 'waiting' GROUP BY queue ORDER BY queue"

w() { printf '%s\n' "$2" > "$DIR/$1.sql"; }
w base  "SELECT id FROM bench_claim_11('x' || :client_id, '{}', 'default');"
w plain "SELECT id FROM cj_claim('x' || :client_id, '{}', 'default');"
w pref  "\\set a random(0, 49)
SELECT id FROM cj_claim('agent' || :a, '{}', 'default');"
w prof3 "SELECT id FROM cj_claim('x' || :client_id, '{}', queues => '{p1,p2,p3}', delays => '{0,1 min,-1 min}');"
w short "SELECT id FROM cj_claim('x' || :client_id, '{}', 'short');"
w lvl   "SELECT id FROM cj_claim('x' || :client_id, 'billing:3'::cj_skillset, 'lvl');"

# run NAME -> average latency in ms (1 client)
run() {
	psql -c 'VACUUM cj_ticket'
	"$BIN/pgbench" -h "$DIR" -p "$PORT" -n -c 1 -T "$DUR" -f "$DIR/$1.sql" postgres 2>/dev/null |
		sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p'
}

declare -A L
# warm-up, then each ROUNDS times in alternating order; the best
"$BIN/pgbench" -h "$DIR" -p "$PORT" -n -c 1 -T 2 -f "$DIR/base.sql" postgres >/dev/null 2>&1
for round in $(seq "${ROUNDS:-3}"); do
	for k in base plain pref prof3 lvl short; do
		v=$(run $k)
		if [ -z "${L[$k]:-}" ] || [ "$(echo "$v < ${L[$k]}" | bc -l)" = 1 ]; then L[$k]=$v; fi
	done
done
echo "== claims (1 client, ms per claim, best of ${ROUNDS:-3} runs of ${DUR}s)"
for k in base plain pref prof3 lvl short; do
	printf "%-6s %8.3f ms   %5.2fx base\n" $k "${L[$k]}" "$(echo "${L[$k]} / ${L[base]}" | bc -l)"
done
printf "%s vs %s waiting (plain / short): %.2fx\n" "$SHORT" "$N" "$(echo "${L[plain]} / ${L[short]}" | bc -l)"

drained=$(psql -At -c "SELECT string_agg(q, ', ') FROM unnest(ARRAY['default', 'p1', 'p2', 'p3', 'lvl', 'short']) q
	WHERE NOT EXISTS (SELECT FROM cj_ticket t WHERE t.queue = q AND t.state = 'waiting'
		AND t.held_until IS NULL)")
[ -n "$drained" ] && echo "WARNING: drained during the runs (figures not valid): $drained"
echo "== cj_queue_position (ms per call, 1 client)"
psql -c 'VACUUM cj_ticket'
for k in 10 1000 100000; do
	id=$(psql -At -c "SELECT id FROM cj_ticket WHERE queue = 'default' AND state = 'waiting'
	                  AND held_until IS NULL ORDER BY due, id OFFSET $k LIMIT 1")
	w pos "SELECT sum(cj_queue_position($id)) FROM generate_series(1, 200);"
	pos=$(psql -At -c "SELECT cj_queue_position($id)")
	lat=$("$BIN/pgbench" -h "$DIR" -p "$PORT" -n -c 1 -T 3 -f "$DIR/pos.sql" postgres 2>/dev/null |
		sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p')
	printf "position %7s: %8.4f ms per call\n" "$pos" "$(echo "$lat / 200" | bc -l)"
done
echo "== done ($(uptime | sed 's/.*load/load/'))"
