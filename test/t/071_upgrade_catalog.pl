#-------------------------------------------------------------------------
#
# 071_upgrade_catalog.pl
#	  A fresh install of the default version must leave exactly the same
#	  catalog as an install of any older version followed by every
#	  ALTER EXTENSION ... UPDATE along pg_extension_update_paths.
#
# Compared: every member with its signature, volatility, strictness,
# parallel safety and body; types with their I/O functions; aggregates
# with their support functions; operators, casts, operator classes,
# tables, comments and privileges (CjHarden::catalog_sql).  With a single
# released version the comparison is trivially equal; every future
# upgrade script is checked without editing this test.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use CjHarden qw(catalog_sql server_crashed);

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->start;

my $default = $node->safe_psql('postgres',
	"SELECT default_version FROM pg_available_extensions WHERE name = 'custjourney'");
ok($default ne '', "default version is $default");

# versions sorted by their numeric components, oldest first
my @versions = sort {
	my @x = split /\./, $a;
	my @y = split /\./, $b;
	my $c = 0;
	for my $i (0 .. 3) { $c ||= ($x[$i] // 0) <=> ($y[$i] // 0); }
	$c || $a cmp $b;
  } split /\n/,
  $node->safe_psql('postgres',
	"SELECT version FROM pg_available_extension_versions WHERE name = 'custjourney'");
note "available versions: @versions";

# the catalog description of a database, as one string
sub describe
{
	my ($db) = @_;
	return $node->safe_psql($db, catalog_sql());
}

# lines of $a that are not in $b
sub only_in
{
	my ($x, $y) = @_;
	my %in_y = map { $_ => 1 } split /\n/, $y;
	return join "\n", grep { !$in_y{$_} } split /\n/, $x;
}

$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION custjourney');
is($node->safe_psql('fresh',
		"SELECT extversion FROM pg_extension WHERE extname = 'custjourney'"),
	$default, 'fresh install is at the default version');
my $fresh = describe('fresh');
ok($fresh =~ /^extension /m, 'catalog description is not empty');
PostgreSQL::Test::Utils::append_to_file(
	"$PostgreSQL::Test::Utils::log_path/071_catalog_fresh.txt", $fresh);

my $missing = join "\n", grep { /^missing comment / } split /\n/, $fresh;
is($missing, '', 'every member of the extension has a COMMENT');

my $n = 0;
foreach my $from (@versions)
{
	next if $from eq $default;
	my $path = $node->safe_psql('postgres',
		"SELECT path FROM pg_extension_update_paths('custjourney') "
		  . "WHERE source = '$from' AND target = '$default'");
	if ($path eq '')
	{
		note "no update path from $from to $default";
		next;
	}
	my $db = 'from_' . ($n++);
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, "CREATE EXTENSION custjourney VERSION '$from'");
	my @steps = split /--/, $path;
	shift @steps;
	foreach my $to (@steps)
	{
		my ($rc, $out, $err) =
		  $node->psql($db, "ALTER EXTENSION custjourney UPDATE TO '$to'");
		is($rc, 0, "update $from: step to $to") or diag $err;
	}
	my $upgraded = describe($db);
	my $extra = only_in($upgraded, $fresh);
	my $lack = only_in($fresh, $upgraded);
	is($extra, '', "$path: nothing the fresh install lacks");
	is($lack, '', "$path: nothing missing compared with the fresh install");
}
note "compared $n upgrade path(s) with the fresh install";

# Functions written against 1.1 whose BEGIN ATOMIC bodies call the queue
# kit (they depend on the functions themselves, not on their names): the
# update keeps the 1.1 signatures (renamed, calling the 1.2 functions), so
# it does not fail on the dependency, and the functions keep working.  (A
# function returning whole cj_ticket rows fixed the 1.1 columns in its
# body and must be recreated: the table gains columns; README says so.)
if (grep { $_ eq '1.1' } @versions)
{
	$node->safe_psql('postgres', 'CREATE DATABASE app11');
	$node->safe_psql('app11', q{
		CREATE EXTENSION custjourney VERSION '1.1';
		CREATE FUNCTION app_enqueue(c text) RETURNS bigint LANGUAGE SQL
		BEGIN ATOMIC SELECT cj_enqueue(c, 'gold', 'gold:2min, *:15min'); END;
		CREATE FUNCTION app_enqueue_due(c text) RETURNS bigint LANGUAGE SQL
		BEGIN ATOMIC SELECT cj_enqueue_due(c, now() + interval '1 min'); END;
		CREATE FUNCTION app_claim(a text) RETURNS SETOF bigint LANGUAGE SQL
		BEGIN ATOMIC SELECT id FROM cj_claim(a); END;
		SELECT app_enqueue('before');});
	my ($rc, $out, $err) =
	  $node->psql('app11', "ALTER EXTENSION custjourney UPDATE TO '$default'");
	is($rc, 0, 'update with functions written against 1.1 calling the queue kit') or diag $err;
	is($node->safe_psql('app11', q{
		SELECT app_enqueue('after') IS NOT NULL AND app_enqueue_due('after due') IS NOT NULL;
		SELECT string_agg(t.customer, ',' ORDER BY c.o) FROM (SELECT 1 AS o, app_claim('ann') AS id
			UNION ALL SELECT 2, app_claim('ann') UNION ALL SELECT 3, app_claim('ann')) c
		JOIN cj_ticket t USING (id)}),
	   "t\nafter due,before,after", 'they keep working after the update (1.2 claims in due order)');
}

ok(!server_crashed($node), 'no backend crashed');

$node->stop;
done_testing();
