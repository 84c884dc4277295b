#-------------------------------------------------------------------------
#
# 080_citus.pl
#	  custjourney on a Citus cluster: a coordinator and two workers on
#	  loopback.  Without CITUS_SRC it skips ("no Citus source").  With
#	  CITUS_SRC naming a Citus source tree or tarball (an absolute path),
#	  Citus must be installed into the PostgreSQL installation the test
#	  uses: test/citus/build.sh does it (as root for a system install);
#	  this test runs it itself when that installation is writable, and
#	  bails out naming the command otherwise.
#
# 1. CREATE EXTENSION custjourney VERSION '1.1' on the coordinator reaches
#    the workers, and ALTER EXTENSION custjourney UPDATE (to the default
#    version) does too.
# 2. Every aggregate of the extension (enumerated from the catalog), with
#    citus.coordinator_aggregation_strategy = 'disabled' so nothing may be
#    pulled to the coordinator: grouped by a non-distribution column and
#    not grouped at all, EXPLAIN VERBOSE shows worker_partial_agg; grouped
#    by the distribution column it is pushed down whole; all three give,
#    as text, exactly the result of the same query on a plain table.
# 3. Scores in distributed SELECT, UPDATE and INSERT ... SELECT equal the
#    plain table's.
# 4. The queue kit in its documented topology (doc/queue.md): cj_ticket
#    stays a coordinator-local table.  12 concurrent claimers on the
#    coordinator drain 3,000 tickets: each claimed exactly once; late
#    stale-claim completions are refused.  Citus refuses to make cj_ticket
#    a reference, distributed or Citus-managed local table.
# 5. DROP EXTENSION on the coordinator leaves no custjourney object, shard
#    or placement on any node.
# 6. A cj_ticket made a reference table under 1.1: the way back that
#    doc/queue.md gives leaves nothing behind either.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use File::Temp qw(tempdir);

plan skip_all => 'no Citus source' unless $ENV{CITUS_SRC};

# ---- the cluster
my $coord = PostgreSQL::Test::Cluster->new('coord');
my $sharedir = $coord->config_data('--sharedir');
unless (-f "$sharedir/extension/citus.control")
{
	# install it ourselves when the installation is ours to write
	my $pgc = $coord->config_data('--bindir') . '/pg_config';
	if (-w "$sharedir/extension" && -w $coord->config_data('--pkglibdir'))
	{
		my $rc = system("PG_CONFIG='$pgc' $FindBin::RealBin/../citus/build.sh '$ENV{CITUS_SRC}'");
		BAIL_OUT('test/citus/build.sh failed') if $rc != 0;
	}
	else
	{
		BAIL_OUT("Citus is not installed in $sharedir: run "
			  . "test/citus/build.sh $ENV{CITUS_SRC} as root first");
	}
}

my @workers = map { PostgreSQL::Test::Cluster->new("worker$_") } (1, 2);
my @nodes = ($coord, @workers);
foreach my $n (@nodes)
{
	$n->init;
	$n->append_conf('postgresql.conf', q{
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
max_connections = 100
max_prepared_transactions = 100
citus.node_conninfo = 'sslmode=disable'
timezone = 'UTC'
});
	$n->start;
	$n->safe_psql('postgres', 'CREATE EXTENSION citus');
}
$coord->safe_psql('postgres',
	"SELECT citus_set_coordinator_host('127.0.0.1', " . $coord->port . ')');
$coord->safe_psql('postgres', "SELECT citus_add_node('127.0.0.1', " . $_->port . ')')
  foreach @workers;
is($coord->safe_psql('postgres',
	'SELECT count(*) FROM citus_get_active_worker_nodes()'), '2', 'two workers');

my $q = sub { return $coord->safe_psql('postgres', $_[0]) };

# ---- 1. CREATE EXTENSION at 1.1, then UPDATE, reach every node
my $default = $q->(q{SELECT default_version FROM pg_available_extensions
					 WHERE name = 'custjourney'});
$q->(q{CREATE EXTENSION custjourney VERSION '1.1'});
is(join(' ', map { $_->safe_psql('postgres',
	q{SELECT extversion FROM pg_extension WHERE extname = 'custjourney'}) } @nodes),
   '1.1 1.1 1.1', 'CREATE EXTENSION custjourney VERSION 1.1 reaches the workers');
$q->('ALTER EXTENSION custjourney UPDATE');
is(join(' ', map { $_->safe_psql('postgres',
	q{SELECT extversion FROM pg_extension WHERE extname = 'custjourney'}) } @nodes),
   join(' ', ($default) x 3), "ALTER EXTENSION UPDATE reaches the workers ($default)");
my $members = q{SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	WHERE e.extname = 'custjourney' AND d.deptype = 'e'};
is(join(' ', map { $_->safe_psql('postgres', $members) } @workers),
   join(' ', ($q->($members)) x 2), 'the workers have the same members as the coordinator');

# ---- 2. aggregates: pushed down, bit for bit
# the facts: 12 customers (the distribution column cid), 5 groups g
# across them, 4,000 rows; every column an aggregate below reads
$q->(q{
CREATE TABLE facts AS
SELECT i, 1 + i % 12 AS cid, (i / 13) % 5 AS g,
       timestamptz '2024-01-01 00:00:00+00' + (i * 37 % 365) * interval '1 day'
         + (i * 13 % 86400) * interval '1 s' AS at,
       date '2024-01-01' + i * 37 % 365 AS d,
       round(1 + (i * 31 % 10000) / 100.0, 2) AS amt,
       (1 + (i * 31 % 10000) / 100.0)::float8 AS amtf,
       ((i / 3) % 5)::float8 AS x,
       (CASE WHEN (i / 3) % 5 = 0 THEN 0 ELSE (i / 3) % 5 + i % 3 END)::float8 AS tx,
       (10 + i % 4)::float8 AS tt,
       (1 + i % 3)::bigint AS n,
       (1 + i % 5)::float8 AS xg,
       (1 + (i / 5) % 8) AS periods, ((i / 7) % 3 = 0) AS churned,
       (CASE WHEN i % 4 = 0 THEN 'adjust' ELSE 'earn' END) AS kind,
       (1 + i % 50)::numeric AS points,
       CASE WHEN i % 2 = 0 THEN timestamptz '2025-06-01 00:00:00+00' END AS expires_at,
       timestamptz '2024-01-01 00:00:00+00' + (i * 37 % 365 + i % 30) * interval '1 day'
         + (i * 13 % 86400) * interval '1 s' AS available_at,
       'ref' || i % 17 AS ref,
       (i % 120) * interval '1 s' AS wait,
       (ARRAY['email', 'search', 'social', 'tv'])[1 + i % 4] AS channel,
       ARRAY[(ARRAY['email', 'search', 'social'])[1 + i % 3],
             (ARRAY['tv', 'email'])[1 + i % 2]] AS path,
       (i % 2)::bigint AS conv, (1 - i % 2)::bigint AS nonconv,
       (i % 4)::float8 AS holdout_x
FROM generate_series(1, 4000) i;
CREATE TABLE facts_credits AS
SELECT cid, g, cj_attribution(channel, at, timestamptz '2025-01-01 00:00:00+00', 'linear') AS cr
FROM facts GROUP BY cid, g, i % 7;
CREATE TABLE facts_hist AS
SELECT cid, (cid + k) % 3 AS g, h
FROM (SELECT cid, i % 4 AS k, cj_history_agg(at, amt) AS h FROM facts GROUP BY 1, 2) s;
CREATE TABLE facts_ledger AS
SELECT cid, (cid + k) % 3 AS g, l
FROM (SELECT cid, i % 4 AS k, cj_points_ledger(kind, points, at, expires_at) AS l
      FROM facts GROUP BY 1, 2) s;
});
my $model = $q->('SELECT cj_fit_bgnbd(x, tx, tt)::text FROM facts');
ok($model =~ /^bgnbd\(/, 'a model to score with');
my $mlit = "'$model'::cj_model";

# aggregate signature (regprocedure text) -> [table, argument list]
my %sample = (
	'cj_history_agg(timestamp with time zone,numeric)' => [ 'facts', 'at, amt' ],
	'cj_history_agg(timestamp with time zone,double precision)' => [ 'facts', 'at, amtf' ],
	'cj_history_agg(date,numeric)' => [ 'facts', 'd, amt' ],
	'cj_history_agg(date,double precision)' => [ 'facts', 'd, amtf' ],
	'cj_points_ledger(text,numeric,timestamp with time zone,timestamp with time zone)'
	  => [ 'facts', 'kind, points, at, expires_at' ],
	'cj_points_ledger(text,numeric,timestamp with time zone,timestamp with time zone,timestamp with time zone)'
	  => [ 'facts', 'kind, points, at, expires_at, available_at' ],
	'cj_points_ledger(text,numeric,timestamp with time zone,timestamp with time zone,timestamp with time zone,text)'
	  => [ 'facts', 'kind, points, at, expires_at, available_at, ref' ],
	'cj_points(text,numeric,timestamp with time zone,timestamp with time zone)'
	  => [ 'facts', 'kind, points, at, expires_at' ],
	'cj_points(text,numeric,timestamp with time zone,timestamp with time zone,timestamp with time zone)'
	  => [ 'facts', 'kind, points, at, expires_at, available_at' ],
	'cj_points(text,numeric,timestamp with time zone,timestamp with time zone,timestamp with time zone,text)'
	  => [ 'facts', 'kind, points, at, expires_at, available_at, ref' ],
	'cj_service_level(interval,interval)' => [ 'facts', "wait, interval '60 s'" ],
	'cj_wait_stats(interval)' => [ 'facts', 'wait' ],
	'cj_credits_sum(cj_credits)' => [ 'facts_credits', 'cr' ],
	'cj_attribution(text,timestamp with time zone,timestamp with time zone,text)'
	  => [ 'facts', "channel, at, timestamptz '2025-01-01 00:00:00+00', 'linear'" ],
	'cj_attribution(text,timestamp with time zone,timestamp with time zone,text,interval)'
	  => [ 'facts', "channel, at, timestamptz '2025-01-01 00:00:00+00', 'time_decay', interval '30 days'" ],
	'cj_markov_attribution(text[],bigint,bigint)' => [ 'facts', 'path, conv, nonconv' ],
	'cj_markov_attribution(text[],bigint,bigint,integer)' => [ 'facts', 'path, conv, nonconv, 2' ],
	'cj_holdout_check(cj_model,double precision,double precision,double precision,double precision,double precision)'
	  => [ 'facts', "$mlit, x, tx, tt, 20, holdout_x" ],
	'cj_holdout_check(cj_model,double precision,double precision,double precision,double precision,double precision,integer)'
	  => [ 'facts', "$mlit, x, tx, tt, 20, holdout_x, 3" ],
	'cj_tracking(cj_model,timestamp with time zone,timestamp with time zone,interval,integer)'
	  => [ 'facts', "$mlit, at, timestamptz '2024-01-01 00:00:00+00', interval '7 days', 20" ],
	'cj_fit_sbg(integer,boolean)' => [ 'facts', 'periods, churned' ],
	'cj_fit_sbg(integer,boolean,bigint)' => [ 'facts', 'periods, churned, n' ],
	'cj_fit_gg(double precision,double precision)' => [ 'facts', 'xg, amtf' ],
	'cj_fit_gg(double precision,double precision,bigint)' => [ 'facts', 'xg, amtf, n' ],
	'cj_fit_gg(cj_history,timestamp with time zone)'
	  => [ 'facts_hist', "h, timestamptz '2025-01-01 00:00:00+00'" ],
	'cj_points_liability_sum(cj_points_ledger,timestamp with time zone,interval)'
	  => [ 'facts_ledger', "l, timestamptz '2024-06-01 00:00:00+00', interval '12 months'" ],
	'cj_memory_agg(timestamp with time zone,text,text,text,text,text)'
	  => [ 'facts', "at, channel, 'agent' || mod(i, 5), 'topic' || mod(i, 3), (ARRAY['open', 'pending', 'resolved', 'closed'])[1 + mod(i, 4)], ref" ],
	'cj_memory_agg(timestamp with time zone,text,text,text,text,text,integer)'
	  => [ 'facts', "at, channel, 'agent' || mod(i, 5), 'topic' || mod(i, 3), (ARRAY['open', 'pending', 'resolved', 'closed'])[1 + mod(i, 4)], ref, 3" ],
	'cj_sla_clock(text,timestamp with time zone)'
	  => [ 'facts', "(ARRAY['running', 'paused'])[1 + mod(i, 2)], at ORDER BY at, i" ],
	'cj_sla_clock(text,timestamp with time zone,cj_calendar)'
	  => [ 'facts', "(ARRAY['running', 'paused'])[1 + mod(i, 2)], at, 'Europe/Paris; mon-fri 09:00-18:00' ORDER BY at, i" ],
	'cj_sla_clock(text,timestamp with time zone,cj_calendar,interval)'
	  => [ 'facts', "(ARRAY['running', 'paused'])[1 + mod(i, 2)], at, 'UTC; 24x7', interval '30 days' ORDER BY at, i" ],
	'cj_contact_rates(text,timestamp with time zone,text,text,text,interval)'
	  => [ 'facts', "cid::text, at, 'topic' || mod(i, 3), (ARRAY['open', 'resolved'])[1 + mod(i, 2)], ref, interval '7 days'" ]);
foreach my $m (qw(bgnbd mbgnbd pnbd bgbb))
{
	$sample{"cj_fit_$m(double precision,double precision,double precision)"} =
	  [ 'facts', 'x, tx, tt' ];
	$sample{"cj_fit_$m(double precision,double precision,double precision,bigint)"} =
	  [ 'facts', 'x, tx, tt, n' ];
	next if $m eq 'bgbb';
	$sample{"cj_fit_$m(cj_history,timestamp with time zone)"} =
	  [ 'facts_hist', "h, timestamptz '2025-01-01 00:00:00+00'" ];
	$sample{"cj_fit_$m(cj_history,timestamp with time zone,interval)"} =
	  [ 'facts_hist', "h, timestamptz '2025-01-01 00:00:00+00', interval '7 days'" ];
}
# the fits with covariates: one categorical covariate per process.  The
# Pareto/NBD ones get a covariate that is 0 for every row (the coefficients
# stay at 0, the fit is the plain one with a boundary verdict): with the
# categorical covariates below, on these short histories, the Pareto/NBD
# covariate fit spends unbounded time in the 2F1 series of the core
# (LogHyp2f1A1) at some group parameters; a known issue of the covariate
# fits, not of Citus.
foreach my $m (qw(bgnbd pnbd))
{
	my $z = $m eq 'pnbd'
	  ? 'x, tx, tt, ARRAY[0::float8], ARRAY[0::float8]'
	  : 'x, tx, tt, ARRAY[mod(g, 2)::float8], ARRAY[mod(i, 3)::float8]';
	my $o = q{'{"names_trans": ["g2"], "names_life": ["i3"], "lambda_life": 0.1}'::jsonb};
	my $cov = 'double precision,double precision,double precision,double precision[],double precision[]';
	$sample{"cj_fit_$m($cov)"} = [ 'facts', $z ];
	$sample{"cj_fit_$m($cov,bigint)"} = [ 'facts', "$z, n" ];
	$sample{"cj_fit_$m($cov,jsonb)"} = [ 'facts', "$z, $o" ];
	$sample{"cj_fit_$m($cov,bigint,jsonb)"} = [ 'facts', "$z, n, $o" ];
}

my @aggs = split /\n/, $q->(q{
	SELECT p.oid::regprocedure::text FROM pg_proc p
	JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'custjourney'
	WHERE p.prokind = 'a' ORDER BY 1});
cmp_ok(scalar @aggs, '>=', 39, scalar(@aggs) . ' aggregates in the extension');
my @unsampled = grep { !$sample{$_} } @aggs;
my %ordered = map { $_ => 1 } split /\n/, $q->(q{
	SELECT DISTINCT p.proname FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
	WHERE p.proname LIKE 'cj\_%' AND a.aggcombinefn = 0});
is(join(' ', sort keys %ordered), 'cj_sla_clock',
   'the one aggregate without a combine function is the order-dependent SLA clock');
is("@unsampled", '', 'every aggregate has sample arguments in this test');

# the plain copies (single-node reference), then distribute the originals
my @tables = qw(facts facts_credits facts_hist facts_ledger);
foreach my $t (@tables)
{
	$q->("CREATE TABLE ${t}_local AS SELECT * FROM $t");
	$q->("SELECT create_distributed_table('$t', 'cid', shard_count => 8)");
	# create_distributed_table copies the rows into the shards
	$q->("SELECT truncate_local_data_after_distributing_table('$t')");
}
is($q->(q{SELECT count(*) FROM citus_shards WHERE table_name::text LIKE 'facts%'}),
   8 * @tables, scalar(@tables) . ' distributed tables, 8 shards each');

my $off = "SET citus.coordinator_aggregation_strategy = 'disabled';\n";
my (@not_partial, @not_equal, @failed);
my $compared = 0;
foreach my $agg (@aggs)
{
	my ($t, $args) = @{ $sample{$agg} || next };
	(my $name = $agg) =~ s/\(.*//;
	# an aggregate whose result depends on the order of its rows (called
	# with ORDER BY) has no combine function: PostgreSQL never splits it
	# into partials, and Citus runs it whole on the distribution column
	my @groupings = $ordered{$name} ? ('cid') : ('cid', 'g', '');
	foreach my $grp (@groupings)
	{
		my $sel = $grp eq ''
		  ? "SELECT $name($args)::text FROM %s"
		  : "SELECT $grp, $name($args)::text FROM %s GROUP BY $grp ORDER BY $grp";
		my ($rc, $dist, $err) = $coord->psql('postgres', $off . sprintf($sel, $t));
		my ($rc2, $local, $err2) = $coord->psql('postgres', sprintf($sel, "${t}_local"));
		if ($rc != 0 || $rc2 != 0)
		{
			push @failed, "$agg by '$grp': $err$err2";
			next;
		}
		$compared++;
		if ($dist ne $local || $local eq '')
		{
			push @not_equal, "$agg by '$grp'";
			# the first difference, for the log
			my @d = split /\n/, $dist;
			my @l = split /\n/, $local;
			my ($k) = grep { ($d[$_] // '') ne ($l[$_] // '') } 0 .. $#l;
			diag "$agg by '$grp': Citus " . substr($d[$k // 0] // '', 0, 400)
			  . "\n  single node " . substr($l[$k // 0] // '', 0, 400);
		}
		next if $grp eq 'cid';	# pushed down whole, no partials
		my $plan = $q->($off . 'EXPLAIN (VERBOSE, COSTS OFF) ' . sprintf($sel, $t));
		push @not_partial, "$agg by '$grp'" unless $plan =~ /worker_partial_agg/;
	}
}
note "compared $compared aggregate queries";
is(join("\n", @failed), '', 'every aggregate query runs with coordinator aggregation disabled');
is(join("\n", @not_partial), '',
   'grouped by a non-distribution column or not at all, every aggregate runs as worker partials');
is(join("\n", @not_equal), '', 'every aggregate gives the single-node result, bit for bit');
my $ordered_aggs = grep { my $n = $_; $n =~ s/\(.*//; $ordered{$n} } @aggs;
is($compared, 3 * scalar(@aggs) - 2 * $ordered_aggs,
   'all aggregate queries compared (order-dependent ones by the distribution column only)');

# ---- 3. scores in distributed SELECT, UPDATE and INSERT ... SELECT
my $score = "cj_p_alive($mlit, x, tx, tt)";
my $expect = $q->("SELECT md5(string_agg(($score)::text, ',' ORDER BY i)) FROM facts_local");
is($q->("SELECT md5(string_agg(($score)::text, ',' ORDER BY i)) FROM facts"), $expect,
   'scores in a distributed SELECT equal the single-node ones');
$q->("ALTER TABLE facts ADD COLUMN p float8");
$q->("UPDATE facts SET p = $score");
is($q->(q{SELECT md5(string_agg(p::text, ',' ORDER BY i)) FROM facts}), $expect,
   'scores in a distributed UPDATE');
$q->(q{CREATE TABLE scored (i int, cid int, p float8);
	   SELECT create_distributed_table('scored', 'cid', colocate_with => 'facts')});
$q->("INSERT INTO scored SELECT i, cid, $score FROM facts");
is($q->(q{SELECT md5(string_agg(p::text, ',' ORDER BY i)) FROM scored}), $expect,
   'scores in a distributed INSERT ... SELECT');
$q->('INSERT INTO scored SELECT i, cid + 1, p FROM scored WHERE i <= 100');
is($q->('SELECT count(*) FROM scored'), '4100', 'INSERT ... SELECT with repartitioning');

# ---- 4. the queue kit: cj_ticket stays on the coordinator
is($q->(q{SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'cj_ticket'::regclass}),
   '0', 'cj_ticket is a coordinator-local table (not in Citus metadata)');
my $tmp = tempdir(CLEANUP => 1);
$q->(q{SELECT count(cj_enqueue('c' || i, 'gold', 'gold:2min, *:15min',
	CASE WHEN i % 3 = 0 THEN '{fr}' ELSE '{}' END::text[],
	timestamptz '2024-01-01 00:00:00+00' + i * interval '1 s'))
	FROM generate_series(1, 3000) i});
$q->(q{CREATE TABLE claims_log (ticket bigint, agent text, claim int, at timestamptz DEFAULT clock_timestamp())});
open my $fh, '>', "$tmp/claim.sql" or die;
print $fh q{\set k :client_id % 2
BEGIN;
INSERT INTO claims_log (ticket, agent, claim)
SELECT c.id, c.agent, c.claims
FROM cj_claim('agent' || :client_id, CASE WHEN :k = 0 THEN '{fr}' ELSE '{}' END::text[]) c;
COMMIT;
};
close $fh;
my @conn = ('-h', $coord->host, '-p', $coord->port);
IPC::Run::run([ 'pgbench', @conn, '-n', '-c', '12', '-j', '2', '-t', '300',
				'-f', "$tmp/claim.sql", 'postgres' ], '>', \my $po, '2>', \my $pe);
like($po, qr/actually processed: 3600\/3600/, '12 concurrent claimers ran') or diag $pe;
is($q->(q{SELECT count(*) || ' ' || count(DISTINCT ticket) FROM claims_log}), '3000 3000',
   '3,000 claims, one per ticket');
is($q->(q{SELECT count(*) FROM cj_ticket WHERE state <> 'claimed' OR claims <> 1}), '0',
   'every ticket claimed exactly once');
is($q->(q{SELECT count(*) FROM claims_log l JOIN cj_ticket t ON t.id = l.ticket
		  WHERE t.agent <> l.agent OR NOT (t.skills <@ CASE WHEN substr(l.agent, 6)::int % 2 = 0
		        THEN '{fr}' ELSE '{}' END::text[])}), '0',
   'claims went to the logged agent and respect skills');
# stale claims on the cluster: requeue half, reclaim, late completes refused
$q->(q{UPDATE cj_ticket SET claimed_at = claimed_at - interval '1 hour' WHERE id % 2 = 0});
is($q->(q{SELECT cj_requeue_stale('10 min')}), '1500', 'half the claims requeued as stale');
is($q->(q{SELECT count(*) FROM generate_series(1, 1600) g,
		  LATERAL cj_claim(CASE WHEN g > 0 THEN 'late' END, '{fr}') c}), '1500',
   'the requeued tickets are claimed again');
my ($rc, $o, $e) = $coord->psql('postgres', q{
	SELECT cj_complete(l.ticket, l.agent, l.claim) FROM claims_log l
	WHERE l.ticket = (SELECT min(id) FROM cj_ticket WHERE agent = 'late')});
like($e, qr/claimed by another agent/, 'a stale agent cannot complete a reclaimed ticket');
is($q->(q{SELECT count(*) FROM claims_log l, LATERAL cj_complete(l.ticket, l.agent, l.claim) ok
		  WHERE l.ticket % 2 = 1}), '1500', 'current claims complete');
is($q->(q{SELECT state || ' ' || count(*) FROM cj_ticket GROUP BY state ORDER BY 1}),
   "claimed 1500\ncompleted 1500", 'the queue after completion');
# other topologies are refused: the queue functions (SQL functions with
# parameters) cannot run on a reference or distributed table, and an
# extension's table, once distributed, can neither be undistributed nor
# dropped with the extension without leaving its shards behind; the
# trigger cj_ticket_keep_local makes Citus refuse
foreach my $call ("create_reference_table('cj_ticket')",
				  "create_distributed_table('cj_ticket', 'id')")
{
	($rc, $o, $e) = $coord->psql('postgres', "SELECT $call");
	like($e, qr/cannot distribute relation "cj_ticket" because it has triggers/,
		 "$call is refused");
}
# (the workers have a cj_ticket of their own, from the extension)
($rc, $o, $e) = $coord->psql('postgres',
	"SELECT citus_add_local_table_to_metadata('cj_ticket')");
like($e, qr/ERROR/, 'citus_add_local_table_to_metadata(cj_ticket) is refused');
is($q->(q{SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'cj_ticket'::regclass}),
   '0', 'cj_ticket is still coordinator-local');

# ---- 5. DROP EXTENSION leaves nothing behind
$q->('DROP TABLE scored, claims_log, ' . join(', ', map { ($_, "${_}_local") } @tables));
$q->('DROP EXTENSION custjourney');
sub leftovers
{
	my ($what) = @_;
	foreach my $n (@nodes)
	{
		is($n->safe_psql('postgres', q{
			SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'custjourney') || ' '
			    || (SELECT count(*) FROM pg_class WHERE relname LIKE 'cj\_%')
			    || ' ' || (SELECT count(*) FROM pg_type WHERE typname LIKE 'cj\_%')
			    || ' ' || (SELECT count(*) FROM pg_proc WHERE proname LIKE 'cj\_%')}),
		   '0 0 0 0', $n->name . ": $what: no custjourney extension, relation, type or function left");
	}
	is($q->(q{SELECT count(*) FROM pg_dist_shard}) . ' '
	   . $q->(q{SELECT count(*) FROM pg_dist_placement}) . ' '
	   . $q->(q{SELECT count(*) FROM pg_dist_partition}),
	   '0 0 0', "$what: no table, shard or placement left in the Citus metadata");
	is(join(' ', map { $_->safe_psql('postgres',
		q{SELECT count(*) FROM pg_class WHERE relname ~ '^(facts|scored|cj_)'}) } @nodes),
	   '0 0 0', "$what: no shard table left on any node");
}
leftovers('DROP EXTENSION');

# ---- 6. a cj_ticket made a reference table under 1.1 (before the trigger)
$q->(q{CREATE EXTENSION custjourney VERSION '1.1'});
$q->(q{SELECT create_reference_table('cj_ticket')});
($rc, $o, $e) = $coord->psql('postgres', q{SELECT id FROM cj_claim('ref')});
like($e, qr/use of parameters in SQL functions/, '1.1: cj_claim fails on a reference cj_ticket');
($rc, $o, $e) = $coord->psql('postgres', 'ALTER EXTENSION custjourney UPDATE');
like($e, qr/triggers are not supported on reference tables/,
	 'ALTER EXTENSION UPDATE stops at the guard trigger: take the way back first');
# the way back of doc/queue.md: drop the shards, then the extension
$q->(q{SELECT citus_drop_all_shards('cj_ticket', 'public', 'cj_ticket')});
$q->('DROP EXTENSION custjourney');
leftovers('the way back');
$q->('CREATE EXTENSION custjourney');
$q->(q{SELECT cj_enqueue('again', 'gold', 'gold:2min')});
is($q->(q{SELECT customer || ' ' || claims FROM cj_claim('after')}), 'again 1',
   'after CREATE EXTENSION the queue works again');

$_->stop foreach @nodes;
done_testing();
