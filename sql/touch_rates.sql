-- cj_contact_rates: repeat-contact rate and first-contact resolution
-- against an independent plain-SQL computation over random touch logs,
-- per group, in every plan; its state type cj_contact_log: text and
-- binary round trips, malformed input, hostile aggregates.
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE FUNCTION rates_state(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE;
END $$;

-- a hand-checked example: customer a asks about billing three times in
-- four days (T1 resolved at once; T2 opened, then resolved); customer b
-- has a repair case closed at once and comes back 19 days later
CREATE TABLE rates_small (cu text, at timestamptz, tp text, st text, rf text, ch text);
INSERT INTO rates_small VALUES
 ('a', '2024-01-01 10:00+00', 'billing', 'resolved', 'T1', 'phone'),
 ('a', '2024-01-03 10:00+00', 'billing', 'open', 'T2', 'phone'),
 ('a', '2024-01-04 10:00+00', 'billing', 'resolved', 'T2', 'web'),
 ('b', '2024-01-01 10:00+00', 'repair', 'closed', 'R1', 'web'),
 ('b', '2024-01-20 10:00+00', 'repair', NULL, NULL, 'web'),
 (NULL, '2024-01-20 10:00+00', 'repair', NULL, NULL, 'web'),
 ('c', NULL, 'repair', NULL, NULL, 'web');
-- 7 days: a's first two billing contacts are followed (2 of 5); cases
-- T1 and R1 had one resolving contact, T2 two (2 of 3)
SELECT (cj_contact_rates(cu, at, tp, st, rf, '7 days')).* FROM rates_small;
-- 19 days reaches b's second repair contact
SELECT (cj_contact_rates(cu, at, tp, st, rf, '19 days')).repeat_contacts FROM rates_small;
-- per channel: within the channel's own contacts
SELECT ch, (cj_contact_rates(cu, at, tp, st, rf, '2 days')).* FROM rates_small GROUP BY ch ORDER BY ch;
-- no rows: NULL
SELECT cj_contact_rates(cu, at, tp, st, rf, '1 day') IS NULL AS empty FROM rates_small WHERE false;

-- a window past int64 microseconds (292,000 years) is the longest one
SELECT (cj_contact_rates(cu, at, tp, st, rf, interval '106751991 days' * 2)).repeat_contacts AS huge_window,
       (cj_contact_rates(cu, at, tp, st, rf, '100000 days')).repeat_contacts AS long_window
FROM rates_small;

SELECT name, rates_state(q) AS sqlstate FROM (VALUES
	('unknown status', $q$SELECT cj_contact_rates(cu, at, tp, 'done', rf, '1 day') FROM rates_small$q$),
	('negative window', $q$SELECT cj_contact_rates(cu, at, tp, st, rf, '-1 day') FROM rates_small$q$),
	('month window', $q$SELECT cj_contact_rates(cu, at, tp, st, rf, '1 month') FROM rates_small$q$),
	('NULL window', $q$SELECT cj_contact_rates(cu, at, tp, st, rf, NULL) FROM rates_small$q$),
	('varying window', $q$SELECT cj_contact_rates(cu, at, tp, st, rf, CASE WHEN cu = 'a' THEN '1 day' ELSE '2 days' END::interval) FROM rates_small$q$),
	('long topic', $q$SELECT cj_contact_rates(cu, at, repeat('t', 201), st, rf, '1 day') FROM rates_small$q$),
	('infinite instant', $q$SELECT cj_contact_rates(cu, 'infinity', tp, st, rf, '1 day') FROM rates_small$q$),
	('outside an aggregate', $q$SELECT cj_contact_rates_trans(NULL, 'a', now(), 't', 'open', 'r', '1 day')$q$)
) v(name, q) ORDER BY name;

-- ---------------------------------------------------------------- random logs
SELECT setseed(0.23);
CREATE TABLE rates_log AS
SELECT i AS id,
	'cust' || (random() * 299)::int AS cu,
	'2024-01-01 00:00+00'::timestamptz + ((random() * 400)::int * interval '3 hours') AS at,
	(ARRAY['billing', 'repair', 'delivery', NULL])[1 + floor(random() * 4)::int] AS tp,
	(ARRAY['open', 'pending', 'resolved', 'closed', NULL])[1 + floor(random() * 5)::int] AS st,
	CASE WHEN random() < 0.3 THEN NULL ELSE 'T' || floor(random() * 8)::int END AS rf,
	(ARRAY['phone', 'web', 'store'])[1 + floor(random() * 3)::int] AS ch,
	'agent' || floor(random() * 5)::int AS ag
FROM generate_series(1, 8000) i
ORDER BY md5(i::text);

-- independent computation: a contact is repeated when the next contact of
-- the same customer on the same topic (within the group) is at most the
-- window later; a case is resolved at first contact when it has one
-- contact and that contact resolved or closed it
CREATE FUNCTION rates_ref(w interval) RETURNS TABLE (ch text, contacts bigint, repeats bigint, cases bigint, fcr bigint)
LANGUAGE sql AS $$
	WITH x AS (
		SELECT ch, cu, at, tp, st, rf,
			lead(at) OVER (PARTITION BY ch, cu, tp ORDER BY at) AS next_at,
			count(*) OVER (PARTITION BY ch, cu, rf) AS case_n
		FROM rates_log)
	SELECT ch, count(*),
		count(*) FILTER (WHERE tp IS NOT NULL AND next_at - at <= w),
		count(DISTINCT (cu, rf)) FILTER (WHERE rf IS NOT NULL),
		count(*) FILTER (WHERE rf IS NOT NULL AND case_n = 1 AND st IN ('resolved', 'closed'))
	FROM x GROUP BY ch
	UNION ALL
	SELECT 'all', count(*),
		count(*) FILTER (WHERE tp IS NOT NULL AND next_at - at <= w),
		count(DISTINCT (cu, rf)) FILTER (WHERE rf IS NOT NULL),
		count(*) FILTER (WHERE rf IS NOT NULL AND case_n = 1 AND st IN ('resolved', 'closed'))
	FROM (SELECT cu, at, tp, st, rf,
			lead(at) OVER (PARTITION BY cu, tp ORDER BY at) AS next_at,
			count(*) OVER (PARTITION BY cu, rf) AS case_n
		  FROM rates_log) y
$$;
CREATE TABLE rates_got AS
SELECT w, ch, (cj_contact_rates(cu, at, tp, st, rf, w)).*
FROM rates_log, unnest(ARRAY['0'::interval, '3 hours', '1 day', '7 days']) w GROUP BY w, ch
UNION ALL
SELECT w, 'all', (cj_contact_rates(cu, at, tp, st, rf, w)).*
FROM rates_log, unnest(ARRAY['0'::interval, '3 hours', '1 day', '7 days']) w GROUP BY w;
SELECT g.w, g.ch, g.contacts, g.repeat_contacts, g.cases, g.first_contact_resolved,
	round(g.repeat_contact_rate::numeric, 4) AS rcr, round(g.first_contact_resolution::numeric, 4) AS fcr,
	(g.contacts, g.repeat_contacts, g.cases, g.first_contact_resolved) = (r.contacts, r.repeats, r.cases, r.fcr) AS same_as_sql,
	g.repeat_contact_rate = g.repeat_contacts::float8 / g.contacts
		AND g.first_contact_resolution = g.first_contact_resolved::float8 / g.cases AS rates_ok
FROM rates_got g, LATERAL rates_ref(g.w) r WHERE r.ch = g.ch ORDER BY g.w, g.ch;

-- same answer serial, parallel, hash-partitioned and from random splits
CREATE FUNCTION rates_same(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE 'SELECT count(*) FROM (' || q || ') s FULL JOIN (SELECT * FROM rates_got WHERE w = ''1 day'') r USING (ch)'
		|| ' WHERE (s.r).contacts IS DISTINCT FROM r.contacts OR (s.r).repeat_contacts IS DISTINCT FROM r.repeat_contacts'
		|| ' OR (s.r).cases IS DISTINCT FROM r.cases OR (s.r).first_contact_resolved IS DISTINCT FROM r.first_contact_resolved' INTO n;
	RETURN n;
END $$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT ch, cj_contact_rates(cu, at, tp, st, rf, '1 day') FROM rates_log GROUP BY ch;
SELECT rates_same($q$SELECT ch, cj_contact_rates(cu, at, tp, st, rf, '1 day') r FROM rates_log GROUP BY ch
	UNION ALL SELECT 'all', cj_contact_rates(cu, at, tp, st, rf, '1 day') FROM rates_log$q$) AS parallel_mismatch;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
CREATE TABLE rates_part (LIKE rates_log) PARTITION BY HASH (id);
CREATE TABLE rates_part_0 PARTITION OF rates_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE rates_part_1 PARTITION OF rates_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO rates_part SELECT * FROM rates_log;
ANALYZE rates_part;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT ch, cj_contact_rates(cu, at, tp, st, rf, '1 day') FROM rates_part GROUP BY ch;
SELECT rates_same($q$SELECT ch, cj_contact_rates(cu, at, tp, st, rf, '1 day') r FROM rates_part GROUP BY ch
	UNION ALL SELECT 'all', cj_contact_rates(cu, at, tp, st, rf, '1 day') FROM rates_part$q$) AS partitioned_mismatch;
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;

-- the state itself: text and binary round trips, merged random splits
CREATE AGGREGATE rates_log_agg(text, timestamptz, text, text, text, interval) (
	SFUNC = cj_contact_rates_trans, STYPE = cj_contact_log, COMBINEFUNC = cj_contact_rates_combine);
CREATE AGGREGATE rates_of_logs(cj_contact_log) (
	SFUNC = cj_contact_rates_combine, STYPE = cj_contact_log, FINALFUNC = cj_contact_rates_final);
SELECT setseed(0.4);
CREATE TABLE rates_states AS
SELECT ch, part, rates_log_agg(cu, at, tp, st, rf, '1 day') AS s
FROM (SELECT *, floor(random() * 3)::int AS part FROM rates_log) l GROUP BY ch, part;
SELECT count(*) AS states, count(*) FILTER (WHERE s::text::cj_contact_log::text = s::text) AS text_round_trips
FROM rates_states;
CREATE TABLE rates_bin (ch text, part int, s cj_contact_log);
\copy rates_states TO 'results/touch_rates.bin' WITH (FORMAT binary)
\copy rates_bin FROM 'results/touch_rates.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trips FROM rates_bin b JOIN rates_states s USING (ch, part) WHERE b.s::text = s.s::text;
SELECT rates_same($q$SELECT ch, rates_of_logs(s) r FROM rates_bin GROUP BY ch
	UNION ALL SELECT 'all', rates_of_logs(s) FROM rates_bin$q$) AS split_mismatch;
SELECT 'contacts(within=3600000000, events=[(2024-01-01T00:00:00Z, "a", "x", open, "T\"1"), (2024-01-01T00:30:00Z, "a", "x", null, null)])'::cj_contact_log;
SELECT (rates_of_logs('contacts(within=3600000000, events=[(2024-01-01T00:00:00Z, "a", "x", open, "T\"1"), (2024-01-01T00:30:00Z, "a", "x", null, null)])'::cj_contact_log)).*;

-- malformed literals and bytes
SELECT lit, rates_state(format('SELECT %L::cj_contact_log', lit)) AS sqlstate FROM (VALUES
	('contacts(within=-1, events=[])'),
	('contacts(within=0, events=[(2024-01-01T00:00:00Z, null, "x", open, null)])'),
	('contacts(within=0, events=[(2024-01-01T00:00:00Z, "a", "x", reopened, null)])'),
	('contacts(within=0, events=[(2024-01-01, "a", "x", open, null)])'),
	('contacts(within=0, events=[(2024-01-01T00:00:00Z, "a", "x", open, null)]) junk'),
	('contacts(within=0, events=[(2024-01-01T00:00:00Z, "a", "x", open, null)'),
	('contacts(within=0, events=[])')
) v(lit) ORDER BY lit;
CREATE TABLE rates_in (s cj_contact_log);
CREATE TABLE rates_cases AS
SELECT 'valid' AS name, cj_contact_log_send('contacts(within=60000000, events=[(2024-01-01T00:00:00Z, "a", "x", open, "r")])'::cj_contact_log) AS b;
SELECT b FROM rates_cases;
INSERT INTO rates_cases
SELECT n, b2 FROM rates_cases c, LATERAL (VALUES
	('version 2', set_byte(c.b, 0, 2)),
	('flags', set_byte(c.b, 1, 1)),
	('negative window', set_byte(c.b, 2, 255)),
	('count 2', set_byte(c.b, 13, 2)),
	('status 9', set_byte(c.b, 22, 9)),
	('customer NULL', overlay(c.b placing '\xffffffff'::bytea from 24)),
	('string too long', overlay(c.b placing '\x00000fff'::bytea from 24)),
	('NUL in a string', set_byte(c.b, 27, 0)),
	('truncated', substr(c.b, 1, length(c.b) - 1)),
	('trailing', c.b || '\x00'::bytea),
	('empty', ''::bytea)
) v(n, b2);
CREATE FUNCTION rates_recv(c text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f text := current_setting('data_directory') || '/touch_rates_case.bin';
BEGIN
	EXECUTE format('COPY (SELECT b FROM rates_cases WHERE name = %L) TO %L WITH (FORMAT binary)', c, f);
	EXECUTE format('COPY rates_in FROM %L WITH (FORMAT binary)', f);
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE;
END $$;
SELECT name, rates_recv(name) FROM rates_cases ORDER BY name = 'valid' DESC, name;
SELECT s FROM rates_in;

-- hostile aggregates as a plain role: states from tables, a user's initial
-- state; the combine and final functions check what they are given
CREATE ROLE rates_plain;
GRANT SELECT ON rates_states, rates_small TO rates_plain;
SET ROLE rates_plain;
CREATE AGGREGATE pg_temp.rates_cat(cj_contact_log) (
	SFUNC = cj_contact_rates_combine, STYPE = cj_contact_log, FINALFUNC = cj_contact_rates_final);
SELECT (pg_temp.rates_cat(s)).contacts = 8000 AS all_contacts FROM rates_states;
CREATE AGGREGATE pg_temp.rates_seeded(text, timestamptz, text, text, text, interval) (
	SFUNC = cj_contact_rates_trans, STYPE = cj_contact_log, FINALFUNC = cj_contact_rates_final,
	INITCOND = 'contacts(within=604800000000, events=[(2023-12-31T00:00:00Z, "a", "billing", open, "T0")])');
SELECT (pg_temp.rates_seeded(cu, at, tp, st, rf, '7 days')).* FROM rates_small;
SELECT rates_state($q$SELECT pg_temp.rates_seeded(cu, at, tp, st, rf, '1 day') FROM rates_small$q$) AS other_window;
RESET ROLE;
DROP OWNED BY rates_plain;
DROP ROLE rates_plain;
