#-------------------------------------------------------------------------
#
# 082_differential.pl
#	  Every score of every model family against independent 40-digit
#	  reference values (test/ref/reference.csv.xz, written by
#	  test/ref/gen_reference.py with mpmath and compressed with xz; see
#	  that file for the grid and for how each value is cross-checked by
#	  two evaluations).  CJ_REFERENCE names another file (.csv or .csv.xz).
#
# Each reference row names a family, a score, a model literal, the
# arguments and the true value.  A result passes when
#   - its relative error is at most 1e-9, or
#   - the true value is 'inf' (infinite or beyond the double range) and the
#     call raised 22003, or
#   - the true value is below 1e-300 in magnitude and the result is 0 or
#     below 1e-300 too.
# Anything else is a failure: a wrong finite number, or an unexpected
# error.  Counts per family and score are printed; the first failures of
# each score are listed.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $ref = $ENV{CJ_REFERENCE} // "$FindBin::RealBin/../ref/reference.csv.xz";
ok(-f $ref, "reference file $ref exists") or BAIL_OUT('no reference file');

# The CSV without its '#' comment lines, for COPY
my $csv = PostgreSQL::Test::Utils::tempdir() . '/reference.csv';
{
	my $in;
	if ($ref =~ /\.xz$/)
	{
		open $in, '-|', 'xz', '-dc', $ref or die "cannot run xz -dc $ref: $!";
	}
	else
	{
		open $in, '<', $ref or die "cannot read $ref: $!";
	}
	open my $out, '>', $csv or die "cannot write $csv: $!";
	while (my $line = <$in>)
	{
		next if $line =~ /^#/;
		print $out $line;
	}
	close $out;
	close $in or die "cannot read $ref: $! $?";
}

my $node = PostgreSQL::Test::Cluster->new('differential');
$node->init;
$node->append_conf('postgresql.conf', "fsync = off\nstatement_timeout = '600s'");
$node->start;
$node->safe_psql('postgres', q{CREATE EXTENSION custjourney});
$node->safe_psql('postgres', q{
	CREATE TABLE ref (id serial, family text, score text, model text,
	                  spend_model text, a1 text, a2 text, a3 text, a4 text,
	                  a5 text, a6 text, ref text);
	CREATE TABLE got (id int, val float8, state text, msg text);

	-- one score; val, or the SQLSTATE and message of its error
	CREATE FUNCTION run_one(r ref, OUT val float8, OUT state text, OUT msg text)
	LANGUAGE plpgsql AS $f$
	DECLARE
		m cj_model := r.model::cj_model;
	BEGIN
		val := CASE r.score
			WHEN 'expected' THEN cj_expected_purchases(m, r.a1::float8)
			WHEN 'conditional' THEN cj_conditional_purchases(m, r.a1::float8,
				r.a2::float8, r.a3::float8, r.a4::float8)
			WHEN 'p_alive' THEN cj_p_alive(m, r.a1::float8, r.a2::float8, r.a3::float8)
			WHEN 'prob' THEN cj_prob_purchases(m, r.a1::int4, r.a2::float8)
			WHEN 'spend' THEN cj_expected_spend(m, r.a1::float8, r.a2::float8)
			WHEN 'clv' THEN cj_clv(m, r.spend_model::cj_model, r.a1::float8,
				r.a2::float8, r.a3::float8, r.a4::float8, r.a5::int4,
				split_part(r.a6, ':', 1)::float8, split_part(r.a6, ':', 2)::float8)
			WHEN 'dert' THEN cj_dert(m, r.a1::float8, r.a2::float8, r.a3::float8,
				r.a4::float8)
			WHEN 'retention' THEN cj_retention(m, r.a1::int4)
			WHEN 'survival' THEN cj_survival(m, r.a1::int4)
			WHEN 'del' THEN cj_del(m, r.a1::float8)
			WHEN 'derl' THEN cj_derl(m, r.a1::int4, r.a2::float8)
			WHEN 'prob_none' THEN cj_prob_no_purchase(m, r.a1::float8, r.a2::float8,
				r.a3::float8, r.a4::float8)
			WHEN 'cond_prob' THEN cj_conditional_prob_purchases(m, r.a1::int4,
				r.a2::float8, r.a3::float8, r.a4::float8, r.a5::float8)
			WHEN 'p_alive_at' THEN cj_p_alive_at(m, r.a1::float8, r.a2::float8,
				r.a3::float8, r.a4::float8)
		END;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	END
	$f$;
});
$node->safe_psql('postgres',
	"\\copy ref (family, score, model, spend_model, a1, a2, a3, a4, a5, a6, ref) FROM '$csv' WITH (FORMAT csv, HEADER)");

# One statement per family and score (each row in its own subtransaction,
# to record the SQLSTATE of an error)
my $t0 = time;
for my $fs (split /\n/,
	$node->safe_psql('postgres', q{SELECT DISTINCT family || ' ' || score FROM ref ORDER BY 1}))
{
	my ($fam, $score) = split / /, $fs;
	my $t1 = time;
	$node->safe_psql('postgres', qq{
		INSERT INTO got SELECT r.id, (run_one(r)).* FROM ref r
		WHERE r.family = '$fam' AND r.score = '$score'});
	note(sprintf('%-7s %-12s %3d s to evaluate', $fam, $score, time - $t1));
}
note(sprintf('%d s to evaluate', time - $t0));

# verdict per row
$node->safe_psql('postgres', q{
	CREATE VIEW verdict AS
	SELECT r.id, r.family, r.score, r.model, concat_ws(', ', NULLIF(r.spend_model, ''),
	       NULLIF(r.a1, ''), NULLIF(r.a2, ''), NULLIF(r.a3, ''), NULLIF(r.a4, ''),
	       NULLIF(r.a5, ''), NULLIF(r.a6, '')) AS args,
	       r.ref, g.val, g.state, g.msg,
	       CASE
	         WHEN r.ref = 'inf' THEN coalesce(g.state = '22003', false)
	         WHEN g.state IS NOT NULL THEN false
	         WHEN coalesce((regexp_match(r.ref, 'e([-+]?[0-9]+)$'))[1]::int, 0) < -300
	           OR r.ref = '0'
	           THEN abs(g.val) <= 1e-300
	         ELSE abs(g.val::numeric - r.ref::numeric) <= 1e-9 * abs(r.ref::numeric)
	       END AS pass
	FROM ref r JOIN got g USING (id)});

my $summary = $node->safe_psql('postgres', q{
	SELECT format('%-7s %-12s %6s compared, %5s pass, %4s wrong value, %4s unexpected error',
	              family, score, count(*), count(*) FILTER (WHERE pass),
	              count(*) FILTER (WHERE NOT pass AND state IS NULL),
	              count(*) FILTER (WHERE NOT pass AND state IS NOT NULL))
	FROM verdict GROUP BY family, score ORDER BY family, score});
note($_) for split /\n/, $summary;

my $fails = $node->safe_psql('postgres', q{
	SELECT format('%s %s %s (%s): ref %s, got %s%s', family, score, model, args, ref,
	              coalesce(val::text, 'error ' || state),
	              coalesce(': ' || msg, ''))
	FROM (SELECT v.*, row_number() OVER (PARTITION BY family, score ORDER BY id) AS k
	      FROM verdict v WHERE NOT pass) f
	WHERE k <= 15 ORDER BY family, score, id});
diag($_) for split /\n/, $fails;

# every score of every family is on the grid
my %have = map { $_ => 1 } split /\n/,
  $node->safe_psql('postgres', q{SELECT DISTINCT family || ' ' || score FROM verdict});
for my $fs ('bgnbd expected', 'bgnbd conditional', 'bgnbd p_alive', 'bgnbd prob',
	'bgnbd clv', 'mbgnbd expected', 'mbgnbd conditional', 'mbgnbd p_alive',
	'mbgnbd prob', 'mbgnbd clv', 'pnbd expected', 'pnbd conditional',
	'pnbd p_alive', 'pnbd prob', 'pnbd dert', 'pnbd clv', 'bgbb expected',
	'bgbb conditional', 'bgbb p_alive', 'bgbb prob', 'sbg retention',
	'sbg survival', 'sbg del', 'sbg derl', 'gg spend')
{
	ok($have{$fs}, "$fs has reference values");
}

my $rows = $node->safe_psql('postgres',
	q{SELECT family || ' ' || score || ' ' || count(*) FILTER (WHERE NOT pass)
	  FROM verdict GROUP BY family, score ORDER BY 1});
for my $line (split /\n/, $rows)
{
	my ($fam, $score, $nfail) = split / /, $line;
	is($nfail, 0, "$fam $score: every result right or the documented error");
}

$node->stop;
done_testing();
