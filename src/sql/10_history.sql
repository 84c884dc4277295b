
-- ---------------------------------------------------------------------------
-- Purchase histories (DESIGN 3.1): the cj_history type, its aggregate and
-- the BTYD accessors.
-- ---------------------------------------------------------------------------

CREATE TYPE cj_history;

CREATE FUNCTION cj_history_in(cstring) RETURNS cj_history
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cj_history_out(cj_history) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cj_history_recv(internal) RETURNS cj_history
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION cj_history_send(cj_history) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_history (
	INPUT = cj_history_in,
	OUTPUT = cj_history_out,
	RECEIVE = cj_history_recv,
	SEND = cj_history_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE cj_history IS
'one customer''s purchase history: first and last purchase, distinct purchase days, total and first-day spend';
COMMENT ON FUNCTION cj_history_in(cstring) IS 'text input of cj_history';
COMMENT ON FUNCTION cj_history_out(cj_history) IS 'text output of cj_history';
COMMENT ON FUNCTION cj_history_recv(internal) IS 'binary input of cj_history (validates everything)';
COMMENT ON FUNCTION cj_history_send(cj_history) IS 'binary output of cj_history';

-- merge: NULL stands for "no purchases", so it is not STRICT
CREATE FUNCTION cj_history_merge(a cj_history, b cj_history) RETURNS cj_history
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_history_merge(cj_history, cj_history) IS
'history of the union of two disjoint sets of one customer''s purchases (e.g. two periods); NULL is the empty history';

-- aggregate support
CREATE FUNCTION cj_history_trans_ts_numeric(cj_history, timestamptz, numeric)
RETURNS cj_history AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_history_trans_ts_float8(cj_history, timestamptz, float8)
RETURNS cj_history AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_history_trans_date_numeric(cj_history, date, numeric)
RETURNS cj_history AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_history_trans_date_float8(cj_history, date, float8)
RETURNS cj_history AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_history_combine(cj_history, cj_history)
RETURNS cj_history AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_history_final(cj_history)
RETURNS cj_history AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION cj_history_trans_ts_numeric(cj_history, timestamptz, numeric) IS
'transition function of cj_history_agg(timestamptz, numeric)';
COMMENT ON FUNCTION cj_history_trans_ts_float8(cj_history, timestamptz, float8) IS
'transition function of cj_history_agg(timestamptz, float8)';
COMMENT ON FUNCTION cj_history_trans_date_numeric(cj_history, date, numeric) IS
'transition function of cj_history_agg(date, numeric)';
COMMENT ON FUNCTION cj_history_trans_date_float8(cj_history, date, float8) IS
'transition function of cj_history_agg(date, float8)';
COMMENT ON FUNCTION cj_history_combine(cj_history, cj_history) IS
'combine function of cj_history_agg';
COMMENT ON FUNCTION cj_history_final(cj_history) IS
'final function of cj_history_agg (drops spare room)';

CREATE AGGREGATE cj_history_agg(occurred_at timestamptz, amount numeric) (
	SFUNC = cj_history_trans_ts_numeric,
	STYPE = cj_history,
	FINALFUNC = cj_history_final,
	COMBINEFUNC = cj_history_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE cj_history_agg(occurred_at timestamptz, amount float8) (
	SFUNC = cj_history_trans_ts_float8,
	STYPE = cj_history,
	FINALFUNC = cj_history_final,
	COMBINEFUNC = cj_history_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE cj_history_agg(purchase_day date, amount numeric) (
	SFUNC = cj_history_trans_date_numeric,
	STYPE = cj_history,
	FINALFUNC = cj_history_final,
	COMBINEFUNC = cj_history_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE cj_history_agg(purchase_day date, amount float8) (
	SFUNC = cj_history_trans_date_float8,
	STYPE = cj_history,
	FINALFUNC = cj_history_final,
	COMBINEFUNC = cj_history_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE cj_history_agg(timestamptz, numeric) IS
'purchase history of the rows (purchases on one UTC day count once; NULL rows skipped)';
COMMENT ON AGGREGATE cj_history_agg(timestamptz, float8) IS
'purchase history of the rows, float amounts rounded to millionths';
COMMENT ON AGGREGATE cj_history_agg(date, numeric) IS
'purchase history of the rows, by calendar day chosen by the caller';
COMMENT ON AGGREGATE cj_history_agg(date, float8) IS
'purchase history of the rows, by calendar day, float amounts rounded to millionths';

-- accessors
CREATE FUNCTION cj_frequency(h cj_history) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_frequency(cj_history) IS
'x: number of repeat purchase days (distinct purchase days - 1)';

CREATE FUNCTION cj_purchase_days(h cj_history) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_purchase_days(cj_history) IS
'number of distinct purchase days';

CREATE FUNCTION cj_recency(h cj_history, unit interval DEFAULT '7 days'::interval)
RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_recency(cj_history, interval) IS
't_x: time from the first to the last purchase day, in units (default one week)';

CREATE FUNCTION cj_age(h cj_history, as_of timestamptz,
					   unit interval DEFAULT '7 days'::interval)
RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_age(cj_history, timestamptz, interval) IS
'T: time from the first purchase day to the UTC day of as_of, in units (default one week)';

CREATE FUNCTION cj_age(h cj_history, as_of date,
					   unit interval DEFAULT '7 days'::interval)
RETURNS float8
AS 'MODULE_PATHNAME', 'cj_age_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_age(cj_history, date, interval) IS
'T: time from the first purchase day to the calendar day as_of, in units (default one week)';

CREATE FUNCTION cj_monetary(h cj_history) RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_monetary(cj_history) IS
'm: mean spend of the repeat purchase days (0 when there are none)';

CREATE FUNCTION cj_total_spend(h cj_history) RETURNS numeric
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_total_spend(cj_history) IS 'total spend, exact';

CREATE FUNCTION cj_first_day_spend(h cj_history) RETURNS numeric
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_first_day_spend(cj_history) IS
'spend of the first purchase day, exact';

CREATE FUNCTION cj_first_purchase(h cj_history) RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_first_purchase(cj_history) IS 'instant of the first purchase';

CREATE FUNCTION cj_last_purchase(h cj_history) RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_last_purchase(cj_history) IS 'instant of the last purchase';

CREATE FUNCTION cj_history_jsonb(h cj_history) RETURNS jsonb
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_history_jsonb(cj_history) IS
'the history as a jsonb object';
