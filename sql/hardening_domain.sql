-- Output domain = input domain: every value a function returns reads back
-- through its type's input; a result that cannot be represented is an
-- error 22003 (numeric value out of range) from the function itself,
-- never a value its own type rejects or a wrapped count.
-- Each case prints the SQLSTATE of producing the value and reading its
-- text back ('ok' when both work).
SET timezone = 'UTC';
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- cj_wait_stats: the mean of waits adding up to the int64 limit (it used to
-- come out negative: the rounding overflowed).  The aggregate now refuses
-- waits of 2^39 ms and more (its histogram's range), so the state of two
-- such waits comes as INITCOND, as a state stored by an earlier version
CREATE AGGREGATE pg_temp.ws(interval) (sfunc = cj_wait_stats_trans, stype = cj_wait_state,
                                       finalfunc = cj_wait_stats_final,
                                       initcond = 'ws n=2 sum=9223372036854775807 min=4611686018427387903 max=4611686018427387904 buckets=1119:2');
SELECT (pg_temp.ws(w)).mean, (pg_temp.ws(w)).mean > interval '0' AS positive
FROM (VALUES (NULL::interval)) v(w);
-- the histogram's last wait and the first it refuses (22003)
SELECT (cj_wait_stats(w)).max FROM (VALUES (interval '549755813887999 microseconds')) v(w);
SELECT pg_temp.try($$SELECT cj_wait_stats(interval '549755813888000 microseconds')$$) AS past_histogram;
-- a count at the int64 limit given as INITCOND: 22003, not a negative count
CREATE AGGREGATE pg_temp.sl(interval, interval) (sfunc = cj_service_level_trans, stype = cj_wait_state,
                                                 initcond = 'sl n=9223372036854775807 within=0');
SELECT pg_temp.try($$SELECT pg_temp.sl('1 s', '2 s')::text::cj_wait_state$$) AS service_level_count;

-- cj_fit_state: a tuple weight past 2^53 cannot be written exactly (the
-- input takes weights up to 2^53)
CREATE AGGREGATE pg_temp.fs(float8, float8, float8, int8) (sfunc = cj_fit_state_add3w,
                                                           stype = cj_fit_state, initcond = 'bgnbd{}');
SELECT pg_temp.fs(1, 1, 5, w)::text FROM (VALUES (9007199254740991::int8), (1)) v(w);
-- (2^53 + 1 rounds back to 2^53 in a double: refused, not silently lost)
SELECT pg_temp.try($$SELECT pg_temp.fs(1, 1, 5, w)::text::cj_fit_state
                     FROM (VALUES (9007199254740992::int8), (1)) v(w)$$) AS plus_one,
       pg_temp.try($$SELECT 'bgnbd{(1,1,5):9007199254740992,(1,1,5):1}'::cj_fit_state$$) AS input_plus_one;
SELECT pg_temp.try($$SELECT pg_temp.fs(1, 1, 5, w)::text::cj_fit_state
                     FROM (VALUES (9007199254740992::int8), (2)) v(w)$$) AS merged_weights,
       pg_temp.try($$SELECT pg_temp.fs(1, 1, 5, 1152921504606846976)::text::cj_fit_state$$) AS one_weight,
       pg_temp.try($$SELECT cj_fit_bgnbd(1, 1, 5, 1152921504606846976)$$) AS fit,
       pg_temp.try($$SELECT 'bgnbd{(1,1,5):9007199254740992,(1,1,5):2}'::cj_fit_state$$) AS input_duplicates;
CREATE AGGREGATE pg_temp.fc(cj_fit_state) (sfunc = cj_fit_state_combine, stype = cj_fit_state);
SELECT pg_temp.try($$SELECT pg_temp.fc(s)::text::cj_fit_state
                     FROM (VALUES ('bgnbd{(1,1,5):9007199254740992}'::cj_fit_state),
                                  ('bgnbd{(1,1,5):2}')) v(s)$$) AS combined;

-- cj_attribution: more channels than a cj_credits value holds (10,000)
SELECT pg_temp.try($$SELECT cj_attribution('c' || i, '2020-01-01', '2020-01-02', 'linear')::text::cj_credits
                     FROM generate_series(1, 10001) i$$) AS attribution_10001_channels;
SELECT cj_credits_each(cj_attribution('c' || i, '2020-01-01', '2020-01-02', 'linear')) IS NOT NULL AS ok_10000
FROM generate_series(1, 10000) i LIMIT 1;

-- cj_holdout_check: totals past the float8 range and counts past int64
CREATE TABLE hd_model AS SELECT 'bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model AS m;
SELECT pg_temp.try($$SELECT cj_holdout_check(m, 1, 1, 5, 39, 1e308)::text::cj_holdout
                     FROM hd_model, generate_series(1, 2)$$) AS holdout_sum;
CREATE AGGREGATE pg_temp.hc(cj_holdout) (sfunc = cj_holdout_combine, stype = cj_holdout);
SELECT pg_temp.try($$SELECT pg_temp.hc(h)::text::cj_holdout
                     FROM (VALUES ('0:1/1e308/0 1+:0/0/0'::cj_holdout), ('0:1/1e308/0 1+:0/0/0')) v(h)$$) AS combined_sum,
       pg_temp.try($$SELECT pg_temp.hc(h)::text::cj_holdout
                     FROM (VALUES ('0:9223372036854775807/0/0 1+:0/0/0'::cj_holdout), ('0:1/0/0 1+:0/0/0')) v(h)$$) AS combined_count,
       pg_temp.try($$SELECT r.* FROM cj_holdout_rows('0:9223372036854775807/0/0 1+:1/0/0') r$$) AS rows_total;
CREATE AGGREGATE pg_temp.ho(cj_model, float8, float8, float8, float8, float8) (sfunc = cj_holdout_add,
    stype = cj_holdout, initcond = '0:0/0/0 1:9223372036854775807/0/0 2:0/0/0 3:0/0/0 4:0/0/0 5:0/0/0 6:0/0/0 7+:0/0/0');
SELECT pg_temp.try($$SELECT pg_temp.ho(m, 1, 1, 5, 39, 1)::text::cj_holdout FROM hd_model$$) AS transition_count;

-- cj_tracking: the same for its series and customer count
CREATE AGGREGATE pg_temp.tc(cj_tracking) (sfunc = cj_tracking_combine, stype = cj_tracking);
SELECT pg_temp.try($$SELECT pg_temp.tc(t)::text::cj_tracking
                     FROM (VALUES ('start=0 length=1000000 customers=1 {1e308}'::cj_tracking),
                                  ('start=0 length=1000000 customers=1 {1e308}')) v(t)$$) AS combined_sum,
       pg_temp.try($$SELECT pg_temp.tc(t)::text::cj_tracking
                     FROM (VALUES ('start=0 length=1000000 customers=9223372036854775807 {1}'::cj_tracking),
                                  ('start=0 length=1000000 customers=1 {1}')) v(t)$$) AS combined_count;
CREATE AGGREGATE pg_temp.tr(cj_model, timestamptz, timestamptz, interval, int4) (sfunc = cj_tracking_add,
    stype = cj_tracking, initcond = 'start=0 length=604800000000 customers=9223372036854775807 {1}');
SELECT pg_temp.try($$SELECT pg_temp.tr(m, '2000-01-01', '2000-01-01', '7 days', 1)::text::cj_tracking
                     FROM hd_model$$) AS transition_count;

-- the low-order parts written after the totals read back exactly
SELECT h::text, h::text::cj_holdout::text = h::text AS round_trip
FROM (SELECT cj_holdout_check(m, x, least(x, 1), 5, 39, v) AS h
      FROM hd_model, (VALUES (0, 0.1), (1, 0.2), (1, 0.3), (2, 1e-17), (2, 1.0)) d(x, v)) s;
SELECT '0:1/1-1e-30/0 1+:0/0/0'::cj_holdout AS below_half_ulp_reads;
SELECT pg_temp.try($$SELECT '0:1/1+0.5/0 1+:0/0/0'::cj_holdout$$) AS unnormalised_low_part,
       pg_temp.try($$SELECT '0:0/0+1e-300/0 1+:0/0/0'::cj_holdout$$) AS low_part_without_customers,
       pg_temp.try($$SELECT 'start=0 length=1 customers=1 {1+1}'::cj_tracking$$) AS tracking_unnormalised;

-- cj_points_ledger: a ledger whose replay would take a total past the
-- range of millionths is refused where it is made (22003), by the
-- aggregate and both input functions, instead of failing in every reader
SELECT pg_temp.try($$SELECT cj_points_ledger('earn', p, t, NULL)::text::cj_points_ledger
                     FROM (VALUES (9223372033208.170412, '2020-01-01'::timestamptz),
                                  (9223372033208.170412, '2020-01-02')) v(p, t)$$) AS available_past_range,
       pg_temp.try($$SELECT cj_points_ledger(k, p, t, NULL)
                     FROM (VALUES ('earn', 9000000000000, '2020-01-01'::timestamptz), ('redeem', 9000000000000, '2020-01-02'),
                                  ('earn', 9000000000000, '2020-01-03'), ('redeem', 9000000000000, '2020-01-04')) v(k, p, t)$$) AS redeemed_past_range,
       pg_temp.try($$SELECT 'earn 9223372033208.170412 at 2020-01-01T00:00:00Z; earn 9223372033208.170412 at 2020-01-02T00:00:00Z'::cj_points_ledger$$) AS text_input;
-- credits that add up past the range but never at once replay, and read back
SELECT l::text::cj_points_ledger::text = l::text AS round_trip, (cj_points_balance(l, '2030-01-01')).*
FROM (SELECT cj_points_ledger(k, p, t, NULL) AS l
      FROM (VALUES ('earn', 9000000000000, '2020-01-01'::timestamptz), ('redeem', 9000000000000, '2020-01-02'),
                   ('earn', 9000000000000, '2020-01-03')) v(k, p, t)) s;

DROP TABLE hd_model;
