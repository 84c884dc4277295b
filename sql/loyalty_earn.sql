-- Earning rules: cj_earn_rule and cj_earn, exact at every threshold.
SELECT setseed(0.1919);

-- canonical text and round trip
SELECT r::cj_earn_rule AS canonical, r::cj_earn_rule::text::cj_earn_rule::text = r::cj_earn_rule::text AS round_trip
  FROM (VALUES ('1 per 1.00; silver x1.25; gold x1.5; cap 5000; min 10.00; round floor'),
               ('  2.5 per 3 ;gold x2;round half_even'),
               ('1 per 1'),
               ('0.000001 per 9223372036854.775807; round nearest'),
               ('10 per 1; min 0; round floor'),
               ('1 per 1; a x0.000001; b_2 x1000000; cap 0.5')) v(r);
-- binary round trip
SELECT cj_earn_rule_recv_ok FROM (
  SELECT r::cj_earn_rule::text = (SELECT cj_earn_rule_in(cj_earn_rule_out(r::cj_earn_rule)))::text AS cj_earn_rule_recv_ok
    FROM (VALUES ('1 per 1.00; silver x1.25; gold x1.5; cap 5000; min 10.00; round floor')) v(r)) s;

-- an independent model in numeric: N = amount * rate * multiplier, points =
-- N / per rounded to an integer (floor: div; nearest: half away from zero;
-- half_even: ties to even), 0 below min, at most cap
CREATE FUNCTION loyalty_earn_model(amount numeric, rate numeric, per numeric, mult numeric,
                                   cap numeric, mn numeric, mode text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE n numeric := amount * rate * mult; q numeric; r numeric;
BEGIN
  IF amount < mn THEN RETURN 0; END IF;
  q := div(n, per); r := n - q * per;
  IF mode = 'nearest' AND 2 * r >= per THEN q := q + 1; END IF;
  IF mode = 'half_even' AND (2 * r > per OR (2 * r = per AND mod(q, 2) = 1)) THEN q := q + 1; END IF;
  RETURN CASE WHEN cap IS NOT NULL AND q > cap THEN cap ELSE q END;
END $$;

-- at, just below and just above every threshold (min spend, the cap of each
-- tier, halves of a point) for every rounding mode
CREATE TABLE loyalty_earn_grid AS
SELECT m AS mode, t AS tier, a AS amount,
       cj_earn(a, ('1 per 1.00; silver x1.25; gold x1.5; cap 5000; min 10.00; round ' || m)::cj_earn_rule, t) AS points,
       loyalty_earn_model(a, 1, 1, CASE t WHEN 'silver' THEN 1.25 WHEN 'gold' THEN 1.5 ELSE 1 END, 5000, 10, m) AS model
  FROM unnest(ARRAY['floor', 'nearest', 'half_even']) m,
       unnest(ARRAY['member', 'silver', 'gold', NULL]) t,
       unnest(ARRAY[0, 9.99, 9.999999, 10, 10.000001, 10.01,
                    10.4, 10.5, 10.499999, 10.500001, 11.5, 12.5,   -- halves at x1
                    10.2, 10.4, 10.6, 10.8, 11.0,                   -- quarters at x1.25
                    11, 11.666666, 11.666667, 13, 13.000001,        -- halves at x1.5
                    3333.333333, 3333.333334, 3333.34,              -- gold's cap
                    3999.999999, 4000, 4000.4, 4000.400001,         -- silver's cap
                    4999.5, 4999.499999, 5000, 5000.000001, 5000.5, 5001,
                    1e9, 9223372036854.775807]::numeric[]) a;   -- the largest amount: capped
SELECT count(*) AS cases, count(*) FILTER (WHERE points = model) AS agree FROM loyalty_earn_grid;
SELECT mode, tier, amount, points FROM loyalty_earn_grid
 WHERE amount IN (9.999999, 10, 10.5, 10.499999, 12.5, 10.8, 11.666667, 3333.333333, 3333.333334, 4000.4, 4000.400001)
   AND tier IS DISTINCT FROM 'member'
 ORDER BY mode, tier NULLS FIRST, amount;

-- random amounts and rules, including rates whose division does not end
CREATE TABLE loyalty_earn_rnd AS
SELECT g, round((random() * 10000)::numeric, (random() * 6)::int) AS amount,
       (ARRAY[1, 2.5, 0.333333, 7, 100])[1 + (g % 5)]::numeric AS rate,
       (ARRAY[1, 3, 0.07, 12.5, 1000])[1 + (g / 5 % 5)]::numeric AS per,
       (ARRAY[1.25, 1.5, 2, 0.333333, 1.1])[1 + (g / 25 % 5)]::numeric AS mult,
       (ARRAY[NULL, 5000, 12.5, 100])[1 + (g / 125 % 4)]::numeric AS cap,
       (ARRAY[0, 10, 99.99])[1 + (g / 500 % 3)]::numeric AS mn,
       (ARRAY['floor', 'nearest', 'half_even'])[1 + (g / 1500 % 3)] AS mode
  FROM generate_series(0, 8999) g;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE cj_earn(amount, rule, 't') = loyalty_earn_model(amount, rate, per, mult, cap, mn, mode)) AS agree,
       count(*) FILTER (WHERE cj_earn(amount, rule, 'other') = loyalty_earn_model(amount, rate, per, 1, cap, mn, mode)) AS agree_base
  FROM (SELECT *, (rate || ' per ' || per || '; t x' || mult || coalesce('; cap ' || cap, '') || '; min ' || mn
                   || '; round ' || mode)::cj_earn_rule AS rule FROM loyalty_earn_rnd) s;
-- numerics of every stored form (short and long headers, negative weights,
-- trailing zeros) read exactly: 1 point per 0.000001 returns the amount in millionths
SELECT v, cj_earn(v, '1 per 0.000001', NULL) = v * 1000000 AS exact
  FROM (VALUES (0::numeric), (0.000001), (0.0001), (0.01), (1), (9999), (10000), (10000.000001),
               (1234567.123456), (9223372.036854), (1.500000000), (1000000), (0.000100), (-0.0),
               (('1.' || repeat('0', 70))::numeric), (('123.000001' || repeat('0', 70))::numeric)) v(v);  -- long headers
-- the numbers of a table (short varlena headers) as well as of a query
CREATE TABLE loyalty_earn_amounts (a numeric);
INSERT INTO loyalty_earn_amounts SELECT round((random() * 1e6)::numeric, 6) FROM generate_series(1, 2000);
SELECT count(*) FILTER (WHERE cj_earn(a, '1 per 0.000001') = a * 1000000) AS exact, count(*) FROM loyalty_earn_amounts;

-- errors
CREATE FUNCTION loyalty_earn_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' | ' || nullif(d, ''), '');
END $$;
SELECT q, loyalty_earn_err(q) FROM (VALUES
  ($$SELECT ''::cj_earn_rule$$),
  ($$SELECT '1'::cj_earn_rule$$),
  ($$SELECT '1 per'::cj_earn_rule$$),
  ($$SELECT '0 per 1'::cj_earn_rule$$),
  ($$SELECT '1 per 0'::cj_earn_rule$$),
  ($$SELECT '-1 per 1'::cj_earn_rule$$),
  ($$SELECT '1 per 1; gold x0'::cj_earn_rule$$),
  ($$SELECT '1 per 1; gold x-1'::cj_earn_rule$$),
  ($$SELECT '1 per 1; gold 1.5'::cj_earn_rule$$),
  ($$SELECT '1 per 1; gold x1.5; gold x2'::cj_earn_rule$$),
  ($$SELECT '1 per 1; cap 0'::cj_earn_rule$$),
  ($$SELECT '1 per 1; cap 5; cap 6'::cj_earn_rule$$),
  ($$SELECT '1 per 1; min -1'::cj_earn_rule$$),
  ($$SELECT '1 per 1; round up'::cj_earn_rule$$),
  ($$SELECT '1 per 1; round floor; round nearest'::cj_earn_rule$$),
  ($$SELECT '1 per 1.0000001'::cj_earn_rule$$),
  ($$SELECT '1 per 99999999999999'::cj_earn_rule$$),
  ($$SELECT '1 per 1;'::cj_earn_rule$$),
  ($$SELECT '1 per 1, gold x2'::cj_earn_rule$$),
  ($$SELECT '1e3 per 1'::cj_earn_rule$$),
  ($$SELECT cj_earn(-1, '1 per 1', NULL)$$),
  ($$SELECT cj_earn(1.0000001, '1 per 1', NULL)$$),
  ($$SELECT cj_earn('NaN', '1 per 1', NULL)$$),
  ($$SELECT cj_earn('Infinity', '1 per 1', NULL)$$),
  ($$SELECT cj_earn(1e13, '1 per 1', NULL)$$),
  ($$SELECT cj_earn(9223372036854, '1000 per 1', NULL)$$),
  ($$SELECT cj_earn(9223372036854, '1000000 per 0.000001; a x1000000', 'a')$$)
) v(q);
SELECT cj_earn(9223372036854.775807, '1000000 per 0.000001; a x1000000; cap 7', 'a') AS huge_but_capped;
-- NULL amount or rule: NULL; NULL tier: the base rate
SELECT cj_earn(NULL, '1 per 1'), cj_earn(10, NULL), cj_earn(10, '1 per 1; gold x2', NULL);
