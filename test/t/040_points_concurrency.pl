# Concurrent redemptions for the same members through the documented
# recipe: lock the member row, read the balance as of clock_timestamp()
# taken after the lock, insert the redemption at that same time.  Many
# clients at once must never overspend and never lose a movement.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('points');
$node->init;
$node->append_conf('postgresql.conf', "max_connections = 40\n");
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION custjourney;
CREATE TABLE members (member_id int PRIMARY KEY);
CREATE TABLE ledger (id bigserial PRIMARY KEY, member_id int NOT NULL REFERENCES members,
                     kind text NOT NULL, points numeric NOT NULL,
                     occurred_at timestamptz NOT NULL, expires_at timestamptz,
                     available_at timestamptz, ref text);
CREATE TABLE attempts (id bigserial PRIMARY KEY, member_id int, amount numeric, ok boolean);
INSERT INTO members SELECT generate_series(1, 3);
INSERT INTO ledger (member_id, kind, points, occurred_at)
SELECT member_id, 'earn', 100, clock_timestamp() FROM members;

-- The redemption recipe (README, "Redeeming safely").
CREATE FUNCTION redeem(p_member int, p_amount numeric) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz;
  avail numeric;
BEGIN
  PERFORM 1 FROM members WHERE member_id = p_member FOR UPDATE;
  t := clock_timestamp();
  SELECT coalesce((cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at,
                                                     available_at, ref), t)).available, 0)
    INTO avail FROM ledger WHERE member_id = p_member;
  INSERT INTO attempts (member_id, amount, ok) VALUES (p_member, p_amount, avail >= p_amount);
  IF avail < p_amount THEN
    RETURN false;
  END IF;
  INSERT INTO ledger (member_id, kind, points, occurred_at) VALUES (p_member, 'redeem', p_amount, t);
  RETURN true;
END $$;
});

# each transaction: one earn (no lock needed: it only adds) and one redemption attempt
$node->pgbench(
	'-n -c 12 -j 2 -t 40',
	0,
	[qr{processed: 480/480}],
	[qr{^$}],
	'concurrent earns and redemptions',
	{
		'040_points' => q{
\set m random(1, 3)
\set a random(1, 40)
INSERT INTO ledger (member_id, kind, points, occurred_at) VALUES (:m, 'earn', 5, clock_timestamp());
SELECT redeem(:m, :a);
}
	});

is($node->safe_psql('postgres', q{SELECT count(*) FROM attempts}), '480',
	'every redemption attempt recorded');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ledger WHERE kind = 'earn'}), '483',
	'every earn recorded');
is( $node->safe_psql('postgres', q{
SELECT (SELECT count(*) FROM ledger WHERE kind = 'redeem')
     = (SELECT count(*) FROM attempts WHERE ok)
   AND (SELECT sum(points) FROM ledger WHERE kind = 'redeem')
     = (SELECT sum(amount) FROM attempts WHERE ok)}), 't',
	'every accepted redemption is in the ledger, nothing else');
my $accepted = $node->safe_psql('postgres', q{SELECT count(*) FROM attempts WHERE ok});
my $refused = $node->safe_psql('postgres', q{SELECT count(*) FROM attempts WHERE NOT ok});
ok($accepted > 0 && $refused > 0, "contention exercised ($accepted accepted, $refused refused)");

# no member was ever overdrawn: no debt as of any redemption, and the final
# balance is exactly earned minus redeemed
is( $node->safe_psql('postgres', q{
WITH l AS (SELECT member_id, cj_points_ledger(kind, points, occurred_at, expires_at, available_at, ref) AS l
           FROM ledger GROUP BY member_id)
SELECT count(*) FROM ledger r JOIN l USING (member_id)
WHERE r.kind = 'redeem' AND (cj_points_balance(l.l, r.occurred_at)).negative <> 0}), '0',
	'no redemption overspent');
is( $node->safe_psql('postgres', q{
SELECT bool_and(b.available = e.earned - e.redeemed AND b.negative = 0)
FROM (SELECT member_id, cj_points_balance(cj_points_ledger(kind, points, occurred_at, expires_at), clock_timestamp()) AS b
      FROM ledger GROUP BY member_id) x
CROSS JOIN LATERAL (SELECT (x.b).available, (x.b).negative) b
JOIN (SELECT member_id, sum(points) FILTER (WHERE kind = 'earn') AS earned,
             coalesce(sum(points) FILTER (WHERE kind = 'redeem'), 0) AS redeemed
      FROM ledger GROUP BY member_id) e USING (member_id)}), 't',
	'final balances equal earned minus redeemed');

$node->stop;
done_testing();
