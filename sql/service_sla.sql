-- cj_sla literals, due-time dispatch keys and SLA status
\set VERBOSITY default
SET timezone = 'UTC';

-- canonical text form: tiers in the order written, default last,
-- each target in the largest unit dividing it exactly
SELECT 'platinum:30s, gold:2min, silver:5min, *:15min'::cj_sla;
SELECT ' *:900 seconds ,gold : 120 sec'::cj_sla;
SELECT 'a:1 day, b:24h, c:1.5h, d:90s, e:1w, f:1500ms, g:7us, h:2 HOURS'::cj_sla;
-- text round trip is the identity on canonical text
SELECT s::text::cj_sla::text = s::text AS round_trip
FROM (VALUES ('platinum:30s, gold:2min, silver:5min, *:15min'::cj_sla),
             ('x:1us, y:3650d'::cj_sla)) v(s);

-- invalid literals
SELECT ''::cj_sla;
SELECT 'gold'::cj_sla;
SELECT 'gold:30'::cj_sla;
SELECT 'gold:5m'::cj_sla;
SELECT 'gold:5 parsecs'::cj_sla;
SELECT 'gold:1 month'::cj_sla;
SELECT 'gold:1 year'::cj_sla;
SELECT 'gold:-5s'::cj_sla;
SELECT 'gold:0s'::cj_sla;
SELECT 'gold:NaN s'::cj_sla;
SELECT 'gold:3651 days'::cj_sla;
SELECT 'gold:1s, gold:2s'::cj_sla;
SELECT '*:1s, *:2s'::cj_sla;
SELECT 'gold:1s,'::cj_sla;
SELECT 'gold:1s silver:2s'::cj_sla;
SELECT (repeat('a', 64) || ':1s')::cj_sla;
SELECT (SELECT string_agg('t' || i || ':1s', ',') FROM generate_series(1, 65) i)::cj_sla;

-- binary round trip through COPY
CREATE TABLE service_sla_copy (s cj_sla);
INSERT INTO service_sla_copy VALUES
	('platinum:30s, gold:2min, silver:5min, *:15min'), ('x:1us'), ('*:1d');
\copy service_sla_copy TO 'results/service_sla.bin' WITH (FORMAT binary)
CREATE TABLE service_sla_copy2 (s cj_sla);
\copy service_sla_copy2 FROM 'results/service_sla.bin' WITH (FORMAT binary)
SELECT s FROM service_sla_copy2 ORDER BY s::text;
SELECT (SELECT array_agg(s::text ORDER BY s::text) FROM service_sla_copy)
     = (SELECT array_agg(s::text ORDER BY s::text) FROM service_sla_copy2) AS binary_round_trip;
-- binary input re-validates everything the text input checks: a bytea
-- column copied in binary hands its raw bytes to cj_sla_recv
CREATE TABLE service_sla_raw (b bytea);
INSERT INTO service_sla_raw VALUES
	(decode('01' || '00' || '00000001' || '0000000000000000' ||
	        '0000000000000000' || '00000004' || '676f6c64', 'hex'));
\copy service_sla_raw TO 'results/service_sla_zero.bin' WITH (FORMAT binary)
\copy service_sla_copy2 FROM 'results/service_sla_zero.bin' WITH (FORMAT binary)
UPDATE service_sla_raw SET b = decode('02' || '01' || '00000000' || '000000003B9ACA00', 'hex');
\copy service_sla_raw TO 'results/service_sla_version.bin' WITH (FORMAT binary)
\copy service_sla_copy2 FROM 'results/service_sla_version.bin' WITH (FORMAT binary)
UPDATE service_sla_raw SET b = decode('01' || '00' || '00000001' || '0000000000000000' ||
	'000000003B9ACA00' || '00000004' || '676f6c2d', 'hex');
\copy service_sla_raw TO 'results/service_sla_name.bin' WITH (FORMAT binary)
\copy service_sla_copy2 FROM 'results/service_sla_name.bin' WITH (FORMAT binary)

-- cj_sla_target: time-only intervals
SELECT tier, cj_sla_target('platinum:30s, gold:2min, silver:5min, *:15min', tier)
FROM unnest(ARRAY['platinum', 'gold', 'silver', 'bronze', 'Gold']) tier;
SELECT cj_sla_target('a:1 day', 'a');
SELECT cj_sla_target('gold:2min, silver:5min', 'bronze');

-- cj_due: arrival + target
SELECT cj_due('2024-03-01 12:00:00+00', 'platinum:30s, gold:2min, *:15min', 'gold');
SELECT cj_due('2024-03-01 12:00:00+00', 'platinum:30s, gold:2min, *:15min', 'nobody');
SELECT cj_due('infinity', 'gold:2min', 'gold');
SELECT cj_due('2024-03-01 12:00:00+00', 'gold:2min, silver:5min', 'bronze');
SELECT cj_due('294276-12-31 23:59:00+00', '*:1d', 'x');

-- earliest-deadline-first across tiers: a platinum contact arriving later
-- overtakes a silver contact, but a silver contact waiting long enough is
-- served before a newly arrived platinum one (nobody starves)
CREATE TABLE service_sla_queue (
	id int PRIMARY KEY,
	tier text NOT NULL,
	arrived_at timestamptz NOT NULL,
	due timestamptz GENERATED ALWAYS AS
		(cj_due(arrived_at, 'platinum:30s, gold:2min, silver:5min, *:15min', tier)) STORED
);
CREATE INDEX service_sla_queue_due ON service_sla_queue (due);
INSERT INTO service_sla_queue (id, tier, arrived_at) VALUES
	(1, 'silver',   '2024-03-01 12:00:00+00'),
	(2, 'platinum', '2024-03-01 12:04:00+00'),
	(3, 'gold',     '2024-03-01 12:02:00+00'),
	(4, 'bronze',   '2024-03-01 11:50:00+00'),
	(5, 'platinum', '2024-03-01 12:04:40+00'),
	(6, 'gold',     '2024-03-01 12:03:30+00');
SELECT id, tier, arrived_at, due FROM service_sla_queue ORDER BY due, id;
-- the expression index serves the ordering
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM service_sla_queue ORDER BY due LIMIT 1;
RESET enable_seqscan;
-- an expression index on cj_due works too (it is IMMUTABLE)
CREATE INDEX service_sla_queue_expr ON service_sla_queue
	(cj_due(arrived_at, 'gold:2min, *:15min', tier));
SELECT provolatile, proisstrict, proparallel FROM pg_proc
WHERE proname IN ('cj_due', 'cj_sla_target', 'cj_sla_status') ORDER BY oid;

-- value-based keys: priority as time
SELECT v, cj_due('2024-03-01 12:00:00+00', v, '15 min', '1 s', '30 s') AS due
FROM unnest(ARRAY[0, 60, 600, 5000]::float8[]) v;
SELECT cj_due('2024-03-01 12:00:00+00', -1, '15 min', '1 s', '30 s');
SELECT cj_due('2024-03-01 12:00:00+00', 'NaN', '15 min', '1 s', '30 s');
SELECT cj_due('2024-03-01 12:00:00+00', 1, '1 mon', '1 s', '30 s');
SELECT cj_due('2024-03-01 12:00:00+00', 1, '15 min', '1 s', '20 min');
SELECT cj_due('2024-03-01 12:00:00+00', 1, '0 s', '1 s', '0 s');

-- SLA status: on_track, at_risk past 75 % of the target, breached past due
SELECT now_, cj_sla_status('2024-03-01 12:00:00+00', '2024-03-01 12:02:00+00', now_)
FROM unnest(ARRAY['2024-03-01 11:59:00+00', '2024-03-01 12:00:00+00',
                  '2024-03-01 12:01:29+00', '2024-03-01 12:01:30+00',
                  '2024-03-01 12:02:00+00', '2024-03-01 12:02:00.000001+00']::timestamptz[]) now_;
SELECT cj_sla_status('2024-03-01 12:00:00+00', '2024-03-01 11:00:00+00', '2024-03-01 12:00:00+00');
SELECT cj_sla_status('-infinity', '2024-03-01 11:00:00+00', '2024-03-01 12:00:00+00');
