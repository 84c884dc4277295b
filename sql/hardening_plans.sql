-- Same answer in every plan: aggregates give bit-identical results serial,
-- in row orders forced by an ORDER BY inside the call (reversed, shuffled),
-- parallel (partial states combined) and hash-spilled (work_mem = 64kB).
SET timezone = 'UTC';
SET extra_float_digits = 3;
SELECT setseed(0.13);

-- 1. cj_markov_attribution: combining two partial states that share their
--    channels takes the union (it used to reserve the sum of both sizes and
--    fail with 6,000 channels in each half, 10,000 being the limit)
CREATE TABLE hp_mk AS
SELECT i, ARRAY['c' || (i % 6000), 'c' || ((i * 7) % 6000)] AS path,
       (i % 3 = 0)::int::int8 AS conv, 1::int8 AS nonconv
FROM generate_series(1, 12000) i;
ANALYZE hp_mk;
-- the state before the final solve (6,000 channels are past the solve's
-- limit of 2,000 states, not past the state's)
CREATE AGGREGATE hp_mk_raw(text[], int8, int8) (sfunc = cj_markov_trans, stype = cj_transitions,
                                               combinefunc = cj_markov_combine, parallel = safe);
CREATE AGGREGATE hp_mk_comb(cj_transitions) (sfunc = cj_markov_combine, stype = cj_transitions);
SET max_parallel_workers_per_gather = 0;
CREATE TABLE hp_mk_serial AS SELECT hp_mk_raw(path, conv, nonconv)::text AS s FROM hp_mk;
-- halves 0 and 1 each hold every channel (blocks of 6,000 rows)
CREATE TABLE hp_mk_half AS
SELECT (i / 6000) % 2 AS half, hp_mk_raw(path, conv, nonconv) AS s FROM hp_mk GROUP BY 1;
SELECT half, length(s::text) > 100000 AS large FROM hp_mk_half ORDER BY half;
SELECT md5(hp_mk_comb(s ORDER BY half)::text) = (SELECT md5(s) FROM hp_mk_serial) AS halves_equal_serial,
       md5(hp_mk_comb(s ORDER BY half DESC)::text) = (SELECT md5(s) FROM hp_mk_serial) AS reversed_equal_serial
FROM hp_mk_half;
-- and in a parallel plan
-- plans printed the same on every PostgreSQL version (17 dropped the
-- "(returns $n)" of an InitPlan and the Params Evaluated line)
CREATE FUNCTION pg_temp.plan_shape(q text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
	l text;
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		CONTINUE WHEN l ~ '^\s*Params Evaluated:';
		RETURN NEXT regexp_replace(l, ' \(returns \$\d+\)$', '');
	END LOOP;
END
$f$;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT hp_mk_raw(path, conv, nonconv) FROM hp_mk;
SELECT md5(hp_mk_raw(path, conv, nonconv)::text) = (SELECT md5(s) FROM hp_mk_serial) AS parallel_equals_serial
FROM hp_mk;
-- the attribution itself, serial and parallel, on 150 channels
SELECT md5(cj_markov_attribution(ARRAY['c' || (i % 150), 'c' || ((i * 7) % 150)], (i % 3 = 0)::int::int8, 1)::text)
FROM hp_mk \gset par_
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT md5(cj_markov_attribution(ARRAY['c' || (i % 150), 'c' || ((i * 7) % 150)], (i % 3 = 0)::int::int8, 1)::text) = :'par_md5'
       AS attribution_parallel_equals_serial
FROM hp_mk;

-- 2. cj_holdout_check and cj_tracking: 30,000 customers whose holdout
--    purchases and expectations span five orders of magnitude
CREATE TABLE hp_cust AS
SELECT id, x, CASE WHEN x = 0 THEN 0 ELSE round((random() * age)::numeric, 3)::float8 END AS t_x, age,
       round((random() * 10 ^ (random() * 5))::numeric, 4)::float8 AS holdout_x,
       '2020-01-01'::timestamptz + floor(random() * 400) * interval '1 day' AS first_purchase,
       id % 2000 AS grp
FROM (SELECT id, floor(random() * 12)::float8 AS x, round((10 + random() * 30)::numeric, 3)::float8 AS age
      FROM generate_series(1, 30000) id) s;
ANALYZE hp_cust;
CREATE TABLE hp_model AS SELECT 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model AS m;

-- the rows of a holdout check and of a tracking series, as text of exact floats
CREATE FUNCTION hp_ho(h cj_holdout) RETURNS text LANGUAGE sql
RETURN (SELECT string_agg(concat_ws('/', bucket, customers, actual_total, expected_total), ' ')
        FROM cj_holdout_rows(h));
CREATE FUNCTION hp_tr(t cj_tracking) RETURNS text LANGUAGE sql
RETURN (SELECT string_agg(expected_cumulative::text, ' ' ORDER BY period) FROM cj_tracking_rows(t));

CREATE TABLE hp_res (what text, plan text, v text);
INSERT INTO hp_res
SELECT 'holdout', 'serial', hp_ho(cj_holdout_check(m, x, t_x, age, 39, holdout_x)) FROM hp_cust, hp_model
UNION ALL
SELECT 'holdout', 'reversed', hp_ho(cj_holdout_check(m, x, t_x, age, 39, holdout_x ORDER BY id DESC)) FROM hp_cust, hp_model
UNION ALL
SELECT 'holdout', 'shuffled', hp_ho(cj_holdout_check(m, x, t_x, age, 39, holdout_x ORDER BY md5(id::text))) FROM hp_cust, hp_model
UNION ALL
SELECT 'tracking', 'serial', hp_tr(cj_tracking(m, first_purchase, '2020-01-01', '30 days', 20)) FROM hp_cust, hp_model
UNION ALL
SELECT 'tracking', 'reversed', hp_tr(cj_tracking(m, first_purchase, '2020-01-01', '30 days', 20 ORDER BY id DESC)) FROM hp_cust, hp_model
UNION ALL
SELECT 'tracking', 'shuffled', hp_tr(cj_tracking(m, first_purchase, '2020-01-01', '30 days', 20 ORDER BY md5(id::text))) FROM hp_cust, hp_model;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT pg_temp.plan_shape($q$
SELECT cj_holdout_check((SELECT m FROM hp_model), x, t_x, age, 39, holdout_x) FROM hp_cust$q$);
INSERT INTO hp_res
SELECT 'holdout', 'parallel', hp_ho(cj_holdout_check((SELECT m FROM hp_model), x, t_x, age, 39, holdout_x)) FROM hp_cust;
INSERT INTO hp_res
SELECT 'tracking', 'parallel', hp_tr(cj_tracking((SELECT m FROM hp_model), first_purchase, '2020-01-01', '30 days', 20))
FROM hp_cust;
SET max_parallel_workers_per_gather = 0;

-- every plan gives the serial result to the last bit
SELECT what, plan, v = (SELECT v FROM hp_res s WHERE s.what = r.what AND s.plan = 'serial') AS equals_serial
FROM hp_res r ORDER BY what, plan;
-- (the figures are the model's; printed rounded as a sanity check)
SELECT bucket, customers, round(actual_total::numeric, 2) AS actual_total,
       round(expected_total::numeric, 2) AS expected_total
FROM (SELECT cj_holdout_check(m, x, t_x, age, 39, holdout_x) AS h FROM hp_cust, hp_model) c,
     cj_holdout_rows(c.h);

-- per group: a hash aggregate spilling to disk against sorted aggregation
-- of the groups' rows in shuffled order
SET work_mem = '64kB';
SET enable_sort = off;
SELECT pg_temp.plan_shape($q$
SELECT grp, cj_holdout_check((SELECT m FROM hp_model), x, t_x, age, 39, holdout_x) FROM hp_cust GROUP BY grp$q$);
CREATE TABLE hp_hash AS
SELECT grp, hp_ho(cj_holdout_check((SELECT m FROM hp_model), x, t_x, age, 39, holdout_x)) AS ho,
       hp_tr(cj_tracking((SELECT m FROM hp_model), first_purchase, '2020-01-01', '30 days', 20)) AS tr
FROM hp_cust GROUP BY grp;
RESET work_mem;
RESET enable_sort;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE h.ho = s.ho) AS holdout_equal,
       count(*) FILTER (WHERE h.tr = s.tr) AS tracking_equal
FROM hp_hash h JOIN (
  SELECT grp, hp_ho(cj_holdout_check(m, x, t_x, age, 39, holdout_x ORDER BY md5(id::text))) AS ho,
         hp_tr(cj_tracking(m, first_purchase, '2020-01-01', '30 days', 20 ORDER BY md5(id::text))) AS tr
  FROM hp_cust, hp_model GROUP BY grp) s USING (grp);

DROP TABLE hp_mk, hp_mk_serial, hp_mk_half, hp_cust, hp_model, hp_res, hp_hash;
DROP AGGREGATE hp_mk_raw(text[], int8, int8);
DROP AGGREGATE hp_mk_comb(cj_transitions);
DROP FUNCTION hp_ho(cj_holdout), hp_tr(cj_tracking);
