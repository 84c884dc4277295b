-- Covariates of Pareto/NBD and BG/NBD models: the model text with
-- coefficients, accessors, binary and jsonb forms, and every score with
-- the customer's covariates against the plain score at the transformed
-- parameters
\set VERBOSITY default

-- a model with coefficients written by hand; a bare name is constrained
SELECT 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(Gender=0.4, Channel) life(Gender=-0.2, Channel) constr(Channel=0.3)'::cj_model;
-- blocks in any order, white space, facts with penalty
SELECT ' bgnbd ( r=0.25,alpha=4.4,a=0.8,b=2.4 )  constr( Channel = -0.1 ) life(Channel)  trans( Channel , Gender=1e-3 ) penalty=0.5 ll=-100 n=10'::cj_model;
-- one process only
SELECT 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) life(Age=0.01)'::cj_model;

CREATE TABLE model_cov_t (id int, m cj_model);
INSERT INTO model_cov_t VALUES
  (1, 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(Gender=0.4, Channel) life(Gender=-0.2, Channel) constr(Channel=0.3)'),
  (2, 'bgnbd(r=0.2425929039600646, alpha=4.413531580226649, a=0.7928861286654124, b=2.4257532922261613) trans(Gender=0.123456789012345) ll=-9582.425560567368 penalty=0.0012345 n=2357 iter=20 converged grad=1.5e-05 unit=7d vcov=[0.01, 0.001, 0, 0, 0.002, 0.001, 0.04, 0, 0, 0.003, 0, 0, 0.09, 0.01, 0, 0, 0, 0.01, 0.16, 0, 0.002, 0.003, 0, 0, 0.25]'),
  (3, 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0) life(y=0) vcov=indefinite'),
  (4, 'pnbd(r=1, alpha=2, s=3, beta=4)');
SELECT id, m::text::cj_model::text = m::text AS text_round_trip, m::text FROM model_cov_t ORDER BY id;

-- accessors: parameters and coefficients by name
SELECT cj_param(m, 'alpha') AS alpha, cj_param(m, 'trans.Gender') AS tg,
       cj_param(m, 'life.Gender') AS lg, cj_param(m, 'constr.Channel') AS cc,
       cj_param(m, 'trans.Channel') AS tc, cj_param(m, 'life.Channel') AS lc
FROM model_cov_t WHERE id = 1;
SELECT cj_param(m, 'trans.Gender'), cj_std_error(m, 'trans.Gender'), cj_std_error(m, 'b'),
       cj_loglik(m), (cj_confint(m, 'trans.Gender', 0.95)).*
FROM model_cov_t WHERE id = 2;
-- the natural-scale interval of a coefficient: gamma -/+ z se
SELECT abs((cj_confint(m, 'trans.Gender', 0.95)).lower - (0.123456789012345 - 1.959963984540054 * 0.5)) < 1e-12 AS coef_ci
FROM model_cov_t WHERE id = 2;
SELECT cj_vcov(m) FROM model_cov_t WHERE id = 2;
SELECT cj_std_error(m, 'trans.x') FROM model_cov_t WHERE id = 3;
SELECT id, cj_model_jsonb(m) FROM model_cov_t ORDER BY id;
SELECT cj_param(m, 'trans.Age') FROM model_cov_t WHERE id = 1;
SELECT cj_param(m, 'constr.Gender') FROM model_cov_t WHERE id = 1;
SELECT cj_param(m, 'trans.Gender') FROM model_cov_t WHERE id = 4;

-- binary round trip
\copy model_cov_t TO 'results/model_covariates.bin' WITH (FORMAT binary)
CREATE TABLE model_cov_t2 (id int, m cj_model);
\copy model_cov_t2 FROM 'results/model_covariates.bin' WITH (FORMAT binary)
SELECT a.id, a.m::text = b.m::text AS binary_round_trip, a.m = b.m AS equal
FROM model_cov_t a JOIN model_cov_t2 b USING (id) ORDER BY a.id;

-- equality and hashing: -0 equals 0; names, order and penalty count
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)' AS zero,
       cj_model_hash('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0)') = cj_model_hash('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)') AS zero_hash,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(y=1)' AS other_name,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1, y=2)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(y=2, x=1)' AS other_order,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) penalty=0' AS penalty,
       'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) life(x=1)' AS process,
       'pnbd(r=1, alpha=2, s=3, beta=4)'::cj_model = 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)' AS plain;
SELECT count(*) AS distinct_models FROM (SELECT m FROM (VALUES ('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=-0)'::cj_model),
  ('pnbd(r=1, alpha=2, s=3, beta=4) trans(x=0)'), ('pnbd(r=1, alpha=2, s=3, beta=4)')) v(m) GROUP BY m) g;

-- bad model text
SELECT 'gg(p=6.25, q=3.74, gamma=15.44) trans(x=1)'::cj_model;
SELECT 'mbgnbd(r=0.5, alpha=6, a=0.9, b=1.6) trans(x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) trans(y=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1, x=2)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans()'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x) constr(x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x) life(x) constr(x)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=NaN)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=Infinity)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) penalty=-1'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) penalty=1'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) penalty=1 penalty=1'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) ll=1 trans(y=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) foo(x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(1x=1)'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(a234567890123456789012345678901234567890123456789012345678901234=1)'::cj_model;
-- a covariance of the parameters only, for a model with a coefficient
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) vcov=[1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1]'::cj_model;
-- not positive definite
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) trans(x=1) vcov=[1,0,0,0,0, 0,1,0,0,0, 0,0,1,0,0, 0,0,0,1,0, 0,0,0,0,0]'::cj_model;
