-- custjourney 1.0 -> 1.1
-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION custjourney UPDATE TO '1.1'" to load this file. \quit

-- cj_dert gets the (cj_history, as_of) overload every other score of a
-- purchase history has
CREATE FUNCTION cj_dert(m cj_model, h cj_history, as_of timestamptz, continuous_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_dert_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_dert(cj_model, cj_history, timestamptz, float8) IS 'Pareto/NBD discounted expected residual transactions of a customer with this history as of an instant, at a continuous discount rate per time unit';
