
-- ---------------------------------------------------------------------
-- Lifetime-value models: cj_model, fitting aggregates, scores
-- ---------------------------------------------------------------------

CREATE TYPE cj_model;

CREATE FUNCTION cj_model_in(cstring) RETURNS cj_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_model_out(cj_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_model_recv(internal) RETURNS cj_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_model_send(cj_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_model (
    INPUT = cj_model_in,
    OUTPUT = cj_model_out,
    RECEIVE = cj_model_recv,
    SEND = cj_model_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE cj_model IS 'a fitted (or hand-written) customer-base model: family, parameters and fit facts';
COMMENT ON FUNCTION cj_model_in(cstring) IS 'text input of cj_model';
COMMENT ON FUNCTION cj_model_out(cj_model) IS 'text output of cj_model';
COMMENT ON FUNCTION cj_model_recv(internal) IS 'binary input of cj_model';
COMMENT ON FUNCTION cj_model_send(cj_model) IS 'binary output of cj_model';

CREATE FUNCTION cj_model_family(m cj_model) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_model_family(cj_model) IS 'family name of a model: bgnbd, mbgnbd, pnbd, bgbb, sbg or gg';

CREATE FUNCTION cj_param(m cj_model, name text) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_param(cj_model, text) IS 'one parameter of a model by its symbol (r, alpha, a, b, ...)';

CREATE FUNCTION cj_loglik(m cj_model) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_loglik(cj_model) IS 'log-likelihood of a fitted model (NULL for a model written by hand)';

CREATE FUNCTION cj_model_jsonb(m cj_model) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_model_jsonb(cj_model) IS 'a model as jsonb: family, params, loglik, n, iterations, status, grad_norm, unit_seconds';

-- The aggregate state shared by every fitting aggregate

CREATE TYPE cj_fit_state;

CREATE FUNCTION cj_fit_state_in(cstring) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_fit_state_out(cj_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_fit_state_recv(internal) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_fit_state_send(cj_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_fit_state (
    INPUT = cj_fit_state_in,
    OUTPUT = cj_fit_state_out,
    RECEIVE = cj_fit_state_recv,
    SEND = cj_fit_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE cj_fit_state IS 'state of the model-fitting aggregates: family and distinct data tuples with weights';
COMMENT ON FUNCTION cj_fit_state_in(cstring) IS 'text input of cj_fit_state';
COMMENT ON FUNCTION cj_fit_state_out(cj_fit_state) IS 'text output of cj_fit_state';
COMMENT ON FUNCTION cj_fit_state_recv(internal) IS 'binary input of cj_fit_state';
COMMENT ON FUNCTION cj_fit_state_send(cj_fit_state) IS 'binary output of cj_fit_state';

CREATE FUNCTION cj_fit_state_add2(cj_fit_state, float8, float8) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_add2(cj_fit_state, float8, float8) IS 'transition of two-column fitting aggregates';
CREATE FUNCTION cj_fit_state_add2w(cj_fit_state, float8, float8, int8) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_add2w(cj_fit_state, float8, float8, int8) IS 'transition of weighted two-column fitting aggregates';
CREATE FUNCTION cj_fit_state_add3(cj_fit_state, float8, float8, float8) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_add3(cj_fit_state, float8, float8, float8) IS 'transition of three-column fitting aggregates';
CREATE FUNCTION cj_fit_state_add3w(cj_fit_state, float8, float8, float8, int8) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_add3w(cj_fit_state, float8, float8, float8, int8) IS 'transition of weighted three-column fitting aggregates';
CREATE FUNCTION cj_fit_state_combine(cj_fit_state, cj_fit_state) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_combine(cj_fit_state, cj_fit_state) IS 'combine function of the fitting aggregates (merges tuple sets)';
CREATE FUNCTION cj_fit_state_final(cj_fit_state) RETURNS cj_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_final(cj_fit_state) IS 'final function of the fitting aggregates: maximum-likelihood fit of the state''s family';

CREATE AGGREGATE cj_fit_bgnbd(x float8, t_x float8, age float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(float8, float8, float8) IS 'fit a BG/NBD model to (x, t_x, T) rows';
CREATE AGGREGATE cj_fit_bgnbd(x float8, t_x float8, age float8, weight int8) (
    SFUNC = cj_fit_state_add3w, STYPE = cj_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(float8, float8, float8, int8) IS 'fit a BG/NBD model to (x, t_x, T, number of customers) rows';

CREATE AGGREGATE cj_fit_mbgnbd(x float8, t_x float8, age float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'mbgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_mbgnbd(float8, float8, float8) IS 'fit an MBG/NBD model to (x, t_x, T) rows';
CREATE AGGREGATE cj_fit_mbgnbd(x float8, t_x float8, age float8, weight int8) (
    SFUNC = cj_fit_state_add3w, STYPE = cj_fit_state, INITCOND = 'mbgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_mbgnbd(float8, float8, float8, int8) IS 'fit an MBG/NBD model to (x, t_x, T, number of customers) rows';

CREATE AGGREGATE cj_fit_gg(x float8, m float8) (
    SFUNC = cj_fit_state_add2, STYPE = cj_fit_state, INITCOND = 'gg{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_gg(float8, float8) IS 'fit a Gamma-Gamma spend model to (x, mean repeat spend) rows; rows with x = 0 are ignored';
CREATE AGGREGATE cj_fit_gg(x float8, m float8, weight int8) (
    SFUNC = cj_fit_state_add2w, STYPE = cj_fit_state, INITCOND = 'gg{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_gg(float8, float8, int8) IS 'fit a Gamma-Gamma spend model to (x, mean repeat spend, number of customers) rows';

-- Scores on (x, t_x, T) numbers; times in the model's time unit

CREATE FUNCTION cj_expected_purchases(m cj_model, t float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_expected_purchases(cj_model, float8) IS 'expected number of repeat purchases of a new customer in a period of length t';

CREATE FUNCTION cj_conditional_purchases(m cj_model, x float8, t_x float8, age float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_purchases(cj_model, float8, float8, float8, float8) IS 'expected purchases in the next t of a customer with history (x, t_x, T)';

CREATE FUNCTION cj_p_alive(m cj_model, x float8, t_x float8, age float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_p_alive(cj_model, float8, float8, float8) IS 'probability that a customer with history (x, t_x, T) is still active';

CREATE FUNCTION cj_prob_purchases(m cj_model, n int4, t float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_prob_purchases(cj_model, int4, float8) IS 'probability that a new customer makes exactly n repeat purchases in a period of length t';

CREATE FUNCTION cj_expected_spend(gg cj_model, x float8, m float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_expected_spend(cj_model, float8, float8) IS 'Gamma-Gamma expected mean spend per transaction given x repeat purchases of mean value m';

CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, x float8, t_x float8, age float8,
                       m float8, periods int4, period_length float8, discount_rate float8)
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, float8, float8, float8, float8, int4, float8, float8) IS 'discounted expected value of a customer''s future purchases over periods of period_length';

CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, x float8, t_x float8, age float8,
                       m float8, periods int4, period_length float8, discount_rate float8, margin float8)
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, float8, float8, float8, float8, int4, float8, float8, float8) IS 'discounted expected margin of a customer''s future purchases over periods of period_length';

CREATE FUNCTION cj_simulate(m cj_model, n int8, age float8, seed int8,
                            OUT customer int8, OUT x float8, OUT t_x float8, OUT age float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION cj_simulate(cj_model, int8, float8, int8) IS 'n customers simulated from a purchase model over an observation period T, deterministic for a seed';

CREATE FUNCTION cj_simulate(m cj_model, spend_model cj_model, n int8, age float8, seed int8,
                            OUT customer int8, OUT x float8, OUT t_x float8, OUT age float8, OUT spend float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION cj_simulate(cj_model, cj_model, int8, float8, int8) IS 'n customers with mean repeat spend simulated from a purchase and a Gamma-Gamma model, deterministic for a seed';

-- Fits and scores over purchase histories (cj_history, as_of [, unit])

CREATE FUNCTION cj_fit_state_add_history(cj_fit_state, cj_history, timestamptz) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_add_history(cj_fit_state, cj_history, timestamptz) IS 'transition of the history fitting aggregates (unit one week)';
CREATE FUNCTION cj_fit_state_add_history(cj_fit_state, cj_history, timestamptz, interval) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_state_add_history(cj_fit_state, cj_history, timestamptz, interval) IS 'transition of the history fitting aggregates';

CREATE AGGREGATE cj_fit_bgnbd(h cj_history, as_of timestamptz) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(cj_history, timestamptz) IS 'fit a BG/NBD model to purchase histories as of an instant, time in weeks';
CREATE AGGREGATE cj_fit_bgnbd(h cj_history, as_of timestamptz, unit interval) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(cj_history, timestamptz, interval) IS 'fit a BG/NBD model to purchase histories as of an instant, time in the given unit';
CREATE AGGREGATE cj_fit_mbgnbd(h cj_history, as_of timestamptz) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'mbgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_mbgnbd(cj_history, timestamptz) IS 'fit an MBG/NBD model to purchase histories as of an instant, time in weeks';
CREATE AGGREGATE cj_fit_mbgnbd(h cj_history, as_of timestamptz, unit interval) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'mbgnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_mbgnbd(cj_history, timestamptz, interval) IS 'fit an MBG/NBD model to purchase histories as of an instant, time in the given unit';
CREATE AGGREGATE cj_fit_gg(h cj_history, as_of timestamptz) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'gg{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_gg(cj_history, timestamptz) IS 'fit a Gamma-Gamma spend model to purchase histories (customers without repeat purchases are ignored)';

CREATE FUNCTION cj_conditional_purchases(m cj_model, h cj_history, as_of timestamptz, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_conditional_purchases_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_purchases(cj_model, cj_history, timestamptz, float8) IS 'expected purchases in the next t (model time unit) of a customer with this history as of an instant';

CREATE FUNCTION cj_p_alive(m cj_model, h cj_history, as_of timestamptz) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_p_alive(cj_model, cj_history, timestamptz) IS 'probability that a customer with this history is still active at as_of';

CREATE FUNCTION cj_expected_spend(gg cj_model, h cj_history) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_expected_spend_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_expected_spend(cj_model, cj_history) IS 'Gamma-Gamma expected mean spend per transaction of a customer with this history';
CREATE FUNCTION cj_expected_spend(gg cj_model, h cj_history, as_of timestamptz) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_expected_spend_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_expected_spend(cj_model, cj_history, timestamptz) IS 'Gamma-Gamma expected mean spend per transaction of a customer with this history (as_of does not change it; for symmetry with the other scores)';

CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, h cj_history, as_of timestamptz,
                       periods int4, period_length float8, discount_rate float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_clv_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, cj_history, timestamptz, int4, float8, float8) IS 'discounted expected value of the future purchases of a customer with this history';
CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, h cj_history, as_of timestamptz,
                       periods int4, period_length float8, discount_rate float8, margin float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_clv_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, cj_history, timestamptz, int4, float8, float8, float8) IS 'discounted expected margin of the future purchases of a customer with this history';
