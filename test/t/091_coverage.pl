#-------------------------------------------------------------------------
#
# 091_coverage.pl
#	  Coverage of the parameter confidence intervals (cj_confint): 200
#	  populations of 20,000 customers simulated by cj_simulate from known
#	  BG/NBD parameters (the published CDNOW estimates, 39 weeks observed,
#	  seeds 1..200), each fitted; the 95 % interval of every parameter
#	  must cover its true value in 95 % +- 3.5 % of the runs, that is in
#	  183 to 197 of the 200.  With 200 runs the standard deviation of the
#	  coverage is sqrt(0.95 0.05 / 200) = 1.54 %, so the band is +- 2.3
#	  standard deviations.  Deterministic (seeded): the figures are the
#	  same on every run.  Under ten seconds on the 2-core test machine.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('coverage');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION custjourney');
my $t0 = time;
$node->safe_psql('postgres', q{
	CREATE TABLE truth (p text, v float8);
	INSERT INTO truth VALUES ('r', 0.2426), ('alpha', 4.4135), ('a', 0.7929), ('b', 2.4257);
	CREATE TABLE fits AS
	SELECT s AS seed,
	       (SELECT cj_fit_bgnbd(x, t_x, age)
	        FROM cj_simulate('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)'::cj_model,
	                         20000, 39, s)) AS m
	FROM generate_series(1, 200) s;
});
note(sprintf('%d s to simulate and fit', time - $t0));
is($node->safe_psql('postgres',
	q{SELECT count(*) FROM fits WHERE cj_vcov(m) IS NOT NULL}),
	'200', 'every fit records a covariance');
my $rows = $node->safe_psql('postgres', q{
	SELECT p, count(*) FILTER (WHERE (cj_confint(m, p)).lower <= v
	                             AND v <= (cj_confint(m, p)).upper)
	FROM fits, truth GROUP BY p ORDER BY p});
for my $line (split /\n/, $rows)
{
	my ($p, $covered) = split /\|/, $line;
	note(sprintf('%-5s covered in %d of 200 runs (%.1f %%)', $p, $covered,
				 $covered / 2));
	ok($covered >= 183 && $covered <= 197,
		"95 % interval of $p covers the true value in 95 % +- 3.5 % of the runs");
}
$node->stop;
done_testing();
