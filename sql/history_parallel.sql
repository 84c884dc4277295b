-- cj_history_agg under parallel and partitionwise aggregation: a
-- customer's purchases on one day are spread over the whole table (and
-- over hash partitions), so partial states overlap in days and the
-- combine step must count each day once.  Results equal the serial plan
-- exactly.
SET timezone = 'UTC';

-- 300 customers x 40 days x 3 purchases per day; the three purchases of a
-- day are written in three separate passes over the customers, so they
-- sit a third of the table apart (different blocks, different workers)
CREATE TABLE history_par (id bigint, cust int, at timestamptz, amount numeric)
WITH (autovacuum_enabled = off);
INSERT INTO history_par
SELECT row_number() OVER (ORDER BY pass, c, d), c,
	   '2024-01-01'::timestamptz + (d * 3) * interval '1 day'
		 + (pass * 7 + c % 5) * interval '1 hour',
	   round((c * 37 + d * 11 + pass * 5) % 1000 / 10.0, 2)
FROM generate_series(0, 2) pass, generate_series(1, 300) c, generate_series(0, 39) d
ORDER BY pass, c, d;
ANALYZE history_par;

CREATE TABLE history_par_serial AS
SELECT cust, cj_history_agg(at, amount) AS h FROM history_par GROUP BY cust;
CREATE TABLE history_par_all_serial AS
SELECT cj_history_agg(at, amount) AS h, cj_history_agg(at, amount::float8) AS hf
FROM history_par;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT cust, cj_history_agg(at, amount) FROM history_par GROUP BY cust;
EXPLAIN (COSTS OFF)
SELECT cj_history_agg(at, amount) FROM history_par;

CREATE TABLE history_par_parallel AS
SELECT cust, cj_history_agg(at, amount) AS h FROM history_par GROUP BY cust;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE p.h::text = s.h::text) AS identical,
	   min(cj_purchase_days(p.h)) AS min_days, max(cj_purchase_days(p.h)) AS max_days
FROM history_par_serial s JOIN history_par_parallel p USING (cust);

-- one history over every row: each worker sees every day
SELECT (SELECT h FROM history_par_all_serial)::text = cj_history_agg(at, amount)::text AS identical,
	   (SELECT hf FROM history_par_all_serial)::text = cj_history_agg(at, amount::float8)::text AS identical_float8,
	   cj_purchase_days(cj_history_agg(at, amount)) AS days,
	   cj_total_spend(cj_history_agg(at, amount)) = (SELECT sum(amount) FROM history_par) AS spend_exact
FROM history_par;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- partitionwise aggregation: partitions by purchase id, so each customer
-- (and each of its days) spans every partition
CREATE TABLE history_par_part (id bigint, cust int, at timestamptz, amount numeric)
PARTITION BY HASH (id);
CREATE TABLE history_par_part0 PARTITION OF history_par_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE history_par_part1 PARTITION OF history_par_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE history_par_part2 PARTITION OF history_par_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO history_par_part SELECT * FROM history_par;
ANALYZE history_par_part;

SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT cust, cj_history_agg(at, amount) FROM history_par_part GROUP BY cust;
SELECT count(*) AS customers, count(*) FILTER (WHERE p.h::text = s.h::text) AS identical
FROM history_par_serial s
JOIN (SELECT cust, cj_history_agg(at, amount) AS h FROM history_par_part GROUP BY cust) p USING (cust);
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
