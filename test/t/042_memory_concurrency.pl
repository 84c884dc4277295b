# Concurrent upserts of customer memories through the documented recipe
# (doc/journey.md): each transaction logs one touch and merges its memory
# into the stored one with INSERT ... ON CONFLICT DO UPDATE SET memory =
# cj_memory_merge(...).  Many clients writing the same few customers at
# once must keep every touch: the stored memory equals the memory
# aggregated from the touch log.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('memory');
$node->init;
$node->append_conf('postgresql.conf', "max_connections = 40\n");
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION custjourney;
CREATE TABLE touch_log (id bigserial PRIMARY KEY, customer int NOT NULL,
                        occurred_at timestamptz NOT NULL, channel text, agent text,
                        topic text, status text, ref text);
CREATE TABLE customer_memory (customer int PRIMARY KEY, memory cj_memory NOT NULL);
});

# one touch per transaction, three customers, twelve clients
$node->pgbench(
	'-n -c 12 -j 2 -t 60',
	0,
	[qr{processed: 720/720}],
	[qr{^$}],
	'concurrent touch upserts',
	{
		'041_memory' => q{
\set c random(1, 3)
\set r random(1, 1000000)
WITH t AS (
  INSERT INTO touch_log (customer, occurred_at, channel, agent, topic, status, ref)
  VALUES (:c, clock_timestamp() - (:r % 97) * interval '1 minute', 'ch' || (:r % 3), 'ag' || (:r % 7),
          'tp' || (:r % 5), (ARRAY['open', 'pending', 'resolved', 'closed', NULL])[1 + :r % 5], 'R' || (:r % 4))
  RETURNING *)
INSERT INTO customer_memory AS cm (customer, memory)
SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref) FROM t GROUP BY customer
ON CONFLICT (customer) DO UPDATE SET memory = cj_memory_merge(cm.memory, EXCLUDED.memory);
}
	});

is($node->safe_psql('postgres', q{SELECT count(*) FROM touch_log}), '720', 'every touch logged');
is($node->safe_psql('postgres', q{SELECT sum(cj_contact_count(memory)) FROM customer_memory}),
	'720', 'every touch counted in the stored memories');
is( $node->safe_psql('postgres', q{
SELECT count(*) FROM customer_memory m
JOIN (SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref) AS a
      FROM touch_log GROUP BY customer) l USING (customer)
WHERE m.memory = l.a AND m.memory::text = l.a::text}),
	$node->safe_psql('postgres', q{SELECT count(DISTINCT customer) FROM touch_log}),
	'each stored memory equals the memory of its logged touches');

$node->stop;
done_testing();
