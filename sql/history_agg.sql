-- cj_history_agg and the accessors: same-day purchases, NULLs, overloads,
-- merges, bad input.
SET timezone = 'UTC';

-- run a statement, report ok or its SQLSTATE, message and detail
CREATE FUNCTION history_agg_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; det text;
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		det = PG_EXCEPTION_DETAIL;
	RETURN st || ': ' || msg || coalesce(' / ' || nullif(det, ''), '');
END $$;

CREATE TABLE history_agg_tx (cust int, at timestamptz, amount numeric);
INSERT INTO history_agg_tx VALUES
	(1, '2024-03-01 09:00+00', 10.00),
	(1, '2024-03-01 23:59:59.999999+00', 5.25),	-- same UTC day
	(1, '2024-03-02 00:00+00', 7.00),			-- next UTC day
	(1, '2024-03-20 12:00+00', 3.10),
	(1, '2024-02-28 08:00+00', 2.00),			-- out of order, new first day
	(1, NULL, 99),								-- skipped
	(1, '2024-04-01', NULL),					-- skipped
	(2, '2024-05-05 05:05+00', 1.234567),
	(2, '2024-05-05 06:05+00', 0.0000005),		-- rounds to 0.000001
	(3, NULL, 1),
	(4, '2024-01-01', 0);

-- the state: first/last instants, distinct UTC days, total and first-day spend
SELECT cust, cj_history_agg(at, amount) FROM history_agg_tx GROUP BY cust ORDER BY cust;

SELECT cust, cj_purchase_days(h), cj_frequency(h), cj_recency(h),
	   cj_recency(h, '1 day'), cj_age(h, '2024-06-01'::timestamptz),
	   cj_age(h, '2024-06-01'::date, '1 day'), cj_monetary(h),
	   cj_total_spend(h), cj_first_day_spend(h),
	   cj_first_purchase(h), cj_last_purchase(h)
FROM (SELECT cust, cj_history_agg(at, amount) h FROM history_agg_tx GROUP BY cust) s
WHERE h IS NOT NULL ORDER BY cust;

-- customer 1: repeat days 03-01 (15.25), 03-02 (7), 03-20 (3.10): m = 25.35/3
SELECT cj_monetary(h) = 25.35::float8 / 3 AS m_ok, cj_history_jsonb(h)
FROM (SELECT cj_history_agg(at, amount) h FROM history_agg_tx WHERE cust = 1) s;

-- no rows, or only NULL rows: NULL
SELECT cj_history_agg(at, amount) IS NULL AS empty_is_null FROM history_agg_tx WHERE false;
SELECT cj_history_agg(at, amount) IS NULL AS nulls_is_null FROM history_agg_tx WHERE cust = 3;

-- the float8 overload gives the same history for amounts exact in millionths
SELECT cust, cj_history_agg(at, amount::float8)::text = cj_history_agg(at, amount)::text AS same
FROM history_agg_tx GROUP BY cust ORDER BY cust;

-- the date overload uses the caller's calendar day: 23:30 in New York on
-- 2024-03-01 is 2024-03-02 in UTC
SELECT cj_history_agg(at, 1.0) AS utc_days,
	   cj_history_agg((at AT TIME ZONE 'America/New_York')::date, 1.0) AS local_days
FROM (VALUES ('2024-03-01 23:30-05'::timestamptz), ('2024-03-01 10:00-05')) v(at);
SELECT cj_frequency(cj_history_agg(d, 2.5::float8)), cj_total_spend(cj_history_agg(d, 2.5::float8))
FROM (VALUES ('2024-01-01'::date), ('2024-01-01'), ('2024-01-03')) v(d);

-- as a window aggregate (running history per customer)
SELECT cust, at, cj_purchase_days(cj_history_agg(at, amount) OVER w),
	   cj_total_spend(cj_history_agg(at, amount) OVER w)
FROM history_agg_tx WHERE cust = 1 AND at IS NOT NULL AND amount IS NOT NULL
WINDOW w AS (PARTITION BY cust ORDER BY at) ORDER BY at;

-- merges of consecutive and of overlapping periods equal aggregating all rows
CREATE TABLE history_agg_big AS
SELECT (i % 50) AS cust,
	   '2023-01-01'::timestamptz + ((i * 7919) % 400) * interval '1 day'
		 + ((i * 104729) % 86400) * interval '1 second' AS at,
	   round(((i * 31) % 10000) / 100.0, 2) AS amount
FROM generate_series(1, 20000) i;
WITH allrows AS (SELECT cust, cj_history_agg(at, amount) h FROM history_agg_big GROUP BY cust),
	 p1 AS (SELECT cust, cj_history_agg(at, amount) h FROM history_agg_big WHERE at < '2023-06-15 13:00' GROUP BY cust),
	 p2 AS (SELECT cust, cj_history_agg(at, amount) h FROM history_agg_big WHERE at >= '2023-06-15 13:00' GROUP BY cust),
	 odd AS (SELECT cust, cj_history_agg(at, amount) h FROM history_agg_big WHERE amount::int % 2 = 1 GROUP BY cust),
	 even AS (SELECT cust, cj_history_agg(at, amount) h FROM history_agg_big WHERE amount::int % 2 = 0 GROUP BY cust)
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE cj_history_merge(p1.h, p2.h)::text = a.h::text) AS consecutive_equal,
	   count(*) FILTER (WHERE cj_history_merge(p2.h, p1.h)::text = a.h::text) AS reversed_equal,
	   count(*) FILTER (WHERE cj_history_merge(odd.h, even.h)::text = a.h::text) AS overlapping_equal,
	   count(*) FILTER (WHERE cj_purchase_days(odd.h) + cj_purchase_days(even.h)
						 > cj_purchase_days(a.h)) AS shared_days
FROM allrows a JOIN p1 USING (cust) JOIN p2 USING (cust) JOIN odd USING (cust) JOIN even USING (cust);
-- NULL is the empty history
SELECT cj_history_merge(NULL, h)::text = h::text AS left_null,
	   cj_history_merge(h, NULL)::text = h::text AS right_null,
	   cj_history_merge(NULL::cj_history, NULL) IS NULL AS both_null
FROM (SELECT cj_history_agg(at, amount) h FROM history_agg_big WHERE cust = 7) s;

-- bad input: each is an error with the right SQLSTATE and a detail
SELECT stmt, history_agg_try(stmt) FROM (VALUES
	($$SELECT cj_history_agg(now(), 'NaN'::numeric)$$),
	($$SELECT cj_history_agg(now(), 'Infinity'::numeric)$$),
	($$SELECT cj_history_agg(now(), -0.01::numeric)$$),
	($$SELECT cj_history_agg(now(), 'NaN'::float8)$$),
	($$SELECT cj_history_agg(now(), '-Infinity'::float8)$$),
	($$SELECT cj_history_agg(now(), -1::float8)$$),
	($$SELECT cj_history_agg(now(), 1e300::float8)$$),
	($$SELECT cj_history_agg('infinity'::timestamptz, 1.0)$$),
	($$SELECT cj_history_agg('-infinity'::date, 1.0)$$),
	($$SELECT cj_history_agg('5000000-01-01'::date, 1.0)$$),
	($$SELECT cj_history_agg(now(), a) FROM (VALUES (9e12), (9e12)) v(a)$$),
	($$SELECT cj_history_agg(now(), 1e13::numeric)$$),
	($$SELECT cj_age(cj_history_agg('2024-03-01'::date, 1.0), '2024-02-29'::date)$$),
	($$SELECT cj_age(cj_history_agg('2024-03-01'::date, 1.0), '2024-02-29 23:00+00'::timestamptz)$$),
	($$SELECT cj_age(cj_history_agg('2024-03-01'::date, 1.0), 'infinity'::timestamptz)$$),
	($$SELECT cj_age(cj_history_agg('2024-03-01'::date, 1.0), 'infinity'::date)$$),
	($$SELECT cj_recency(cj_history_agg('2024-03-01'::date, 1.0), '1 month')$$),
	($$SELECT cj_recency(cj_history_agg('2024-03-01'::date, 1.0), '0 days')$$),
	($$SELECT cj_age(cj_history_agg('2024-03-01'::date, 1.0), '2024-03-02'::date, '-1 day')$$),
	($$SELECT cj_history_merge(h, h) FROM (SELECT cj_history_agg(now(), 9e12) h) s$$),
	($$SELECT cj_history_trans_ts_numeric(NULL, now(), 1.0)$$),
	($$SELECT cj_history_combine(NULL, NULL)$$)
) v(stmt);
-- accessors are strict: a customer without purchases has NULL everywhere
SELECT cj_frequency(NULL) IS NULL AS f, cj_recency(NULL) IS NULL AS r,
	   cj_age(NULL, now()) IS NULL AS a, cj_monetary(NULL) IS NULL AS m,
	   cj_total_spend(NULL) IS NULL AS s, cj_first_purchase(NULL) IS NULL AS fp,
	   cj_history_jsonb(NULL) IS NULL AS j;
-- the final function on its own returns the value unchanged
SELECT cj_history_final(h)::text = h::text AS final_copy
FROM (SELECT cj_history_agg(at, amount) h FROM history_agg_tx WHERE cust = 1) s;
-- as_of on the first purchase day is fine (T = 0), even before its time
SELECT cj_age(cj_history_agg('2024-03-01 18:00+00'::timestamptz, 1.0), '2024-03-01 06:00+00'::timestamptz);

-- the cap on distinct days (CJ_HISTORY_MAX_DAYS = 1,000,000): 54000
SELECT history_agg_try($$SELECT cj_history_agg('1000-01-01'::date + i, 0.0)
						FROM generate_series(0, 1000000) i$$);

-- the initial room of a state follows the plan (4 days where a hash
-- aggregate expects few rows per group, 20 otherwise); results do not
-- depend on it.  Most customers buy once or twice, every hundredth on 60
-- days, so small states grow several times.
CREATE TEMP TABLE history_cap_tx AS
SELECT c AS cust, date '2024-01-01' + (c * 7 + i * 13) % 400 AS day,
	   (i % 5)::numeric AS amount
FROM generate_series(1, 3000) c,
	 generate_series(1, CASE WHEN c % 100 = 0 THEN 60 ELSE 1 + c % 2 END) i;
ANALYZE history_cap_tx;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT cust, cj_history_agg(day, amount) FROM history_cap_tx GROUP BY cust;
CREATE TEMP TABLE history_cap_hash AS
SELECT cust, cj_history_agg(day, amount)::text AS h FROM history_cap_tx GROUP BY cust;
RESET enable_sort;
SET enable_hashagg = off;
CREATE TEMP TABLE history_cap_sort AS
SELECT cust, cj_history_agg(day, amount)::text AS h FROM history_cap_tx GROUP BY cust;
RESET enable_hashagg;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE s.h IS DISTINCT FROM g.h) AS differ,
	   sum(cj_purchase_days(s.h::cj_history)) AS days,
	   max(cj_purchase_days(s.h::cj_history)) AS most_days
FROM history_cap_sort s JOIN history_cap_hash g USING (cust);
