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

-- ==== service: skill levels ====

-- cj_skillset: skills with levels, 'billing:5, spanish:3' (or a text[]
-- literal, '{billing,spanish}', level 1 each).  Category S (string), not
-- preferred: an unknown-typed literal given where one overload takes
-- text[] and another cj_skillset resolves to cj_skillset, whose input
-- reads the text[] form with the same meaning (doc/service.md).
CREATE TYPE cj_skillset;
CREATE FUNCTION cj_skillset_in(cstring) RETURNS cj_skillset
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_skillset_out(cj_skillset) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_skillset_recv(internal) RETURNS cj_skillset
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_skillset_send(cj_skillset) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_skillset (
	INPUT = cj_skillset_in,
	OUTPUT = cj_skillset_out,
	RECEIVE = cj_skillset_recv,
	SEND = cj_skillset_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended,
	CATEGORY = 'S',
	PREFERRED = false
);
COMMENT ON TYPE cj_skillset IS 'an agent''s skills with levels 1..100, e.g. ''billing:5, spanish:3''; a name without a level is level 1 and a text[] literal ''{billing,spanish}'' reads the same way';
COMMENT ON FUNCTION cj_skillset_in(cstring) IS 'text input of cj_skillset';
COMMENT ON FUNCTION cj_skillset_out(cj_skillset) IS 'canonical text output of cj_skillset (sorted by name, levels written)';
COMMENT ON FUNCTION cj_skillset_recv(internal) IS 'binary input of cj_skillset';
COMMENT ON FUNCTION cj_skillset_send(cj_skillset) IS 'binary output of cj_skillset';

-- cj_requirement: steps that relax as the ticket waits
CREATE TYPE cj_requirement;
CREATE FUNCTION cj_requirement_in(cstring) RETURNS cj_requirement
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_requirement_out(cj_requirement) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_requirement_recv(internal) RETURNS cj_requirement
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_requirement_send(cj_requirement) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_requirement (
	INPUT = cj_requirement_in,
	OUTPUT = cj_requirement_out,
	RECEIVE = cj_requirement_recv,
	SEND = cj_requirement_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended,
	CATEGORY = 'S',
	PREFERRED = false
);
COMMENT ON TYPE cj_requirement IS 'skills a ticket requires, in steps that relax as it waits, e.g. ''billing>=4 & spanish>=2 for 30s; billing>=2 for 2min; any''; a text[] literal ''{billing,spanish}'' is one step at level 1';
COMMENT ON FUNCTION cj_requirement_in(cstring) IS 'text input of cj_requirement';
COMMENT ON FUNCTION cj_requirement_out(cj_requirement) IS 'canonical text output of cj_requirement';
COMMENT ON FUNCTION cj_requirement_recv(internal) IS 'binary input of cj_requirement';
COMMENT ON FUNCTION cj_requirement_send(cj_requirement) IS 'binary output of cj_requirement';

-- equality and hashing (values are canonical: equal values, equal bytes)
CREATE FUNCTION cj_skillset_eq(cj_skillset, cj_skillset) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_skillset_ne(cj_skillset, cj_skillset) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_skillset_hash(cj_skillset) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_skillset_eq(cj_skillset, cj_skillset) IS 'same skills at the same levels';
COMMENT ON FUNCTION cj_skillset_ne(cj_skillset, cj_skillset) IS 'different skill sets';
COMMENT ON FUNCTION cj_skillset_hash(cj_skillset) IS 'hash of the canonical form of a cj_skillset';
CREATE OPERATOR = (
	LEFTARG = cj_skillset, RIGHTARG = cj_skillset, FUNCTION = cj_skillset_eq,
	COMMUTATOR = OPERATOR(=), NEGATOR = OPERATOR(<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = cj_skillset, RIGHTARG = cj_skillset, FUNCTION = cj_skillset_ne,
	COMMUTATOR = OPERATOR(<>), NEGATOR = OPERATOR(=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR =(cj_skillset, cj_skillset) IS 'same skill set';
COMMENT ON OPERATOR <>(cj_skillset, cj_skillset) IS 'different skill sets';
CREATE OPERATOR CLASS cj_skillset_hash_ops DEFAULT FOR TYPE cj_skillset USING hash AS
	OPERATOR 1 = (cj_skillset, cj_skillset),
	FUNCTION 1 cj_skillset_hash(cj_skillset);
COMMENT ON OPERATOR CLASS cj_skillset_hash_ops USING hash IS 'hash equality of cj_skillset';
COMMENT ON OPERATOR FAMILY cj_skillset_hash_ops USING hash IS 'hash equality of cj_skillset';

CREATE FUNCTION cj_requirement_eq(cj_requirement, cj_requirement) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_requirement_ne(cj_requirement, cj_requirement) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_requirement_hash(cj_requirement) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_requirement_eq(cj_requirement, cj_requirement) IS 'same steps, terms and durations';
COMMENT ON FUNCTION cj_requirement_ne(cj_requirement, cj_requirement) IS 'different requirements';
COMMENT ON FUNCTION cj_requirement_hash(cj_requirement) IS 'hash of the canonical form of a cj_requirement';
CREATE OPERATOR = (
	LEFTARG = cj_requirement, RIGHTARG = cj_requirement, FUNCTION = cj_requirement_eq,
	COMMUTATOR = OPERATOR(=), NEGATOR = OPERATOR(<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = cj_requirement, RIGHTARG = cj_requirement, FUNCTION = cj_requirement_ne,
	COMMUTATOR = OPERATOR(<>), NEGATOR = OPERATOR(=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR =(cj_requirement, cj_requirement) IS 'same requirement';
COMMENT ON OPERATOR <>(cj_requirement, cj_requirement) IS 'different requirements';
CREATE OPERATOR CLASS cj_requirement_hash_ops DEFAULT FOR TYPE cj_requirement USING hash AS
	OPERATOR 1 = (cj_requirement, cj_requirement),
	FUNCTION 1 cj_requirement_hash(cj_requirement);
COMMENT ON OPERATOR CLASS cj_requirement_hash_ops USING hash IS 'hash equality of cj_requirement';
COMMENT ON OPERATOR FAMILY cj_requirement_hash_ops USING hash IS 'hash equality of cj_requirement';

-- from today's text[] skills (AS ASSIGNMENT: never chosen implicitly in
-- function or operator resolution, but ALTER COLUMN ... TYPE and INSERT
-- convert a text[] column without USING)
CREATE FUNCTION cj_skillset(skills text[]) RETURNS cj_skillset
AS 'MODULE_PATHNAME', 'cj_skillset_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_skillset(text[]) IS 'skill set holding each element at level 1 (NULL elements dropped, repeats merged)';
CREATE FUNCTION cj_requirement(skills text[]) RETURNS cj_requirement
AS 'MODULE_PATHNAME', 'cj_requirement_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_requirement(text[]) IS 'one-step requirement of each element at level 1 (repeats merged; a NULL element is an error)';
CREATE CAST (text[] AS cj_skillset) WITH FUNCTION cj_skillset(text[]) AS ASSIGNMENT;
COMMENT ON CAST (text[] AS cj_skillset) IS 'each element a skill of level 1, as cj_skillset(text[])';
CREATE CAST (text[] AS cj_requirement) WITH FUNCTION cj_requirement(text[]) AS ASSIGNMENT;
COMMENT ON CAST (text[] AS cj_requirement) IS 'one step requiring each element at level 1, as cj_requirement(text[])';

-- matching
CREATE FUNCTION cj_satisfies(s cj_skillset, r cj_requirement, waited interval DEFAULT '0')
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_satisfies(cj_skillset, cj_requirement, interval) IS 'true when the skill set meets the step of the requirement in force after waiting waited (no months; a negative wait is the first step)';
CREATE FUNCTION cj_requirement_step(r cj_requirement, waited interval) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_requirement_step(cj_requirement, interval) IS 'number (from 1) of the step of the requirement in force after waiting waited';
CREATE FUNCTION cj_eligible_after(r cj_requirement, s cj_skillset) RETURNS interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_eligible_after(cj_requirement, cj_skillset) IS 'shortest wait after which the skill set meets the requirement (and meets it from then on); NULL when it never does';
CREATE FUNCTION cj_skill_level(s cj_skillset, skill text) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_skill_level(cj_skillset, text) IS 'level of a skill in the set, 0 when the set lacks it';
CREATE FUNCTION cj_skills(s cj_skillset) RETURNS text[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_skills(cj_skillset) IS 'names of the skills of the set, in canonical (byte) order';

-- ==== service: routing ====

-- Routing: preferred agents, callbacks (not_before), routing profiles over
-- several queues, and the customer's place in line (doc/service.md,
-- "Routing").  A waiting ticket is in one of three phases:
--   hidden  before not_before: no claim sees it;
--   pinned  inside its preferred agent's window: only that agent;
--   open    every agent holding its skills, in due order.
-- held_until is the end of the current phase (NULL: open).  Each phase has
-- its own index, so a claim stays a few index probes: the open pool
-- (queue, due, id), the agent's pinned tickets (queue, preferred_agent,
-- due, id), and the timer (queue, held_until) from which every claim first
-- moves the tickets whose phase has ended (each ticket moves at most twice
-- in its life, so this is amortised constant work).

CREATE FUNCTION cj_routing_window(arrived_at timestamptz, due timestamptz,
	preferred_agent text, prefer_for interval, prefer_required boolean,
	not_before timestamptz, skills text[], has_requirement boolean)
RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_routing_window(timestamptz, timestamptz, text, interval, boolean, timestamptz, text[], boolean) IS 'internal to the queue kit: checks a ticket''s routing arguments (SQLSTATE 22023) and returns the end of its preferred-agent window, NULL without a preferred agent';

CREATE FUNCTION cj_routing_queues(queue text, queues text[], delays interval[])
RETURNS text[]
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_routing_queues(text, text[], interval[]) IS 'internal to the queue kit: checks a routing profile (distinct non-empty queues, one delay each) and returns the queues a claim probes; {queue} without a profile';

CREATE FUNCTION cj_routing_wait(ahead bigint, agents integer, aht interval)
RETURNS interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_routing_wait(bigint, integer, interval) IS 'expected wait with ahead customers ahead when all agents are busy and handle times are exponential with mean aht (M/M/c, as Erlang C): (ahead + 1) * aht / agents';

ALTER TABLE cj_ticket
	ADD COLUMN preferred_agent text,
	ADD COLUMN prefer_for interval,
	ADD COLUMN prefer_required boolean NOT NULL DEFAULT false,
	ADD COLUMN not_before timestamptz,
	ADD COLUMN pinned_until timestamptz,
	ADD COLUMN held_until timestamptz,
	ADD COLUMN requirement cj_requirement;
COMMENT ON COLUMN cj_ticket.preferred_agent IS 'the agent the ticket waits for first (e.g. cj_last_agent of the customer''s memory); NULL: none';
COMMENT ON COLUMN cj_ticket.prefer_for IS 'length of the preferred agent''s window from arrival';
COMMENT ON COLUMN cj_ticket.prefer_required IS 'true: the window lasts until the due time';
COMMENT ON COLUMN cj_ticket.not_before IS 'no claim sees the ticket before this time (callbacks); its due time is unchanged';
COMMENT ON COLUMN cj_ticket.pinned_until IS 'end of the preferred agent''s window; NULL without a preferred agent';
COMMENT ON COLUMN cj_ticket.requirement IS 'levelled skills the claiming agent needs, relaxing with the wait; NULL: the skills column (each at level 1)';
COMMENT ON COLUMN cj_ticket.held_until IS 'end of the ticket''s current hidden or pinned phase; NULL once it is open to every qualified agent';

-- open tickets of each queue in dispatch order: a plain claim is one probe
CREATE INDEX cj_ticket_open_idx ON cj_ticket (queue, due, id)
	WHERE state OPERATOR(pg_catalog.=) 'waiting'::text AND held_until IS NULL;
-- tickets inside their preferred agent's window, by agent
CREATE INDEX cj_ticket_pinned_idx ON cj_ticket (queue, preferred_agent, due, id)
	WHERE state OPERATOR(pg_catalog.=) 'waiting'::text
	  AND held_until OPERATOR(pg_catalog.=) pinned_until;
-- held tickets by the end of their phase
CREATE INDEX cj_ticket_held_idx ON cj_ticket (queue, held_until)
	WHERE state OPERATOR(pg_catalog.=) 'waiting'::text AND held_until IS NOT NULL;
COMMENT ON INDEX cj_ticket_open_idx IS 'waiting tickets open to every qualified agent, per queue in dispatch order (a claim probes it once per queue)';
COMMENT ON INDEX cj_ticket_pinned_idx IS 'waiting tickets inside (or just past) their preferred agent''s window, per queue and agent in dispatch order';
COMMENT ON INDEX cj_ticket_held_idx IS 'hidden and pinned tickets by the end of their phase: claims open those whose phase has ended';

-- The queue registry: opt-in.  While cj_queue is empty every queue name is
-- accepted (as in 1.1); once it lists queues, enqueueing to or claiming
-- from a queue it does not list is an error (22023).  Readable by every
-- role (it holds names only), so agents' roles need no new grant; written
-- by the installer, who can pass that on.
CREATE TABLE cj_queue (
	name text PRIMARY KEY CHECK (name <> ''),
	description text
);
COMMENT ON TABLE cj_queue IS 'the queue registry of the queue kit: when it has rows, only the queues it lists may be enqueued to and claimed from (22023 otherwise); empty, every name is accepted';
SELECT pg_catalog.pg_extension_config_dump('cj_queue', '');
GRANT SELECT ON TABLE cj_queue TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLE cj_queue
	TO @extowner@ WITH GRANT OPTION;

CREATE FUNCTION cj_queue_unknown(queue text) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION cj_queue_unknown(text) IS 'internal to the queue kit: raises the error of a queue the registry cj_queue does not list (22023; 22004 for NULL); never returns';

-- The 1.1 signatures of cj_enqueue, cj_enqueue_due and cj_claim are
-- renamed (cj_*_1_1), not dropped: a function written against 1.1 with a
-- BEGIN ATOMIC body refers to them by identity, and a DROP would make
-- ALTER EXTENSION UPDATE fail (2BP01) until it is dropped.  Each renamed
-- function then calls the 1.2 function of its former name.
ALTER FUNCTION cj_enqueue(text, text, cj_sla, text[], timestamptz, float8, text)
	RENAME TO cj_enqueue_1_1;
CREATE FUNCTION cj_enqueue(customer text, tier text, sla cj_sla,
	skills text[] DEFAULT '{}'::text[],
	arrived_at timestamptz DEFAULT pg_catalog.now(),
	value float8 DEFAULT NULL::float8,
	queue text DEFAULT 'default'::text,
	preferred_agent text DEFAULT NULL::text,
	prefer_for interval DEFAULT NULL::interval,
	prefer_required boolean DEFAULT false,
	not_before timestamptz DEFAULT NULL::timestamptz,
	requirement cj_requirement DEFAULT NULL::cj_requirement)
RETURNS bigint
LANGUAGE SQL VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	INSERT INTO cj_ticket (customer, tier, value, skills, arrived_at, due, queue,
		preferred_agent, prefer_for, prefer_required, not_before,
		pinned_until, held_until, requirement)
	SELECT cj_enqueue.customer, cj_enqueue.tier, cj_enqueue.value,
		cj_enqueue.skills, cj_enqueue.arrived_at, d.due, cj_enqueue.queue,
		cj_enqueue.preferred_agent, cj_enqueue.prefer_for,
		COALESCE(cj_enqueue.prefer_required, false), cj_enqueue.not_before,
		w.pinned_until,
		CASE WHEN cj_enqueue.not_before > cj_enqueue.arrived_at
			THEN cj_enqueue.not_before ELSE w.pinned_until END,
		cj_enqueue.requirement
	FROM (SELECT cj_due(cj_enqueue.arrived_at, cj_enqueue.sla,
				COALESCE(cj_enqueue.tier, '*'::text)) AS due) d,
		LATERAL (SELECT cj_routing_window(cj_enqueue.arrived_at, d.due,
				cj_enqueue.preferred_agent, cj_enqueue.prefer_for,
				cj_enqueue.prefer_required, cj_enqueue.not_before, cj_enqueue.skills,
				cj_enqueue.requirement IS NOT NULL) AS pinned_until) w
	WHERE (cj_enqueue.queue IS NULL
			OR cj_routing_queues(cj_enqueue.queue, NULL::text[], NULL::interval[]) IS NOT NULL)
		AND (NOT EXISTS (SELECT FROM cj_queue)
			OR EXISTS (SELECT FROM cj_queue r WHERE r.name = cj_enqueue.queue)
			OR cj_queue_unknown(cj_enqueue.queue))
	RETURNING id;
END;
COMMENT ON FUNCTION cj_enqueue(text, text, cj_sla, text[], timestamptz, float8, text, text, interval, boolean, timestamptz, cj_requirement) IS 'add a waiting ticket due at arrival + the tier''s SLA target (a NULL tier takes the default), needing skills or a levelled requirement, optionally held for a preferred agent (prefer_for from arrival, or prefer_required until due) and not before a time; returns its id';

ALTER FUNCTION cj_enqueue_due(text, timestamptz, text[], timestamptz, text, float8, text)
	RENAME TO cj_enqueue_due_1_1;
CREATE FUNCTION cj_enqueue_due(customer text, due timestamptz,
	skills text[] DEFAULT '{}'::text[],
	arrived_at timestamptz DEFAULT pg_catalog.now(),
	tier text DEFAULT NULL::text,
	value float8 DEFAULT NULL::float8,
	queue text DEFAULT 'default'::text,
	preferred_agent text DEFAULT NULL::text,
	prefer_for interval DEFAULT NULL::interval,
	prefer_required boolean DEFAULT false,
	not_before timestamptz DEFAULT NULL::timestamptz,
	requirement cj_requirement DEFAULT NULL::cj_requirement)
RETURNS bigint
LANGUAGE SQL VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	INSERT INTO cj_ticket (customer, tier, value, skills, arrived_at, due, queue,
		preferred_agent, prefer_for, prefer_required, not_before,
		pinned_until, held_until, requirement)
	SELECT cj_enqueue_due.customer, cj_enqueue_due.tier, cj_enqueue_due.value,
		cj_enqueue_due.skills, cj_enqueue_due.arrived_at, cj_enqueue_due.due,
		cj_enqueue_due.queue,
		cj_enqueue_due.preferred_agent, cj_enqueue_due.prefer_for,
		COALESCE(cj_enqueue_due.prefer_required, false), cj_enqueue_due.not_before,
		w.pinned_until,
		CASE WHEN cj_enqueue_due.not_before > cj_enqueue_due.arrived_at
			THEN cj_enqueue_due.not_before ELSE w.pinned_until END,
		cj_enqueue_due.requirement
	FROM (SELECT cj_routing_window(cj_enqueue_due.arrived_at, cj_enqueue_due.due,
				cj_enqueue_due.preferred_agent, cj_enqueue_due.prefer_for,
				cj_enqueue_due.prefer_required, cj_enqueue_due.not_before, cj_enqueue_due.skills,
				cj_enqueue_due.requirement IS NOT NULL) AS pinned_until) w
	WHERE (cj_enqueue_due.queue IS NULL
			OR cj_routing_queues(cj_enqueue_due.queue, NULL::text[], NULL::interval[]) IS NOT NULL)
		AND (NOT EXISTS (SELECT FROM cj_queue)
			OR EXISTS (SELECT FROM cj_queue r WHERE r.name = cj_enqueue_due.queue)
			OR cj_queue_unknown(cj_enqueue_due.queue))
	RETURNING id;
END;
COMMENT ON FUNCTION cj_enqueue_due(text, timestamptz, text[], timestamptz, text, float8, text, text, interval, boolean, timestamptz, cj_requirement) IS 'add a waiting ticket with a due time computed by the caller (e.g. the value-based cj_due), needing skills or a levelled requirement, optionally held for a preferred agent and not before a time; returns its id';

-- The claim: first check the profile's queues against the registry
-- (cj_queue, when it lists any), then open the tickets of the profile's queues whose hidden
-- or pinned phase has ended (SKIP LOCKED: a ticket another claimer is
-- opening is that claimer's to take), then probe, per queue, the open
-- pool and the agent's own pinned tickets for the earliest-due ticket it
-- qualifies for, lock each head with SKIP LOCKED, and take the least
-- (due + the queue's delay, id).  The heads not taken stay locked until
-- the claim's transaction ends.  A ticket with a requirement is qualified
-- for by cj_satisfies at the wait so far; one without, by its skills
-- (each at level 1).  The two forms differ only in how the agent's skills
-- are given and share one C implementation (src/service/route_claim.c):
-- the same two statements, prepared once per backend and kept, since a
-- SQL-language function re-plans its statements on every call.
ALTER FUNCTION cj_claim(text, text[], text) RENAME TO cj_claim_1_1;
CREATE FUNCTION cj_claim(agent text, skills text[] DEFAULT '{}'::text[],
	queue text DEFAULT 'default'::text,
	queues text[] DEFAULT NULL::text[],
	delays interval[] DEFAULT NULL::interval[],
	now timestamptz DEFAULT pg_catalog.now())
RETURNS SETOF cj_ticket
AS 'MODULE_PATHNAME', 'cj_claim_text'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 1
-- the statements are prepared as generic plans, whose estimates are large:
-- without this, JIT compilation would cost more than the claim itself
SET jit = off;
COMMENT ON FUNCTION cj_claim(text, text[], text, text[], interval[], timestamptz) IS 'claim the earliest-due waiting ticket the agent may take (FOR UPDATE SKIP LOCKED): open tickets whose skills or requirement it meets and its own pinned tickets, of one queue or of a routing profile (queues, each due time plus the queue''s delay); no row when none';

-- skills has no default here, so cj_claim('a') stays the text[] form; an
-- untyped literal (cj_claim('a', '{billing}')) takes this form, which
-- reads the text[] literal as the same skills at level 1
CREATE FUNCTION cj_claim(agent text, skills cj_skillset,
	queue text DEFAULT 'default'::text,
	queues text[] DEFAULT NULL::text[],
	delays interval[] DEFAULT NULL::interval[],
	now timestamptz DEFAULT pg_catalog.now())
RETURNS SETOF cj_ticket
AS 'MODULE_PATHNAME', 'cj_claim_skillset'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 1
-- the statements are prepared as generic plans, whose estimates are large:
-- without this, JIT compilation would cost more than the claim itself
SET jit = off;
COMMENT ON FUNCTION cj_claim(text, cj_skillset, text, text[], interval[], timestamptz) IS 'claim with levelled skills (cj_skillset): the earliest-due waiting ticket whose requirement the skills meet at its wait so far (or whose skills they include), open or pinned to the agent, of one queue or a routing profile (FOR UPDATE SKIP LOCKED); no row when none';

-- the renamed 1.1 signatures (see above), each calling the 1.2 function
CREATE OR REPLACE FUNCTION cj_enqueue_1_1(customer text, tier text, sla cj_sla,
	skills text[] DEFAULT '{}'::text[],
	arrived_at timestamptz DEFAULT pg_catalog.now(),
	value float8 DEFAULT NULL::float8,
	queue text DEFAULT 'default'::text)
RETURNS bigint
LANGUAGE SQL VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	SELECT cj_enqueue(cj_enqueue_1_1.customer, cj_enqueue_1_1.tier, cj_enqueue_1_1.sla,
		cj_enqueue_1_1.skills, cj_enqueue_1_1.arrived_at, cj_enqueue_1_1.value,
		cj_enqueue_1_1.queue);
END;
COMMENT ON FUNCTION cj_enqueue_1_1(text, text, cj_sla, text[], timestamptz, float8, text) IS 'the 1.1 signature of cj_enqueue, kept for functions written against 1.1 (their bodies refer to it); calls cj_enqueue';
CREATE OR REPLACE FUNCTION cj_enqueue_due_1_1(customer text, due timestamptz,
	skills text[] DEFAULT '{}'::text[],
	arrived_at timestamptz DEFAULT pg_catalog.now(),
	tier text DEFAULT NULL::text,
	value float8 DEFAULT NULL::float8,
	queue text DEFAULT 'default'::text)
RETURNS bigint
LANGUAGE SQL VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	SELECT cj_enqueue_due(cj_enqueue_due_1_1.customer, cj_enqueue_due_1_1.due,
		cj_enqueue_due_1_1.skills, cj_enqueue_due_1_1.arrived_at, cj_enqueue_due_1_1.tier,
		cj_enqueue_due_1_1.value, cj_enqueue_due_1_1.queue);
END;
COMMENT ON FUNCTION cj_enqueue_due_1_1(text, timestamptz, text[], timestamptz, text, float8, text) IS 'the 1.1 signature of cj_enqueue_due, kept for functions written against 1.1 (their bodies refer to it); calls cj_enqueue_due';
CREATE OR REPLACE FUNCTION cj_claim_1_1(agent text, skills text[] DEFAULT '{}'::text[],
	queue text DEFAULT 'default'::text)
RETURNS SETOF cj_ticket
LANGUAGE SQL VOLATILE STRICT PARALLEL UNSAFE ROWS 1
BEGIN ATOMIC
	SELECT * FROM cj_claim(cj_claim_1_1.agent, cj_claim_1_1.skills, cj_claim_1_1.queue);
END;
COMMENT ON FUNCTION cj_claim_1_1(text, text[], text) IS 'the 1.1 signature of cj_claim, kept for functions written against 1.1 (their bodies refer to it); calls cj_claim';

-- The place in line (doc/service.md, "Place in line"): the waiting
-- tickets of the same queue before this one in dispatch order (due, id)
-- that an agent holding every skill would take first at now: open
-- tickets, tickets whose phase has ended, and, while this ticket is in its
-- own preferred agent's window, that agent's other tickets in their
-- windows (pinned, or callbacks past their not_before that no claim has
-- moved into the pinned phase yet).
CREATE FUNCTION cj_queue_position(ticket bigint,
	now timestamptz DEFAULT pg_catalog.now())
RETURNS bigint
LANGUAGE SQL STABLE PARALLEL SAFE
SET jit = off
BEGIN ATOMIC
	SELECT (SELECT count(*) FROM cj_ticket u
			WHERE u.queue = me.queue AND u.state = 'waiting'::text
			  AND u.held_until IS NULL
			  AND (u.due, u.id) < (me.due, me.id))
		+ (SELECT count(*) FROM cj_ticket u
			WHERE u.queue = me.queue AND u.state = 'waiting'::text
			  AND u.held_until IS NOT NULL
			  AND u.held_until <= cj_queue_position.now
			  AND (u.pinned_until IS NULL OR u.pinned_until <= cj_queue_position.now
				   OR (u.preferred_agent = me.preferred_agent
					   AND me.pinned_until > cj_queue_position.now))
			  AND (u.due, u.id) < (me.due, me.id))
		+ (SELECT count(*) FROM cj_ticket u
			WHERE u.queue = me.queue AND u.preferred_agent = me.preferred_agent
			  AND u.state = 'waiting'::text
			  AND u.held_until = u.pinned_until
			  AND u.pinned_until > cj_queue_position.now
			  AND (u.not_before IS NULL OR u.not_before <= cj_queue_position.now)
			  AND me.pinned_until > cj_queue_position.now
			  AND (u.due, u.id) < (me.due, me.id))
	FROM cj_ticket me
	WHERE me.id = cj_queue_position.ticket AND me.state = 'waiting'::text;
END;
COMMENT ON FUNCTION cj_queue_position(bigint, timestamptz) IS 'how many waiting tickets of the same queue an agent holding every skill would take before this one at now (0: next); NULL when the ticket is not waiting';

CREATE FUNCTION cj_estimated_wait(ticket bigint, agents integer, aht interval,
	now timestamptz DEFAULT pg_catalog.now())
RETURNS interval
LANGUAGE SQL STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT cj_routing_wait(cj_queue_position(cj_estimated_wait.ticket,
			cj_estimated_wait.now), cj_estimated_wait.agents, cj_estimated_wait.aht);
END;
COMMENT ON FUNCTION cj_estimated_wait(bigint, integer, interval, timestamptz) IS 'expected wait of a waiting ticket when agents busy agents with mean handle time aht serve the queue in order: (cj_queue_position + 1) * aht / agents (M/M/c, as Erlang C); NULL when the ticket is not waiting';

-- ==== service: calendars and SLA clocks ====

-- cj_calendar: opening hours in a time zone, closed dates
CREATE TYPE cj_calendar;
CREATE FUNCTION cj_calendar_in(cstring) RETURNS cj_calendar
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_calendar_out(cj_calendar) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_calendar_recv(internal) RETURNS cj_calendar
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_calendar_send(cj_calendar) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_calendar (
	INPUT = cj_calendar_in,
	OUTPUT = cj_calendar_out,
	RECEIVE = cj_calendar_recv,
	SEND = cj_calendar_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE cj_calendar IS 'service calendar: opening hours per weekday in a time zone, with closed dates, e.g. ''Europe/Paris; mon-fri 09:00-18:00; sat 10:00-13:00; closed 2026-12-25''';
COMMENT ON FUNCTION cj_calendar_in(cstring) IS 'text input of cj_calendar';
COMMENT ON FUNCTION cj_calendar_out(cj_calendar) IS 'canonical text output of cj_calendar';
COMMENT ON FUNCTION cj_calendar_recv(internal) IS 'binary input of cj_calendar';
COMMENT ON FUNCTION cj_calendar_send(cj_calendar) IS 'binary output of cj_calendar';

CREATE FUNCTION cj_calendar_eq(cj_calendar, cj_calendar) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_calendar_eq(cj_calendar, cj_calendar) IS 'true when two calendars have the same canonical form';
CREATE FUNCTION cj_calendar_ne(cj_calendar, cj_calendar) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_calendar_ne(cj_calendar, cj_calendar) IS 'true when two calendars differ';
CREATE OPERATOR = (
	LEFTARG = cj_calendar, RIGHTARG = cj_calendar,
	FUNCTION = cj_calendar_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel
);
COMMENT ON OPERATOR =(cj_calendar, cj_calendar) IS 'same canonical calendar';
CREATE OPERATOR <> (
	LEFTARG = cj_calendar, RIGHTARG = cj_calendar,
	FUNCTION = cj_calendar_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR <>(cj_calendar, cj_calendar) IS 'different calendars';

CREATE FUNCTION cj_calendar_zone(calendar cj_calendar) RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_calendar_zone(cj_calendar) IS 'time zone name of a calendar';

-- business-time arithmetic
CREATE FUNCTION cj_business_add(start timestamptz, duration interval, calendar cj_calendar)
RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_business_add(timestamptz, interval, cj_calendar) IS 'earliest instant at which duration of business time has passed since start (months rejected, a day counts 24 business hours)';
CREATE FUNCTION cj_business_time("from" timestamptz, "to" timestamptz, calendar cj_calendar)
RETURNS interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_business_time(timestamptz, timestamptz, cj_calendar) IS 'business time between two instants as a time-only interval (negative when to is earlier than from)';

CREATE FUNCTION cj_due(arrived_at timestamptz, sla cj_sla, tier text, calendar cj_calendar)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_calendar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_due(timestamptz, cj_sla, text, cj_calendar) IS 'due time = arrival + the tier''s target counted in business time of the calendar';
CREATE FUNCTION cj_sla_status(arrived_at timestamptz, due timestamptz, now timestamptz, calendar cj_calendar)
RETURNS text
AS 'MODULE_PATHNAME', 'cj_sla_status_calendar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_status(timestamptz, timestamptz, timestamptz, cj_calendar) IS 'on_track, at_risk (75 % of the business time to due elapsed) or breached (now past due)';

CREATE FUNCTION cj_due_resume(due timestamptz, paused_at timestamptz, resumed_at timestamptz)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_resume' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_due_resume(timestamptz, timestamptz, timestamptz) IS 'due time moved by the wall-clock time the SLA clock was paused';
CREATE FUNCTION cj_due_resume(due timestamptz, paused_at timestamptz, resumed_at timestamptz, calendar cj_calendar)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_resume_calendar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_due_resume(timestamptz, timestamptz, timestamptz, cj_calendar) IS 'due time moved by the business time that passed while the SLA clock was paused';

-- cj_sla_policy: several metrics, targets per tier and severity
CREATE TYPE cj_sla_policy;
CREATE FUNCTION cj_sla_policy_in(cstring) RETURNS cj_sla_policy
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_policy_out(cj_sla_policy) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_policy_recv(internal) RETURNS cj_sla_policy
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_policy_send(cj_sla_policy) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_sla_policy (
	INPUT = cj_sla_policy_in,
	OUTPUT = cj_sla_policy_out,
	RECEIVE = cj_sla_policy_recv,
	SEND = cj_sla_policy_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
COMMENT ON TYPE cj_sla_policy IS 'SLA targets per metric, tier and severity, e.g. ''first_reply: platinum 30s, gold 2min, * 15min; resolution: platinum/high 4h, platinum 1d, * 3d''';
COMMENT ON FUNCTION cj_sla_policy_in(cstring) IS 'text input of cj_sla_policy';
COMMENT ON FUNCTION cj_sla_policy_out(cj_sla_policy) IS 'canonical text output of cj_sla_policy';
COMMENT ON FUNCTION cj_sla_policy_recv(internal) IS 'binary input of cj_sla_policy';
COMMENT ON FUNCTION cj_sla_policy_send(cj_sla_policy) IS 'binary output of cj_sla_policy';

CREATE FUNCTION cj_sla_policy_target(policy cj_sla_policy, metric text, tier text)
RETURNS interval
AS 'MODULE_PATHNAME', 'cj_sla_policy_target' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_policy_target(cj_sla_policy, text, text) IS 'target of a metric for a tier (or the * default) as a time-only interval';
CREATE FUNCTION cj_sla_policy_target(policy cj_sla_policy, metric text, tier text, severity text)
RETURNS interval
AS 'MODULE_PATHNAME', 'cj_sla_policy_target' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_policy_target(cj_sla_policy, text, text, text) IS 'target of a metric for a tier and severity: tier/severity, tier, */severity, then *; a NULL severity means none';

CREATE FUNCTION cj_due(arrived_at timestamptz, policy cj_sla_policy, metric text, tier text)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_policy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_due(timestamptz, cj_sla_policy, text, text) IS 'due time = arrival + the metric''s target for the tier';
-- no five-argument form: cj_due(unknown x 5) must keep resolving to the
-- released value-based cj_due(timestamptz, float8, interval, interval, interval)
CREATE FUNCTION cj_due(arrived_at timestamptz, policy cj_sla_policy, metric text, tier text, severity text, calendar cj_calendar)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_policy' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_due(timestamptz, cj_sla_policy, text, text, text, cj_calendar) IS 'due time = arrival + the metric''s target for the tier and severity (NULL severity: none), counted in business time of the calendar (NULL calendar: wall-clock time)';

-- cj_sla_clock: paused SLA clocks over ordered status events
CREATE TYPE cj_sla_clock_state;
CREATE FUNCTION cj_sla_clock_state_in(cstring) RETURNS cj_sla_clock_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_clock_state_out(cj_sla_clock_state) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_clock_state_recv(internal) RETURNS cj_sla_clock_state
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_sla_clock_state_send(cj_sla_clock_state) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_sla_clock_state (
	INPUT = cj_sla_clock_state_in,
	OUTPUT = cj_sla_clock_state_out,
	RECEIVE = cj_sla_clock_state_recv,
	SEND = cj_sla_clock_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE cj_sla_clock_state IS 'state of an SLA clock: status after the last event, business time consumed, target and breach instant';
COMMENT ON FUNCTION cj_sla_clock_state_in(cstring) IS 'text input of cj_sla_clock_state';
COMMENT ON FUNCTION cj_sla_clock_state_out(cj_sla_clock_state) IS 'exact text output of cj_sla_clock_state (instants in UTC)';
COMMENT ON FUNCTION cj_sla_clock_state_recv(internal) IS 'binary input of cj_sla_clock_state';
COMMENT ON FUNCTION cj_sla_clock_state_send(cj_sla_clock_state) IS 'binary output of cj_sla_clock_state';

CREATE FUNCTION cj_sla_clock_trans(cj_sla_clock_state, text, timestamptz)
RETURNS cj_sla_clock_state
AS 'MODULE_PATHNAME', 'cj_sla_clock_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_trans(cj_sla_clock_state, text, timestamptz) IS 'transition function of cj_sla_clock(status, at)';
CREATE FUNCTION cj_sla_clock_trans(cj_sla_clock_state, text, timestamptz, cj_calendar)
RETURNS cj_sla_clock_state
AS 'MODULE_PATHNAME', 'cj_sla_clock_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_trans(cj_sla_clock_state, text, timestamptz, cj_calendar) IS 'transition function of cj_sla_clock(status, at, calendar)';
CREATE FUNCTION cj_sla_clock_trans(cj_sla_clock_state, text, timestamptz, cj_calendar, interval)
RETURNS cj_sla_clock_state
AS 'MODULE_PATHNAME', 'cj_sla_clock_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_trans(cj_sla_clock_state, text, timestamptz, cj_calendar, interval) IS 'transition function of cj_sla_clock(status, at, calendar, target)';

CREATE AGGREGATE cj_sla_clock(status text, at timestamptz) (
	SFUNC = cj_sla_clock_trans, STYPE = cj_sla_clock_state, PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_sla_clock(text, timestamptz) IS 'wall-clock time an SLA clock ran over status events running/paused/stopped; call with ORDER BY at';
CREATE AGGREGATE cj_sla_clock(status text, at timestamptz, calendar cj_calendar) (
	SFUNC = cj_sla_clock_trans, STYPE = cj_sla_clock_state, PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_sla_clock(text, timestamptz, cj_calendar) IS 'business time an SLA clock ran over status events running/paused/stopped; call with ORDER BY at';
CREATE AGGREGATE cj_sla_clock(status text, at timestamptz, calendar cj_calendar, target interval) (
	SFUNC = cj_sla_clock_trans, STYPE = cj_sla_clock_state, PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_sla_clock(text, timestamptz, cj_calendar, interval) IS 'business time an SLA clock ran, with the budget left against target and when it ran out; call with ORDER BY at';

CREATE FUNCTION cj_sla_clock_consumed(clock cj_sla_clock_state) RETURNS interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_consumed(cj_sla_clock_state) IS 'time the clock ran (business time with a calendar), as a time-only interval';
CREATE FUNCTION cj_sla_clock_remaining(clock cj_sla_clock_state) RETURNS interval
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_remaining(cj_sla_clock_state) IS 'target minus time consumed (negative once breached); NULL without a target';
CREATE FUNCTION cj_sla_clock_breached(clock cj_sla_clock_state) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_breached(cj_sla_clock_state) IS 'whether the target ran out by the last event; NULL without a target';
CREATE FUNCTION cj_sla_clock_breached_at(clock cj_sla_clock_state) RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_breached_at(cj_sla_clock_state) IS 'instant the target ran out; NULL if it has not by the last event';
CREATE FUNCTION cj_sla_clock_status(clock cj_sla_clock_state) RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_status(cj_sla_clock_state) IS 'status after the last event: running, paused, stopped (none before any event)';
CREATE FUNCTION cj_sla_clock_due(clock cj_sla_clock_state, calendar cj_calendar) RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_sla_clock_due(cj_sla_clock_state, cj_calendar) IS 'when the target runs out if the clock keeps running (the breach instant once breached); NULL while paused or stopped';

-- ==== touchpoints: customer memory ====

-- cj_memory: one customer's interaction memory (doc/memory.md).
CREATE TYPE cj_memory;

CREATE FUNCTION cj_memory_in(cstring) RETURNS cj_memory
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_memory_out(cj_memory) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_memory_recv(internal) RETURNS cj_memory
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_memory_send(cj_memory) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_memory (
	INPUT = cj_memory_in,
	OUTPUT = cj_memory_out,
	RECEIVE = cj_memory_recv,
	SEND = cj_memory_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE cj_memory IS
'one customer''s interaction memory: last K contacts, day/channel/topic counts, last agent per channel, open cases';
COMMENT ON FUNCTION cj_memory_in(cstring) IS 'text input of cj_memory';
COMMENT ON FUNCTION cj_memory_out(cj_memory) IS 'text output of cj_memory (canonical)';
COMMENT ON FUNCTION cj_memory_recv(internal) IS 'binary input of cj_memory (validates everything)';
COMMENT ON FUNCTION cj_memory_send(cj_memory) IS 'binary output of cj_memory (canonical)';

CREATE FUNCTION cj_memory_eq(cj_memory, cj_memory) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_memory_ne(cj_memory, cj_memory) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_memory_hash(cj_memory) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_memory_eq(cj_memory, cj_memory) IS 'same memory (same contacts summarised)';
COMMENT ON FUNCTION cj_memory_ne(cj_memory, cj_memory) IS 'not the same memory';
COMMENT ON FUNCTION cj_memory_hash(cj_memory) IS 'hash of the canonical form of a cj_memory';

CREATE OPERATOR = (
	LEFTARG = cj_memory, RIGHTARG = cj_memory, FUNCTION = cj_memory_eq,
	COMMUTATOR = OPERATOR(=), NEGATOR = OPERATOR(<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
	LEFTARG = cj_memory, RIGHTARG = cj_memory, FUNCTION = cj_memory_ne,
	COMMUTATOR = OPERATOR(<>), NEGATOR = OPERATOR(=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR =(cj_memory, cj_memory) IS 'same memory';
COMMENT ON OPERATOR <>(cj_memory, cj_memory) IS 'not the same memory';

CREATE OPERATOR CLASS cj_memory_hash_ops DEFAULT FOR TYPE cj_memory USING hash AS
	OPERATOR 1 = (cj_memory, cj_memory),
	FUNCTION 1 cj_memory_hash(cj_memory);
COMMENT ON OPERATOR CLASS cj_memory_hash_ops USING hash IS 'hash equality of cj_memory';
COMMENT ON OPERATOR FAMILY cj_memory_hash_ops USING hash IS 'hash equality of cj_memory';

CREATE FUNCTION cj_memory_merge(a cj_memory, b cj_memory) RETURNS cj_memory
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_memory_merge(cj_memory, cj_memory) IS
'exact merge of two memories of one customer over disjoint contacts (NULL is the empty memory; K is the smaller K)';

CREATE FUNCTION cj_memory_trans(cj_memory, timestamptz, text, text, text, text, text)
RETURNS cj_memory AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_memory_trans(cj_memory, timestamptz, text, text, text, text, text, integer)
RETURNS cj_memory AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_memory_combine(cj_memory, cj_memory)
RETURNS cj_memory AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_memory_final(cj_memory)
RETURNS cj_memory AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_memory_trans(cj_memory, timestamptz, text, text, text, text, text) IS
'transition function of cj_memory_agg (K = 5)';
COMMENT ON FUNCTION cj_memory_trans(cj_memory, timestamptz, text, text, text, text, text, integer) IS
'transition function of cj_memory_agg with K';
COMMENT ON FUNCTION cj_memory_combine(cj_memory, cj_memory) IS 'combine function of cj_memory_agg';
COMMENT ON FUNCTION cj_memory_final(cj_memory) IS 'final function of cj_memory_agg (canonical form)';

CREATE AGGREGATE cj_memory_agg(occurred_at timestamptz, channel text, agent text,
							   topic text, status text, ref text) (
	SFUNC = cj_memory_trans,
	STYPE = cj_memory,
	FINALFUNC = cj_memory_final,
	COMBINEFUNC = cj_memory_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE cj_memory_agg(occurred_at timestamptz, channel text, agent text,
							   topic text, status text, ref text, k integer) (
	SFUNC = cj_memory_trans,
	STYPE = cj_memory,
	FINALFUNC = cj_memory_final,
	COMBINEFUNC = cj_memory_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_memory_agg(timestamptz, text, text, text, text, text) IS
'interaction memory of the contacts of a group, keeping the last 5 contacts';
COMMENT ON AGGREGATE cj_memory_agg(timestamptz, text, text, text, text, text, integer) IS
'interaction memory of the contacts of a group, keeping the last k (1..50) contacts';

CREATE FUNCTION cj_memory_k(m cj_memory) RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_memory_k(cj_memory) IS 'K: how many recent contacts the memory keeps';

CREATE FUNCTION cj_last_contacts(m cj_memory,
	OUT occurred_at timestamptz, OUT channel text, OUT agent text, OUT topic text,
	OUT status text, OUT ref text)
RETURNS SETOF record AS 'MODULE_PATHNAME', 'cj_last_contacts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
CREATE FUNCTION cj_last_contacts(m cj_memory, n integer,
	OUT occurred_at timestamptz, OUT channel text, OUT agent text, OUT topic text,
	OUT status text, OUT ref text)
RETURNS SETOF record AS 'MODULE_PATHNAME', 'cj_last_contacts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION cj_last_contacts(cj_memory) IS 'the kept recent contacts, newest first';
COMMENT ON FUNCTION cj_last_contacts(cj_memory, integer) IS 'the n newest kept contacts, newest first';

CREATE FUNCTION cj_last_contact(m cj_memory) RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_first_contact(m cj_memory) RETURNS timestamptz
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_last_contact(cj_memory) IS 'instant of the last contact';
COMMENT ON FUNCTION cj_first_contact(cj_memory) IS 'instant of the first contact';

CREATE FUNCTION cj_last_agent(m cj_memory) RETURNS text
AS 'MODULE_PATHNAME', 'cj_last_agent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_last_agent(m cj_memory, channel text) RETURNS text
AS 'MODULE_PATHNAME', 'cj_last_agent_channel' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_last_agent(cj_memory) IS 'agent of the last contact';
COMMENT ON FUNCTION cj_last_agent(cj_memory, text) IS 'agent of the last contact on a channel';

CREATE FUNCTION cj_last_topic(m cj_memory) RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_last_topic(cj_memory) IS 'topic of the last contact';

CREATE FUNCTION cj_open_cases(m cj_memory,
	OUT ref text, OUT topic text, OUT opened_at timestamptz, OUT last_at timestamptz,
	OUT agent text, OUT reopened boolean)
RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION cj_open_cases(cj_memory) IS
'cases whose latest status is open, most recently touched first';

CREATE FUNCTION cj_contact_count(m cj_memory) RETURNS bigint
AS 'MODULE_PATHNAME', 'cj_contact_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_contact_count(m cj_memory, from_day date, to_day date) RETURNS bigint
AS 'MODULE_PATHNAME', 'cj_contact_count_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_contact_count(m cj_memory, from_day date, to_day date, channel text) RETURNS bigint
AS 'MODULE_PATHNAME', 'cj_contact_count_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_contact_count(cj_memory) IS 'number of contacts';
COMMENT ON FUNCTION cj_contact_count(cj_memory, date, date) IS
'contacts on UTC days from_day to to_day, both included';
COMMENT ON FUNCTION cj_contact_count(cj_memory, date, date, text) IS
'contacts on one channel on UTC days from_day to to_day, both included';

CREATE FUNCTION cj_contact_channels(m cj_memory,
	OUT channel text, OUT contacts bigint, OUT last_at timestamptz, OUT last_agent text)
RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION cj_contact_channels(cj_memory) IS
'per channel: contacts, last contact and its agent';
CREATE FUNCTION cj_contact_topics(m cj_memory,
	OUT topic text, OUT contacts bigint, OUT last_at timestamptz)
RETURNS SETOF record AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION cj_contact_topics(cj_memory) IS 'per topic: contacts and last contact';

CREATE FUNCTION cj_repeat_contact(m cj_memory, within interval) RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_repeat_contact(cj_memory, interval) IS
'whether the previous contact on the last contact''s topic lies within the interval before it';

CREATE FUNCTION cj_memory_jsonb(m cj_memory) RETURNS jsonb
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_memory_jsonb(cj_memory) IS 'the memory as jsonb (for screens and APIs)';

-- cj_contact_rates: first-contact resolution and repeat-contact rate of a
-- group of contacts; its state cj_contact_log keeps the group's contacts.
CREATE TYPE cj_contact_log;
CREATE FUNCTION cj_contact_log_in(cstring) RETURNS cj_contact_log
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_contact_log_out(cj_contact_log) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_contact_log_recv(internal) RETURNS cj_contact_log
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_contact_log_send(cj_contact_log) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cj_contact_log (
	INPUT = cj_contact_log_in,
	OUTPUT = cj_contact_log_out,
	RECEIVE = cj_contact_log_recv,
	SEND = cj_contact_log_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE cj_contact_log IS
'state of cj_contact_rates: the contacts (occurred_at, customer, topic, status, ref) of a group and the repeat window';
COMMENT ON FUNCTION cj_contact_log_in(cstring) IS 'text input of cj_contact_log';
COMMENT ON FUNCTION cj_contact_log_out(cj_contact_log) IS 'text output of cj_contact_log (contacts in the total order)';
COMMENT ON FUNCTION cj_contact_log_recv(internal) IS 'binary input of cj_contact_log (validates everything)';
COMMENT ON FUNCTION cj_contact_log_send(cj_contact_log) IS 'binary output of cj_contact_log';

CREATE TYPE cj_contact_rates AS (
	contacts bigint,
	repeat_contacts bigint,
	repeat_contact_rate float8,
	cases bigint,
	first_contact_resolved bigint,
	first_contact_resolution float8
);
COMMENT ON TYPE cj_contact_rates IS
'repeat-contact rate and first-contact resolution of a group of contacts (doc/memory.md)';

CREATE FUNCTION cj_contact_rates_trans(cj_contact_log, text, timestamptz, text, text, text, interval)
RETURNS cj_contact_log AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_contact_rates_combine(cj_contact_log, cj_contact_log)
RETURNS cj_contact_log AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cj_contact_rates_final(cj_contact_log)
RETURNS cj_contact_rates AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_contact_rates_trans(cj_contact_log, text, timestamptz, text, text, text, interval) IS
'transition function of cj_contact_rates';
COMMENT ON FUNCTION cj_contact_rates_combine(cj_contact_log, cj_contact_log) IS
'combine function of cj_contact_rates (concatenates the contacts)';
COMMENT ON FUNCTION cj_contact_rates_final(cj_contact_log) IS 'final function of cj_contact_rates';

CREATE AGGREGATE cj_contact_rates(customer text, occurred_at timestamptz, topic text,
								  status text, ref text, within interval) (
	SFUNC = cj_contact_rates_trans,
	STYPE = cj_contact_log,
	FINALFUNC = cj_contact_rates_final,
	COMBINEFUNC = cj_contact_rates_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cj_contact_rates(text, timestamptz, text, text, text, interval) IS
'repeat-contact rate (contacts followed by the same customer on the same topic within the window) and first-contact resolution (cases with one contact, resolved) of the group''s contacts';

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

-- Window quantities of a customer's history over the next t (model time
-- units; BG/BB: whole opportunities): the probability of no purchase, the
-- conditional PMF of the number of purchases, and P(alive) at the end.
CREATE FUNCTION cj_prob_no_purchase(m cj_model, x float8, t_x float8, age float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_prob_no_purchase(cj_model, float8, float8, float8, float8) IS 'probability that a customer with history (x, t_x, T) makes no purchase in the next t';
CREATE FUNCTION cj_prob_no_purchase(m cj_model, h cj_history, as_of timestamptz, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_prob_no_purchase_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_prob_no_purchase(cj_model, cj_history, timestamptz, float8) IS 'probability that a customer with this history as of an instant makes no purchase in the next t (model time unit)';
CREATE FUNCTION cj_conditional_prob_purchases(m cj_model, n int4, x float8, t_x float8, age float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_prob_purchases(cj_model, int4, float8, float8, float8, float8) IS 'probability that a customer with history (x, t_x, T) makes exactly n purchases in the next t';
CREATE FUNCTION cj_conditional_prob_purchases(m cj_model, n int4, h cj_history, as_of timestamptz, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_conditional_prob_purchases_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_prob_purchases(cj_model, int4, cj_history, timestamptz, float8) IS 'probability that a customer with this history as of an instant makes exactly n purchases in the next t (model time unit)';
CREATE FUNCTION cj_p_alive_at(m cj_model, x float8, t_x float8, age float8, t float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_p_alive_at(cj_model, float8, float8, float8, float8) IS 'probability that a customer with history (x, t_x, T) is still active t after T (cj_p_alive at t = 0)';
CREATE FUNCTION cj_p_alive_at(m cj_model, h cj_history, as_of timestamptz, t float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_p_alive_at_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_p_alive_at(cj_model, cj_history, timestamptz, float8) IS 'probability that a customer with this history as of an instant is still active t (model time unit) later';

-- ==== lifetime value: covariates ====

-- covariates: scores
CREATE FUNCTION cj_penalty(m cj_model) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_penalty(cj_model) IS 'L2 penalty of a regularized fit with covariates (cj_loglik stays the unpenalised log-likelihood); NULL for any other model';
-- Every score of a Pareto/NBD or BG/NBD model with covariate coefficients
-- takes the customer's covariates last: cov_trans and cov_life in the order
-- of the model's trans(...) and life(...) lists (constrained ones at their
-- place in both).  The score is the family's score at the customer's own
-- parameters (CLVTools' parameterisation, doc/ltv.md "Covariates").
CREATE FUNCTION cj_expected_purchases(m cj_model, t float8, cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_expected_purchases_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_expected_purchases(cj_model, float8, float8[], float8[]) IS 'expected repeat purchases E[X(t)] of a new customer with these covariates (the first purchase not counted)';
CREATE FUNCTION cj_prob_purchases(m cj_model, n int4, t float8, cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_prob_purchases_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_prob_purchases(cj_model, int4, float8, float8[], float8[]) IS 'probability that a new customer with these covariates makes exactly n repeat purchases in t';
CREATE FUNCTION cj_conditional_purchases(m cj_model, x float8, t_x float8, age float8, t float8,
                                         cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_conditional_purchases_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_purchases(cj_model, float8, float8, float8, float8, float8[], float8[]) IS 'expected purchases in the next t of a customer with history (x, t_x, T) and these covariates';
CREATE FUNCTION cj_conditional_purchases(m cj_model, h cj_history, as_of timestamptz, t float8,
                                         cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_conditional_purchases_history_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_purchases(cj_model, cj_history, timestamptz, float8, float8[], float8[]) IS 'expected purchases in the next t of a customer with this history as of an instant and these covariates';
CREATE FUNCTION cj_p_alive(m cj_model, x float8, t_x float8, age float8,
                           cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_p_alive_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_p_alive(cj_model, float8, float8, float8, float8[], float8[]) IS 'probability that a customer with history (x, t_x, T) and these covariates is still active';
CREATE FUNCTION cj_p_alive(m cj_model, h cj_history, as_of timestamptz,
                           cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_p_alive_history_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_p_alive(cj_model, cj_history, timestamptz, float8[], float8[]) IS 'probability that a customer with this history and these covariates is still active at as_of';
CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, x float8, t_x float8, age float8,
                       m float8, periods int4, period_length float8, discount_rate float8,
                       cov_trans float8[], cov_life float8[])
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_clv_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, float8, float8, float8, float8, int4, float8, float8, float8[], float8[]) IS 'discounted expected value of the future purchases of a customer with these covariates (of the purchase model) over periods of period_length';
CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, x float8, t_x float8, age float8,
                       m float8, periods int4, period_length float8, discount_rate float8, margin float8,
                       cov_trans float8[], cov_life float8[])
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_clv_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, float8, float8, float8, float8, int4, float8, float8, float8, float8[], float8[]) IS 'discounted expected margin of the future purchases of a customer with these covariates (of the purchase model) over periods of period_length';
CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, h cj_history, as_of timestamptz,
                       periods int4, period_length float8, discount_rate float8,
                       cov_trans float8[], cov_life float8[])
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_clv_history_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, cj_history, timestamptz, int4, float8, float8, float8[], float8[]) IS 'discounted expected value of the future purchases of a customer with this history and these covariates';
CREATE FUNCTION cj_clv(purchase_model cj_model, spend_model cj_model, h cj_history, as_of timestamptz,
                       periods int4, period_length float8, discount_rate float8, margin float8,
                       cov_trans float8[], cov_life float8[])
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_clv_history_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv(cj_model, cj_model, cj_history, timestamptz, int4, float8, float8, float8, float8[], float8[]) IS 'discounted expected margin of the future purchases of a customer with this history and these covariates';
CREATE FUNCTION cj_dert(m cj_model, x float8, t_x float8, age float8, continuous_rate float8,
                        cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_dert_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_dert(cj_model, float8, float8, float8, float8, float8[], float8[]) IS 'Pareto/NBD discounted expected residual transactions of a customer with history (x, t_x, T) and these covariates';
CREATE FUNCTION cj_dert(m cj_model, h cj_history, as_of timestamptz, continuous_rate float8,
                        cov_trans float8[], cov_life float8[]) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_dert_history_cov' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_dert(cj_model, cj_history, timestamptz, float8, float8[], float8[]) IS 'Pareto/NBD discounted expected residual transactions of a customer with this history as of an instant and these covariates';
-- delta-method intervals with covariates: over the parameters and the
-- coefficients, from the model's whole covariance
CREATE FUNCTION cj_conditional_purchases_interval(m cj_model, x float8, t_x float8, age float8,
        t float8, cov_trans float8[], cov_life float8[], level float8 DEFAULT 0.95,
        OUT estimate float8, OUT lower float8, OUT upper float8)
    RETURNS record
    AS 'MODULE_PATHNAME', 'cj_conditional_purchases_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_conditional_purchases_interval(cj_model, float8, float8, float8, float8, float8[], float8[], float8) IS 'expected purchases in the next t of a customer with these covariates, with a delta-method confidence interval (log scale) over the parameters and coefficients';
CREATE FUNCTION cj_clv_interval(purchase_model cj_model, spend_model cj_model, x float8, t_x float8,
        age float8, m float8, periods int4, period_length float8, discount_rate float8,
        cov_trans float8[], cov_life float8[], margin float8 DEFAULT 1, level float8 DEFAULT 0.95,
        OUT estimate float8, OUT lower float8, OUT upper float8)
    RETURNS record
    AS 'MODULE_PATHNAME', 'cj_clv_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_clv_interval(cj_model, cj_model, float8, float8, float8, float8, int4, float8, float8, float8[], float8[], float8, float8) IS 'customer lifetime value of a customer with these covariates (of the purchase model), with a delta-method confidence interval from both models'' covariances, taken as independent';
-- Simulation of customers with covariates: n customers who all have these
-- covariates, draw for draw the plain simulation of their own parameters.
-- One row per customer with LATERAL (n = 1, a seed per customer) gives a
-- population with varying covariates (doc/ltv.md, "Covariates").
CREATE FUNCTION cj_simulate(m cj_model, n int8, age float8, seed int8, cov_trans float8[], cov_life float8[],
                            OUT customer int8, OUT x float8, OUT t_x float8, OUT age float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'cj_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION cj_simulate(cj_model, int8, float8, int8, float8[], float8[]) IS 'n customers with these covariates simulated from a purchase model with coefficients over an observation period T, deterministic for a seed';
CREATE FUNCTION cj_simulate(m cj_model, spend_model cj_model, n int8, age float8, seed int8,
                            cov_trans float8[], cov_life float8[],
                            OUT customer int8, OUT x float8, OUT t_x float8, OUT age float8, OUT spend float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'cj_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION cj_simulate(cj_model, cj_model, int8, float8, int8, float8[], float8[]) IS 'n customers with these covariates and mean repeat spend simulated from a purchase model with coefficients and a Gamma-Gamma model, deterministic for a seed';
-- covariates: end of scores

-- covariates: fitting
-- Pareto/NBD and BG/NBD with time-invariant covariates (CLVTools'
-- parameterisation): the state keys distinct (covariates, x, t_x, T) rows
-- with weights; the first row fixes the covariate counts and the options.

CREATE TYPE cj_cov_fit_state;

CREATE FUNCTION cj_cov_fit_state_in(cstring) RETURNS cj_cov_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_cov_fit_state_out(cj_cov_fit_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_cov_fit_state_recv(internal) RETURNS cj_cov_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cj_cov_fit_state_send(cj_cov_fit_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cj_cov_fit_state (
    INPUT = cj_cov_fit_state_in,
    OUTPUT = cj_cov_fit_state_out,
    RECEIVE = cj_cov_fit_state_recv,
    SEND = cj_cov_fit_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE cj_cov_fit_state IS 'state of the fitting aggregates with covariates: family, covariate names, constraints, lambdas and distinct (covariates, x, t_x, T) rows with weights';
COMMENT ON FUNCTION cj_cov_fit_state_in(cstring) IS 'text input of cj_cov_fit_state';
COMMENT ON FUNCTION cj_cov_fit_state_out(cj_cov_fit_state) IS 'text output of cj_cov_fit_state';
COMMENT ON FUNCTION cj_cov_fit_state_recv(internal) IS 'binary input of cj_cov_fit_state';
COMMENT ON FUNCTION cj_cov_fit_state_send(cj_cov_fit_state) IS 'binary output of cj_cov_fit_state';

CREATE FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[])
    RETURNS cj_cov_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[]) IS 'transition of the fitting aggregates with covariates';
CREATE FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[], int8)
    RETURNS cj_cov_fit_state
    AS 'MODULE_PATHNAME', 'cj_cov_fit_state_addw' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[], int8) IS 'transition of the weighted fitting aggregates with covariates';
CREATE FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[], jsonb)
    RETURNS cj_cov_fit_state
    AS 'MODULE_PATHNAME', 'cj_cov_fit_state_addo' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[], jsonb) IS 'transition of the fitting aggregates with covariates and options';
CREATE FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[], int8, jsonb)
    RETURNS cj_cov_fit_state
    AS 'MODULE_PATHNAME', 'cj_cov_fit_state_addwo' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION cj_cov_fit_state_add(cj_cov_fit_state, float8, float8, float8, float8[], float8[], int8, jsonb) IS 'transition of the weighted fitting aggregates with covariates and options';
CREATE FUNCTION cj_cov_fit_state_combine(cj_cov_fit_state, cj_cov_fit_state) RETURNS cj_cov_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_cov_fit_state_combine(cj_cov_fit_state, cj_cov_fit_state) IS 'combine function of the fitting aggregates with covariates';
CREATE FUNCTION cj_cov_fit_state_final(cj_cov_fit_state) RETURNS cj_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_cov_fit_state_final(cj_cov_fit_state) IS 'final function of the fitting aggregates with covariates: the maximum-likelihood (or L2-regularized) fit';

CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[]) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8, float8[], float8[]) IS 'fit a Pareto/NBD model with time-invariant covariates to (x, t_x, T) rows with trans and life covariates';

CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[], weight int8) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8, float8[], float8[], int8) IS 'fit a Pareto/NBD model with time-invariant covariates to (x, t_x, T, number of customers) rows with trans and life covariates';

CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[], options jsonb) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8, float8[], float8[], jsonb) IS 'fit a Pareto/NBD model with time-invariant covariates to (x, t_x, T) rows with trans and life covariates; options names_trans, names_life, lambda_trans, lambda_life, constrain';

CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[], weight int8, options jsonb) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8, float8[], float8[], int8, jsonb) IS 'fit a Pareto/NBD model with time-invariant covariates to (x, t_x, T, number of customers) rows with trans and life covariates; options names_trans, names_life, lambda_trans, lambda_life, constrain';

CREATE AGGREGATE cj_fit_bgnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[]) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(float8, float8, float8, float8[], float8[]) IS 'fit a BG/NBD model with time-invariant covariates to (x, t_x, T) rows with trans and life covariates';

CREATE AGGREGATE cj_fit_bgnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[], weight int8) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(float8, float8, float8, float8[], float8[], int8) IS 'fit a BG/NBD model with time-invariant covariates to (x, t_x, T, number of customers) rows with trans and life covariates';

CREATE AGGREGATE cj_fit_bgnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[], options jsonb) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(float8, float8, float8, float8[], float8[], jsonb) IS 'fit a BG/NBD model with time-invariant covariates to (x, t_x, T) rows with trans and life covariates; options names_trans, names_life, lambda_trans, lambda_life, constrain';

CREATE AGGREGATE cj_fit_bgnbd(x float8, t_x float8, age float8, cov_trans float8[], cov_life float8[], weight int8, options jsonb) (
    SFUNC = cj_cov_fit_state_add, STYPE = cj_cov_fit_state, INITCOND = 'bgnbd{}',
    COMBINEFUNC = cj_cov_fit_state_combine, FINALFUNC = cj_cov_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgnbd(float8, float8, float8, float8[], float8[], int8, jsonb) IS 'fit a BG/NBD model with time-invariant covariates to (x, t_x, T, number of customers) rows with trans and life covariates; options names_trans, names_life, lambda_trans, lambda_life, constrain';

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
CREATE FUNCTION cj_lr_test(restricted cj_model, "full" cj_model,
                           OUT statistic float8, OUT df int4, OUT p_value float8)
    RETURNS record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_lr_test(cj_model, cj_model) IS 'likelihood-ratio test of a restricted fit nested in a full fit of the same data: 2 (ll_full - ll_restricted), its degrees of freedom and its chi-square p-value';
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
