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

CREATE TYPE cj_liability;
CREATE FUNCTION cj_liability_in(cstring) RETURNS cj_liability
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_liability_out(cj_liability) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_liability_recv(internal) RETURNS cj_liability
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_liability_send(cj_liability) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_liability (
    INPUT = cj_liability_in,
    OUTPUT = cj_liability_out,
    RECEIVE = cj_liability_recv,
    SEND = cj_liability_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE cj_liability IS
    'points liability by month, summed over members: ''2024-01: 0/100; 2024-02: 30/70'' (expiring in the month / outstanding at its end)';
COMMENT ON FUNCTION cj_liability_in(cstring) IS 'text input of cj_liability';
COMMENT ON FUNCTION cj_liability_out(cj_liability) IS 'canonical text output of cj_liability';
COMMENT ON FUNCTION cj_liability_recv(internal) IS 'binary input of cj_liability (re-validated)';
COMMENT ON FUNCTION cj_liability_send(cj_liability) IS 'binary output of cj_liability';

CREATE FUNCTION cj_liability_sfunc(cj_liability, cj_points_ledger, timestamptz, interval) RETURNS cj_liability
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_liability_sfunc(cj_liability, cj_points_ledger, timestamptz, interval) IS
    'transition function of cj_points_liability_sum';
CREATE FUNCTION cj_liability_combine(cj_liability, cj_liability) RETURNS cj_liability
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_liability_combine(cj_liability, cj_liability) IS
    'combine function of cj_points_liability_sum (month-wise sums)';
CREATE AGGREGATE cj_points_liability_sum(ledger cj_points_ledger, as_of timestamptz, horizon interval) (
    SFUNC = cj_liability_sfunc,
    STYPE = cj_liability,
    COMBINEFUNC = cj_liability_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_points_liability_sum(cj_points_ledger, timestamptz, interval) IS
    'cj_points_liability summed over members (same as_of and horizon for all): the program''s liability by month';

CREATE FUNCTION cj_liability_months(liability cj_liability,
    OUT month date, OUT expiring numeric, OUT outstanding numeric)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 13;
COMMENT ON FUNCTION cj_liability_months(cj_liability) IS
    'the months of a cj_liability: points expiring in each and outstanding at its end';

CREATE FUNCTION cj_points_transfer_lots(ledger cj_points_ledger, points numeric, at timestamptz,
    OUT points numeric, OUT expires_at timestamptz)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION cj_points_transfer_lots(cj_points_ledger, numeric, timestamptz) IS
    'the slices of the sender''s spendable lots a transfer of points at a time takes, soonest expiry first: the receiver''s transfer_in rows (error 22023 beyond the available balance)';

-- Earning rules -----------------------------------------------------------

CREATE TYPE cj_earn_rule;
CREATE FUNCTION cj_earn_rule_in(cstring) RETURNS cj_earn_rule
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_earn_rule_out(cj_earn_rule) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_earn_rule_recv(internal) RETURNS cj_earn_rule
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_earn_rule_send(cj_earn_rule) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_earn_rule (
    INPUT = cj_earn_rule_in,
    OUTPUT = cj_earn_rule_out,
    RECEIVE = cj_earn_rule_recv,
    SEND = cj_earn_rule_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended
);
COMMENT ON TYPE cj_earn_rule IS
    'earning rule: ''1 per 1.00; silver x1.25; gold x1.5; cap 5000; min 10.00; round floor'' (exact decimals; round floor, nearest or half_even)';
COMMENT ON FUNCTION cj_earn_rule_in(cstring) IS 'text input of cj_earn_rule';
COMMENT ON FUNCTION cj_earn_rule_out(cj_earn_rule) IS 'canonical text output of cj_earn_rule';
COMMENT ON FUNCTION cj_earn_rule_recv(internal) IS 'binary input of cj_earn_rule (re-validated)';
COMMENT ON FUNCTION cj_earn_rule_send(cj_earn_rule) IS 'binary output of cj_earn_rule';

CREATE FUNCTION cj_earn(amount numeric, rule cj_earn_rule, tier text DEFAULT NULL) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_earn(numeric, cj_earn_rule, text) IS
    'points an amount earns under a rule, exactly: 0 below the minimum spend, else amount * rate / per * the tier''s multiplier (1 for an unlisted or NULL tier) rounded to whole points, then capped';

-- Tier status for members; ladders as values -----------------------------

CREATE FUNCTION cj_tier_keep_gap(ladder cj_ladder, current text, qualifying numeric) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_tier_keep_gap(cj_ladder, text, numeric) IS
    'qualifying amount still needed to keep the current tier at the next review (its keep threshold minus the figure), 0 when met';

CREATE FUNCTION cj_tier_projection(ladder cj_ladder, current text, qualifying_so_far numeric,
                                   qualification_window daterange, as_of date, policy text,
                                   floor text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_tier_projection(cj_ladder, text, numeric, daterange, date, text, text) IS
    'tier at the review if the member keeps the pace so far: cj_tier_review of floor(qualifying_so_far * window days / days elapsed including as_of) in millionths';

CREATE FUNCTION cj_ladder_eq(cj_ladder, cj_ladder) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_ladder_eq(cj_ladder, cj_ladder) IS 'equality of ladders (same tiers, names and thresholds)';
CREATE FUNCTION cj_ladder_ne(cj_ladder, cj_ladder) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_ladder_ne(cj_ladder, cj_ladder) IS 'inequality of ladders';
CREATE FUNCTION cj_ladder_hash(cj_ladder) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_ladder_hash(cj_ladder) IS 'hash of a ladder (hash opclass support)';
CREATE FUNCTION cj_ladder_hash_extended(cj_ladder, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_ladder_hash_extended(cj_ladder, bigint) IS 'seeded 64-bit hash of a ladder (hash opclass support)';

CREATE OPERATOR = (LEFTARG = cj_ladder, RIGHTARG = cj_ladder, FUNCTION = cj_ladder_eq,
                   COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
COMMENT ON OPERATOR = (cj_ladder, cj_ladder) IS 'equal ladders';
CREATE OPERATOR <> (LEFTARG = cj_ladder, RIGHTARG = cj_ladder, FUNCTION = cj_ladder_ne,
                    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR <> (cj_ladder, cj_ladder) IS 'different ladders';

CREATE OPERATOR CLASS cj_ladder_hash_ops DEFAULT FOR TYPE cj_ladder USING hash AS
    OPERATOR 1 = (cj_ladder, cj_ladder),
    FUNCTION 1 cj_ladder_hash(cj_ladder),
    FUNCTION 2 cj_ladder_hash_extended(cj_ladder, bigint);
COMMENT ON OPERATOR CLASS cj_ladder_hash_ops USING hash IS 'hashing of cj_ladder (GROUP BY, DISTINCT, hash joins)';
COMMENT ON OPERATOR FAMILY cj_ladder_hash_ops USING hash IS 'hashing of cj_ladder';

-- ==== lifetime value: uncertainty and windows ====

-- ==== lifetime value: covariates ====
