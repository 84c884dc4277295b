-- custjourney 1.1 -> 1.2
-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION custjourney UPDATE TO '1.2'" to load this file. \quit

-- Sections by area; each change adds its objects to its own section.

-- ==== reliability: states, limits, output domain ====

-- ==== reliability: maths ====

-- ==== service: queue integrity and Citus ====

-- ==== service: routing ====

-- ==== service: calendars and SLA clocks ====

-- ==== touchpoints: customer memory ====

-- ==== loyalty: statements, transfers, earning ====

-- ==== lifetime value: uncertainty and windows ====

-- ==== lifetime value: covariates ====

-- ==== lifetime value: family registry ====

-- The registry of model families as a table: what each family is, what it
-- takes, a typical parameter vector and the scores it defines
CREATE FUNCTION cj_model_families(
    OUT family text, OUT title text, OUT kind text, OUT parameters text[],
    OUT data text[], OUT example cj_model, OUT scores text[])
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'cj_model_families' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION cj_model_families() IS 'every model family: name, title, kind (purchase, spend, contract), parameter and data names, a typical model and the scores it defines';

-- ==== lifetime value: parameter uncertainty ====

-- A converged fit records the covariance of its parameters (the inverse of
-- the observed information); these read it and turn it into intervals.
CREATE FUNCTION cj_vcov(m cj_model) RETURNS float8[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_vcov(cj_model) IS 'covariance matrix of the parameters of a fitted model (k x k, in the family''s parameter order); NULL when the model has none';
CREATE FUNCTION cj_std_error(m cj_model, name text) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_std_error(cj_model, text) IS 'standard error of one parameter of a fitted model; NULL when the model has no covariance';
CREATE FUNCTION cj_confint(m cj_model, name text, level float8 DEFAULT 0.95,
                           OUT lower float8, OUT upper float8)
    RETURNS record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_confint(cj_model, text, float8) IS 'confidence interval of one parameter at a level, on the log scale so that it stays positive';
CREATE FUNCTION cj_param_draws(m cj_model, n int4, seed int8) RETURNS SETOF cj_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION cj_param_draws(cj_model, int4, int8) IS 'n draws of a fitted model''s parameters from their asymptotic normal on the log scale, deterministic for a seed: an interval for any score is a query over them';
-- delta-method intervals of the two scores used most
CREATE FUNCTION cj_conditional_purchases_interval(m cj_model, x float8, t_x float8, age float8,
        t float8, level float8 DEFAULT 0.95,
        OUT estimate float8, OUT lower float8, OUT upper float8)
    RETURNS record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_purchases_interval(cj_model, float8, float8, float8, float8, float8) IS 'expected purchases in the next t with a delta-method confidence interval (log scale) from the model''s covariance';
CREATE FUNCTION cj_clv_interval(purchase_model cj_model, spend_model cj_model, x float8, t_x float8,
        age float8, m float8, periods int4, period_length float8, discount_rate float8,
        margin float8 DEFAULT 1, level float8 DEFAULT 0.95,
        OUT estimate float8, OUT lower float8, OUT upper float8)
    RETURNS record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv_interval(cj_model, cj_model, float8, float8, float8, float8, int4, float8, float8, float8, float8) IS 'customer lifetime value with a delta-method confidence interval (log scale) from both models'' covariances, taken as independent';
