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
