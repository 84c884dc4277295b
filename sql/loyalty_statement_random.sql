-- 1,000 random ledgers (earns, pending earns, redemptions, reversals of
-- refs holding several lots, adjustments, transfers in and out, expiries)
-- against an independent PL/pgSQL model of the documented rules: every
-- statement row, expiring list, liability month and transfer slice must
-- agree exactly.
SET TimeZone = 'UTC';
SELECT setseed(0.2727);

CREATE TABLE lsr (member int, seq int, kind text, points numeric, occurred_at timestamptz,
                  expires_at timestamptz, available_at timestamptz, ref text);

DO $$
DECLARE
  m int; i int; n int; r float8; t timestamptz; k text; p numeric; av timestamptz; ex timestamptz;
  rf text; refs text[]; left_ numeric[]; j int;
BEGIN
  FOR m IN 1..1000 LOOP
    n := 3 + floor(random() * 28)::int;
    t := timestamptz '2024-01-01' + floor(random() * 48) * interval '1 hour';
    refs := '{}'; left_ := '{}';
    FOR i IN 1..n LOOP
      t := t + (1 + floor(random() * 15)::int) * interval '1 day' + floor(random() * 24) * interval '1 hour';
      r := random();
      p := 1 + floor(random() * 100)::numeric + CASE WHEN random() < 0.2 THEN 0.5 ELSE 0 END;
      av := NULL; ex := NULL; rf := NULL;
      IF r < 0.35 THEN
        k := 'earn';
        -- a third of the earns share a ref with an earlier earn (one order, several lots)
        IF cardinality(refs) > 0 AND random() < 0.3 THEN
          j := 1 + floor(random() * cardinality(refs))::int; rf := refs[j]; left_[j] := left_[j] + p;
        ELSE
          rf := 'm' || m || '-' || i; refs := refs || rf; left_ := left_ || p;
        END IF;
        IF random() < 0.3 THEN av := t + floor(1 + random() * 20) * interval '1 day'; END IF;
        IF random() < 0.7 THEN ex := coalesce(av, t) + floor(1 + random() * 120) * interval '1 day'; END IF;
      ELSIF r < 0.47 THEN
        k := 'transfer_in'; rf := 'tin-' || m || '-' || i; refs := refs || rf; left_ := left_ || p;
        IF random() < 0.8 THEN ex := t + floor(1 + random() * 90) * interval '1 day'; END IF;
      ELSIF r < 0.65 THEN
        k := 'redeem'; p := p * 1.25;
      ELSIF r < 0.74 THEN
        k := 'transfer_out'; rf := 'tout-' || m || '-' || i;
      ELSIF r < 0.86 AND cardinality(refs) > 0 THEN
        j := 1 + floor(random() * cardinality(refs))::int;
        CONTINUE WHEN left_[j] = 0;
        k := 'reverse'; rf := refs[j];
        p := least(p, left_[j]); left_[j] := left_[j] - p;
      ELSIF r < 0.93 THEN
        k := 'adjust'; p := -p;
      ELSE
        k := 'adjust';
        IF random() < 0.5 THEN ex := t + floor(1 + random() * 60) * interval '1 day'; END IF;
      END IF;
      INSERT INTO lsr VALUES (m, i, k, p, t, ex, av, rf);
    END LOOP;
  END LOOP;
END $$;

-- The model: lots in arrays, movements in time order (the generator gives
-- every movement of a member its own time), events before the movements of
-- their instant: availability before expiry, then by time and creation.
-- Returns the opening row (balances at from), every event after from up to
-- until (movements only up to moves_until) and a closing row; with take,
-- instead the slices a debit of take would consume at the end.
CREATE FUNCTION lsr_model(mem int, from_ timestamptz, moves_until timestamptz, until timestamptz,
                          take numeric DEFAULT NULL)
RETURNS TABLE (ord int, at timestamptz, kind text, points numeric, avail numeric, pend numeric, neg numeric)
LANGUAGE plpgsql AS $$
DECLARE
  mv record; lp numeric[] := '{}'; rem numeric[] := '{}'; xp numeric[] := '{}'; rv numeric[] := '{}';
  la timestamptz[] := '{}'; le timestamptz[] := '{}'; lr text[] := '{}'; st int[] := '{}';
  debt numeric := 0; i int; best int; bt timestamptz; amt numeric; x numeric; now_t timestamptz;
  opened boolean := false; o int := 0; g int; a numeric; y numeric; spent_all numeric; j int; phase int;
BEGIN
  FOR phase IN 1..3 LOOP
  FOR mv IN SELECT l.kind, l.points, l.occurred_at, l.expires_at, l.available_at, l.ref
              FROM lsr l WHERE phase = 2 AND l.member = mem AND l.occurred_at <= moves_until
            UNION ALL SELECT 'open', NULL, from_, NULL, NULL, NULL WHERE phase = 1 AND from_ <= moves_until
            UNION ALL SELECT 'end', NULL, until, NULL, NULL, NULL WHERE phase = 3
            ORDER BY 3 LOOP
    -- the opening row goes out once every event up to from has happened
    IF NOT opened AND (mv.kind = 'end' OR mv.occurred_at > from_) THEN
      now_t := from_;
    ELSE
      now_t := mv.occurred_at;
    END IF;
    <<again>>
    LOOP
      LOOP
        best := NULL; bt := NULL;
        FOR i IN 1..coalesce(array_length(lp, 1), 0) LOOP
          IF st[i] = 0 AND la[i] <= now_t AND (bt IS NULL OR la[i] < bt) THEN best := i; bt := la[i]; END IF;
        END LOOP;
        FOR i IN 1..coalesce(array_length(lp, 1), 0) LOOP
          IF st[i] = 1 AND rem[i] > 0 AND le[i] <= now_t AND (bt IS NULL OR le[i] < bt) THEN best := i; bt := le[i]; END IF;
        END LOOP;
        EXIT WHEN best IS NULL;
        IF st[best] = 0 THEN
          x := rem[best]; a := least(debt, rem[best]); debt := debt - a; rem[best] := rem[best] - a; st[best] := 1;
          IF opened AND x > 0 THEN
            o := o + 1; ord := o; at := bt; kind := 'available'; points := x;
            avail := 0; pend := 0;
          FOR g IN 1..coalesce(array_length(lp, 1), 0) LOOP
            IF st[g] = 1 THEN avail := avail + rem[g]; ELSIF st[g] = 0 THEN pend := pend + rem[g]; END IF;
          END LOOP;
            neg := debt; RETURN NEXT;
          END IF;
        ELSE
          x := rem[best]; xp[best] := xp[best] + x; rem[best] := 0; st[best] := 2;
          IF opened THEN
            o := o + 1; ord := o; at := bt; kind := 'expire'; points := -x;
            avail := 0; pend := 0;
          FOR g IN 1..coalesce(array_length(lp, 1), 0) LOOP
            IF st[g] = 1 THEN avail := avail + rem[g]; ELSIF st[g] = 0 THEN pend := pend + rem[g]; END IF;
          END LOOP;
            neg := debt; RETURN NEXT;
          END IF;
        END IF;
      END LOOP;
      IF NOT opened AND (mv.kind = 'end' OR mv.occurred_at > from_) THEN
        opened := true;
        o := o + 1; ord := o; at := from_; kind := 'opening'; points := NULL;
        avail := 0; pend := 0;
          FOR g IN 1..coalesce(array_length(lp, 1), 0) LOOP
            IF st[g] = 1 THEN avail := avail + rem[g]; ELSIF st[g] = 0 THEN pend := pend + rem[g]; END IF;
          END LOOP;
        neg := debt; RETURN NEXT;
        now_t := mv.occurred_at;
        CONTINUE again;
      END IF;
      EXIT;
    END LOOP;
    CONTINUE WHEN mv.kind IN ('open', 'end');
    amt := abs(mv.points);
    IF mv.kind IN ('earn', 'transfer_in') OR (mv.kind = 'adjust' AND mv.points > 0) THEN
      lp := lp || amt; rem := rem || amt; xp := xp || 0::numeric; rv := rv || 0::numeric; lr := lr || mv.ref;
      la := la || coalesce(mv.available_at, mv.occurred_at); le := le || coalesce(mv.expires_at, 'infinity');
      st := st || 0;
      i := array_length(lp, 1);
      IF la[i] <= now_t THEN
        a := least(debt, rem[i]); debt := debt - a; rem[i] := rem[i] - a; st[i] := 1;
      END IF;
      x := amt;
    ELSE
      x := -amt;
      IF mv.kind = 'reverse' THEN
        -- lots under the ref in creation order: remainder, expired, then the
        -- spent part, charged at once to the spendable lots like a deduction
        spent_all := amt; amt := 0;
        FOR j IN 1..array_length(lp, 1) LOOP
          EXIT WHEN spent_all = 0;
          CONTINUE WHEN lr[j] IS DISTINCT FROM mv.ref;
          a := least(spent_all, lp[j] - rv[j]); rv[j] := rv[j] + a; spent_all := spent_all - a;
          y := least(a, rem[j]); rem[j] := rem[j] - y; a := a - y;
          y := least(a, xp[j]); xp[j] := xp[j] - y; a := a - y;
          LOOP
            EXIT WHEN a = 0;
            best := NULL;
            FOR i IN 1..array_length(lp, 1) LOOP
              IF st[i] = 1 AND rem[i] > 0 AND (best IS NULL OR le[i] < le[best]) THEN best := i; END IF;
            END LOOP;
            EXIT WHEN best IS NULL;
            y := least(a, rem[best]); rem[best] := rem[best] - y; a := a - y;
          END LOOP;
          debt := debt + a;
        END LOOP;
      END IF;
      -- consume amt from active lots: soonest expiry first, then oldest
      LOOP
        EXIT WHEN amt = 0;
        best := NULL;
        FOR i IN 1..coalesce(array_length(lp, 1), 0) LOOP
          IF st[i] = 1 AND rem[i] > 0 AND (best IS NULL OR le[i] < le[best]) THEN best := i; END IF;
        END LOOP;
        EXIT WHEN best IS NULL;
        a := least(amt, rem[best]); rem[best] := rem[best] - a; amt := amt - a;
      END LOOP;
      debt := debt + amt;
    END IF;
    IF opened THEN
      o := o + 1; ord := o; at := mv.occurred_at; kind := CASE WHEN mv.kind = 'adjust' THEN 'adjust' ELSE mv.kind END;
      points := x;
      avail := 0; pend := 0;
          FOR g IN 1..coalesce(array_length(lp, 1), 0) LOOP
            IF st[g] = 1 THEN avail := avail + rem[g]; ELSIF st[g] = 0 THEN pend := pend + rem[g]; END IF;
          END LOOP;
      neg := debt; RETURN NEXT;
    END IF;
  END LOOP;
  END LOOP;
  IF take IS NOT NULL THEN
    -- the slices: active lots by expiry then creation, equal expiries merged
    a := take;
    FOR i IN SELECT q.k FROM generate_series(1, coalesce(array_length(lp, 1), 0)) q(k)
              WHERE st[q.k] = 1 AND rem[q.k] > 0 ORDER BY le[q.k], q.k LOOP
      EXIT WHEN a = 0;
      x := least(a, rem[i]); a := a - x;
      o := o + 1; ord := o; at := le[i]; kind := 'slice'; points := x; avail := NULL; pend := NULL; neg := NULL;
      RETURN NEXT;
    END LOOP;
    IF a > 0 THEN
      o := o + 1; ord := o; at := NULL; kind := 'short'; points := a; RETURN NEXT;
    END IF;
    RETURN;
  END IF;
  o := o + 1; ord := o; at := until; kind := 'closing'; points := NULL;
  avail := 0; pend := 0;
          FOR g IN 1..coalesce(array_length(lp, 1), 0) LOOP
            IF st[g] = 1 THEN avail := avail + rem[g]; ELSIF st[g] = 0 THEN pend := pend + rem[g]; END IF;
          END LOOP;
  neg := debt; RETURN NEXT;
END $$;

CREATE TABLE lsr_ledgers AS
SELECT member, cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref) AS l,
       min(occurred_at) AS first_at, max(occurred_at) AS last_at
  FROM lsr GROUP BY member;
-- each member gets a window and an as_of inside its history
CREATE TABLE lsr_times AS
SELECT member, first_at + (last_at - first_at) * f AS from_, first_at + (last_at - first_at) * f + (last_at - first_at) * g AS to_,
       first_at + (last_at - first_at) * h AS as_of
  FROM (SELECT member, first_at, last_at, random() * 0.6 AS f, random() * 0.6 AS g, random() AS h FROM lsr_ledgers) s;

SELECT count(*) AS ledgers, sum(n) AS movements,
       count(*) FILTER (WHERE kinds @> '{earn,redeem,reverse,adjust,transfer_in,transfer_out}') AS with_every_kind,
       (SELECT count(*) FROM (SELECT member, ref FROM lsr WHERE kind = 'earn' GROUP BY 1, 2 HAVING count(*) > 1) s) AS refs_with_several_lots
  FROM (SELECT member, count(*) n, array_agg(DISTINCT kind) kinds FROM lsr GROUP BY member) s;

-- statements: every row, in order
CREATE TABLE lsr_st AS
SELECT x.member, s.ord, s.at, s.kind, s.points, s.available_after, s.pending_after, s.negative_after, s.change
  FROM lsr_ledgers x JOIN lsr_times t USING (member),
       cj_points_statement(x.l, t.from_, t.to_) WITH ORDINALITY s(at, kind, ref, points, change, available_after,
                                                                 pending_after, negative_after, note, ord);
CREATE TABLE lsr_st_model AS
SELECT t.member, m.* FROM lsr_times t, lsr_model(t.member, t.from_, t.to_, t.to_) m;
SELECT (SELECT count(*) FROM lsr_st) AS statement_rows,
       (SELECT count(*) FROM lsr_st_model) AS model_rows,
       (SELECT count(*) FROM (SELECT member, ord, at, kind, points, available_after, pending_after, negative_after FROM lsr_st
                              EXCEPT ALL SELECT member, ord, at, kind, points, avail, pend, neg FROM lsr_st_model) d) AS differ,
       (SELECT count(DISTINCT kind) FROM lsr_st) AS kinds_seen;
SELECT member, ord, at, kind, points, available_after, pending_after, negative_after FROM lsr_st
EXCEPT ALL SELECT member, ord, at, kind, points, avail, pend, neg FROM lsr_st_model ORDER BY 1, 2 LIMIT 5;
-- opening and closing rows are cj_points_balance at from and to
SELECT count(*) AS checked,
       count(*) FILTER (WHERE o.available_after = b0.available AND o.pending_after = b0.pending AND o.negative_after = b0.negative
                          AND c.available_after = b1.available AND c.pending_after = b1.pending AND c.negative_after = b1.negative) AS agree
  FROM lsr_ledgers x JOIN lsr_times t USING (member)
  JOIN lsr_st o ON o.member = x.member AND o.kind = 'opening'
  JOIN lsr_st c ON c.member = x.member AND c.kind = 'closing',
       cj_points_balance(x.l, t.from_) b0, cj_points_balance(x.l, t.to_) b1;
-- the bookkeeping identity on every row
SELECT count(*) AS rows, count(*) FILTER (WHERE net = prev + coalesce(change, 0)) AS identity_holds
  FROM (SELECT available_after + pending_after - negative_after AS net, change,
               lag(available_after + pending_after - negative_after) OVER (PARTITION BY member ORDER BY ord) AS prev
          FROM lsr_st) s WHERE prev IS NOT NULL;

-- the model's events from as_of over 6 months, without further movements:
-- expiring points over 90 days and the liability by month come from them
CREATE TABLE lsr_liab_ev AS
SELECT t.member, t.as_of, m.* FROM lsr_times t, lsr_model(t.member, t.as_of, t.as_of, t.as_of + interval '6 months') m;
CREATE INDEX ON lsr_liab_ev (member);

-- expiring points over 90 days from as_of
CREATE TABLE lsr_exp AS
SELECT t.member,
       (SELECT string_agg(e.expires_at || '=' || trim_scale(e.points), ', ' ORDER BY e.expires_at)
          FROM cj_points_expiring(x.l, t.as_of, '90 days') e) AS got,
       w.want,
       cj_points_expiring_total(x.l, t.as_of, '90 days') AS total,
       w.want_total
  FROM lsr_ledgers x JOIN lsr_times t USING (member),
       LATERAL (SELECT string_agg(m.at || '=' || trim_scale(m.s), ', ' ORDER BY m.at) AS want,
                       coalesce(sum(m.s), 0) AS want_total
                  FROM (SELECT m.at, -sum(m.points) AS s FROM lsr_liab_ev m
                         WHERE m.member = t.member AND m.kind = 'expire' AND m.at <= t.as_of + interval '90 days'
                         GROUP BY m.at) m) w;
SELECT count(*) AS members, count(*) FILTER (WHERE got IS NOT DISTINCT FROM want AND total = want_total) AS agree,
       count(*) FILTER (WHERE got IS NOT NULL) AS with_expiries,
       count(*) FILTER (WHERE got LIKE '%,%') AS several_dates
  FROM lsr_exp;
SELECT * FROM lsr_exp WHERE got IS DISTINCT FROM want OR total <> want_total LIMIT 3;

-- liability by month over 6 months from as_of: points expiring in the
-- month, and available + pending after the month's last event
CREATE TABLE lsr_liab AS
SELECT t.member, l.month, l.expiring, l.outstanding
  FROM lsr_ledgers x JOIN lsr_times t USING (member), cj_points_liability(x.l, t.as_of, '6 months') l;
CREATE TABLE lsr_liab_model AS
SELECT t.member, mo::date AS month,
       coalesce((SELECT -sum(m.points) FROM lsr_liab_ev m
                  WHERE m.member = t.member AND m.kind = 'expire' AND date_trunc('month', m.at) = mo), 0) AS expiring,
       (SELECT m.avail + m.pend FROM lsr_liab_ev m
         WHERE m.member = t.member AND date_trunc('month', m.at) <= mo AND m.kind <> 'closing'
         ORDER BY m.ord DESC LIMIT 1) AS outstanding
  FROM lsr_times t,
       generate_series(date_trunc('month', t.as_of), date_trunc('month', t.as_of + interval '6 months'), '1 month') mo;
SELECT (SELECT count(*) FROM lsr_liab) AS liability_rows, (SELECT count(*) FROM lsr_liab_model) AS model_rows,
       (SELECT count(*) FROM (SELECT * FROM lsr_liab EXCEPT ALL SELECT * FROM lsr_liab_model) d) AS differ,
       (SELECT count(*) FROM lsr_liab WHERE expiring > 0) AS months_with_expiry;
SELECT * FROM lsr_liab EXCEPT ALL SELECT * FROM lsr_liab_model ORDER BY 1, 2 LIMIT 5;

-- transfer slices: soonest expiry first, equal expiries merged, as the model
-- consumes them; too large a transfer fails with 22023 exactly when the
-- model runs short
CREATE FUNCTION lsr_slices(l cj_points_ledger, p numeric, t timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT coalesce(string_agg(trim_scale(s.points) || '@' || coalesce(s.expires_at::text, 'never'), ', '), '')
            FROM cj_points_transfer_lots(l, p, t) s);
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN 'short';
END $$;
CREATE TABLE lsr_tr AS
SELECT t.member, p,
       lsr_slices(x.l, p, t.as_of) AS got,
       (SELECT CASE WHEN bool_or(m.kind = 'short') THEN 'short'
                    ELSE coalesce(string_agg(trim_scale(m.s) || '@' || CASE WHEN m.at = 'infinity' THEN 'never' ELSE m.at::text END, ', ' ORDER BY m.at), '') END
          FROM (SELECT m.at, m.kind, sum(m.points) AS s
                  FROM lsr_model(t.member, t.as_of, t.as_of, t.as_of, p) m GROUP BY m.at, m.kind) m) AS want
  FROM lsr_ledgers x JOIN lsr_times t USING (member),
       LATERAL (SELECT greatest(round((b.available * f)::numeric, 1), 0.1) AS p
                  FROM cj_points_balance(x.l, t.as_of) b, unnest(ARRAY[0.3, 1, 1.01]) f) ps;
SELECT count(*) AS transfers, count(*) FILTER (WHERE got = want) AS agree,
       count(*) FILTER (WHERE got = 'short') AS refused, count(*) FILTER (WHERE got LIKE '%,%') AS several_lots
  FROM lsr_tr;
SELECT * FROM lsr_tr WHERE got IS DISTINCT FROM want LIMIT 5;
