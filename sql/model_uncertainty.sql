-- Parameter uncertainty of fitted models: the covariance a converged fit
-- records, standard errors, confidence intervals and parameter draws.
CREATE TABLE unc_cdnow (id int, x float8, t_x float8, age float8, zbar float8);
\copy unc_cdnow FROM 'test/data/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE unc_fit AS
SELECT 'bgnbd'::text AS name, cj_fit_bgnbd(x, t_x, age) AS m FROM unc_cdnow
UNION ALL SELECT 'mbgnbd', cj_fit_mbgnbd(x, t_x, age) FROM unc_cdnow
UNION ALL SELECT 'pnbd', cj_fit_pnbd(x, t_x, age) FROM unc_cdnow
UNION ALL SELECT 'gg', cj_fit_gg(x, zbar) FROM unc_cdnow WHERE x > 0;

-- standard errors on the CDNOW sample (2,357 customers).  Published for
-- BG/NBD in the lifetimes library's documentation on the same data, to two
-- digits: r 0.24 (0.01), alpha 4.41 (0.38), a 0.79 (0.19), b 2.43 (0.71).
SELECT f.name, p AS parameter, round(cj_param(f.m, p)::numeric, 4) AS estimate,
       round(cj_std_error(f.m, p)::numeric, 4) AS std_error,
       round((cj_confint(f.m, p)).lower::numeric, 4) AS lower95,
       round((cj_confint(f.m, p)).upper::numeric, 4) AS upper95
FROM unc_fit f, cj_model_families() r, unnest(r.parameters) WITH ORDINALITY AS u(p, i)
WHERE r.family = cj_model_family(f.m) ORDER BY f.name, u.i;

-- the matrix: square, symmetric, its diagonal the squared standard errors
SELECT name, array_dims(cj_vcov(m)) AS dims,
       (SELECT bool_and(v[i][j] = v[j][i]) FROM generate_subscripts(v, 1) i,
               generate_subscripts(v, 2) j) AS symmetric,
       (SELECT bool_and(sqrt(v[i][i]) = cj_std_error(m, r.parameters[i]))
        FROM generate_subscripts(v, 1) i) AS diagonal_is_se
FROM unc_fit, LATERAL (SELECT cj_vcov(m) AS v) x, cj_model_families() r
WHERE r.family = cj_model_family(m) ORDER BY name;
SELECT name, cj_model_jsonb(m)->>'hessian' AS hessian,
       jsonb_array_length(cj_model_jsonb(m)->'vcov') AS rows
FROM unc_fit ORDER BY name;

-- the interval is on the log scale: its log is symmetric about log p, and
-- a higher level widens it
SELECT name, bool_and(abs(ln(cj_param(m, p)) - (ln((cj_confint(m, p)).lower) + ln((cj_confint(m, p)).upper)) / 2) < 1e-12) AS log_symmetric,
       bool_and((cj_confint(m, p, 0.99)).lower < (cj_confint(m, p, 0.9)).lower) AS wider
FROM unc_fit, cj_model_families() r, unnest(r.parameters) p
WHERE r.family = cj_model_family(m) GROUP BY name ORDER BY name;

-- the covariance round-trips through text, binary and jsonb-free equality
SELECT name, m::text::cj_model = m AS text_round_trip,
       cj_vcov(m::text::cj_model) = cj_vcov(m) AS same_matrix
FROM unc_fit ORDER BY name;
CREATE TABLE unc_bin (m cj_model);
INSERT INTO unc_bin SELECT m FROM unc_fit;
\copy unc_bin TO 'results/unc_models.bin' WITH (FORMAT binary)
CREATE TABLE unc_bin2 (m cj_model);
\copy unc_bin2 FROM 'results/unc_models.bin' WITH (FORMAT binary)
SELECT count(*) AS read_back FROM unc_bin2 b JOIN unc_fit f ON b.m = f.m;
-- a model with a covariance is not equal to the same model without
SELECT m = regexp_replace(m::text, ' vcov=.*$', '')::cj_model AS equal_without
FROM unc_fit WHERE name = 'bgnbd';

-- a model written by hand has no covariance; it can be given one
SELECT cj_vcov('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)') IS NULL AS no_vcov,
       cj_std_error('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)', 'r') IS NULL AS no_se;
SELECT cj_std_error('sbg(alpha=0.7, beta=1.2) vcov=[0.04, 0.01, 0.01, 0.09]', 'beta') AS se_beta;

-- draws: deterministic for a seed, centred on the estimate, spread as the
-- standard errors say (20,000 draws: the mean of log r within 4 standard
-- errors of the mean, its standard deviation within 3 %)
CREATE TABLE unc_draws AS
SELECT d FROM unc_fit, cj_param_draws(m, 20000, 7) d WHERE name = 'bgnbd';
SELECT count(*) AS draws, count(DISTINCT d::text) AS distinct_draws,
       bool_and(cj_model_family(d) = 'bgnbd') AS family,
       bool_and(cj_vcov(d) IS NULL) AS draws_have_no_vcov
FROM unc_draws;
SELECT abs(avg(ln(cj_param(d, 'r'))) - ln(cj_param(m, 'r'))) < 4 * cj_std_error(m, 'r') / cj_param(m, 'r') / sqrt(20000) AS centred,
       abs(stddev(ln(cj_param(d, 'r'))) / (cj_std_error(m, 'r') / cj_param(m, 'r')) - 1) < 0.03 AS spread
FROM unc_draws, unc_fit WHERE name = 'bgnbd' GROUP BY m;
SELECT (SELECT array_agg(d::text) FROM cj_param_draws(m, 3, 11) d) =
       (SELECT array_agg(d::text) FROM cj_param_draws(m, 3, 11) d) AS same_seed_same_draws
FROM unc_fit WHERE name = 'pnbd';
-- an interval for any score is a query over the draws
SELECT round(percentile_cont(0.025) WITHIN GROUP (ORDER BY cj_p_alive(d, 2, 30.43, 38.86))::numeric, 2) AS p_alive_lo,
       round(percentile_cont(0.975) WITHIN GROUP (ORDER BY cj_p_alive(d, 2, 30.43, 38.86))::numeric, 2) AS p_alive_hi
FROM unc_draws;

-- bad input
\set VERBOSITY terse
SELECT cj_confint(m, 'r', 1) FROM unc_fit WHERE name = 'bgnbd';
SELECT cj_confint(m, 'r', 0) FROM unc_fit WHERE name = 'bgnbd';
SELECT cj_confint(m, 'r', 'NaN') FROM unc_fit WHERE name = 'bgnbd';
SELECT cj_confint(m, 'beta', 0.95) FROM unc_fit WHERE name = 'bgnbd';
SELECT cj_confint('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)', 'r');
SELECT * FROM cj_param_draws('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)', 3, 1);
SELECT count(*) FROM cj_param_draws((SELECT m FROM unc_fit WHERE name = 'gg'), -1, 1);
-- covariance literals are validated: size, symmetry, positive definiteness
SELECT 'sbg(alpha=0.7, beta=1.2) vcov=[0.04, 0.01, 0.01]'::cj_model;
SELECT 'sbg(alpha=0.7, beta=1.2) vcov=[0.04, 0.01, 0.02, 0.09]'::cj_model;
SELECT 'sbg(alpha=0.7, beta=1.2) vcov=[0.04, 0.1, 0.1, 0.09]'::cj_model;
SELECT 'sbg(alpha=0.7, beta=1.2) vcov=[-0.04, 0, 0, 0.09]'::cj_model;
SELECT 'sbg(alpha=0.7, beta=1.2) vcov=[0.04, 0, 0, Infinity]'::cj_model;
SELECT 'sbg(alpha=0.7, beta=1.2) vcov=indefinite vcov=[0.04, 0, 0, 0.09]'::cj_model;
SELECT 'sbg(alpha=0.7, beta=1.2) vcov=definite'::cj_model;
SELECT cj_vcov('sbg(alpha=0.7, beta=1.2) vcov=indefinite') IS NULL AS indefinite_has_none;
SELECT cj_confint('sbg(alpha=0.7, beta=1.2) vcov=indefinite', 'alpha');

-- delta-method intervals: the estimate equals the score, the interval
-- contains it, and it agrees with the spread of the score over parameter
-- draws (the 2.5 % and 97.5 % quantiles within 10 % of the interval's
-- bounds)
SET extra_float_digits = 0;
SELECT (i).estimate = cj_conditional_purchases(m, 2, 30.43, 38.86, 39) AS same_estimate,
       (i).lower < (i).estimate AND (i).estimate < (i).upper AS contains,
       round((i).lower::numeric, 3) AS lower, round((i).upper::numeric, 3) AS upper
FROM unc_fit, cj_conditional_purchases_interval(m, 2, 30.43, 38.86, 39) i WHERE name = 'bgnbd';
SELECT abs(q[1] / (i).lower - 1) < 0.1 AS lower_matches_draws,
       abs(q[2] / (i).upper - 1) < 0.1 AS upper_matches_draws
FROM (SELECT percentile_cont(ARRAY[0.025, 0.975]) WITHIN GROUP (ORDER BY cj_conditional_purchases(d, 2, 30.43, 38.86, 39)) AS q
      FROM unc_draws) d,
     unc_fit, cj_conditional_purchases_interval(m, 2, 30.43, 38.86, 39) i
WHERE name = 'bgnbd';
SELECT abs((i).estimate / cj_clv(p.m, g.m, 2, 30.43, 38.86, 35, 12, 4.33, 0.01, 0.3) - 1) < 1e-12 AS same_estimate,
       (i).lower < (i).estimate AND (i).estimate < (i).upper AS contains
FROM unc_fit p, unc_fit g,
     cj_clv_interval(p.m, g.m, 2, 30.43, 38.86, 35, 12, 4.33, 0.01, 0.3) i
WHERE p.name = 'pnbd' AND g.name = 'gg';
-- bad input
\set VERBOSITY terse
SELECT cj_conditional_purchases_interval(m, 2, 30.43, 38.86, 39, 1.5) FROM unc_fit WHERE name = 'bgnbd';
SELECT cj_conditional_purchases_interval(m, 2, 30.43, 38.86, -1) FROM unc_fit WHERE name = 'bgnbd';
SELECT cj_conditional_purchases_interval('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)', 2, 30.43, 38.86, 39);
SELECT cj_conditional_purchases_interval(m, 2, 30.43, 38.86, 39) FROM unc_fit WHERE name = 'gg';
SELECT cj_clv_interval(p.m, g.m, 2, 30.43, 38.86, 0, 12, 4.33, 0.01) FROM unc_fit p, unc_fit g WHERE p.name = 'pnbd' AND g.name = 'gg';
SELECT cj_clv_interval(p.m, g.m, 2, 30.43, 38.86, 35, 0, 4.33, 0.01) FROM unc_fit p, unc_fit g WHERE p.name = 'pnbd' AND g.name = 'gg';
SELECT cj_clv_interval(p.m, p.m, 2, 30.43, 38.86, 35, 12, 4.33, 0.01) FROM unc_fit p WHERE p.name = 'pnbd';
