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

-- Statements, expiring points, liability, transfers --------------------

CREATE FUNCTION cj_points_statement(ledger cj_points_ledger, "from" timestamptz, "to" timestamptz,
    OUT at timestamptz, OUT kind text, OUT ref text, OUT points numeric, OUT change numeric,
    OUT available_after numeric, OUT pending_after numeric, OUT negative_after numeric,
    OUT note text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION cj_points_statement(cj_points_ledger, timestamptz, timestamptz) IS
    'points statement between two times: opening row (cj_points_balance at from), every movement, availability and expiry after from up to to with running balances, closing row (cj_points_balance at to)';

CREATE FUNCTION cj_points_expiring(ledger cj_points_ledger, as_of timestamptz, within interval,
    OUT expires_at timestamptz, OUT points numeric)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION cj_points_expiring(cj_points_ledger, timestamptz, interval) IS
    'points that expire after as_of and up to as_of + within if no further movement occurs, one row per expiry time';

CREATE FUNCTION cj_points_expiring_total(ledger cj_points_ledger, as_of timestamptz, within interval)
    RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(sum(e.points), 0) FROM cj_points_expiring(ledger, as_of, within) e;
END;
COMMENT ON FUNCTION cj_points_expiring_total(cj_points_ledger, timestamptz, interval) IS
    'total of cj_points_expiring: points that expire after as_of and up to as_of + within';

CREATE FUNCTION cj_points_liability(ledger cj_points_ledger, as_of timestamptz, horizon interval,
    OUT month date, OUT expiring numeric, OUT outstanding numeric)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 13;
COMMENT ON FUNCTION cj_points_liability(cj_points_ledger, timestamptz, interval) IS
    'per month from as_of to as_of + horizon (session time zone): points expiring in the month and points outstanding (available + pending) at its end, if no further movement occurs';

CREATE FUNCTION cj_points_transfer_lots(ledger cj_points_ledger, points numeric, at timestamptz,
    OUT points numeric, OUT expires_at timestamptz)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION cj_points_transfer_lots(cj_points_ledger, numeric, timestamptz) IS
    'the slices of the sender''s spendable lots a transfer of points at a time takes, soonest expiry first: the receiver''s transfer_in rows (error 22023 beyond the available balance)';

-- ==== lifetime value: uncertainty and windows ====

-- ==== lifetime value: covariates ====
