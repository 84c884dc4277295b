-- custjourney 1.0 -> 1.1
-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION custjourney UPDATE TO '1.1'" to load this file. \quit

-- cj_dert gets the (cj_history, as_of) overload every other score of a
-- purchase history has
CREATE FUNCTION cj_dert(m cj_model, h cj_history, as_of timestamptz, continuous_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'cj_dert_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_dert(cj_model, cj_history, timestamptz, float8) IS 'Pareto/NBD discounted expected residual transactions of a customer with this history as of an instant, at a continuous discount rate per time unit';

-- equality and hashing of histories and models, so values work in
-- DISTINCT, GROUP BY, UNION, IN, hash joins and as hash partition keys.
-- For each type T of the list: T_eq and T_ne behind the operators = and
-- <>, T_hash and T_hash_extended behind the default hash operator class
-- T_hash_ops, each with its comment.
DO $do$
DECLARE
	v record;
BEGIN
	FOR v IN SELECT * FROM (VALUES
		('cj_history', 'the same purchases', 'purchase history', 'purchase histories'),
		('cj_model', 'the same family, parameters and fit record', 'model', 'models'))
		AS d(t, means, one, many)
	LOOP
		EXECUTE pg_catalog.format($ddl$
CREATE FUNCTION %1$s_eq(%1$s, %1$s) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION %1$s_ne(%1$s, %1$s) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION %1$s_hash(%1$s) RETURNS int4
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION %1$s_hash_extended(%1$s, int8) RETURNS int8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION %1$s_eq(%1$s, %1$s) IS %2$L;
COMMENT ON FUNCTION %1$s_ne(%1$s, %1$s) IS %3$L;
COMMENT ON FUNCTION %1$s_hash(%1$s) IS %4$L;
COMMENT ON FUNCTION %1$s_hash_extended(%1$s, int8) IS %5$L;

CREATE OPERATOR = (
    LEFTARG = %1$s, RIGHTARG = %1$s, FUNCTION = %1$s_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR <> (
    LEFTARG = %1$s, RIGHTARG = %1$s, FUNCTION = %1$s_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR =(%1$s, %1$s) IS %6$L;
COMMENT ON OPERATOR <>(%1$s, %1$s) IS %7$L;

CREATE OPERATOR CLASS %1$s_hash_ops DEFAULT FOR TYPE %1$s USING hash AS
    OPERATOR 1 = (%1$s, %1$s),
    FUNCTION 1 %1$s_hash(%1$s),
    FUNCTION 2 %1$s_hash_extended(%1$s, int8);
COMMENT ON OPERATOR CLASS %1$s_hash_ops USING hash IS %8$L;
COMMENT ON OPERATOR FAMILY %1$s_hash_ops USING hash IS %8$L;
$ddl$,
			v.t,
			pg_catalog.format('implementation of = for %s: %s', v.t, v.means),
			pg_catalog.format('implementation of <> for %s', v.t),
			pg_catalog.format('hash of a %s (hash operator class support)', v.t),
			pg_catalog.format('seeded 64-bit hash of a %s (hash operator class support)', v.t),
			pg_catalog.format('same %s', v.one),
			pg_catalog.format('different %s', v.many),
			pg_catalog.format('hash equality of %s', v.t));
	END LOOP;
END
$do$;
