-- cj_credits: channel -> credit maps, their totals and I/O
\set VERBOSITY default

-- text form: channels sorted by name, quoted, shortest exact floats
SELECT '{"search"=>0.75, "email"=>0.25}'::cj_credits;
SELECT '{ "a\"b" => 1e-3 , "c\\d"=>-2 }'::cj_credits;
SELECT '{}'::cj_credits;
SELECT '{"x"=>0.1}'::cj_credits::text::cj_credits::text = '{"x"=>0.1}' AS round_trip,
       ('{"x"=>0.30000000000000004}'::cj_credits)::text AS exact;
-- bad literals
SELECT 'email=>1'::cj_credits;
SELECT '{"email"=>1'::cj_credits;
SELECT '{"email"=>1} x'::cj_credits;
SELECT '{"email"=>NaN}'::cj_credits;
SELECT '{"email"=>1e999}'::cj_credits;
SELECT '{"email":1}'::cj_credits;
SELECT '{"email"=>1, "email"=>2}'::cj_credits;
SELECT '{""=>1}'::cj_credits;
SELECT ('{"' || repeat('x', 256) || '"=>1}')::cj_credits;
SELECT '{"email"=>1+1e-17}'::cj_credits;
SELECT '{"a"=>1}'::cj_credits_acc, '{"a"=>1+1e-17}'::cj_credits_acc;

-- each and jsonb
SELECT * FROM cj_credits_each('{"search"=>0.75, "email"=>0.25, "tv"=>0}');
SELECT '{"search"=>0.75, "e\"mail"=>0.1}'::cj_credits::jsonb;
SELECT ('{"x"=>0.1}'::cj_credits::jsonb ->> 'x')::float8 = 0.1 AS exact_decimal;
SELECT * FROM cj_credits_each(NULL);

-- cj_credits_sum: channel-by-channel totals
CREATE TABLE journey_credits_t (id int, c cj_credits);
INSERT INTO journey_credits_t VALUES
  (1, '{"email"=>0.5, "search"=>0.5}'), (2, '{"search"=>1}'),
  (3, NULL), (4, '{"display"=>0.1, "email"=>0.2, "search"=>0.7}');
SELECT cj_credits_sum(c) FROM journey_credits_t;
SELECT cj_credits_sum(c) FROM journey_credits_t WHERE id = 3;
SELECT cj_credits_sum(c) FROM journey_credits_t WHERE false;
SELECT * FROM cj_credits_each((SELECT cj_credits_sum(c) FROM journey_credits_t));
-- double-double accumulation: 0.1 ten times is exactly the double nearest 1
SELECT cj_credits_sum('{"a"=>0.1}'::cj_credits) FROM generate_series(1, 10);
SELECT sum(0.1::float8) AS plain_float_sum FROM generate_series(1, 10);
-- and cancellations are exact: 1e16 + 1 - 1e16 = 1
SELECT cj_credits_sum(c) FROM (VALUES ('{"a"=>1e16}'::cj_credits), ('{"a"=>1}'), ('{"a"=>-1e16}')) v(c);

-- overflow of a total is an error, not Infinity
SELECT cj_credits_sum(c) FROM (VALUES ('{"a"=>1e308}'::cj_credits), ('{"a"=>1e308}')) v(c);
-- the support functions refuse to run outside an aggregate
SELECT cj_credits_sum_combine(NULL, NULL);
SELECT cj_attribution_combine(NULL, NULL);
SELECT cj_markov_combine(NULL, NULL);

-- serial = parallel
CREATE TABLE journey_credits_big AS
SELECT i, ('{"c' || (i % 7) || '"=>' || (1.0 / (1 + i % 13))::float8 || ', "z"=>' || (i * 0.001)::float8 || '}')::cj_credits AS c
FROM generate_series(1, 30000) i;
ANALYZE journey_credits_big;
CREATE TABLE journey_credits_res (plan text, r text);
SET max_parallel_workers_per_gather = 0;
INSERT INTO journey_credits_res SELECT 'serial', cj_credits_sum(c)::text FROM journey_credits_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT cj_credits_sum(c) FROM journey_credits_big;
INSERT INTO journey_credits_res SELECT 'parallel', cj_credits_sum(c)::text FROM journey_credits_big;
-- also in reverse order of rows (a different grouping of the same sums)
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
INSERT INTO journey_credits_res
SELECT 'reversed', cj_credits_sum(c ORDER BY i DESC)::text FROM journey_credits_big;
RESET ALL;
SELECT count(DISTINCT r) AS distinct_results, min(r) AS result FROM journey_credits_res;

-- partial states of different content combine (partitionwise aggregate)
CREATE TABLE journey_credits_p (k int, c cj_credits) PARTITION BY LIST (k);
CREATE TABLE journey_credits_p1 PARTITION OF journey_credits_p FOR VALUES IN (1);
CREATE TABLE journey_credits_p2 PARTITION OF journey_credits_p FOR VALUES IN (2);
INSERT INTO journey_credits_p VALUES (1, '{"a"=>1}'), (1, '{"b"=>2}'), (2, '{"c"=>3}'), (2, '{"a"=>0.5}');
SET enable_partitionwise_aggregate = on;
SELECT cj_credits_sum(c) FROM journey_credits_p;
RESET enable_partitionwise_aggregate;

-- binary round trip
CREATE TABLE journey_credits_bin (c cj_credits, a cj_credits_acc);
INSERT INTO journey_credits_bin VALUES
  ('{"email"=>0.25, "se\"arch"=>0.75}', '{"a"=>0.30000000000000004-2.7755575615628914e-17}'),
  ('{}', '{}');
\copy journey_credits_bin TO 'results/journey_credits.bin' WITH (FORMAT binary)
CREATE TABLE journey_credits_bin2 (LIKE journey_credits_bin);
\copy journey_credits_bin2 FROM 'results/journey_credits.bin' WITH (FORMAT binary)
SELECT c::text, a::text FROM journey_credits_bin2 ORDER BY 1;
SELECT (SELECT array_agg(c::text ORDER BY c::text) FROM journey_credits_bin) =
       (SELECT array_agg(c::text ORDER BY c::text) FROM journey_credits_bin2) AS same;
-- binary input re-validates: unsorted channels, a bad version byte
CREATE TABLE journey_credits_raw (b bytea);
INSERT INTO journey_credits_raw VALUES (decode('01' || '00000002' ||
  '00000001' || '62' || '3ff0000000000000' || '0000000000000000' ||
  '00000001' || '61' || '3ff0000000000000' || '0000000000000000', 'hex'));
\copy journey_credits_raw TO 'results/journey_credits_bad.bin' WITH (FORMAT binary)
\copy journey_credits_bin2 (c) FROM 'results/journey_credits_bad.bin' WITH (FORMAT binary)
UPDATE journey_credits_raw SET b = decode('0200000000', 'hex');
\copy journey_credits_raw TO 'results/journey_credits_bad.bin' WITH (FORMAT binary)
\copy journey_credits_bin2 (c) FROM 'results/journey_credits_bad.bin' WITH (FORMAT binary)
