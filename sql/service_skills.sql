-- cj_skillset and cj_requirement: literals, matching, bad input, binary
-- round trip, and how an unknown-typed literal resolves between a text[]
-- and a cj_skillset overload
\set VERBOSITY default

-- canonical text: sorted by name, every level written
SELECT 'billing:5, spanish:3'::cj_skillset, ' spanish : 3 ,billing:5 '::cj_skillset,
       'billing, spanish'::cj_skillset, ''::cj_skillset, '{}'::cj_skillset;
-- the text[] form: level 1, quotes and escapes as array_in, repeats merged, NULL dropped
SELECT '{billing,spanish}'::cj_skillset, '{"es-ES", billing , billing, NULL, "a\"b"}'::cj_skillset;
SELECT '"es-ES":3, "tier 2":2, B:1, _x:100'::cj_skillset;
SELECT 'billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any'::cj_requirement;
SELECT ' spanish >= 2&billing>=4 for 30 seconds ;billing for 120s;any '::cj_requirement,
       'billing'::cj_requirement, 'any'::cj_requirement, '{billing,spanish,billing}'::cj_requirement,
       '{}'::cj_requirement;
SELECT '"any">=2 & "es-ES">=3 for 1.5h; "es-ES"'::cj_requirement;
-- text round trip is the identity on canonical text, equality and hashing
SELECT s::text::cj_skillset::text = s::text AS round_trip, s = s::text::cj_skillset AS equal
FROM (VALUES ('billing:5, spanish:3'::cj_skillset), ('{}'), ('"es-ES":3, "a\\b":2, "x\"y":1')) v(s);
SELECT r::text::cj_requirement::text = r::text AS round_trip, r = r::text::cj_requirement AS equal
FROM (VALUES ('billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any'::cj_requirement),
             ('any'), ('"for">=1 & x>=100 for 1us; x>=1 for 3650d; any')) v(r);
SELECT 'a:1, b:2'::cj_skillset = 'b:2, a'::cj_skillset AS same, 'a:1'::cj_skillset <> 'a:2' AS differs,
       'a for 60s; any'::cj_requirement = 'a>=1 for 1min; any' AS same_req,
       'a for 60s; any'::cj_requirement <> 'a for 61s; any' AS differs_req;
-- no ordering, so grouping hashes
SELECT s, count(*) FROM (VALUES ('a:1, b:2'::cj_skillset), ('b:2,a:1'), ('a:2')) v(s) GROUP BY s ORDER BY 2, 1::text;
SELECT r, count(*) FROM (VALUES ('a'::cj_requirement), ('a>=1'), ('a for 1s; any'), ('{a}')) v(r) GROUP BY r ORDER BY 2, 1::text;

-- from text[]: function and assignment cast
SELECT cj_skillset(ARRAY['spanish', NULL, 'billing', 'spanish', 'es-ES']),
       cj_requirement(ARRAY['spanish', 'billing', 'spanish']), cj_requirement('{}'::text[]);
CREATE TEMP TABLE skills_cast (s cj_skillset, r cj_requirement);
INSERT INTO skills_cast VALUES (ARRAY['b', 'a']::text[], ARRAY['a']::text[]);
SELECT * FROM skills_cast;
CREATE TEMP TABLE skills_alter (s text[], r text[]);
INSERT INTO skills_alter VALUES ('{billing,spanish}', '{billing}');
ALTER TABLE skills_alter ALTER COLUMN s TYPE cj_skillset, ALTER COLUMN r TYPE cj_requirement;
SELECT * FROM skills_alter;
-- not implicit: a text[] is not silently taken for a skill set
SELECT cj_skill_level(ARRAY['a']::text[], 'a');
SELECT cj_requirement(ARRAY['a', NULL]);
SELECT cj_skillset(ARRAY['']);
SELECT cj_skillset(ARRAY[repeat('x', 64)]);
SELECT cj_requirement((SELECT array_agg('s' || i) FROM generate_series(1, 17) i));

-- matching: the issue's example at waits around the step boundaries
SELECT w, cj_requirement_step(r, w) AS step,
       cj_satisfies('billing:5, spanish:3', r, w) AS expert,
       cj_satisfies('billing:3, spanish:3', r, w) AS level3,
       cj_satisfies('{}', r, w) AS nobody
FROM (VALUES ('billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any'::cj_requirement)) v(r),
     unnest(ARRAY['-1 s', '0', '29.999999 s', '30 s', '149.999999 s', '150 s', '1 day', '-100 days', '1000000 days']::interval[]) w
ORDER BY w;
SELECT cj_satisfies('billing:5', 'billing>=4') AS default_wait, cj_satisfies('billing:3', 'billing>=4') AS too_low,
       cj_satisfies('billing:9', 'billing & spanish') AS missing_term, cj_satisfies('x:1', 'any') AS any;
SELECT s, cj_eligible_after('billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any', s) AS eligible_after
FROM unnest(ARRAY['billing:5, spanish:3', 'billing:3, spanish:3', 'spanish:9', '{}']::cj_skillset[]) s;
SELECT cj_eligible_after('a>=2 for 1s; a', 'b:9') IS NULL AS never,
       cj_eligible_after('{billing}', '{billing}') AS plain;
SELECT cj_skill_level('billing:5, "es-ES":2', 'billing') AS billing, cj_skill_level('billing:5, "es-ES":2', 'es-ES') AS es,
       cj_skill_level('billing:5', 'Billing') AS case_matters, cj_skill_level('billing:5', '') AS empty,
       cj_skills('billing:5, "es-ES":2, a:1') AS skills, cj_skills('{}') AS none;
-- eligible_after against a scan of waits (every 0.5 s up to 4 min)
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE e IS DISTINCT FROM brute) AS disagreements
FROM (
	SELECT r, s, cj_eligible_after(r, s) AS e,
	       (SELECT min(w) FROM generate_series(0, 480) i, LATERAL (SELECT i * interval '0.5 s' AS w) x
	        WHERE cj_satisfies(s, r, w)) AS brute
	FROM unnest(ARRAY['billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any',
	                  'a>=9 & b>=9 & c for 7s; a>=5 & b>=2 for 13.5s; a>=5 for 1min; a',
	                  '{a,b}', 'a>=3']::cj_requirement[]) r,
	     unnest(ARRAY['billing:4, spanish:2', 'billing:3', 'spanish:9', 'a:5, b:1', 'a:4, b:9, c:9',
	                  'a:9, b:9, c:1', 'a:1, b:1', 'c:1', '{}']::cj_skillset[]) s) t;
-- months have no fixed length
SELECT cj_satisfies('a:1', 'a', '1 mon');
SELECT cj_requirement_step('a for 1s; any', '1 year');

-- invalid literals: syntax 22P02, values 22023, ranges 22003, limits 54000
SELECT 'billing:0'::cj_skillset;
SELECT 'billing:5, billing:3'::cj_skillset;
SELECT 'billing,'::cj_skillset;
SELECT 'es-ES:1'::cj_skillset;
SELECT '{{a}}'::cj_skillset;
SELECT 'a>=2 for 1s; a>=3'::cj_requirement;
SELECT 'a>=2 for 1s; b'::cj_requirement;
SELECT 'billing>=4 for 30s'::cj_requirement;
SELECT 'billing>=4; any'::cj_requirement;
SELECT 'a for 0s; any'::cj_requirement;
SELECT 'a for 1mon; any'::cj_requirement;
SELECT 'a & any'::cj_requirement;
SELECT '{a,NULL}'::cj_requirement;
CREATE FUNCTION pg_temp.sqlstate_of(lit text, typ text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT %L::%s', lit, typ);
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT typ, left(lit, 60) AS lit, length(lit) AS len, pg_temp.sqlstate_of(lit, typ) AS sqlstate
FROM (VALUES
	('cj_skillset', 'billing:5, spanish:3'), ('cj_skillset', 'billing:0'), ('cj_skillset', 'billing:101'),
	('cj_skillset', 'billing:-1'), ('cj_skillset', 'billing:2.5'), ('cj_skillset', 'billing:'),
	('cj_skillset', 'billing:5, billing:3'), ('cj_skillset', 'billing,'), ('cj_skillset', 'billing spanish'),
	('cj_skillset', '9x:1'), ('cj_skillset', 'es-ES:1'), ('cj_skillset', '"":1'), ('cj_skillset', '"abc:1'),
	('cj_skillset', '{a,,b}'), ('cj_skillset', '{a'), ('cj_skillset', '{{a}}'), ('cj_skillset', '[1:1]={a}'),
	('cj_skillset', '{""}'), ('cj_skillset', repeat('a', 64) || ':1'), ('cj_skillset', repeat('a', 63) || ':1'),
	('cj_requirement', 'billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any'),
	('cj_requirement', ''), ('cj_requirement', 'billing>=4 for 30s'), ('cj_requirement', 'billing>=4; any'),
	('cj_requirement', 'a>=2 for 1s; a>=3'), ('cj_requirement', 'a>=2 for 1s; b'), ('cj_requirement', 'any for 1s; a'),
	('cj_requirement', 'a>=2 & a>=3'), ('cj_requirement', 'a>=0'), ('cj_requirement', 'a>=101'),
	('cj_requirement', 'a>2'), ('cj_requirement', 'a & any'), ('cj_requirement', 'for'),
	('cj_requirement', 'a for 0s; any'), ('cj_requirement', 'a for -1s; any'), ('cj_requirement', 'a for 3651d; any'),
	('cj_requirement', 'a for 1mon; any'), ('cj_requirement', 'a for 1m; any'), ('cj_requirement', 'a;'),
	('cj_requirement', '{a,NULL}'), ('cj_requirement', '"' || repeat('b', 64) || '"'),
	('cj_requirement', (SELECT string_agg('a for 1s', '; ') FROM generate_series(1, 16)) || '; any'),
	('cj_requirement', (SELECT string_agg('t' || i, ' & ') FROM generate_series(1, 17) i))
) v(typ, lit);
SELECT n, pg_temp.sqlstate_of((SELECT string_agg('s' || i, ', ') FROM generate_series(1, n) i), 'cj_skillset')
FROM (VALUES (256), (257)) v(n);

-- binary round trip through COPY, and binary input re-validating
CREATE TABLE service_skills_copy (s cj_skillset, r cj_requirement);
INSERT INTO service_skills_copy VALUES
	('billing:5, spanish:3', 'billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any'),
	('{}', 'any'), ('"es-ES":3, "a\\b":2', '"es-ES">=3 for 1us; "es-ES" for 3650d; any');
\copy service_skills_copy TO 'results/service_skills.bin' WITH (FORMAT binary)
CREATE TABLE service_skills_copy2 (s cj_skillset, r cj_requirement);
\copy service_skills_copy2 FROM 'results/service_skills.bin' WITH (FORMAT binary)
SELECT (SELECT array_agg(s::text || ' / ' || r::text ORDER BY s::text) FROM service_skills_copy)
     = (SELECT array_agg(s::text || ' / ' || r::text ORDER BY s::text) FROM service_skills_copy2) AS binary_round_trip,
       (SELECT count(*) FROM service_skills_copy a JOIN service_skills_copy2 b USING (s, r)) AS equal_rows;
SELECT encode(cj_skillset_send('a:2, b'), 'hex') AS skillset_wire,
       encode(cj_requirement_send('a>=2 for 1s; a'), 'hex') AS requirement_wire;
CREATE TABLE service_skills_raw (b bytea);
CREATE TABLE service_skills_one (s cj_skillset);
CREATE TABLE service_skills_req (r cj_requirement);
-- version 2
INSERT INTO service_skills_raw VALUES (decode('02' || '00000000', 'hex'));
\copy service_skills_raw TO 'results/service_skills_v.bin' WITH (FORMAT binary)
\copy service_skills_one FROM 'results/service_skills_v.bin' WITH (FORMAT binary)
-- skills out of order (b:1 then a:2)
UPDATE service_skills_raw SET b = decode('01' || '00000002' || '00000001' || '00000001' || '62' || '00000002' || '00000001' || '61', 'hex');
\copy service_skills_raw TO 'results/service_skills_o.bin' WITH (FORMAT binary)
\copy service_skills_one FROM 'results/service_skills_o.bin' WITH (FORMAT binary)
-- level 0
UPDATE service_skills_raw SET b = decode('01' || '00000001' || '00000000' || '00000001' || '61', 'hex');
\copy service_skills_raw TO 'results/service_skills_l.bin' WITH (FORMAT binary)
\copy service_skills_one FROM 'results/service_skills_l.bin' WITH (FORMAT binary)
-- a name that is not valid UTF-8
UPDATE service_skills_raw SET b = decode('01' || '00000001' || '00000001' || '00000001' || 'ff', 'hex');
\copy service_skills_raw TO 'results/service_skills_e.bin' WITH (FORMAT binary)
\copy service_skills_one FROM 'results/service_skills_e.bin' WITH (FORMAT binary)
-- requirement a>=2 for 1s; a>=3: the second step does not relax
UPDATE service_skills_raw SET b = decode('01' || '00000002' || '00000000000f4240' || '00000001' || '00000002' || '00000001' || '61'
	|| '0000000000000000' || '00000001' || '00000003' || '00000001' || '61', 'hex');
\copy service_skills_raw TO 'results/service_skills_r.bin' WITH (FORMAT binary)
\copy service_skills_req FROM 'results/service_skills_r.bin' WITH (FORMAT binary)
-- a duration on the last step
UPDATE service_skills_raw SET b = decode('01' || '00000001' || '00000000000f4240' || '00000000', 'hex');
\copy service_skills_raw TO 'results/service_skills_d.bin' WITH (FORMAT binary)
\copy service_skills_req FROM 'results/service_skills_d.bin' WITH (FORMAT binary)
-- the same relaxing (a>=2 for 1s; a>=1) is accepted
UPDATE service_skills_raw SET b = decode('01' || '00000002' || '00000000000f4240' || '00000001' || '00000002' || '00000001' || '61'
	|| '0000000000000000' || '00000001' || '00000001' || '00000001' || '61', 'hex');
\copy service_skills_raw TO 'results/service_skills_k.bin' WITH (FORMAT binary)
\copy service_skills_req FROM 'results/service_skills_k.bin' WITH (FORMAT binary)
SELECT r FROM service_skills_req;

-- Overload resolution: with f(text, text[]) and f(text, cj_skillset), an
-- unknown-typed literal picks cj_skillset (category S is chosen for an
-- unknown argument when a candidate accepts it), whose input reads the
-- text[] form with the same meaning; typed arguments keep their overload.
CREATE FUNCTION pg_temp.claim_probe(agent text, skills text[] DEFAULT '{}', queue text DEFAULT 'default')
RETURNS text LANGUAGE sql RETURN 'text[]: ' || skills::text;
CREATE FUNCTION pg_temp.claim_probe(agent text, skills cj_skillset, queue text DEFAULT 'default')
RETURNS text LANGUAGE sql RETURN 'cj_skillset: ' || skills::text;
SELECT pg_temp.claim_probe('a', '{billing}') AS unknown_literal,
       pg_temp.claim_probe('a', '{billing}', 'q') AS with_queue,
       pg_temp.claim_probe('a', 'billing:3') AS levelled,
       pg_temp.claim_probe('a', ARRAY['billing']) AS typed_array,
       pg_temp.claim_probe('a', '{billing}'::text[]) AS cast_array,
       pg_temp.claim_probe('a') AS defaulted,
       pg_temp.claim_probe('a', skills => '{billing,"es-ES"}') AS named;
-- control: were cj_skillset of the user-defined category (U, the
-- default), the same call would be ambiguous (catalog edit rolled back)
BEGIN;
UPDATE pg_type SET typcategory = 'U' WHERE oid = 'cj_skillset'::regtype;
SELECT pg_temp.claim_probe('a', '{billing}');
ROLLBACK;
SELECT pg_temp.claim_probe('a', '{billing}') AS after_rollback;
DROP FUNCTION pg_temp.claim_probe(text, text[], text);
DROP FUNCTION pg_temp.claim_probe(text, cj_skillset, text);
-- the same holds for a requirement beside a text[] (an enqueue overload)
CREATE FUNCTION pg_temp.enqueue_probe(skills text[]) RETURNS text LANGUAGE sql RETURN 'text[]';
CREATE FUNCTION pg_temp.enqueue_probe(skills cj_requirement) RETURNS text LANGUAGE sql RETURN 'cj_requirement: ' || skills::text;
SELECT pg_temp.enqueue_probe('{billing,spanish}') AS unknown_literal, pg_temp.enqueue_probe(ARRAY['x']) AS typed_array;
DROP FUNCTION pg_temp.enqueue_probe(text[]);
DROP FUNCTION pg_temp.enqueue_probe(cj_requirement);
-- the catalog settings behind it
SELECT typname, typcategory, typispreferred, typalign FROM pg_type
WHERE typname IN ('cj_skillset', 'cj_requirement') ORDER BY typname;
SELECT castsource::regtype, casttarget::regtype, castcontext FROM pg_cast
WHERE casttarget IN ('cj_skillset'::regtype, 'cj_requirement'::regtype) ORDER BY 2;
