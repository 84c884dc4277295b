-- RFM scores and segments
\set VERBOSITY default

-- cut points: 1 + the number of cut points strictly below the value
SELECT v, cj_rfm_score(v, ARRAY[10, 20, 30, 40]::numeric[]) AS score
FROM unnest(ARRAY[-5, 10, 10.5, 20, 29.99, 30, 40, 40.01, 1e9]::numeric[]) v ORDER BY v;
SELECT v, cj_rfm_score(v, ARRAY[10, 20, 30, 40]::float8[]) AS score
FROM unnest(ARRAY[-5, 10, 10.5, 20, 30, 40, 40.01, 'Infinity']::float8[]) v ORDER BY v;
-- recency: lower is better with descending => true
SELECT v, cj_rfm_score(v, ARRAY[7, 30, 90, 365]::numeric[], true) AS r_score
FROM unnest(ARRAY[0, 7, 8, 30, 90, 365, 1000]::numeric[]) v ORDER BY v;
SELECT cj_rfm_score(3::float8, ARRAY[1, 2, 3, 4]::float8[], true);
-- ties in the cut points: bucket 3 is empty, scores jump from 2 to 4
SELECT v, cj_rfm_score(v, ARRAY[1, 2, 2, 5]::numeric[]) AS score
FROM generate_series(0, 6) v ORDER BY v;
-- fewer distinct values than buckets: all cut points equal
SELECT v, cj_rfm_score(v, ARRAY[1, 1, 1, 1]::numeric[]) AS score
FROM generate_series(0, 2) v ORDER BY v;

-- quintile cut points from the data with percentile_cont, and ntile
CREATE TABLE journey_rfm_cust AS
SELECT i AS id, (i % 7)::numeric AS frequency FROM generate_series(1, 100) i;
WITH cuts AS (
  SELECT percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY frequency) AS b
  FROM journey_rfm_cust)
SELECT b, cj_rfm_score(c.frequency, b::numeric[]) AS score, count(*)
FROM journey_rfm_cust c, cuts GROUP BY 1, 2 ORDER BY 2;
-- ntile splits equal counts even across ties (same frequency, different scores)
SELECT frequency, min(q), max(q) FROM (
  SELECT frequency, ntile(5) OVER (ORDER BY frequency, id) AS q FROM journey_rfm_cust) s
GROUP BY 1 ORDER BY 1;

-- bad breaks and values
SELECT cj_rfm_score(1, ARRAY[1, 2, 3]::numeric[]);
SELECT cj_rfm_score(1, ARRAY[4, 3, 2, 1]::numeric[]);
SELECT cj_rfm_score(1, ARRAY[1, NULL, 3, 4]::numeric[]);
SELECT cj_rfm_score(1, ARRAY[[1, 2], [3, 4]]::numeric[]);
SELECT cj_rfm_score('NaN'::numeric, ARRAY[1, 2, 3, 4]::numeric[]);
SELECT cj_rfm_score(1::numeric, ARRAY[1, 2, 'NaN', 4]::numeric[]);
SELECT cj_rfm_score('NaN'::float8, ARRAY[1, 2, 3, 4]::float8[]);
SELECT cj_rfm_score(NULL::numeric, ARRAY[1, 2, 3, 4]::numeric[]);
SELECT cj_rfm_score(1::numeric, ARRAY[1, 2, 3]::numeric[], true);
SELECT cj_rfm_score(1::float8, ARRAY[3, 2, 1, 0]::float8[], false);

-- the default map covers all 125 combinations exactly once
SELECT count(*) AS combinations, count(cj_rfm_segment(r, f, m)) AS mapped,
       count(DISTINCT (r, f, m)) AS distinct_combinations
FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m;
SELECT cj_rfm_segment(r, f, m) AS segment, count(*) AS combinations
FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m
GROUP BY 1 ORDER BY 1;
-- the R x F grid (m does not move a customer in the default map)
SELECT r, string_agg(cj_rfm_segment(r, f, 3), ' | ' ORDER BY f) AS f_1_to_5
FROM generate_series(1, 5) r, generate_series(1, 5) f GROUP BY r ORDER BY r DESC;
SELECT count(*) AS m_dependent FROM generate_series(1, 5) r, generate_series(1, 5) f,
  generate_series(1, 5) m WHERE cj_rfm_segment(r, f, m) <> cj_rfm_segment(r, f, 1);
-- the default map as jsonb gives the same segments through the map overload
SELECT count(*) AS differences
FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m
WHERE cj_rfm_segment(r, f, m) <> cj_rfm_segment(r, f, m, cj_rfm_default_map());
SELECT jsonb_object_keys(cj_rfm_default_map()) AS segment ORDER BY 1;

-- invalid scores
SELECT cj_rfm_segment(0, 3, 3);
SELECT cj_rfm_segment(3, 6, 3);
SELECT cj_rfm_segment(3, 3, 3, cj_rfm_default_map() - 'Lost' || '{"Lost": {"r": 1, "f": [1, 2]}}') AS same;
SELECT cj_rfm_segment(3, 3, -1, cj_rfm_default_map());

-- a user map: value tiers by m only, with arrays of boxes
SELECT m, cj_rfm_segment(3, 3, m,
  '{"high": {"m": [4, 5]}, "mid": {"m": 3}, "low": [{"m": 1}, {"m": [2, 2]}]}') AS tier
FROM generate_series(1, 5) m ORDER BY m;
-- overlaps, gaps and malformed maps are rejected with the combination named
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"r": [1, 3]}, "b": {"r": [3, 5]}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"r": [1, 2]}, "b": {"r": [4, 5]}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"r": [1, 5], "m": [1, 4]}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"x": 1}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"r": [3, 1]}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"r": 6}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"r": 1.5}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": {"r": "1"}}');
SELECT cj_rfm_segment(1, 1, 1, '{"a": 1}');
SELECT cj_rfm_segment(1, 1, 1, '[1, 2]');
SELECT cj_rfm_segment(1, 1, 1, '{"": {}}');
SELECT cj_rfm_segment(1, 1, 1, '{"all": {}}') AS everyone;
