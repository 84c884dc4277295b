#-------------------------------------------------------------------------
#
# 073_trusted_install.pl
#	  A role with nothing but CREATE on the database installs the extension
#	  into a schema it owns and has filled with look-alike functions and
#	  operators; every custjourney object must still resolve to its own.
#
# 1. The install scripts contain no CREATE OR REPLACE (base scripts), IF
#    NOT EXISTS, SECURITY DEFINER or quoted @extschema@, and @extowner@
#    only as the grantee of a GRANT.
# 2. A superuser installs into schema "hostile" of a clean database: the
#    reference.
# 3. The role plants, in its own schema "hostile", functions and operators
#    that would capture a sloppily written call: better-matching overloads
#    of =, <, +, ||, exp, ln, power, round, now, ... for every pair of
#    common types, and same-named overloads of every custjourney function
#    with other argument types.  Each raises an error when called.  Then it
#    installs the extension there (trusted).
# 4. The catalog of the extension is identical to the reference; no member
#    depends on an object outside the extension and pg_catalog; SQL
#    functions have parsed (BEGIN ATOMIC / RETURN) bodies; nothing is
#    SECURITY DEFINER.
# 5. With "hostile" first in search_path, every seed literal reads back,
#    and every non-volatile function called with sample arguments returns
#    exactly what the reference returns (or fails the same way).
# 6. The installing role can use the queue kit (enqueue, claim, complete
#    under its claim) and grant it to another role, which then can too;
#    before that grant the other role is refused.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use FindBin;
use lib $FindBin::RealBin;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use CjHarden qw(ext_base_types read_seeds sql_quote catalog_sql
  server_crashed);

my $node = PostgreSQL::Test::Cluster->new('trusted');
$node->init;
$node->start;

# ---- 1. the scripts
my $extdir = $node->config_data('--sharedir') . '/extension';
my @scripts = glob("$extdir/custjourney--*.sql");
ok(@scripts > 0, 'install scripts found');
foreach my $file (@scripts)
{
	my $name = $file;
	$name =~ s{.*/}{};
	my $text = slurp_file($file);
	$text =~ s{/\*.*?\*/}{}gs;	# comments may say anything
	$text =~ s{--[^\n]*}{}g;
	my @bad;
	push @bad, 'OR REPLACE'
	  if $text =~ /\bOR\s+REPLACE\b/i && $name !~ /--.*--/;
	push @bad, 'IF NOT EXISTS' if $text =~ /\bIF\s+NOT\s+EXISTS\b/i;
	push @bad, 'SECURITY DEFINER' if $text =~ /\bSECURITY\s+DEFINER\b/i;
	# @extowner@ only as the grantee of a GRANT (never an owner: an object
	# the installer owned could be altered under the other users' feet)
	(my $rest = $text) =~ s/\bGRANT\s[^;]*?\sTO\s+\@extowner\@(\s+WITH\s+GRANT\s+OPTION)?\s*;//gi;
	push @bad, '@extowner@ outside GRANT ... TO @extowner@' if $rest =~ /\@extowner\@/;
	push @bad, 'quoted @extschema@'
	  if $text =~ /'[^']*\@extschema\@[^']*'/ || $text =~ /\$\$[^\$]*\@extschema\@/;
	is("@bad", '', "$name: no unsafe construct");
}

my $control = slurp_file("$extdir/custjourney.control");
my $trusted = $control =~ /^\s*trusted\s*=\s*(true|on|yes|1)\b/mi;
note 'custjourney.control ' . ($trusted ? 'is' : 'is not') . ' trusted';

# ---- 2. the reference install
$node->safe_psql('postgres', 'CREATE DATABASE ref');
$node->safe_psql('ref',
	'CREATE SCHEMA hostile; CREATE EXTENSION custjourney SCHEMA hostile');
my $ref_catalog = $node->safe_psql('ref', catalog_sql());
my @types = ext_base_types($node, 'ref');

# name and argument types of every function of the extension
my @ext_funcs = map { [ split /\|/ ] } split /\n/, $node->safe_psql(
	'ref', q{
	SET search_path = pg_catalog;
	SELECT p.proname, pg_catalog.array_to_string(
	         ARRAY(SELECT format_type(a, NULL) FROM unnest(p.proargtypes) a), ',')
	FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	JOIN pg_proc p ON p.oid = d.objid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.classid = 'pg_proc'::regclass AND e.extname = 'custjourney'
	ORDER BY 1, 2});

# ---- 3. the planted look-alikes
my @T = qw(smallint integer bigint real double_precision numeric text
  interval timestamptz date boolean);
s/_/ /g foreach @T;

# a planted function: raises as soon as anything calls it
sub planted
{
	my ($name, $args, $ret) = @_;
	my $sig = join(', ', @$args);
	return "CREATE FUNCTION hostile.$name($sig) RETURNS $ret LANGUAGE plpgsql "
	  . "AS \$p\$BEGIN RAISE EXCEPTION 'planted hostile.$name($sig) was called'; END\$p\$;\n";
}

my $plant = '';
my %ops = (
	bool => [qw(= <> < > <= >= ~~)],
	val => [qw(+ - * / % ^)],
	text => ['||']);
my %ret = (bool => 'boolean', val => 'double precision', text => 'text');
foreach my $l (@T)
{
	foreach my $r (@T)
	{
		foreach my $kind (sort keys %ops)
		{
			my $fn = "planted_$kind";
			$plant .= planted($fn, [ $l, $r ], $ret{$kind});
			foreach my $op (@{ $ops{$kind} })
			{
				$plant .= "CREATE OPERATOR hostile.$op (LEFTARG = $l, "
				  . "RIGHTARG = $r, FUNCTION = hostile.$fn);\n";
			}
		}
	}
	$plant .= planted('planted_neg', [$l], 'double precision');
	$plant .= "CREATE OPERATOR hostile.- (RIGHTARG = $l, FUNCTION = hostile.planted_neg);\n";
	$plant .= "CREATE OPERATOR hostile.+ (RIGHTARG = $l, FUNCTION = hostile.planted_neg);\n";
}
my @unary = qw(exp ln log log10 sqrt cbrt abs floor ceil ceiling round trunc
  sign lower upper length now float8 int4 int8 numeric to_timestamp
  cardinality isfinite random gamma lgamma erf);
my @binary = qw(log power pow round trunc mod div date_trunc date_part
  to_char concat format greatest least width_bucket make_interval atan2);
foreach my $fn (@unary)
{
	$plant .= planted($fn, [$_], 'double precision') foreach @T;
}
foreach my $fn (@binary)
{
	foreach my $l (@T)
	{
		$plant .= planted($fn, [ $l, $_ ], 'double precision') foreach @T;
	}
}
# same-named overloads of every extension function, other argument types
my %real = map { ("$_->[0]($_->[1])" => 1) } @ext_funcs;
my %done;
foreach my $f (@ext_funcs)
{
	my ($name, $argstr) = @$f;
	my $n = $argstr eq '' ? 0 : scalar(split /,/, $argstr);
	next if $n > 4;
	foreach my $t ('text', 'numeric', 'integer', 'double precision', 'bigint')
	{
		my @args = ($t) x $n;
		my $key = "$name(" . join(',', @args) . ')';
		next if $real{$key} || $done{$key}++;
		$plant .= planted($name, \@args, 'double precision');
	}
}

$node->safe_psql('postgres', 'CREATE DATABASE victim');
$node->safe_psql('victim', q{
	CREATE ROLE installer LOGIN;
	GRANT CREATE ON DATABASE victim TO installer;
	REVOKE CREATE ON SCHEMA public FROM PUBLIC;});

my ($rc, $out, $err) = $node->psql(
	'victim', "CREATE SCHEMA hostile;\n$plant",
	on_error_stop => 1,
	extra_params => [ '-U', 'installer' ]);
is($rc, 0, 'installer planted its look-alikes') or diag $err;
note 'planted ' . scalar(() = $plant =~ /^CREATE/mg) . ' objects';

SKIP:
{
	skip 'custjourney.control is not marked trusted', 1 unless $trusted;

	# ---- 4. install as the unprivileged role
	($rc, $out, $err) = $node->psql(
		'victim', 'CREATE EXTENSION custjourney SCHEMA hostile',
		extra_params => [ '-U', 'installer' ]);
	is($rc, 0, 'a role with only CREATE on the database installs the extension')
	  or diag $err;
}
unless ($trusted)
{
	# still check resolution: install as superuser into the planted schema
	$node->safe_psql('victim', 'CREATE EXTENSION custjourney SCHEMA hostile');
}

my $victim_catalog = $node->safe_psql('victim', catalog_sql());
# the queue's privileges name the extension owner (checked below), the
# rest must be identical
my %queue_acl;
my $mask = sub {
	my ($cat, $who) = @_;
	$cat =~ s{^(relation \S+\.(cj_ticket(?:_id_seq)?|cj_queue) .* acl=)(\S+)$}
			 {$queue_acl{$who}{$2} = $3; "$1(masked)"}gme;
	return $cat;
};
is($mask->($victim_catalog, 'victim'), $mask->($ref_catalog, 'ref'),
	'catalog identical to a clean superuser install');
my $su = $node->safe_psql('victim',
	'SELECT quote_ident(rolname) FROM pg_roles WHERE oid = 10');
# PostgreSQL 17 adds MAINTAIN (m) to an owner's privileges: compare without it
sub no_maintain
{
	my ($acl) = @_;
	$acl =~ s{=([^/]*)/}{ (my $p = $1) =~ s/m\*?//g; "=$p/" }ge;
	return $acl;
}
is(no_maintain($queue_acl{ref}{cj_ticket} . ' ' . $queue_acl{ref}{cj_ticket_id_seq}),
   "{$su=a*r*w*d*D*xt/$su} {$su=r*w*U*/$su}",
   'superuser install: the owner holds the queue with grant option');
is(no_maintain($queue_acl{ref}{cj_queue}), "{$su=a*r*w*d*D*xt/$su,=r/$su}",
   'superuser install: the queue registry is readable by every role');
is(no_maintain($queue_acl{victim}{cj_queue}),
   $trusted
   ? "{$su=arwdDxt/$su,=r/$su,installer=a*r*w*d*D*/$su}"
   : "{$su=a*r*w*d*D*xt/$su,=r/$su}",
   'trusted install: the installer holds the queue registry with grant option, every role reads it');
is(no_maintain($queue_acl{victim}{cj_ticket} . ' ' . $queue_acl{victim}{cj_ticket_id_seq}),
   $trusted
   ? "{$su=arwdDxt/$su,installer=a*r*w*d*D*/$su} {$su=rwU/$su,installer=r*w*U*/$su}"
   : "{$su=a*r*w*d*D*xt/$su} {$su=r*w*U*/$su}",
   'trusted install: the installer holds the queue with grant option, '
	 . 'without TRIGGER and REFERENCES');

is( $node->safe_psql(
		'victim', q{
	SET search_path = pg_catalog;
	WITH mem AS (
	  SELECT d.classid, d.objid FROM pg_depend d
	  JOIN pg_extension e ON e.oid = d.refobjid
	  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	    AND e.extname = 'custjourney'),
	-- members and the parts of member tables (defaults, constraints, views)
	src AS (
	  SELECT classid, objid FROM mem
	  UNION SELECT 'pg_attrdef'::regclass, ad.oid FROM pg_attrdef ad
	    JOIN mem ON mem.objid = ad.adrelid AND mem.classid = 'pg_class'::regclass
	  UNION SELECT 'pg_constraint'::regclass, co.oid FROM pg_constraint co
	    JOIN mem ON mem.objid = co.conrelid AND mem.classid = 'pg_class'::regclass
	  UNION SELECT 'pg_rewrite'::regclass, rw.oid FROM pg_rewrite rw
	    JOIN mem ON mem.objid = rw.ev_class AND mem.classid = 'pg_class'::regclass
	  UNION SELECT 'pg_class'::regclass, i.indexrelid FROM pg_index i
	    JOIN mem ON mem.objid = i.indrelid AND mem.classid = 'pg_class'::regclass)
	SELECT pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> '
	       || pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
	FROM pg_depend d JOIN src ON src.classid = d.classid AND src.objid = d.objid
	WHERE d.deptype = 'n'
	  AND d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass,
	                       'pg_type'::regclass, 'pg_class'::regclass,
	                       'pg_collation'::regclass)
	  AND NOT EXISTS (SELECT 1 FROM mem WHERE mem.classid = d.refclassid
	                  AND mem.objid = d.refobjid)
	  AND (pg_identify_object(d.refclassid, d.refobjid, 0)).schema
	      IS DISTINCT FROM 'pg_catalog'
	  AND NOT (d.refclassid = 'pg_type'::regclass AND EXISTS (
	      SELECT 1 FROM pg_type t JOIN mem ON mem.objid IN (t.typelem, t.typrelid)
	      WHERE t.oid = d.refobjid))
	ORDER BY 1}),
	'',
	'members depend only on the extension and pg_catalog');

is( $node->safe_psql(
		'victim', q{
	SET search_path = pg_catalog;
	SELECT string_agg(p.oid::regprocedure::text || CASE
	         WHEN p.prosecdef THEN ' is SECURITY DEFINER'
	         WHEN l.lanname = 'sql' AND p.prosqlbody IS NULL
	           THEN ' has a string body (use BEGIN ATOMIC or RETURN)'
	         ELSE ' is ' || l.lanname || ' without a pinned search_path' END,
	       E'\n' ORDER BY 1)
	FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	JOIN pg_proc p ON p.oid = d.objid JOIN pg_language l ON l.oid = p.prolang
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.classid = 'pg_proc'::regclass AND e.extname = 'custjourney'
	  AND (p.prosecdef
	       OR (l.lanname = 'sql' AND p.prosqlbody IS NULL)
	       OR (l.lanname NOT IN ('sql', 'c', 'internal')
	           AND NOT coalesce(p.proconfig::text LIKE '%search_path=%', false)))}),
	'',
	'no SECURITY DEFINER, no string-bodied SQL, no unpinned procedural code');

# ---- 5. behaviour with the planted schema first in search_path
my $harness = q{
CREATE FUNCTION pg_temp.cj_try(q text) RETURNS text LANGUAGE plpgsql AS $h$
DECLARE
	r text;
BEGIN
	EXECUTE 'SELECT pg_catalog.string_agg(x::text, '';'') FROM (' || q || ') s(x)'
	  INTO r;
	RETURN 'ok ' || COALESCE(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
	RETURN 'error ' || SQLSTATE || ' ' || SQLERRM;
END $h$;
SET search_path = hostile, public;
};

my @calls;
foreach my $t (@types)
{
	my $seeds = read_seeds($t) or next;
	push @calls, "SELECT (" . sql_quote($_) . "::hostile.$t)::text" foreach @$seeds;
}

# sample arguments: the first seed of each custjourney type, plain values
# of common types; functions taking anything else are skipped
my %sample = (
	'double precision' => "'2.5'::float8",
	'integer' => "'3'::int4",
	'bigint' => "'3'::int8",
	'smallint' => "'3'::int2",
	'numeric' => "'2.5'::numeric",
	'real' => "'2.5'::float4",
	'text' => "'x'::text",
	'boolean' => 'true',
	'interval' => "'7 days'::interval",
	'timestamp with time zone' => "'2001-02-03 04:05:06+00'::timestamptz",
	'date' => "'2001-02-03'::date");
foreach my $t (@types)
{
	my $seeds = read_seeds($t) or next;
	$sample{$t} = sql_quote($seeds->[0]) . "::hostile.$t";
	$sample{"hostile.$t"} = $sample{$t};
}
my @callable = split /\n/, $node->safe_psql(
	'ref', q{
	SET search_path = pg_catalog;
	SELECT p.proname || '|' || p.prokind::text || '|' || p.provolatile::text || '|'
	       || pg_catalog.array_to_string(
	         ARRAY(SELECT format_type(a, NULL) FROM unnest(p.proargtypes) a), ',')
	FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	JOIN pg_proc p ON p.oid = d.objid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.classid = 'pg_proc'::regclass AND e.extname = 'custjourney'
	  AND p.provolatile <> 'v' AND p.prokind IN ('f', 'a')
	  AND p.prorettype <> 'pg_catalog.cstring'::regtype
	  AND p.prorettype <> 'pg_catalog.internal'::regtype
	ORDER BY 1});
my $ncall = 0;
my %stable;
foreach my $c (@callable)
{
	my ($name, $kind, $vol, $argstr) = split /\|/, $c, -1;
	my @args = $argstr eq '' ? () : split /,/, $argstr;
	next if grep { !exists $sample{$_} } @args;
	my $argl = join(', ', map { $sample{$_} } @args);
	if ($kind eq 'a')
	{
		push @calls, "SELECT hostile.$name($argl) FROM pg_catalog.generate_series(1, 3)";
	}
	else
	{
		push @calls, "SELECT hostile.$name($argl)";
	}
	# a STABLE function may read the clock: compare how it ended only
	$stable{ $calls[-1] } = 1 if $vol eq 's';
	$ncall++;
}
note scalar(@calls) . " probes ($ncall function calls)";

sub run_probes
{
	my ($db, @user) = @_;
	my $sql = $harness;
	$sql .= 'SELECT pg_temp.cj_try(' . sql_quote($_) . ");\n" foreach @calls;
	my ($rc, $out, $err) = $node->psql($db, $sql, extra_params => \@user);
	return ($rc, $out, $err);
}
my ($rc_ref, $ref_out, $ref_err) = run_probes('ref');
is($rc_ref, 0, 'probes run on the reference') or diag $ref_err;
my ($rc_vic, $vic_out, $vic_err) =
  run_probes('victim', $trusted ? ('-U', 'installer') : ());
is($rc_vic, 0, 'probes run as the installing role') or diag $vic_err;
unlike($vic_out, qr/planted/, 'no planted object was ever called');
my @r = split /\n/, $ref_out;
my @v = split /\n/, $vic_out;
PostgreSQL::Test::Utils::append_to_file(
	"$PostgreSQL::Test::Utils::log_path/073_probes.txt",
	join('', map { "$calls[$_]\n  => " . ($r[$_] // '-') . "\n" } 0 .. $#calls));
my @diff;
for my $i (0 .. $#calls)
{
	my ($ri, $vi) = ($r[$i] // '', $v[$i] // '');
	if ($stable{ $calls[$i] })
	{
		s/^(ok|error \S+).*/$1/s for $ri, $vi;
	}
	push @diff, "$calls[$i]\n  reference: " . ($r[$i] // '-') . "\n  installed: " . ($v[$i] // '-')
	  if $ri ne $vi;
}
is(scalar(@diff), 0, 'every probe gives the reference result')
  or diag join("\n", @diff[ 0 .. ($#diff < 20 ? $#diff : 20) ]);
ok((grep { /^ok / } @r) > 0, "some probes succeed")
  or diag join("\n", @r[ 0 .. 10 ]);

ok(!server_crashed($node), 'no backend crashed');

# ---- 6. the installer uses the queue and grants it on
SKIP:
{
	skip 'custjourney.control is not marked trusted', 8 unless $trusted;
	$node->safe_psql('victim', 'CREATE ROLE agent LOGIN');
	my $as = sub {
		my ($role, $sql) = @_;
		my ($r, $o, $e) = $node->psql('victim', "SET search_path = pg_catalog;\n$sql",
			extra_params => [ '-U', $role, '-XAtq' ]);
		return ($r, $o, $e);
	};
	# calls with exact argument types, so no planted overload can match
	my ($r, $o, $e) = $as->('installer', q{
		SELECT hostile.cj_enqueue('c1'::text, 'gold'::text, 'gold:2min'::hostile.cj_sla);
		SELECT c.id, c.claims FROM hostile.cj_claim('ann'::text) c;});
	is($r, 0, 'the installer enqueues and claims') or diag $e;
	like($o, qr/^(\d+)\n\1\|1$/, 'its claim returns the ticket and claim number 1');
	my ($id) = $o =~ /^(\d+)/;
	$id //= 0;
	($r, $o, $e) = $as->('installer',
		"SELECT hostile.cj_complete(${id}::bigint, 'ann'::text, 1::integer)");
	is("$r $o", '0 t', 'the installer completes under its claim') or diag $e;
	($r, $o, $e) = $as->('agent',
		"SELECT hostile.cj_enqueue('c2'::text, 'gold'::text, 'gold:2min'::hostile.cj_sla)");
	like($e, qr/permission denied/, 'another role is refused before the grant');
	($r, $o, $e) = $as->('installer', q{
		GRANT USAGE ON SCHEMA hostile TO agent;
		GRANT SELECT, INSERT, UPDATE ON TABLE hostile.cj_ticket TO agent;
		GRANT USAGE ON SEQUENCE hostile.cj_ticket_id_seq TO agent;});
	is($r, 0, 'the installer grants the queue to another role') or diag $e;
	($r, $o, $e) = $as->('agent', q{
		SELECT hostile.cj_enqueue('c2'::text, 'gold'::text, 'gold:2min'::hostile.cj_sla);
		SELECT c.id, c.claims FROM hostile.cj_claim('bob'::text) c;});
	is($r, 0, 'the other role enqueues and claims') or diag $e;
	($id) = $o =~ /^\d+\n(\d+)\|1$/;
	$id //= 0;
	($r, $o, $e) = $as->('agent',
		"SELECT hostile.cj_complete(${id}::bigint, 'bob'::text, 1::integer)");
	is("$r $o", '0 t', 'the other role completes under its claim') or diag $e;
	is($node->safe_psql('victim', q{
		SELECT string_agg(customer || ':' || state || ':' || agent, ',' ORDER BY id)
		FROM hostile.cj_ticket}), 'c1:completed:ann,c2:completed:bob',
	   'the queue holds both completed tickets');
}
$node->stop;
done_testing();
