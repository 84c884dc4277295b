-- custjourney 1.1 -> 1.2
-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION custjourney UPDATE TO '1.2'" to load this file. \quit

-- Sections by area; each change adds its objects to its own section.

-- ==== reliability: states, limits, output domain ====

-- ==== reliability: maths ====

-- ==== service: queue integrity and Citus ====

-- A claim is (ticket, agent, claim number): cj_claim already returns the
-- whole ticket row, and its claims column, incremented by every claim, is
-- the claim number.  The checked forms below act only on the ticket's
-- current claim; anything else raises SQLSTATE 55J01 and changes nothing.
-- The one-argument forms keep working where no claim is involved (a
-- ticket that is not claimed: false, or for cj_abandon, a waiting ticket
-- the customer left), and refuse a claimed ticket with 55J01: acting on a
-- claim needs the claim.

CREATE FUNCTION cj_claim_error(action text, ticket bigint, agent text,
	claim integer, state text, holder text, held_claim integer)
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION cj_claim_error(text, bigint, text, integer, text, text, integer) IS 'internal to the queue kit: raises the stale-claim error (SQLSTATE 55J01) describing the ticket''s current state, state/holder/held_claim; never returns';

CREATE FUNCTION cj_complete(ticket bigint, agent text, claim integer)
RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH u AS (
		UPDATE cj_ticket t SET state = 'completed'::text, closed_at = pg_catalog.now()
		WHERE t.id = cj_complete.ticket AND t.state = 'claimed'::text
		  AND t.agent = cj_complete.agent AND t.claims = cj_complete.claim
		RETURNING 1
	)
	SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN true
		ELSE cj_claim_error('complete'::text, cj_complete.ticket,
			cj_complete.agent, cj_complete.claim,
			(SELECT t.state FROM cj_ticket t WHERE t.id = cj_complete.ticket),
			(SELECT t.agent FROM cj_ticket t WHERE t.id = cj_complete.ticket),
			(SELECT t.claims FROM cj_ticket t WHERE t.id = cj_complete.ticket))
	END;
END;
COMMENT ON FUNCTION cj_complete(bigint, text, integer) IS 'complete a ticket under its current claim (agent and claim number from cj_claim): claimed -> completed, true; a stale or foreign claim raises SQLSTATE 55J01 and changes nothing';

CREATE FUNCTION cj_release(ticket bigint, agent text, claim integer)
RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH u AS (
		UPDATE cj_ticket t SET state = 'waiting'::text, agent = NULL, claimed_at = NULL
		WHERE t.id = cj_release.ticket AND t.state = 'claimed'::text
		  AND t.agent = cj_release.agent AND t.claims = cj_release.claim
		RETURNING 1
	)
	SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN true
		ELSE cj_claim_error('release'::text, cj_release.ticket,
			cj_release.agent, cj_release.claim,
			(SELECT t.state FROM cj_ticket t WHERE t.id = cj_release.ticket),
			(SELECT t.agent FROM cj_ticket t WHERE t.id = cj_release.ticket),
			(SELECT t.claims FROM cj_ticket t WHERE t.id = cj_release.ticket))
	END;
END;
COMMENT ON FUNCTION cj_release(bigint, text, integer) IS 'hand a ticket back to the queue under its current claim (agent and claim number from cj_claim), keeping its due time: claimed -> waiting, true; a stale or foreign claim raises SQLSTATE 55J01 and changes nothing';

CREATE FUNCTION cj_abandon(ticket bigint, agent text, claim integer)
RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH u AS (
		UPDATE cj_ticket t SET state = 'abandoned'::text, closed_at = pg_catalog.now()
		WHERE t.id = cj_abandon.ticket AND t.state = 'claimed'::text
		  AND t.agent = cj_abandon.agent AND t.claims = cj_abandon.claim
		RETURNING 1
	)
	SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN true
		ELSE cj_claim_error('abandon'::text, cj_abandon.ticket,
			cj_abandon.agent, cj_abandon.claim,
			(SELECT t.state FROM cj_ticket t WHERE t.id = cj_abandon.ticket),
			(SELECT t.agent FROM cj_ticket t WHERE t.id = cj_abandon.ticket),
			(SELECT t.claims FROM cj_ticket t WHERE t.id = cj_abandon.ticket))
	END;
END;
COMMENT ON FUNCTION cj_abandon(bigint, text, integer) IS 'the customer left while an agent held the ticket: claimed -> abandoned under its current claim (agent and claim number from cj_claim), true; a stale or foreign claim raises SQLSTATE 55J01 and changes nothing';

-- On Citus the queue kit works with cj_ticket as a plain table on the
-- coordinator only (doc/queue.md): its SQL functions cannot run on a
-- reference or distributed table, undistribute_table cannot take an
-- extension's table back, and DROP EXTENSION then leaves the shards behind.
-- Citus refuses to distribute a table that has a trigger, so cj_ticket gets
-- one that never runs during claims (BEFORE TRUNCATE, per statement) and
-- does nothing.
CREATE FUNCTION cj_ticket_guard() RETURNS trigger
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION cj_ticket_guard() IS 'internal to the queue kit: the no-op function of the trigger cj_ticket_keep_local';
CREATE TRIGGER cj_ticket_keep_local BEFORE TRUNCATE ON cj_ticket
	FOR EACH STATEMENT EXECUTE FUNCTION cj_ticket_guard();
COMMENT ON TRIGGER cj_ticket_keep_local ON cj_ticket IS 'does nothing; its presence makes Citus refuse to distribute cj_ticket, which the queue kit needs as a coordinator-local table';

-- The installing role gets the queue: a trusted install runs this script
-- as the bootstrap superuser, who then owns cj_ticket and its sequence.
-- Grants (not ownership, see CONVENTIONS section 2) with grant option, so
-- the installer can use the queue and pass it on to its agents' roles.
-- TRIGGER and REFERENCES are left out: a trigger the installer attached
-- would run with the privileges of whoever later writes to the queue.
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLE cj_ticket
	TO @extowner@ WITH GRANT OPTION;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE cj_ticket_id_seq
	TO @extowner@ WITH GRANT OPTION;

-- the one-argument forms: a claimed ticket needs its claim
CREATE OR REPLACE FUNCTION cj_complete(ticket bigint) RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	SELECT COALESCE((SELECT CASE WHEN t.state = 'claimed'::text
			THEN cj_claim_error('complete'::text, cj_complete.ticket, NULL::text,
				NULL::integer, t.state, t.agent, t.claims)
			ELSE false END
		FROM cj_ticket t WHERE t.id = cj_complete.ticket), false);
END;
COMMENT ON FUNCTION cj_complete(bigint) IS 'false for a ticket that is not claimed; a claimed ticket is completed only under its claim, cj_complete(ticket, agent, claim): here it raises SQLSTATE 55J01';

CREATE OR REPLACE FUNCTION cj_release(ticket bigint) RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	SELECT COALESCE((SELECT CASE WHEN t.state = 'claimed'::text
			THEN cj_claim_error('release'::text, cj_release.ticket, NULL::text,
				NULL::integer, t.state, t.agent, t.claims)
			ELSE false END
		FROM cj_ticket t WHERE t.id = cj_release.ticket), false);
END;
COMMENT ON FUNCTION cj_release(bigint) IS 'false for a ticket that is not claimed; a claimed ticket is released only under its claim, cj_release(ticket, agent, claim): here it raises SQLSTATE 55J01';

CREATE OR REPLACE FUNCTION cj_abandon(ticket bigint) RETURNS boolean
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE
BEGIN ATOMIC
	WITH u AS (
		UPDATE cj_ticket t SET state = 'abandoned'::text, closed_at = pg_catalog.now()
		WHERE t.id = cj_abandon.ticket AND t.state = 'waiting'::text
		RETURNING 1
	)
	SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN true
		ELSE COALESCE((SELECT CASE WHEN t.state = 'claimed'::text
				THEN cj_claim_error('abandon'::text, cj_abandon.ticket, NULL::text,
					NULL::integer, t.state, t.agent, t.claims)
				ELSE false END
			FROM cj_ticket t WHERE t.id = cj_abandon.ticket), false)
	END;
END;
COMMENT ON FUNCTION cj_abandon(bigint) IS 'the customer left: take a waiting ticket out of the queue (true; false when it is already closed); a claimed ticket is abandoned only under its claim, cj_abandon(ticket, agent, claim): here it raises SQLSTATE 55J01';

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
