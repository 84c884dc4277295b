-- Shifted-beta-geometric (Fader and Hardie 2007) on the two cohorts of
-- their paper: customers active at the start of years 0..12 (0..7 fit).
CREATE TABLE model2_cohort (segment text, year int, active int);
INSERT INTO model2_cohort
SELECT 'regular', y - 1, a
FROM unnest('{1000,631,468,382,326,289,262,241,223,207,194,183,173}'::int[]) WITH ORDINALITY AS u(a, y)
UNION ALL
SELECT 'high end', y - 1, a
FROM unnest('{1000,869,743,653,593,551,517,491,468,445,427,409,394}'::int[]) WITH ORDINALITY AS u(a, y);
-- calibration data: those lost in year k+1 churned after k renewals;
-- those active at the start of year 7 are still active after 7 renewals
CREATE TABLE model2_contract AS
SELECT c.segment, c.year AS periods, true AS churned, (c.active - n.active)::int8 AS customers
FROM model2_cohort c JOIN model2_cohort n ON n.segment = c.segment AND n.year = c.year + 1
WHERE c.year < 7
UNION ALL
SELECT segment, 7, false, active FROM model2_cohort WHERE year = 7;
SELECT segment, periods, churned, customers FROM model2_contract ORDER BY segment, churned DESC, periods;

CREATE TABLE model2_sbg AS
SELECT segment, cj_fit_sbg(periods, churned, customers) AS m FROM model2_contract GROUP BY segment;
-- regular: alpha = 0.704, beta = 1.182, LL -1680.27;
-- high end: alpha = 0.668, beta = 3.806, LL -1611.16
SELECT segment, cj_model_family(m),
       round(cj_param(m, 'alpha')::numeric, 3) AS alpha,
       round(cj_param(m, 'beta')::numeric, 3) AS beta,
       round(cj_loglik(m)::numeric, 2) AS ll,
       cj_model_jsonb(m)->>'status' AS status
FROM model2_sbg ORDER BY segment;
SELECT segment,
       abs(cj_param(m, 'alpha') / CASE segment WHEN 'regular' THEN 0.704 ELSE 0.668 END - 1) < 0.005 AS alpha_ok,
       abs(cj_param(m, 'beta') / CASE segment WHEN 'regular' THEN 1.182 ELSE 3.806 END - 1) < 0.005 AS beta_ok,
       abs(cj_loglik(m) - CASE segment WHEN 'regular' THEN -1680.27 ELSE -1611.16 END) < 0.01 AS ll_ok
FROM model2_sbg ORDER BY segment;

-- the same fits from one row per customer, serial and in parallel
CREATE TABLE model2_contract_rows AS
SELECT segment, periods, churned FROM model2_contract, generate_series(1, customers);
CREATE TABLE model2_sbg_rows AS
SELECT segment, cj_fit_sbg(periods, churned) AS m FROM model2_contract_rows GROUP BY segment;
SELECT a.segment, cj_param(a.m, 'alpha') = cj_param(b.m, 'alpha') AS same_alpha,
       cj_param(a.m, 'beta') = cj_param(b.m, 'beta') AS same_beta
FROM model2_sbg a JOIN model2_sbg_rows b USING (segment) ORDER BY segment;

-- projection of the holdout years 8-12: within 5 % of the actual counts
SELECT c.segment, c.year, c.active,
       round(1000 * cj_survival(m, c.year)) AS projected,
       abs(1000 * cj_survival(m, c.year) / c.active - 1) < 0.05 AS within_5pct
FROM model2_cohort c JOIN model2_sbg USING (segment)
WHERE c.year >= 8 ORDER BY c.segment, c.year;

-- retention rises with tenure: r(t) = (beta+t-1)/(alpha+beta+t-1)
SELECT segment, t, round(cj_retention(m, t)::numeric, 4) AS r
FROM model2_sbg, generate_series(1, 5) AS t ORDER BY segment, t;
SELECT segment,
       abs(cj_survival(m, 3) - cj_retention(m, 1) * cj_retention(m, 2) * cj_retention(m, 3)) < 1e-12 AS s_is_product,
       cj_survival(m, 0) = 1 AS s0
FROM model2_sbg ORDER BY segment;
-- far out, S(t) = B(alpha, beta+t) / B(alpha, beta) against 40-digit
-- references (mpmath log-gammas): the difference of two log-gamma ratios
-- of t lost 1e-6 at t = 1e9; a beta below 1e-16 keeps its retention
SELECT abs(cj_survival('sbg(alpha=3, beta=7)', 1000000000) / 5.0399998790400019404e-25 - 1) < 1e-12 AS s_1e9,
       abs(cj_survival('sbg(alpha=3, beta=7)', 2147483647) / 5.0890994219960628482e-26 - 1) < 1e-12 AS s_int_max,
       abs(cj_retention('sbg(alpha=0.5, beta=1e-17)', 1) / 2.0000000000000001031e-17 - 1) < 1e-14 AS r1_tiny_beta;
-- DEL and DERL at discount rates below 1e-6 a period (the head of the
-- series and an Euler-Maclaurin tail) against 2F1(1, beta; alpha+beta;
-- 1/(1+d)) at 60 digits (mpmath) to 1e-12; the 1 - z connection formula
-- used before lost about 1e-16/d (4e-4 at d = 1e-14)
SELECT m, d, abs(cj_del(m::cj_model, d) / ref - 1) < 1e-12 AS del_matches
FROM (VALUES ('sbg(alpha=0.5, beta=2)', 1e-12, 2356191.4901970573375),
             ('sbg(alpha=0.5, beta=2)', 1e-14, 23561941.901923920541),
             ('sbg(alpha=1, beta=1)', 1e-8, 18.420680938159172962),
             ('sbg(alpha=0.2, beta=0.3)', 1e-7, 274609.52354541014695),
             ('sbg(alpha=1.5, beta=0.001)', 1e-8, 1.0019996856680256847),
             ('sbg(alpha=3, beta=7)', 1e-9, 4.4999999685000045689),
             ('sbg(alpha=2, beta=3)', 1e-10, 3.9999999745689788760),
             ('sbg(alpha=50, beta=20)', 1e-9, 1.4081632647193877560)) v(m, d, ref);
SELECT abs(cj_derl('sbg(alpha=0.5, beta=2)', 10, 1e-12) / 6076328.565673256113 - 1) < 1e-12 AS derl_matches,
       cj_del('sbg(alpha=0.5, beta=2)', 1e-300) > 1e150 AS del_tiny_d_finite;

-- discounted expected lifetime at 10 %: 3.695 (regular), 5.922 (high end);
-- DERL of a customer after n renewals (Fader and Hardie 2010)
SELECT segment, round(cj_del(m, 0.1)::numeric, 3) AS del,
       round(cj_derl(m, 0, 0.1)::numeric, 3) AS derl0,
       round(cj_derl(m, 4, 0.1)::numeric, 3) AS derl4,
       abs(cj_del(m, 0.1) - (1 + cj_derl(m, 0, 0.1) / 1.1)) < 1e-9 AS del_derl_consistent
FROM model2_sbg ORDER BY segment;

-- scores an sBG model does not define, and sBG scores on other families
\set VERBOSITY default
SELECT cj_p_alive(m, 1, 1, 2) FROM model2_sbg WHERE segment = 'regular';
SELECT cj_retention('pnbd(r=0.553, alpha=10.578, s=0.606, beta=11.669)'::cj_model, 1);
SELECT cj_retention(m, 0) FROM model2_sbg WHERE segment = 'regular';
SELECT cj_survival(m, -1) FROM model2_sbg WHERE segment = 'regular';
SELECT cj_derl(m, -1, 0.1) FROM model2_sbg WHERE segment = 'regular';
SELECT cj_derl(m, 1, -0.5) FROM model2_sbg WHERE segment = 'regular';
SELECT cj_del(m, 0) FROM model2_sbg WHERE segment = 'regular';
SELECT cj_fit_sbg(periods, churned) FROM (VALUES (-1, true)) AS v(periods, churned);
SELECT cj_fit_sbg(periods, churned) FROM (VALUES (3, false), (5, false)) AS v(periods, churned);
SELECT cj_fit_sbg(periods, churned, w) FROM (VALUES (3, true, 0::int8)) AS v(periods, churned, w);
\set VERBOSITY terse
