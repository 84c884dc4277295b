
-- ---------------------------------------------------------------------
-- Model diagnostics: holdout check by frequency, cohort tracking
-- ---------------------------------------------------------------------

CREATE TYPE cj_holdout;

CREATE FUNCTION cj_holdout_in(cstring) RETURNS cj_holdout
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_holdout_out(cj_holdout) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_holdout_recv(internal) RETURNS cj_holdout
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_holdout_send(cj_holdout) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_holdout (
    INPUT = cj_holdout_in,
    OUTPUT = cj_holdout_out,
    RECEIVE = cj_holdout_recv,
    SEND = cj_holdout_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE cj_holdout IS 'calibration/holdout check of a purchase model: customers, actual and expected holdout purchases by calibration frequency';
COMMENT ON FUNCTION cj_holdout_in(cstring) IS 'text input of cj_holdout';
COMMENT ON FUNCTION cj_holdout_out(cj_holdout) IS 'text output of cj_holdout';
COMMENT ON FUNCTION cj_holdout_recv(internal) IS 'binary input of cj_holdout';
COMMENT ON FUNCTION cj_holdout_send(cj_holdout) IS 'binary output of cj_holdout';

CREATE FUNCTION cj_holdout_add(cj_holdout, cj_model, float8, float8, float8, float8, float8)
    RETURNS cj_holdout
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_holdout_add(cj_holdout, cj_model, float8, float8, float8, float8, float8) IS 'transition of cj_holdout_check';
CREATE FUNCTION cj_holdout_add(cj_holdout, cj_model, float8, float8, float8, float8, float8, int4)
    RETURNS cj_holdout
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_holdout_add(cj_holdout, cj_model, float8, float8, float8, float8, float8, int4) IS 'transition of cj_holdout_check with max_freq';
CREATE FUNCTION cj_holdout_combine(cj_holdout, cj_holdout) RETURNS cj_holdout
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_holdout_combine(cj_holdout, cj_holdout) IS 'combine function of cj_holdout_check (adds the buckets)';

CREATE AGGREGATE cj_holdout_check(model cj_model, x float8, t_x float8, age float8,
                                  holdout_length float8, holdout_x float8) (
    SFUNC = cj_holdout_add, STYPE = cj_holdout,
    COMBINEFUNC = cj_holdout_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_holdout_check(cj_model, float8, float8, float8, float8, float8) IS 'actual versus expected holdout purchases by calibration frequency 0..6 and 7+ (expand with cj_holdout_rows)';
CREATE AGGREGATE cj_holdout_check(model cj_model, x float8, t_x float8, age float8,
                                  holdout_length float8, holdout_x float8, max_freq int4) (
    SFUNC = cj_holdout_add, STYPE = cj_holdout,
    COMBINEFUNC = cj_holdout_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_holdout_check(cj_model, float8, float8, float8, float8, float8, int4) IS 'actual versus expected holdout purchases by calibration frequency 0..max_freq-1 and max_freq+ (expand with cj_holdout_rows)';

CREATE FUNCTION cj_holdout_rows(h cj_holdout,
                                OUT bucket text, OUT customers int8,
                                OUT actual_mean float8, OUT expected_mean float8,
                                OUT actual_total float8, OUT expected_total float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 9;
COMMENT ON FUNCTION cj_holdout_rows(cj_holdout) IS 'a holdout check as rows: one per frequency bucket, then "total"';

CREATE TYPE cj_tracking;

CREATE FUNCTION cj_tracking_in(cstring) RETURNS cj_tracking
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_tracking_out(cj_tracking) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_tracking_recv(internal) RETURNS cj_tracking
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_tracking_send(cj_tracking) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_tracking (
    INPUT = cj_tracking_in,
    OUTPUT = cj_tracking_out,
    RECEIVE = cj_tracking_recv,
    SEND = cj_tracking_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE cj_tracking IS 'expected cumulative repeat purchases of a cohort at the end of each calendar period';
COMMENT ON FUNCTION cj_tracking_in(cstring) IS 'text input of cj_tracking';
COMMENT ON FUNCTION cj_tracking_out(cj_tracking) IS 'text output of cj_tracking';
COMMENT ON FUNCTION cj_tracking_recv(internal) IS 'binary input of cj_tracking';
COMMENT ON FUNCTION cj_tracking_send(cj_tracking) IS 'binary output of cj_tracking';

CREATE FUNCTION cj_tracking_add(cj_tracking, cj_model, timestamptz, timestamptz, interval, int4)
    RETURNS cj_tracking
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_tracking_add(cj_tracking, cj_model, timestamptz, timestamptz, interval, int4) IS 'transition of cj_tracking';
CREATE FUNCTION cj_tracking_combine(cj_tracking, cj_tracking) RETURNS cj_tracking
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_tracking_combine(cj_tracking, cj_tracking) IS 'combine function of cj_tracking (adds the series)';

CREATE AGGREGATE cj_tracking(model cj_model, first_purchase timestamptz, period_start timestamptz,
                             period_length interval, periods int4) (
    SFUNC = cj_tracking_add, STYPE = cj_tracking,
    COMBINEFUNC = cj_tracking_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_tracking(cj_model, timestamptz, timestamptz, interval, int4) IS 'expected repeat purchases per calendar period of a cohort with staggered first purchases (expand with cj_tracking_rows)';

CREATE FUNCTION cj_tracking_rows(t cj_tracking,
                                 OUT period int4, OUT period_start timestamptz, OUT period_end timestamptz,
                                 OUT expected float8, OUT expected_cumulative float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION cj_tracking_rows(cj_tracking) IS 'a tracking series as rows: expected and cumulative expected repeat purchases per period';
