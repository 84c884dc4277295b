
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
