-- Tier status for members (keep gap, projection) and ladders as values.
SET DateStyle = 'ISO';

-- keep gap: keep threshold of the current tier minus the figure, 0 when met
SELECT t, q, cj_tier_keep_gap('member:0, silver:1000/800, gold:5000/4000', t, q) AS keep_gap,
       cj_tier_review('member:0, silver:1000/800, gold:5000/4000', t, q, 'justified') AS justified_review
  FROM (VALUES ('member', 0::numeric), ('member', -5), ('silver', 0), ('silver', 799.999999),
               ('silver', 799.9999999), ('silver', 800), ('silver', 800.0000001), ('silver', 6000),
               ('gold', 3999.5), ('gold', 4000), ('gold', 4000.25), ('gold', 1e30)) v(t, q);

-- projection at a linear pace: figure * window days / elapsed days (as_of
-- counts), floored to millionths, then reviewed under the policy
SELECT q, as_of, p, f,
       cj_tier_projection('member:0, silver:1000/800, gold:5000/4000', 'silver', q,
                          daterange('2024-01-01', '2025-01-01'), as_of, p, f) AS projected
  FROM (VALUES
    (100::numeric, date '2024-01-01', 'justified', NULL),  -- 100 * 366 = 36600: gold
    (13.661202, '2024-01-01', 'justified', NULL),          -- 4999.999932: silver
    (13.661203, '2024-01-01', 'justified', NULL),          -- 5000.000298: gold
    (500, '2024-06-30', 'justified', NULL),                -- 500 * 366 / 182 = 1005.49: silver
    (397.8, '2024-06-30', 'justified', NULL),              -- 799.98: member
    (397.8, '2024-06-30', 'soft_landing', NULL),           -- down one tier at most: member
    (398, '2024-06-30', 'justified', NULL),                -- 800.37: silver kept
    (0, '2024-06-30', 'justified', 'silver'),              -- floor
    (500, '2024-12-31', 'justified', NULL),                -- window over: the figure itself
    (500, '2025-03-01', 'justified', NULL),
    (2486.338797, '2024-06-30', 'realtime', NULL),         -- 4999.999999... floors to silver
    (2486.338798, '2024-06-30', 'realtime', NULL)          -- 5000.000001: gold
  ) v(q, as_of, p, f);
-- the exact boundary: 5000 * 182 / 366 = 2486.338797814207650273224043715846994...
SELECT cj_tier_projection('member:0, gold:5000', 'member', 2486.338797814207650273224043715846, '[2024-01-01,2025-01-01)', '2024-06-30', 'realtime') AS just_below,
       cj_tier_projection('member:0, gold:5000', 'member', 2486.338797814207650273224043715847, '[2024-01-01,2025-01-01)', '2024-06-30', 'realtime') AS just_above,
       cj_tier_projection('member:0, gold:5000', 'member', 910000 / 366::numeric, '[2024-01-01,2025-01-01)', '2024-06-30', 'realtime') AS rounded_up_division;
-- NULL arguments: NULL result (floor may be NULL)
SELECT cj_tier_projection('member:0, gold:5000', 'member', NULL, '[2024-01-01,2025-01-01)', '2024-06-30', 'realtime') IS NULL AS null_figure;

CREATE FUNCTION loyalty_tiers_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q, loyalty_tiers_err(q) FROM (VALUES
  ($$SELECT cj_tier_keep_gap('member:0, gold:5000', 'platinum', 1)$$),
  ($$SELECT cj_tier_keep_gap('member:0, gold:5000', 'gold', 'NaN')$$),
  ($$SELECT cj_tier_keep_gap('member:0, gold:5000', 'gold', 'Infinity')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 1, '[2024-01-01,2025-01-01)', '2023-12-31', 'justified')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 1, '[2024-01-01,)', '2024-03-01', 'justified')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 1, 'empty', '2024-03-01', 'justified')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 1, '[2024-01-01,2025-01-01)', 'infinity', 'justified')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 1, '[2024-01-01,2025-01-01)', '2024-03-01', 'lenient')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 'NaN', '[2024-01-01,2025-01-01)', '2024-03-01', 'justified')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 9e12, '[1000-01-01,5000-01-01)', '1000-01-01', 'justified')$$),
  ($$SELECT cj_tier_projection('member:0, gold:5000', 'gold', 1, '[2024-01-01,2025-01-01)', '2024-03-01', 'justified', 'bronze')$$)
) v(q);

-- equality and hashing: one value however it was spelled
SELECT a, b, a::cj_ladder = b::cj_ladder AS eq, a::cj_ladder <> b::cj_ladder AS ne,
       cj_ladder_hash(a::cj_ladder) = cj_ladder_hash(b::cj_ladder) AS same_hash,
       cj_ladder_hash_extended(a::cj_ladder, 7) = cj_ladder_hash_extended(b::cj_ladder, 7) AS same_hash64
  FROM (VALUES ('member:0, silver:1000/800', 'member:0,silver:1000.000/800'),
               ('member:0, silver:1000/1000', 'member:0, silver:1000'),
               ('member:0, silver:1000/800', 'member:0, silver:1000/799.999999'),
               ('member:0, silver:1000', 'member:0, Silver:1000'),
               ('member:0, silver:1000', 'member:0, silver:1000, gold:2000')) v(a, b);
SELECT cj_ladder('[{"name": "member", "qualify": 0}, {"name": "silver", "qualify": 1000, "keep": 800}]'::jsonb)
       = 'member:0, silver:1000/800'::cj_ladder AS jsonb_eq_text;
-- the README's qualification-window example groups by the ladder
CREATE TABLE loyalty_tiers_orders (member_id int, ordered_on date, amount numeric);
INSERT INTO loyalty_tiers_orders VALUES (1, '2024-03-01', 700), (1, '2024-05-01', 400), (2, '2024-04-01', 90),
  (2, '2023-01-01', 5000), (3, '2024-06-01', 6000);
SELECT member_id, cj_tier(l, sum(amount)) AS tier
  FROM loyalty_tiers_orders, (SELECT 'member:0, silver:1000/800, gold:5000/4000'::cj_ladder) x(l)
 WHERE ordered_on <@ cj_qualification_window('rolling_12_months', '2024-06-30')
 GROUP BY member_id, l ORDER BY member_id;
-- grouped by (member, ladder) with two ladders (hashed: cj_ladder has no ordering)
CREATE TABLE loyalty_tiers_prog (member_id int, l cj_ladder);
INSERT INTO loyalty_tiers_prog SELECT m % 3, CASE WHEN m % 2 = 0 THEN 'member:0, gold:5000' ELSE 'member:0,gold:5000.0' END::cj_ladder
  FROM generate_series(1, 12) m;
INSERT INTO loyalty_tiers_prog SELECT 1, 'member:0, gold:4000' FROM generate_series(1, 3);
SET enable_hashagg = on;
SELECT member_id, l::text, count(*) FROM loyalty_tiers_prog GROUP BY member_id, l ORDER BY 1, 2;
SELECT count(*) AS distinct_ladders FROM (SELECT DISTINCT l FROM loyalty_tiers_prog) d;
SET enable_hashagg = off;   -- without a btree class only hashing can group
SELECT count(*) AS distinct_ladders FROM (SELECT DISTINCT l FROM loyalty_tiers_prog) d;
RESET enable_hashagg;
SELECT count(*) AS hash_join_rows FROM loyalty_tiers_prog a JOIN loyalty_tiers_prog b USING (l);
SELECT opcname, amname FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
 WHERE opcintype = 'cj_ladder'::regtype;
