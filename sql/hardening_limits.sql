-- Resource limits: a statement_timeout (or a cancel) stops a long fit and a
-- long points replay promptly, because every long loop checks for
-- interrupts; and the documented size caps fail with 54000.
SET timezone = 'UTC';

-- Runs q and reports how it ended; a cancel is caught and timed.  (The
-- statements below would otherwise run for many seconds: see the
-- "Resource limits" table of the Testing section of the README.)
CREATE FUNCTION hardening_stops(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE q;
	RETURN 'completed';
EXCEPTION WHEN query_canceled THEN
	RETURN 'canceled (' || SQLSTATE || ') after '
		|| CASE WHEN clock_timestamp() - t0 < interval '3 s'
		        THEN 'less than 3 s' ELSE 'more than 3 s' END;
END $$;

-- a fit state of 100000 distinct (x, t_x, T) histories: its fit alone
-- (the optimizer loop of the final function) takes seconds
CREATE TABLE hardening_state AS
SELECT ('bgnbd{' || string_agg(format('(%s,%s,%s):%s', x, tx, tt, 1 + i % 3), ',')
        || '}')::cj_fit_state AS s
FROM (SELECT i, i % 30 AS x,
             CASE WHEN i % 30 = 0 THEN 0 ELSE ((i::int8 * 7919) % 3900) / 100.0 END AS tx,
             39 + i / 100000.0 AS tt
      FROM generate_series(1, 100000) i) d;
SELECT pg_column_size(s) > 1000000 AS big_state FROM hardening_state;

SET statement_timeout = '100ms';
-- the optimizer of a fit
SELECT hardening_stops('SELECT cj_fit_state_final(s) FROM hardening_state');
-- a whole fitting aggregate over ten million generated customers
SELECT hardening_stops($q$
  SELECT cj_fit_bgnbd(i % 30, CASE WHEN i % 30 = 0 THEN 0 ELSE (i % 3900) / 100.0 END,
                      39 + (i % 100000) / 100000.0)
  FROM generate_series(1, 10000000) i$q$);
-- a points replay over five million movements of one member
SELECT hardening_stops($q$
  SELECT cj_points(CASE WHEN i % 3 = 0 THEN 'redeem' ELSE 'earn' END, 1 + i % 7,
                   timestamptz '2020-01-01' + i * interval '1 second',
                   timestamptz '2020-01-01' + (i + 86400 * (1 + i % 30)) * interval '1 second'
                   ORDER BY timestamptz '2020-01-01' + i * interval '1 second')
  FROM generate_series(1, 5000000) i$q$);
RESET statement_timeout;

-- the same final function completes without a timeout on a small state
SELECT cj_model_family(cj_fit_state_final(
  'bgnbd{(0,0,38.86):2,(2,30.43,38.86):4,(1,10,38.86):3}'::cj_fit_state));

-- size caps are 54000 (program_limit_exceeded) and say what the cap is
CREATE FUNCTION hardening_err(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	st text;
	dt text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, dt = PG_EXCEPTION_DETAIL;
	RETURN st || ': ' || dt;
END $$;
SELECT hardening_err($q$
  SELECT (SELECT string_agg('t' || i || ':' || i, ', ')
          FROM generate_series(0, 64) i)::cj_ladder$q$) AS ladder_65_tiers;
SELECT hardening_err($q$
  SELECT cj_points('earn', 10, now(), NULL, NULL, repeat('r', 256))$q$) AS ref_256_bytes;
SELECT hardening_err($q$
  SELECT format('history(first=1997-01-01T00:00:00Z, last=%s, spend=1, first_spend=1, days=[%s])',
                to_char(timestamptz '1997-01-01' + interval '1000000 days',
                        'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                (SELECT string_agg(i::text, ',') FROM generate_series(0, 1000000) i))::cj_history
  $q$) AS history_1000001_days;
SELECT hardening_err($q$
  SELECT (SELECT string_agg('s' || i || ':' || (1 + i % 100), ', ')
          FROM generate_series(0, 256) i)::cj_skillset$q$) AS skillset_257_skills;
SELECT hardening_err($q$
  SELECT (repeat('s', 64) || ':1')::cj_skillset$q$) AS skill_name_64_bytes;
SELECT hardening_err($q$
  SELECT ((SELECT string_agg('a for 1s', '; ') FROM generate_series(1, 16)) || '; any')::cj_requirement
  $q$) AS requirement_17_steps;
SELECT hardening_err($q$
  SELECT (SELECT string_agg('t' || i, ' & ') FROM generate_series(1, 17) i)::cj_requirement
  $q$) AS requirement_17_terms;

DROP TABLE hardening_state;
DROP FUNCTION hardening_stops(text);
DROP FUNCTION hardening_err(text);
