-- cj_model and cj_fit_state: text and binary I/O, accessors
\set VERBOSITY default

-- a model written by hand from published parameters
SELECT 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model;
-- parameters in any order, white space, facts in any order
SELECT ' gg ( gamma = 15.44 , q=3.74,p=6.25 )  unit=7d converged n=946 ll=-4055.92 iter=12 grad=1e-06'::cj_model;
SELECT 'mbgnbd(r=0.525, alpha=6.183, a=0.891, b=1.614) unit=3600.5s'::cj_model;

-- exact round trip of a fitted-looking value
CREATE TABLE model_type_t (id int, m cj_model);
INSERT INTO model_type_t VALUES
  (1, 'bgnbd(r=0.2425929039600646, alpha=4.413531580226649, a=0.7928861286654124, b=2.4257532922261613) ll=-9582.425560567368 n=2357 iter=20 converged grad=1.57375781394385e-05 unit=7d'),
  (2, 'gg(p=6.25, q=3.74, gamma=15.44)'),
  (3, 'mbgnbd(r=1e-10, alpha=1e10, a=3, b=0.5) ll=0 n=0 iter=0 boundary grad=0');
SELECT id, m::text::cj_model::text = m::text AS text_round_trip FROM model_type_t ORDER BY id;

-- accessors
SELECT id, cj_model_family(m), cj_loglik(m) FROM model_type_t ORDER BY id;
SELECT cj_param(m, 'alpha') FROM model_type_t WHERE id = 1;
SELECT cj_param(m, 'gamma') FROM model_type_t WHERE id = 2;
SELECT id, cj_model_jsonb(m) FROM model_type_t ORDER BY id;

-- binary round trip
\copy model_type_t TO 'results/model_type.bin' WITH (FORMAT binary)
CREATE TABLE model_type_t2 (id int, m cj_model);
\copy model_type_t2 FROM 'results/model_type.bin' WITH (FORMAT binary)
SELECT a.id, a.m::text = b.m::text AS binary_round_trip
FROM model_type_t a JOIN model_type_t2 b USING (id) ORDER BY a.id;

-- bad input
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8)'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2, b=3)'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, s=2)'::cj_model;
SELECT 'nbd(r=0.2, alpha=4)'::cj_model;
SELECT 'bgnbd(r=-0.2, alpha=4, a=0.8, b=2)'::cj_model;
SELECT 'bgnbd(r=0, alpha=4, a=0.8, b=2)'::cj_model;
SELECT 'bgnbd(r=NaN, alpha=4, a=0.8, b=2)'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2) junk'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2) ll=1 ll=2'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2) converged stalled'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2) unit=7'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2) unit=-7d'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2) n=-1'::cj_model;
SELECT 'bgnbd(r=0.2, alpha=4, a=0.8, b=2) iter=1.5'::cj_model;
SELECT cj_param('bgnbd(r=0.2, alpha=4, a=0.8, b=2)', 'gamma');

-- cj_fit_state: text form (sorted, merged), round trips
SELECT 'bgnbd{}'::cj_fit_state;
SELECT 'bgnbd{(2,30.43,38.86):1,(0,0,38.86):2,(2,30.43,38.86):3}'::cj_fit_state;
SELECT 'gg{(2,22.35):1,(0,0):5,(1,11.77):2} unit=7d'::cj_fit_state;
SELECT 'bgnbd{(1,0.1,0.30000000000000004):1} unit=60s'::cj_fit_state::text::cj_fit_state;
CREATE TABLE model_type_s (id int, s cj_fit_state);
INSERT INTO model_type_s VALUES (1, 'bgnbd{(0,0,38.86):2,(2,30.43,38.86):3}'), (2, 'gg{} unit=1d');
\copy model_type_s TO 'results/model_type_s.bin' WITH (FORMAT binary)
CREATE TABLE model_type_s2 (id int, s cj_fit_state);
\copy model_type_s2 FROM 'results/model_type_s.bin' WITH (FORMAT binary)
SELECT id, s FROM model_type_s2 ORDER BY id;
-- a state fits like the aggregate would
SELECT cj_fit_state_final('gg{}');
-- bad states
SELECT 'bgnbd{(2,40,38.86):1}'::cj_fit_state;
SELECT 'bgnbd{(2,3,38.86):0}'::cj_fit_state;
SELECT 'bgnbd{(2,3):1}'::cj_fit_state;
SELECT 'bgnbd{(2,3,4):1'::cj_fit_state;
SELECT 'foo{}'::cj_fit_state;
SELECT 'gg{(1,0):1}'::cj_fit_state;
-- combining states: tuple sets merge; families and units must agree
CREATE AGGREGATE model_type_merge(cj_fit_state) (
    SFUNC = cj_fit_state_combine, STYPE = cj_fit_state);
SELECT model_type_merge(s) FROM (VALUES ('bgnbd{(0,0,38.86):2,(1,3,38.86):1}'::cj_fit_state),
                                        ('bgnbd{(1,3,38.86):4,(2,5,30):1}'::cj_fit_state)) v(s);
SELECT model_type_merge(s) FROM (VALUES ('bgnbd{(0,0,38.86):2} unit=7d'::cj_fit_state),
                                        ('bgnbd{(1,3,38.86):4}'::cj_fit_state)) v(s);
SELECT model_type_merge(s) FROM (VALUES ('bgnbd{(0,0,38.86):2}'::cj_fit_state), ('gg{(1,3):1}'::cj_fit_state)) v(s);
SELECT model_type_merge(s) FROM (VALUES ('bgnbd{} unit=7d'::cj_fit_state), ('bgnbd{} unit=1d'::cj_fit_state)) v(s);
-- large states (merged into an expanded state from 4,096 tuples on), in
-- either order and from a NULL or an empty start: the state of all rows
CREATE TEMP TABLE model_type_rows AS
SELECT i % 5 AS k, (i % 40)::float8 AS x,
       CASE WHEN i % 40 = 0 THEN 0 ELSE ((i * 7919) % 9973) / 9973.0 * (20 + i % 17) END::float8 AS t_x,
       (20 + i % 17)::float8 AS age
FROM generate_series(1, 30000) i;
CREATE AGGREGATE model_type_collect(float8, float8, float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'pnbd{}');
CREATE AGGREGATE model_type_merge0(cj_fit_state) (
    SFUNC = cj_fit_state_combine, STYPE = cj_fit_state, INITCOND = 'pnbd{}');
WITH parts AS (SELECT k, model_type_collect(x, t_x, age) AS s FROM model_type_rows GROUP BY k),
     whole AS (SELECT model_type_collect(x, t_x, age)::text AS w FROM model_type_rows)
SELECT (SELECT min(length(s::text) - length(replace(s::text, ':', ''))) FROM parts) > 4096 AS parts_large,
       (SELECT model_type_merge(s ORDER BY k) FROM parts)::text = w AS null_start,
       (SELECT model_type_merge(s ORDER BY k DESC) FROM parts)::text = w AS null_start_reversed,
       (SELECT model_type_merge0(s ORDER BY k) FROM parts)::text = w AS empty_start,
       (SELECT model_type_merge0(s ORDER BY k DESC) FROM parts)::text = w AS empty_start_reversed,
       (SELECT model_type_merge(s) FROM (SELECT s FROM parts UNION ALL SELECT s FROM parts) d)::text =
       (SELECT model_type_merge(s) FROM (SELECT model_type_collect(x, t_x, age) AS s FROM
            (SELECT * FROM model_type_rows UNION ALL SELECT * FROM model_type_rows) r GROUP BY k) p)::text AS weights_add
FROM whole;
DROP AGGREGATE model_type_merge0(cj_fit_state);
DROP AGGREGATE model_type_collect(float8, float8, float8);
DROP TABLE model_type_rows;
DROP AGGREGATE model_type_merge(cj_fit_state);
-- support functions outside their aggregates, and a family/arity mismatch
SELECT cj_fit_state_add3('bgnbd{}', 1, 1, 2);
CREATE AGGREGATE model_type_bad(float8, float8) (
    SFUNC = cj_fit_state_add2, STYPE = cj_fit_state, INITCOND = 'bgnbd{}');
SELECT model_type_bad(1, 2);
DROP AGGREGATE model_type_bad(float8, float8);
