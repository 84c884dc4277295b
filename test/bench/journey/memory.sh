#!/usr/bin/env bash
# Benchmark of cj_memory (doc/journey.md): in one run, on the same tables,
#   1. build: the memories of CUSTOMERS customers from TOUCHES touches
#      (default 1,000,000 / 20,000,000) with cj_memory_agg, against the
#      equivalent built-in query: the last 5 contacts with
#      array_agg(... ORDER BY occurred_at DESC) sliced to 5, count(*)
#      FILTER per channel and bool_or for open cases.  Target: ratio < 1.0.
#   2. upsert: the incremental recipe (aggregate a batch of new touches per
#      customer, INSERT ... ON CONFLICT DO UPDATE SET memory =
#      cj_memory_merge(...)) against a plain INSERT of the same touches
#      into the touch log, as touches per second.  Target: ratio >= 0.5.
#      Beside it the same upsert with SET memory = cm.memory: rewriting the
#      stored rows without merging, the ceiling of any upsert recipe.
#   3. screen pop: the documented screen-pop query for one customer id
#      (name, tier and gap, points and next expiry, CLV and P(alive), last
#      three contacts, open cases, repeat contact, preferred agent) over
#      one million customers, best and median latency of POPS random ids.
#      Target: < 1 ms.
#
# The extension must be installed into the PostgreSQL that pg_config (or
# $PG_CONFIG) points at; the script starts its own throw-away cluster
# (bench_lib.sh).
#
#   test/bench/memory.sh                                   # full size
#   CUSTOMERS=100000 TOUCHES=2000000 test/bench/memory.sh  # quick
set -eu

CUSTOMERS=${CUSTOMERS:-1000000}
TOUCHES=${TOUCHES:-20000000}
BATCH=${BATCH:-200000}
REPS=${REPS:-3}
POPS=${POPS:-2000}
PG_CONFIG=${PG_CONFIG:-pg_config}
. "$(dirname "$0")/../bench_lib.sh"

echo "loading $TOUCHES touches of $CUSTOMERS customers ..."
psql <<SQL
SELECT setseed(0.16);
-- 4 channels, 200 agents, 20 topics, statuses on 60% of touches, a case
-- reference on 40% (a few per customer, reopened at times)
CREATE UNLOGGED TABLE touches AS
SELECT c AS customer, at AS occurred_at,
       (ARRAY['phone', 'web', 'store', 'email'])[1 + (h % 4)] AS channel,
       'agent' || (h / 4 % 200) AS agent,
       'topic' || (h / 800 % 20) AS topic,
       (ARRAY['open', 'pending', 'resolved', 'closed', NULL])[1 + (h / 16000 % 5)] AS status,
       CASE WHEN h / 80000 % 5 < 2 THEN 'C' || c || '-' || (h / 400000 % 3) END AS ref
FROM (SELECT (random() * ($CUSTOMERS - 1))::int + 1 AS c,
             '2024-01-01 00:00+00'::timestamptz + (random() * 365 * 86400)::int * interval '1 second' AS at,
             (random() * 2147483647)::int AS h
      FROM generate_series(1, $TOUCHES)) s;
VACUUM ANALYZE touches;
SQL

q_mem="SELECT sum(cj_contact_count(m))::text FROM (SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref) m FROM touches GROUP BY customer) s"
q_builtin="SELECT sum(n)::text FROM (SELECT customer, (array_agg(ROW(occurred_at, channel, agent, topic, status, ref) ORDER BY occurred_at DESC))[1:5] AS last5, count(*) AS n, count(*) FILTER (WHERE channel = 'phone') AS phone, count(*) FILTER (WHERE channel = 'web') AS web, count(*) FILTER (WHERE channel = 'store') AS store, count(*) FILTER (WHERE channel = 'email') AS email, bool_or(status = 'open') AS open FROM touches GROUP BY customer) s WHERE last5 IS NOT NULL"

psql -At <<SQL
SELECT CASE WHEN ($q_mem) = ($q_builtin) THEN 'check: same number of contacts'
            ELSE 'check: MISMATCH' END;
SELECT 'state size: ' || round(avg(pg_column_size(m))) || ' bytes per memory on average'
FROM (SELECT cj_memory_agg(occurred_at, channel, agent, topic, status, ref) m
      FROM touches WHERE customer <= 10000 GROUP BY customer) s;
SQL

echo "1. build (best of $REPS, serial plans) ..."
psql -At <<SQL
CREATE TEMP TABLE t (name text, ms float8);
DO \$\$
BEGIN
    FOR i IN 1..$REPS LOOP
        INSERT INTO t VALUES ('memory', bench_ms(\$q\$$q_mem\$q\$, 1));
        INSERT INTO t VALUES ('builtin', bench_ms(\$q\$$q_builtin\$q\$, 1));
        PERFORM set_config('enable_hashagg', 'off', false);
        INSERT INTO t VALUES ('memory (sort plan)', bench_ms(\$q\$$q_mem\$q\$, 1));
        PERFORM set_config('enable_hashagg', 'on', false);
    END LOOP;
END \$\$;
SELECT format('%-20s %8s ms', name, round(min(ms)::numeric, 0)) FROM t GROUP BY name
ORDER BY array_position(ARRAY['memory', 'builtin', 'memory (sort plan)'], name);
SELECT format('ratio memory/builtin = %s (target < 1.0)',
              round(((SELECT min(ms) FROM t WHERE name = 'memory') /
                     (SELECT min(ms) FROM t WHERE name = 'builtin'))::numeric, 3));
-- the built-in query sorts (ORDER BY inside array_agg); with the same plan
-- shape (enable_hashagg = off) the per-row costs compare directly
SELECT format('ratio memory (sort plan)/builtin = %s (same plan shape)',
              round(((SELECT min(ms) FROM t WHERE name = 'memory (sort plan)') /
                     (SELECT min(ms) FROM t WHERE name = 'builtin'))::numeric, 3));
SQL

echo "2. upsert recipe vs plain insert (batches of $BATCH touches) ..."
psql -At <<SQL
-- the stored memories, built once, as the recipe maintains them
-- (lz4: the recipe's recommendation; pglz compression of each new version
-- costs more than the merge)
CREATE TABLE customer_memory (customer int PRIMARY KEY, memory cj_memory COMPRESSION lz4 NOT NULL);
INSERT INTO customer_memory
SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref)
FROM touches GROUP BY customer;
VACUUM ANALYZE customer_memory;
-- a touch log with the index a touch log has
CREATE TABLE touch_log (LIKE touches);
CREATE INDEX ON touch_log (customer, occurred_at);
-- new touches, a year later
CREATE UNLOGGED TABLE new_touches AS
SELECT customer, occurred_at + interval '1 year' AS occurred_at, channel, agent, topic, status, ref
FROM touches LIMIT $BATCH * $REPS;
SQL
psql -At <<SQL
-- batch numbers 1..REPS by row position
CREATE TEMP TABLE nb AS SELECT *, 1 + (row_number() OVER () - 1) / $BATCH AS b FROM new_touches;
CREATE TEMP TABLE u (name text, ms float8);
DO \$\$
DECLARE t0 timestamptz;
BEGIN
    FOR i IN 1..$REPS LOOP
        t0 := clock_timestamp();
        INSERT INTO touch_log SELECT customer, occurred_at, channel, agent, topic, status, ref FROM nb WHERE b = i;
        INSERT INTO u VALUES ('insert', 1000 * extract(epoch FROM clock_timestamp() - t0));
        -- the same upsert keeping each stored memory as it is: what
        -- PostgreSQL spends rewriting the rows, without any merge
        t0 := clock_timestamp();
        INSERT INTO customer_memory AS cm (customer, memory)
        SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref)
        FROM nb WHERE b = i GROUP BY customer
        ON CONFLICT (customer) DO UPDATE SET memory = cm.memory;
        INSERT INTO u VALUES ('rewrite', 1000 * extract(epoch FROM clock_timestamp() - t0));
        t0 := clock_timestamp();
        INSERT INTO customer_memory AS cm (customer, memory)
        SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref)
        FROM nb WHERE b = i GROUP BY customer
        ON CONFLICT (customer) DO UPDATE SET memory = cj_memory_merge(cm.memory, EXCLUDED.memory);
        INSERT INTO u VALUES ('upsert', 1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
END \$\$;
SELECT format('%-8s %8s ms per %s touches = %s touches/s', name, round(min(ms)::numeric, 0), $BATCH,
              round($BATCH / (min(ms) / 1000))) FROM u GROUP BY name ORDER BY name;
SELECT format('ratio upsert/insert throughput = %s (target >= 0.5)',
              round(((SELECT min(ms) FROM u WHERE name = 'insert') /
                     (SELECT min(ms) FROM u WHERE name = 'upsert'))::numeric, 3));
SELECT format('ceiling of any upsert recipe    = %s (the same upsert rewriting each row unchanged, no merge)',
              round(((SELECT min(ms) FROM u WHERE name = 'insert') /
                     (SELECT min(ms) FROM u WHERE name = 'rewrite'))::numeric, 3));
-- the upserts kept every touch
SELECT CASE WHEN (SELECT sum(cj_contact_count(memory)) FROM customer_memory)
                 = (SELECT count(*) FROM touches) + (SELECT count(*) FROM nb)
            THEN 'check: every touch counted' ELSE 'check: MISMATCH' END;
SQL

echo "3. screen pop at $CUSTOMERS customers ..."
psql -At <<SQL
CREATE TABLE customers (customer_id int PRIMARY KEY, name text NOT NULL);
INSERT INTO customers SELECT i, 'Customer ' || i FROM generate_series(1, $CUSTOMERS) i;
-- per-customer value state, maintained like the memory (cj_history_merge,
-- cj_points_ledger); here built once from synthetic purchases
CREATE TABLE customer_value (customer_id int PRIMARY KEY, history cj_history NOT NULL,
                             qualifying numeric NOT NULL, ledger cj_points_ledger);
INSERT INTO customer_value
SELECT customer, cj_history_agg(occurred_at, 25::numeric), 25 * count(*),
       cj_points_ledger('earn', 25, occurred_at, occurred_at + interval '2 years')
FROM touches WHERE channel = 'store' GROUP BY customer;
VACUUM ANALYZE customers, customer_value, customer_memory;
CREATE TABLE settings (ladder cj_ladder, purchase_model cj_model, spend_model cj_model);
INSERT INTO settings VALUES (
    cj_ladder('[{"name": "member", "qualify": 0}, {"name": "silver", "qualify": 100, "keep": 80}, {"name": "gold", "qualify": 250, "keep": 200}]'::jsonb),
    'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257) unit=7d', 'gg(p=6.25, q=3.74, gamma=15.44)');

-- the screen-pop query of doc/journey.md
PREPARE pop(int) AS
SELECT c.name,
       cj_tier(s.ladder, v.qualifying) AS tier,
       cj_tier_gap(s.ladder, v.qualifying) AS to_next_tier,
       (cj_points_balance(v.ledger, now())).available AS points,
       (cj_points_balance(v.ledger, now())).next_expiry_at AS points_expire_at,
       cj_clv(s.purchase_model, s.spend_model, v.history, now(), 12, 4.35, 0.01) AS clv,
       cj_p_alive(s.purchase_model, v.history, now()) AS p_alive,
       (SELECT jsonb_agg(to_jsonb(x)) FROM cj_last_contacts(m.memory, 3) x) AS last_contacts,
       (SELECT jsonb_agg(to_jsonb(o)) FROM cj_open_cases(m.memory) o) AS open_cases,
       cj_repeat_contact(m.memory, '7 days') AS repeat_contact,
       cj_last_agent(m.memory, 'phone') AS preferred_agent
FROM customers c
CROSS JOIN settings s
LEFT JOIN customer_value v ON v.customer_id = c.customer_id
LEFT JOIN customer_memory m ON m.customer = c.customer_id
WHERE c.customer_id = \$1;

EXPLAIN (COSTS OFF) EXECUTE pop(42);
EXECUTE pop(42);
SQL
psql -At <<SQL
PREPARE pop(int) AS
SELECT c.name,
       cj_tier(s.ladder, v.qualifying) AS tier,
       cj_tier_gap(s.ladder, v.qualifying) AS to_next_tier,
       (cj_points_balance(v.ledger, now())).available AS points,
       (cj_points_balance(v.ledger, now())).next_expiry_at AS points_expire_at,
       cj_clv(s.purchase_model, s.spend_model, v.history, now(), 12, 4.35, 0.01) AS clv,
       cj_p_alive(s.purchase_model, v.history, now()) AS p_alive,
       (SELECT jsonb_agg(to_jsonb(x)) FROM cj_last_contacts(m.memory, 3) x) AS last_contacts,
       (SELECT jsonb_agg(to_jsonb(o)) FROM cj_open_cases(m.memory) o) AS open_cases,
       cj_repeat_contact(m.memory, '7 days') AS repeat_contact,
       cj_last_agent(m.memory, 'phone') AS preferred_agent
FROM customers c
CROSS JOIN settings s
LEFT JOIN customer_value v ON v.customer_id = c.customer_id
LEFT JOIN customer_memory m ON m.customer = c.customer_id
WHERE c.customer_id = \$1;
-- warm the cache for the ids we will ask for, then time each lookup
SELECT setseed(0.3);
CREATE TEMP TABLE ids AS SELECT 1 + (random() * ($CUSTOMERS - 1))::int AS id FROM generate_series(1, $POPS);
CREATE TEMP TABLE lat (ms float8);
DO \$\$
DECLARE r record; t0 timestamptz; d text;
BEGIN
    FOR r IN SELECT id FROM ids LOOP
        EXECUTE 'EXECUTE pop(' || r.id || ')' INTO d;
    END LOOP;
    FOR r IN SELECT id FROM ids LOOP
        t0 := clock_timestamp();
        EXECUTE 'EXECUTE pop(' || r.id || ')' INTO d;
        INSERT INTO lat VALUES (1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
END \$\$;
SELECT format('screen pop: best %s ms, median %s ms, p99 %s ms over %s customers (target < 1 ms)',
              round(min(ms)::numeric, 3),
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 3),
              round((percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::numeric, 3), $POPS)
FROM lat;
SQL
