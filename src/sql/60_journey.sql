
-- ---------------------------------------------------------------------
-- Journey analytics: RFM scores and segments, channel credits,
-- rule-based and Markov-chain multi-touch attribution.
-- ---------------------------------------------------------------------

-- RFM -----------------------------------------------------------------

CREATE FUNCTION cj_rfm_score(value numeric, breaks numeric[])
RETURNS integer
AS 'MODULE_PATHNAME', 'cj_rfm_score'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_rfm_score(numeric, numeric[]) IS
'RFM score 1..5 of a value given four non-decreasing cut points: 1 + the number of cut points strictly below the value';

CREATE FUNCTION cj_rfm_score(value float8, breaks float8[])
RETURNS integer
AS 'MODULE_PATHNAME', 'cj_rfm_score_float8'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_rfm_score(float8, float8[]) IS
'RFM score 1..5 of a value given four non-decreasing cut points: 1 + the number of cut points strictly below the value';

CREATE FUNCTION cj_rfm_score(value numeric, breaks numeric[], descending boolean)
RETURNS integer
LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN descending THEN 6::integer - cj_rfm_score(value, breaks)
            ELSE cj_rfm_score(value, breaks) END;
COMMENT ON FUNCTION cj_rfm_score(numeric, numeric[], boolean) IS
'RFM score 1..5; with descending true lower values score higher (recency in days since the last purchase)';

CREATE FUNCTION cj_rfm_score(value float8, breaks float8[], descending boolean)
RETURNS integer
LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN descending THEN 6::integer - cj_rfm_score(value, breaks)
            ELSE cj_rfm_score(value, breaks) END;
COMMENT ON FUNCTION cj_rfm_score(float8, float8[], boolean) IS
'RFM score 1..5; with descending true lower values score higher (recency in days since the last purchase)';

CREATE FUNCTION cj_rfm_segment(r integer, f integer, m integer)
RETURNS text
AS 'MODULE_PATHNAME', 'cj_rfm_segment'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_rfm_segment(integer, integer, integer) IS
'Named segment (Champions, Loyal Customers, ..., Lost) of RFM scores 1..5 in the default segment map';

CREATE FUNCTION cj_rfm_segment(r integer, f integer, m integer, map jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'cj_rfm_segment_map'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_rfm_segment(integer, integer, integer, jsonb) IS
'Named segment of RFM scores 1..5 in a user map {segment: box or [boxes]} that covers each of the 125 combinations exactly once';

CREATE FUNCTION cj_rfm_default_map()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'cj_rfm_default_map'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_rfm_default_map() IS
'The default RFM segment map of cj_rfm_segment as jsonb boxes, a starting point for a map of your own';

-- cj_credits: channel -> credit -----------------------------------------

CREATE TYPE cj_credits;

CREATE FUNCTION cj_credits_in(cstring) RETURNS cj_credits
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_in(cstring) IS 'text input of cj_credits';
CREATE FUNCTION cj_credits_out(cj_credits) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_out(cj_credits) IS 'text output of cj_credits';
CREATE FUNCTION cj_credits_recv(internal) RETURNS cj_credits
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_recv(internal) IS 'binary input of cj_credits';
CREATE FUNCTION cj_credits_send(cj_credits) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_send(cj_credits) IS 'binary output of cj_credits';

CREATE TYPE cj_credits (
    INPUT = cj_credits_in,
    OUTPUT = cj_credits_out,
    RECEIVE = cj_credits_recv,
    SEND = cj_credits_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE cj_credits IS
'Credit per marketing channel, e.g. {"email"=>0.25, "search"=>0.75}; channels sorted by name';

CREATE FUNCTION cj_credits_each(credits cj_credits, OUT channel text, OUT credit float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'cj_credits_each'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION cj_credits_each(cj_credits) IS
'One row (channel, credit) per channel of a credits value, in channel-name order';

CREATE FUNCTION cj_credits_jsonb(cj_credits) RETURNS jsonb
AS 'MODULE_PATHNAME', 'cj_credits_jsonb'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_jsonb(cj_credits) IS
'Credits as a jsonb object {"channel": credit}';

CREATE CAST (cj_credits AS jsonb) WITH FUNCTION cj_credits_jsonb(cj_credits);
COMMENT ON CAST (cj_credits AS jsonb) IS 'credits as a jsonb object {"channel": credit}';

CREATE TYPE cj_credits_acc;

CREATE FUNCTION cj_credits_acc_in(cstring) RETURNS cj_credits_acc
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_acc_in(cstring) IS 'text input of cj_credits_acc';
CREATE FUNCTION cj_credits_acc_out(cj_credits_acc) RETURNS cstring
AS 'MODULE_PATHNAME', 'cj_credits_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_acc_out(cj_credits_acc) IS 'text output of cj_credits_acc';
CREATE FUNCTION cj_credits_acc_recv(internal) RETURNS cj_credits_acc
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_acc_recv(internal) IS 'binary input of cj_credits_acc';
CREATE FUNCTION cj_credits_acc_send(cj_credits_acc) RETURNS bytea
AS 'MODULE_PATHNAME', 'cj_credits_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_acc_send(cj_credits_acc) IS 'binary output of cj_credits_acc';

CREATE TYPE cj_credits_acc (
    INPUT = cj_credits_acc_in,
    OUTPUT = cj_credits_acc_out,
    RECEIVE = cj_credits_acc_recv,
    SEND = cj_credits_acc_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE cj_credits_acc IS
'State of cj_credits_sum: per-channel double-double running totals, e.g. {"email"=>0.3+5.5e-18}';

CREATE FUNCTION cj_credits_sum_trans(cj_credits_acc, cj_credits) RETURNS cj_credits_acc
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_sum_trans(cj_credits_acc, cj_credits) IS
'transition function of cj_credits_sum';
CREATE FUNCTION cj_credits_sum_combine(cj_credits_acc, cj_credits_acc) RETURNS cj_credits_acc
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_sum_combine(cj_credits_acc, cj_credits_acc) IS
'combine function of cj_credits_sum';
CREATE FUNCTION cj_credits_sum_final(cj_credits_acc) RETURNS cj_credits
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_credits_sum_final(cj_credits_acc) IS
'final function of cj_credits_sum';

CREATE AGGREGATE cj_credits_sum(cj_credits) (
    SFUNC = cj_credits_sum_trans,
    STYPE = cj_credits_acc,
    COMBINEFUNC = cj_credits_sum_combine,
    FINALFUNC = cj_credits_sum_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_credits_sum(cj_credits) IS
'Channel-by-channel total of credits across conversions (double-double accumulation: serial and parallel agree)';

-- Rule-based attribution -------------------------------------------------

CREATE TYPE cj_touches;

CREATE FUNCTION cj_touches_in(cstring) RETURNS cj_touches
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_touches_in(cstring) IS 'text input of cj_touches';
CREATE FUNCTION cj_touches_out(cj_touches) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_touches_out(cj_touches) IS 'text output of cj_touches';
CREATE FUNCTION cj_touches_recv(internal) RETURNS cj_touches
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_touches_recv(internal) IS 'binary input of cj_touches';
CREATE FUNCTION cj_touches_send(cj_touches) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_touches_send(cj_touches) IS 'binary output of cj_touches';

CREATE TYPE cj_touches (
    INPUT = cj_touches_in,
    OUTPUT = cj_touches_out,
    RECEIVE = cj_touches_recv,
    SEND = cj_touches_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE cj_touches IS
'State of cj_attribution: the model and the touches of one conversion, times in microseconds since 2000-01-01 UTC';

CREATE FUNCTION cj_attribution_trans(cj_touches, text, timestamptz, timestamptz, text)
RETURNS cj_touches
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_attribution_trans(cj_touches, text, timestamptz, timestamptz, text) IS
'transition function of cj_attribution';
CREATE FUNCTION cj_attribution_trans(cj_touches, text, timestamptz, timestamptz, text, interval)
RETURNS cj_touches
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_attribution_trans(cj_touches, text, timestamptz, timestamptz, text, interval) IS
'transition function of cj_attribution with a half-life';
CREATE FUNCTION cj_attribution_combine(cj_touches, cj_touches) RETURNS cj_touches
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_attribution_combine(cj_touches, cj_touches) IS
'combine function of cj_attribution';
CREATE FUNCTION cj_attribution_final(cj_touches) RETURNS cj_credits
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_attribution_final(cj_touches) IS
'final function of cj_attribution';

CREATE AGGREGATE cj_attribution(channel text, touched_at timestamptz,
                                converted_at timestamptz, model text) (
    SFUNC = cj_attribution_trans,
    STYPE = cj_touches,
    COMBINEFUNC = cj_attribution_combine,
    FINALFUNC = cj_attribution_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_attribution(text, timestamptz, timestamptz, text) IS
'Credits of one conversion over its touches: first_touch, last_touch, linear, position_based, time_decay (half-life 7 days) or shapley';

CREATE AGGREGATE cj_attribution(channel text, touched_at timestamptz,
                                converted_at timestamptz, model text,
                                half_life interval) (
    SFUNC = cj_attribution_trans,
    STYPE = cj_touches,
    COMBINEFUNC = cj_attribution_combine,
    FINALFUNC = cj_attribution_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_attribution(text, timestamptz, timestamptz, text, interval) IS
'Credits of one conversion over its touches, time_decay with the given half-life';

-- Markov-chain attribution ------------------------------------------------

CREATE TYPE cj_transitions;

CREATE FUNCTION cj_transitions_in(cstring) RETURNS cj_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_transitions_in(cstring) IS 'text input of cj_transitions';
CREATE FUNCTION cj_transitions_out(cj_transitions) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_transitions_out(cj_transitions) IS 'text output of cj_transitions';
CREATE FUNCTION cj_transitions_recv(internal) RETURNS cj_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_transitions_recv(internal) IS 'binary input of cj_transitions';
CREATE FUNCTION cj_transitions_send(cj_transitions) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_transitions_send(cj_transitions) IS 'binary output of cj_transitions';

CREATE TYPE cj_transitions (
    INPUT = cj_transitions_in,
    OUTPUT = cj_transitions_out,
    RECEIVE = cj_transitions_recv,
    SEND = cj_transitions_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE cj_transitions IS
'State of cj_markov_attribution: transition counts of journey paths and converting-journey counts per channel';

CREATE FUNCTION cj_markov_trans(cj_transitions, text[], bigint, bigint)
RETURNS cj_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_markov_trans(cj_transitions, text[], bigint, bigint) IS
'transition function of cj_markov_attribution';
CREATE FUNCTION cj_markov_trans(cj_transitions, text[], bigint, bigint, integer)
RETURNS cj_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_markov_trans(cj_transitions, text[], bigint, bigint, integer) IS
'transition function of cj_markov_attribution with a chain order';
CREATE FUNCTION cj_markov_combine(cj_transitions, cj_transitions) RETURNS cj_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_markov_combine(cj_transitions, cj_transitions) IS
'combine function of cj_markov_attribution';
CREATE FUNCTION cj_markov_final(cj_transitions) RETURNS cj_credits
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_markov_final(cj_transitions) IS
'final function of cj_markov_attribution';

CREATE AGGREGATE cj_markov_attribution(path text[], conversions bigint,
                                       non_conversions bigint) (
    SFUNC = cj_markov_trans,
    STYPE = cj_transitions,
    COMBINEFUNC = cj_markov_combine,
    FINALFUNC = cj_markov_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_markov_attribution(text[], bigint, bigint) IS
'Exact first-order Markov removal-effect credits of the channels of journey paths, scaled to the total conversions';

CREATE AGGREGATE cj_markov_attribution(path text[], conversions bigint,
                                       non_conversions bigint, "order" integer) (
    SFUNC = cj_markov_trans,
    STYPE = cj_transitions,
    COMBINEFUNC = cj_markov_combine,
    FINALFUNC = cj_markov_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_markov_attribution(text[], bigint, bigint, integer) IS
'Exact Markov removal-effect credits with a chain of order 1, 2 or 3';
