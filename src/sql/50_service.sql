
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
