-- service level and wait statistics aggregates
\set VERBOSITY default

CREATE TABLE service_level_calls (tier text, wait interval, target interval);
SELECT setseed(0.5);
INSERT INTO service_level_calls
SELECT CASE WHEN i % 10 = 0 THEN 'platinum' WHEN i % 3 = 0 THEN 'gold' ELSE 'silver' END,
       make_interval(secs => (i % 97 + (i % 7) * 0.25)
           * CASE WHEN i % 10 = 0 THEN 0.25 WHEN i % 3 = 0 THEN 0.5 ELSE 1 END),
       CASE WHEN i % 10 = 0 THEN interval '15 s' WHEN i % 3 = 0 THEN interval '30 s'
            ELSE interval '90 s' END
FROM generate_series(1, 20000) i;
INSERT INTO service_level_calls VALUES ('silver', NULL, '90 s'), ('gold', '10 s', NULL);

-- share answered within target, per tier and overall, against SQL
SELECT tier, round(cj_service_level(wait, target)::numeric, 6) AS sl,
       round(avg((wait <= target)::int)::numeric, 6) AS check_sl
FROM service_level_calls WHERE wait IS NOT NULL AND target IS NOT NULL
GROUP BY tier ORDER BY tier;
SELECT cj_service_level(wait, target) = (SELECT avg((wait <= target)::int)::float8
        FROM service_level_calls WHERE wait IS NOT NULL AND target IS NOT NULL) AS exact
FROM service_level_calls;
-- wait exactly at target counts as answered within target
SELECT cj_service_level(w, '20 s') FROM unnest(ARRAY['20 s', '20.000001 s', '1 s']::interval[]) w;
-- empty input and all-NULL input give NULL
SELECT cj_service_level(wait, target) IS NULL AS empty FROM service_level_calls WHERE false;
SELECT cj_service_level(NULL::interval, target) IS NULL AS all_null FROM service_level_calls;

-- wait statistics: count, mean, min and max exact; percentiles within 1.6 %
SELECT tier, (s).n, (s).mean, (s).min, (s).p50, (s).p90, (s).p99, (s).max
FROM (SELECT tier, cj_wait_stats(wait) s FROM service_level_calls GROUP BY tier) q
ORDER BY tier;
SELECT tier, count(wait) AS n, avg(wait) AS mean, min(wait), max(wait),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY wait) AS p50_exact,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY wait) AS p90_exact,
       percentile_disc(0.99) WITHIN GROUP (ORDER BY wait) AS p99_exact
FROM service_level_calls GROUP BY tier ORDER BY tier;
SELECT bool_and(abs(extract(epoch FROM (s).p50 - e50)) <= extract(epoch FROM e50) / 64 + 0.0005
            AND abs(extract(epoch FROM (s).p90 - e90)) <= extract(epoch FROM e90) / 64 + 0.0005)
       AS percentiles_within_bound
FROM (SELECT cj_wait_stats(wait) s,
             percentile_disc(0.5) WITHIN GROUP (ORDER BY wait) e50,
             percentile_disc(0.9) WITHIN GROUP (ORDER BY wait) e90
      FROM service_level_calls GROUP BY tier) q;
SELECT cj_wait_stats(w) FROM unnest(ARRAY['1.5 s', '0.25 s', '3 s']::interval[]) w;
SELECT cj_wait_stats(wait) IS NULL AS empty FROM service_level_calls WHERE false;

-- bad input
SELECT cj_service_level('-1 s', '20 s');
SELECT cj_service_level('1 s', '1 mon');
SELECT cj_wait_stats('-1 s'::interval);
SELECT cj_wait_stats('2 mons'::interval);
-- waits past the histogram's range (2^39 ms, about 17.4 years) would all
-- share its last bucket, and their percentiles be anywhere: refused
SELECT cj_wait_stats(w) FROM (VALUES ('1 s'::interval), ('10000 days'), ('20000 days')) v(w);
SELECT (cj_wait_stats(w)).p50 FROM (VALUES ('1 s'::interval), ('6000 days'), ('6300 days')) v(w);

-- the state type: exact text round trip and validation
SELECT 'sl n=10 within=8'::cj_wait_state;
SELECT 'ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1'::cj_wait_state;
SELECT 'sl n=10 within=11'::cj_wait_state;
SELECT 'sl n=10'::cj_wait_state;
SELECT 'xx n=1'::cj_wait_state;
SELECT 'ws n=2 sum=1 min=1 max=1 buckets=0:1'::cj_wait_state;
SELECT 'ws n=1 sum=1 min=1 max=1 buckets=5:1,3:0'::cj_wait_state;
SELECT 'ws n=1 sum=1 min=2 max=1 buckets=0:1'::cj_wait_state;
SELECT 'ws n=1 sum=99999999 min=5 max=5 buckets=0:1'::cj_wait_state;
SELECT 'ws n=1 sum=5 min=5 max=5 buckets=5:1'::cj_wait_state;
SELECT 'ws n=2 sum=3000 min=1000 max=2000 buckets=1:1,2:1'::cj_wait_state;
SELECT 'ws n=1 sum=1 min=1 max=1 buckets=0:1 extra'::cj_wait_state;
CREATE TABLE service_level_states (s cj_wait_state);
INSERT INTO service_level_states
SELECT 'sl n=10 within=8'::cj_wait_state UNION ALL
SELECT 'ws n=3 sum=4750000 min=250000 max=3000000 buckets=126:1,206:1,238:1'::cj_wait_state;
\copy service_level_states TO 'results/service_level.bin' WITH (FORMAT binary)
CREATE TABLE service_level_states2 (s cj_wait_state);
\copy service_level_states2 FROM 'results/service_level.bin' WITH (FORMAT binary)
SELECT s FROM service_level_states2 ORDER BY s::text;
-- binary input re-validates (within > n)
CREATE TABLE service_level_raw (b bytea);
INSERT INTO service_level_raw VALUES (decode('0101' || '0000000000000001' || '0000000000000002'
	|| '0000000000000000' || '0000000000000000' || '0000000000000000', 'hex'));
\copy service_level_raw TO 'results/service_level_bad.bin' WITH (FORMAT binary)
\copy service_level_states2 FROM 'results/service_level_bad.bin' WITH (FORMAT binary)

-- parallel plans: partial aggregates combine to the serial result
CREATE TABLE service_level_serial AS
SELECT tier, cj_service_level(wait, target) sl, (cj_wait_stats(wait))::text ws
FROM service_level_calls GROUP BY tier
UNION ALL
SELECT 'all', cj_service_level(wait, target), (cj_wait_stats(wait))::text
FROM service_level_calls;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT cj_service_level(wait, target), cj_wait_stats(wait) FROM service_level_calls;
SELECT s.tier, s.sl = p.sl AS same_sl, s.ws = p.ws AS same_stats
FROM service_level_serial s
JOIN (SELECT tier, cj_service_level(wait, target) sl, (cj_wait_stats(wait))::text ws
      FROM service_level_calls GROUP BY tier
      UNION ALL
      SELECT 'all', cj_service_level(wait, target), (cj_wait_stats(wait))::text
      FROM service_level_calls) p USING (tier)
ORDER BY tier;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
