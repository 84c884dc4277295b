-- Values out of the range of the result type are errors (22003), never
-- wrapped or clamped dates; type I/O of the state types moved to the core.
SET extra_float_digits = 0;
CREATE FUNCTION relp_err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' | ' || nullif(d, ''), '');
END $$;

-- qualification windows at the edges of type date: in range they are
-- returned and read back; one day further they are 22003
SELECT k, d, a, w, w::text::daterange = w AS reads_back
FROM (VALUES ('calendar_year', '5874896-06-01', NULL),
             ('calendar_year', '4712-06-01 BC', NULL),
             ('rolling_12_months', '5874897-12-30', NULL),
             ('rolling_1_months', '4713-12-24 BC', NULL),
             ('anniversary', '5874896-12-31', '2000-01-01'),
             ('anniversary', '4713-12-01 BC', '4713-11-24 BC')) v(k, d, a),
     LATERAL cj_qualification_window(k, d::date, a::date) w
ORDER BY k, d;
SELECT k, d, a, relp_err(format('SELECT cj_qualification_window(%L, %L::date, %L::date)', k, d, a)) AS error
FROM (VALUES ('calendar_year', '5874897-06-01', NULL),
             ('calendar_year', '4713-12-01 BC', NULL),
             ('rolling_12_months', '5874897-12-31', NULL),
             ('rolling_12_months', '4713-12-01 BC', NULL),
             ('rolling_1200_months', '4700-01-01 BC', NULL),
             ('anniversary', '5874897-12-31', '2000-01-01'),
             ('anniversary', '4713-11-30 BC', '2000-12-01')) v(k, d, a)
ORDER BY k, d;

-- tracking rows whose period bounds pass the range of timestamptz
SELECT relp_err($$SELECT * FROM cj_tracking_rows('start=4611686018427387904 length=4611686018427387903 customers=1 {0.5}')$$) AS past_end;
SELECT relp_err($$SELECT * FROM cj_tracking_rows('start=-4611686018427387904 length=86400000000 customers=1 {0.5}')$$) AS before_start;
SELECT period, period_start, period_end
FROM cj_tracking_rows($$start=4611686018427387904 length=86400000000 customers=1 {0.5,1}$$);

-- value-based due times whose target does not fit in microseconds
SELECT relp_err($$SELECT cj_due('2024-01-01', 0, '2000000000 days', '0', '0')$$) AS huge_target;
SELECT relp_err($$SELECT cj_stale_cutoff('2000000000 days')$$) AS huge_timeout;
