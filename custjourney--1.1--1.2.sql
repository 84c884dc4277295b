-- custjourney 1.1 -> 1.2
-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION custjourney UPDATE TO '1.2'" to load this file. \quit

-- Sections by area; each change adds its objects to its own section.

-- ==== reliability: states, limits, output domain ====

-- ==== reliability: maths ====

-- ==== service: queue integrity and Citus ====

-- ==== service: routing ====

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

-- ==== loyalty: statements, transfers, earning ====

-- ==== lifetime value: uncertainty and windows ====

-- ==== lifetime value: covariates ====
