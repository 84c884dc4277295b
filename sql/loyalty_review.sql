-- cj_tier_review: every policy at, just below and just above each threshold,
-- upgrades, floors, a one-tier ladder and bad arguments.
CREATE TABLE loyalty_rv_tiers (rank int, name text, q numeric, k numeric);
INSERT INTO loyalty_rv_tiers VALUES
  (1, 'member', 0, 0), (2, 'silver', 1000, 800), (3, 'gold', 5000, 4000), (4, 'platinum', 20000, 16000);
CREATE TABLE loyalty_rv_figures AS
SELECT DISTINCT f FROM loyalty_rv_tiers t, LATERAL (VALUES (t.q - 0.01), (t.q), (t.q + 0.01),
                                                          (t.k - 0.01), (t.k), (t.k + 0.01)) v(f)
WHERE f >= 0;

-- the review table: one row per current tier and figure, one column per policy
SELECT c.name AS current, f.f AS figure,
       cj_tier_review(l, c.name, f.f, 'soft_landing') AS soft_landing,
       cj_tier_review(l, c.name, f.f, 'justified') AS justified,
       cj_tier_review(l, c.name, f.f, 'reset') AS reset,
       cj_tier_review(l, c.name, f.f, 'realtime') AS realtime
FROM loyalty_rv_tiers c, loyalty_rv_figures f,
     (SELECT 'member:0, silver:1000/800, gold:5000/4000, platinum:20000/16000'::cj_ladder) x(l)
ORDER BY c.rank, f.f;

-- the same reviews, with and without every floor, against a plain SQL
-- statement of the rules: no row may differ
WITH cases AS (
  SELECT c.rank AS cur, f.f AS fig, fl.rank AS flo, p.policy,
         (SELECT max(rank) FROM loyalty_rv_tiers WHERE q <= f.f) AS earned,
         (SELECT k FROM loyalty_rv_tiers WHERE rank = c.rank) AS keep_cur
  FROM loyalty_rv_tiers c CROSS JOIN loyalty_rv_figures f
  CROSS JOIN (SELECT rank FROM loyalty_rv_tiers UNION ALL SELECT NULL) fl
  CROSS JOIN (VALUES ('soft_landing'), ('justified'), ('reset'), ('realtime')) p(policy)
), model AS (
  SELECT *, greatest(coalesce(flo, 1), CASE
      WHEN earned >= cur THEN earned
      WHEN policy = 'soft_landing' THEN CASE WHEN fig >= keep_cur THEN cur ELSE cur - 1 END
      WHEN policy = 'justified' THEN (SELECT max(rank) FROM loyalty_rv_tiers WHERE rank <= cur AND k <= fig)
      ELSE earned END) AS want
  FROM cases
)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE cj_tier_review('member:0, silver:1000/800, gold:5000/4000, platinum:20000/16000',
                          (SELECT name FROM loyalty_rv_tiers WHERE rank = cur), fig, policy,
                          (SELECT name FROM loyalty_rv_tiers WHERE rank = flo))
                        IS DISTINCT FROM (SELECT name FROM loyalty_rv_tiers WHERE rank = want)) AS mismatches
FROM model;

-- floors: a lifetime gold member never goes below gold
SELECT policy, cj_tier_review('member:0, silver:1000/800, gold:5000/4000, platinum:20000/16000',
                              'platinum', 0, policy, 'gold') AS with_gold_floor,
       cj_tier_review('member:0, silver:1000/800, gold:5000/4000, platinum:20000/16000',
                      'member', 0, policy, 'gold') AS floor_lifts_member,
       cj_tier_review('member:0, silver:1000/800, gold:5000/4000, platinum:20000/16000',
                      'silver', 25000, policy, 'gold') AS upgrade_above_floor
FROM (VALUES ('soft_landing'), ('justified'), ('reset'), ('realtime')) p(policy) ORDER BY policy;

-- a ladder of one tier
SELECT cj_tier_review('only:0', 'only', 0, 'justified', NULL) AS one_tier,
       cj_tier_review('only:0', 'only', 5, 'soft_landing', 'only') AS one_tier_floor;

-- NULL figure or tier: NULL; NULL floor: no floor
SELECT cj_tier_review('member:0, silver:10', NULL, 5, 'reset') IS NULL AS null_current,
       cj_tier_review('member:0, silver:10', 'silver', NULL, 'reset') IS NULL AS null_figure,
       cj_tier_review('member:0, silver:10', 'silver', 5, 'reset', NULL) AS null_floor;

-- unknown tiers and policies name the valid ones
SELECT loyalty_err($$SELECT cj_tier_review('member:0, silver:10', 'gold', 5, 'reset')$$) AS bad_current,
       loyalty_err($$SELECT cj_tier_review('member:0, silver:10', 'silver', 5, 'reset', 'Gold')$$) AS bad_floor;
SELECT loyalty_err($$SELECT cj_tier_review('member:0, silver:10', 'silver', 5, 'downgrade')$$) AS bad_policy,
       loyalty_err($$SELECT cj_tier_review('member:0, silver:10', 'silver', 'NaN', 'reset')$$) AS nan_figure;
