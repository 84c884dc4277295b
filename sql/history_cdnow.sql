-- CDNOW acceptance: rebuild x, t_x, T and the mean repeat spend of all
-- 2,357 customers of the CDNOW sample as of 1997-09-30 in weeks, and
-- compare with the published summary (two decimals: 0.005 tolerance).
SET timezone = 'UTC';

-- whitespace-separated, no header: master_id sample_id yyyymmdd cds dollars
CREATE TABLE history_cdnow_raw (line text);
\copy history_cdnow_raw FROM 'test/data/CDNOW_sample.txt'
CREATE TABLE history_cdnow AS
SELECT f[2]::int AS customer, to_date(f[3], 'YYYYMMDD') AS day,
	   f[4]::int AS cds, f[5]::numeric AS dollars
FROM (SELECT regexp_split_to_array(btrim(line), '\s+') f FROM history_cdnow_raw) s;
SELECT count(*) AS transactions, count(DISTINCT customer) AS customers,
	   min(day), max(day) FROM history_cdnow;

CREATE TABLE history_cdnow_ref (id int, x int, t_x numeric, big_t numeric, zbar numeric);
\copy history_cdnow_ref FROM 'test/data/cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER true)

-- calibration period: purchases on or before 1997-09-30
CREATE TABLE history_cdnow_h AS
SELECT customer,
	   cj_history_agg(day, dollars) FILTER (WHERE day <= '1997-09-30') AS h,
	   cj_history_agg(day + interval '13 hours', dollars::float8)
		 FILTER (WHERE day <= '1997-09-30') AS h_ts
FROM history_cdnow GROUP BY customer;

-- every customer matches: x exactly, t_x and T within 0.005 weeks, m within $0.005
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE cj_frequency(h) <> r.x) AS x_mismatch,
	   count(*) FILTER (WHERE abs(cj_recency(h) - r.t_x) > 0.005 + 1e-9) AS t_x_mismatch,
	   count(*) FILTER (WHERE abs(cj_age(h, '1997-09-30'::date) - r.big_t) > 0.005 + 1e-9) AS t_mismatch,
	   count(*) FILTER (WHERE abs(cj_monetary(h) - r.zbar) > 0.005 + 1e-9) AS m_mismatch,
	   count(*) FILTER (WHERE r.id IS NULL OR h IS NULL) AS missing
FROM history_cdnow_h FULL JOIN history_cdnow_ref r ON r.id = customer;

-- the timestamptz/float8 overload (13:00 UTC purchases, as_of 1997-09-30
-- 23:59 UTC) gives the same numbers
SELECT count(*) FILTER (WHERE cj_frequency(h_ts) = cj_frequency(h)
		AND cj_recency(h_ts) = cj_recency(h)
		AND cj_age(h_ts, '1997-09-30 23:59:59+00'::timestamptz) = cj_age(h, '1997-09-30'::date)
		AND cj_monetary(h_ts) = cj_monetary(h)) AS same_as_date_overload
FROM history_cdnow_h;

-- a few customers, exactly
SELECT customer, cj_frequency(h) AS x, round(cj_recency(h)::numeric, 4) AS t_x,
	   round(cj_age(h, '1997-09-30'::date)::numeric, 4) AS "T",
	   round(cj_monetary(h)::numeric, 4) AS m, cj_total_spend(h) AS spend,
	   r.x AS ref_x, r.t_x AS ref_t_x, r.big_t AS "ref_T", r.zbar AS ref_m
FROM history_cdnow_h JOIN history_cdnow_ref r ON r.id = customer
WHERE customer IN (1, 2, 3, 18, 70, 1000, 2357) ORDER BY customer;

-- the most frequent calibration buyers
SELECT customer, h FROM history_cdnow_h
ORDER BY cj_frequency(h) DESC, customer LIMIT 3;

-- population summary as in the BTYD literature (Fader, Hardie, Lee 2005)
SELECT count(*) AS customers, count(*) FILTER (WHERE cj_frequency(h) > 0) AS repeaters,
	   sum(cj_frequency(h)) AS repeat_days,
	   round(avg(cj_monetary(h)) FILTER (WHERE cj_frequency(h) > 0)::numeric, 4) AS mean_m
FROM history_cdnow_h;
