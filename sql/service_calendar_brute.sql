SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
-- cj_business_add and cj_business_time against a brute-force reference
-- written here: every minute of a random span is looked up on the zone's
-- wall clock (AT TIME ZONE) and checked against the calendar's intervals,
-- for 10,000 random calendars over DST changes in Europe/Paris,
-- America/New_York and Australia/Lord_Howe (half-hour DST), leap days,
-- overnight intervals and closed dates.
SELECT setseed(0.1801);
CREATE TEMP TABLE bf_anchor AS
WITH z(zone) AS (VALUES ('Europe/Paris'), ('America/New_York'), ('Australia/Lord_Howe')),
hours AS (
	SELECT zone, h, ((h AT TIME ZONE zone) - (h AT TIME ZONE 'UTC')) AS utcoff
	FROM z, generate_series('2024-01-01 00:00+00'::timestamptz, '2028-12-31 00:00+00', '1 hour') h)
SELECT zone, h AS anchor FROM (
	SELECT zone, h, utcoff, lag(utcoff) OVER (PARTITION BY zone ORDER BY h) AS prev FROM hours) s
WHERE prev IS DISTINCT FROM utcoff AND prev IS NOT NULL
UNION ALL
SELECT zone, (d::timestamp AT TIME ZONE zone)
FROM (VALUES ('Europe/Paris'), ('America/New_York'), ('Australia/Lord_Howe'), ('UTC')) z(zone),
     (VALUES ('2024-02-29'::date), ('2028-02-29'), ('2024-03-01'), ('2027-12-31')) d(d);
SELECT zone, count(*) FROM bf_anchor GROUP BY zone ORDER BY zone;
CREATE FUNCTION pg_temp.try_cal(t text) RETURNS cj_calendar LANGUAGE plpgsql AS $$
BEGIN
	RETURN t::cj_calendar;
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN NULL;
END $$;
CREATE FUNCTION pg_temp.hm(m int) RETURNS text LANGUAGE sql IMMUTABLE
RETURN lpad((m / 60)::text, 2, '0') || ':' || lpad((m % 60)::text, 2, '0');
-- random opening intervals (minutes from local midnight, end > 1440 =
-- overnight).  Each calendar has a cut c: a day's intervals lie in
-- [c, 1440 + c), so days never overlap, and they may touch.
CREATE TEMP TABLE bf_cut AS
SELECT cid, CASE WHEN random() < 0.3 THEN 0 ELSE floor(random() * 420)::int END AS c
FROM generate_series(1, 10100) cid;
CREATE TEMP TABLE bf_iv1 AS
SELECT cid, dow, c, s1, s1 + 1 + floor(sqrt(random()) * (1440 + c - s1))::int AS e1, random() AS p2
FROM (SELECT cid, dow, c, random() AS p1, c + floor(power(random(), 2) * (1440 - c))::int AS s1
      FROM bf_cut, generate_series(1, 7) dow) d
WHERE p1 < 0.9;
CREATE TEMP TABLE bf_iv AS
SELECT cid, dow, s1 AS s, e1 AS e FROM bf_iv1
UNION ALL
SELECT cid, dow, s2, s2 + 1 + floor(random() * (1440 + c - s2))::int
FROM (SELECT *, e1 + 1 + floor(p2 * 200)::int AS s2 FROM bf_iv1 WHERE p2 < 0.4) x
WHERE s2 < 1440;
CREATE TEMP TABLE bf_case AS
WITH c AS (
	SELECT cid, random() AS pz, random() AS pa, random() AS off, random() AS span,
	       random() AS pd, random() AS nclosed, random() AS c1, random() AS c2, random() AS c3,
	       random() AS u
	FROM generate_series(1, 10100) cid),
a AS (
	SELECT c.*, an.zone, an.anchor
	FROM c CROSS JOIN LATERAL (
		SELECT zone, anchor FROM bf_anchor
		ORDER BY zone, anchor OFFSET floor(c.pa * 46)::int LIMIT 1) an),
b AS (
	SELECT a.*,
	       CASE WHEN pz < 0.8 THEN zone
	            ELSE (ARRAY['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'UTC'])[1 + floor(pz * 20)::int % 4] END AS z,
	       CASE WHEN pz < 0.8 THEN anchor
	            ELSE '2024-01-01 00:00+00'::timestamptz + floor(pd * 5 * 365 * 1440) * interval '1 minute' END AS base
	FROM a)
SELECT cid, z AS zone,
       date_trunc('minute', base) + (floor(off * 2880) - 1800) * interval '1 minute' AS a,
       60 + floor(span * 840)::int AS span_min, nclosed, c1, c2, c3, u
FROM b;
CREATE TEMP TABLE bf_closed AS
SELECT DISTINCT cid, ((a AT TIME ZONE zone)::date + floor(c * 7)::int - 3) AS d
FROM bf_case, LATERAL (VALUES (1, c1), (2, c2), (3, c3)) v(k, c)
WHERE k <= floor(nclosed * 3);
CREATE TEMP TABLE bf_cal AS
WITH h AS (
	SELECT cid, string_agg('; ' || (ARRAY['mon','tue','wed','thu','fri','sat','sun'])[dow] || ' ' ||
	                       pg_temp.hm(s) || '-' || CASE WHEN e = 1440 THEN '24:00' ELSE pg_temp.hm(e % 1440) END,
	                       '' ORDER BY dow, s) AS hours
	FROM bf_iv GROUP BY cid),
x AS (SELECT cid, '; closed ' || string_agg(to_char(d, 'YYYY-MM-DD'), ', ' ORDER BY d) AS closed FROM bf_closed GROUP BY cid)
SELECT c.cid, c.zone, c.a, c.a + c.span_min * interval '1 minute' AS b, c.u,
       pg_temp.try_cal(c.zone || coalesce(h.hours, '') || coalesce(x.closed, '')) AS cal
FROM bf_case c LEFT JOIN h USING (cid) LEFT JOIN x USING (cid);
DELETE FROM bf_cal WHERE cal IS NULL;
ANALYZE bf_iv; ANALYZE bf_closed;
DELETE FROM bf_cal WHERE cid NOT IN (SELECT cid FROM bf_cal ORDER BY cid LIMIT 10000);
SELECT count(*) AS cases, count(DISTINCT zone) AS zones,
       count(*) FILTER (WHERE cal::text ~ 'closed') AS with_closed,
       count(*) FILTER (WHERE cid IN (SELECT cid FROM bf_iv WHERE e > 1440)) AS with_overnight
FROM bf_cal;
-- walk every minute of [a, b) on the zone's wall clock: a minute is open
-- when its local time lies in an interval of its own date or in an
-- overnight interval of the day before, and that date is not closed
CREATE TEMP TABLE bf_walk AS
SELECT c.cid, m, lt::date AS ld, date_part('hour', lt)::int * 60 + date_part('minute', lt)::int AS mod
FROM bf_cal c, generate_series(c.a, c.b - interval '1 minute', interval '1 minute') m,
     LATERAL (SELECT m AT TIME ZONE c.zone) l(lt);
ANALYZE bf_walk;
-- the intervals of each local date a case spans, closed dates left out
CREATE TEMP TABLE bf_dayiv AS
SELECT c.cid, g.day::date AS d, i.s, i.e
FROM bf_cal c,
     generate_series((c.a AT TIME ZONE c.zone)::date - 1, (c.b AT TIME ZONE c.zone)::date, '1 day') g(day),
     bf_iv i
WHERE i.cid = c.cid AND i.dow = extract(isodow FROM g.day)
  AND NOT EXISTS (SELECT 1 FROM bf_closed x WHERE x.cid = c.cid AND x.d = g.day::date);
ANALYZE bf_dayiv;
CREATE TEMP TABLE bf_open AS
SELECT w.cid, w.m FROM bf_walk w JOIN bf_dayiv v ON v.cid = w.cid AND v.d = w.ld
WHERE w.mod >= v.s AND w.mod < v.e
UNION ALL
SELECT w.cid, w.m FROM bf_walk w JOIN bf_dayiv v ON v.cid = w.cid AND v.d = w.ld - 1
WHERE w.mod + 1440 >= v.s AND w.mod + 1440 < v.e;
ANALYZE bf_open;
SELECT (SELECT count(*) FROM bf_walk) AS minutes, count(*) AS open_minutes,
       count(DISTINCT (cid, m)) = count(*) AS no_minute_twice FROM bf_open;
-- cj_business_time against the walk
CREATE TEMP TABLE bf_time AS
SELECT c.cid, c.a, c.b, c.u, c.cal, coalesce(o.n, 0) AS brute
FROM bf_cal c LEFT JOIN (SELECT cid, count(*) AS n FROM bf_open GROUP BY cid) o USING (cid);
SELECT count(*) AS cases,
       count(*) FILTER (WHERE cj_business_time(a, b, cal) = brute * interval '1 minute') AS time_agrees
FROM bf_time;
-- cj_business_add against the walk, from a and from a minute inside
-- [a, b): d business minutes after a start end at the end of the d-th
-- open minute at or after it
CREATE TEMP TABLE bf_start AS
SELECT cid, 1 AS k, a AS st, u AS frac, cal FROM bf_time
UNION ALL
SELECT cid, 2, a + floor((1 - u) * extract(epoch FROM b - a) / 60) * interval '1 minute', 1 - u / 2, cal
FROM bf_time;
CREATE TEMP TABLE bf_add AS
WITH r AS (
	SELECT s.cid, s.k, o.m, row_number() OVER (PARTITION BY s.cid, s.k ORDER BY o.m) AS n,
	       count(*) OVER (PARTITION BY s.cid, s.k) AS total
	FROM bf_start s JOIN bf_open o ON o.cid = s.cid AND o.m >= s.st)
SELECT s.cid, s.k, s.st AS a, s.cal, r.n::int AS d, r.m + interval '1 minute' AS brute
FROM bf_start s JOIN r ON r.cid = s.cid AND r.k = s.k AND r.n = ceil(s.frac * r.total);
SELECT count(*) AS cases,
       count(*) FILTER (WHERE cj_business_add(a, d * interval '1 minute', cal) = brute) AS add_agrees
FROM bf_add;
SELECT cid, cal, a, d, brute, cj_business_add(a, d * interval '1 minute', cal)
FROM bf_add WHERE cj_business_add(a, d * interval '1 minute', cal) <> brute ORDER BY cid LIMIT 5;
SELECT cid, cal, a, b, brute, cj_business_time(a, b, cal)
FROM bf_time WHERE cj_business_time(a, b, cal) <> brute * interval '1 minute' ORDER BY cid LIMIT 5;
