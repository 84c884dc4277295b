
-- ---------------------------------------------------------------------
-- Lifetime-value models II: Pareto/NBD, BG/BB, shifted-beta-geometric
-- ---------------------------------------------------------------------

CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8) IS 'fit a Pareto/NBD model to (x, t_x, T) rows';
CREATE AGGREGATE cj_fit_pnbd(x float8, t_x float8, age float8, weight int8) (
    SFUNC = cj_fit_state_add3w, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(float8, float8, float8, int8) IS 'fit a Pareto/NBD model to (x, t_x, T, number of customers) rows';

CREATE AGGREGATE cj_fit_bgbb(x float8, t_x float8, n float8) (
    SFUNC = cj_fit_state_add3, STYPE = cj_fit_state, INITCOND = 'bgbb{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgbb(float8, float8, float8) IS 'fit a BG/BB model to (x, t_x, n) rows of discrete opportunities';
CREATE AGGREGATE cj_fit_bgbb(x float8, t_x float8, n float8, weight int8) (
    SFUNC = cj_fit_state_add3w, STYPE = cj_fit_state, INITCOND = 'bgbb{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_bgbb(float8, float8, float8, int8) IS 'fit a BG/BB model to (x, t_x, n, number of customers) rows';

CREATE FUNCTION cj_fit_sbg_add(cj_fit_state, int4, bool) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_sbg_add(cj_fit_state, int4, bool) IS 'transition of cj_fit_sbg';
CREATE FUNCTION cj_fit_sbg_addw(cj_fit_state, int4, bool, int8) RETURNS cj_fit_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_fit_sbg_addw(cj_fit_state, int4, bool, int8) IS 'transition of the weighted cj_fit_sbg';
CREATE AGGREGATE cj_fit_sbg(periods int4, churned bool) (
    SFUNC = cj_fit_sbg_add, STYPE = cj_fit_state, INITCOND = 'sbg{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_sbg(int4, bool) IS 'fit a shifted-beta-geometric model to (renewals made, churned) rows';
CREATE AGGREGATE cj_fit_sbg(periods int4, churned bool, weight int8) (
    SFUNC = cj_fit_sbg_addw, STYPE = cj_fit_state, INITCOND = 'sbg{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_sbg(int4, bool, int8) IS 'fit a shifted-beta-geometric model to (renewals made, churned, number of customers) rows';

CREATE FUNCTION cj_dert(m cj_model, x float8, t_x float8, age float8, continuous_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_dert(cj_model, float8, float8, float8, float8) IS 'Pareto/NBD discounted expected residual transactions of a customer with history (x, t_x, T) at a continuous discount rate per time unit';

CREATE FUNCTION cj_retention(m cj_model, period int4) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_retention(cj_model, int4) IS 'sBG retention rate of period t: share of the customers active in period t-1 who renew';

CREATE FUNCTION cj_survival(m cj_model, period int4) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_survival(cj_model, int4) IS 'sBG survival: probability that a new customer makes at least t renewals';

CREATE FUNCTION cj_del(m cj_model, discount_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_del(cj_model, float8) IS 'sBG discounted expected lifetime of a new customer, in periods paid (the first counted undiscounted)';

CREATE FUNCTION cj_derl(m cj_model, periods_survived int4, discount_rate float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cj_derl(cj_model, int4, float8) IS 'sBG discounted expected residual lifetime of a customer who has made that many renewals, just before the next renewal decision';

CREATE AGGREGATE cj_fit_pnbd(h cj_history, as_of timestamptz) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(cj_history, timestamptz) IS 'fit a Pareto/NBD model to purchase histories as of an instant, time in weeks';
CREATE AGGREGATE cj_fit_pnbd(h cj_history, as_of timestamptz, unit interval) (
    SFUNC = cj_fit_state_add_history, STYPE = cj_fit_state, INITCOND = 'pnbd{}',
    COMBINEFUNC = cj_fit_state_combine, FINALFUNC = cj_fit_state_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE cj_fit_pnbd(cj_history, timestamptz, interval) IS 'fit a Pareto/NBD model to purchase histories as of an instant, time in the given unit';
