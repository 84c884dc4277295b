-- cj_calendar literals and business-time arithmetic: hand-worked cases
\set VERBOSITY default
SET timezone = 'UTC';

-- canonical text: the zone as the tz database spells it, weekdays with
-- the same hours grouped, intervals sorted, closed dates sorted once
SELECT 'europe/paris; mon-fri 09:00-18:00; Sat 10:00-13:00; closed 2027-01-01, 2026-12-25'::cj_calendar;
SELECT 'UTC;24x7'::cj_calendar, 'UTC; mon-sun 00:00-24:00'::cj_calendar;
SELECT 'UTC; fri-mon 22:00-00:00; wed 13:00-17:00, 9:00-12:00'::cj_calendar;
SELECT 'America/New_York; mon,wed,fri 08:00-12:00; tue 08:00-12:00; closed 2026-07-04, 2026-07-04'::cj_calendar;
SELECT 'Australia/Lord_Howe; sun 22:00-06:00; mon 06:00-10:00'::cj_calendar;
-- text round trip is the identity on canonical text
SELECT c::text::cj_calendar::text = c::text AS round_trip, c = c::text::cj_calendar AS equal
FROM (VALUES ('Europe/Paris; mon-fri 09:00-18:00; sat 10:00-13:00; closed 2026-12-25, 2027-01-01'::cj_calendar),
             ('UTC; 24x7'), ('UTC; mon,wed 09:00-12:00, 13:00-17:00; fri-sun 22:00-06:00')) v(c);
SELECT 'UTC; 24x7'::cj_calendar = 'UTC; mon-sun 00:00-24:00' AS same,
       'UTC; 24x7'::cj_calendar <> 'Etc/UTC; 24x7' AS other_zone_differs,
       cj_calendar_zone('europe/paris; 24x7');

-- invalid literals: unparsable text 22P02, bad values 22023, limits 54000
SELECT 'Mars/Olympus; 24x7'::cj_calendar;
SELECT 'UTC; mon 25:00-26:00'::cj_calendar;
SELECT 'UTC; mon 09:60-10:00'::cj_calendar;
SELECT 'UTC; mon 09:00-09:00'::cj_calendar;
SELECT 'UTC; mon 24:00-02:00'::cj_calendar;
SELECT 'UTC; mon 09:00-12:00, 11:00-13:00'::cj_calendar;
SELECT 'UTC; sun 22:00-06:00; mon 05:00-07:00'::cj_calendar;
SELECT 'UTC; closed 2026-12-25'::cj_calendar;
SELECT 'UTC; mon 09:00-18:00; closed 2026-02-30'::cj_calendar;
SELECT 'UTC; mon 09:00-18:00; closed 2026-13-01'::cj_calendar;
SELECT 'UTC; mon 09:00-18:00; closed 1850-01-01'::cj_calendar;
SELECT 'UTC; mon 09:00-18:00; closed 2026-1-1'::cj_calendar;
SELECT ''::cj_calendar;
SELECT 'UTC'::cj_calendar;
SELECT 'UTC;'::cj_calendar;
SELECT 'UTC; mon 9-18'::cj_calendar;
SELECT 'UTC; funday 09:00-10:00'::cj_calendar;
SELECT 'UTC; mon 09:00-10:00 junk'::cj_calendar;
SELECT ('UTC; mon ' || (SELECT string_agg(lpad(h::text, 2, '0') || ':00-' || lpad(h::text, 2, '0') || ':30', ', ')
                        FROM generate_series(0, 16) h))::cj_calendar;
SELECT ('UTC; 24x7; closed ' || (SELECT string_agg(to_char(d, 'YYYY-MM-DD'), ', ')
                                 FROM generate_series('2026-01-01'::date, '2026-01-01'::date + 1000, '1 day') d))::cj_calendar;
-- the SQLSTATE of each bad literal
CREATE FUNCTION pg_temp.sqlstate_of(lit text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lit::cj_calendar;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT lit, pg_temp.sqlstate_of(lit) FROM unnest(ARRAY[
	'Mars/Olympus; 24x7', 'UTC; mon 25:00-26:00', 'UTC; mon 09:00-09:00',
	'UTC; mon 09:00-12:00, 11:00-13:00', 'UTC; sun 22:00-06:00; mon 05:00-07:00',
	'UTC; closed 2026-12-25', 'UTC; mon 09:00-18:00; closed 2026-02-30',
	'UTC; mon 09:00-18:00; closed 2026-1-1', 'UTC', 'UTC; mon 9-18',
	'UTC; mon 09:00-18:00; closed 1850-01-01', 'UTC; mon 09:00-10:00, 11:00-12:00']) lit;
SELECT (repeat('a', 256) || '; 24x7')::cj_calendar;

-- binary round trip through COPY, and binary input re-validating
CREATE TABLE service_calendar_copy (c cj_calendar);
INSERT INTO service_calendar_copy VALUES
	('Europe/Paris; mon-fri 09:00-18:00; sat 10:00-13:00; closed 2026-12-25, 2027-01-01'),
	('UTC; 24x7'), ('Australia/Lord_Howe; sun 22:00-06:00; mon 06:00-10:00, 12:00-24:00');
\copy service_calendar_copy TO 'results/service_calendar.bin' WITH (FORMAT binary)
CREATE TABLE service_calendar_copy2 (c cj_calendar);
\copy service_calendar_copy2 FROM 'results/service_calendar.bin' WITH (FORMAT binary)
SELECT (SELECT array_agg(c::text ORDER BY c::text) FROM service_calendar_copy)
     = (SELECT array_agg(c::text ORDER BY c::text) FROM service_calendar_copy2) AS binary_round_trip;
CREATE TABLE service_calendar_raw (b bytea);
-- version 2
INSERT INTO service_calendar_raw VALUES (decode('02', 'hex'));
\copy service_calendar_raw TO 'results/service_calendar_v.bin' WITH (FORMAT binary)
\copy service_calendar_copy2 FROM 'results/service_calendar_v.bin' WITH (FORMAT binary)
-- "UTC", monday 09:00-09:00 (zero length)
UPDATE service_calendar_raw SET b = decode('01' || '00000003' || '555443' || '00000001' || '0000021c0000021c' ||
	repeat('00000000', 6) || '00000000', 'hex');
\copy service_calendar_raw TO 'results/service_calendar_z.bin' WITH (FORMAT binary)
\copy service_calendar_copy2 FROM 'results/service_calendar_z.bin' WITH (FORMAT binary)
-- "XYZ", monday 09:00-10:00: unknown zone
UPDATE service_calendar_raw SET b = decode('01' || '00000003' || '58595a' || '00000001' || '0000021c00000258' ||
	repeat('00000000', 6) || '00000000', 'hex');
\copy service_calendar_raw TO 'results/service_calendar_u.bin' WITH (FORMAT binary)
\copy service_calendar_copy2 FROM 'results/service_calendar_u.bin' WITH (FORMAT binary)
-- "UTC", monday 09:00-10:00, closed dates out of order
UPDATE service_calendar_raw SET b = decode('01' || '00000003' || '555443' || '00000001' || '0000021c00000258' ||
	repeat('00000000', 6) || '00000002' || '000024ea' || '000024e9', 'hex');
\copy service_calendar_raw TO 'results/service_calendar_o.bin' WITH (FORMAT binary)
\copy service_calendar_copy2 FROM 'results/service_calendar_o.bin' WITH (FORMAT binary)
-- the same in order is accepted (2025-11-14 and 2025-11-15)
UPDATE service_calendar_raw SET b = decode('01' || '00000003' || '555443' || '00000001' || '0000021c00000258' ||
	repeat('00000000', 6) || '00000002' || '000024e9' || '000024ea', 'hex');
\copy service_calendar_raw TO 'results/service_calendar_k.bin' WITH (FORMAT binary)
TRUNCATE service_calendar_copy2;
\copy service_calendar_copy2 FROM 'results/service_calendar_k.bin' WITH (FORMAT binary)
SELECT c FROM service_calendar_copy2;

-- the hand-worked cases: a Friday 17:30 ticket with a 2-hour business
-- target is due Monday 10:30, or Saturday 11:30 when Saturdays open
SET timezone = 'Europe/Paris';
SELECT cj_business_add('2026-03-06 17:30', '2 hours', 'Europe/Paris; mon-fri 09:00-18:00') AS monday_1030,
       cj_business_add('2026-03-06 17:30', '2 hours', 'Europe/Paris; mon-fri 09:00-18:00; sat 10:00-13:00') AS saturday_1130;
SELECT cj_due('2026-03-06 17:30', 'platinum:30min, gold:2h, *:8h'::cj_sla, 'gold',
              'Europe/Paris; mon-fri 09:00-18:00'::cj_calendar) AS due;
SELECT cj_business_time('2026-03-06 17:30', '2026-03-09 10:30', 'Europe/Paris; mon-fri 09:00-18:00') AS two_hours;
-- a pause over the weekend moves the due time by the business time paused
-- (15 min on Friday, 15 min on Monday), not by the 63.5 wall-clock hours
SELECT cj_due_resume('2026-03-09 10:30', '2026-03-06 17:45', '2026-03-09 09:15',
                     'Europe/Paris; mon-fri 09:00-18:00') AS business_resume,
       cj_due_resume('2026-03-09 10:30', '2026-03-06 17:45', '2026-03-09 09:15') AS wall_clock_resume;
-- interval edges: arriving at opening, at closing, adding nothing
SELECT cj_business_add('2026-03-06 09:00', '9 hours', 'Europe/Paris; mon-fri 09:00-18:00') AS fri_1800,
       cj_business_add('2026-03-06 18:00', '1 us', 'Europe/Paris; mon-fri 09:00-18:00') AS mon_0900,
       cj_business_add('2026-03-07 12:00', '0', 'Europe/Paris; mon-fri 09:00-18:00') AS unchanged,
       cj_business_add('2026-03-06 17:30', '30 min', 'Europe/Paris; mon-fri 09:00-18:00') AS fri_1800_not_monday;
-- 23- and 25-hour days; an opening interval holding the jump is shorter
-- or longer in real time; Lord Howe moves by half an hour
SELECT cj_business_time('2026-03-28', '2026-03-31', 'Europe/Paris; sun 00:00-24:00') AS spring_sunday,
       cj_business_time('2026-10-24', '2026-10-27', 'Europe/Paris; sun 00:00-24:00') AS autumn_sunday,
       cj_business_time('2026-03-28', '2026-03-31', 'Europe/Paris; sun 01:00-04:00') AS spring_interval,
       cj_business_time('2026-10-24', '2026-10-27', 'Europe/Paris; sun 01:00-04:00') AS autumn_interval;
SELECT cj_business_time('2026-04-03', '2026-04-07', 'Australia/Lord_Howe; sun 00:00-24:00') AS lord_howe_april,
       cj_business_time('2026-10-02', '2026-10-06', 'Australia/Lord_Howe; sun 00:00-24:00') AS lord_howe_october,
       cj_business_time('2026-11-01', '2026-11-03', 'America/New_York; sun 00:00-24:00') AS new_york_november;
-- across the spring change, 3 business hours on a 24x7 calendar are 3
-- real hours: Saturday 23:00 CET + 3 h is Sunday 03:00 CEST
SELECT cj_business_add('2026-03-28 23:00', '3 hours', 'Europe/Paris; 24x7') AS sunday_0300;
-- overnight intervals belong to the day they start; a closed date closes
-- its own night, not the night before
SELECT cj_business_time('2026-12-24 12:00', '2026-12-26 12:00', 'Europe/Paris; mon-sun 22:00-06:00') AS two_nights,
       cj_business_time('2026-12-24 12:00', '2026-12-26 12:00', 'Europe/Paris; mon-sun 22:00-06:00; closed 2026-12-25') AS one_night,
       cj_business_add('2026-12-24 23:00', '8 hours', 'Europe/Paris; mon-sun 22:00-06:00; closed 2026-12-25') AS night_of_26th;
-- leap day: open on Tuesdays, and 2028-02-29 is one
SELECT cj_business_time('2028-02-28', '2028-03-02', 'UTC; tue 10:00-11:00') AS leap_tuesday,
       cj_business_add('2028-02-28 00:00+00', '1 hour', 'UTC; tue 10:00-11:00') AS due_feb_29;
-- durations: a day is 24 business hours; months and negative durations are errors
SELECT cj_business_add('2026-03-02 09:00', '1 day', 'Europe/Paris; mon-fri 09:00-17:00') AS three_days_later;
SELECT cj_business_add('2026-03-02 09:00', '1 month', 'Europe/Paris; mon-fri 09:00-17:00');
SELECT cj_business_add('2026-03-02 09:00', '-1 hour', 'Europe/Paris; mon-fri 09:00-17:00');
-- business time runs backward as a negative interval; infinities
SELECT cj_business_time('2026-03-09 10:30', '2026-03-06 17:30', 'Europe/Paris; mon-fri 09:00-18:00') AS minus_two_hours,
       cj_business_add('infinity', '1 hour', 'UTC; 24x7') AS stays_infinite;
SELECT cj_business_time('-infinity', '2026-03-06', 'UTC; 24x7');
-- huge durations end quickly, never loop: the arithmetic skips whole
-- weeks and walks only the zone's offset changes; results past the
-- timestamptz range are errors (22008)
SET statement_timeout = '2s';
SELECT cj_business_add('2000-01-01', '3650 days', 'Europe/Paris; mon 09:00-09:01');
SELECT cj_business_add('2000-01-01', '36500000 days', 'UTC; 24x7');
SELECT cj_business_add('2000-01-01', '36500 days', 'Europe/Paris; mon 09:00-09:01');
SELECT cj_business_add('2000-01-01', '106751990 days', 'UTC; 24x7');
SELECT cj_business_add('2000-01-01', '365 days', 'Europe/Paris; mon 09:00-09:01') AS seven_thousand_years_later;
SELECT cj_business_time('2000-01-01', '200000-01-01', 'America/New_York; sat 09:00-09:01') AS minutes_in_198000_years;
-- long walks stay on the zone's wall clock: a weekly 09:00 opening is still
-- at 09:00 local time thousands of years later, through the zone rules the
-- tz database extrapolates beyond its table
SELECT count(*) AS results,
       count(*) FILTER (WHERE to_char(r AT TIME ZONE z, 'HH24:MI') <> '09:01') AS off_the_clock
FROM (SELECT z, cj_business_add('2000-01-01', n * interval '1 min', (z || '; mon 09:00-09:01')::cj_calendar) AS r
      FROM generate_series(1, 600000, 9973) n,
           unnest(ARRAY['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe']) z) s;
RESET statement_timeout;

-- cj_sla_status with a calendar counts business time to 75 %
SELECT now_, cj_sla_status('2026-03-06 17:30', '2026-03-09 10:30', now_, 'Europe/Paris; mon-fri 09:00-18:00')
FROM unnest(ARRAY['2026-03-06 17:45', '2026-03-09 09:45', '2026-03-09 10:00', '2026-03-09 10:31']::timestamptz[]) now_;

-- existing cj_due and cj_sla_status calls still resolve to the same functions
SELECT cj_due('2026-03-06 17:30', 'gold:2h', 'gold') AS wall_clock_due,
       cj_due('2026-03-06 17:30', 10.0, '5min', '10s', '1min') AS value_due,
       cj_due('2026-03-06 17:30', 'gold:2h', 'gold', 'Europe/Paris; mon-fri 09:00-18:00'::cj_calendar) AS business_due,
       cj_sla_status('2026-03-06 17:30', '2026-03-06 19:30', '2026-03-06 19:00') AS wall_status;

-- a due time as a stored generated column, indexed (IMMUTABLE)
CREATE TABLE service_calendar_tickets (
	id int PRIMARY KEY,
	tier text NOT NULL,
	arrived_at timestamptz NOT NULL,
	due timestamptz GENERATED ALWAYS AS
		(cj_due(arrived_at, 'platinum:30min, gold:2h, *:8h'::cj_sla, tier,
		        'Europe/Paris; mon-fri 09:00-18:00; closed 2026-12-25'::cj_calendar)) STORED
);
CREATE INDEX ON service_calendar_tickets (due);
INSERT INTO service_calendar_tickets (id, tier, arrived_at) VALUES
	(1, 'gold', '2026-03-06 17:30'), (2, 'platinum', '2026-03-09 08:00'),
	(3, 'bronze', '2026-03-05 12:00'), (4, 'gold', '2026-12-24 17:00');
SET enable_seqscan = off;
SELECT id, tier, arrived_at, due FROM service_calendar_tickets
WHERE due < '2026-03-10' ORDER BY due;
RESET enable_seqscan;
-- after a tz database update, recompute: updating any column rewrites the
-- stored generated column
UPDATE service_calendar_tickets SET arrived_at = arrived_at;
SELECT id, due FROM service_calendar_tickets ORDER BY due;
DROP TABLE service_calendar_tickets, service_calendar_copy, service_calendar_copy2, service_calendar_raw;
RESET timezone;
