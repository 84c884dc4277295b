-- Showcase step 20: fit the purchase and spend models on the 39-week
-- calibration period (1997-01-01 .. 1997-09-30), one aggregate call each.
-- Leaves cdnow_btyd (x, t_x, T, m and the holdout count per customer) and
-- showcase_models (name, model) for the later steps.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Models: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma fitted on the calibration period'
CREATE TABLE cdnow_btyd AS
SELECT customer,
       cj_frequency(calibration)::float8 AS x,
       cj_recency(calibration) AS t_x,                -- weeks
       cj_age(calibration, '1997-09-30'::date) AS "T", -- weeks
       cj_monetary(calibration) AS m,
       (cj_frequency(full_history) - cj_frequency(calibration))::float8 AS holdout_x,
       cj_first_purchase(calibration) AS first_purchase
FROM cdnow_histories;

CREATE TABLE showcase_models (name text PRIMARY KEY, model cj_model);
-- fitting aggregates take the histories directly (as of the end of the
-- calibration, in weeks) or (x, t_x, T) numbers: the same model either way
INSERT INTO showcase_models
SELECT 'BG/NBD', cj_fit_bgnbd(calibration, '1997-09-30') FROM cdnow_histories
UNION ALL SELECT 'MBG/NBD', cj_fit_mbgnbd(calibration, '1997-09-30') FROM cdnow_histories
UNION ALL SELECT 'Pareto/NBD', cj_fit_pnbd(calibration, '1997-09-30') FROM cdnow_histories
UNION ALL SELECT 'Gamma-Gamma', cj_fit_gg(x, m) FROM cdnow_btyd WHERE m > 0;

\echo 'Fitted parameters (time in weeks), log-likelihood and convergence'
SELECT name, (SELECT string_agg(p || '=' || round(cj_param(model, p)::numeric, 4), ', ' ORDER BY ord)
               FROM unnest(CASE cj_model_family(model)
                             WHEN 'gg' THEN ARRAY['p', 'q', 'gamma']
                             WHEN 'pnbd' THEN ARRAY['r', 'alpha', 's', 'beta']
                             ELSE ARRAY['r', 'alpha', 'a', 'b'] END) WITH ORDINALITY u(p, ord))
         AS parameters,
       round(cj_loglik(model)::numeric, 2) AS loglik,
       cj_model_jsonb(model)->>'status' AS status,
       (cj_model_jsonb(model)->>'iterations')::int AS iter
FROM showcase_models ORDER BY name;

\echo 'A model is a value: written by hand from published parameters (the 1/10 sample,'
\echo 'Fader, Hardie and Lee 2005) it scores like a fitted one'
SELECT t AS weeks,
       round(cj_expected_purchases(model, t)::numeric, 3) AS "E[X(t)] full log",
       round(cj_expected_purchases('bgnbd(r=0.243, alpha=4.414, a=0.793, b=2.426)', t)::numeric, 3)
         AS "E[X(t)] published",
       round(cj_prob_purchases(model, 0, t)::numeric, 3) AS "P(X(t)=0)"
FROM showcase_models, (VALUES (4), (13), (26), (52), (78)) v(t)
WHERE name = 'BG/NBD' ORDER BY t;
