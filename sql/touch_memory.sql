-- cj_memory: type I/O, limits, binary round trip and hostile bytes, the
-- aggregate against an independent plain-SQL computation of every
-- definition over random touch logs, plan independence (serial, parallel,
-- hash spill, hash-partitioned, merged random splits), and hostile
-- aggregates as a plain role.
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- the SQLSTATE (or 'ok') of a statement
CREATE FUNCTION mem_state(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE;
END $$;

-- ---------------------------------------------------------------- type I/O
CREATE TABLE mem_lit (name text, lit text);
INSERT INTO mem_lit VALUES
('one contact', 'memory(k=5, first=2024-01-01T10:00:00Z, last=2024-01-01T10:00:00Z, total=1, recent=[(2024-01-01T10:00:00Z, "phone", "alice", "billing", open, "T1")], days=[(0, "phone", 1)], channels=[(1, (2024-01-01T10:00:00Z, "phone", "alice", "billing", open, "T1"))], topics=[("billing", 1, 2024-01-01T10:00:00Z)], cases=[((2024-01-01T10:00:00Z, "phone", "alice", "billing", open, "T1"), (2024-01-01T10:00:00Z, "phone", "alice", "billing", open, "T1"), 2024-01-01T10:00:00Z, false)])'),
('nulls and quotes', 'memory(k=1, first=2024-01-01T10:00:00.5Z, last=2024-01-02T00:00:00Z, total=2, recent=[(2024-01-02T00:00:00Z, null, "a\"b\\c", null, null, null)], days=[(0, "we b", 1), (1, null, 1)], channels=[(1, (2024-01-02T00:00:00Z, null, "a\"b\\c", null, null, null)), (1, (2024-01-01T10:00:00.5Z, "we b", null, "x", null, "R"))], topics=[(null, 1, 2024-01-02T00:00:00Z), ("x", 1, 2024-01-01T10:00:00.5Z)], cases=[((2024-01-01T10:00:00.5Z, "we b", null, "x", null, "R"), null, null, false)])'),
('white space', '  memory( k = 5 , first=2024-01-01T10:00:00Z,last=2024-01-01T10:00:00Z,total=1,recent=[(2024-01-01T10:00:00Z,null,null,null,null,null)],days=[(0,null,1)],channels=[(1,(2024-01-01T10:00:00Z,null,null,null,null,null))],topics=[(null,1,2024-01-01T10:00:00Z)],cases=[] )  ');
-- canonical text reads back to itself
SELECT name, lit::cj_memory::text = lit AS canonical, lit::cj_memory::text::cj_memory = lit::cj_memory AS round_trip
FROM mem_lit ORDER BY name;
SELECT 'memory( k = 5 , first=2024-01-01T10:00:00Z,last=2024-01-01T10:00:00Z,total=1,recent=[(2024-01-01T10:00:00Z,null,null,null,null,null)],days=[(0,null,1)],channels=[(1,(2024-01-01T10:00:00Z,null,null,null,null,null))],topics=[(null,1,2024-01-01T10:00:00Z)],cases=[])'::cj_memory;

-- malformed and inconsistent literals: 22P02
SELECT r.name, mem_state(format('SELECT %L::cj_memory', replace(l.lit, r.a, r.b))) AS sqlstate
FROM mem_lit l, (VALUES
	('k=0', 'k=5', 'k=0'),
	('k=51', 'k=5', 'k=51'),
	('unknown status', 'open', 'opened'),
	('total off', 'total=1', 'total=2'),
	('recent missing', 'recent=[(2024-01-01T10:00:00Z, "phone", "alice", "billing", open, "T1")]', 'recent=[]'),
	('day count off', '(0, "phone", 1)', '(0, "phone", 2)'),
	('day before first', '(0, "phone", 1)', '(-1, "phone", 1)'),
	('day after last', '(0, "phone", 1)', '(1, "phone", 1)'),
	('channel count off', '(1, (2024', '(2, (2024'),
	('topic count off', '("billing", 1,', '("billing", 2,'),
	('contact after last', '(2024-01-01T10:00:00Z, "phone", "alice", "billing", open, "T1"))]', '(2024-01-01T11:00:00Z, "phone", "alice", "billing", open, "T1"))]'),
	('open case without opening', ', 2024-01-01T10:00:00Z, false)', ', null, false)'),
	('bad escape', '"alice"', '"al\ice"'),
	('unterminated', '"alice"', '"alice'),
	('trailing junk', '])', ']) x'),
	('not a memory', 'memory(', 'history('),
	('bad instant', 'first=2024-01-01T10:00:00Z', 'first=2024-01-01'),
	('long string', '"alice"', '"' || repeat('a', 201) || '"')
) r(name, a, b) WHERE l.name = 'one contact' ORDER BY r.name;
-- a 200-byte string is fine
SELECT mem_state(format('SELECT %L::cj_memory', replace(lit, '"alice"', '"' || repeat('a', 200) || '"')))
FROM mem_lit WHERE name = 'one contact';
-- unsorted sections are not canonical: rejected
SELECT mem_state(format('SELECT %L::cj_memory', 'memory(k=1, first=2024-01-01T10:00:00.5Z, last=2024-01-02T00:00:00Z, total=2, recent=[(2024-01-02T00:00:00Z, null, null, null, null, null)], days=[(0, "web", 1), (1, null, 1)], channels=[(1, (2024-01-01T10:00:00.5Z, "web", null, null, null, null)), (1, (2024-01-02T00:00:00Z, null, null, null, null, null))], topics=[(null, 2, 2024-01-02T00:00:00Z, 2024-01-01T10:00:00.5Z)], cases=[])'));
SELECT 'memory(k=0)'::cj_memory;

-- ---------------------------------------------------------------- aggregate arguments
CREATE TABLE mem_small (c int, at timestamptz, ch text, ag text, tp text, st text, rf text);
INSERT INTO mem_small VALUES
 (1, '2024-01-01 10:00+00', 'phone', 'alice', 'billing', 'open', 'T1'),
 (1, '2024-01-01 10:00+00', 'web', NULL, 'billing', NULL, NULL),
 (1, '2024-01-03 09:00+00', 'phone', 'bob', 'billing', 'resolved', 'T1'),
 (1, '2024-01-05 09:00+00', 'store', 'carol', 'repair', 'open', 'R7'),
 (1, '2024-01-06 09:00+00', 'phone', 'dave', 'billing', 'open', 'T1'),
 (1, NULL, 'phone', 'x', 'y', 'open', 'Z'),
 (2, '2024-02-01 00:00+00', NULL, NULL, NULL, NULL, NULL);
SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 3) FROM mem_small GROUP BY c ORDER BY c;
-- no rows: NULL
SELECT cj_memory_agg(at, ch, ag, tp, st, rf) IS NULL AS empty FROM mem_small WHERE false;
-- only NULL instants: NULL
SELECT cj_memory_agg(at, ch, ag, tp, st, rf) IS NULL AS all_null FROM mem_small WHERE at IS NULL;
SELECT name, mem_state(q) AS sqlstate FROM (VALUES
	('k 0', 'SELECT cj_memory_agg(at, ch, ag, tp, st, rf, 0) FROM mem_small'),
	('k 51', 'SELECT cj_memory_agg(at, ch, ag, tp, st, rf, 51) FROM mem_small'),
	('k NULL', 'SELECT cj_memory_agg(at, ch, ag, tp, st, rf, NULL) FROM mem_small'),
	('k 50', 'SELECT cj_memory_agg(at, ch, ag, tp, st, rf, 50) FROM mem_small'),
	('unknown status', $q$SELECT cj_memory_agg(at, ch, ag, tp, 'Open', rf) FROM mem_small$q$),
	('channel 201 bytes', $q$SELECT cj_memory_agg(at, repeat('x', 201), ag, tp, st, rf) FROM mem_small$q$),
	('ref 200 bytes', $q$SELECT cj_memory_agg(at, ch, ag, tp, st, repeat('é', 100)) FROM mem_small$q$),
	('ref 202 bytes', $q$SELECT cj_memory_agg(at, ch, ag, tp, st, repeat('é', 101)) FROM mem_small$q$),
	('infinite instant', $q$SELECT cj_memory_agg('infinity', ch, ag, tp, st, rf) FROM mem_small$q$),
	('65 channels', $q$SELECT cj_memory_agg(now(), 'c' || i, NULL, NULL, NULL, NULL) FROM generate_series(1, 65) i$q$),
	('64 channels', $q$SELECT cj_memory_agg(now(), 'c' || i, NULL, NULL, NULL, NULL) FROM generate_series(1, 64) i$q$),
	('1001 topics', $q$SELECT cj_memory_agg(now(), NULL, NULL, 't' || i, NULL, NULL) FROM generate_series(1, 1001) i$q$),
	('5001 cases', $q$SELECT cj_memory_agg(now(), NULL, NULL, NULL, NULL, 'r' || i) FROM generate_series(1, 5001) i$q$),
	('5000 cases', $q$SELECT cj_memory_agg(now(), NULL, NULL, NULL, NULL, 'r' || i) FROM generate_series(1, 5000) i$q$),
	('40001 days', $q$SELECT cj_memory_agg('2000-01-01'::timestamptz + i * interval '1 day', NULL, NULL, NULL, NULL, NULL) FROM generate_series(1, 40001) i$q$),
	('negative n', $q$SELECT cj_last_contacts(cj_memory_agg(at, ch, ag, tp, st, rf), -1) FROM mem_small$q$),
	('negative window', $q$SELECT cj_repeat_contact(cj_memory_agg(at, ch, ag, tp, st, rf), '-1 day') FROM mem_small$q$),
	('month window', $q$SELECT cj_repeat_contact(cj_memory_agg(at, ch, ag, tp, st, rf), '1 month') FROM mem_small$q$),
	('transition outside an aggregate', $q$SELECT cj_memory_trans(NULL, now(), 'a', 'b', 'c', 'open', 'd')$q$),
	('final outside an aggregate', $q$SELECT cj_memory_final(cj_memory_agg(at, ch, ag, tp, st, rf)) FROM mem_small$q$)
) v(name, q) ORDER BY name;
-- every status is accepted
SELECT cj_memory_agg(now(), NULL, NULL, NULL, s, 'r') IS NOT NULL AS accepted
FROM unnest(ARRAY['open', 'pending', 'resolved', 'closed', NULL]) s;

-- accessors on the small log
CREATE TABLE mem_small_m AS SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf) AS m FROM mem_small GROUP BY c;
SELECT c, (cj_last_contacts(m, 3)).* FROM mem_small_m ORDER BY c;
SELECT c, (cj_open_cases(m)).* FROM mem_small_m ORDER BY c;
SELECT c, (cj_contact_channels(m)).* FROM mem_small_m ORDER BY c;
SELECT c, (cj_contact_topics(m)).* FROM mem_small_m ORDER BY c;
SELECT c, cj_memory_k(m), cj_first_contact(m), cj_last_contact(m), cj_last_agent(m),
	cj_last_agent(m, 'phone') AS phone_agent, cj_last_agent(m, 'web') AS web_agent,
	cj_last_agent(m, 'fax') AS fax_agent, cj_last_topic(m),
	cj_repeat_contact(m, '3 days') AS rep3, cj_repeat_contact(m, '2 days 23:59:59') AS rep_under3,
	cj_contact_count(m) AS n, cj_contact_count(m, '2024-01-01', '2024-01-03') AS n13,
	cj_contact_count(m, '2024-01-01', '2024-01-03', 'phone') AS phone13,
	cj_contact_count(m, '-infinity', 'infinity') AS n_all
FROM mem_small_m ORDER BY c;
SELECT cj_memory_jsonb(m) FROM mem_small_m WHERE c = 1;

-- ---------------------------------------------------------------- random touch logs
-- 400 customers, 12,000 touches: instants on a coarse grid (ties), every
-- text field sometimes NULL, out-of-order rows, refs reused across
-- statuses (reopenings), a few NULL instants.
SELECT setseed(0.16);
CREATE TABLE mem_log AS
SELECT i AS id,
	(random() * 399)::int + 1 AS c,
	CASE WHEN random() < 0.01 THEN NULL
		 ELSE '2024-01-01 00:00+00'::timestamptz + ((random() * 200)::int * interval '6 hours') END AS at,
	(ARRAY['phone', 'web', 'store', 'email', NULL])[1 + floor(random() * 5)::int] AS ch,
	(ARRAY['ann', 'bea', 'cid', 'dan', 'eve', 'Zed', NULL])[1 + floor(random() * 7)::int] AS ag,
	(ARRAY['billing', 'repair', 'delivery', 'returns', NULL])[1 + floor(random() * 5)::int] AS tp,
	(ARRAY['open', 'pending', 'resolved', 'closed', NULL, NULL])[1 + floor(random() * 6)::int] AS st,
	CASE WHEN random() < 0.3 THEN NULL ELSE 'T' || floor(random() * 6)::int END AS rf
FROM generate_series(1, 12000) i
ORDER BY md5(i::text);  -- out of order (not random(): it would share the sort key's value)
SELECT count(*) AS touches, count(DISTINCT c) AS customers, count(*) FILTER (WHERE at IS NULL) AS null_at,
	count(*) - count(DISTINCT (c, at)) AS tied_instants
FROM mem_log;

CREATE TABLE mem_ref AS
SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) AS m FROM mem_log GROUP BY c;

-- the total order as sortable columns (NULL first, bytewise strings)
CREATE VIEW mem_ord AS
SELECT l.*, coalesce(array_position(ARRAY['open', 'pending', 'resolved', 'closed'], st), 0) AS stc
FROM mem_log l WHERE at IS NOT NULL;

-- last K contacts
WITH want AS (
	SELECT c, array_agg(ROW(at, ch, ag, tp, st, rf)::text ORDER BY rn) AS a
	FROM (SELECT *, row_number() OVER (PARTITION BY c ORDER BY at DESC, ch COLLATE "C" DESC NULLS LAST,
			ag COLLATE "C" DESC NULLS LAST, tp COLLATE "C" DESC NULLS LAST, stc DESC,
			rf COLLATE "C" DESC NULLS LAST) AS rn FROM mem_ord) o
	WHERE rn <= 7 GROUP BY c),
got AS (
	SELECT c, (SELECT array_agg(ROW(x.*)::text) FROM cj_last_contacts(m) x) AS a FROM mem_ref)
SELECT count(*) AS customers, count(*) FILTER (WHERE w.a IS DISTINCT FROM g.a) AS recent_mismatch
FROM want w FULL JOIN got g USING (c);

-- first, last, totals, last agent and topic
SELECT count(*) FILTER (WHERE cj_first_contact(m) IS DISTINCT FROM f OR cj_last_contact(m) IS DISTINCT FROM l
		OR cj_contact_count(m) IS DISTINCT FROM n) AS summary_mismatch,
	count(*) FILTER (WHERE cj_last_agent(m) IS DISTINCT FROM la OR cj_last_topic(m) IS DISTINCT FROM lt) AS last_mismatch
FROM mem_ref JOIN (
	SELECT c, min(at) f, max(at) l, count(*) n FROM mem_ord GROUP BY c) s USING (c)
JOIN (
	SELECT DISTINCT ON (c) c, ag AS la, tp AS lt FROM mem_ord
	ORDER BY c, at DESC, ch COLLATE "C" DESC NULLS LAST, ag COLLATE "C" DESC NULLS LAST,
		tp COLLATE "C" DESC NULLS LAST, stc DESC, rf COLLATE "C" DESC NULLS LAST) x USING (c);

-- per channel: count, latest contact and its agent
WITH want AS (
	SELECT DISTINCT ON (c, ch) c, ch, count(*) OVER (PARTITION BY c, ch) AS n, at, ag FROM mem_ord
	ORDER BY c, ch, at DESC, ag COLLATE "C" DESC NULLS LAST, tp COLLATE "C" DESC NULLS LAST, stc DESC,
		rf COLLATE "C" DESC NULLS LAST),
got AS (SELECT c, x.* FROM mem_ref, cj_contact_channels(m) x)
SELECT count(*) AS channel_rows,
	count(*) FILTER (WHERE w IS NULL OR g IS NULL OR (w.n, w.at, w.ag) IS DISTINCT FROM (g.contacts, g.last_at, g.last_agent)) AS channel_mismatch,
	count(*) FILTER (WHERE g.channel IS NOT NULL AND (SELECT cj_last_agent(m, g.channel) FROM mem_ref r WHERE r.c = g.c) IS DISTINCT FROM w.ag) AS last_agent_mismatch
FROM want w FULL JOIN got g ON w.c = g.c AND w.ch IS NOT DISTINCT FROM g.channel;

-- per topic: count and latest instant
WITH want AS (SELECT c, tp, count(*) n, max(at) l FROM mem_ord GROUP BY c, tp),
got AS (SELECT c, x.* FROM mem_ref, cj_contact_topics(m) x)
SELECT count(*) AS topic_rows,
	count(*) FILTER (WHERE w IS NULL OR g IS NULL OR (w.n, w.l) IS DISTINCT FROM (g.contacts, g.last_at)) AS topic_mismatch
FROM want w FULL JOIN got g ON w.c = g.c AND w.tp IS NOT DISTINCT FROM g.topic;

-- contacts per UTC day window, all channels and per channel
WITH win AS (
	SELECT c, d0::date AS d0, (d0 + (len || ' days')::interval)::date AS d1
	FROM mem_ref, LATERAL (SELECT '2024-01-01'::date + (random() * 50)::int AS d0, (random() * 20)::int AS len) r),
want AS (
	SELECT w.c, w.d0, w.d1, count(o.*) AS n, count(o.*) FILTER (WHERE o.ch = 'phone') AS phone
	FROM win w LEFT JOIN mem_ord o ON o.c = w.c AND (o.at AT TIME ZONE 'UTC')::date BETWEEN w.d0 AND w.d1
	GROUP BY w.c, w.d0, w.d1)
SELECT count(*) AS windows, sum(w.n) AS contacts_in_windows,
	count(*) FILTER (WHERE cj_contact_count(r.m, w.d0, w.d1) <> w.n
		OR cj_contact_count(r.m, w.d0, w.d1, 'phone') <> w.phone) AS window_mismatch
FROM want w JOIN mem_ref r USING (c);

-- repeat contact: the previous contact on the last contact's topic
WITH last AS (
	SELECT DISTINCT ON (c) c, at, tp FROM mem_ord
	ORDER BY c, at DESC, ch COLLATE "C" DESC NULLS LAST, ag COLLATE "C" DESC NULLS LAST,
		tp COLLATE "C" DESC NULLS LAST, stc DESC, rf COLLATE "C" DESC NULLS LAST),
prev AS (
	SELECT l.c, l.at, (SELECT o.at FROM mem_ord o WHERE o.c = l.c AND o.tp = l.tp ORDER BY o.at DESC OFFSET 1 LIMIT 1) AS p
	FROM last l),
want AS (SELECT c, w, coalesce(at - p <= w, false) AS rep FROM prev, unnest(ARRAY['0'::interval, '6 hours', '1 day', '3 days']) w)
SELECT w, count(*) FILTER (WHERE rep) AS repeats,
	count(*) FILTER (WHERE rep IS DISTINCT FROM cj_repeat_contact(m, w)) AS repeat_mismatch
FROM want JOIN mem_ref USING (c) GROUP BY w ORDER BY w;

-- open cases: latest status (by the total order) is open; opened_at the
-- first 'open' contact, last_at/agent/topic of the latest contact of the ref,
-- reopened when a resolved or closed status was ever recorded
WITH ls AS (
	SELECT DISTINCT ON (c, rf) c, rf, st FROM mem_ord WHERE rf IS NOT NULL AND st IS NOT NULL
	ORDER BY c, rf, at DESC, ch COLLATE "C" DESC NULLS LAST, ag COLLATE "C" DESC NULLS LAST,
		tp COLLATE "C" DESC NULLS LAST, stc DESC),
lc AS (
	SELECT DISTINCT ON (c, rf) c, rf, at, ag, tp FROM mem_ord WHERE rf IS NOT NULL
	ORDER BY c, rf, at DESC, ch COLLATE "C" DESC NULLS LAST, ag COLLATE "C" DESC NULLS LAST,
		tp COLLATE "C" DESC NULLS LAST, stc DESC),
agg AS (
	SELECT c, rf, min(at) FILTER (WHERE st = 'open') AS opened, bool_or(st IN ('resolved', 'closed')) AS reop
	FROM mem_ord WHERE rf IS NOT NULL GROUP BY c, rf),
want AS (
	SELECT ls.c, ls.rf, lc.tp, agg.opened, lc.at, lc.ag, coalesce(agg.reop, false) AS reop
	FROM ls JOIN lc USING (c, rf) JOIN agg USING (c, rf) WHERE ls.st = 'open'),
got AS (SELECT c, x.* FROM mem_ref, cj_open_cases(m) x)
SELECT count(*) AS open_cases, count(*) FILTER (WHERE w.reop) AS reopened,
	count(*) FILTER (WHERE w IS NULL OR g IS NULL OR
		(w.tp, w.opened, w.at, w.ag, w.reop) IS DISTINCT FROM (g.topic, g.opened_at, g.last_at, g.agent, g.reopened)) AS open_mismatch
FROM want w FULL JOIN got g ON w.c = g.c AND w.rf = g.ref;

-- every produced value reads back (text and jsonb)
SELECT count(*) FILTER (WHERE m::text::cj_memory = m AND m::text = m::text::cj_memory::text) AS text_round_trips,
	count(*) FILTER (WHERE (cj_memory_jsonb(m) ->> 'contacts')::bigint = cj_contact_count(m)) AS jsonb_ok
FROM mem_ref;

-- binary COPY round trip
CREATE TABLE mem_bin (c int, m cj_memory);
\copy mem_ref TO 'results/touch_memory.bin' WITH (FORMAT binary)
\copy mem_bin FROM 'results/touch_memory.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trip FROM mem_bin b JOIN mem_ref r USING (c) WHERE b.m = r.m AND b.m::text = r.m::text;

-- ---------------------------------------------------------------- same answer in every plan
CREATE FUNCTION mem_same(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE 'SELECT count(*) FROM (' || q || ') s FULL JOIN mem_ref r USING (c) WHERE s.m IS DISTINCT FROM r.m OR s.m::text IS DISTINCT FROM r.m::text' INTO n;
	RETURN n;
END $$;
-- input order
SELECT mem_same('SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM (SELECT * FROM mem_log ORDER BY id DESC) l GROUP BY c') AS reversed_mismatch;
-- sort-based grouping and hash grouping with spills
SET enable_hashagg = off;
SELECT mem_same('SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_log GROUP BY c') AS sorted_mismatch;
RESET enable_hashagg;
SET work_mem = '64kB';
SET enable_sort = off;
SELECT mem_same('SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_log GROUP BY c') AS spilled_mismatch;
RESET enable_sort;
RESET work_mem;
-- parallel: partial aggregates combined
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_log GROUP BY c;
SELECT mem_same('SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_log GROUP BY c') AS parallel_mismatch;
-- one group over everything, in parallel, against serial
EXPLAIN (COSTS OFF) SELECT cj_memory_agg(at, ch, ag, tp, st, rf) FROM mem_log;
CREATE TABLE mem_all_par AS SELECT cj_memory_agg(at, ch, ag, tp, st, rf, 50) m FROM mem_log;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT (SELECT m FROM mem_all_par) = cj_memory_agg(at, ch, ag, tp, st, rf, 50) AS all_parallel_equal,
	cj_contact_count(cj_memory_agg(at, ch, ag, tp, st, rf, 50)) AS all_contacts
FROM mem_log;
RESET max_parallel_workers_per_gather;
-- hash-partitioned by row id: partitionwise partial aggregates per customer
CREATE TABLE mem_part (LIKE mem_log) PARTITION BY HASH (id);
CREATE TABLE mem_part_0 PARTITION OF mem_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE mem_part_1 PARTITION OF mem_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE mem_part_2 PARTITION OF mem_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO mem_part SELECT * FROM mem_log;
ANALYZE mem_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_part GROUP BY c;
SELECT mem_same('SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_part GROUP BY c') AS partitioned_mismatch;
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
-- random splits merged with cj_memory_merge (NULL is the empty memory)
SELECT setseed(0.5);
CREATE TABLE mem_split AS SELECT *, floor(random() * 3)::int AS part FROM mem_log;
SELECT mem_same($q$
	SELECT c, cj_memory_merge(cj_memory_merge(a.m, b.m), d.m) m
	FROM (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_split WHERE part = 0 GROUP BY c) a
	FULL JOIN (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_split WHERE part = 1 GROUP BY c) b USING (c)
	FULL JOIN (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_split WHERE part = 2 GROUP BY c) d USING (c)
$q$) AS split_mismatch;
-- merging in the other order, and a merge of the same memory-set by a partial aggregate
SELECT mem_same($q$
	SELECT c, cj_memory_merge(d.m, cj_memory_merge(b.m, a.m)) m
	FROM (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_split WHERE part = 0 GROUP BY c) a
	FULL JOIN (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_split WHERE part = 1 GROUP BY c) b USING (c)
	FULL JOIN (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 7) m FROM mem_split WHERE part = 2 GROUP BY c) d USING (c)
$q$) AS split_mismatch_reordered;
-- different K: the merge keeps the smaller K, exactly the aggregate with that K
SELECT count(*) FILTER (WHERE cj_memory_merge(a.m, b.m) = r.m) AS min_k_equal, min(cj_memory_k(cj_memory_merge(a.m, b.m))) AS k
FROM (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 3) m FROM mem_split WHERE part = 0 GROUP BY c) a
JOIN (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 9) m FROM mem_split WHERE part <> 0 GROUP BY c) b USING (c)
JOIN (SELECT c, cj_memory_agg(at, ch, ag, tp, st, rf, 3) m FROM mem_log GROUP BY c) r USING (c);
-- rows with different k in one group: the smallest k wins, whatever the order
SELECT cj_memory_agg(at, ch, ag, tp, st, rf, CASE WHEN id % 2 = 0 THEN 4 ELSE 6 END ORDER BY id)
	= cj_memory_agg(at, ch, ag, tp, st, rf, 4) AS min_k_rows
FROM mem_log WHERE c = 1;
-- hash operator class: GROUP BY and DISTINCT on memories
SELECT count(*) AS distinct_memories FROM (SELECT DISTINCT m FROM (SELECT m FROM mem_ref UNION ALL SELECT m FROM mem_bin) s) d;
SELECT count(*) AS groups FROM (SELECT m FROM mem_ref UNION ALL SELECT m FROM mem_bin) s GROUP BY m HAVING count(*) <> 2;

-- ---------------------------------------------------------------- hostile binary input
CREATE TABLE mem_in (m cj_memory);
CREATE TABLE mem_cases AS
SELECT 'valid' AS name, cj_memory_send(m) AS b FROM mem_small_m WHERE c = 1;
INSERT INTO mem_cases
SELECT n, b2 FROM mem_cases c, LATERAL (VALUES
	('version 2', set_byte(c.b, 0, 2)),
	('flags set', set_byte(c.b, 1, 1)),
	('k 0', overlay(c.b placing '\x0000'::bytea from 3)),
	('k 51', overlay(c.b placing '\x0033'::bytea from 3)),
	('empty', ''::bytea),
	('header only', substr(c.b, 1, 28)),
	('truncated', substr(c.b, 1, length(c.b) - 1)),
	('trailing byte', c.b || '\x00'::bytea),
	('total 0', overlay(c.b placing '\x0000000000000000'::bytea from 21)),
	('first after last', overlay(c.b placing '\x7f'::bytea from 5)),
	('string count huge', overlay(c.b placing '\x7fffffff'::bytea from 29)),
	('string count negative', overlay(c.b placing '\xffffffff'::bytea from 29)),
	('string too long', overlay(c.b placing '\x000000ff'::bytea from 33))
) v(n, b2);
CREATE FUNCTION mem_recv(c text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f text := current_setting('data_directory') || '/touch_memory_case.bin';
BEGIN
	EXECUTE format('COPY (SELECT b FROM mem_cases WHERE name = %L) TO %L WITH (FORMAT binary)', c, f);
	EXECUTE format('COPY mem_in FROM %L WITH (FORMAT binary)', f);
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE;
END $$;
SELECT name, mem_recv(name) FROM mem_cases ORDER BY name = 'valid' DESC, name;
-- random mutations of every memory's bytes: accepted (and then valid) or 22P03
SELECT setseed(0.77);
CREATE TABLE mem_fuzz AS
SELECT 'fuzz' || i AS name, set_byte(b, p, (random() * 255)::int) AS b
FROM (SELECT cj_memory_send(m) AS b FROM mem_ref ORDER BY c LIMIT 40) s,
	LATERAL (SELECT i, floor(random() * length(b))::int AS p FROM generate_series(1, 25) i) r;
INSERT INTO mem_cases SELECT * FROM mem_fuzz;
SELECT mem_recv(name) AS outcome, count(*) FROM mem_fuzz GROUP BY 1 ORDER BY 1;
-- whatever was accepted is a valid memory that reads back
SELECT count(*) FILTER (WHERE m::text::cj_memory = m AND cj_memory_send(m) IS NOT NULL) = count(*) AS accepted_are_valid
FROM mem_in;

-- ---------------------------------------------------------------- hostile aggregates as a plain role
CREATE ROLE mem_plain;
GRANT SELECT ON mem_small, mem_ref, mem_ord, mem_log TO mem_plain;
SET ROLE mem_plain;
-- a state from a table fed to the combine function
CREATE AGGREGATE pg_temp.mem_combine_all(cj_memory) (
	SFUNC = cj_memory_combine, STYPE = cj_memory);
SELECT cj_contact_count(pg_temp.mem_combine_all(m)) = (SELECT count(*) FROM mem_ord) AS combined_all FROM mem_ref;
-- an initial state the user chose: valid literals only, and it is copied
CREATE AGGREGATE pg_temp.mem_seeded(timestamptz, text, text, text, text, text) (
	SFUNC = cj_memory_trans, STYPE = cj_memory,
	INITCOND = 'memory(k=2, first=2023-01-01T00:00:00Z, last=2023-01-01T00:00:00Z, total=1, recent=[(2023-01-01T00:00:00Z, null, null, null, null, null)], days=[(0, null, 1)], channels=[(1, (2023-01-01T00:00:00Z, null, null, null, null, null))], topics=[(null, 1, 2023-01-01T00:00:00Z)], cases=[])');
SELECT c, cj_contact_count(pg_temp.mem_seeded(at, ch, ag, tp, st, rf)), cj_memory_k(pg_temp.mem_seeded(at, ch, ag, tp, st, rf))
FROM mem_small GROUP BY c ORDER BY c;
SELECT mem_state($q$CREATE AGGREGATE pg_temp.mem_bad_seed(timestamptz, text, text, text, text, text) (
	SFUNC = cj_memory_trans, STYPE = cj_memory, INITCOND = 'memory(k=2, first=garbage)')$q$) AS bad_initcond;
-- the final function as a transition (not in-place on a foreign state)
CREATE AGGREGATE pg_temp.mem_final_as_sfunc(cj_memory) (
	SFUNC = cj_memory_merge, STYPE = cj_memory);
SELECT cj_contact_count(pg_temp.mem_final_as_sfunc(m)) AS merged_all FROM mem_ref;
-- a moving aggregate whose "inverse" adds instead of removing: wrong
-- answers for that user's own aggregate, never a crash
CREATE AGGREGATE pg_temp.mem_moving(timestamptz, text, text, text, text, text) (
	SFUNC = cj_memory_trans, STYPE = cj_memory, FINALFUNC = cj_memory_final,
	MSFUNC = cj_memory_trans, MINVFUNC = cj_memory_trans, MSTYPE = cj_memory, MFINALFUNC = cj_memory_final);
SELECT mem_state('SELECT pg_temp.mem_moving(at, ch, ag, tp, st, rf) OVER (ORDER BY at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM mem_small');
-- window use of the real aggregate: running memories
SELECT at, cj_contact_count(cj_memory_agg(at, ch, ag, tp, st, rf) OVER (ORDER BY at, ch)) AS running
FROM mem_small WHERE c = 1 ORDER BY at, ch;
RESET ROLE;
DROP OWNED BY mem_plain;
DROP ROLE mem_plain;

-- statement_timeout stops a long aggregation
SET statement_timeout = '200ms';
SELECT count(*) FROM (SELECT cj_memory_agg(now() + (i % 1000) * interval '1 second', 'c' || (i % 50), 'a' || i, 't' || (i % 900), 'open', 'r' || (i % 4000)) FROM generate_series(1, 5000000) i GROUP BY i % 3) s;
RESET statement_timeout;
