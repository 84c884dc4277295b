-- Showcase step 50: score every customer as of 1997-09-30 with the BG/NBD
-- and Gamma-Gamma models: P(alive), expected repeat purchases in the next
-- 52 weeks and the 12-month CLV (monthly steps, 1 % a month discount);
-- also P(alive) under Pareto/NBD.
-- Leaves showcase_scores for the later steps; draws the P(alive)
-- histogram to doc/img/p_alive.png.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Scores: every customer, as of the end of the calibration period'
\echo 'Means and totals (P(alive) from BG/NBD, and from Pareto/NBD; 52-week purchases; 12-month CLV)'
CREATE TABLE showcase_scores AS
SELECT b.customer, b.x, b.m,
       cj_p_alive(bg.model, b.x, b.t_x, b."T") AS p_alive,
       cj_p_alive(pnbd.model, b.x, b.t_x, b."T") AS p_alive_pnbd,
       cj_conditional_purchases(bg.model, b.x, b.t_x, b."T", 52) AS expected_52w,
       cj_clv(bg.model, gg.model, b.x, b.t_x, b."T", b.m, 12, 52.0 / 12, 0.01) AS clv_12m
FROM cdnow_btyd b,
     (SELECT model FROM showcase_models WHERE name = 'BG/NBD') bg,
     (SELECT model FROM showcase_models WHERE name = 'Gamma-Gamma') gg,
     (SELECT model FROM showcase_models WHERE name = 'Pareto/NBD') pnbd;

SELECT count(*) AS customers, round(avg(p_alive)::numeric, 3) AS "P(alive)",
       round(avg(p_alive_pnbd)::numeric, 3) AS "P(alive) PNBD",
       round(sum(expected_52w)::numeric) AS purchases_52w,
       round(sum(clv_12m)::numeric) AS clv_total,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY clv_12m)::numeric, 2) AS clv_median,
       round(max(clv_12m)::numeric, 2) AS clv_max
FROM showcase_scores;

\echo 'The ten most valuable customers'
SELECT customer, x, round(m::numeric, 2) AS mean_spend, round(p_alive::numeric, 3) AS p_alive,
       round(expected_52w::numeric, 2) AS expected_52w, round(clv_12m::numeric, 2) AS clv_12m
FROM showcase_scores ORDER BY clv_12m DESC, customer LIMIT 10;

\echo 'P(alive) distribution: width_bucket over the scores (a plain query).  BG/NBD gives'
\echo 'P(alive) = 1 to customers without repeat purchases, by construction; repeaters spread out'
SELECT to_char((b - 1) / 10.0, '0.0') || ' -' || to_char(b / 10.0, '0.0') AS p_alive,
       count(s.customer) AS customers, count(s.customer) FILTER (WHERE s.x > 0) AS repeaters,
       rpad('#', (50 * count(s.customer) FILTER (WHERE s.x > 0)
                  / max(count(s.customer) FILTER (WHERE s.x > 0)) OVER ())::int, '#') AS repeaters_histogram
FROM generate_series(1, 10) b
LEFT JOIN showcase_scores s ON least(width_bucket(s.p_alive, 0, 1, 10), 10) = b
GROUP BY b ORDER BY b;

-- the plot: 20 bins of width 0.05, all customers and repeaters
\! mkdir -p showcase/out doc/img
\copy (SELECT (b - 0.5) / 20, count(s.customer), count(s.customer) FILTER (WHERE s.x > 0) FROM generate_series(1, 20) b LEFT JOIN showcase_scores s ON least(width_bucket(s.p_alive, 0, 1, 20), 20) = b GROUP BY b ORDER BY b) TO 'showcase/out/p_alive.dat'
\copy (SELECT count(*) FROM showcase_scores WHERE x = 0) TO 'showcase/out/p_alive.zero'
\! gnuplot showcase/plots/p_alive.gp && echo 'drawn: doc/img/p_alive.png'
