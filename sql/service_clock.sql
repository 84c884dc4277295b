-- paused SLA clocks: cj_sla_clock over ordered status events
\set VERBOSITY default
SET timezone = 'Europe/Paris';

CREATE TABLE service_clock_event (ticket int, status text, at timestamptz);
INSERT INTO service_clock_event VALUES
	-- ticket 1: arrives Friday 17:30, waits on the customer from 17:45 to
	-- Monday 09:15, runs again and is solved Monday 10:45
	(1, 'running', '2026-03-06 17:30'), (1, 'paused', '2026-03-06 17:45'),
	(1, 'running', '2026-03-09 09:15'), (1, 'stopped', '2026-03-09 10:45'),
	-- ticket 2: runs past its 2-hour target, then is paused
	(2, 'running', '2026-03-06 16:00'), (2, 'paused', '2026-03-09 11:00'),
	-- ticket 3: still running
	(3, 'running', '2026-03-09 09:00'), (3, 'paused', '2026-03-09 09:30'),
	(3, 'running', '2026-03-09 10:00');

-- business time consumed: ticket 1 ran 15 min on Friday and 1.5 h on Monday
SELECT ticket, c AS state, cj_sla_clock_consumed(c) AS consumed, cj_sla_clock_remaining(c) AS remaining,
       cj_sla_clock_breached(c) AS breached, cj_sla_clock_breached_at(c) AS breached_at,
       cj_sla_clock_status(c) AS status,
       cj_sla_clock_due(c, 'Europe/Paris; mon-fri 09:00-18:00') AS due
FROM (SELECT ticket, cj_sla_clock(status, at, 'Europe/Paris; mon-fri 09:00-18:00', '2 hours' ORDER BY at) AS c
      FROM service_clock_event GROUP BY ticket) s
ORDER BY ticket;
-- the same events in wall-clock time, and with a calendar without a target
SELECT ticket, cj_sla_clock_consumed(cj_sla_clock(status, at ORDER BY at)) AS wall,
       cj_sla_clock_consumed(cj_sla_clock(status, at, 'Europe/Paris; mon-fri 09:00-18:00' ORDER BY at)) AS business,
       cj_sla_clock_remaining(cj_sla_clock(status, at, 'Europe/Paris; mon-fri 09:00-18:00' ORDER BY at)) AS no_target
FROM service_clock_event GROUP BY ticket ORDER BY ticket;
-- the consumed time equals the sum of cj_business_time over running stretches
SELECT ticket, sum(cj_business_time(at, next_at, 'Europe/Paris; mon-fri 09:00-18:00')) AS by_hand
FROM (SELECT ticket, status, at, lead(at) OVER (PARTITION BY ticket ORDER BY at) AS next_at
      FROM service_clock_event) e
WHERE status = 'running' AND next_at IS NOT NULL GROUP BY ticket ORDER BY ticket;
-- a breach time is when the running clock used up the target
SELECT cj_business_time('2026-03-06 16:00', cj_sla_clock_breached_at(
	cj_sla_clock(status, at, 'Europe/Paris; mon-fri 09:00-18:00', '2 hours' ORDER BY at)),
	'Europe/Paris; mon-fri 09:00-18:00') AS two_hours
FROM service_clock_event WHERE ticket = 2;

-- order matters: events out of order are an error, never a wrong sum
SELECT cj_sla_clock(status, at ORDER BY at DESC) FROM service_clock_event WHERE ticket = 1;
-- bad events; NULL events are skipped; no events: NULL
SELECT cj_sla_clock(s, a ORDER BY a) FROM (VALUES ('running', '2026-03-06 10:00'::timestamptz), ('waiting', '2026-03-06 11:00')) v(s, a);
SELECT cj_sla_clock(s, a ORDER BY a) FROM (VALUES ('running', '2026-03-06 10:00'::timestamptz), (NULL, '2026-03-06 10:30'), ('paused', '2026-03-06 11:00')) v(s, a);
SELECT cj_sla_clock(status, at ORDER BY at) FROM service_clock_event WHERE false;
SELECT cj_sla_clock(s, a, 'UTC; 24x7', '1 month' ORDER BY a) FROM (VALUES ('running', '2026-03-06 10:00'::timestamptz)) v(s, a);
-- every event of a clock gives the same target (NULL for none): a clock
-- has one target
SELECT cj_sla_clock(s, a, NULL, t ORDER BY a) FROM (VALUES ('running', '2026-03-06 10:00'::timestamptz, '2 hours'::interval), ('paused', '2026-03-06 11:00', '3 hours')) v(s, a, t);
SELECT cj_sla_clock(s, a, NULL, t ORDER BY a) FROM (VALUES ('running', '2026-03-06 10:00'::timestamptz, '2 hours'::interval), ('paused', '2026-03-06 11:00', NULL)) v(s, a, t);
SELECT cj_sla_clock(s, a, NULL, t ORDER BY a) FROM (VALUES ('running', '2026-03-06 10:00'::timestamptz, NULL::interval), ('paused', '2026-03-06 11:00', '2 hours')) v(s, a, t);
-- events at one instant are taken in the order given: a tie-breaker in the
-- ORDER BY makes the clock independent of the plan
SELECT o, cj_sla_clock_consumed(cj_sla_clock(s, a ORDER BY a, k)) AS consumed
FROM (VALUES (1, 1, 'running', '2026-01-05 09:00+00'::timestamptz), (1, 2, 'running', '2026-01-05 10:00+00'),
             (1, 3, 'paused', '2026-01-05 10:00+00'), (1, 4, 'stopped', '2026-01-05 12:00+00'),
             (2, 1, 'running', '2026-01-05 09:00+00'), (2, 2, 'paused', '2026-01-05 10:00+00'),
             (2, 3, 'running', '2026-01-05 10:00+00'), (2, 4, 'stopped', '2026-01-05 12:00+00')) v(o, k, s, a)
GROUP BY o ORDER BY o;
-- a clock that used exactly its target is not breached
SELECT cj_sla_clock_breached(c), cj_sla_clock_remaining(c)
FROM (SELECT cj_sla_clock(s, a, NULL, '1 hour' ORDER BY a) AS c
      FROM (VALUES ('running', '2026-01-05 09:00+00'::timestamptz), ('paused', '2026-01-05 10:00+00')) v(s, a)) x;
-- skipped rows (NULL status or instant) set and check nothing
SELECT cj_sla_clock(s, a, NULL, t ORDER BY a) FROM (VALUES (NULL, '2026-03-06 09:00'::timestamptz, '9 hours'::interval), ('running', '2026-03-06 10:00', '2 hours'), ('paused', '2026-03-06 13:00', '2 hours'), ('paused', NULL, '1 hour')) v(s, a, t);

-- the state's text form is exact and round-trips; input is validated
SELECT c::text::cj_sla_clock_state::text = c::text AS round_trip
FROM (SELECT ticket, cj_sla_clock(status, at, 'Europe/Paris; mon-fri 09:00-18:00', '2 hours' ORDER BY at) AS c
      FROM service_clock_event GROUP BY ticket) s;
SELECT 'paused since 2026-03-06 16:45:00.000001+00, consumed 900000000 us, target 7200000000 us'::cj_sla_clock_state;
SELECT 'none, consumed 0 us'::cj_sla_clock_state;
SELECT 'running since 12073-04-17 07:01:00+00, consumed 0 us'::cj_sla_clock_state::text::cj_sla_clock_state AS five_digit_year;
SELECT cj_sla_clock(s, a ORDER BY a) FROM (VALUES ('running', '0044-03-15 12:00:00+00 BC'::timestamptz)) v(s, a);
SELECT 'running since 2026-03-06 16:45:00+00, consumed -1 us'::cj_sla_clock_state;
SELECT 'running since 2026-03-06 16:45:00+00, consumed 9000000000 us, target 7200000000 us'::cj_sla_clock_state;
SELECT 'running since 2026-02-30 16:45:00+00, consumed 0 us'::cj_sla_clock_state;
SELECT 'sleeping, consumed 0 us'::cj_sla_clock_state;
-- binary round trip
CREATE TABLE service_clock_copy AS
SELECT ticket, cj_sla_clock(status, at, 'Europe/Paris; mon-fri 09:00-18:00', '2 hours' ORDER BY at) AS c
FROM service_clock_event GROUP BY ticket;
\copy service_clock_copy TO 'results/service_clock.bin' WITH (FORMAT binary)
CREATE TABLE service_clock_copy2 (ticket int, c cj_sla_clock_state);
\copy service_clock_copy2 FROM 'results/service_clock.bin' WITH (FORMAT binary)
SELECT (SELECT array_agg(c::text ORDER BY ticket) FROM service_clock_copy)
     = (SELECT array_agg(c::text ORDER BY ticket) FROM service_clock_copy2) AS binary_round_trip;
-- a hand-made aggregate starting from a stored state continues the clock;
-- a state that breaks the rules is refused already as INITCOND
CREATE AGGREGATE pg_temp.resume_clock(text, timestamptz, cj_calendar) (
	SFUNC = cj_sla_clock_trans, STYPE = cj_sla_clock_state,
	INITCOND = 'paused since 2026-03-06 16:45:00+00, consumed 900000000 us, target 7200000000 us');
SELECT pg_temp.resume_clock(s, a, 'Europe/Paris; mon-fri 09:00-18:00' ORDER BY a)
FROM (VALUES ('running', '2026-03-09 09:15'::timestamptz), ('paused', '2026-03-09 09:45')) v(s, a);
SELECT pg_temp.resume_clock(s, a, 'Europe/Paris; mon-fri 09:00-18:00' ORDER BY a)
FROM (VALUES ('running', '2026-03-05 09:15'::timestamptz)) v(s, a);
CREATE AGGREGATE pg_temp.bad_clock(text, timestamptz) (
	SFUNC = cj_sla_clock_trans, STYPE = cj_sla_clock_state,
	INITCOND = 'running since 2026-03-06 16:45:00+00, consumed 9000000000 us, target 7200000000 us');
DROP TABLE service_clock_event, service_clock_copy, service_clock_copy2;
RESET timezone;
-- a year past PostgreSQL's range is rejected, not wrapped into it
SELECT 'running since 600000-01-01 00:00:00+00, consumed 0 us'::cj_sla_clock_state;
