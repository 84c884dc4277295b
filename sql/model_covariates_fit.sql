-- Fitting Pareto/NBD and BG/NBD with time-invariant covariates on the
-- apparel data CLVTools ships (apparelTrans, apparelStaticCov): Gender and
-- Channel on both processes.  Every figure is checked against the
-- independent reference test/ref/covariates_ref.py (its own summary of the
-- CSVs and its own likelihood, maximised to a gradient below 1e-8):
-- log-likelihood within 0.01, every estimate within 0.5 % or 1e-3
-- absolute (whichever is larger).  Then states, options and bad input.
\set VERBOSITY default

CREATE TABLE cvf_tx (id int, d date, price float8);
\copy cvf_tx FROM 'test/data/apparel_transactions.csv' (FORMAT csv, HEADER true)
CREATE TABLE cvf_cov (id int, gender float8, channel float8);
\copy cvf_cov FROM 'test/data/apparel_static_cov.csv' (FORMAT csv, HEADER true)
SELECT count(*), count(DISTINCT id), min(d), max(d) FROM cvf_tx;

-- the summary as CLVTools' examples build it: weeks, same-day transactions
-- merged, estimation end = first date + 104 weeks (inclusive) or the last
-- transaction of the data for the whole period
CREATE FUNCTION cvf_summary(weeks int)
RETURNS TABLE (id int, x float8, t_x float8, age float8, z float8[])
LANGUAGE sql STABLE
BEGIN ATOMIC
  WITH lim AS (SELECT CASE WHEN weeks > 0 THEN min(d) + 7 * weeks ELSE max(d) END AS e FROM cvf_tx),
  days AS (SELECT DISTINCT t.id, t.d FROM cvf_tx t, lim WHERE t.d <= lim.e),
  s AS (SELECT days.id, count(*) - 1 AS x, (max(days.d) - min(days.d))::float8 / 7 AS t_x,
               ((SELECT e FROM lim) - min(days.d))::float8 / 7 AS age
        FROM days GROUP BY days.id)
  SELECT s.id, s.x, s.t_x, s.age, ARRAY[c.gender, c.channel]
  FROM s JOIN cvf_cov c ON c.id = s.id;
END;
SELECT count(*), sum(x), min(age), max(age) FROM cvf_summary(104);
SELECT count(*), sum(x), min(age), max(age) FROM cvf_summary(0);

-- reference figures (covariates_ref.py): name, loglik, penalty, estimates
CREATE TABLE cvf_ref (fit text, param text, value float8);
INSERT INTO cvf_ref VALUES
 ('pnbd', 'll', -5821.062686), ('pnbd', 'r', 1.8389667), ('pnbd', 'alpha', 92.962961),
 ('pnbd', 's', 0.59130418), ('pnbd', 'beta', 49.513086),
 ('pnbd', 'trans.Gender', 0.28613543), ('pnbd', 'trans.Channel', 0.62392999),
 ('pnbd', 'life.Gender', -0.64186802), ('pnbd', 'life.Channel', 0.78975879),
 ('pnbd_l2', 'll', -5828.595488), ('pnbd_l2', 'penalty', 0.00970372),
 ('pnbd_l2', 'r', 1.8142729), ('pnbd_l2', 'alpha', 77.93051),
 ('pnbd_l2', 's', 0.57208736), ('pnbd_l2', 'beta', 42.492667),
 ('pnbd_l2', 'trans.Gender', 0.2262573), ('pnbd_l2', 'trans.Channel', 0.33344005),
 ('pnbd_l2', 'life.Gender', -0.1448528), ('pnbd_l2', 'life.Channel', 0.10352552),
 ('pnbd_constr', 'll', -5826.534191), ('pnbd_constr', 'r', 1.7938906),
 ('pnbd_constr', 'alpha', 94.735466), ('pnbd_constr', 's', 0.42862837),
 ('pnbd_constr', 'beta', 59.065671), ('pnbd_constr', 'trans.Channel', 0.63855008),
 ('pnbd_constr', 'life.Channel', 1.0232681), ('pnbd_constr', 'constr.Gender', 0.32845341),
 ('bgnbd', 'll', -11955.733522), ('bgnbd', 'r', 0.46873477), ('bgnbd', 'alpha', 24.129156),
 ('bgnbd', 'a', 1.2840875), ('bgnbd', 'b', 6.4095048),
 ('bgnbd', 'trans.Gender', 0.40806231), ('bgnbd', 'trans.Channel', 0.57106004),
 ('bgnbd', 'life.Gender', -0.72307313), ('bgnbd', 'life.Channel', -0.3687636),
 ('bgnbd_l2', 'll', -11961.215926), ('bgnbd_l2', 'penalty', 0.00510292),
 ('bgnbd_l2', 'r', 0.46044117), ('bgnbd_l2', 'alpha', 18.332149),
 ('bgnbd_l2', 'a', 0.70950439), ('bgnbd_l2', 'b', 3.4995085),
 ('bgnbd_l2', 'trans.Gender', 0.17843689), ('bgnbd_l2', 'trans.Channel', 0.24990742),
 ('bgnbd_l2', 'life.Gender', -0.077915511), ('bgnbd_l2', 'life.Channel', -0.041160509),
 ('bgnbd_constr', 'll', -11959.754536), ('bgnbd_constr', 'r', 0.46622682),
 ('bgnbd_constr', 'alpha', 22.318778), ('bgnbd_constr', 'a', 0.69235572),
 ('bgnbd_constr', 'b', 3.554576), ('bgnbd_constr', 'trans.Channel', 0.5627763),
 ('bgnbd_constr', 'life.Channel', -0.33693525), ('bgnbd_constr', 'constr.Gender', 0.2773711);

CREATE TABLE cvf_fit (fit text, m cj_model);
INSERT INTO cvf_fit
SELECT 'pnbd', cj_fit_pnbd(x, t_x, age, z, z,
    '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"]}'::jsonb)
FROM cvf_summary(104)
UNION ALL
SELECT 'pnbd_l2', cj_fit_pnbd(x, t_x, age, z, z,
    '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"],
      "lambda_trans": 0.05, "lambda_life": 0.05}'::jsonb)
FROM cvf_summary(104)
UNION ALL
SELECT 'pnbd_constr', cj_fit_pnbd(x, t_x, age, z, z,
    '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"],
      "constrain": ["Gender"]}'::jsonb)
FROM cvf_summary(104)
UNION ALL
SELECT 'bgnbd', cj_fit_bgnbd(x, t_x, age, z, z,
    '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"]}'::jsonb)
FROM cvf_summary(0)
UNION ALL
SELECT 'bgnbd_l2', cj_fit_bgnbd(x, t_x, age, z, z,
    '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"],
      "lambda_trans": 0.05, "lambda_life": 0.05}'::jsonb)
FROM cvf_summary(0)
UNION ALL
SELECT 'bgnbd_constr', cj_fit_bgnbd(x, t_x, age, z, z,
    '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"],
      "constrain": ["Gender"]}'::jsonb)
FROM cvf_summary(0);

-- every figure: value, reference, whether it is within the tolerance
SELECT r.fit, r.param,
       round(v.got::numeric, 6) AS got, r.value AS reference,
       CASE WHEN r.param = 'll' THEN abs(v.got - r.value) <= 0.01
            WHEN r.param = 'penalty' THEN abs(v.got - r.value) <= 1e-5
            ELSE abs(v.got - r.value) <= greatest(0.005 * abs(r.value), 1e-3) END AS ok
FROM cvf_ref r JOIN cvf_fit f USING (fit),
LATERAL (SELECT CASE r.param WHEN 'll' THEN cj_loglik(f.m)
                             WHEN 'penalty' THEN (cj_model_jsonb(f.m)->>'penalty')::float8
                             ELSE cj_param(f.m, r.param) END AS got) v
ORDER BY r.fit, r.param;
-- the verdicts, standard errors present, and the penalty (none unless regularized)
SELECT fit, cj_model_jsonb(m)->>'status' AS status, round((cj_model_jsonb(m)->>'penalty')::numeric, 10) AS penalty,
       cj_std_error(m, CASE WHEN fit LIKE '%constr' THEN 'constr.Gender' ELSE 'trans.Gender' END) > 0 AS se
FROM cvf_fit ORDER BY fit;
-- the standard errors of the Pareto/NBD fit (observed information, as the
-- plain fits): positive and small next to the estimates
SELECT round(cj_std_error(m, 'trans.Gender')::numeric, 3) AS se_tg,
       round(cj_std_error(m, 'life.Channel')::numeric, 3) AS se_lc,
       round(cj_std_error(m, 'r')::numeric, 3) AS se_r
FROM cvf_fit WHERE fit = 'pnbd';

-- BG/NBD on the 104-week split: the likelihood keeps rising towards a
-- boundary (a, b -> infinity for one group), where the reference stops at
-- log-likelihood -5839.862469 (a = 3816, b = 28170; CLVTools a ~ 2e4,
-- b ~ 2e5).  custjourney reaches at least that and says "boundary".
SELECT cj_loglik(m) >= -5839.862469 AS at_least_reference,
       cj_model_jsonb(m)->>'status' AS verdict,
       cj_param(m, 'a') > 1e3 AND cj_param(m, 'b') > 1e4 AS a_b_large
FROM (SELECT cj_fit_bgnbd(x, t_x, age, z, z) AS m FROM cvf_summary(104)) q;

-- default names z1, z2 ...; weights give the same fit as repeated rows
SELECT cj_param(m, 'trans.z1') = cj_param(w, 'trans.z1') AS weighted_same,
       cj_loglik(m) = cj_loglik(w) AS ll_same
FROM (SELECT cj_fit_pnbd(x, t_x, age, z, z) AS m FROM cvf_summary(104)) a,
     (SELECT cj_fit_pnbd(x, t_x, age, z, z, n) AS w
      FROM (SELECT x, t_x, age, z, count(*) AS n FROM cvf_summary(104) GROUP BY 1, 2, 3, 4) g) b;
-- the fit does not depend on the order of the rows
SELECT (SELECT cj_fit_pnbd(x, t_x, age, z, z ORDER BY id)::text FROM cvf_summary(104)) =
       (SELECT cj_fit_pnbd(x, t_x, age, z, z ORDER BY id DESC)::text FROM cvf_summary(104)) AS order_free;
-- one process only: covariates on the purchase process, none on dropout
SELECT cj_param(m, 'trans.Channel') > 0 AS channel_buys_more
FROM (SELECT cj_fit_pnbd(x, t_x, age, ARRAY[z[2]], '{}'::float8[],
        '{"names_trans": ["Channel"]}'::jsonb) AS m FROM cvf_summary(104)) q;

-- states: text form, exact round trip, combine
CREATE AGGREGATE cvf_state(float8, float8, float8, float8[], float8[], jsonb) (
    sfunc = cj_cov_fit_state_add, stype = cj_cov_fit_state, initcond = 'pnbd{}');
CREATE AGGREGATE cvf_comb(cj_cov_fit_state) (
    sfunc = cj_cov_fit_state_combine, stype = cj_cov_fit_state);
SELECT cvf_state(x, t_x, age, z, z, '{"names_trans": ["Gender", "Channel"], "names_life": ["G", "C"], "lambda_trans": 0.5}'::jsonb)
FROM cvf_summary(104) WHERE id <= 3;
CREATE TABLE cvf_states AS
SELECT id % 3 AS part, cvf_state(x, t_x, age, z, z, '{"constrain": ["z1"]}'::jsonb) AS s
FROM cvf_summary(104) GROUP BY 1;
SELECT part, s::text::cj_cov_fit_state::text = s::text AS text_round_trip,
       length(s::text) AS text_length
FROM cvf_states ORDER BY part;
SELECT cj_cov_fit_state_final(cvf_comb(s))::text =
       (SELECT cj_fit_pnbd(x, t_x, age, z, z, '{"constrain": ["z1"]}'::jsonb)::text FROM cvf_summary(104)) AS combined_same
FROM cvf_states;
SELECT 'bgnbd[trans=;life=Age;constr=;lambda_trans=0;lambda_life=1e-3]{(2,5.5,10||0.25):3,(0,0,10||-1):2,(2,5.5,10||0.25):1}'::cj_cov_fit_state;
SELECT 'pnbd{}'::cj_cov_fit_state, cj_cov_fit_state_final('pnbd{}') IS NULL AS empty_is_null;

-- bad input: SQLSTATE, message and detail of each
-- an aggregate of the user's without the initial state the transition needs
CREATE AGGREGATE cvf_noinit(float8, float8, float8, float8[], float8[]) (
    sfunc = cj_cov_fit_state_add, stype = cj_cov_fit_state);
CREATE FUNCTION cvf_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN st || ': ' || msg || coalesce(' / ' || nullif(det, ''), '');
END $$;
SELECT n, cvf_err(q) FROM (VALUES
 (1, $q$SELECT 'gg{}'::cj_cov_fit_state$q$),
 (2, $q$SELECT 'pnbd[trans=a;life=;constr=b;lambda_trans=0;lambda_life=0]{}'::cj_cov_fit_state$q$),
 (3, $q$SELECT 'pnbd[trans=a;life=;constr=;lambda_trans=-1;lambda_life=0]{}'::cj_cov_fit_state$q$),
 (4, $q$SELECT 'pnbd[trans=a;life=;constr=;lambda_trans=0;lambda_life=0]{(1,5,3|1|):1}'::cj_cov_fit_state$q$),
 (5, $q$SELECT 'pnbd[trans=a;life=;constr=;lambda_trans=0;lambda_life=0]{(1,2,3|1,2|):1}'::cj_cov_fit_state$q$),
 (6, $q$SELECT cj_fit_pnbd(x, t_x, age, CASE WHEN id = 5 THEN ARRAY[1.0] ELSE z END, z) FROM cvf_summary(104)$q$),
 (7, $q$SELECT cj_fit_pnbd(x, t_x, age, z, CASE WHEN id = 5 THEN ARRAY[1.0, NULL] ELSE z END) FROM cvf_summary(104)$q$),
 (8, $q$SELECT cj_fit_pnbd(x, t_x, age, z, CASE WHEN id = 5 THEN ARRAY[1.0, 'NaN'] ELSE z END) FROM cvf_summary(104)$q$),
 (9, $q$SELECT cj_fit_pnbd(x, t_x, age, CASE WHEN id = 5 THEN ARRAY['Infinity'::float8, 0] ELSE z END, z) FROM cvf_summary(104)$q$),
 (10, $q$SELECT cj_fit_pnbd(x, t_x, age, ARRAY[z], z) FROM cvf_summary(104)$q$),
 (11, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, '{"names_trans": ["Gender"]}'::jsonb) FROM cvf_summary(104)$q$),
 (12, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, '{"names_life": ["a", "a"]}'::jsonb) FROM cvf_summary(104)$q$),
 (13, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, '{"names_life": ["a b", "c"]}'::jsonb) FROM cvf_summary(104)$q$),
 (14, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, '{"constrain": ["Gender"]}'::jsonb) FROM cvf_summary(104)$q$),
 (15, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, '{"lambda_life": -1}'::jsonb) FROM cvf_summary(104)$q$),
 (16, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, '{"lambda": 1}'::jsonb) FROM cvf_summary(104)$q$),
 (17, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, '[1]'::jsonb) FROM cvf_summary(104)$q$),
 (18, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, CASE WHEN id = 5 THEN '{"lambda_life": 1}'::jsonb ELSE '{}' END) FROM cvf_summary(104)$q$),
 (19, $q$SELECT cj_fit_pnbd(x, t_x, age, z, z, -1::int8) FROM cvf_summary(104)$q$),
 (20, $q$SELECT cj_fit_pnbd(x, age + 1, age, z, z) FROM cvf_summary(104)$q$),
 (21, $q$SELECT cvf_comb(s) FROM (VALUES ('pnbd[trans=a;life=;constr=;lambda_trans=0;lambda_life=0]{}'::cj_cov_fit_state), ('pnbd[trans=b;life=;constr=;lambda_trans=0;lambda_life=0]{}')) v(s)$q$),
 (22, $q$SELECT cvf_comb(s) FROM (VALUES ('pnbd{}'::cj_cov_fit_state), ('bgnbd{}')) v(s)$q$),
 (23, $q$SELECT cj_fit_pnbd(x, t_x, age, '{}'::float8[], '{}'::float8[]) FROM cvf_summary(104)$q$),
 (24, $q$SELECT cj_fit_bgnbd(x, t_x, age, '{}'::float8[], '{}'::float8[]) FROM cvf_summary(104)$q$),
 (25, $q$SELECT 'pnbd[trans=;life=;constr=;lambda_trans=0;lambda_life=0]{(1,2,3||):1}'::cj_cov_fit_state$q$),
 (26, $q$SELECT cvf_noinit(x, t_x, age, z, z) FROM cvf_summary(104)$q$)
) v(n, q) ORDER BY n;
-- a NULL anywhere in a row skips the row, as the other fits do
SELECT cj_model_jsonb(cj_fit_pnbd(x, t_x, age, CASE WHEN id % 10 <> 0 THEN z END, z))->>'n' AS customers
FROM cvf_summary(104);

DROP AGGREGATE cvf_state(float8, float8, float8, float8[], float8[], jsonb);
DROP AGGREGATE cvf_comb(cj_cov_fit_state);
DROP AGGREGATE cvf_noinit(float8, float8, float8, float8[], float8[]);
DROP FUNCTION cvf_summary(int);
DROP FUNCTION cvf_err(text);
DROP TABLE cvf_tx, cvf_cov, cvf_ref, cvf_fit, cvf_states;
