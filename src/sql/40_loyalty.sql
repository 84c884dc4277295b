
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
