#-------------------------------------------------------------------------
#
# CjHarden.pm
#	  Helpers shared by the hardening TAP tests (test/t/07x_*.pl): the
#	  extension's members found from the catalog, the seed corpus, a
#	  description of the installed catalog, and crash detection.
#
# Everything is discovered from the catalog, so the tests cover every type
# and function present and future without being edited.
#
#-------------------------------------------------------------------------
package CjHarden;

use strict;
use warnings;

use Exporter 'import';
our @EXPORT_OK = qw(ext_base_types read_seeds seed_dir catalog_sql
  server_crashed sql_quote);

# Directory of the seed corpus: test/fuzz/seeds/<typname>.txt
sub seed_dir
{
	return 'test/fuzz/seeds';
}

# Base types (typtype 'b') that are members of the extension, by name
# (not their array types)
sub ext_base_types
{
	my ($node, $db) = @_;
	my $out = $node->safe_psql(
		$db, q{
		SELECT t.typname
		FROM pg_catalog.pg_depend d
		JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
		JOIN pg_catalog.pg_type t ON t.oid = d.objid
		WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
		  AND d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
		  AND d.deptype = 'e' AND e.extname = 'custjourney'
		  AND t.typtype::text = 'b'
		  -- from PG 17 on, array types are recorded as members too
		  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e
		                  WHERE e.typarray = t.oid)
		ORDER BY 1});
	return grep { $_ ne '' } split /\n/, $out;
}

# The valid literals of a type's seed file, or undef when there is none.
# One literal per line; blank lines and lines starting with '#' are skipped.
sub read_seeds
{
	my ($typname) = @_;
	my $file = seed_dir() . "/$typname.txt";
	return undef unless -f $file;
	open my $fh, '<', $file or die "cannot read $file: $!";
	my @seeds;
	while (my $line = <$fh>)
	{
		chomp $line;
		next if $line =~ /^\s*$/ || $line =~ /^#/;
		push @seeds, $line;
	}
	close $fh;
	return \@seeds;
}

# A string as an SQL literal (standard_conforming_strings on)
sub sql_quote
{
	my ($s) = @_;
	$s =~ s/'/''/g;
	return "'$s'";
}

# True when the server log shows a backend that crashed or was killed
# (PG 18 names it "client backend" where older majors say "server process";
# a parallel worker leaving by ERROR exits with code 1 and is no crash)
sub server_crashed
{
	my ($node) = @_;
	my $log = PostgreSQL::Test::Utils::slurp_file($node->logfile);
	return $log =~
	  /terminated by signal|(?:server process|client backend) \(PID \d+\) (was terminated|exited with exit code [1-9])|Sanitizer|runtime error:/;
}

#
# One line per fact about every member of the extension: identity,
# signatures, volatility, strictness, parallel safety, bodies, type I/O
# functions, aggregate support functions, operators, casts, operator
# classes, tables with their columns, defaults, constraints and indexes,
# comments and privileges.  Owners are left out (a trusted install belongs
# to the installing role).  Run with search_path = pg_catalog so that every
# extension object prints schema-qualified.
#
sub catalog_sql
{
	return <<'EOSQL';
SET search_path = pg_catalog;
WITH ext AS (
  SELECT oid, extnamespace FROM pg_extension WHERE extname = 'custjourney'),
mem AS (
  SELECT d.classid, d.objid, d.objsubid
  FROM pg_depend d JOIN ext ON d.refobjid = ext.oid
  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'),
mproc AS (
  SELECT p.* FROM pg_proc p JOIN mem ON mem.classid = 'pg_proc'::regclass
  AND mem.objid = p.oid),
mrel AS (
  SELECT c.* FROM pg_class c JOIN mem ON mem.classid = 'pg_class'::regclass
  AND mem.objid = c.oid)
SELECT line FROM (
  SELECT 'extension relocatable=' || e.extrelocatable
         || ' schema=' || e.extnamespace::regnamespace::text
         || ' config=' || coalesce(e.extconfig::regclass[]::text, '-')
         || ' condition=' || coalesce(e.extcondition::text, '-') AS line
  FROM pg_extension e WHERE e.extname = 'custjourney'
UNION ALL
  SELECT 'member ' || pg_describe_object(classid, objid, objsubid) FROM mem
UNION ALL
  SELECT 'function ' || p.oid::regprocedure::text || E'\n'
         || pg_get_functiondef(p.oid)
         || E'\n  acl=' || coalesce(p.proacl::text, '-')
  FROM mproc p WHERE p.prokind <> 'a'
UNION ALL
  SELECT 'aggregate ' || p.oid::regprocedure::text
         || ' returns=' || p.prorettype::regtype::text
         || ' kind=' || a.aggkind::text || ' direct=' || a.aggnumdirectargs
         || ' sfunc=' || a.aggtransfn::oid::regprocedure::text
         || ' stype=' || a.aggtranstype::regtype::text
         || ' sspace=' || a.aggtransspace
         || ' final=' || a.aggfinalfn::oid::regprocedure::text
         || ' finalextra=' || a.aggfinalextra
         || ' finalmodify=' || a.aggfinalmodify::text
         || ' combine=' || a.aggcombinefn::oid::regprocedure::text
         || ' serial=' || a.aggserialfn::oid::regprocedure::text
         || ' deserial=' || a.aggdeserialfn::oid::regprocedure::text
         || ' msfunc=' || a.aggmtransfn::oid::regprocedure::text
         || ' minvfunc=' || a.aggminvtransfn::oid::regprocedure::text
         || ' mfinal=' || a.aggmfinalfn::oid::regprocedure::text
         || ' mstype=' || a.aggmtranstype::regtype::text
         || ' sortop=' || a.aggsortop::regoperator::text
         || ' initcond=' || coalesce(a.agginitval, '-')
         || ' minitcond=' || coalesce(a.aggminitval, '-')
         || ' parallel=' || p.proparallel::text || ' strict=' || p.proisstrict
         || ' volatile=' || p.provolatile::text
         || ' acl=' || coalesce(p.proacl::text, '-')
  FROM mproc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
UNION ALL
  SELECT 'type ' || t.oid::regtype::text
         || ' type=' || t.typtype::text || ' len=' || t.typlen
         || ' byval=' || t.typbyval || ' category=' || t.typcategory::text
         || ' preferred=' || t.typispreferred || ' delim=' || t.typdelim::text
         || ' in=' || t.typinput::oid::regprocedure::text
         || ' out=' || t.typoutput::oid::regprocedure::text
         || ' recv=' || t.typreceive::oid::regprocedure::text
         || ' send=' || t.typsend::oid::regprocedure::text
         || ' modin=' || t.typmodin::oid::regprocedure::text
         || ' modout=' || t.typmodout::oid::regprocedure::text
         || ' analyze=' || t.typanalyze::oid::regprocedure::text
         || ' subscript=' || t.typsubscript::oid::regprocedure::text
         || ' align=' || t.typalign::text || ' storage=' || t.typstorage::text
         || ' notnull=' || t.typnotnull
         || ' base=' || t.typbasetype::regtype::text
         || ' elem=' || t.typelem::regtype::text
         || ' array=' || t.typarray::regtype::text
         || ' collation=' || t.typcollation
         || ' default=' || coalesce(t.typdefault, '-')
         || ' acl=' || coalesce(t.typacl::text, '-')
  FROM pg_type t JOIN mem ON mem.classid = 'pg_type'::regclass
  AND mem.objid = t.oid
UNION ALL
  SELECT 'enum ' || t.oid::regtype::text || ' ' || en.enumsortorder || ' '
         || en.enumlabel
  FROM pg_type t JOIN mem ON mem.classid = 'pg_type'::regclass
  AND mem.objid = t.oid JOIN pg_enum en ON en.enumtypid = t.oid
UNION ALL
  SELECT 'attribute ' || t.oid::regtype::text || '.' || a.attname || ' #'
         || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)
  FROM pg_type t JOIN mem ON mem.classid = 'pg_type'::regclass
  AND mem.objid = t.oid JOIN pg_attribute a ON a.attrelid = t.typrelid
  WHERE t.typrelid <> 0 AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
  SELECT 'domain constraint ' || t.oid::regtype::text || ' ' || co.conname
         || ' ' || pg_get_constraintdef(co.oid)
  FROM pg_type t JOIN mem ON mem.classid = 'pg_type'::regclass
  AND mem.objid = t.oid JOIN pg_constraint co ON co.contypid = t.oid
UNION ALL
  SELECT 'operator ' || o.oid::regoperator::text
         || ' kind=' || o.oprkind::text || ' result=' || o.oprresult::regtype::text
         || ' code=' || o.oprcode::oid::regprocedure::text
         || ' commutator=' || o.oprcom::regoperator::text
         || ' negator=' || o.oprnegate::regoperator::text
         || ' restrict=' || o.oprrest::oid::regprocedure::text
         || ' join=' || o.oprjoin::oid::regprocedure::text
         || ' merges=' || o.oprcanmerge || ' hashes=' || o.oprcanhash
  FROM pg_operator o JOIN mem ON mem.classid = 'pg_operator'::regclass
  AND mem.objid = o.oid
UNION ALL
  SELECT 'cast ' || c.castsource::regtype::text || ' -> '
         || c.casttarget::regtype::text
         || ' func=' || c.castfunc::regprocedure::text
         || ' context=' || c.castcontext::text || ' method=' || c.castmethod::text
  FROM pg_cast c JOIN mem ON mem.classid = 'pg_cast'::regclass
  AND mem.objid = c.oid
UNION ALL
  SELECT 'opclass ' || pg_describe_object('pg_opclass'::regclass, oc.oid, 0)
         || ' type=' || oc.opcintype::regtype::text
         || ' default=' || oc.opcdefault
         || ' key=' || oc.opckeytype::regtype::text
         || ' family=' || pg_describe_object('pg_opfamily'::regclass, oc.opcfamily, 0)
  FROM pg_opclass oc JOIN mem ON mem.classid = 'pg_opclass'::regclass
  AND mem.objid = oc.oid
UNION ALL
  SELECT 'opfamily member ' || pg_describe_object('pg_amop'::regclass, ao.oid, 0)
         || ' purpose=' || ao.amoppurpose::text
  FROM pg_amop ao JOIN mem ON mem.classid = 'pg_opfamily'::regclass
  AND mem.objid = ao.amopfamily
UNION ALL
  SELECT 'opfamily member ' || pg_describe_object('pg_amproc'::regclass, ap.oid, 0)
  FROM pg_amproc ap JOIN mem ON mem.classid = 'pg_opfamily'::regclass
  AND mem.objid = ap.amprocfamily
UNION ALL
  SELECT 'relation ' || c.oid::regclass::text || ' kind=' || c.relkind::text
         || ' persistence=' || c.relpersistence::text
         || ' rls=' || c.relrowsecurity
         || ' options=' || coalesce(c.reloptions::text, '-')
         || ' acl=' || coalesce(c.relacl::text, '-')
  FROM mrel c
UNION ALL
  SELECT 'column ' || c.oid::regclass::text || '.' || a.attname
         || ' #' || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)
         || ' notnull=' || a.attnotnull || ' identity=' || a.attidentity::text
         || ' generated=' || a.attgenerated::text
         || ' default=' || coalesce(pg_get_expr(ad.adbin, ad.adrelid), '-')
         || ' acl=' || coalesce(a.attacl::text, '-')
  FROM mrel c JOIN pg_attribute a ON a.attrelid = c.oid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
UNION ALL
  SELECT 'constraint ' || c.oid::regclass::text || ' ' || co.conname || ' '
         || pg_get_constraintdef(co.oid)
  FROM mrel c JOIN pg_constraint co ON co.conrelid = c.oid
UNION ALL
  SELECT 'index ' || pg_get_indexdef(i.indexrelid)
  FROM mrel c JOIN pg_index i ON i.indrelid = c.oid
UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(tg.oid)
  FROM mrel c JOIN pg_trigger tg ON tg.tgrelid = c.oid
  WHERE NOT tg.tgisinternal
UNION ALL
  SELECT 'policy ' || c.oid::regclass::text || ' ' || po.polname || ' '
         || po.polcmd::text || ' ' || coalesce(pg_get_expr(po.polqual, c.oid), '-')
         || ' ' || coalesce(pg_get_expr(po.polwithcheck, c.oid), '-')
  FROM mrel c JOIN pg_policy po ON po.polrelid = c.oid
UNION ALL
  SELECT 'view ' || c.oid::regclass::text || ' ' || pg_get_viewdef(c.oid)
  FROM mrel c WHERE c.relkind::text IN ('v', 'm')
UNION ALL
  SELECT 'sequence ' || c.oid::regclass::text || ' ' || s.seqtypid::regtype::text
         || ' ' || s.seqstart || ' ' || s.seqincrement || ' ' || s.seqmax
         || ' ' || s.seqmin || ' ' || s.seqcache || ' ' || s.seqcycle
  FROM mrel c JOIN pg_sequence s ON s.seqrelid = c.oid
UNION ALL
  SELECT 'comment ' || pg_describe_object(ds.classoid, ds.objoid, ds.objsubid)
         || ': ' || ds.description
  FROM pg_description ds JOIN mem ON ds.classoid = mem.classid
  AND ds.objoid = mem.objid
UNION ALL
  SELECT 'missing comment ' || pg_describe_object(classid, objid, objsubid)
  FROM mem
  WHERE classid <> 'pg_cast'::regclass
  AND NOT (classid = 'pg_class'::regclass AND EXISTS (
    SELECT 1 FROM pg_class c WHERE c.oid = mem.objid AND c.relkind = 'S'))
  AND NOT EXISTS (
    SELECT 1 FROM pg_description ds WHERE ds.classoid = mem.classid
    AND ds.objoid = mem.objid AND ds.objsubid = 0)
  -- array types and a table's row type carry no comment of their own;
  -- from PG 17 on they are recorded as members
  AND NOT (classid = 'pg_type'::regclass AND EXISTS (
    SELECT 1 FROM pg_type t WHERE t.oid = mem.objid
    AND (t.typrelid <> 0
         OR EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid))))
) s
ORDER BY line;
EOSQL
}

1;
