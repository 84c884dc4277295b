# Concurrency and crash safety of the queue kit (cj_enqueue / cj_claim).
#
# Part 1: 16 agents claim from 100,000 queued tickets while new tickets
# arrive and some claimers are terminated mid-transaction.  Checked:
#  - every ticket is claimed exactly once and none is lost;
#  - every claim went to an agent holding the ticket's required skills;
#  - each claim returned the earliest-due eligible ticket that was not
#    locked at that moment.  The claim's window is [statement start,
#    commit] (commit times come from track_commit_timestamp).  A claim is
#    wrong exactly when some eligible ticket Y with a smaller (due, id)
#    was waiting and unlocked during the whole window: Y's insert had
#    committed before the window opened, the claim that finally took Y
#    started only after the window closed, and no terminated claimer held
#    Y during the window.  Then the claim's index scan must have reached
#    and locked Y first.  This is checked for every claim with a sweep
#    over time (Fenwick tree of minimum keys).
# Part 2: an immediate shutdown in the middle of claiming and enqueueing
# loses no committed ticket and leaves claims and their log consistent.
# Part 3: stale claimers act late.  2,000 claims are requeued as stale;
# while four fresh agents claim and complete every ticket again (under
# their claim numbers), the eight stale agents keep calling cj_complete,
# cj_release and cj_abandon under their old claims.  Every stale call is
# refused with SQLSTATE 55J01, every ticket is completed exactly once, by
# its fresh claim, and the fresh agents never see an error.
# Part 4: claimers under REPEATABLE READ and SERIALIZABLE either claim or
# fail with SQLSTATE 40001 (pgbench retries those); every ticket is still
# claimed exactly once.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use File::Temp qw(tempdir);

my $node = PostgreSQL::Test::Cluster->new('queue');
$node->init;
$node->append_conf('postgresql.conf', qq(
track_commit_timestamp = on
max_connections = 60
autovacuum_naptime = 1s
));
$node->start;

my $tmp = tempdir(CLEANUP => 1);
my @conn = ('-h', $node->host, '-p', $node->port);

$node->safe_psql('postgres', q{
CREATE EXTENSION custjourney;
CREATE EXTENSION amcheck;
CREATE TABLE tap_enq (id bigint PRIMARY KEY, xid xid8 NOT NULL);
CREATE TABLE tap_claims (ticket bigint NOT NULL, agent_skills text[] NOT NULL,
                         started timestamptz NOT NULL, xid xid8 NOT NULL);
CREATE TABLE tap_victims (ticket bigint NOT NULL, started timestamptz NOT NULL,
                          ended timestamptz NOT NULL);
CREATE TABLE tap_sla AS
SELECT 'platinum:30s, gold:2min, silver:5min, *:15min'::cj_sla AS sla;
CREATE FUNCTION tap_skills(r int) RETURNS text[] LANGUAGE sql IMMUTABLE
RETURN CASE WHEN r < 85 THEN '{}'::text[] WHEN r < 92 THEN '{fr}'
            WHEN r < 98 THEN '{de}' ELSE '{fr,de}' END;
CREATE FUNCTION tap_tier(r int) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN r < 10 THEN 'platinum' WHEN r < 35 THEN 'gold'
            WHEN r < 75 THEN 'silver' ELSE 'bronze' END;
});

# 100,000 queued tickets, arrivals spread over the last 20 minutes
$node->safe_psql('postgres', q{
SELECT setseed(0.25);
INSERT INTO tap_enq
SELECT cj_enqueue('c' || i, tap_tier((random() * 100)::int), sla,
                  tap_skills((random() * 100)::int),
                  now() - random() * interval '20 min'),
       pg_current_xact_id()
FROM generate_series(1, 100000) i, tap_sla;
});
is($node->safe_psql('postgres', "SELECT count(*) FROM cj_ticket WHERE state = 'waiting'"),
   '100000', '100,000 tickets queued');

# agents: skills by client id (none, fr, de, fr+de)
my $claim_sql = "$tmp/claim.sql";
open my $fh, '>', $claim_sql or die;
print $fh q{\set k :client_id % 4
BEGIN;
INSERT INTO tap_claims (ticket, agent_skills, started, xid)
SELECT c.id, s.sk, statement_timestamp(), pg_current_xact_id()
FROM (SELECT CASE :k WHEN 0 THEN '{}'::text[] WHEN 1 THEN '{fr}'::text[]
             WHEN 2 THEN '{de}'::text[] ELSE '{fr,de}'::text[] END AS sk) s,
     LATERAL cj_claim('agent' || :client_id, s.sk) c;
COMMIT;
};
close $fh;
# the drain: agents holding every skill, so each can take any ticket
my $drain_sql = "$tmp/drain.sql";
open $fh, '>', $drain_sql or die;
print $fh q{BEGIN;
INSERT INTO tap_claims (ticket, agent_skills, started, xid)
SELECT c.id, '{fr,de}', statement_timestamp(), pg_current_xact_id()
FROM cj_claim('drain' || :client_id, '{fr,de}') c;
COMMIT;
};
close $fh;
# arrivals during the run
my $enq_sql = "$tmp/enqueue.sql";
open $fh, '>', $enq_sql or die;
print $fh q{\set r random(0, 99)
\set s random(0, 99)
BEGIN;
INSERT INTO tap_enq
SELECT cj_enqueue('new' || :client_id, tap_tier(:r), sla, tap_skills(:s)), pg_current_xact_id()
FROM tap_sla;
COMMIT;
};
close $fh;

# claim until nothing waits
sub drain
{
	for my $round (1 .. 5)
	{
		my $left = $node->safe_psql('postgres',
			"SELECT count(*) FROM cj_ticket WHERE state = 'waiting'");
		last if $left == 0;
		my $per = int($left / 4) + 2;
		IPC::Run::run([ 'pgbench', @conn, '-n', '-c', '4', '-j', '2', '-t', $per,
						'-f', $drain_sql, 'postgres' ], '>', \my $o, '2>', \my $e);
	}
}

my ($out1, $err1, $out2, $err2) = ('', '', '', '');
my $claimers = IPC::Run::start(
	[ 'pgbench', @conn, '-n', '-c', '16', '-j', '4', '-t', '6500', '-f', $claim_sql, 'postgres' ],
	'>', \$out1, '2>', \$err1);
my $producer = IPC::Run::start(
	[ 'pgbench', @conn, '-n', '-c', '2', '-j', '1', '-R', '100', '-T', '15', '-f', $enq_sql, 'postgres' ],
	'>', \$out2, '2>', \$err2);

# claimers terminated mid-transaction, holding a claimed ticket
my $victims = 0;
for my $v (1 .. 8)
{
	my ($in, $out, $err) = ("", "", "");
	my $h = IPC::Run::start(
		[ 'psql', @conn, '-XAtq', '-d', 'postgres' ],
		'<', \$in, '>', \$out, '2>', \$err);
	$in .= "BEGIN;\nSELECT pg_backend_pid() || ' ' || c.id || ' ' || statement_timestamp()"
	  . " FROM cj_claim('victim$v', '{}') c;\nSELECT pg_sleep(60);\n";
	my $t = time;
	$h->pump until $out =~ /\n/ || time - $t > 30;
	my ($pid, $ticket, $started) = $out =~ /^(\d+) (\d+) (.+)$/m;
	if (!defined $pid)
	{
		$h->kill_kill;
		next;
	}
	$node->safe_psql('postgres', "SELECT pg_terminate_backend($pid)");
	$node->poll_query_until('postgres',
		"SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = $pid");
	$node->safe_psql('postgres',
		"INSERT INTO tap_victims VALUES ($ticket, '$started', clock_timestamp())");
	$h->finish;
	$victims++;
	select(undef, undef, undef, 0.5);
}
$claimers->finish;
$producer->finish;
cmp_ok($victims, '>=', 5, "$victims claimers terminated mid-transaction");
like($out1, qr/number of transactions actually processed: 104000/, 'all claim transactions ran');

drain();
my $total = $node->safe_psql('postgres', 'SELECT count(*) FROM tap_enq');
cmp_ok($total, '>', 100000, "tickets arrived during the run ($total in all)");
is($node->safe_psql('postgres', 'SELECT count(*) FROM cj_ticket'), $total,
   'every enqueued ticket is in the queue');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM tap_enq e FULL JOIN cj_ticket t USING (id)
	WHERE e.id IS NULL OR t.id IS NULL}), '0', 'no ticket lost or invented');
is($node->safe_psql('postgres', "SELECT count(*) FROM cj_ticket WHERE state <> 'claimed' OR claims <> 1"),
   '0', 'every ticket claimed, each exactly once');
is($node->safe_psql('postgres', 'SELECT count(*), count(DISTINCT ticket) FROM tap_claims'),
   "$total|$total", 'one committed claim per ticket');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM tap_claims c JOIN cj_ticket t ON t.id = c.ticket
	WHERE NOT (t.skills <@ c.agent_skills) OR t.agent LIKE 'victim%'}),
   '0', 'claims respect skills; no terminated claimer kept a ticket');

# earliest-due-eligible-unlocked check (see the header comment)
my $rows = $node->safe_psql('postgres', q{
WITH k AS (SELECT id, row_number() OVER (ORDER BY due, id) AS key,
                  (CASE WHEN 'fr' = ANY (skills) THEN 1 ELSE 0 END
                   + CASE WHEN 'de' = ANY (skills) THEN 2 ELSE 0 END) AS need
           FROM cj_ticket)
SELECT 'T', k.id, k.key, k.need,
       (extract(epoch FROM pg_xact_commit_timestamp(e.xid::xid)) * 1e6)::bigint,
       (extract(epoch FROM c.started) * 1e6)::bigint,
       (extract(epoch FROM pg_xact_commit_timestamp(c.xid::xid)) * 1e6)::bigint,
       (CASE WHEN 'fr' = ANY (c.agent_skills) THEN 1 ELSE 0 END
        + CASE WHEN 'de' = ANY (c.agent_skills) THEN 2 ELSE 0 END)
FROM k JOIN tap_enq e USING (id) JOIN tap_claims c ON c.ticket = k.id
UNION ALL
SELECT 'V', ticket, 0, 0, (extract(epoch FROM started) * 1e6)::bigint,
       (extract(epoch FROM ended) * 1e6)::bigint, 0, 0
FROM tap_victims});

my (%key, %need, %enq, %cstart, @claims, %vict);
for my $line (split /\n/, $rows)
{
	my ($kind, $id, $k, $need, $a, $b, $c, $agent) = split /\|/, $line;
	if ($kind eq 'V')
	{
		push @{ $vict{$id} }, [ $a, $b ];
		next;
	}
	($key{$id}, $need{$id}, $enq{$id}, $cstart{$id}) = ($k, $need, $a, $b);
	push @claims, [ $k, $b, $c, $agent ];
}
# free intervals of each ticket: [enqueue commit, final claim start]
# minus the windows of terminated claimers that held it
my @free;
for my $id (keys %key)
{
	my @iv = ([ $enq{$id}, $cstart{$id} ]);
	for my $w (sort { $a->[0] <=> $b->[0] } @{ $vict{$id} || [] })
	{
		my $last = pop @iv;
		push @iv, [ $last->[0], $w->[0] ], [ $w->[1], $last->[1] ];
	}
	push @free, map { [ $_->[0], $_->[1], $key{$id}, $need{$id} ] } @iv;
}
my $violations = 0;
my $checked = 0;
for my $agent (0 .. 3)
{
	# sweep claims of this skill set by window start; a Fenwick tree over
	# free-interval ends (descending) gives the least key still free
	my @iv = sort { $a->[0] <=> $b->[0] } grep { ($_->[3] & ~$agent) == 0 } @free;
	my @ends = sort { $b <=> $a } map { $_->[1] } @iv;
	my %rank;
	$rank{ $ends[$_] } //= $_ + 1 for 0 .. $#ends;
	my @tree = (9**9**9) x (@ends + 2);
	my $n = scalar @ends;
	my @cl = sort { $a->[1] <=> $b->[1] } grep { $_->[3] == $agent } @claims;
	my $i = 0;
	for my $c (@cl)
	{
		my ($ckey, $s, $e) = @$c;
		while ($i < @iv && $iv[$i][0] < $s)
		{
			for (my $r = $rank{ $iv[$i][1] }; $r <= $n; $r += $r & -$r)
			{
				$tree[$r] = $iv[$i][2] if $iv[$i][2] < $tree[$r];
			}
			$i++;
		}
		# least key among intervals ending after e: ranks of ends > e
		my $lo = 0;
		my ($l, $h) = (0, $n);
		while ($l < $h)
		{
			my $m = int(($l + $h) / 2);
			if ($ends[$m] > $e) { $l = $m + 1 } else { $h = $m }
		}
		my $best = 9**9**9;
		for (my $r = $l; $r > 0; $r -= $r & -$r)
		{
			$best = $tree[$r] if $tree[$r] < $best;
		}
		$violations++ if $best < $ckey;
		$checked++;
	}
}
is($checked, $total, 'every claim checked for order');
is($violations, 0,
   'each claim took the earliest-due eligible ticket not locked at that moment');
is($node->safe_psql('postgres', "SELECT bt_index_check('cj_ticket_waiting_idx', true)"),
   '', 'queue index intact');

# Part 2: immediate shutdown while claiming and enqueueing
$node->safe_psql('postgres', q{
TRUNCATE cj_ticket, tap_enq, tap_claims;
INSERT INTO tap_enq
SELECT cj_enqueue('k' || i, tap_tier(i % 100), sla, tap_skills(i % 100)), pg_current_xact_id()
FROM generate_series(1, 10000) i, tap_sla;
});
open $fh, '>', "$tmp/crash_enqueue.sql" or die;
print $fh "SELECT cj_enqueue('crash', 'gold', 'gold:2min, *:15min');\n" for 1 .. 20000;
close $fh;
my ($ids_out, $ids_err) = ('', '');
my $enq = IPC::Run::start(
	[ 'psql', @conn, '-XAtq', '-d', 'postgres', '-f', "$tmp/crash_enqueue.sql" ],
	'>', \$ids_out, '2>', \$ids_err);
my ($o3, $e3) = ('', '');
my $crash_claimers = IPC::Run::start(
	[ 'pgbench', @conn, '-n', '-c', '8', '-j', '2', '-T', '60', '-f', $claim_sql, 'postgres' ],
	'>', \$o3, '2>', \$e3);
sleep 3;
$node->stop('immediate');
eval { $enq->finish; };
eval { $crash_claimers->finish; };
$node->start;

my @acked = grep { /^\d+$/ } split /\n/, $ids_out;
cmp_ok(scalar @acked, '>', 0, scalar(@acked) . ' enqueues acknowledged before the crash');
$node->safe_psql('postgres', 'CREATE TABLE tap_acked (id bigint)');
$node->safe_psql('postgres', 'INSERT INTO tap_acked VALUES ' . join(',', map { "($_)" } @acked))
  if @acked;
is($node->safe_psql('postgres',
	'SELECT count(*) FROM tap_acked a LEFT JOIN cj_ticket t USING (id) WHERE t.id IS NULL'),
   '0', 'no acknowledged ticket lost in the crash');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM cj_ticket t FULL JOIN tap_claims c ON c.ticket = t.id
	WHERE (t.state = 'claimed') IS DISTINCT FROM (c.ticket IS NOT NULL)}),
   '0', 'after recovery, claimed tickets and committed claims match');
my $claimed = $node->safe_psql('postgres', "SELECT count(*) FROM cj_ticket WHERE state = 'claimed'");
cmp_ok($claimed, '>', 0, "$claimed claims committed before the crash");
is($node->safe_psql('postgres', "SELECT bt_index_check('cj_ticket_waiting_idx', true)"),
   '', 'queue index intact after recovery');
# the queue keeps working: drain it
drain();
is($node->safe_psql('postgres', "SELECT count(*) FROM cj_ticket WHERE state <> 'claimed' OR claims <> 1"),
   '0', 'every ticket claimed exactly once after recovery');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM cj_ticket t FULL JOIN tap_claims c ON c.ticket = t.id
	WHERE t.id IS NULL OR c.ticket IS NULL}), '0', 'and each has its one claim record');

# pg_dump keeps the queue's rows and its sequence (extension config dump)
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_dump', '-d', 'postgres', '-f', "$tmp/dump.sql" ], 'pg_dump');
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'restored',
					'-f', "$tmp/dump.sql" ], 'restore');
is($node->safe_psql('restored', q{
	SELECT count(*) || '|' || max(id) FROM cj_ticket WHERE state = 'claimed'}),
   $node->safe_psql('postgres', q{
	SELECT count(*) || '|' || max(id) FROM cj_ticket WHERE state = 'claimed'}),
   'dumped and restored tickets match');
cmp_ok($node->safe_psql('restored', "SELECT cj_enqueue('after-restore', 'gold', 'gold:2min')"),
	   '>', $node->safe_psql('postgres', 'SELECT max(id) FROM cj_ticket'),
	   'restored id sequence continues after the dumped rows');

# Part 3: stale claimers completing, releasing and abandoning late
$node->safe_psql('postgres', q{
TRUNCATE cj_ticket;
CREATE TABLE tap_old (ticket bigint PRIMARY KEY, agent text NOT NULL, claim int NOT NULL);
CREATE TABLE tap_stale (ticket bigint NOT NULL, action text NOT NULL,
                        sqlstate text, message text, at timestamptz NOT NULL);
SELECT count(cj_enqueue('s' || i, 'gold', sla, '{}', now() - i * interval '1 ms'))
FROM generate_series(1, 2000) i, tap_sla;
INSERT INTO tap_old SELECT c.id, c.agent, c.claims
FROM generate_series(1, 2000) g, LATERAL cj_claim('old' || g % 8) c;
UPDATE cj_ticket SET claimed_at = claimed_at - interval '1 hour';
});
is($node->safe_psql('postgres', q{
	SELECT count(*) || ' ' || count(DISTINCT ticket) || ' ' || min(claim) || ' ' || max(claim)
	FROM tap_old}), '2000 2000 1 1', '2,000 first claims');
is($node->safe_psql('postgres', "SELECT cj_requeue_stale('10 min')"), '2000',
   'all of them requeued as stale');

# the stale agents: each calls complete, release or abandon under its old
# claim, pass after pass, until every ticket is closed; each call is its
# own transaction and its outcome is logged
my @stale;
for my $a (0 .. 7)
{
	my ($out, $err) = ('', '');
	open my $sf, '>', "$tmp/stale$a.sql" or die;
	print $sf qq{DO \$\$
DECLARE
	o record;
	act text;
	ok boolean;
	pass int := 0;
BEGIN
	LOOP
		pass := pass + 1;
		FOR o IN SELECT * FROM tap_old WHERE agent = 'old$a' ORDER BY ticket LOOP
			act := (ARRAY['complete', 'release', 'abandon'])[1 + (o.ticket + pass) % 3];
			BEGIN
				IF act = 'complete' THEN ok := cj_complete(o.ticket, o.agent, o.claim);
				ELSIF act = 'release' THEN ok := cj_release(o.ticket, o.agent, o.claim);
				ELSE ok := cj_abandon(o.ticket, o.agent, o.claim);
				END IF;
				INSERT INTO tap_stale VALUES (o.ticket, act, NULL, ok::text, clock_timestamp());
			EXCEPTION WHEN OTHERS THEN
				INSERT INTO tap_stale VALUES (o.ticket, act, SQLSTATE, SQLERRM, clock_timestamp());
			END;
			COMMIT;
		END LOOP;
		EXIT WHEN pass >= 400 OR NOT EXISTS
			(SELECT 1 FROM cj_ticket WHERE state <> 'completed');
	END LOOP;
END
\$\$;
};
	close $sf;
	my $h = IPC::Run::start([ 'psql', @conn, '-XAtq', '-v', 'ON_ERROR_STOP=1',
							  '-d', 'postgres', '-f', "$tmp/stale$a.sql" ],
							'>', \$out, '2>', \$err);
	push @stale, [ $h, \$out, \$err ];
}
# the fresh agents: claim and commit, then complete under the claim
open $fh, '>', "$tmp/fresh.sql" or die;
print $fh q{SELECT id AS tid, claims AS cno FROM cj_claim('new' || :client_id) \gset
\sleep 2 ms
SELECT cj_complete(:tid, 'new' || :client_id, :cno);
};
close $fh;
select(undef, undef, undef, 0.3);
my $t0 = $node->safe_psql('postgres', 'SELECT clock_timestamp()');
IPC::Run::run([ 'pgbench', @conn, '-n', '-c', '4', '-j', '2', '-t', '500',
				'-f', "$tmp/fresh.sql", 'postgres' ], '>', \my $fo, '2>', \my $fe);
my $t1 = $node->safe_psql('postgres', 'SELECT clock_timestamp()');
like($fo, qr/number of transactions actually processed: 2000\/2000/,
	 'the fresh agents claimed and completed 2,000 tickets without an error')
  or diag $fe;
for my $s (@stale)
{
	$s->[0]->finish;
	is(${ $s->[2] }, '', 'a stale agent ran without an error of its own');
}
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM cj_ticket t JOIN tap_old o ON o.ticket = t.id
	WHERE t.state <> 'completed' OR t.claims <> 2 OR t.agent NOT LIKE 'new%'}),
   '0', 'every ticket completed once, by its fresh claim (claim 2)');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM tap_stale WHERE sqlstate IS DISTINCT FROM '55J01'}),
   '0', 'every stale complete, release and abandon was refused with 55J01');
my ($during, $foreign, $waiting, $closed, $acts) = split /\|/, $node->safe_psql('postgres', qq{
	SELECT count(*) FILTER (WHERE at BETWEEN '$t0' AND '$t1'),
	       count(*) FILTER (WHERE message LIKE '%claimed by another agent%'),
	       count(*) FILTER (WHERE message LIKE '%stale%'
	                        AND at BETWEEN '$t0' AND '$t1'),
	       count(*) FILTER (WHERE message LIKE '%stale%' AND at > '$t1'),
	       count(DISTINCT action)
	FROM tap_stale});
note "stale calls: $during while the fresh agents worked, $foreign on a ticket "
  . "a fresh agent held, $waiting refused as stale during the run, $closed after";
cmp_ok($during, '>', 1000, 'stale agents acted while the fresh agents claimed');
cmp_ok($foreign, '>', 0, 'some stale calls hit a ticket a fresh agent held');
is($acts, '3', 'complete, release and abandon all tried');

# Part 4: REPEATABLE READ and SERIALIZABLE claimers
$node->safe_psql('postgres', q{
TRUNCATE cj_ticket, tap_claims;
SELECT count(cj_enqueue('r' || i, 'gold', sla, '{}', now() - i * interval '1 ms'))
FROM generate_series(1, 2000) i, tap_sla;
});
open $fh, '>', "$tmp/iso.sql" or die;
print $fh q{\if :client_id % 2 = 0
BEGIN ISOLATION LEVEL REPEATABLE READ;
\else
BEGIN ISOLATION LEVEL SERIALIZABLE;
\endif
INSERT INTO tap_claims (ticket, agent_skills, started, xid)
SELECT c.id, '{}', statement_timestamp(), pg_current_xact_id()
FROM cj_claim('iso' || :client_id) c;
COMMIT;
};
close $fh;
IPC::Run::run([ 'pgbench', @conn, '-n', '-c', '8', '-j', '2', '-t', '300',
				'--max-tries=1000', '-f', "$tmp/iso.sql", 'postgres' ],
			  '>', \my $io, '2>', \my $ie);
like($io, qr/number of transactions actually processed: 2400\/2400/,
	 'isolated claimers: every transaction committed, some after retries') or diag $ie;
my ($retried) = $io =~ /number of transactions retried: (\d+)/;
$retried //= 0;
note "$retried transactions retried after SQLSTATE 40001";
cmp_ok($retried, '>', 0, 'under REPEATABLE READ and SERIALIZABLE a contended claim fails with 40001');
is($node->safe_psql('postgres', q{
	SELECT count(*) || ' ' || count(DISTINCT ticket) FROM tap_claims}),
   '2000 2000', 'isolated claimers: 2,000 claims, one per ticket');
is($node->safe_psql('postgres',
	"SELECT count(*) FROM cj_ticket WHERE state <> 'claimed' OR claims <> 1"),
   '0', 'isolated claimers: every ticket claimed exactly once');

$node->stop;
done_testing();
