-- cj_history text and binary I/O: exact round trips, malformed literals
-- and hostile binary input.
SET timezone = 'UTC';

CREATE FUNCTION history_io_try(lit text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; det text;
BEGIN
	PERFORM lit::cj_history;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		det = PG_EXCEPTION_DETAIL;
	RETURN st || ' ' || coalesce(det, '');
END $$;

-- literals read back exactly (white space is free between tokens)
SELECT 'history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=0, first_spend=0, days=[0])'::cj_history;
SELECT ' history ( first = 2024-02-29T23:59:59.999999Z , last = 2024-03-01T00:00:00.5Z , spend = 12.345678 , first_spend = 0.000001 , days = [ 0 , 1 ] ) '::cj_history;
SELECT 'history(first=-4713-11-24T00:00:00Z, last=294276-12-31T23:59:59.999999Z, spend=9223372036854.775807, first_spend=0, days=[0,109203527])'::cj_history;
SELECT cj_first_purchase(h), cj_last_purchase(h), cj_total_spend(h), cj_frequency(h)
FROM (SELECT 'history(first=-4713-11-24T00:00:00Z, last=294276-12-31T23:59:59.999999Z, spend=9223372036854.775807, first_spend=0, days=[0,109203527])'::cj_history h) s;

-- round trips of aggregated histories through text and binary COPY
CREATE TABLE history_io_t (id int, h cj_history);
INSERT INTO history_io_t
SELECT c, cj_history_agg('2020-01-01'::timestamptz
						 + ((c * i * 7919) % 1000) * interval '1 day'
						 + ((c * i * 104729) % 86400000000) * interval '1 microsecond',
						 ((c * i * 31) % 100000) / 1000.0::float8)
FROM generate_series(1, 200) c, generate_series(1, 25) i GROUP BY c;
SELECT count(*) AS text_round_trip FROM history_io_t WHERE h::text::cj_history::text = h::text;
\copy history_io_t TO 'results/history_io.bin' WITH (FORMAT binary)
CREATE TABLE history_io_back (id int, h cj_history);
\copy history_io_back FROM 'results/history_io.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trip
FROM history_io_t a JOIN history_io_back b USING (id) WHERE a.h::text = b.h::text;
SELECT count(*) AS send_equal
FROM history_io_t a JOIN history_io_back b USING (id)
WHERE cj_history_send(a.h) = cj_history_send(b.h);
\copy history_io_t TO 'results/history_io.txt'
TRUNCATE history_io_back;
\copy history_io_back FROM 'results/history_io.txt'
SELECT count(*) AS copy_text_round_trip
FROM history_io_t a JOIN history_io_back b USING (id) WHERE a.h::text = b.h::text;

-- malformed or inconsistent literals: SQLSTATE and detail
SELECT lit, history_io_try(lit) FROM (VALUES
	(''),
	('history'),
	('history()'),
	('hist(first=1997-01-01T00:00:00Z)'),
	('history(first=1997-01-01 00:00:00, last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[0])'),
	('history(first=1997-01-01T00:00:00Z last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[0]) junk'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[0],)'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[])'),
	('history(first=1997-02-29T00:00:00Z, last=1997-03-01T00:00:00Z, spend=1, first_spend=1, days=[0])'),
	('history(first=1997-01-01T24:00:00Z, last=1997-01-02T00:00:00Z, spend=1, first_spend=1, days=[0])'),
	('history(first=-4713-11-23T23:59:59Z, last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[0])'),
	('history(first=294277-01-01T00:00:00Z, last=294277-01-01T00:00:00Z, spend=1, first_spend=1, days=[0])'),
	('history(first=1997-01-02T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1, first_spend=1, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=-1, first_spend=1, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=NaN, first_spend=1, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=1e3, first_spend=1, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=0.0000001, first_spend=0, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=9223372036854.775808, first_spend=0, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-01T00:00:00Z, spend=2, first_spend=1, days=[0])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-05T00:00:00Z, spend=1, first_spend=2, days=[0,4])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-05T00:00:00Z, spend=2, first_spend=1, days=[1,4])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-05T00:00:00Z, spend=2, first_spend=1, days=[0,3])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-05T00:00:00Z, spend=2, first_spend=1, days=[0,2,2,4])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-05T00:00:00Z, spend=2, first_spend=1, days=[0,3,2,4])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-05T00:00:00Z, spend=2, first_spend=1, days=[0,5])'),
	('history(first=1997-01-01T00:00:00Z, last=1997-01-05T00:00:00Z, spend=2, first_spend=1, days=[0,99999999999999999999])')
) v(lit);
-- the message of an unparsable literal
SELECT 'history(first=yesterday)'::cj_history;

-- hostile binary input: a valid form, mutated, fed through binary COPY
-- (a bytea column's binary COPY frames its bytes as any other type's)
CREATE TABLE history_io_raw (b bytea);
CREATE TABLE history_io_in (h cj_history);
CREATE TABLE history_io_cases AS
SELECT 'valid' AS name, cj_history_send(h) AS b
FROM (SELECT 'history(first=2024-01-01T10:00:00Z, last=2024-01-09T00:00:00Z, spend=10, first_spend=4, days=[0,3,8])'::cj_history h) s;
SELECT b FROM history_io_cases;
INSERT INTO history_io_cases
SELECT n, b2 FROM history_io_cases c, LATERAL (VALUES
	('version 2', set_byte(c.b, 0, 2)),
	('flags set', set_byte(c.b, 1, 1)),
	('empty', ''::bytea),
	('header only', substr(c.b, 1, 10)),
	('truncated', substr(c.b, 1, length(c.b) - 1)),
	('trailing byte', c.b || '\x00'::bytea),
	('ndays 0', overlay(c.b placing '\x00000000'::bytea from 3)),
	('ndays huge', overlay(c.b placing '\x7fffffff'::bytea from 3)),
	('ndays negative', overlay(c.b placing '\xffffffff'::bytea from 3)),
	('days unsorted', overlay(c.b placing '\x00002247'::bytea from 43)),
	('day duplicated', overlay(c.b placing '\x0000223e'::bytea from 43)),
	('first day mismatch', overlay(c.b placing '\x0000223d'::bytea from 39)),
	('negative spend', overlay(c.b placing '\xff'::bytea from 23)),
	('first spend > total', overlay(c.b placing '\x0000000001000000'::bytea from 31)),
	('first after last', overlay(c.b placing '\x7f'::bytea from 7)),
	('instant out of range', overlay(c.b placing '\x7fff'::bytea from 7))
) v(n, b2);
SELECT name, length(b) FROM history_io_cases ORDER BY name;

-- each case: the server writes its bytes as a binary COPY file and reads
-- that file back as cj_history; all but the valid form fail with 22P03
CREATE FUNCTION history_io_recv(c text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f text := current_setting('data_directory') || '/history_io_case.bin';
	st text; msg text; det text;
BEGIN
	EXECUTE format('COPY (SELECT b FROM history_io_cases WHERE name = %L) TO %L WITH (FORMAT binary)', c, f);
	EXECUTE format('COPY history_io_in FROM %L WITH (FORMAT binary)', f);
	RETURN 'ok';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		det = PG_EXCEPTION_DETAIL;
	RETURN st || ': ' || msg || ' / ' || coalesce(det, '');
END $$;
SELECT name, history_io_recv(name) FROM history_io_cases ORDER BY name = 'valid' DESC, name;
-- only the valid form arrived
SELECT h FROM history_io_in;
