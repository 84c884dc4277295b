#-------------------------------------------------------------------------
#
# 072_dump_restore.pl
#	  Every custjourney base type survives pg_dump and a restore into a new
#	  database with an empty search_path, value for value.
#
# The types come from the catalog (base types that are members of the
# extension); their sample values from the seed corpus
# test/fuzz/seeds/<typname>.txt, which every type must have.  Each value is
# stored as a column and inside an array; the extension's own tables
# (queues) are compared too.  Values are compared by their text form and
# their binary (send) form.  Both the custom format (pg_restore) and the
# plain format (psql) are restored.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use CjHarden qw(ext_base_types read_seeds sql_quote server_crashed);

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src',
	'CREATE SCHEMA cjx; CREATE EXTENSION custjourney SCHEMA cjx');

my @types = ext_base_types($node, 'src');
note "base types: @types";

# one table per type: a value per seed, a NULL, and an array of them all
my @tables;
foreach my $t (@types)
{
	my $seeds = read_seeds($t);
	ok(defined $seeds && @$seeds > 0, "$t has a seed file test/fuzz/seeds/$t.txt")
	  or next;
	my $tab = "dr_$t";
	my $sql = "CREATE TABLE public.$tab (id int PRIMARY KEY, v cjx.$t, va cjx.${t}[]);\n";
	my $i = 0;
	foreach my $lit (@$seeds)
	{
		$i++;
		$sql .= "INSERT INTO public.$tab VALUES ($i, "
		  . sql_quote($lit) . "::cjx.$t, ARRAY["
		  . sql_quote($lit) . "::cjx.$t]);\n";
	}
	$sql .= "INSERT INTO public.$tab VALUES (0, NULL, NULL);\n";
	$sql .= "INSERT INTO public.$tab SELECT -1, NULL, array_agg(v ORDER BY id) "
	  . "FROM public.$tab WHERE id > 0;\n";
	my ($rc, $out, $err) = $node->psql('src', $sql, on_error_stop => 1);
	is($rc, 0, "$t: " . scalar(@$seeds) . " seed values stored") or diag $err;
	push @tables, [ $tab, $t ];
}

# queue tickets in every state, when the service queue exists
if ($node->safe_psql('src', "SELECT to_regproc('cjx.cj_enqueue') IS NOT NULL") eq 't')
{
	my ($rc, $out, $err) = $node->psql(
		'src', q{
		SET search_path = cjx;
		SELECT cj_enqueue('c' || i, (ARRAY['gold', 'silver', NULL])[1 + i % 3],
		                  'gold:2min, silver:5min, *:15min'::cj_sla,
		                  CASE WHEN i % 4 = 0 THEN '{billing}'::text[] ELSE '{}' END,
		                  timestamptz '2024-01-01 10:00+00' + i * interval '1 min',
		                  i * 10.5, CASE WHEN i % 5 = 0 THEN 'vip' ELSE 'default' END)
		FROM generate_series(1, 12) i;
		SELECT id FROM cj_claim('agent-1');
		SELECT id FROM cj_claim('agent-2', '{billing}');
		SELECT cj_complete(id, agent, claims) FROM cj_ticket
		  WHERE id = (SELECT min(id) FROM cj_ticket WHERE state = 'claimed');
		SELECT cj_abandon((SELECT max(id) FROM cj_ticket WHERE state = 'waiting'));},
		on_error_stop => 1);
	is($rc, 0, 'queue tickets stored (waiting, claimed, completed, abandoned)')
	  or diag $err;
}

# fingerprint of a table: text and binary forms of every value, in id order
sub fingerprint
{
	my ($db, $tab, $t) = @_;
	my $send = $node->safe_psql($db,
		"SET search_path = pg_catalog; SELECT typsend::oid::regproc FROM pg_type "
		  . "WHERE oid = 'cjx.$t'::regtype");
	return $node->safe_psql($db,
		"SELECT id, v::text, va::text, encode($send(v), 'hex') "
		  . "FROM public.$tab ORDER BY id");
}

# the extension's own relations of the given kinds (a ticket queue, its
# sequence)
sub member_relations
{
	my ($db, $kinds) = @_;
	return split /\n/, $node->safe_psql($db, qq{
		SET search_path = pg_catalog;
		SELECT c.oid::regclass FROM pg_depend d
		JOIN pg_extension e ON e.oid = d.refobjid
		JOIN pg_class c ON c.oid = d.objid
		WHERE d.refclassid = 'pg_extension'::regclass
		  AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
		  AND e.extname = 'custjourney' AND c.relkind = ANY ('$kinds')
		ORDER BY 1});
}

sub member_tables
{
	my ($db) = @_;
	return member_relations($db, '{r,p}');
}

sub table_rows
{
	my ($db, $rel) = @_;
	return $node->safe_psql($db, "SELECT t::text FROM $rel t ORDER BY 1");
}

# the extension's sequences and where they stand
sub member_sequences
{
	my ($db) = @_;
	return join "\n", map {
		"$_ " . $node->safe_psql($db, "SELECT last_value, is_called FROM $_")
	} member_relations($db, '{S}');
}

my %src_fp = map { $_->[0] => fingerprint('src', @$_) } @tables;
my @src_members = member_tables('src');
my %src_rows = map { $_ => table_rows('src', $_) } @src_members;
my $src_seqs = member_sequences('src');
foreach my $rel (@src_members)
{
	note "extension table $rel holds "
	  . scalar(grep { $_ ne '' } split /\n/, $src_rows{$rel}) . " rows";
}

my $tmp = PostgreSQL::Test::Utils::tempdir;
$node->command_ok(
	[ 'pg_dump', '-Fc', '-f', "$tmp/src.dump", '-d', $node->connstr('src') ],
	'pg_dump (custom format)');
$node->command_ok(
	[ 'pg_dump', '-Fp', '-f', "$tmp/src.sql", '-d', $node->connstr('src') ],
	'pg_dump (plain format)');

{
	# restore as a user whose search_path is empty
	local $ENV{PGOPTIONS} = '-c search_path=';
	$node->safe_psql('postgres', 'CREATE DATABASE dst_custom');
	$node->command_ok(
		[
			'pg_restore', '--exit-on-error', '-d',
			$node->connstr('dst_custom'), "$tmp/src.dump"
		],
		'pg_restore into a new database, empty search_path');
	$node->safe_psql('postgres', 'CREATE DATABASE dst_plain');
	$node->command_ok(
		[
			'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d',
			$node->connstr('dst_plain'), '-f', "$tmp/src.sql"
		],
		'plain dump restored by psql, empty search_path');
}

foreach my $db ('dst_custom', 'dst_plain')
{
	is( $node->safe_psql($db,
			"SELECT extnamespace::regnamespace || ' ' || extversion "
			  . "FROM pg_extension WHERE extname = 'custjourney'"),
		$node->safe_psql('src',
			"SELECT extnamespace::regnamespace || ' ' || extversion "
			  . "FROM pg_extension WHERE extname = 'custjourney'"),
		"$db: extension restored in its schema at its version");
	foreach my $tt (@tables)
	{
		my ($tab, $t) = @$tt;
		my $fp = fingerprint($db, $tab, $t);
		is($fp, $src_fp{$tab}, "$db: every $t value identical (text and binary)");
	}
	my @members = member_tables($db);
	is("@members", "@src_members", "$db: same extension tables");
	foreach my $rel (@src_members)
	{
		is(table_rows($db, $rel), $src_rows{$rel},
			"$db: rows of extension table $rel identical");
	}
	is(member_sequences($db), $src_seqs, "$db: extension sequences where they were");
}

ok(!server_crashed($node), 'no backend crashed');
$node->stop;
done_testing();
