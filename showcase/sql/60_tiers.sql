-- Showcase step 60: loyalty tiers on predicted value.  A ladder on the
-- 12-month CLV from step 50: qualify thresholds and lower keep thresholds
-- (a customer keeps a tier while the figure stays above its keep level).
-- Leaves showcase_tiers (customer, tier) for the service step.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Loyalty: tiers on the 12-month CLV'
\echo 'Ladder: member from $0, silver from $25 (kept at $20), gold from $100 (kept at $80),'
\echo 'platinum from $500 (kept at $400)'
CREATE TABLE showcase_ladder AS
SELECT 'member:0, silver:25/20, gold:100/80, platinum:500/400'::cj_ladder AS ladder;

CREATE TABLE showcase_tiers AS
SELECT s.customer, cj_tier(l.ladder, round(s.clv_12m::numeric, 2)) AS tier,
       round(s.clv_12m::numeric, 2) AS clv
FROM showcase_scores s, showcase_ladder l
WHERE s.clv_12m IS NOT NULL;

SELECT t.tier, count(*) AS customers,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "% customers",
       round(sum(t.clv)) AS clv_12m,
       round(100 * sum(t.clv) / sum(sum(t.clv)) OVER (), 1) AS "% value",
       round(avg(s.p_alive)::numeric, 3) AS mean_p_alive
FROM showcase_tiers t JOIN showcase_scores s USING (customer)
GROUP BY t.tier ORDER BY cj_tier_rank((SELECT ladder FROM showcase_ladder), t.tier) DESC;

\echo 'Closest to the next tier: what each still needs'
SELECT t.customer, t.tier, t.clv, cj_tier_gap(l.ladder, t.clv) AS gap_to_next
FROM showcase_tiers t, showcase_ladder l
WHERE cj_tier_gap(l.ladder, t.clv) IS NOT NULL
ORDER BY cj_tier_gap(l.ladder, t.clv) / (t.clv + cj_tier_gap(l.ladder, t.clv)), t.customer
LIMIT 5;

\echo 'End-of-period review of a gold member whose figure fell to $90 (gold keep level: $80) or $50,'
\echo 'and of a platinum member at $10, under each policy'
SELECT policy, cj_tier_review(l.ladder, 'gold', 90, policy, NULL) AS at_90,
       cj_tier_review(l.ladder, 'gold', 50, policy, NULL) AS at_50,
       cj_tier_review(l.ladder, 'platinum', 10, policy, NULL) AS platinum_at_10
FROM showcase_ladder l, unnest(ARRAY['soft_landing', 'justified', 'reset', 'realtime']) policy;
