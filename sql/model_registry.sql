-- Every registered model family walked through the same checks, read off
-- cj_model_families(): a family added to the registry is picked up here
-- with no edit of this file (only this file's expected output grows).
\set VERBOSITY terse

SELECT family, title, kind, parameters, data, scores FROM cj_model_families() ORDER BY family;

-- names and ids are unique; the example model reads back, names its family
-- and holds the example parameters
SELECT count(*) = count(DISTINCT family) AS names_unique,
       bool_and(cj_model_family(example) = family) AS family_named,
       bool_and(example::text::cj_model = example) AS text_round_trip,
       bool_and(cj_model_family(example::text::cj_model) = family) AS reads_back
FROM cj_model_families();
SELECT f.family, p AS parameter, cj_param(f.example, p) > 0 AS positive
FROM cj_model_families() f, unnest(f.parameters) p ORDER BY 1, 2;

-- a parameter the family does not have is refused
DO $$
DECLARE f record;
BEGIN
  FOR f IN SELECT * FROM cj_model_families() ORDER BY family LOOP
    BEGIN
      PERFORM cj_param(f.example, 'no_such_parameter');
      RAISE NOTICE '% accepted an unknown parameter', f.family;
    EXCEPTION WHEN invalid_parameter_value THEN
      RAISE NOTICE '% refuses an unknown parameter', f.family;
    END;
  END LOOP;
END $$;

-- Every score for every family: a score the family lists must return a
-- finite number; one it does not list must be refused with 22023 naming
-- the family.  The calls use data valid for every family of the kind.
CREATE TEMP TABLE score_call (fn text, call text);
INSERT INTO score_call VALUES
  ('cj_expected_purchases', 'SELECT cj_expected_purchases($1, 5)'),
  ('cj_conditional_purchases', 'SELECT cj_conditional_purchases($1, 2, 4, 6, 5)'),
  ('cj_p_alive', 'SELECT cj_p_alive($1, 2, 4, 6)'),
  ('cj_prob_purchases', 'SELECT cj_prob_purchases($1, 1, 5)'),
  ('cj_expected_spend', 'SELECT cj_expected_spend($1, 2, 35.5)'),
  ('cj_simulate', 'SELECT sum(x + t_x) FROM cj_simulate($1, 3, 6, 1)'),
  -- a spend model simulates the spend of a purchase model's customers
  ('cj_simulate', $q$SELECT sum(spend) FROM cj_simulate('bgnbd(r=1, alpha=2, a=1, b=3)', $1, 3, 6, 1)$q$),
  ('cj_dert', 'SELECT cj_dert($1, 2, 4, 6, 0.01)'),
  ('cj_retention', 'SELECT cj_retention($1, 3)'),
  ('cj_survival', 'SELECT cj_survival($1, 3)'),
  ('cj_del', 'SELECT cj_del($1, 0.1)'),
  ('cj_derl', 'SELECT cj_derl($1, 3, 0.1)'),
  ('cj_prob_no_purchase', 'SELECT cj_prob_no_purchase($1, 2, 4, 6, 5)'),
  ('cj_conditional_prob_purchases', 'SELECT cj_conditional_prob_purchases($1, 1, 2, 4, 6, 5)'),
  ('cj_p_alive_at', 'SELECT cj_p_alive_at($1, 2, 4, 6, 5)');

CREATE FUNCTION pg_temp.try_score(m cj_model, call text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE v float8;
BEGIN
  EXECUTE call INTO v USING m;
  RETURN CASE WHEN v IS NOT NULL AND v <> 'NaN' AND abs(v) < 'Infinity' THEN 'value' ELSE 'not finite' END;
EXCEPTION WHEN OTHERS THEN
  RETURN CASE WHEN SQLSTATE = '22023' AND SQLERRM LIKE '% is not defined for a %' THEN 'refused'
              ELSE 'error ' || SQLSTATE || ': ' || SQLERRM END;
END $$;

-- the matrix (a function with two call forms counts as a value when
-- either form gives one), and every cell that contradicts the family's own
-- list
CREATE TEMP TABLE outcome AS
SELECT f.family, c.fn, c.fn = ANY (f.scores) AS listed,
       CASE WHEN bool_or(pg_temp.try_score(f.example, c.call) = 'value') THEN 'value'
            ELSE min(pg_temp.try_score(f.example, c.call)) END AS outcome
FROM cj_model_families() f, score_call c GROUP BY 1, 2, 3;
SELECT family, fn, outcome FROM outcome ORDER BY 1, 2;
SELECT * FROM outcome
WHERE listed <> (outcome = 'value') OR outcome NOT IN ('value', 'refused')
ORDER BY 1, 2;
-- every score function of the check list exists in the extension, and every
-- score a family lists is in the check list
SELECT s FROM cj_model_families() f, unnest(f.scores) s
WHERE s NOT IN (SELECT fn FROM score_call);

-- Fit on simulated data: purchase families from their own simulation (20,000
-- customers over 39 periods, or 6 opportunities for discrete data), the
-- spend family from a purchase family's simulation, contractual families
-- from their expected survivor counts.  Each fit converges and finds every
-- parameter within a factor 1.5 of the truth (the sampling spread at this
-- size is a few per cent for most parameters and up to ~20 % for the
-- dropout parameters).
CREATE FUNCTION pg_temp.refit(f record) RETURNS cj_model
LANGUAGE plpgsql AS $$
DECLARE m cj_model; pm cj_model; age float8;
BEGIN
  age := CASE WHEN f.data[3] = 'n' THEN 6 ELSE 39 END;
  IF f.kind = 'purchase' THEN
    EXECUTE format('SELECT cj_fit_%s(x, t_x, age) FROM cj_simulate($1, 20000, $2, 42)', f.family)
      INTO m USING f.example, age;
  ELSIF f.kind = 'spend' THEN
    SELECT example INTO pm FROM cj_model_families() WHERE family = 'bgnbd';
    EXECUTE format('SELECT cj_fit_%s(x, spend) FROM cj_simulate($1, $2, 20000, 39, 42) WHERE x > 0', f.family)
      INTO m USING pm, f.example;
  ELSE
    -- p renewals made, then churned (p < 7) or still active (p = 7)
    EXECUTE format($q$SELECT cj_fit_%s(p, p < 7, w) FROM (
        SELECT p, round(1e6 * CASE WHEN p < 7 THEN cj_survival($1, p) - cj_survival($1, p + 1)
                                   ELSE cj_survival($1, 7) END)::int8 AS w
        FROM generate_series(0, 7) p) d$q$, f.family)
      INTO m USING f.example;
  END IF;
  RETURN m;
END $$;
CREATE TEMP TABLE refits AS
SELECT f.family, f.parameters, f.example, pg_temp.refit(f) AS m FROM cj_model_families() f;
SELECT family, cj_model_family(m) = family AS same_family,
       cj_model_jsonb(m)->>'status' AS status
FROM refits ORDER BY family;
SELECT r.family, p AS parameter,
       cj_param(r.m, p) / cj_param(r.example, p) BETWEEN 1 / 1.5 AND 1.5 AS recovered
FROM refits r, unnest(r.parameters) p ORDER BY 1, 2;
