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

-- ==== lifetime value: uncertainty and windows ====

-- ==== lifetime value: covariates ====
