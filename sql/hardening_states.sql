-- Hostile aggregates over every transition, combine and final function of
-- the extension, built by an ordinary role.  The functions are enumerated
-- from the catalog, so a new aggregate is covered (or this test fails for
-- want of sample arguments).  Each attack prints the SQLSTATE it ends
-- with ('ok' when it succeeds): states of the other kind of a type given
-- as INITCOND, returned by a moving-aggregate inverse function or read
-- from a table (1-byte headers, compressed values), and support functions
-- called outside an aggregate.  The last statement proves the server is up.
SET timezone = 'UTC';
CREATE ROLE cj_states_hostile;
SET ROLE cj_states_hostile;

-- the outcome of a statement: 'ok' or its SQLSTATE
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- every support function of our aggregates
CREATE TEMP TABLE hs_agg AS
SELECT DISTINCT a.aggtransfn::regprocedure AS sfunc, a.aggtranstype::regtype AS stype,
       a.aggcombinefn::regprocedure AS combinefn, a.aggfinalfn AS finalfn,
       a.agginitval AS initval
FROM pg_aggregate a
JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
 AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'custjourney';
SELECT count(DISTINCT sfunc) AS transition_functions, count(DISTINCT combinefn) AS combine_functions,
       count(DISTINCT finalfn) FILTER (WHERE finalfn <> 0) AS final_functions,
       count(DISTINCT stype) AS state_types
FROM hs_agg;

-- rows i = 1..4 with a purchase history h each (a table, not a subquery:
-- a sub-select in the arguments would keep window aggregates from using
-- the inverse function)
CREATE TEMP TABLE hs_rows AS
SELECT i, cj_history_agg(d, 5.0) AS h
FROM generate_series(1, 4) i, unnest(ARRAY['2020-01-01'::date, '2020-01-02'::date + i]) d
GROUP BY i;

-- sample arguments (after the state) of every transition function, over hs_rows
CREATE TEMP TABLE hs_args (sfunc regprocedure PRIMARY KEY, args text NOT NULL);
INSERT INTO hs_args VALUES
('cj_history_trans_ts_numeric(cj_history,timestamptz,numeric)', $$'2020-01-01 10:00'::timestamptz + i * interval '1 day', 12.5$$),
('cj_history_trans_ts_float8(cj_history,timestamptz,float8)', $$'2020-01-01 10:00'::timestamptz + i * interval '1 day', 12.5::float8$$),
('cj_history_trans_date_numeric(cj_history,date,numeric)', $$'2020-01-01'::date + i, 12.5$$),
('cj_history_trans_date_float8(cj_history,date,float8)', $$'2020-01-01'::date + i, 12.5::float8$$),
('cj_fit_state_add2(cj_fit_state,float8,float8)', $$(1 + i)::float8, 20::float8$$),
('cj_fit_state_add2w(cj_fit_state,float8,float8,int8)', $$(1 + i)::float8, 20::float8, 3::int8$$),
('cj_fit_state_add3(cj_fit_state,float8,float8,float8)', $$1::float8, (1 + i)::float8, 5::float8$$),
('cj_fit_state_add3w(cj_fit_state,float8,float8,float8,int8)', $$1::float8, (1 + i)::float8, 5::float8, 2::int8$$),
('cj_fit_state_add_history(cj_fit_state,cj_history,timestamptz)', $$h, '2020-02-01'::timestamptz$$),
('cj_fit_state_add_history(cj_fit_state,cj_history,timestamptz,interval)', $$h, '2020-02-01'::timestamptz, '1 day'::interval$$),
('cj_fit_sbg_add(cj_fit_state,int4,bool)', $$i, i = 2$$),
('cj_cov_fit_state_add(cj_cov_fit_state,float8,float8,float8,float8[],float8[])', $$1::float8, (1 + i)::float8, 5::float8, ARRAY[i % 2]::float8[], ARRAY[1.0]::float8[]$$),
('cj_cov_fit_state_add(cj_cov_fit_state,float8,float8,float8,float8[],float8[],int8)', $$1::float8, (1 + i)::float8, 5::float8, ARRAY[i % 2]::float8[], ARRAY[1.0]::float8[], 2::int8$$),
('cj_cov_fit_state_add(cj_cov_fit_state,float8,float8,float8,float8[],float8[],jsonb)', $$1::float8, (1 + i)::float8, 5::float8, ARRAY[i % 2]::float8[], ARRAY[1.0]::float8[], '{"names_trans": ["g"], "lambda_life": 0.5}'::jsonb$$),
('cj_cov_fit_state_add(cj_cov_fit_state,float8,float8,float8,float8[],float8[],int8,jsonb)', $$1::float8, (1 + i)::float8, 5::float8, ARRAY[i % 2]::float8[], ARRAY[1.0]::float8[], 2::int8, '{"constrain": ["z1"]}'::jsonb$$),
('cj_fit_sbg_addw(cj_fit_state,int4,bool,int8)', $$i, i = 2, 4::int8$$),
('cj_points_sfunc(cj_points_ledger,text,numeric,timestamptz,timestamptz)', $$'earn', 100 * i, '2020-01-01'::timestamptz + i * interval '1 day', NULL::timestamptz$$),
('cj_points_sfunc(cj_points_ledger,text,numeric,timestamptz,timestamptz,timestamptz)', $$'earn', 100 * i, '2020-01-01'::timestamptz + i * interval '1 day', NULL::timestamptz, NULL::timestamptz$$),
('cj_points_sfunc(cj_points_ledger,text,numeric,timestamptz,timestamptz,timestamptz,text)', $$'earn', 100 * i, '2020-01-01'::timestamptz + i * interval '1 day', NULL::timestamptz, NULL::timestamptz, 'r' || i$$),
('cj_service_level_trans(cj_wait_state,interval,interval)', $$i * interval '10 s', interval '15 s'$$),
('cj_wait_stats_trans(cj_wait_state,interval)', $$i * interval '10 s'$$),
('cj_credits_sum_trans(cj_credits_acc,cj_credits)', $$('{"email"=>' || (0.1 * i) || ', "search"=>0.3}')::cj_credits$$),
('cj_attribution_trans(cj_touches,text,timestamptz,timestamptz,text)', $$'ch' || i, '2020-01-01'::timestamptz + i * interval '1 h', '2020-01-02'::timestamptz, 'linear'$$),
('cj_attribution_trans(cj_touches,text,timestamptz,timestamptz,text,interval)', $$'ch' || i, '2020-01-01'::timestamptz + i * interval '1 h', '2020-01-02'::timestamptz, 'time_decay', interval '1 day'$$),
('cj_markov_trans(cj_transitions,text[],int8,int8)', $$ARRAY['a', 'b' || i], 1::int8, 2::int8$$),
('cj_markov_trans(cj_transitions,text[],int8,int8,int4)', $$ARRAY['a', 'b' || i], 1::int8, 2::int8, 2$$),
('cj_holdout_add(cj_holdout,cj_model,float8,float8,float8,float8,float8)', $$'bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)'::cj_model, i::float8, 10::float8, 30::float8, 39::float8, 1::float8$$),
('cj_holdout_add(cj_holdout,cj_model,float8,float8,float8,float8,float8,int4)', $$'bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)'::cj_model, i::float8, 10::float8, 30::float8, 39::float8, 1::float8, 2$$),
('cj_tracking_add(cj_tracking,cj_model,timestamptz,timestamptz,interval,int4)', $$'bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)'::cj_model, '2020-01-01'::timestamptz + i * interval '1 day', '2020-01-01'::timestamptz, interval '7 days', 3$$),
('cj_liability_sfunc(cj_liability,cj_points_ledger,timestamptz,interval)', $$('earn ' || (10 * i) || ' at 2020-01-01T00:00:00Z expires 2020-0' || (2 + i) || '-01T00:00:00Z')::cj_points_ledger, '2020-01-15'::timestamptz, interval '6 months'$$),
('cj_memory_trans(cj_memory,timestamptz,text,text,text,text,text)', $$'2020-01-01'::timestamptz + i * interval '1 h', 'phone', 'ann', 'billing', 'open', 'case' || i$$),
('cj_memory_trans(cj_memory,timestamptz,text,text,text,text,text,integer)', $$'2020-01-01'::timestamptz + i * interval '1 h', 'phone', 'ann', 'billing', 'open', 'case' || i, 3$$),
('cj_contact_rates_trans(cj_contact_log,text,timestamptz,text,text,text,interval)', $$'c' || i, '2020-01-01'::timestamptz + i * interval '1 h', 'billing', 'resolved', 'case' || i, interval '7 days'$$),
('cj_sla_clock_trans(cj_sla_clock_state,text,timestamptz)', $$CASE WHEN i % 2 = 1 THEN 'running' ELSE 'paused' END, '2020-01-01'::timestamptz + i * interval '1 h'$$),
('cj_sla_clock_trans(cj_sla_clock_state,text,timestamptz,cj_calendar)', $$CASE WHEN i % 2 = 1 THEN 'running' ELSE 'paused' END, '2020-01-01'::timestamptz + i * interval '1 h', 'UTC; 24x7'::cj_calendar$$),
('cj_sla_clock_trans(cj_sla_clock_state,text,timestamptz,cj_calendar,interval)', $$CASE WHEN i % 2 = 1 THEN 'running' ELSE 'paused' END, '2020-01-01'::timestamptz + i * interval '1 h', 'UTC; 24x7'::cj_calendar, interval '2 h'$$);
SELECT count(*) AS transition_functions_without_sample
FROM (SELECT DISTINCT sfunc FROM hs_agg) f LEFT JOIN hs_args USING (sfunc) WHERE args IS NULL;

-- per transition function: its name, argument types after the state, strictness
CREATE TEMP TABLE hs_fn AS
SELECT DISTINCT ON (g.sfunc) g.sfunc, g.stype, g.combinefn,
       dense_rank() OVER (ORDER BY g.sfunc::text) AS n,
       p.pronamespace::regnamespace || '.' || p.proname AS fname,
       (SELECT string_agg(t::regtype::text, ', ' ORDER BY o)
        FROM unnest(p.proargtypes[1:]) WITH ORDINALITY u(t, o)) AS argtypes,
       p.proisstrict AS is_strict, a.args
FROM hs_agg g JOIN pg_proc p ON p.oid = g.sfunc JOIN hs_args a USING (sfunc)
ORDER BY g.sfunc;

-- sample states of every kind: what each transition function builds from
-- each INITCOND the extension's own aggregates use, over two rows
CREATE TEMP TABLE hs_state (stype regtype, kind text, sfunc regprocedure, state text);
DO $$
DECLARE
	r record;
	v text;
	k int := 0;
BEGIN
	FOR r IN SELECT DISTINCT f.*, g.initval FROM hs_fn f JOIN hs_agg g USING (sfunc)
			 ORDER BY f.n, g.initval LOOP
		k := k + 1;
		EXECUTE format('CREATE AGGREGATE pg_temp.raw_%s(%s) (sfunc = %s, stype = %s%s)',
					   k, r.argtypes, r.fname, r.stype,
					   CASE WHEN r.initval IS NULL THEN '' ELSE ', initcond = ' || quote_literal(r.initval) END);
		EXECUTE format('SELECT pg_temp.raw_%s(%s)::text FROM pg_temp.hs_rows WHERE i <= 2', k, r.args) INTO v;
		INSERT INTO hs_state VALUES (r.stype, coalesce(r.initval, split_part(r.sfunc::text, '(', 1)), r.sfunc, v);
	END LOOP;
END $$;
-- the kinds (histories, ledgers and accumulators have one; the others
-- are told apart), one sample per kind: the first function making it
UPDATE hs_state SET kind = CASE
	WHEN stype = 'cj_history'::regtype THEN 'history'
	WHEN stype = 'cj_points_ledger'::regtype THEN 'ledger'
	WHEN stype = 'cj_credits_acc'::regtype THEN 'acc'
	WHEN stype = 'cj_wait_state'::regtype THEN split_part(state, ' ', 1)
	WHEN stype = 'cj_holdout'::regtype THEN 'k=' || (length(state) - length(replace(state, ':', '')) - 1)
	WHEN stype = 'cj_tracking'::regtype THEN 'tracking'
	WHEN stype = 'cj_touches'::regtype THEN split_part(split_part(state, '@', 1), '(', 1)
	WHEN stype = 'cj_transitions'::regtype THEN split_part(split_part(state, ';', 1), '{', 2)
	ELSE kind END;
DELETE FROM hs_state s USING hs_state t
WHERE s.stype = t.stype AND s.kind = t.kind AND s.sfunc::text > t.sfunc::text;
SELECT stype, kind, length(state) > 0 AS has_state FROM hs_state ORDER BY stype::text, kind;

-- the same samples stored in tables, one per type: read back they have
-- 1-byte headers (small values) or are compressed (large ones)
DO $$
DECLARE
	t regtype;
BEGIN
	FOR t IN SELECT DISTINCT stype FROM hs_state LOOP
		EXECUTE format('CREATE TEMP TABLE hs_store_%s (kind text, s %s)', t, t);
		EXECUTE format('INSERT INTO hs_store_%s SELECT kind, state::%s FROM hs_state WHERE stype = %L::regtype',
					   t, t, t);
	END LOOP;
END $$;
SELECT count(*) FILTER (WHERE pg_column_size(s) < 127) AS short_header_states,
       count(*) AS wait_states FROM hs_store_cj_wait_state;

-- 1. every transition function started from a state of every kind of its
--    type given as INITCOND, and
-- 2. every transition function as the forward function of a moving
--    aggregate whose inverse (a user function) returns the stored state of
--    every kind, read from a table
CREATE TEMP TABLE hs_out (attack text, fn text, kind text, outcome text);
DO $$
DECLARE
	r record;
	s record;
	k int := 0;
BEGIN
	FOR r IN SELECT * FROM hs_fn ORDER BY n LOOP
		FOR s IN SELECT * FROM hs_state WHERE stype = r.stype ORDER BY kind LOOP
			k := k + 1;
			EXECUTE format('CREATE AGGREGATE pg_temp.init_%s(%s) (sfunc = %s, stype = %s, initcond = %L)',
						   k, r.argtypes, r.fname, r.stype, s.state);
			INSERT INTO hs_out SELECT 'initcond', r.sfunc::text, s.kind, pg_temp.try(
				format('SELECT pg_temp.init_%s(%s)::text FROM pg_temp.hs_rows WHERE i <= 3', k, r.args));
			EXECUTE format('CREATE FUNCTION pg_temp.inv_%s(%s, %s) RETURNS %s LANGUAGE sql %s
							AS %L', k, r.stype, r.argtypes, r.stype,
						   CASE WHEN r.is_strict THEN 'STRICT' ELSE '' END,
						   format('SELECT s FROM pg_temp.hs_store_%s WHERE kind = %L', r.stype, s.kind));
			EXECUTE format('CREATE AGGREGATE pg_temp.mov_%s(%s) (sfunc = %s, stype = %s%s,
							msfunc = %s, minvfunc = pg_temp.inv_%s, mstype = %s%s)',
						   k, r.argtypes, r.fname, r.stype,
						   (SELECT ', initcond = ' || quote_literal(g.initval) FROM hs_agg g
							WHERE g.sfunc = r.sfunc ORDER BY g.initval LIMIT 1),
						   r.fname, k, r.stype,
						   (SELECT ', minitcond = ' || quote_literal(g.initval) FROM hs_agg g
							WHERE g.sfunc = r.sfunc ORDER BY g.initval LIMIT 1));
			INSERT INTO hs_out SELECT 'inverse', r.sfunc::text, s.kind, pg_temp.try(
				format('SELECT count(v::text::%s) FROM (SELECT pg_temp.mov_%s(%s) OVER
						(ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS v
						FROM pg_temp.hs_rows) w', r.stype, k, r.args));
		END LOOP;
	END LOOP;
END $$;
SELECT attack, fn, string_agg(kind || ':' || outcome, ' ' ORDER BY kind) AS outcomes
FROM hs_out GROUP BY attack, fn ORDER BY attack, fn;

-- 3. every combine function as the transition function over stored
--    states (1-byte headers, compressed), started from every kind
-- 4. every final function over a stored state of every kind
DO $$
DECLARE
	r record;
	s record;
	i record;
	k int := 0;
BEGIN
	FOR r IN SELECT * FROM (SELECT DISTINCT combinefn, stype FROM hs_agg WHERE combinefn <> 0) c
			 ORDER BY combinefn::text LOOP
		FOR s IN SELECT * FROM hs_state WHERE stype = r.stype ORDER BY kind LOOP
			FOR i IN SELECT * FROM hs_state WHERE stype = r.stype ORDER BY kind LOOP
				k := k + 1;
				EXECUTE format('CREATE AGGREGATE pg_temp.comb_%s(%s) (sfunc = %s, stype = %s, initcond = %L)',
							   k, r.stype, split_part(r.combinefn::text, '(', 1), r.stype, i.state);
				INSERT INTO hs_out SELECT 'combine', r.combinefn::text, i.kind || '+' || s.kind, pg_temp.try(
					format('SELECT pg_temp.comb_%s(s)::text FROM hs_store_%s, generate_series(1, 2) WHERE kind = %L',
						   k, r.stype, s.kind));
			END LOOP;
		END LOOP;
	END LOOP;
	FOR r IN SELECT * FROM (SELECT DISTINCT finalfn::regprocedure AS finalfn, stype
							FROM hs_agg WHERE finalfn <> 0) f ORDER BY finalfn::text LOOP
		EXECUTE format('CREATE OR REPLACE FUNCTION pg_temp.pick_%s(%s, %s) RETURNS %2$s LANGUAGE sql AS ''SELECT $2''',
					   r.stype, r.stype, r.stype);
		FOR s IN SELECT * FROM hs_state WHERE stype = r.stype ORDER BY kind LOOP
			k := k + 1;
			EXECUTE format('CREATE AGGREGATE pg_temp.fin_%s(%s) (sfunc = pg_temp.pick_%s, stype = %s, finalfunc = %s)',
						   k, r.stype, r.stype, r.stype, split_part(r.finalfn::text, '(', 1));
			INSERT INTO hs_out SELECT 'final', r.finalfn::text, s.kind, pg_temp.try(
				format('SELECT pg_temp.fin_%s(s)::text FROM hs_store_%s WHERE kind = %L', k, r.stype, s.kind));
		END LOOP;
	END LOOP;
END $$ ;
SELECT attack, fn, string_agg(kind || ':' || outcome, ' ' ORDER BY kind) AS outcomes
FROM hs_out WHERE attack IN ('combine', 'final') GROUP BY attack, fn ORDER BY attack, fn;

-- stored (1-byte header) states combine to what the same states do in memory
CREATE AGGREGATE pg_temp.wsc(cj_wait_state) (sfunc = cj_wait_state_combine, stype = cj_wait_state);
SELECT (SELECT pg_column_size(s) FROM hs_store_cj_wait_state WHERE kind = 'sl') AS stored_bytes,
       (SELECT pg_temp.wsc(s)::text FROM hs_store_cj_wait_state, generate_series(1, 3) WHERE kind = 'sl') AS from_table,
       (SELECT pg_temp.wsc(s::text::cj_wait_state)::text FROM hs_store_cj_wait_state, generate_series(1, 3)
        WHERE kind = 'sl') AS in_memory;

-- 5. support functions called directly, outside any aggregate
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT * FROM hs_fn ORDER BY n LOOP
		INSERT INTO hs_out SELECT 'direct', r.sfunc::text, 'NULL', pg_temp.try(
			format('SELECT %s(NULL, %s) FROM pg_temp.hs_rows WHERE i = 1', r.fname, r.args));
		INSERT INTO hs_out SELECT 'direct', r.sfunc::text, s.kind, pg_temp.try(
			format('SELECT %s(%L::%s, %s) FROM pg_temp.hs_rows WHERE i = 1', r.fname, s.state, r.stype, r.args))
		FROM hs_state s WHERE s.stype = r.stype;
	END LOOP;
	FOR r IN SELECT * FROM (SELECT DISTINCT combinefn, stype FROM hs_agg WHERE combinefn <> 0) c
			 ORDER BY combinefn::text LOOP
		INSERT INTO hs_out SELECT 'direct', r.combinefn::text, s.kind, pg_temp.try(
			format('SELECT %s(%L::%s, %2$L::%3$s)', split_part(r.combinefn::text, '(', 1), s.state, r.stype))
		FROM hs_state s WHERE s.stype = r.stype;
	END LOOP;
END $$;
SELECT fn, string_agg(kind || ':' || outcome, ' ' ORDER BY kind) AS outcomes
FROM hs_out WHERE attack = 'direct' GROUP BY fn ORDER BY fn;

-- the example of the report: a service-level INITCOND for cj_wait_stats
CREATE AGGREGATE pg_temp.x(interval) (sfunc = cj_wait_stats_trans, stype = cj_wait_state,
                                      initcond = 'sl n=0 within=0');
\set VERBOSITY sqlstate
SELECT pg_temp.x(i * interval '1 s') FROM generate_series(1, 3) i;
\set VERBOSITY default

-- no attack crashed, looped or corrupted anything: the server answers
RESET ROLE;
DROP OWNED BY cj_states_hostile;
DROP ROLE cj_states_hostile;
SELECT 1 AS server_alive;
