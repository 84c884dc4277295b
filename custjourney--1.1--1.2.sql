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
CREATE FUNCTION cj_due(arrived_at timestamptz, policy cj_sla_policy, metric text, tier text, severity text)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_policy' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_due(timestamptz, cj_sla_policy, text, text, text) IS 'due time = arrival + the metric''s target for the tier and severity (NULL severity: none)';
CREATE FUNCTION cj_due(arrived_at timestamptz, policy cj_sla_policy, metric text, tier text, severity text, calendar cj_calendar)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'cj_due_policy' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cj_due(timestamptz, cj_sla_policy, text, text, text, cj_calendar) IS 'due time = arrival + the metric''s target for the tier and severity (NULL severity: none), counted in business time of the calendar';

-- ==== touchpoints: customer memory ====

-- ==== loyalty: statements, transfers, earning ====

-- ==== lifetime value: uncertainty and windows ====

-- ==== lifetime value: covariates ====
