-- Values out of the range of the result type are errors (22003), never
-- wrapped or clamped dates; type I/O of the state types moved to the core.
SET extra_float_digits = 0;
CREATE FUNCTION relp_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' | ' || nullif(d, ''), '');
END $$;

-- qualification windows at the edges of type date: in range they are
-- returned and read back; one day further they are 22003
SELECT k, d, a, w, w::text::daterange = w AS reads_back
FROM (VALUES ('calendar_year', '5874896-06-01', NULL),
             ('calendar_year', '4712-06-01 BC', NULL),
             ('rolling_12_months', '5874897-12-30', NULL),
             ('rolling_1_months', '4713-12-24 BC', NULL),
             ('anniversary', '5874896-12-31', '2000-01-01'),
             ('anniversary', '4713-12-01 BC', '4713-11-24 BC')) v(k, d, a),
     LATERAL cj_qualification_window(k, d::date, a::date) w
ORDER BY k, d;
SELECT k, d, a, relp_err(format('SELECT cj_qualification_window(%L, %L::date, %L::date)', k, d, a)) AS error
FROM (VALUES ('calendar_year', '5874897-06-01', NULL),
             ('calendar_year', '4713-12-01 BC', NULL),
             ('rolling_12_months', '5874897-12-31', NULL),
             ('rolling_12_months', '4713-12-01 BC', NULL),
             ('rolling_1200_months', '4700-01-01 BC', NULL),
             ('anniversary', '5874897-12-31', '2000-01-01'),
             ('anniversary', '4713-11-30 BC', '2000-12-01')) v(k, d, a)
ORDER BY k, d;

-- tracking rows whose period bounds pass the range of timestamptz
SELECT relp_err($$SELECT * FROM cj_tracking_rows('start=4611686018427387904 length=4611686018427387903 customers=1 {0.5}')$$) AS past_end;
SELECT relp_err($$SELECT * FROM cj_tracking_rows('start=-4611686018427387904 length=86400000000 customers=1 {0.5}')$$) AS before_start;
SELECT period, period_start, period_end
FROM cj_tracking_rows($$start=4611686018427387904 length=86400000000 customers=1 {0.5,1}$$);

-- value-based due times whose target does not fit in microseconds
SELECT relp_err($$SELECT cj_due('2024-01-01', 0, '2000000000 days', '0', '0')$$) AS huge_target;
SELECT relp_err($$SELECT cj_stale_cutoff('2000000000 days')$$) AS huge_timeout;

-- the six state types now parsed in the core: canonical text reads back
-- to the same text, in text and in binary
CREATE TABLE relp_vals (typ text, lit text);
INSERT INTO relp_vals VALUES
  ('cj_wait_state', 'sl n=10 within=8'),
  ('cj_wait_state', ' ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1 '),
  ('cj_wait_state', 'ws n=0 sum=0 min=0 max=0 buckets='),
  ('cj_credits', '{"search"=>0.75, "e\"mail"=>0.1, "x\\y"=>1e-320}'),
  ('cj_credits', '{"a"=>0.30000000000000004, "b"=>1e16, "c"=>-1.7976931348623157e308}'),
  ('cj_credits_acc', '{"a"=>0.3+5.5e-18, "b"=>1e+16-0.25}'),
  ('cj_touches', 'time_decay(1.5e5)@758160000000000{757382400000000:"email", 757468800000000:"se\"arch"}'),
  ('cj_touches', 'shapley@0{}'),
  ('cj_transitions', '{order=2; "a"=3, "b"=4; 2.1>conv=1, 0.1>2=4, 0.2>null=1}'),
  ('cj_fit_state', 'bgnbd{(2,30.43,38.86):1,(0,0,38.86):2,(2,30.43,38.86):3} unit=3600s'),
  ('cj_fit_state', 'gg{(1,0.1):9007199254740992} unit=14d');
CREATE FUNCTION relp_canon(typ text, lit text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT %L::%s::text', lit, typ) INTO r;
  RETURN r;
END $$;
SELECT typ, relp_canon(typ, lit) AS canonical,
       relp_canon(typ, relp_canon(typ, lit)) = relp_canon(typ, lit) AS fixed_point
FROM relp_vals ORDER BY typ, lit;

-- binary round trip through COPY
CREATE TABLE relp_bin (w cj_wait_state, c cj_credits, a cj_credits_acc, t cj_touches,
                       m cj_transitions, f cj_fit_state);
INSERT INTO relp_bin
SELECT w::cj_wait_state, c::cj_credits, a::cj_credits_acc, t::cj_touches, m::cj_transitions, f::cj_fit_state
FROM (VALUES
  ('ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1',
   '{"search"=>0.75, "e\"mail"=>0.1}', '{"a"=>0.3+5.5e-18}',
   'time_decay(1.5e5)@758160000000000{757382400000000:"email", 757468800000000:"se\"arch"}',
   '{order=2; "a"=3, "b"=4; 2.1>conv=1, 0.1>2=4, 0.2>null=1}',
   'bgnbd{(2,30.43,38.86):1,(0,0,38.86):2} unit=3600s'),
  ('sl n=10 within=8', '{}', '{}', 'shapley@0{}', '{order=1; "x"=0; 0>1=1}', 'gg{}')) v(w, c, a, t, m, f);
\copy relp_bin TO 'results/rel_parsers.bin' WITH (FORMAT binary)
CREATE TABLE relp_bin2 (LIKE relp_bin);
\copy relp_bin2 FROM 'results/rel_parsers.bin' WITH (FORMAT binary)
SELECT (SELECT array_agg(row(w, c, a, t, m, f)::text ORDER BY w::text) FROM relp_bin) =
       (SELECT array_agg(row(w, c, a, t, m, f)::text ORDER BY w::text) FROM relp_bin2) AS binary_round_trip;

-- text input errors: SQLSTATE, message and detail
SELECT typ, lit, relp_err(format('SELECT %L::%s', lit, typ)) AS error
FROM (VALUES
  ('cj_wait_state', 'sl n=1 within=2'),
  ('cj_wait_state', 'ws n=1 sum=1 min=1 max=1 buckets=0:1 junk'),
  ('cj_credits', '{"a"=>1, "a"=>2}'),
  ('cj_credits', '{"a"=>1+1e-17}'),
  ('cj_touches', 'linear@1{1:"a"} junk'),
  ('cj_touches', 'linear@1{2:"a"}'),
  ('cj_transitions', '{order=1; "a"=1; 0>1=1, 0>1=2}'),
  ('cj_fit_state', 'bgnbd{(1,1,2):9007199254740992,(1,1,2):1}'),
  ('cj_fit_state', 'bgnbd{(1,1,2):9007199254740993}')) v(typ, lit)
ORDER BY typ, lit;

-- binary input repeats the text checks (hand-made send forms)
CREATE TABLE relp_raw (b bytea);
CREATE TABLE relp_one (w cj_wait_state);
-- a wait-statistics state with an answered-within count (a service-level field)
INSERT INTO relp_raw VALUES (decode('0102' || '0000000000000001' || '0000000000000001' ||
  '0000000000000005' || '0000000000000005' || '0000000000000005' ||
  '00000001' || '000000a0' || '0000000000000001', 'hex'));
\copy relp_raw TO 'results/rel_parsers_raw.bin' WITH (FORMAT binary)
\copy relp_one FROM 'results/rel_parsers_raw.bin' WITH (FORMAT binary)
CREATE TABLE relp_fit (f cj_fit_state);
-- one tuple twice, weights 2^53 and 1: the merged weight is past 2^53
TRUNCATE relp_raw;
INSERT INTO relp_raw VALUES (decode('01' || '06' || '0000000000000000' || '0000000000000002' ||
  '3ff0000000000000' || '3ff0000000000000' || '0020000000000000' ||
  '3ff0000000000000' || '3ff0000000000000' || '0000000000000001', 'hex'));
\copy relp_raw TO 'results/rel_parsers_raw.bin' WITH (FORMAT binary)
\copy relp_fit FROM 'results/rel_parsers_raw.bin' WITH (FORMAT binary)
