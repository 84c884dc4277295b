# Transfers between members through the documented recipe (doc/loyalty.md,
# "Transferring points safely"): lock both members in member_id order, take
# the time after the locks, ask cj_points_transfer_lots which slices of the
# sender's lots move (22023 when the sender has too few available points),
# write the receiver's transfer_in rows with those expiry dates and the
# sender's transfer_out.  16 clients transfer in both directions between
# the same members and redeem at the same time: no deadlock, no overspend,
# nothing lost, balances reconcile, expiry dates travel with the points.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('transfer');
$node->init;
$node->append_conf('postgresql.conf', "max_connections = 40\ndeadlock_timeout = 100ms\n");
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION custjourney;
CREATE TABLE members (member_id int PRIMARY KEY);
CREATE TABLE ledger (id bigserial PRIMARY KEY, member_id int NOT NULL REFERENCES members,
                     kind text NOT NULL, points numeric NOT NULL,
                     occurred_at timestamptz NOT NULL, expires_at timestamptz,
                     available_at timestamptz, ref text);
CREATE TABLE attempts (id bigserial PRIMARY KEY, what text, member_id int, other int,
                       amount numeric, ok boolean, at timestamptz, ref text);
INSERT INTO members SELECT generate_series(1, 3);
-- opening lots with different expiry dates (and one that never expires)
INSERT INTO ledger (member_id, kind, points, occurred_at, expires_at, ref)
SELECT m, 'earn', 60, clock_timestamp(), now() + (d || ' days')::interval, 'open-' || m || '-' || d
  FROM generate_series(1, 3) m, generate_series(100, 500, 100) d;
INSERT INTO ledger (member_id, kind, points, occurred_at, ref)
SELECT m, 'earn', 50, clock_timestamp(), 'open-' || m FROM generate_series(1, 3) m;

CREATE FUNCTION member_ledger(p_member int) RETURNS cj_points_ledger
LANGUAGE sql STABLE AS $$
  SELECT cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref)
    FROM ledger WHERE member_id = p_member
$$;

-- Earns take the member's lock too here, so that the check below can
-- replay each sender exactly as the transfer saw it (an earn written
-- without the lock only adds points: it cannot cause an overspend).
CREATE FUNCTION earn(p_member int, p_points numeric, p_days int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM members WHERE member_id = p_member FOR UPDATE;
  INSERT INTO ledger (member_id, kind, points, occurred_at, expires_at, ref)
  VALUES (p_member, 'earn', p_points, clock_timestamp(),
          CASE WHEN p_days > 0 THEN now() + p_days * interval '1 day' END, 'earn-' || txid_current());
END $$;

-- The redemption recipe (README, "Redeeming safely").
CREATE FUNCTION redeem(p_member int, p_amount numeric) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE t timestamptz; avail numeric;
BEGIN
  PERFORM 1 FROM members WHERE member_id = p_member FOR UPDATE;
  t := clock_timestamp();
  avail := coalesce((cj_points_balance(member_ledger(p_member), t)).available, 0);
  INSERT INTO attempts (what, member_id, amount, ok, at) VALUES ('redeem', p_member, p_amount, avail >= p_amount, t);
  IF avail < p_amount THEN RETURN false; END IF;
  INSERT INTO ledger (member_id, kind, points, occurred_at) VALUES (p_member, 'redeem', p_amount, t);
  RETURN true;
END $$;

-- The transfer recipe (doc/loyalty.md, "Transferring points safely").
CREATE FUNCTION transfer(p_from int, p_to int, p_points numeric, p_ref text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE t timestamptz;
BEGIN
  IF p_from = p_to THEN RAISE EXCEPTION 'a member cannot transfer to themselves'; END IF;
  -- both members locked in one order: transfers in opposite directions
  -- queue behind each other instead of deadlocking
  PERFORM 1 FROM members WHERE member_id IN (p_from, p_to) ORDER BY member_id FOR UPDATE;
  t := clock_timestamp();
  BEGIN
    INSERT INTO ledger (member_id, kind, points, occurred_at, expires_at, ref)
    SELECT p_to, 'transfer_in', s.points, t, s.expires_at, p_ref
      FROM cj_points_transfer_lots(member_ledger(p_from), p_points, t) s;
  EXCEPTION WHEN invalid_parameter_value THEN
    INSERT INTO attempts (what, member_id, other, amount, ok, at, ref) VALUES ('transfer', p_from, p_to, p_points, false, t, p_ref);
    RETURN false;
  END;
  INSERT INTO ledger (member_id, kind, points, occurred_at, ref) VALUES (p_from, 'transfer_out', p_points, t, p_ref);
  INSERT INTO attempts (what, member_id, other, amount, ok, at, ref) VALUES ('transfer', p_from, p_to, p_points, true, t, p_ref);
  RETURN true;
END $$;
});

$node->pgbench(
	'-n -c 16 -j 2 -t 40',
	0,
	[qr{processed: 640/640}],
	[qr{^$}],
	'concurrent transfers both ways and redemptions',
	{
		# one transfer in forty (:r = 1) asks for more than any member ever
		# holds, so refusals happen whatever the interleaving
		'041_transfer' => q{
\set a random(1, 3)
\set b random(1, 2)
\set p random(1, 90)
\set r random(1, 40)
\set m random(1, 3)
\set e random(1, 3)
\set d random(0, 600)
SELECT earn(:e, 30, :d);
SELECT transfer(:a, 1 + (:a + :b - 1) % 3, CASE WHEN :r = 1 THEN 100000 ELSE :p END, 'tr-' || :client_id || '-' || txid_current());
SELECT redeem(:m, :r);
}
	});

my $q = sub { $node->safe_psql('postgres', shift) };

is($q->(q{SELECT count(*) FROM attempts}), '1280', 'every attempt recorded');
is($q->(q{SELECT count(*) FROM ledger WHERE kind = 'earn'}), '658', 'every earn recorded');
my $acc = $q->(q{SELECT count(*) FROM attempts WHERE what = 'transfer' AND ok});
my $ref = $q->(q{SELECT count(*) FROM attempts WHERE what = 'transfer' AND NOT ok});
ok($acc > 0 && $ref > 0, "contention exercised ($acc transfers accepted, $ref refused)");
is( $q->(q{
SELECT count(*) FROM attempts a
 WHERE a.what = 'transfer' AND a.ok AND (
   (SELECT sum(points) FROM ledger WHERE kind = 'transfer_in' AND ref = a.ref AND member_id = a.other) IS DISTINCT FROM a.amount
   OR (SELECT sum(points) FROM ledger WHERE kind = 'transfer_out' AND ref = a.ref AND member_id = a.member_id) IS DISTINCT FROM a.amount)}),
	'0', 'every accepted transfer moved exactly its points, once');
is( $q->(q{
SELECT count(*) FROM ledger l WHERE kind IN ('transfer_in', 'transfer_out')
   AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.ref = l.ref AND a.ok)}),
	'0', 'no movement of a refused transfer');
is( $q->(q{
SELECT count(*) FROM ledger l
 WHERE kind IN ('redeem', 'transfer_out')
   AND (cj_points_balance(member_ledger(l.member_id), l.occurred_at)).negative <> 0}),
	'0', 'no debit ever overspent');
is( $q->(q{
SELECT bool_and((b).available = e.credits - e.debits AND (b).negative = 0 AND (b).pending = 0)
  FROM (SELECT member_id, cj_points_balance(member_ledger(member_id), clock_timestamp()) AS b FROM members) x
  JOIN (SELECT member_id,
               sum(points) FILTER (WHERE kind IN ('earn', 'transfer_in')) AS credits,
               coalesce(sum(points) FILTER (WHERE kind IN ('redeem', 'transfer_out')), 0) AS debits
          FROM ledger GROUP BY member_id) e USING (member_id)}),
	't', 'final balances reconcile with the movements');
is($q->(q{SELECT sum(points) FILTER (WHERE kind = 'transfer_in') = sum(points) FILTER (WHERE kind = 'transfer_out') FROM ledger}),
	't', 'points transferred out equal points transferred in');
# the receiver's lots carry the sender's expiry dates, soonest first: the
# slices match the sender's lots as of the transfer, replayed afterwards
is( $q->(q{
SELECT count(*) FROM attempts a
 WHERE a.what = 'transfer' AND a.ok AND EXISTS (
   (SELECT s.points, s.expires_at FROM cj_points_transfer_lots(
       (SELECT cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref)
          FROM ledger WHERE member_id = a.member_id AND occurred_at < a.at), a.amount, a.at) s
    EXCEPT ALL
    SELECT points, expires_at FROM ledger WHERE kind = 'transfer_in' AND ref = a.ref)
   UNION ALL
   (SELECT points, expires_at FROM ledger WHERE kind = 'transfer_in' AND ref = a.ref
    EXCEPT ALL
    SELECT s.points, s.expires_at FROM cj_points_transfer_lots(
       (SELECT cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref)
          FROM ledger WHERE member_id = a.member_id AND occurred_at < a.at), a.amount, a.at) s))}),
	'0', 'transferred lots keep the sender\'s expiry dates');
is( $q->(q{
SELECT count(*) FROM ledger WHERE kind = 'transfer_in'
   AND coalesce(expires_at, 'infinity') NOT IN (SELECT coalesce(expires_at, 'infinity') FROM ledger WHERE kind = 'earn')}),
	'0', 'every transferred lot expires on a date an earn set');

$node->stop;
done_testing();
