-- cj_ladder: text, binary and jsonb forms; cj_tier, cj_tier_rank, cj_tier_gap;
-- cj_qualification_window.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';

-- Report the SQLSTATE, message and detail of a statement that must fail.
CREATE FUNCTION loyalty_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' | ' || nullif(d, ''), '');
END $$;

-- canonical text: minimal digits, keep omitted when equal to qualify
SELECT l::cj_ladder AS canonical, l::cj_ladder::text::cj_ladder::text = l::cj_ladder::text AS round_trip
FROM (VALUES ('member:0, silver:1000/800, gold:5000/4000, platinum:20000/16000'),
             ('  base : 0 ,  vip : 999.995 / 999.995 '),
             ('only:0'),
             ('a:0.000, b:0.000001, c:1000000000000.5/999999999999')) v(l);

-- every invalid shape: 22P02 for unparsable text, 22023 for a bad shape, 54000 for caps
SELECT l, loyalty_err(format('SELECT %L::cj_ladder', l)) AS error
FROM (VALUES (''), ('member'), ('member:'), ('member:0,'), ('member:0 silver:10'),
             ('member:0, silver:1e3'), ('member:0, silver:abc'), ('1st:0'),
             ('member:0, silver:10/'), ('member:0; silver:10'),
             ('member:5'), ('member:0, silver:1000, silver:2000'),
             ('member:0, silver:1000, gold:1000'), ('member:0, silver:1000, gold:900'),
             ('member:0, silver:1000/1200'), ('member:0, silver:1000/800, gold:5000/700'),
             ('member:0, silver:1000/-1'), ('member:0, silver:-5'),
             ('member:0, silver:1000.0000001'), ('member:0, silver:99999999999999'),
             ('member:0, ' || repeat('x', 64) || ':10')) v(l);
SELECT loyalty_err(format('SELECT %L::cj_ladder',
       (SELECT string_agg('t' || i || ':' || i, ', ') FROM generate_series(0, 64) i))) AS too_many_tiers;
SELECT (SELECT string_agg('t' || i || ':' || i, ', ') FROM generate_series(0, 63) i)::cj_ladder IS NOT NULL
    AS sixty_four_tiers_ok;

-- jsonb view and constructor round-trip
SELECT cj_ladder_jsonb('member:0, silver:1000/800, gold:5000.25');
SELECT cj_ladder(cj_ladder_jsonb('member:0, silver:1000/800, gold:5000.25'))::text;
SELECT cj_ladder('[{"name": "member", "qualify": 0}, {"name": "silver", "qualify": 999.995, "keep": 800}]'::jsonb)::text;
SELECT j, loyalty_err(format('SELECT cj_ladder(%L::jsonb)', j)) AS error
FROM (VALUES ('{"name": "member", "qualify": 0}'), ('[1, 2]'), ('"member:0"'), ('[]'),
             ('[{"name": "member"}]'), ('[{"name": "member", "qualify": "0"}]'),
             ('[{"name": "member", "qualify": 0, "color": "red"}]'),
             ('[{"name": "my tier", "qualify": 0}]'),
             ('[{"name": "member", "qualify": 0}, {"name": "member", "qualify": 5}]'),
             ('[{"name": "member", "qualify": 0}, {"name": "silver", "qualify": 5, "keep": 6}]'),
             ('[{"name": "member", "qualify": 0, "keep": [1]}]')) v(j);

-- binary round trip through COPY
CREATE TABLE loyalty_ladders (id int, l cj_ladder);
INSERT INTO loyalty_ladders VALUES
  (1, 'member:0, silver:1000/800, gold:5000/4000'), (2, 'only:0'), (3, 'a:0, b:0.5/0.25');
\copy loyalty_ladders TO 'results/loyalty_ladders.bin' WITH (FORMAT binary)
CREATE TABLE loyalty_ladders2 (LIKE loyalty_ladders);
\copy loyalty_ladders2 FROM 'results/loyalty_ladders.bin' WITH (FORMAT binary)
SELECT a.id, a.l::text = b.l::text AS same FROM loyalty_ladders a JOIN loyalty_ladders2 b USING (id) ORDER BY id;

-- cj_tier at, just below and just above every threshold; exact decimals
CREATE TABLE loyalty_figures (q numeric);
INSERT INTO loyalty_figures VALUES (-1), (0), (999.994999), (999.995), (999.9999999), (1000),
  (1000.000001), (4999.99), (5000), (5000.01), (20000), (1e20), (-1e20);
SELECT q, cj_tier(l, q) AS tier, cj_tier_gap(l, q) AS gap,
       cj_tier_rank(l, cj_tier(l, q)) AS rank
FROM loyalty_figures, (SELECT 'member:0, silver:1000/800, gold:5000/4000, platinum:20000'::cj_ladder) x(l)
ORDER BY q;
SELECT cj_tier('member:0, vip:999.995', 999.995) AS at, cj_tier('member:0, vip:999.995', 999.9949999) AS below;
SELECT cj_tier('only:0', 123) AS one_tier, cj_tier_gap('only:0', 123) AS gap_at_top,
       cj_tier_rank('only:0', 'only') AS rank;
SELECT loyalty_err($$SELECT cj_tier('member:0, silver:10', 'NaN')$$) AS nan_figure,
       loyalty_err($$SELECT cj_tier('member:0, silver:10', 'Infinity')$$) AS inf_figure,
       loyalty_err($$SELECT cj_tier_rank('member:0, silver:10', 'gold')$$) AS unknown_tier,
       loyalty_err($$SELECT cj_tier_gap('member:0, silver:10', 'NaN')$$) AS gap_nan;
SELECT cj_tier(NULL, 5) IS NULL AS strict_null;

-- qualification windows: half-open dateranges
SELECT k, d, a, cj_qualification_window(k, d::date, a::date) AS w
FROM (VALUES ('calendar_year', '2024-06-15', NULL), ('calendar_year', '2024-01-01', NULL),
             ('calendar_year', '2024-12-31', NULL),
             ('anniversary', '2024-06-15', '2019-03-10'), ('anniversary', '2024-03-10', '2019-03-10'),
             ('anniversary', '2024-03-09', '2019-03-10'), ('anniversary', '2025-02-28', '2020-02-29'),
             ('anniversary', '2024-02-29', '2020-02-29'), ('anniversary', '2018-01-01', '2019-03-10'),
             ('rolling_12_months', '2024-06-15', NULL), ('rolling_12_months', '2024-02-29', NULL),
             ('rolling_3_months', '2024-05-31', NULL), ('rolling_1_months', '2024-03-31', NULL),
             ('rolling_24_months', '2024-06-15', NULL)) v(k, d, a)
ORDER BY k, d, a;
SELECT cj_qualification_window('calendar_year', '2024-06-15') @> '2024-12-31'::date AS contains_last_day,
       cj_qualification_window('rolling_12_months', '2024-06-15') @> '2024-06-15'::date AS contains_as_of;
SELECT k, loyalty_err(format('SELECT cj_qualification_window(%L, %L::date, %L::date)', k, d, a)) AS error
FROM (VALUES ('fiscal_year', '2024-01-01', NULL), ('rolling_0_months', '2024-01-01', NULL),
             ('rolling_1201_months', '2024-01-01', NULL), ('rolling_12_month', '2024-01-01', NULL),
             ('anniversary', '2024-01-01', NULL), ('calendar_year', 'infinity', NULL),
             ('anniversary', '2024-01-01', '-infinity')) v(k, d, a)
ORDER BY k, d;
SELECT cj_qualification_window(NULL, '2024-01-01') IS NULL AS null_kind;
