-- = and <> on cj_history and cj_model, and their hash operator classes
-- (DISTINCT, GROUP BY, UNION, IN, hash joins, hash partitioning)
CREATE TEMP TABLE eq_tx (c int, d date, a numeric);
INSERT INTO eq_tx VALUES
	(1, '2024-01-01', 10), (1, '2024-01-01', 5), (1, '2024-02-01', 3),
	(2, '2024-01-01', 15), (2, '2024-02-01', 3),
	(3, '2024-01-01', 15), (3, '2024-02-02', 3),
	(4, '2024-01-01', 14), (4, '2024-02-01', 4);
CREATE TEMP TABLE eq_hist AS
SELECT c, cj_history_agg(d, a) AS h FROM eq_tx GROUP BY c;
-- 1 and 2 bought on the same days for the same amounts per day: equal;
-- 3 differs by a day, 4 by how the total splits across the days
SELECT a.c AS a, b.c AS b, a.h = b.h AS eq, a.h <> b.h AS ne
FROM eq_hist a, eq_hist b WHERE a.c < b.c ORDER BY 1, 2;
-- the text form of a value parses back to an equal value
SELECT bool_and(h = h::text::cj_history) AS text_round_trip FROM eq_hist;
-- DISTINCT and GROUP BY hash the values (there is no ordering, so an
-- aggregate's own DISTINCT, which sorts, is not available)
SELECT count(*) AS distinct_histories FROM (SELECT DISTINCT h FROM eq_hist) s;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT h, count(*) FROM eq_hist GROUP BY h;
SELECT cj_frequency(h) AS x, count(*) FROM eq_hist GROUP BY h ORDER BY 2 DESC, 1;
RESET enable_sort;
SELECT count(*) AS union_rows FROM (SELECT h FROM eq_hist UNION SELECT h FROM eq_hist) s;
SELECT c FROM eq_hist
WHERE h IN (SELECT h FROM eq_hist WHERE c = 2) ORDER BY c;
-- equal values hash alike; the seeded hash at seed 0 has the 32-bit hash
-- as its low half; another seed gives another hash
SELECT (SELECT cj_history_hash(h) FROM eq_hist WHERE c = 1) =
	   (SELECT cj_history_hash(h) FROM eq_hist WHERE c = 2) AS equal_hash,
	   bool_and((cj_history_hash_extended(h, 0) & 4294967295) =
				(cj_history_hash(h)::int8 & 4294967295)) AS low_half,
	   bool_and(cj_history_hash_extended(h, 1) <> cj_history_hash_extended(h, 0)) AS seeded
FROM eq_hist;
-- hash partitioning by a history
CREATE TEMP TABLE eq_part (h cj_history) PARTITION BY HASH (h);
CREATE TEMP TABLE eq_part0 PARTITION OF eq_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TEMP TABLE eq_part1 PARTITION OF eq_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO eq_part SELECT h FROM eq_hist;
SELECT (SELECT count(*) FROM eq_part0) + (SELECT count(*) FROM eq_part1) AS partitioned,
	   (SELECT count(*) FROM eq_part WHERE h = (SELECT h FROM eq_hist WHERE c = 1)) AS found;

-- models: the same family, parameters, unit and fit record
SELECT 'pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669)'::cj_model =
	   'pnbd(beta=11.669, s=0.606, alpha=10.578, r=0.553)'::cj_model AS same_params,
	   'pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669)'::cj_model =
	   'pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.67)'::cj_model AS other_param,
	   'pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669)'::cj_model =
	   'pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669) unit=7d'::cj_model AS other_unit,
	   'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model <>
	   'mbgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model AS other_family;
-- two fits of the same data are equal; a model and its text form too
SELECT (SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (2.0, 30.43, 38.86), (1.0, 1.71, 38.86), (0.0, 0.0, 38.86)) v(x, t_x, age)) =
	   (SELECT cj_fit_bgnbd(x, t_x, age) FROM (VALUES (0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (1.0, 1.71, 38.86)) v(x, t_x, age)) AS refit_equal;
SELECT m = m::text::cj_model AS text_round_trip,
	   (cj_model_hash_extended(m, 0) & 4294967295) = (cj_model_hash(m)::int8 & 4294967295) AS low_half
FROM (SELECT 'gg(p=6.25, q=3.74, gamma=15.44) unit=7d converged n=946 ll=-4055.92 iter=12 grad=1e-06'::cj_model AS m) s;
SELECT count(*) AS distinct_models FROM (SELECT DISTINCT m
FROM (VALUES ('sbg(alpha=0.704, beta=1.182)'::cj_model), ('sbg(alpha=0.704, beta=1.182)'),
			 ('sbg(alpha=0.668, beta=3.806)')) v(m)) s;

-- NULL compares to NULL; there is no = between a history and a model
SELECT (NULL::cj_history = h) IS NULL AS null_history,
	   (NULL::cj_model = 'sbg(alpha=0.704, beta=1.182)') IS NULL AS null_model
FROM eq_hist WHERE c = 1;
SELECT h = 'sbg(alpha=0.704, beta=1.182)'::cj_model FROM eq_hist;
