-- Likelihood-ratio tests of nested fits (cj_lr_test) and the data
-- fingerprint a fit records (data= in the model text).  On the apparel
-- data CLVTools ships (104 weeks, Pareto/NBD): no covariates, Channel on
-- both processes, Gender and Channel on both, Gender constrained.  The
-- log-likelihoods are checked against the independent reference
-- test/ref/covariates_ref.py (its own summary and likelihood) to 1e-5, the
-- statistic is 2 (ll_full - ll_restricted) of the reference values to
-- 1e-4, and the p-values are chi-square tails from mpmath (gammainc at 30
-- digits) at the reference statistics, to 2e-6 relative (the fitted and
-- reference statistics differ by about 1e-6).  Then the refusals, each
-- with its SQLSTATE.
\set VERBOSITY default
SET extra_float_digits = 0;

CREATE TABLE lrt_tx (id int, d date, price float8);
\copy lrt_tx FROM 'test/data/apparel_transactions.csv' (FORMAT csv, HEADER true)
CREATE TABLE lrt_cov (id int, gender float8, channel float8);
\copy lrt_cov FROM 'test/data/apparel_static_cov.csv' (FORMAT csv, HEADER true)
CREATE TABLE lrt_s AS
  WITH lim AS (SELECT min(d) + 7 * 104 AS e FROM lrt_tx),
  days AS (SELECT DISTINCT t.id, t.d FROM lrt_tx t, lim WHERE t.d <= lim.e),
  s AS (SELECT days.id, count(*) - 1 AS x, (max(days.d) - min(days.d))::float8 / 7 AS t_x,
               ((SELECT e FROM lim) - min(days.d))::float8 / 7 AS age
        FROM days GROUP BY days.id)
  SELECT s.id, s.x::float8 AS x, s.t_x, s.age, c.gender, c.channel
  FROM s JOIN lrt_cov c ON c.id = s.id;

CREATE TABLE lrt_m AS SELECT
  cj_fit_pnbd(x, t_x, age) AS plain,
  cj_fit_pnbd(x, t_x, age, ARRAY[channel], ARRAY[channel],
              '{"names_trans": ["Channel"], "names_life": ["Channel"]}'::jsonb) AS chan,
  cj_fit_pnbd(x, t_x, age, ARRAY[gender, channel], ARRAY[gender, channel],
              '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"]}'::jsonb) AS full2,
  cj_fit_pnbd(x, t_x, age, ARRAY[gender, channel], ARRAY[gender, channel],
              '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"],
                "constrain": ["Gender"]}'::jsonb) AS constr,
  cj_fit_pnbd(x, t_x, age, ARRAY[gender, channel], ARRAY[gender, channel],
              '{"names_trans": ["Gender", "Channel"], "names_life": ["Gender", "Channel"],
                "lambda_trans": 0.05, "lambda_life": 0.05}'::jsonb) AS l2
FROM lrt_s;

-- the fits: converged, the reference log-likelihoods
SELECT name, cj_model_jsonb(m)->>'status' AS status,
       abs(cj_loglik(m) - ref) < 1e-5 AS ll_ok
FROM lrt_m, LATERAL (VALUES ('plain', plain, -5848.097827), ('chan', chan, -5831.193950),
                            ('full', full2, -5821.062686), ('constr', constr, -5826.534191)) v(name, m, ref);

-- every fit of the same customers records the same fingerprint, whatever
-- the covariates, the row order or the plan; other customers another
SELECT count(DISTINCT cj_model_jsonb(m)->>'data') AS fingerprints,
       bool_and(cj_model_jsonb(m)->>'data' ~ '^[0-9a-f]{8}$') AS hex
FROM lrt_m, LATERAL (VALUES (plain), (chan), (full2), (constr), (l2)) v(m);
SELECT (SELECT cj_model_jsonb(cj_fit_pnbd(x, t_x, age ORDER BY id DESC))->>'data' FROM lrt_s)
         = cj_model_jsonb(plain)->>'data' AS reversed_same,
       (SELECT cj_model_jsonb(cj_fit_pnbd(x, t_x, age))->>'data' FROM lrt_s WHERE id % 2 = 0)
         <> cj_model_jsonb(plain)->>'data' AS half_differs
FROM lrt_m;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT (SELECT cj_fit_pnbd(x, t_x, age) FROM lrt_s) = plain AS parallel_same FROM lrt_m;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- the fingerprint reads back through text, binary and jsonb
SELECT m::text ~ ' n=600 data=[0-9a-f]{8} iter=' AS in_text,
       m::text::cj_model = m AS text_round_trip,
       cj_model_send(m) = cj_model_send(m::text::cj_model) AS send_round_trip
FROM lrt_m, LATERAL (VALUES (plain), (full2)) v(m);
-- the fingerprint is part of the value
SELECT plain = regexp_replace(plain::text, ' data=[0-9a-f]{8}', '')::cj_model AS equal_without_data,
       cj_model_hash(plain) = cj_model_hash(regexp_replace(plain::text, ' data=[0-9a-f]{8}', '')::cj_model) AS same_hash
FROM lrt_m;

-- the tests: statistic against the reference log-likelihoods, p-value
-- against mpmath at the reference statistic
SELECT pair, t.df, abs(t.statistic - 2 * (llf - llr)) < 1e-4 AS statistic_ok,
       abs(t.p_value / p_ref - 1) < 2e-6 AS p_ok, round(t.statistic::numeric, 4) AS statistic,
       to_char(t.p_value, '9.9999EEEE') AS p_value
FROM lrt_m, LATERAL (VALUES
  ('plain in full', plain, full2, -5821.062686, -5848.097827, 5.087333e-11),
  ('plain in chan', plain, chan, -5831.193950, -5848.097827, 4.557635e-08),
  ('chan in full', chan, full2, -5821.062686, -5831.193950, 3.981511e-05),
  ('constr in full', constr, full2, -5821.062686, -5826.534191, 9.395741e-04),
  ('chan in constr', chan, constr, -5826.534191, -5831.193950, 2.267256e-03)
) v(pair, r, f, llf, llr, p_ref), LATERAL cj_lr_test(r, f) t;

-- refusals: 22023 with the reason
CREATE FUNCTION pg_temp.lr(r cj_model, f cj_model) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
	PERFORM cj_lr_test(r, f);
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || d;
END $$;
SELECT pg_temp.lr(full2, chan) FROM lrt_m;
SELECT pg_temp.lr(full2, constr) FROM lrt_m;
SELECT pg_temp.lr(full2, full2) FROM lrt_m;
SELECT pg_temp.lr(plain, l2) FROM lrt_m;
SELECT pg_temp.lr(plain, 'pnbd(r=1, alpha=2, s=3, beta=4)') FROM lrt_m;
SELECT pg_temp.lr('pnbd(r=1, alpha=2, s=3, beta=4) ll=-6000 n=600 converged', full2) FROM lrt_m;
SELECT pg_temp.lr((SELECT cj_fit_pnbd(x, t_x, age) FROM lrt_s WHERE id % 2 = 0), full2) FROM lrt_m;
SELECT pg_temp.lr((SELECT cj_fit_bgnbd(x, t_x, age) FROM lrt_s), full2) FROM lrt_m;
SELECT pg_temp.lr(regexp_replace(plain::text, 'converged', 'boundary')::cj_model, full2) FROM lrt_m;
SELECT pg_temp.lr(regexp_replace(plain::text, 'll=[^ ]+', 'll=-5000')::cj_model,
                  regexp_replace(full2::text, 'll=[^ ]+', 'll=-5821.5')::cj_model) FROM lrt_m;
SELECT cj_lr_test(NULL, full2) IS NULL AS strict FROM lrt_m;

-- bad data= literals: 22P02
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) data=00000000'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) data=abc'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) data=12345678 data=12345678'::cj_model;
SELECT 'pnbd(r=1, alpha=2, s=3, beta=4) n=5 data=0A1b2C3d'::cj_model;

DROP TABLE lrt_tx, lrt_cov, lrt_s, lrt_m;
