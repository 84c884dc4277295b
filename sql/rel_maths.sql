-- Reliability of the maths: values that used to be wrong, T = 0 histories,
-- and calls that used to run for minutes without checking for cancel.
-- (The grid comparison with 40-digit references is test/t/080_differential.pl.)

-- FHL eq. 10 cancelled here: -9.3e23; the 40-digit value is 2.3491355307726724
SELECT round(cj_expected_purchases('bgnbd(r=0.42, alpha=76.5, a=43.1, b=371)', 694.5)::numeric, 12) AS bg,
       round(cj_conditional_purchases('bgnbd(r=0.42, alpha=76.5, a=43.1, b=371)', 0, 0, 0, 694.5)::numeric, 12) AS bg_cond;

-- a = 1 exactly (the old formula's 0/0): continuous with its neighbours
-- a = 1 -+ 1e-9
SELECT abs(cj_expected_purchases('bgnbd(r=0.5, alpha=2, a=1, b=3)', 10) /
           (0.5 * (cj_expected_purchases('bgnbd(r=0.5, alpha=2, a=0.999999999, b=3)', 10) +
                   cj_expected_purchases('bgnbd(r=0.5, alpha=2, a=1.000000001, b=3)', 10))) - 1) < 1e-8 AS a1_continuous;

-- T = 0: first purchase on the as-of day
SELECT cj_p_alive('bgnbd(r=0.42, alpha=76.5, a=43.1, b=371)', 0, 0, 0) AS bg_alive,
       round(cj_p_alive('mbgnbd(r=0.42, alpha=76.5, a=43.1, b=371)', 0, 0, 0)::numeric, 12) AS mbg_alive,
       round((371 / 414.1)::numeric, 12) AS b_over_a_plus_b,
       cj_conditional_purchases('bgnbd(r=0.42, alpha=76.5, a=43.1, b=371)', 0, 0, 0, 10) =
         cj_expected_purchases('bgnbd(r=0.42, alpha=76.5, a=43.1, b=371)', 10) AS bg_cond_is_expected;

-- customers with T = 0 carry likelihood 1: adding them changes no estimate
CREATE TEMP TABLE sim AS
SELECT x, t_x, age FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 2000, 39, 7);
SELECT fam, bool_and(round(cj_param(with0, pn)::numeric, 4) = round(cj_param(without0, pn)::numeric, 4)) AS same_estimates
FROM (SELECT 'bgnbd' AS fam,
             (SELECT cj_fit_bgnbd(x, t_x, age) FROM (SELECT * FROM sim UNION ALL
                SELECT 0, 0, 0 FROM generate_series(1, 300)) s) AS with0,
             (SELECT cj_fit_bgnbd(x, t_x, age) FROM sim) AS without0
      UNION ALL
      SELECT 'mbgnbd',
             (SELECT cj_fit_mbgnbd(x, t_x, age) FROM (SELECT * FROM sim UNION ALL
                SELECT 0, 0, 0 FROM generate_series(1, 300)) s),
             (SELECT cj_fit_mbgnbd(x, t_x, age) FROM sim)) f,
     unnest(ARRAY['r', 'alpha', 'a', 'b']) pn
GROUP BY fam
ORDER BY fam;

-- used to sum 2^31 head terms (a minute, no cancel)
SELECT cj_prob_purchases('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', 2147483647, 39) AS bg_huge_n;
-- the NBD tail when z = t/(alpha+t) is near 1 (the head sum was truncated);
-- 40-digit value 5.4672803576023367268e-6
SELECT round((cj_prob_purchases('bgnbd(r=0.001, alpha=0.001, a=0.001, b=0.001)', 91, 10000) * 1e6)::numeric, 10) AS slow_tail_e6;

-- simulation loops are bounded
SELECT * FROM cj_simulate('bgnbd(r=1e300, alpha=1e-300, a=1e-300, b=1e300)', 1, 1, 1);
SELECT count(*) FROM cj_simulate('bgbb(alpha=1, beta=1, gamma=1e-300, delta=1e300)', 1, 1e300, 1);
