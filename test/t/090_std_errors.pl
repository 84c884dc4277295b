#-------------------------------------------------------------------------
#
# 090_std_errors.pl
#	  The standard errors a fit records agree, to 1e-4 relative, with an
#	  independent computation: the log-likelihood written again from the
#	  papers in test/ref/std_errors.py, evaluated at 40 digits (mpmath) and
#	  differentiated twice numerically at custjourney's estimates; and, to
#	  1 %, with the standard errors lifetimes and CLVTools publish.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = "$FindBin::RealBin/../..";
my $csv = "$root/test/data/cdnow_customers_summary_with_transactions.csv";
my $ref = "$root/test/ref/std_errors.py";

if (system("python3 -c 'import mpmath' 2>/dev/null") != 0)
{
	plan skip_all => 'python3-mpmath is not installed';
}

my $node = PostgreSQL::Test::Cluster->new('stderr');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION custjourney');
$node->safe_psql('postgres', qq{
	CREATE TABLE cdnow (id int, x float8, t_x float8, age float8, zbar float8);
	COPY cdnow FROM '$csv' WITH (FORMAT csv, HEADER);
	CREATE TABLE fits AS
	SELECT 'bgnbd'::text AS family, cj_fit_bgnbd(x, t_x, age) AS m FROM cdnow
	UNION ALL SELECT 'mbgnbd', cj_fit_mbgnbd(x, t_x, age) FROM cdnow
	UNION ALL SELECT 'pnbd', cj_fit_pnbd(x, t_x, age) FROM cdnow
	UNION ALL SELECT 'gg', cj_fit_gg(x, zbar) FROM cdnow WHERE x > 0;
});

for my $family ('bgnbd', 'mbgnbd', 'pnbd', 'gg')
{
	# estimates and standard errors, in the family's parameter order
	my $rows = $node->safe_psql('postgres', qq{
		SELECT p, cj_param(m, p), cj_std_error(m, p)
		FROM fits, cj_model_families() r, unnest(r.parameters) WITH ORDINALITY u(p, i)
		WHERE fits.family = '$family' AND r.family = '$family' ORDER BY i});
	my (@names, @est, @se);
	for my $line (split /\n/, $rows)
	{
		my ($n, $e, $s) = split /\|/, $line;
		push @names, $n;
		push @est, $e;
		push @se, $s;
	}
	my @want = split /\n/, `python3 $ref $csv $family @est`;
	is(scalar(@want), scalar(@names), "$family: reference computed");
	for my $i (0 .. $#names)
	{
		my $rel = abs($se[$i] / $want[$i] - 1);
		ok($rel < 1e-4,
			sprintf("$family: se(%s) = %.8g, reference %.8g (relative difference %.1e)",
				$names[$i], $se[$i], $want[$i], $rel));
	}
}

# the published reference implementations: lifetimes' Quickstart
# (docs/Quickstart.md, BetaGeoFitter on the same CDNOW summary) prints
# se(coef) r 0.012557, alpha 0.378221, a 0.185719, b 0.705345; within 1 %
# and CLVTools' test suite (tests/testthat/test_correctness_pnbd.R) the
# Pareto/NBD ones: r 0.0476264, alpha 0.8427222, s 0.1872594, beta 6.2105448
my %published = (
	bgnbd => [ lifetimes => { r => 0.012557, alpha => 0.378221, a => 0.185719, b => 0.705345 } ],
	pnbd => [ CLVTools => { r => 0.0476264, alpha => 0.8427222, s => 0.1872594,
			beta => 6.2105448 } ]);
for my $family (sort keys %published)
{
	my ($who, $se_of) = @{ $published{$family} };
	for my $p (sort keys %$se_of)
	{
		my $se = $node->safe_psql('postgres',
			"SELECT cj_std_error(m, '$p') FROM fits WHERE family = '$family'");
		my $rel = abs($se / $se_of->{$p} - 1);
		ok($rel < 0.01,
			sprintf("$family: se(%s) = %.7g, $who publishes %.7g (relative difference %.1e)",
				$p, $se, $se_of->{$p}, $rel));
	}
}

$node->stop;
done_testing();
