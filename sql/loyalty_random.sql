-- 100 random ledgers replayed by cj_points_balance and by an independent
-- PL/pgSQL model of the documented rules; every balance must agree.
SET TimeZone = 'UTC';
SELECT setseed(0.4242);

CREATE TABLE loyalty_rnd (member int, seq int, kind text, points numeric, occurred_at timestamptz,
                          expires_at timestamptz, available_at timestamptz, ref text);

-- Random ledgers: earns (some pending, some expiring), redemptions (some
-- beyond the balance), reversals of earlier earns, adjustments both ways.
DO $$
DECLARE
  m int; i int; n int; r float8; t timestamptz; k text; p numeric; av timestamptz; ex timestamptz;
  rf text; earns text[]; earn_pts numeric[]; j int;
BEGIN
  FOR m IN 1..100 LOOP
    n := 5 + floor(random() * 25)::int;
    t := timestamptz '2024-01-01';
    earns := '{}'; earn_pts := '{}';
    FOR i IN 1..n LOOP
      t := t + (1 + floor(random() * 20)::int) * interval '1 day' + floor(random() * 24) * interval '1 hour';
      r := random();
      p := 1 + floor(random() * 100)::numeric + CASE WHEN random() < 0.2 THEN 0.25 ELSE 0 END;
      av := NULL; ex := NULL; rf := NULL;
      IF r < 0.45 THEN
        k := 'earn'; rf := 'm' || m || '-' || i;
        IF random() < 0.3 THEN av := t + floor(1 + random() * 30) * interval '1 day'; END IF;
        IF random() < 0.6 THEN ex := coalesce(av, t) + floor(1 + random() * 90) * interval '1 day'; END IF;
        earns := earns || rf; earn_pts := earn_pts || p;
      ELSIF r < 0.75 THEN
        k := 'redeem'; p := p * 1.5;
      ELSIF r < 0.85 AND cardinality(earns) > 0 THEN
        k := 'reverse'; j := 1 + floor(random() * cardinality(earns))::int;
        rf := earns[j]; p := least(p, earn_pts[j]);
        earns := earns[1:j - 1] || earns[j + 1:]; earn_pts := earn_pts[1:j - 1] || earn_pts[j + 1:];
      ELSIF r < 0.92 THEN
        k := 'adjust'; p := -p;
      ELSE
        k := 'adjust';
        IF random() < 0.5 THEN ex := t + floor(1 + random() * 60) * interval '1 day'; END IF;
      END IF;
      INSERT INTO loyalty_rnd VALUES (m, i, k, p, t, ex, av, rf);
    END LOOP;
  END LOOP;
END $$;

-- The model: arrays of lots, replayed movement by movement in time order.
CREATE FUNCTION loyalty_model(mem int, as_of timestamptz, OUT available numeric, OUT pending numeric,
  OUT redeemed numeric, OUT expired numeric, OUT reversed numeric, OUT deducted numeric,
  OUT negative numeric, OUT next_expiry_at timestamptz, OUT next_expiry_points numeric)
LANGUAGE plpgsql AS $$
DECLARE
  mv record; lp numeric[] := '{}'; rem numeric[] := '{}'; xp numeric[] := '{}';
  la timestamptz[] := '{}'; le timestamptz[] := '{}'; lr text[] := '{}'; st int[] := '{}';
  debt numeric := 0; i int; best int; bt timestamptz; amt numeric; take numeric; now_t timestamptz;
  pass int;
BEGIN
  available := 0; pending := 0; redeemed := 0; expired := 0; reversed := 0; deducted := 0;
  FOR pass IN 1..2 LOOP
  FOR mv IN SELECT * FROM loyalty_rnd WHERE member = mem AND (pass = 1 AND occurred_at <= as_of)
            UNION ALL SELECT NULL, NULL, 'end', NULL, as_of, NULL, NULL, NULL WHERE pass = 2
            ORDER BY occurred_at LOOP
    now_t := mv.occurred_at;
    -- events up to now: lots becoming available (state 0 -> 1) or expiring
    LOOP
      best := NULL; bt := NULL;
      FOR i IN 1..coalesce(array_length(lp, 1), 0) LOOP
        IF st[i] = 0 AND la[i] <= now_t AND (bt IS NULL OR la[i] < bt) THEN best := i; bt := la[i]; END IF;
        IF st[i] = 1 AND rem[i] > 0 AND le[i] <= now_t AND (bt IS NULL OR le[i] < bt) THEN best := i; bt := le[i]; END IF;
      END LOOP;
      EXIT WHEN best IS NULL;
      IF st[best] = 0 THEN
        take := least(debt, rem[best]); debt := debt - take; rem[best] := rem[best] - take; st[best] := 1;
      ELSE
        xp[best] := xp[best] + rem[best]; expired := expired + rem[best]; rem[best] := 0; st[best] := 2;
      END IF;
    END LOOP;
    CONTINUE WHEN mv.kind = 'end';
    amt := abs(mv.points);
    IF mv.kind = 'earn' OR (mv.kind = 'adjust' AND mv.points > 0) THEN
      lp := lp || amt; rem := rem || amt; xp := xp || 0::numeric; lr := lr || mv.ref;
      la := la || coalesce(mv.available_at, mv.occurred_at); le := le || coalesce(mv.expires_at, 'infinity');
      st := st || 0;
      IF la[array_length(lp, 1)] <= now_t THEN
        i := array_length(lp, 1); take := least(debt, rem[i]); debt := debt - take; rem[i] := rem[i] - take; st[i] := 1;
      END IF;
      CONTINUE;
    END IF;
    IF mv.kind = 'reverse' THEN
      i := array_position(lr, mv.ref);
      reversed := reversed + amt;
      take := least(amt, rem[i]); rem[i] := rem[i] - take; amt := amt - take;
      take := least(amt, xp[i]); xp[i] := xp[i] - take; expired := expired - take; amt := amt - take;
    ELSIF mv.kind = 'redeem' THEN
      redeemed := redeemed + amt;
    ELSE
      deducted := deducted + amt;
    END IF;
    -- consume amt from active lots: soonest expiry first, then oldest
    LOOP
      EXIT WHEN amt = 0;
      best := NULL;
      FOR i IN 1..coalesce(array_length(lp, 1), 0) LOOP
        IF st[i] = 1 AND rem[i] > 0 AND (best IS NULL OR le[i] < le[best]) THEN best := i; END IF;
      END LOOP;
      EXIT WHEN best IS NULL;
      take := least(amt, rem[best]); rem[best] := rem[best] - take; amt := amt - take;
    END LOOP;
    debt := debt + amt;
  END LOOP;
  END LOOP;
  FOR i IN 1..coalesce(array_length(lp, 1), 0) LOOP
    IF st[i] = 0 THEN pending := pending + rem[i]; ELSIF st[i] = 1 THEN available := available + rem[i]; END IF;
    IF rem[i] > 0 AND le[i] < 'infinity' AND (next_expiry_at IS NULL OR le[i] < next_expiry_at) THEN
      next_expiry_at := le[i];
    END IF;
  END LOOP;
  IF next_expiry_at IS NOT NULL THEN
    SELECT sum(rem[g]) INTO next_expiry_points FROM generate_series(1, array_length(lp, 1)) g
    WHERE rem[g] > 0 AND le[g] = next_expiry_at;
  END IF;
  negative := debt;
END $$;

CREATE TABLE loyalty_rnd_ledgers AS
SELECT member, cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref) AS l
FROM loyalty_rnd GROUP BY member;

SELECT count(*) AS ledgers, sum(n) AS movements,
       count(*) FILTER (WHERE kinds @> '{earn,redeem,reverse,adjust}') AS with_every_kind
FROM (SELECT member, count(*) n, array_agg(DISTINCT kind) kinds FROM loyalty_rnd GROUP BY member) s;

-- compare at four times per member: every field must match
WITH checks AS (
  SELECT x.member, t, cj_points_balance(x.l, t) AS got,
         (SELECT row(m.*)::cj_points_balance FROM loyalty_model(x.member, t) m) AS want
  FROM loyalty_rnd_ledgers x,
       unnest('{2024-02-01, 2024-05-01, 2024-09-01, 2026-01-01}'::timestamptz[]) t
)
SELECT count(*) AS comparisons, count(*) FILTER (WHERE got IS NOT DISTINCT FROM want) AS agree,
       count(*) FILTER (WHERE (got).negative > 0) AS with_debt,
       count(*) FILTER (WHERE (got).expired > 0) AS with_expiry,
       count(*) FILTER (WHERE (got).pending > 0) AS with_pending
FROM checks;
-- any disagreement in detail (none expected)
SELECT x.member, t, cj_points_balance(x.l, t) AS got, (SELECT row(m.*) FROM loyalty_model(x.member, t) m) AS want
FROM loyalty_rnd_ledgers x, unnest('{2024-02-01, 2024-05-01, 2024-09-01, 2026-01-01}'::timestamptz[]) t
WHERE cj_points_balance(x.l, t) IS DISTINCT FROM (SELECT row(m.*)::cj_points_balance FROM loyalty_model(x.member, t) m)
ORDER BY 1, 2 LIMIT 5;
