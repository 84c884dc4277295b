/*
 * custjourney 1.0: customer lifetime value models, loyalty tiering and
 * service priority, in SQL.
 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION custjourney" to load this file. \quit


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

-- ---------------------------------------------------------------------
-- Lifetime-value models II: Pareto/NBD, BG/BB, shifted-beta-geometric
-- ---------------------------------------------------------------------

CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8) IS 'fit a Pareto/NBD model to (x, t_x, T) rows';
CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8, weight int8) (
    SFUNC = cj_fit_state_add3w, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8, int8) IS 'fit a Pareto/NBD model to (x, t_x, T, number of customers) rows';

CREATE AGGREGATE cj_fit_bgbb(x float8, t_x float8, n float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'bgbb{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgbb(float8, float8, float8) IS 'fit a BG/BB model to (x, t_x, n) rows of discrete opportunities';
CREATE AGGREGATE cj_fit_bgbb(x float8, t_x float8, n float8, weight int8) (
    SFUNC = cj_fit_state_add3w, STYPE = cj_fit_state, INITCOND = 'bgbb{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgbb(float8, float8, float8, int8) IS 'fit a BG/BB model to (x, t_x, n, number of customers) rows';

CREATE FUNCTION cj_fit_sbg_add(cj_fit_state, int4, bool) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_sbg_add(cj_fit_state, int4, bool) IS 'transition of cj_fit_sbg';
CREATE FUNCTION cj_fit_sbg_addw(cj_fit_state, int4, bool, int8) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_sbg_addw(cj_fit_state, int4, bool, int8) IS 'transition of the weighted cj_fit_sbg';
CREATE AGGREGATE cj_fit_sbg(periods int4, churned bool) (
    SFUNC = cj_fit_sbg_add, STYPE = cj_fit_state, INITCOND = 'sbg{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_sbg(int4, bool) IS 'fit a shifted-beta-geometric model to (renewals made, churned) rows';
CREATE AGGREGATE cj_fit_sbg(periods int4, churned bool, weight int8) (
    SFUNC = cj_fit_sbg_addw, STYPE = cj_fit_state, INITCOND = 'sbg{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_sbg(int4, bool, int8) IS 'fit a shifted-beta-geometric model to (renewals made, churned, number of customers) rows';

CREATE FUNCTION cj_dert(m cj_model, x float8, t_x float8, age float8, continuous_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_dert(cj_model, float8, float8, float8, float8) IS 'Pareto/NBD discounted expected residual transactions of a customer with history (x, t_x, T) at a continuous discount rate per time unit';

CREATE FUNCTION cj_retention(m cj_model, period int4) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_retention(cj_model, int4) IS 'sBG retention rate of period t: share of the customers active in period t-1 who renew';

CREATE FUNCTION cj_survival(m cj_model, period int4) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_survival(cj_model, int4) IS 'sBG survival: probability that a new customer makes at least t renewals';

CREATE FUNCTION cj_del(m cj_model, discount_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_del(cj_model, float8) IS 'sBG discounted expected lifetime of a new customer, in periods paid (the first counted undiscounted)';

CREATE FUNCTION cj_derl(m cj_model, periods_survived int4, discount_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_derl(cj_model, int4, float8) IS 'sBG discounted expected residual lifetime of a customer who has made that many renewals, just before the next renewal decision';

CREATE AGGREGATE cj_fit_pnbd(h cj_history, as_of timestamptz) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(cj_history, timestamptz) IS 'fit a Pareto/NBD model to purchase histories as of an instant, time in weeks';
CREATE AGGREGATE cj_fit_pnbd(h cj_history, as_of timestamptz, unit interval) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(cj_history, timestamptz, interval) IS 'fit a Pareto/NBD model to purchase histories as of an instant, time in the given unit';

-- ---------------------------------------------------------------------
-- Loyalty: tier ladders, reviews, qualification windows, points ledger
-- ---------------------------------------------------------------------

CREATE TYPE cj_ladder;

CREATE FUNCTION cj_ladder_in(cstring) RETURNS cj_ladder
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_ladder_out(cj_ladder) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_ladder_recv(internal) RETURNS cj_ladder
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_ladder_send(cj_ladder) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_ladder (
    INPUT = cj_ladder_in,
    OUTPUT = cj_ladder_out,
    RECEIVE = cj_ladder_recv,
    SEND = cj_ladder_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);

COMMENT ON TYPE cj_ladder IS
    'tier ladder, lowest tier first: ''member:0, silver:1000/800, gold:5000/4000'' (name:qualify[/keep], exact decimals)';
COMMENT ON FUNCTION cj_ladder_in(cstring) IS 'text input of cj_ladder';
COMMENT ON FUNCTION cj_ladder_out(cj_ladder) IS 'canonical text output of cj_ladder';
COMMENT ON FUNCTION cj_ladder_recv(internal) IS 'binary input of cj_ladder (re-validated)';
COMMENT ON FUNCTION cj_ladder_send(cj_ladder) IS 'binary output of cj_ladder';

CREATE FUNCTION cj_ladder(jsonb) RETURNS cj_ladder
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_ladder(jsonb) IS
    'ladder from a jsonb array of {"name", "qualify", "keep"} objects, lowest tier first';

CREATE FUNCTION cj_ladder_jsonb(cj_ladder) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_ladder_jsonb(cj_ladder) IS
    'ladder as a jsonb array of {"name", "qualify", "keep"} objects, lowest tier first';

CREATE FUNCTION cj_tier(ladder cj_ladder, qualifying numeric) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_tier(cj_ladder, numeric) IS
    'tier earned outright by a qualifying figure: the highest tier whose qualify threshold is met';

CREATE FUNCTION cj_tier_rank(ladder cj_ladder, tier text) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_tier_rank(cj_ladder, text) IS
    'position of a tier in the ladder, 1 for the lowest';

CREATE FUNCTION cj_tier_gap(ladder cj_ladder, qualifying numeric) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_tier_gap(cj_ladder, numeric) IS
    'qualifying amount still needed for the next tier; NULL at the top tier';

CREATE FUNCTION cj_tier_review(ladder cj_ladder, current text, qualifying numeric,
                               policy text, floor text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_tier_review(cj_ladder, text, numeric, text, text) IS
    'tier after a period review under policy soft_landing, justified, reset or realtime, never below floor (NULL floor: none)';

CREATE FUNCTION cj_qualification_window(kind text, as_of date, anniversary date DEFAULT NULL)
    RETURNS daterange
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_qualification_window(text, date, date) IS
    'half-open qualification period containing as_of: calendar_year, anniversary or rolling_N_months';

-- Points ledger -------------------------------------------------------

CREATE TYPE cj_points_ledger;

CREATE FUNCTION cj_points_ledger_in(cstring) RETURNS cj_points_ledger
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_points_ledger_out(cj_points_ledger) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_points_ledger_recv(internal) RETURNS cj_points_ledger
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_points_ledger_send(cj_points_ledger) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_points_ledger (
    INPUT = cj_points_ledger_in,
    OUTPUT = cj_points_ledger_out,
    RECEIVE = cj_points_ledger_recv,
    SEND = cj_points_ledger_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE cj_points_ledger IS
    'one member''s points movements (the state of cj_points); text lists them in replay order';
COMMENT ON FUNCTION cj_points_ledger_in(cstring) IS 'text input of cj_points_ledger';
COMMENT ON FUNCTION cj_points_ledger_out(cj_points_ledger) IS 'canonical text output of cj_points_ledger';
COMMENT ON FUNCTION cj_points_ledger_recv(internal) IS 'binary input of cj_points_ledger (re-validated)';
COMMENT ON FUNCTION cj_points_ledger_send(cj_points_ledger) IS 'binary output of cj_points_ledger';

CREATE TYPE cj_points_balance AS (
    available numeric,
    pending numeric,
    redeemed numeric,
    expired numeric,
    reversed numeric,
    deducted numeric,
    negative numeric,
    next_expiry_at timestamptz,
    next_expiry_points numeric
);
COMMENT ON TYPE cj_points_balance IS
    'points balances of a member as of a time (result of cj_points and cj_points_balance)';

CREATE FUNCTION cj_points_sfunc(cj_points_ledger, text, numeric, timestamptz, timestamptz)
    RETURNS cj_points_ledger AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_points_sfunc(cj_points_ledger, text, numeric, timestamptz, timestamptz,
                                timestamptz)
    RETURNS cj_points_ledger AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_points_sfunc(cj_points_ledger, text, numeric, timestamptz, timestamptz,
                                timestamptz, text)
    RETURNS cj_points_ledger AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_points_sfunc(cj_points_ledger, text, numeric, timestamptz, timestamptz)
    IS 'transition function of cj_points and cj_points_ledger';
COMMENT ON FUNCTION cj_points_sfunc(cj_points_ledger, text, numeric, timestamptz, timestamptz,
                                    timestamptz)
    IS 'transition function of cj_points and cj_points_ledger (with available_at)';
COMMENT ON FUNCTION cj_points_sfunc(cj_points_ledger, text, numeric, timestamptz, timestamptz,
                                    timestamptz, text)
    IS 'transition function of cj_points and cj_points_ledger (with available_at and ref)';

CREATE FUNCTION cj_points_combine(cj_points_ledger, cj_points_ledger)
    RETURNS cj_points_ledger AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_points_combine(cj_points_ledger, cj_points_ledger) IS
    'combine function of cj_points and cj_points_ledger (concatenates movements)';

CREATE FUNCTION cj_points_ledger_final(cj_points_ledger) RETURNS cj_points_ledger
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_points_ledger_final(cj_points_ledger) IS
    'final function of cj_points_ledger (drops the spare room of the state)';

CREATE FUNCTION cj_points_final(cj_points_ledger) RETURNS cj_points_balance
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_points_final(cj_points_ledger) IS
    'final function of cj_points: balances as of the current transaction''s start';

CREATE FUNCTION cj_points_balance(ledger cj_points_ledger, as_of timestamptz)
    RETURNS cj_points_balance
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_points_balance(cj_points_ledger, timestamptz) IS
    'balances of a points ledger as of a time (movements after as_of are ignored)';

CREATE FUNCTION cj_points_schedule(ledger cj_points_ledger, as_of timestamptz,
    OUT ref text, OUT earned_at timestamptz, OUT available_at timestamptz,
    OUT expires_at timestamptz, OUT points numeric, OUT remaining numeric,
    OUT spent numeric, OUT expired numeric, OUT reversed numeric, OUT status text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION cj_points_schedule(cj_points_ledger, timestamptz) IS
    'each lot (earn or positive adjust) of a ledger as of a time: remaining, spent, expired, reversed points and status';

CREATE AGGREGATE cj_points_ledger(kind text, points numeric, occurred_at timestamptz,
                                  expires_at timestamptz) (
    SFUNC = cj_points_sfunc, STYPE = cj_points_ledger, FINALFUNC = cj_points_ledger_final,
    COMBINEFUNC = cj_points_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cj_points_ledger(kind text, points numeric, occurred_at timestamptz,
                                  expires_at timestamptz, available_at timestamptz) (
    SFUNC = cj_points_sfunc, STYPE = cj_points_ledger, FINALFUNC = cj_points_ledger_final,
    COMBINEFUNC = cj_points_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cj_points_ledger(kind text, points numeric, occurred_at timestamptz,
                                  expires_at timestamptz, available_at timestamptz,
                                  ref text) (
    SFUNC = cj_points_sfunc, STYPE = cj_points_ledger, FINALFUNC = cj_points_ledger_final,
    COMBINEFUNC = cj_points_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_points_ledger(text, numeric, timestamptz, timestamptz) IS
    'collect a member''s points movements into a ledger (for cj_points_balance and cj_points_schedule)';
COMMENT ON AGGREGATE cj_points_ledger(text, numeric, timestamptz, timestamptz, timestamptz) IS
    'collect a member''s points movements into a ledger, with available_at';
COMMENT ON AGGREGATE cj_points_ledger(text, numeric, timestamptz, timestamptz, timestamptz, text) IS
    'collect a member''s points movements into a ledger, with available_at and a ref for reversals';

CREATE AGGREGATE cj_points(kind text, points numeric, occurred_at timestamptz,
                           expires_at timestamptz) (
    SFUNC = cj_points_sfunc, STYPE = cj_points_ledger, FINALFUNC = cj_points_final,
    COMBINEFUNC = cj_points_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cj_points(kind text, points numeric, occurred_at timestamptz,
                           expires_at timestamptz, available_at timestamptz) (
    SFUNC = cj_points_sfunc, STYPE = cj_points_ledger, FINALFUNC = cj_points_final,
    COMBINEFUNC = cj_points_combine, PARALLEL = SAFE
);
CREATE AGGREGATE cj_points(kind text, points numeric, occurred_at timestamptz,
                           expires_at timestamptz, available_at timestamptz, ref text) (
    SFUNC = cj_points_sfunc, STYPE = cj_points_ledger, FINALFUNC = cj_points_final,
    COMBINEFUNC = cj_points_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_points(text, numeric, timestamptz, timestamptz) IS
    'replay a member''s points movements: balances as of the transaction start';
COMMENT ON AGGREGATE cj_points(text, numeric, timestamptz, timestamptz, timestamptz) IS
    'replay a member''s points movements (with available_at): balances as of the transaction start';
COMMENT ON AGGREGATE cj_points(text, numeric, timestamptz, timestamptz, timestamptz, text) IS
    'replay a member''s points movements (with available_at and ref): balances as of the transaction start';

-- ===================================================================
-- Service priority: SLA targets, due-time dispatch keys, a concurrent
-- claim-next queue, service levels and Erlang C staffing.
-- ===================================================================

-- cj_sla: per-tier target waits -------------------------------------

CREATE TYPE cj_sla;

CREATE FUNCTION cj_sla_in(cstring) RETURNS cj_sla
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_out(cj_sla) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_recv(internal) RETURNS cj_sla
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_send(cj_sla) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_sla (
	INPUT = cj_sla_in,
	OUTPUT = cj_sla_out,
	RECEIVE = cj_sla_recv,
	SEND = cj_sla_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE cj_sla IS 'per-tier target waits, e.g. ''platinum:30s, gold:2min, *:15min'' (* = default tier)';
COMMENT ON FUNCTION cj_sla_in(cstring) IS 'text input of cj_sla';
COMMENT ON FUNCTION cj_sla_out(cj_sla) IS 'canonical text output of cj_sla';
COMMENT ON FUNCTION cj_sla_recv(internal) IS 'binary input of cj_sla';
COMMENT ON FUNCTION cj_sla_send(cj_sla) IS 'binary output of cj_sla';

-- dispatch keys and SLA status ----------------------------------------

CREATE FUNCTION cj_due(arrived_at timestamptz, sla cj_sla, tier text)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_due(timestamptz, cj_sla, text) IS 'due time = arrival + the tier''s target wait (unlisted tiers use the * default); order a queue by it for earliest-deadline-first service';

CREATE FUNCTION cj_due(arrived_at timestamptz, value float8,
	base_target interval, credit_per_unit interval, min_target interval)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_due(timestamptz, float8, interval, interval, interval) IS 'value-based due time: arrival + max(min_target, base_target - value * credit_per_unit)';

CREATE FUNCTION cj_sla_target(sla cj_sla, tier text) RETURNS interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_target(cj_sla, text) IS 'target wait of a tier (or of the * default) as a time-only interval';

CREATE FUNCTION cj_sla_status(arrived_at timestamptz, due timestamptz, now timestamptz)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_status(timestamptz, timestamptz, timestamptz) IS 'on_track, at_risk (75 % of the target elapsed) or breached (now past due)';

CREATE FUNCTION cj_stale_cutoff(timeout interval) RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_stale_cutoff(interval) IS 'now() - timeout for a positive fixed-length timeout: claims older than this are stale';

-- the queue kit -------------------------------------------------------

CREATE SEQUENCE cj_ticket_id_seq;
COMMENT ON SEQUENCE cj_ticket_id_seq IS 'ids of cj_ticket';

CREATE TABLE cj_ticket (
	id bigint NOT NULL
		DEFAULT pg_catalog.nextval('cj_ticket_id_seq'::pg_catalog.regclass),
	customer text NOT NULL,
	tier text,
	value float8,
	skills text[] NOT NULL DEFAULT '{}'::text[],
	arrived_at timestamptz NOT NULL,
	due timestamptz NOT NULL,
	state text NOT NULL DEFAULT 'waiting'::text,
	agent text,
	claimed_at timestamptz,
	closed_at timestamptz,
	claims integer NOT NULL DEFAULT 0,
	queue text NOT NULL DEFAULT 'default'::text,
	CONSTRAINT cj_ticket_pkey PRIMARY KEY (id),
	CONSTRAINT cj_ticket_state_check CHECK (state OPERATOR(pg_catalog.=) ANY
		(ARRAY['waiting', 'claimed', 'completed', 'abandoned']::text[])),
	CONSTRAINT cj_ticket_due_check CHECK (due OPERATOR(pg_catalog.>=) arrived_at),
	CONSTRAINT cj_ticket_skills_check
		CHECK (pg_catalog.array_position(skills, NULL::text) IS NULL),
	CONSTRAINT cj_ticket_claim_check
		CHECK (state OPERATOR(pg_catalog.<>) 'claimed'::text
			   OR (agent IS NOT NULL AND claimed_at IS NOT NULL))
)
-- every claim leaves a dead entry at the head of the dispatch index until
-- vacuum removes it: vacuum a queue after a fixed number of claims rather
-- than a share of the table
WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
ALTER SEQUENCE cj_ticket_id_seq OWNED BY cj_ticket.id;

-- a claim is one probe of this index: the earliest-due waiting ticket of
-- a queue
CREATE INDEX cj_ticket_waiting_idx ON cj_ticket (queue, due, id)
	WHERE state OPERATOR(pg_catalog.=) 'waiting'::text;
CREATE INDEX cj_ticket_claimed_idx ON cj_ticket (claimed_at)
	WHERE state OPERATOR(pg_catalog.=) 'claimed'::text;

COMMENT ON TABLE cj_ticket IS 'service queue: one row per contact, dispatched earliest-due first';
COMMENT ON INDEX cj_ticket_waiting_idx IS 'waiting tickets of each queue in dispatch order (a claim is one probe)';
COMMENT ON INDEX cj_ticket_claimed_idx IS 'claimed tickets by claim time (stale-claim sweep)';

-- pg_dump keeps the rows users add, and the id sequence
SELECT pg_catalog.pg_extension_config_dump('cj_ticket', '');
SELECT pg_catalog.pg_extension_config_dump('cj_ticket_id_seq', '');

CREATE FUNCTION cj_enqueue(customer text, tier text, sla cj_sla,
	skills text[] DEFAULT '{}'::text[],
	arrived_at timestamptz DEFAULT pg_catalog.now(),
	value float8 DEFAULT NULL::float8,
	queue text DEFAULT 'default'::text)
RETURNS bigint
LANGUAGE SQL VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	INSERT INTO cj_ticket (customer, tier, value, skills, arrived_at, due, queue)
	VALUES (cj_enqueue.customer, cj_enqueue.tier, cj_enqueue.value,
			cj_enqueue.skills, cj_enqueue.arrived_at,
			cj_due(cj_enqueue.arrived_at, cj_enqueue.sla,
				   COALESCE(cj_enqueue.tier, '*'::text)),
			cj_enqueue.queue)
	RETURNING id;
END;
COMMENT ON FUNCTION cj_enqueue(text, text, cj_sla, text[], timestamptz, float8, text) IS 'add a waiting ticket due at arrival + the tier''s SLA target (a NULL tier takes the default); returns its id';

CREATE FUNCTION cj_enqueue_due(customer text, due timestamptz,
	skills text[] DEFAULT '{}'::text[],
	arrived_at timestamptz DEFAULT pg_catalog.now(),
	tier text DEFAULT NULL::text,
	value float8 DEFAULT NULL::float8,
	queue text DEFAULT 'default'::text)
RETURNS bigint
LANGUAGE SQL VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	INSERT INTO cj_ticket (customer, tier, value, skills, arrived_at, due, queue)
	VALUES (cj_enqueue_due.customer, cj_enqueue_due.tier, cj_enqueue_due.value,
			cj_enqueue_due.skills, cj_enqueue_due.arrived_at, cj_enqueue_due.due,
			cj_enqueue_due.queue)
	RETURNING id;
END;
COMMENT ON FUNCTION cj_enqueue_due(text, timestamptz, text[], timestamptz, text, float8, text) IS 'add a waiting ticket with a due time computed by the caller (e.g. the value-based cj_due); returns its id';

CREATE FUNCTION cj_claim(agent text, skills text[] DEFAULT '{}'::text[],
	queue text DEFAULT 'default'::text)
RETURNS SETOF cj_ticket
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE ROWS 1
BEGIN ATOMIC
	WITH next AS (
		SELECT t.id FROM cj_ticket t
		WHERE t.queue = cj_claim.queue AND t.state = 'waiting'::text
		  AND t.skills <@ cj_claim.skills
		ORDER BY t.due, t.id
		LIMIT 1
		FOR UPDATE SKIP LOCKED
	)
	UPDATE cj_ticket t
	SET state = 'claimed'::text, agent = cj_claim.agent,
		claimed_at = pg_catalog.now(), claims = t.claims + 1
	FROM next
	WHERE t.id = next.id
	RETURNING t.*;
END;
COMMENT ON FUNCTION cj_claim(text, text[], text) IS 'claim the earliest-due waiting ticket of the queue whose required skills the agent has (FOR UPDATE SKIP LOCKED); no row when none';

CREATE FUNCTION cj_complete(ticket bigint) RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH u AS (
		UPDATE cj_ticket t SET state = 'completed'::text, closed_at = pg_catalog.now()
		WHERE t.id = cj_complete.ticket AND t.state = 'claimed'::text
		RETURNING 1
	)
	SELECT count(*) = 1 FROM u;
END;
COMMENT ON FUNCTION cj_complete(bigint) IS 'mark a claimed ticket completed; false when it is not claimed';

CREATE FUNCTION cj_abandon(ticket bigint) RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH u AS (
		UPDATE cj_ticket t SET state = 'abandoned'::text, closed_at = pg_catalog.now()
		WHERE t.id = cj_abandon.ticket
		  AND t.state = ANY (ARRAY['waiting', 'claimed']::text[])
		RETURNING 1
	)
	SELECT count(*) = 1 FROM u;
END;
COMMENT ON FUNCTION cj_abandon(bigint) IS 'the customer left: take a waiting or claimed ticket out of the queue; false when it is already closed';

CREATE FUNCTION cj_release(ticket bigint) RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH u AS (
		UPDATE cj_ticket t SET state = 'waiting'::text, agent = NULL, claimed_at = NULL
		WHERE t.id = cj_release.ticket AND t.state = 'claimed'::text
		RETURNING 1
	)
	SELECT count(*) = 1 FROM u;
END;
COMMENT ON FUNCTION cj_release(bigint) IS 'hand a claimed ticket back to the queue, keeping its due time; false when it is not claimed';

CREATE FUNCTION cj_requeue_stale(timeout interval) RETURNS bigint
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH stale AS (
		SELECT t.id FROM cj_ticket t
		WHERE t.state = 'claimed'::text
		  AND t.claimed_at < cj_stale_cutoff(cj_requeue_stale.timeout)
		FOR UPDATE SKIP LOCKED
	), u AS (
		UPDATE cj_ticket t SET state = 'waiting'::text, agent = NULL, claimed_at = NULL
		FROM stale WHERE t.id = stale.id
		RETURNING 1
	)
	SELECT count(*) FROM u;
END;
COMMENT ON FUNCTION cj_requeue_stale(interval) IS 'return tickets claimed longer ago than timeout (their agent vanished) to the queue, keeping their due times; returns how many';

-- service level and wait statistics -----------------------------------

CREATE TYPE cj_wait_state;

CREATE FUNCTION cj_wait_state_in(cstring) RETURNS cj_wait_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_wait_state_out(cj_wait_state) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_wait_state_recv(internal) RETURNS cj_wait_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_wait_state_send(cj_wait_state) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_wait_state (
	INPUT = cj_wait_state_in,
	OUTPUT = cj_wait_state_out,
	RECEIVE = cj_wait_state_recv,
	SEND = cj_wait_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE cj_wait_state IS 'partial state of cj_service_level and cj_wait_stats';
COMMENT ON FUNCTION cj_wait_state_in(cstring) IS 'text input of cj_wait_state';
COMMENT ON FUNCTION cj_wait_state_out(cj_wait_state) IS 'exact text output of cj_wait_state';
COMMENT ON FUNCTION cj_wait_state_recv(internal) IS 'binary input of cj_wait_state';
COMMENT ON FUNCTION cj_wait_state_send(cj_wait_state) IS 'binary output of cj_wait_state';

CREATE TYPE cj_wait_summary AS (
	n bigint,
	mean interval,
	min interval,
	p50 interval,
	p90 interval,
	p99 interval,
	max interval
);
COMMENT ON TYPE cj_wait_summary IS 'result of cj_wait_stats: count, mean, min, percentiles (within 1.6 %) and max of waits';

CREATE FUNCTION cj_service_level_trans(cj_wait_state, interval, interval)
RETURNS cj_wait_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_wait_stats_trans(cj_wait_state, interval)
RETURNS cj_wait_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_wait_state_combine(cj_wait_state, cj_wait_state)
RETURNS cj_wait_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_service_level_final(cj_wait_state) RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_wait_stats_final(cj_wait_state) RETURNS cj_wait_summary
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_service_level_trans(cj_wait_state, interval, interval) IS 'transition function of cj_service_level';
COMMENT ON FUNCTION cj_wait_stats_trans(cj_wait_state, interval) IS 'transition function of cj_wait_stats';
COMMENT ON FUNCTION cj_wait_state_combine(cj_wait_state, cj_wait_state) IS 'combine function of cj_service_level and cj_wait_stats';
COMMENT ON FUNCTION cj_service_level_final(cj_wait_state) IS 'final function of cj_service_level';
COMMENT ON FUNCTION cj_wait_stats_final(cj_wait_state) IS 'final function of cj_wait_stats';

CREATE AGGREGATE cj_service_level(wait interval, target interval) (
	SFUNC = cj_service_level_trans,
	STYPE = cj_wait_state,
	FINALFUNC = cj_service_level_final,
	COMBINEFUNC = cj_wait_state_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_service_level(interval, interval) IS 'share of contacts answered within their target wait (wait <= target); NULL waits are ignored';

CREATE AGGREGATE cj_wait_stats(wait interval) (
	SFUNC = cj_wait_stats_trans,
	STYPE = cj_wait_state,
	FINALFUNC = cj_wait_stats_final,
	COMBINEFUNC = cj_wait_state_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_wait_stats(interval) IS 'count, mean, min, p50/p90/p99 (within 1.6 %) and max of waits';

-- Erlang C staffing ---------------------------------------------------

CREATE FUNCTION cj_erlang_c(agents integer, arrival_rate float8, aht float8)
RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_erlang_c(integer, float8, float8) IS 'Erlang C probability that a contact waits; arrival_rate per time unit, aht in that unit; 1 when overloaded';

CREATE FUNCTION cj_erlang_service_level(agents integer, arrival_rate float8,
	aht float8, target_wait float8)
RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_erlang_service_level(integer, float8, float8, float8) IS 'Erlang C share answered within target_wait (same time unit as aht); 0 when overloaded';

CREATE FUNCTION cj_erlang_asa(agents integer, arrival_rate float8, aht float8)
RETURNS float8
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_erlang_asa(integer, float8, float8) IS 'Erlang C average speed of answer in the unit of aht; Infinity when overloaded';

CREATE FUNCTION cj_erlang_agents(arrival_rate float8, aht float8,
	target_level float8, target_wait float8)
RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_erlang_agents(float8, float8, float8, float8) IS 'fewest agents whose Erlang C service level reaches target_level within target_wait';

CREATE FUNCTION cj_priority_waits(agents integer, arrival_rates float8[], aht float8)
RETURNS float8[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_priority_waits(integer, float8[], float8) IS 'mean wait per class of a non-preemptive priority M/M/c queue (Cobham), classes in priority order; Infinity for classes that never clear';

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
