#-------------------------------------------------------------------------
#
# 074_input_fuzz.pl
#	  Thousands of mutated literals through every custjourney type's text
#	  input, and mutated binary forms through its recv, inside a server.
#
# The types come from the catalog (base types that are members of the
# extension), the starting values from the seed corpus
# test/fuzz/seeds/<typname>.txt.  Mutations (deterministic): byte flips,
# deletions, duplications, truncations, splices of two seeds, inserted
# junk tokens (NaN, Infinity, huge and tiny numbers, separators, quotes),
# deep nesting and long repetitions; binary forms get bit flips,
# truncations, extensions, random bytes, huge length fields and NaN or
# infinite doubles.
#
# Every text mutant must be accepted or rejected with an SQLSTATE of class
# 22 or 54 and a message naming the type; an accepted mutant must print
# and read back to the same text.  Every binary mutant must be accepted or
# rejected with class 22 or 54 (08P01 "insufficient/no data left in message"
# from PostgreSQL's own message readers is tolerated and counted); an
# accepted one must pass the text input again and re-encode identically.
# No backend may crash.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;

use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use CjHarden qw(ext_base_types read_seeds sql_quote server_crashed);

my $N_TEXT = $ENV{CJ_FUZZ_TEXT} // 2000;	# text mutants per type
my $N_BIN = $ENV{CJ_FUZZ_BIN} // 600;		# binary mutants per type

my $node = PostgreSQL::Test::Cluster->new('fuzz');
$node->init;
$node->append_conf('postgresql.conf', "statement_timeout = '120s'\nfsync = off");
$node->start;
$node->safe_psql('postgres', q{
	CREATE SCHEMA cjx;
	CREATE EXTENSION custjourney SCHEMA cjx;
	CREATE TABLE fz_in (id int, typ text, m text);
	CREATE TABLE fz_out (id int, ok bool, out1 text, out2 text, state text, msg text);
	-- read m as typ, print it, read the print back
	CREATE FUNCTION fz_try(typ text, m text, OUT ok bool, OUT out1 text,
	                       OUT out2 text, OUT state text, OUT msg text)
	LANGUAGE plpgsql AS $f$
	BEGIN
		EXECUTE format('SELECT $1::cjx.%I::text', typ) INTO out1 USING m;
		EXECUTE format('SELECT $1::cjx.%I::text', typ) INTO out2 USING out1;
		ok := true;
	EXCEPTION WHEN OTHERS THEN
		ok := false;
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		IF out1 IS NOT NULL THEN
			msg := 'accepted but its output does not read back: ' || msg;
		END IF;
	END $f$;});

my @types = ext_base_types($node, 'postgres');
note "base types: @types";
srand(74074);

my @junk = (
	'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-inf', '1e999', '-1e999',
	'1e-400', '4.9e-324', '1.7976931348623157e308', '-0', '0', '-1',
	'2147483647', '2147483648', '-2147483649', '9223372036854775807',
	'9223372036854775808', '-9223372036854775809',
	'99999999999999999999999999999999', '0x1F', '1_000', '.', '..', 'e', '+',
	'-', ',', ',,', '(', ')', '[', ']', '{', '}', ':', '=', ';', '"', "'",
	'\\', ' ', "\t", "\n", '', "\x{e9}", "\x{2603}", '*', '/', '%', 's', 'ms',
	'min', 'h', 'd', 'days', 'unit=', 'T', 'Z', '+00', 'BC', '0000-00-00',
	'9999999-12-31', '24:00:00', 'null', 'NULL', 'true', '1/0', '00000000001');

sub rnd { return int(rand($_[0])); }

# one random change of a string (characters; any valid UTF-8 comes out)
sub mutate_once
{
	my ($s, $other) = @_;
	my $len = length $s;
	my $k = rnd(12);
	my $pos = rnd($len + 1);
	if ($k == 0 && $len)
	{
		substr($s, rnd($len), 1) = chr(1 + rnd(126));
	}
	elsif ($k == 1 && $len)
	{
		substr($s, $pos, rnd(8) + 1) = '';
	}
	elsif ($k == 2)
	{
		my $n = rnd($len - $pos + 1);
		substr($s, $pos, 0) = substr($s, $pos, $n);
	}
	elsif ($k == 3)
	{
		$s = substr($s, 0, $pos);
	}
	elsif ($k == 4 || $k == 5)
	{
		substr($s, $pos, 0) = $junk[ rnd(scalar @junk) ];
	}
	elsif ($k == 6)
	{
		# replace a number by a junk token
		my @nums;
		while ($s =~ /[-+]?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?/gi)
		{
			push @nums, [ $-[0], $+[0] - $-[0] ];
		}
		if (@nums)
		{
			my $n = $nums[ rnd(scalar @nums) ];
			substr($s, $n->[0], $n->[1]) = $junk[ rnd(scalar @junk) ];
		}
	}
	elsif ($k == 7)
	{
		# splice with another seed
		my $o = $other;
		$s = substr($s, 0, $pos) . substr($o, rnd(length($o) + 1));
	}
	elsif ($k == 8)
	{
		# deep nesting
		my ($open, $close) = @{ (['(', ')'], ['[', ']'], ['{', '}'])[ rnd(3) ] };
		my $d = 1 + rnd(5000);
		substr($s, $pos, 0) = ($open x $d) . ($close x rnd($d + 1));
	}
	elsif ($k == 9)
	{
		# a long repetition of a list element
		if ($s =~ /,([^,()\[\]{}]{1,40})/)
		{
			my $el = $1;
			my $times = 1 + rnd(20000);
			$s =~ s/,\Q$el\E/"," . join(',', ($el) x $times)/e;
		}
	}
	elsif ($k == 10 && $len)
	{
		# change the case of a stretch
		my $n = rnd($len - $pos + 1);
		substr($s, $pos, $n) = rnd(2) ? uc(substr($s, $pos, $n)) : lc(substr($s, $pos, $n));
	}
	else
	{
		$s = ' ' x rnd(3) . $s . (' ', "\t", "\n", 'x', ',', ')')[ rnd(6) ];
	}
	return $s;
}

sub mutate
{
	my ($seeds) = @_;
	my $s = $seeds->[ rnd(scalar @$seeds) ];
	my $n = 1 + rnd(4);
	$s = mutate_once($s, $seeds->[ rnd(scalar @$seeds) ]) for 1 .. $n;
	return $s;
}

# COPY text-format escaping
sub copy_escape
{
	my ($s) = @_;
	$s =~ s/\\/\\\\/g;
	$s =~ s/\t/\\t/g;
	$s =~ s/\n/\\n/g;
	$s =~ s/\r/\\r/g;
	return $s;
}

# ---- text input
my $copy = '';
my $id = 0;
my %ntext;
foreach my $t (@types)
{
	my $seeds = read_seeds($t);
	ok(defined $seeds && @$seeds > 0, "$t has a seed file test/fuzz/seeds/$t.txt")
	  or next;
	my %seen;
	foreach my $m (@$seeds, map { mutate($seeds) } 1 .. $N_TEXT)
	{
		next if $seen{$m}++;
		$id++;
		$ntext{$t}++;
		$copy .= "$id\t$t\t" . copy_escape($m) . "\n";
	}
}
{
	my ($rc, $out, $err) = $node->psql('postgres',
		"COPY fz_in FROM STDIN;\n$copy\\.\n", on_error_stop => 1);
	is($rc, 0, "$id text mutants loaded") or diag $err;
}
my ($rc, $out, $err) = $node->psql('postgres',
	'INSERT INTO fz_out SELECT id, (fz_try(typ, m)).* FROM fz_in');
is($rc, 0, 'every text mutant went through its input function') or diag $err;
is($node->safe_psql('postgres', 'SELECT 1'), '1', 'server still up after the text mutants');

foreach my $t (@types)
{
	next unless $ntext{$t};
	my $stats = $node->safe_psql('postgres',
		"SELECT count(*) FILTER (WHERE o.ok) || ' accepted, ' "
		  . "|| count(*) FILTER (WHERE NOT o.ok) || ' rejected' "
		  . "FROM fz_in i JOIN fz_out o USING (id) WHERE i.typ = '$t'");
	note "$t: $ntext{$t} text mutants: $stats";
	is( $node->safe_psql(
			'postgres', qq{
		SELECT string_agg(format('%s: %s %s', pg_catalog.left(i.m, 200), o.state, o.msg), E'\\n')
		FROM (SELECT * FROM fz_in WHERE typ = '$t' ORDER BY id) i JOIN fz_out o USING (id)
		WHERE NOT o.ok AND NOT (o.state ~ '^(22|54)' AND strpos(o.msg, i.typ) > 0)}),
		'',
		"$t: every rejected literal fails with class 22/54 naming the type");
	is( $node->safe_psql(
			'postgres', qq{
		SELECT string_agg(format('%s -> %s -> %s', pg_catalog.left(i.m, 200), o.out1, o.out2), E'\\n')
		FROM (SELECT * FROM fz_in WHERE typ = '$t' ORDER BY id) i JOIN fz_out o USING (id)
		WHERE o.ok AND o.out1 IS DISTINCT FROM o.out2}),
		'',
		"$t: every accepted literal round-trips through its text form");
}

# ---- binary input (recv) through COPY ... (FORMAT binary)
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $header = "PGCOPY\n\377\r\n\0" . pack('NN', 0, 0);

# one binary COPY file holding (id, bytes) or a NULL value
sub copy_file
{
	my ($path, $rowid, $bytes) = @_;
	open my $fh, '>:raw', $path or die "cannot write $path: $!";
	print $fh $header . pack('n', 2) . pack('N', 4) . pack('N', $rowid)
	  . pack('N', length $bytes) . $bytes . pack('n', 0xffff);
	close $fh;
}

sub mutate_bytes
{
	my ($b, $other) = @_;
	my $n = 1 + rnd(3);
	for (1 .. $n)
	{
		my $len = length $b;
		my $k = rnd(10);
		my $pos = rnd($len + 1);
		if ($k == 0 && $len)
		{
			my $p = rnd($len);
			substr($b, $p, 1) = chr(ord(substr($b, $p, 1)) ^ (1 << rnd(8)));
		}
		elsif ($k == 1 && $len)
		{
			substr($b, rnd($len), 1) = chr(rnd(256));
		}
		elsif ($k == 2)
		{
			$b = substr($b, 0, $pos);
		}
		elsif ($k == 3)
		{
			$b .= join('', map { chr(rnd(256)) } 1 .. 1 + rnd(16));
		}
		elsif ($k == 4 && $len >= 4)
		{
			# a huge or negative 32-bit count somewhere
			my $p = rnd($len - 3);
			substr($b, $p, 4) =
			  pack('N', (0x7fffffff, 0xffffffff, 0x80000000, 0x00ffffff, 1000001)[ rnd(5) ]);
		}
		elsif ($k == 5 && $len >= 8)
		{
			# NaN, infinities, denormals, huge values in a double
			my $p = rnd($len - 7);
			substr($b, $p, 8) = pack('H16',
				('7ff8000000000000', '7ff0000000000000', 'fff0000000000000',
				 '0000000000000001', '7fefffffffffffff', '8000000000000000',
				 'ffffffffffffffff')[ rnd(7) ]);
		}
		elsif ($k == 6 && $len)
		{
			substr($b, 0, 1) = chr((0, 2, 255, 1)[ rnd(4) ]);
		}
		elsif ($k == 7)
		{
			$b = substr($b, 0, $pos) . substr($other, rnd(length($other) + 1));
		}
		elsif ($k == 8)
		{
			my $d = rnd($len - $pos + 1);
			substr($b, $pos, 0) = substr($b, $pos, $d);
		}
		else
		{
			$b = join('', map { chr(rnd(256)) } 1 .. rnd(80));
		}
	}
	return $b;
}

my $script = "\\set VERBOSITY verbose\n\\set ON_ERROR_STOP 0\n";
my %binof;
my $bid = 0;
foreach my $t (@types)
{
	my $seeds = read_seeds($t) or next;
	my $send = $node->safe_psql('postgres',
		"SET search_path = pg_catalog; SELECT typsend::oid::regproc FROM pg_type "
		  . "WHERE oid = 'cjx.$t'::regtype");
	my @wire;
	foreach my $lit (@$seeds)
	{
		my $hex = $node->safe_psql('postgres',
			"SELECT encode($send(" . sql_quote($lit) . "::cjx.$t), 'hex')");
		push @wire, pack('H*', $hex);
	}
	$node->safe_psql('postgres', "CREATE TABLE fzb_$t (id int, v cjx.$t)");
	for my $i (1 .. $N_BIN + @wire)
	{
		my $b = $i <= @wire ? $wire[ $i - 1 ]
		  : mutate_bytes($wire[ rnd(scalar @wire) ], $wire[ rnd(scalar @wire) ]);
		$bid++;
		$binof{$bid} = $t;
		copy_file("$tmp/b$bid", $bid, $b);
		$script .= "\\echo \@\@ $bid\n\\copy fzb_$t FROM '$tmp/b$bid' (FORMAT binary)\n";
	}
}
$script .= "\\echo \@\@ end\n";
my $bout = '';
IPC::Run::run(
	[ 'psql', '-X', '-q', '-d', $node->connstr('postgres') ],
	'<', \$script, '>&', \$bout);
like($bout, qr/^\@\@ end$/m, "$bid binary mutants went through recv");

my (%bad, %tolerated, %rejected);
foreach my $seg (split /^\@\@ /m, $bout)
{
	next unless $seg =~ /^(\d+)\n(.*)/s;
	my ($i, $rest) = ($1, $2);
	next if $rest !~ /\S/;
	my $t = $binof{$i};
	$rejected{$t}++;
	if ($rest =~ /ERROR:\s+([0-9A-Z]{5}): ([^\n]*)/)
	{
		my ($state, $msg) = ($1, $2);
		next if $state =~ /^(22|54)/;
		if ($state eq '08P01' && $msg =~ /(insufficient|no) data left in message/)
		{
			$tolerated{$t}++;
			next;
		}
		push @{ $bad{$t} }, "b$i: $state $msg";
	}
	else
	{
		push @{ $bad{$t} }, "b$i: $rest";
	}
}

foreach my $t (@types)
{
	next unless read_seeds($t);
	my $send = $node->safe_psql('postgres',
		"SET search_path = pg_catalog; SELECT typsend::oid::regproc FROM pg_type "
		  . "WHERE oid = 'cjx.$t'::regtype");
	my $accepted = $node->safe_psql('postgres', "SELECT count(*) FROM fzb_$t");
	note "$t: " . ($N_BIN + 0) . " binary mutants + seeds: $accepted accepted, "
	  . ($rejected{$t} // 0) . ' rejected, '
	  . ($tolerated{$t} // 0) . ' of them with 08P01 (truncated message)';
	is(join("\n", @{ $bad{$t} // [] }), '',
		"$t: every rejected binary form fails with class 22/54");
	is( $node->safe_psql(
			'postgres', qq{
		SELECT string_agg(format('b%s: %s %s', b.id, t.state, t.msg), E'\\n')
		FROM fzb_$t b, LATERAL fz_try('$t', b.v::text) t
		WHERE NOT t.ok OR t.out1 IS DISTINCT FROM b.v::text}),
		'',
		"$t: every accepted binary form passes the text input again");
	is( $node->safe_psql(
			'postgres', qq{
		SELECT string_agg(format('b%s: %s: %s <> %s', id, v,
		         encode($send(v), 'hex'), encode($send(v::text::cjx.$t), 'hex')),
		         E'\n')
		FROM (SELECT * FROM fzb_$t ORDER BY id LIMIT 10000) b
		WHERE $send(v) IS DISTINCT FROM $send(v::text::cjx.$t)}),
		'',
		"$t: every accepted binary form re-encodes identically");
}

is($node->safe_psql('postgres', 'SELECT 1'), '1', 'server still up');
ok(!server_crashed($node), 'no backend crashed');
$node->stop;
done_testing();
