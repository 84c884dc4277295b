#-------------------------------------------------------------------------
#
# 075_soft_errors.pl
#	  PostgreSQL 16+: every custjourney type's text input reports a bad
#	  literal as a soft error, so pg_input_is_valid() and
#	  pg_input_error_info() answer instead of raising.  Skipped before 16
#	  (no soft-error API).
#
# For each base type of the extension: every seed literal is valid, and
# for each mutant of the seeds (truncations, junk, huge and non-finite
# numbers, stray separators) the soft answer agrees with a hard cast: valid
# when the cast succeeds, and otherwise the same SQLSTATE and message as
# the cast's error, without raising.
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

my $node = PostgreSQL::Test::Cluster->new('soft');
$node->init;
$node->start;

if ($node->safe_psql('postgres', 'SHOW server_version_num') < 160000)
{
	plan skip_all => 'pg_input_is_valid() needs PostgreSQL 16';
}

$node->safe_psql('postgres', q{
	CREATE EXTENSION custjourney;
	CREATE TABLE cand (typ text, lit text);
	-- hard cast and soft check of one literal; 'raised' when the soft
	-- check itself raised (the gap this test looks for)
	CREATE FUNCTION try_lit(typ text, lit text, OUT hard_state text,
	                        OUT hard_msg text, OUT soft_state text,
	                        OUT soft_msg text)
	LANGUAGE plpgsql AS $f$
	BEGIN
		BEGIN
			EXECUTE format('SELECT $1::%I', typ) USING lit;
			hard_state := '00000';
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS hard_state = RETURNED_SQLSTATE,
			                        hard_msg = MESSAGE_TEXT;
		END;
		BEGIN
			SELECT coalesce(e.sql_error_code, '00000'), e.message
			INTO soft_state, soft_msg
			FROM pg_input_error_info(lit, typ) e;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS soft_msg = MESSAGE_TEXT,
			                        soft_state = RETURNED_SQLSTATE;
			soft_state := 'raised ' || soft_state;
		END;
	END
	$f$;
});

my @junk = ('', ' ', 'x', ',', ':', '/', '{', '}', '{}', '[]', '()', 'NaN',
	'Infinity', '-Infinity', '1e999', '-1e999', '9223372036854775808',
	'"', "'", ';', '*', 'null');
my @types = ext_base_types($node, 'postgres');
ok(@types > 0, scalar(@types) . ' base types');

my $rows = '';
for my $typ (@types)
{
	my $seeds = read_seeds($typ);
	next unless $seeds;
	for my $s (@$seeds)
	{
		my @m = ($s, substr($s, 0, int(length($s) / 2)), "$s x", "x$s",
			"$s,", "$s:", "$s/");
		(my $d = $s) =~ s/\d+(\.\d+)?/1e999/;
		push @m, $d;
		($d = $s) =~ s/\d+(\.\d+)?/NaN/;
		push @m, $d;
		($d = $s) =~ s/\d+(\.\d+)?/-1/;
		push @m, $d;
		$rows .= "INSERT INTO cand VALUES (" . sql_quote($typ) . ", "
		  . sql_quote($_) . ");\n"
		  for @m;
	}
	$rows .= "INSERT INTO cand VALUES (" . sql_quote($typ) . ", "
	  . sql_quote($_) . ");\n"
	  for @junk;

	# every seed is valid
	my $valid = $node->safe_psql('postgres',
		"SELECT bool_and(pg_input_is_valid(s, " . sql_quote($typ) . ")) FROM (VALUES "
		  . join(', ', map { '(' . sql_quote($_) . ')' } @$seeds) . ") v(s)");
	is($valid, 't', "$typ: every seed literal is valid for pg_input_is_valid");
}
$node->safe_psql('postgres', $rows);

for my $typ (@types)
{
	next unless read_seeds($typ);
	my $q = sql_quote($typ);
	my $n = $node->safe_psql('postgres',
		"SELECT count(*) FILTER (WHERE hard_state <> '00000') || ' ' || count(*) FROM cand c, try_lit(c.typ, c.lit) WHERE c.typ = $q");
	my $bad = $node->safe_psql('postgres', qq{
		SELECT c.lit || ' => hard ' || t.hard_state || ' ' || coalesce(t.hard_msg, '')
		       || ' / soft ' || t.soft_state || ' ' || coalesce(t.soft_msg, '')
		FROM cand c, try_lit(c.typ, c.lit) t
		WHERE c.typ = $q
		  AND (t.hard_state <> t.soft_state
		       OR t.hard_msg IS DISTINCT FROM t.soft_msg)
		LIMIT 5});
	my ($errs, $all) = split / /, $n;
	is($bad, '', "$typ: soft errors agree with the cast on $all literals ($errs rejected)");
}

ok(!server_crashed($node), 'no backend crashed');
$node->stop;
done_testing();
