-- cj_sla_policy: several SLA metrics with targets per tier and severity
\set VERBOSITY default
SET timezone = 'Europe/Paris';

SELECT 'first_reply: platinum 30s, gold 2min, *: 15min; resolution: platinum/high 4h, platinum 1d, *: 3d'::cj_sla_policy;
SELECT 'a:x/* 90 min,*/high:3600s , y 1.5h'::cj_sla_policy;
SELECT p::text::cj_sla_policy::text = p::text AS round_trip
FROM (VALUES ('first_reply: platinum 30s, gold 2min, * 15min; resolution: platinum/high 4h, platinum 1d, * 3d'::cj_sla_policy)) v(p);

-- invalid literals
SELECT ''::cj_sla_policy;
SELECT 'first_reply'::cj_sla_policy;
SELECT 'first_reply: gold'::cj_sla_policy;
SELECT 'first_reply: gold 1 month'::cj_sla_policy;
SELECT 'first_reply: gold 0s'::cj_sla_policy;
SELECT 'first_reply: gold 1s, gold 2s'::cj_sla_policy;
SELECT 'first_reply: gold/high 1s, gold/high 2s'::cj_sla_policy;
SELECT 'a: gold 1s; a: gold 2s'::cj_sla_policy;
SELECT 'gold:2h'::cj_sla_policy;
SELECT (SELECT string_agg('m' || i || ': * 1s', '; ') FROM generate_series(1, 17) i)::cj_sla_policy;

-- lookup order: tier/severity, tier, */severity, *
SELECT metric, tier, severity,
       cj_sla_policy_target('first_reply: platinum 30s, gold 2min, * 15min; resolution: platinum/high 4h, platinum 1d, */high 8h, * 3d',
                            metric, tier, severity) AS target
FROM (VALUES ('first_reply', 'platinum', NULL), ('first_reply', 'gold', 'high'), ('first_reply', 'bronze', NULL),
             ('resolution', 'platinum', 'high'), ('resolution', 'platinum', 'low'), ('resolution', 'platinum', NULL),
             ('resolution', 'gold', 'high'), ('resolution', 'gold', 'low')) v(metric, tier, severity);
SELECT cj_sla_policy_target('first_reply: gold 2min', 'resolution', 'gold');
SELECT cj_sla_policy_target('first_reply: gold 2min', 'first_reply', 'silver');

-- due times: wall clock and business time; a NULL severity means none
SELECT cj_due('2026-03-06 17:30', 'first_reply: gold 2h; resolution: gold/high 4h, * 3d'::cj_sla_policy,
              'first_reply', 'gold') AS first_reply,
       cj_due('2026-03-06 17:30', 'first_reply: gold 2h; resolution: gold/high 4h, * 3d'::cj_sla_policy,
              'resolution', 'gold', 'high', NULL) AS resolution_high,
       cj_due('2026-03-06 17:30', 'first_reply: gold 2h; resolution: gold/high 4h, * 3d'::cj_sla_policy,
              'resolution', 'gold', NULL, NULL) AS resolution_default,
       cj_due('2026-03-06 17:30', 'first_reply: gold 2h; resolution: gold/high 4h, * 3d'::cj_sla_policy,
              'first_reply', 'gold', NULL, 'Europe/Paris; mon-fri 09:00-18:00') AS first_reply_business,
       cj_due('2026-03-06 17:30', 'first_reply: gold 2h; resolution: gold/high 4h, * 3d'::cj_sla_policy,
              'resolution', 'gold', 'high', 'Europe/Paris; mon-fri 09:00-18:00') AS resolution_business;
SELECT cj_due(NULL, 'first_reply: gold 2h'::cj_sla_policy, 'first_reply', 'gold', NULL, 'UTC; 24x7') AS null_arrival;

-- the single-target cj_sla keeps working, and every existing cj_due form
-- resolves as before
SELECT cj_due('2026-03-06 17:30', 'gold:2h', 'gold') AS sla_due,
       cj_due('2026-03-06 17:30', 10.0, '5min', '10s', '1min') AS value_due,
       cj_due('2026-03-06 17:30', '10', '5min', '10s', '1min') AS untyped_value_due,
       cj_due('2026-03-06 17:30', 'gold:2h'::cj_sla, 'gold', 'Europe/Paris; mon-fri 09:00-18:00') AS sla_calendar_due;
SELECT p.oid::regprocedure
FROM pg_proc p WHERE p.proname = 'cj_due' ORDER BY p.oid::regprocedure::text;
-- with an untyped SLA and an untyped calendar, the literal is read as a
-- policy and the call fails (never a silently different target): cast one
SELECT cj_due('2026-03-06 17:30', 'gold:2h', 'gold', 'Europe/Paris; mon-fri 09:00-18:00');

-- binary round trip
CREATE TABLE service_policy_copy (p cj_sla_policy);
INSERT INTO service_policy_copy VALUES
	('first_reply: platinum 30s, gold 2min, * 15min; resolution: platinum/high 4h, platinum 1d, * 3d'), ('a: * 1us');
\copy service_policy_copy TO 'results/service_policy.bin' WITH (FORMAT binary)
CREATE TABLE service_policy_copy2 (p cj_sla_policy);
\copy service_policy_copy2 FROM 'results/service_policy.bin' WITH (FORMAT binary)
SELECT (SELECT array_agg(p::text ORDER BY p::text) FROM service_policy_copy)
     = (SELECT array_agg(p::text ORDER BY p::text) FROM service_policy_copy2) AS binary_round_trip;
CREATE TABLE service_policy_raw (b bytea);
INSERT INTO service_policy_raw VALUES (decode('01', 'hex') || convert_to('a: gold 0s', 'UTF8'));
\copy service_policy_raw TO 'results/service_policy_bad.bin' WITH (FORMAT binary)
\copy service_policy_copy2 FROM 'results/service_policy_bad.bin' WITH (FORMAT binary)
DROP TABLE service_policy_copy, service_policy_copy2, service_policy_raw;
RESET timezone;
