#-------------------------------------------------------------------------
#
# 076_output_round_trip.pl
#	  Output domain = input domain: values PRODUCED by the extension's
#	  functions (aggregates, their transition and combine functions, merges),
#	  random and extreme, read back identically through text input, through
#	  binary COPY (send -> recv) and through pg_dump and restore.
#
# 072_dump_restore.pl round-trips values that were typed in (the fuzz
# seeds); this test covers what the functions return, which is where a
# value the type's own input rejects used to come from (a fit-state weight
# past 2^53, a negative count, Infinity, 10,001 channels).  Every
# aggregate state type and every type an aggregate returns is covered; the
# test fails if an aggregate's state or result type has no table here.
#
#-------------------------------------------------------------------------
use strict;
use warnings;

use Cwd qw(abs_path);
use FindBin;
use lib $FindBin::RealBin;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use CjHarden qw(server_crashed);

my $node = PostgreSQL::Test::Cluster->new('roundtrip');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', 'CREATE EXTENSION custjourney');

# values made by the functions: one table rt_<type> (id, v) per type
my ($rc, $out, $err) = $node->psql('src', <<'EOSQL', on_error_stop => 1);
SET timezone = 'UTC';
SELECT setseed(0.42);
CREATE AGGREGATE raw_ws(interval) (sfunc = cj_wait_stats_trans, stype = cj_wait_state);
CREATE AGGREGATE raw_sl(interval, interval) (sfunc = cj_service_level_trans, stype = cj_wait_state);
CREATE AGGREGATE raw_fit3(float8, float8, float8, int8) (sfunc = cj_fit_state_add3w, stype = cj_fit_state, initcond = 'pnbd{}');
CREATE AGGREGATE raw_fit2(float8, float8, int8) (sfunc = cj_fit_state_add2w, stype = cj_fit_state, initcond = 'gg{}');
CREATE AGGREGATE raw_fith(cj_history, timestamptz, interval) (sfunc = cj_fit_state_add_history, stype = cj_fit_state, initcond = 'bgnbd{}');
CREATE AGGREGATE raw_fitc(cj_fit_state) (sfunc = cj_fit_state_combine, stype = cj_fit_state);
CREATE AGGREGATE raw_acc(cj_credits) (sfunc = cj_credits_sum_trans, stype = cj_credits_acc);
CREATE AGGREGATE raw_touch(text, timestamptz, timestamptz, text, interval) (sfunc = cj_attribution_trans, stype = cj_touches);
CREATE AGGREGATE raw_mk(text[], int8, int8, int4) (sfunc = cj_markov_trans, stype = cj_transitions);
-- 40 groups of 25 random rows
CREATE TABLE rt_rows AS
SELECT g, i, random() AS r1, random() AS r2, random() AS r3, random() AS r4
FROM generate_series(1, 40) g, generate_series(1, 25) i;

CREATE TABLE rt_cj_history (id int, v cj_history);
INSERT INTO rt_cj_history
SELECT g, cj_history_agg('2000-01-01'::timestamptz + (r1 * 20000) * interval '1 day',
                         round((r2 * 10 ^ (r3 * 12))::numeric, 6)) FROM rt_rows GROUP BY g;
INSERT INTO rt_cj_history
SELECT 1000, cj_history_agg(t, a) FROM (VALUES ('4713-11-25 00:00:00+00 BC'::timestamptz, 0::numeric),
                                               ('294276-12-30 23:59:59.999999+00', 9000000000000.000001)) v(t, a)
UNION ALL SELECT 1001, cj_history_agg(d, 1e-6) FROM (VALUES ('2020-02-29'::date)) v(d)
UNION ALL SELECT 1002, cj_history_merge(a.v, b.v) FROM rt_cj_history a, rt_cj_history b WHERE a.id = 1 AND b.id = 2;

CREATE TABLE rt_cj_wait_state (id int, v cj_wait_state);
INSERT INTO rt_cj_wait_state
SELECT g, CASE WHEN g % 2 = 0 THEN raw_ws((r1 * 10 ^ (r3 * 14))::int8 * interval '1 microsecond')
               ELSE NULL END FROM rt_rows GROUP BY g;
DELETE FROM rt_cj_wait_state WHERE v IS NULL;
INSERT INTO rt_cj_wait_state
SELECT 1000 + g, raw_sl(r1 * interval '1 hour', r2 * interval '1 hour') FROM rt_rows WHERE g <= 5 GROUP BY g
UNION ALL SELECT 2000, raw_ws(w) FROM (VALUES (interval '549755813887998 microseconds'),
                                              (interval '549755813887999 microseconds')) v(w)
UNION ALL SELECT 2001, raw_ws(interval '0') UNION ALL SELECT 2002, raw_sl(interval '0', interval '0')
-- waits past the histogram (2^39 ms) as an earlier version stored them
UNION ALL SELECT 2003, 'ws n=2 sum=9223372036854775807 min=4611686018427387903 max=4611686018427387904 buckets=1119:2';

CREATE TABLE rt_cj_fit_state (id int, v cj_fit_state);
INSERT INTO rt_cj_fit_state
SELECT g, raw_fit3(floor(r1 * 20), CASE WHEN r1 < 0.05 THEN 0 ELSE round((r2 * 30)::numeric, 2)::float8 END, 30 + g,
                   (1 + r3 * 10 ^ (r4 * 6))::int8) FROM rt_rows GROUP BY g
UNION ALL SELECT 100 + g, raw_fit2(1 + floor(r1 * 5), (r2 * 10 ^ (r3 * 10))::float8, 1) FROM rt_rows WHERE g <= 10 GROUP BY g
UNION ALL SELECT 200 + h.id, raw_fith(h.v, '294276-12-31', '1 day') FROM rt_cj_history h WHERE h.id <= 10 GROUP BY h.id;
INSERT INTO rt_cj_fit_state
SELECT 1000, raw_fit3(1, 1, 5, w) FROM (VALUES (4503599627370496::int8), (4503599627370496)) v(w)
UNION ALL SELECT 1001, raw_fit3(1e300, 1e300, 1e300, 9007199254740992)
UNION ALL SELECT 1002, raw_fitc(v) FROM rt_cj_fit_state WHERE id <= 20;

CREATE AGGREGATE raw_cov(float8, float8, float8, float8[], float8[], int8, jsonb) (
    sfunc = cj_cov_fit_state_add, stype = cj_cov_fit_state, initcond = 'pnbd{}');
CREATE AGGREGATE raw_covc(cj_cov_fit_state) (sfunc = cj_cov_fit_state_combine, stype = cj_cov_fit_state);
CREATE TABLE rt_cj_cov_fit_state (id int, v cj_cov_fit_state);
INSERT INTO rt_cj_cov_fit_state
SELECT g, raw_cov(floor(r1 * 20), CASE WHEN r1 < 0.05 THEN 0 ELSE round((r2 * 30)::numeric, 2)::float8 END, 30 + g,
                  ARRAY[floor(r3 * 3), r4 * 10 ^ (r1 * 20 - 10)], ARRAY[(r3 < 0.5)::int]::float8[], 1 + floor(r4 * 3)::int8,
                  '{"names_trans": ["tier", "score"], "names_life": ["tier"], "constrain": ["tier"], "lambda_trans": 0.25}')
FROM rt_rows GROUP BY g
UNION ALL SELECT 1000, 'bgnbd{}'::cj_cov_fit_state
UNION ALL SELECT 1001, raw_cov(1e300, 1e300, 1e300, ARRAY[-0.0, 1e-300, -1.7e308], '{}', 9007199254740992, NULL);
INSERT INTO rt_cj_cov_fit_state
SELECT 1002, raw_covc(v) FROM rt_cj_cov_fit_state WHERE id <= 20;

CREATE TABLE rt_cj_model (id int, v cj_model);
INSERT INTO rt_cj_model
SELECT 1, cj_fit_bgnbd(x, CASE WHEN x = 0 THEN 0 ELSE t_x END, 39) FROM (SELECT floor(r1 * r1 * 8) x, r2 * 39 t_x FROM rt_rows) s
UNION ALL SELECT 2, cj_fit_gg(1 + floor(r1 * 4), 5 + r2 * 50) FROM rt_rows
UNION ALL SELECT 3, cj_fit_sbg(floor(r1 * 8)::int, r2 < 0.3) FROM rt_rows
UNION ALL SELECT 4, 'pnbd(r=0.79, alpha=5.7, s=0.39, beta=9.9) trans(Gender=0.4, Channel) life(Gender=-0.2, Channel) constr(Channel=0.3)'
UNION ALL (SELECT 5, ('bgnbd(r=0.2425929039600646, alpha=4.413531580226649, a=0.7928861286654124, b=2.4257532922261613) trans(Gender=' || (r1 - 0.5) ||
                     ') ll=-9582.425560567368 penalty=' || r2 || ' n=2357 iter=20 converged grad=1.5e-05 unit=7d vcov=[0.01, 0.001, 0, 0, 0.002, 0.001, 0.04, 0, 0, 0.003, 0, 0, 0.09, 0.01, 0, 0, 0, 0.01, 0.16, 0, 0.002, 0.003, 0, 0, 0.25]')::cj_model
  FROM rt_rows WHERE g = 1 LIMIT 1);
INSERT INTO rt_cj_model
SELECT 6, cj_fit_pnbd(x, CASE WHEN x = 0 THEN 0 ELSE t_x END, 39, ARRAY[g % 2], ARRAY[g % 3],
                      '{"names_trans": ["even"], "names_life": ["third"], "lambda_life": 0.01}'::jsonb)
FROM (SELECT g, floor(r1 * r1 * 8) x, r2 * 39 t_x FROM rt_rows) s
UNION ALL SELECT 7, cj_fit_bgnbd(x, CASE WHEN x = 0 THEN 0 ELSE t_x END, 39, ARRAY[g % 2], ARRAY[g % 2])
FROM (SELECT g, floor(r1 * r1 * 8) x, r2 * 39 t_x FROM rt_rows) s;

CREATE TABLE rt_cj_points_ledger (id int, v cj_points_ledger);
INSERT INTO rt_cj_points_ledger
SELECT g, cj_points_ledger('earn', round((r1 * 10 ^ (r2 * 9))::numeric, 6), '2020-01-01'::timestamptz + r3 * interval '300 days',
                           CASE WHEN r4 < 0.5 THEN '2021-01-01'::timestamptz END) FROM rt_rows GROUP BY g
UNION ALL SELECT 1000, cj_points_ledger('earn', 9000000000000.000001, '294276-12-30', NULL)
UNION ALL SELECT 1001, cj_points_ledger('earn', 0.000001, '4713-11-25 BC', NULL, NULL, repeat('r', 60));

CREATE TABLE rt_cj_credits (id int, v cj_credits);
INSERT INTO rt_cj_credits
SELECT g, cj_attribution('ch' || floor(r1 * 12), '2020-01-01'::timestamptz + r2 * interval '30 days', '2020-02-01',
                         (ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay', 'shapley'])[1 + g % 6])
FROM rt_rows GROUP BY g
UNION ALL SELECT 100 + g, cj_markov_attribution(ARRAY['m' || floor(r1 * 6), 'm' || floor(r2 * 6)], (r3 < 0.4)::int::int8, 1,
                                                1 + g % 3) FROM rt_rows WHERE g <= 10 GROUP BY g
UNION ALL SELECT 200, cj_credits_sum(c) FROM (VALUES ('{"a"=>1.5e308, "b"=>5e-324, "c"=>-0.0}'::cj_credits),
                                                      ('{"a"=>1e292, "b"=>1e-300, "d"=>-1.7e308}')) v(c)
UNION ALL SELECT 201, cj_attribution('c' || i, '2020-01-01', '2020-01-02', 'linear') FROM generate_series(1, 10000) i;

CREATE TABLE rt_cj_credits_acc (id int, v cj_credits_acc);
INSERT INTO rt_cj_credits_acc
SELECT 1, raw_acc(v) FROM rt_cj_credits WHERE id < 200
UNION ALL SELECT 2, raw_acc(c) FROM (VALUES ('{"a"=>1.5e308, "b"=>5e-324, "c"=>-0.0}'::cj_credits),
                                           ('{"a"=>1e292, "b"=>1e-300, "d"=>-1.7e308}'), ('{"a"=>0.1}')) v(c);

CREATE TABLE rt_cj_touches (id int, v cj_touches);
INSERT INTO rt_cj_touches
SELECT g, raw_touch('ch' || floor(r1 * 12) || repeat('"\', g % 3), '2020-01-01'::timestamptz + r2 * interval '30 days',
                    '2020-02-01', 'time_decay', (1 + g * 1000.5) * interval '1 s') FROM rt_rows GROUP BY g
UNION ALL SELECT 1000, raw_touch(repeat('x', 255), '4713-11-25 BC', '294276-12-30', 'time_decay', interval '1 microsecond');

CREATE TABLE rt_cj_transitions (id int, v cj_transitions);
INSERT INTO rt_cj_transitions
SELECT g, raw_mk(ARRAY['m' || floor(r1 * 6), 'm' || floor(r2 * 6), 'n' || floor(r3 * 3)], (r3 < 0.4)::int::int8,
                 (r4 * 10 ^ (r1 * 15))::int8, 1 + g % 3) FROM rt_rows GROUP BY g;

CREATE TABLE rt_cj_holdout (id int, v cj_holdout);
INSERT INTO rt_cj_holdout
SELECT g, cj_holdout_check('bgnbd(r=0.2426, alpha=4.4135, a=0.7929, b=2.4257)', floor(r1 * 12), r2 * 30 * (r1 >= 1.0 / 12)::int,
                           30, 39, r3 * 10 ^ (r4 * 300), 1 + g % 9) FROM rt_rows GROUP BY g;

CREATE TABLE rt_cj_tracking (id int, v cj_tracking);
INSERT INTO rt_cj_tracking
SELECT g, cj_tracking('pnbd(r=0.55, alpha=10.58, s=0.61, beta=11.67)', '2020-01-01'::timestamptz + r1 * interval '400 days',
                      '2020-01-01', (1 + g) * interval '1 day', 1 + g * 7) FROM rt_rows GROUP BY g;

CREATE TABLE rt_cj_memory (id int, v cj_memory);
INSERT INTO rt_cj_memory
SELECT g, cj_memory_agg('2020-01-01'::timestamptz + r1 * interval '300 days',
                        (ARRAY['phone', 'email', 'chat'])[1 + floor(r2 * 3)::int], 'agent' || floor(r3 * 5),
                        'topic' || floor(r4 * 4), (ARRAY['open', 'pending', 'resolved', 'closed'])[1 + floor(r1 * 4)::int],
                        'case' || floor(r2 * 7), 1 + g % 50) FROM rt_rows GROUP BY g
UNION ALL SELECT 1000, cj_memory_agg('294276-12-30', repeat('c', 200), NULL, NULL, NULL, NULL)
UNION ALL SELECT 1001, cj_memory_agg('4713-11-25 BC', NULL, repeat('"\', 60), 'x', 'open', repeat('r', 200));

CREATE AGGREGATE raw_cr(text, timestamptz, text, text, text, interval) (
    sfunc = cj_contact_rates_trans, stype = cj_contact_log);
CREATE TABLE rt_cj_contact_log (id int, v cj_contact_log);
INSERT INTO rt_cj_contact_log
SELECT g, raw_cr('c' || floor(r1 * 5), '2020-01-01'::timestamptz + r2 * interval '90 days', 'topic' || floor(r3 * 3),
                 (ARRAY['open', 'resolved', NULL])[1 + floor(r4 * 3)::int], 'case' || floor(r1 * 9),
                 (1 + g) * interval '1 day') FROM rt_rows GROUP BY g;

CREATE AGGREGATE raw_liab(cj_points_ledger, timestamptz, interval) (
    sfunc = cj_liability_sfunc, stype = cj_liability);
CREATE TABLE rt_cj_liability (id int, v cj_liability);
INSERT INTO rt_cj_liability
SELECT id % 7, raw_liab(v, '2020-06-01', interval '24 months') FROM rt_cj_points_ledger WHERE id < 1000 GROUP BY id % 7;

CREATE TABLE rt_cj_sla_clock_state (id int, v cj_sla_clock_state);
INSERT INTO rt_cj_sla_clock_state
SELECT g, cj_sla_clock((ARRAY['running', 'paused', 'running', 'stopped'])[1 + i % 4],
                       '2020-01-01'::timestamptz + (i + r1) * interval '7 hours',
                       'Europe/Paris; mon-fri 09:00-18:00; closed 2020-01-06'::cj_calendar,
                       (1 + (g * 7919) % 40) * interval '1 hour' + g * interval '1.000001 s' ORDER BY i)
FROM rt_rows WHERE i <= 4 + g % 20 GROUP BY g;

-- skill sets and requirements made from text[] (random names with quotes,
-- backslashes, commas, spaces and non-ASCII, repeats and NULLs)
CREATE TABLE rt_cj_skillset (id int, v cj_skillset);
INSERT INTO rt_cj_skillset
SELECT g, cj_skillset(array_agg(CASE WHEN r1 < 0.05 THEN NULL
                                     ELSE (ARRAY['billing', 'es-ES', 'a"b', 'c\d', 'x,y', ' sp ', 'any', 'for', 'é', 'NULL'])[1 + floor(r2 * 10)::int]
                                          || CASE WHEN r3 < 0.5 THEN '' ELSE floor(r4 * 30)::text END END))
FROM rt_rows GROUP BY g
UNION ALL SELECT 1000, cj_skillset('{}')
UNION ALL SELECT 1001, cj_skillset((SELECT array_agg(repeat(chr(65 + i % 26), 60 - i % 7) || lpad(i::text, 3, '0')) FROM generate_series(1, 256) i));
CREATE TABLE rt_cj_requirement (id int, v cj_requirement);
INSERT INTO rt_cj_requirement
SELECT g, cj_requirement(array_agg((ARRAY['billing', 'es-ES', 'a"b', 'c\d', 'x,y', ' sp ', 'any', 'for', 'é', 'NULL'])[1 + floor(r2 * 10)::int]))
FROM rt_rows WHERE i <= 1 + g % 16 GROUP BY g
UNION ALL SELECT 1000, cj_requirement('{}')
UNION ALL SELECT 1001, cj_requirement((SELECT array_agg(repeat('"', 62) || chr(65 + i)) FROM generate_series(1, 16) i));
EOSQL
is($rc, 0, 'values produced by the functions') or diag $err;

# values at the edge of each type's domain: the producing call either
# returns a value (which must then round-trip like every other) or refuses
# with 22003; it must never return a value its own type cannot read
my @boundary = (
	[ 'rt_cj_fit_state', 5000, 'merged weights past 2^53',
	  q{raw_fit3(1, 1, 5, w) FROM (VALUES (9007199254740992::int8), (2)) v(w)} ],
	[ 'rt_cj_fit_state', 5001, 'a weight past 2^53',
	  q{raw_fit3(1, 1, 5, 1152921504606846976)} ],
	[ 'rt_cj_fit_state', 5002, 'combined weights past 2^53',
	  q{raw_fitc(s) FROM (VALUES ('gg{(1,2):9007199254740992}'::cj_fit_state), ('gg{(1,2):2}')) v(s)} ],
	[ 'rt_cj_credits', 5000, 'attribution to 10,001 channels',
	  q{cj_attribution('c' || i, '2020-01-01', '2020-01-02', 'linear') FROM generate_series(1, 10001) i} ],
	[ 'rt_cj_credits', 5001, 'credits summing past float8',
	  q{cj_credits_sum(c) FROM (VALUES ('{"a"=>1.7e308}'::cj_credits), ('{"a"=>1.7e308}')) v(c)} ],
	[ 'rt_cj_holdout', 5000, 'holdout totals past float8',
	  q{cj_holdout_check('bgnbd(r=0.24, alpha=4.4, a=0.79, b=2.4)', 1, 1, 5, 39, 1e308) FROM generate_series(1, 2)} ],
	[ 'rt_cj_holdout', 5001, 'holdout customers past int64',
	  q{raw_hoc(h) FROM (VALUES ('0:9223372036854775807/0/0 1+:0/0/0'::cj_holdout), ('0:1/0/0 1+:0/0/0')) v(h)} ],
	[ 'rt_cj_tracking', 5000, 'tracking totals past float8',
	  q{raw_trc(t) FROM (VALUES ('start=0 length=1 customers=1 {1e308}'::cj_tracking),
	                            ('start=0 length=1 customers=1 {1e308}')) v(t)} ],
	[ 'rt_cj_tracking', 5001, 'tracking customers past int64',
	  q{raw_trc(t) FROM (VALUES ('start=0 length=1 customers=9223372036854775807 {1}'::cj_tracking),
	                            ('start=0 length=1 customers=1 {1}')) v(t)} ],
	[ 'rt_cj_sla_clock_state', 5000, 'a clock running from the first instant to the last',
	  q{cj_sla_clock(s, t ORDER BY t) FROM (VALUES ('running', '0001-01-01 00:00+00'::timestamptz), ('stopped', '294276-12-30')) v(s, t)} ],
	[ 'rt_cj_sla_clock_state', 5001, 'a clock on a 24x7 calendar from the first instant to the last',
	  q{cj_sla_clock(s, t, 'UTC; 24x7' ORDER BY t) FROM (VALUES ('running', '0001-01-01 00:00+00'::timestamptz), ('stopped', '294276-12-30')) v(s, t)} ],
	[ 'rt_cj_wait_state', 5000, 'a wait count past int64',
	  q{raw_slmax('1 s', '2 s')} ],
	[ 'rt_cj_wait_state', 5001, 'a wait total past int64',
	  q{raw_wsc(s) FROM (VALUES ('ws n=1 sum=9223372036854775807 min=9223372036854775807 max=9223372036854775807 buckets=1119:1'::cj_wait_state),
	                            ('ws n=1 sum=1 min=1 max=1 buckets=0:1')) v(s)} ]);
$node->safe_psql('src', q{
	CREATE AGGREGATE raw_hoc(cj_holdout) (sfunc = cj_holdout_combine, stype = cj_holdout);
	CREATE AGGREGATE raw_trc(cj_tracking) (sfunc = cj_tracking_combine, stype = cj_tracking);
	CREATE AGGREGATE raw_wsc(cj_wait_state) (sfunc = cj_wait_state_combine, stype = cj_wait_state);
	CREATE AGGREGATE raw_slmax(interval, interval) (sfunc = cj_service_level_trans, stype = cj_wait_state,
	                                                initcond = 'sl n=9223372036854775807 within=0')});
foreach my $b (@boundary)
{
	my ($tab, $id, $what, $expr) = @$b;
	my ($brc, $bout, $berr) = $node->psql('src',
		"\\set VERBOSITY verbose\nINSERT INTO $tab SELECT $id, $expr");
	# (22008 is PostgreSQL's own code for an interval out of range)
	ok($brc == 0 || $berr =~ /ERROR:  2200[38]:/, "$what: a value or 22003")
	  or diag $berr;
}

my @tables = split /\n/, $node->safe_psql('src', q{
	SELECT c.relname || ' ' || format_type(a.atttypid, NULL) FROM pg_class c
	JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'v'
	WHERE c.relname LIKE 'rt\_cj\_%' AND c.relkind = 'r' ORDER BY 1});
my %covered = map { (split / /)[1] => 1 } @tables;

# every state type and result type of the extension's aggregates is covered
my @agg_types = split /\n/, $node->safe_psql('src', q{
	SELECT DISTINCT format_type(v.t, NULL) FROM (
	  SELECT a.aggtranstype AS t, p.prorettype AS r FROM pg_aggregate a
	  JOIN pg_proc p ON p.oid = a.aggfnoid
	  JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
	   AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'custjourney') s,
	LATERAL (VALUES (s.t), (s.r)) v(t)
	JOIN pg_type ty ON ty.oid = v.t
	WHERE ty.typtype = 'b' AND ty.typname LIKE 'cj\_%' ORDER BY 1});
foreach my $t (@agg_types)
{
	ok($covered{$t}, "aggregate type $t has produced values");
}

# fingerprint: id, text form and binary (send) form of every value
sub fingerprint
{
	my ($db, $tab, $t) = @_;
	my $send = $node->safe_psql($db,
		"SELECT typsend::regproc FROM pg_type WHERE oid = '$t'::regtype");
	return $node->safe_psql($db,
		"SELECT id, v::text, encode($send(v), 'hex') FROM $tab ORDER BY id, v::text");
}

# (absolute: the server resolves COPY's file name, and PostgreSQL 17's
# tempdir is relative to the test's directory)
my $tmp = abs_path(PostgreSQL::Test::Utils::tempdir);
my %src_fp;
foreach my $tt (@tables)
{
	my ($tab, $t) = split / /, $tt;
	my $n = $node->safe_psql('src', "SELECT count(v) FROM $tab");
	ok($n > 0, "$t: $n produced values");
	$src_fp{$tab} = fingerprint('src', $tab, $t);

	# text: the output reads back as the same value
	is( $node->safe_psql('src',
			"SELECT count(*) FROM $tab WHERE v::text::${t}::text IS DISTINCT FROM v::text"),
		'0', "$t: text output reads back identically");

	# binary: COPY out and in, then compare text and send forms
	$node->safe_psql('src',
		"COPY $tab TO '$tmp/$tab.bin' WITH (FORMAT binary);"
		  . "CREATE TABLE ${tab}_bin (LIKE $tab);"
		  . "COPY ${tab}_bin FROM '$tmp/$tab.bin' WITH (FORMAT binary)");
	is(fingerprint('src', "${tab}_bin", $t), $src_fp{$tab},
		"$t: binary COPY reads back identically");
}

# pg_dump and restore into a new database
$node->command_ok(
	[ 'pg_dump', '-Fc', '-f', "$tmp/src.dump", '-d', $node->connstr('src') ],
	'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->command_ok(
	[ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst'), "$tmp/src.dump" ],
	'pg_restore');
foreach my $tt (@tables)
{
	my ($tab, $t) = split / /, $tt;
	is(fingerprint('dst', $tab, $t), $src_fp{$tab}, "$t: identical after pg_dump and restore");
}

ok(!server_crashed($node), 'no backend crashed');
$node->stop;
done_testing();
