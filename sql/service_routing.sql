-- queue routing: preferred agents, not_before holds, routing profiles,
-- queue position and estimated wait.  Every claim passes its clock
-- (now => ...), so the windows are tested at exact instants.
\set VERBOSITY default
SET timezone = 'UTC';
TRUNCATE cj_ticket;
SELECT setval('cj_ticket_id_seq', 1, false) IS NOT NULL AS reset;

-- calls of 1.1 keep their meaning: a plain ticket is open at once and a
-- plain claim takes the earliest due
SELECT cj_enqueue_due('p1', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00') AS p1,
       cj_enqueue_due('p2', '2024-03-01 12:03+00', '{}', '2024-03-01 12:00+00') AS p2;
SELECT customer, agent, claims FROM cj_claim('ann');
SELECT customer, agent, claims FROM cj_claim('ann', '{}');
SELECT count(*) AS nothing_left FROM cj_claim('ann', '{}', 'default');
SELECT count(*) AS null_agent FROM cj_claim(NULL, '{}');
SELECT count(*) AS null_skills FROM cj_claim('ann', NULL);
SELECT count(*) AS null_queue FROM cj_claim('ann', '{}', NULL);

-- 1. preferred agent: a 60 s window from arrival (12:00:00 .. 12:01:00)
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('pin', '2024-03-01 12:02+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q1', preferred_agent => 'ann',
                      prefer_for => '60 s') AS pin,
       cj_enqueue_due('late', '2024-03-01 12:10+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q1') AS late;
SELECT id, preferred_agent, prefer_for, prefer_required, pinned_until, held_until
FROM cj_ticket ORDER BY id;
-- inside the window another agent gets the later ticket, never the pinned one
SELECT customer, agent FROM cj_claim('bob', '{}', 'q1', now => '2024-03-01 12:00:10+00');
SELECT count(*) AS bob_gets_nothing FROM cj_claim('bob', '{}', 'q1', now => '2024-03-01 12:00:59.999999+00');
-- the preferred agent takes it inside the window
SELECT customer, agent, claimed_at FROM cj_claim('ann', '{}', 'q1', now => '2024-03-01 12:00:30+00');

-- 2. the window ends exactly at arrival + prefer_for: the first claim at or
-- after that instant by anyone qualified takes the ticket (an absent
-- preferred agent never strands it)
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('absent', '2024-03-01 12:02+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q2', preferred_agent => 'zoe', prefer_for => '60 s') IS NOT NULL AS queued;
SELECT count(*) AS at_59s FROM cj_claim('bob', '{}', 'q2', now => '2024-03-01 12:00:59+00');
SELECT customer, agent FROM cj_claim('bob', '{}', 'q2', now => '2024-03-01 12:01:00+00');
SELECT held_until IS NULL AS opened, state FROM cj_ticket;

-- 3. the preferred agent's claim takes the earliest due among its pinned
-- tickets and the open pool
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('pinned-later', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q3', preferred_agent => 'ann', prefer_for => '10 min') IS NOT NULL AS a,
       cj_enqueue_due('open-earlier', '2024-03-01 12:04+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q3') IS NOT NULL AS b,
       cj_enqueue_due('pinned-earlier', '2024-03-01 12:03+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q3', preferred_agent => 'ann', prefer_for => '10 min') IS NOT NULL AS c,
       cj_enqueue_due('bobs', '2024-03-01 12:01+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q3', preferred_agent => 'bob', prefer_for => '10 min') IS NOT NULL AS d;
SELECT customer FROM cj_claim('ann', '{}', 'q3', now => '2024-03-01 12:00:01+00');
SELECT customer FROM cj_claim('ann', '{}', 'q3', now => '2024-03-01 12:00:02+00');
SELECT customer FROM cj_claim('ann', '{}', 'q3', now => '2024-03-01 12:00:03+00');
SELECT count(*) AS bobs_ticket_is_not_anns FROM cj_claim('ann', '{}', 'q3', now => '2024-03-01 12:00:04+00');

-- 4. an unqualified preferred agent: it cannot take the ticket; when the
-- window ends a qualified agent does.  prefer_required holds the ticket
-- until its due time.
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('needs-fr', '2024-03-01 12:02+00', '{fr}', '2024-03-01 12:00+00',
                      queue => 'q4', preferred_agent => 'ann', prefer_for => '30 s') IS NOT NULL AS a,
       cj_enqueue_due('required', '2024-03-01 12:03+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q4', preferred_agent => 'zoe', prefer_required => true) IS NOT NULL AS b;
SELECT pinned_until FROM cj_ticket WHERE customer = 'required';
SELECT count(*) AS ann_lacks_fr FROM cj_claim('ann', '{}', 'q4', now => '2024-03-01 12:00:10+00');
SELECT customer, agent FROM cj_claim('bob', '{fr}', 'q4', now => '2024-03-01 12:00:30+00');
SELECT count(*) AS required_holds_until_due FROM cj_claim('bob', '{fr}', 'q4', now => '2024-03-01 12:02:59+00');
SELECT customer, agent FROM cj_claim('bob', '{fr}', 'q4', now => '2024-03-01 12:03:00+00');

-- 5. not_before: invisible until then, even to the preferred agent, and
-- served by its original due time afterwards
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('callback', '2024-03-01 12:30+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q5', not_before => '2024-03-01 12:20+00') IS NOT NULL AS a,
       cj_enqueue_due('cb-pinned', '2024-03-01 12:31+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q5', not_before => '2024-03-01 12:20+00',
                      preferred_agent => 'ann', prefer_for => '25 min') IS NOT NULL AS b,
       cj_enqueue_due('walk-in', '2024-03-01 12:40+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q5') IS NOT NULL AS c;
SELECT customer, not_before, pinned_until, held_until FROM cj_ticket ORDER BY id;
SELECT customer FROM cj_claim('ann', '{}', 'q5', now => '2024-03-01 12:19:59+00');
-- walk-in went; the callback is still held
SELECT count(*) AS held FROM cj_claim('ann', '{}', 'q5', now => '2024-03-01 12:19:59+00');
-- at 12:20 the callback opens to all, cb-pinned to ann (window until 12:25)
SELECT customer FROM cj_claim('bob', '{}', 'q5', now => '2024-03-01 12:20+00');
SELECT count(*) AS pinned_to_ann FROM cj_claim('bob', '{}', 'q5', now => '2024-03-01 12:21+00');
SELECT customer, held_until FROM cj_ticket WHERE state = 'waiting';
SELECT customer FROM cj_claim('ann', '{}', 'q5', now => '2024-03-01 12:21+00');
-- a callback keeps its place: due before the walk-ins that arrived later
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('cb', '2024-03-01 12:30+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q5', not_before => '2024-03-01 12:20+00') IS NOT NULL AS a,
       cj_enqueue_due('w1', '2024-03-01 12:35+00', '{}', '2024-03-01 12:10+00',
                      queue => 'q5') IS NOT NULL AS b;
SELECT customer FROM cj_claim('bob', '{}', 'q5', now => '2024-03-01 12:20:00+00');
-- not_before equal to the due time is allowed; before arrival it has no effect
SELECT cj_enqueue_due('edge', '2024-03-01 12:30+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q6', not_before => '2024-03-01 12:30+00') IS NOT NULL AS due_equal,
       cj_enqueue_due('past', '2024-03-01 12:30+00', '{}', '2024-03-01 12:00+00',
                      queue => 'q6', not_before => '2024-03-01 11:00+00') IS NOT NULL AS before_arrival;
SELECT customer, held_until FROM cj_ticket WHERE queue = 'q6' ORDER BY id;

-- 6. routing profiles: each queue's due times plus its delay for this agent
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('a-1203', '2024-03-01 12:03+00', '{}', '2024-03-01 12:00+00', queue => 'a') IS NOT NULL AS a,
       cj_enqueue_due('b-1200', '2024-03-01 12:00+00', '{}', '2024-03-01 12:00+00', queue => 'b') IS NOT NULL AS b,
       cj_enqueue_due('c-1210', '2024-03-01 12:10+00', '{}', '2024-03-01 12:00+00', queue => 'c') IS NOT NULL AS c,
       cj_enqueue_due('a-1209', '2024-03-01 12:09+00', '{}', '2024-03-01 12:00+00', queue => 'a') IS NOT NULL AS d;
-- effective due: a 12:03, 12:09; b 12:00 + 5 min = 12:05; c 12:10 - 8 min = 12:02
SELECT customer, queue FROM cj_claim('ann', '{}', queues => '{a,b,c}',
       delays => '{0,5 min,-8 min}', now => '2024-03-01 12:01+00');
SELECT customer, queue FROM cj_claim('ann', '{}', queues => '{a,b,c}',
       delays => '{0,5 min,-8 min}', now => '2024-03-01 12:01+00');
SELECT customer, queue FROM cj_claim('ann', '{}', queues => '{a,b,c}',
       delays => '{0,5 min,-8 min}', now => '2024-03-01 12:01+00');
-- without delays every queue counts its due times as they are
SELECT customer, queue FROM cj_claim('ann', '{}', queues => '{c,a}', now => '2024-03-01 12:01+00');
SELECT count(*) AS empty FROM cj_claim('ann', '{}', queues => '{a,b,c}', now => '2024-03-01 12:01+00');
-- a tie in effective due goes to the lower id
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00', queue => 'a') AS first_id,
       cj_enqueue_due('y', '2024-03-01 12:00+00', '{}', '2024-03-01 12:00+00', queue => 'b') AS second_id;
SELECT customer FROM cj_claim('ann', '{}', queues => '{b,a}', delays => '{5 min,0}', now => '2024-03-01 12:01+00');

-- 7. the place in line and the estimated wait
TRUNCATE cj_ticket;
SELECT setval('cj_ticket_id_seq', 1, false) IS NOT NULL AS reset;
SELECT count(cj_enqueue_due('o' || i, '2024-03-01 12:00+00'::timestamptz + i * interval '1 min',
                            '{}', '2024-03-01 12:00+00', queue => 'pos'))
FROM generate_series(1, 5) i;
-- 6: pinned to ann until 12:10, due 12:02:30 (between o2 and o3)
-- 7: hidden until 12:20, due 12:30 (after all of them)
-- 8: pinned to bob until 12:10, due 12:01:30
SELECT cj_enqueue_due('ann-1', '2024-03-01 12:02:30+00', '{}', '2024-03-01 12:00+00', queue => 'pos',
                      preferred_agent => 'ann', prefer_for => '10 min') AS t6,
       cj_enqueue_due('cb', '2024-03-01 12:30+00', '{}', '2024-03-01 12:00+00', queue => 'pos',
                      not_before => '2024-03-01 12:20+00') AS t7,
       cj_enqueue_due('bob-1', '2024-03-01 12:01:30+00', '{}', '2024-03-01 12:00+00', queue => 'pos',
                      preferred_agent => 'bob', prefer_for => '10 min') AS t8,
       cj_enqueue_due('ann-2', '2024-03-01 12:04:30+00', '{}', '2024-03-01 12:00+00', queue => 'pos',
                      preferred_agent => 'ann', prefer_for => '10 min') AS t9;
-- at 12:05: o1..o5 open; 8 (bob's) counts for no one else; 6 counts
-- for 9 (both ann's); 7 is hidden
SELECT id, customer, cj_queue_position(id, '2024-03-01 12:05+00') AS pos
FROM cj_ticket ORDER BY due, id;
-- at 12:11 the windows are over (not yet opened by a claim: the position
-- does not depend on that)
SELECT id, customer, cj_queue_position(id, '2024-03-01 12:11+00') AS pos
FROM cj_ticket ORDER BY due, id;
-- the same after a claim opened them (the claim takes o1)
SELECT customer FROM cj_claim('zed', '{}', 'pos', now => '2024-03-01 12:11+00');
SELECT id, customer, cj_queue_position(id, '2024-03-01 12:11+00') AS pos
FROM cj_ticket WHERE state = 'waiting' ORDER BY due, id;
-- not waiting, or no such ticket: NULL
SELECT cj_queue_position(1, '2024-03-01 12:11+00') IS NULL AS claimed,
       cj_queue_position(999) IS NULL AS missing;
-- a callback pinned to ann whose not_before has passed is in ann's window
-- whether or not a claim has moved it out of its hidden phase: it counts
-- for ann's other ticket both before and after an unrelated claim
SELECT cj_enqueue_due('cb-ann', '2024-03-01 12:00+00', '{}', '2024-03-01 10:00+00', queue => 'qpos',
                      preferred_agent => 'ann', prefer_for => '1 hour',
                      not_before => '2024-03-01 10:10+00') AS u,
       cj_enqueue_due('ann-3', '2024-03-01 12:30+00', '{}', '2024-03-01 10:05+00', queue => 'qpos',
                      preferred_agent => 'ann', prefer_for => '1 hour') AS t \gset
SELECT cj_queue_position(:t, '2024-03-01 10:20+00') AS before_any_claim,
       cj_queue_position(:t, '2024-03-01 10:05+00') AS while_hidden;
SELECT count(*) AS bob_takes FROM cj_claim('bob', '{}', 'qpos', now => '2024-03-01 10:20+00');
SELECT cj_queue_position(:t, '2024-03-01 10:20+00') AS after_a_claim;
SELECT customer FROM cj_claim('ann', '{}', 'qpos', now => '2024-03-01 10:20+00');
SELECT cj_queue_position(:t, '2024-03-01 10:20+00') AS after_ann_took_it;
-- expected wait: (position + 1) * aht / agents
SELECT cj_estimated_wait(5, 2, '4 min', '2024-03-01 12:11+00') AS o5_2_agents,
       cj_estimated_wait(2, 3, '90 s', '2024-03-01 12:11+00') AS o2_3_agents,
       cj_estimated_wait(1, 1, '1 min') IS NULL AS claimed_null;
SELECT cj_routing_wait(0, 1, '5 min') AS next_one_agent, cj_routing_wait(9, 4, '2 min') AS ten_four;

-- 8. a brute-force oracle: random tickets (queues, skills, preferred
-- agents and windows, callbacks) and random claims with routing profiles
-- as the clock advances; every claim must return the ticket with the least
-- (due + delay, id) among those the rules allow the agent at that instant
TRUNCATE cj_ticket;
SELECT setseed(0.5);
-- eight agents with text[] skills, four with levelled skills; a quarter
-- of the tickets carry a relaxing requirement
CREATE TEMP TABLE oracle_agent AS
SELECT 'ag' || i AS agent,
       (ARRAY['{}', '{fr}', '{de}', '{fr,de}'])[1 + i % 4]::text[] AS skills,
       NULL::cj_skillset AS sset
FROM generate_series(0, 7) i
UNION ALL
SELECT 'lv' || i, cj_skills(s), s
FROM unnest(ARRAY['fr:5', 'fr:2, de:4', 'de:2', 'fr:3, de:1']::cj_skillset[])
     WITH ORDINALITY u(s, i);
CREATE TEMP TABLE oracle_req AS
SELECT r, o FROM unnest(ARRAY['fr>=3 for 1min; fr>=1 for 2min; any',
                              'de>=2 & fr>=1 for 90s; de>=1',
                              'fr>=5 for 3min; fr>=2',
                              'de>=4']::cj_requirement[]) WITH ORDINALITY u(r, o);
SELECT count(cj_enqueue_due('r' || i, due, sk, arr, queue => q,
              preferred_agent => CASE WHEN pa THEN 'ag' || ag END,
              prefer_for => CASE WHEN pa AND NOT req THEN win END,
              prefer_required => pa AND req,
              -- a callback is never held past its due time (that is an error)
              not_before => CASE WHEN cb THEN LEAST(arr + nb, due) END,
              requirement => (SELECT r FROM oracle_req WHERE o = rq)))
FROM (SELECT i, arr, arr + (random() * 20) * interval '1 min' AS due,
             CASE WHEN rq IS NULL
                  THEN (ARRAY['{}', '{}', '{fr}', '{de}', '{fr,de}'])[1 + floor(random() * 5)::int]
                  ELSE '{}' END::text[] AS sk, rq,
             (ARRAY['qa', 'qb', 'qc'])[1 + floor(random() * 3)::int] AS q,
             random() < 0.4 AS pa, random() < 0.2 AS req, floor(random() * 10)::int AS ag,
             (1 + random() * 600) * interval '1 s' AS win,
             random() < 0.2 AS cb, random() * interval '5 min' AS nb
      FROM (SELECT i, '2024-03-01 12:00+00'::timestamptz + random() * interval '10 min' AS arr,
                   CASE WHEN random() < 0.25 THEN 1 + floor(random() * 4)::int END AS rq
            FROM generate_series(1, 400) i) g0) g;
SELECT count(*) AS tickets, count(preferred_agent) AS with_agent,
       count(*) FILTER (WHERE prefer_required) AS required, count(not_before) AS callbacks,
       count(requirement) AS levelled
FROM cj_ticket;
CREATE TEMP TABLE oracle_log (step int, agent text, got bigint, want bigint);
DO $$
DECLARE
	st int;
	clock timestamptz := '2024-03-01 12:00+00';
	a record;
	qs text[];
	ds interval[];
	got bigint;
	want bigint;
BEGIN
	FOR st IN 1 .. 500 LOOP
		clock := clock + random() * interval '5 s';
		SELECT * INTO a FROM oracle_agent ORDER BY random() LIMIT 1;
		qs := (ARRAY['{qa}', '{qb,qa}', '{qa,qb,qc}', '{qc}'])[1 + floor(random() * 4)::int]::text[];
		ds := CASE WHEN random() < 0.5 THEN NULL ELSE
			ARRAY(SELECT (random() * 10 - 5) * interval '1 min' FROM unnest(qs)) END;
		SELECT t.id INTO want
		FROM cj_ticket t
		JOIN ROWS FROM (unnest(qs), unnest(ds)) AS p(q, d) ON p.q = t.queue
		WHERE t.state = 'waiting'
		  AND CASE WHEN t.requirement IS NULL THEN t.skills <@ a.skills
		           ELSE cj_satisfies(COALESCE(a.sset, cj_skillset(a.skills)),
		                             t.requirement, clock - t.arrived_at) END
		  AND (t.not_before IS NULL OR t.not_before <= clock)
		  AND (t.preferred_agent IS NULL OR t.pinned_until <= clock
		       OR t.preferred_agent = a.agent)
		ORDER BY t.due + COALESCE(p.d, interval '0'), t.id
		LIMIT 1;
		IF a.sset IS NULL THEN
			SELECT c.id INTO got
			FROM cj_claim(a.agent, a.skills, queues => qs, delays => ds, now => clock) c;
		ELSE
			SELECT c.id INTO got
			FROM cj_claim(a.agent, a.sset, queues => qs, delays => ds, now => clock) c;
		END IF;
		INSERT INTO oracle_log VALUES (st, a.agent, got, want);
	END LOOP;
END
$$;
SELECT count(*) AS claims, count(got) AS claimed,
       count(*) FILTER (WHERE got IS DISTINCT FROM want) AS wrong
FROM oracle_log;
-- the claims saw held tickets of every kind
SELECT count(*) FILTER (WHERE t.preferred_agent = l.agent AND t.pinned_until > t.claimed_at) AS by_preferred_in_window,
       count(*) FILTER (WHERE t.preferred_agent <> l.agent) AS by_other_after_window,
       count(*) FILTER (WHERE t.not_before IS NOT NULL) AS callbacks,
       count(*) FILTER (WHERE t.requirement IS NOT NULL AND l.agent LIKE 'lv%') AS levelled_by_levelled,
       count(*) FILTER (WHERE t.requirement IS NOT NULL AND l.agent LIKE 'ag%') AS levelled_by_plain,
       count(*) FILTER (WHERE t.requirement IS NOT NULL
                        AND cj_requirement_step(t.requirement, t.claimed_at - t.arrived_at) > 1) AS after_relaxing
FROM oracle_log l JOIN cj_ticket t ON t.id = l.got;

-- 9. levelled skills: a requirement relaxes as the ticket waits; the
-- claim applies the step in force at its clock
TRUNCATE cj_ticket;
SELECT cj_enqueue_due('lv-a', '2024-03-01 12:10+00', '{}', '2024-03-01 12:00+00', queue => 'lv',
                      requirement => 'billing>=4 for 30s; billing>=2 for 2min; any') IS NOT NULL AS a,
       cj_enqueue_due('lv-b', '2024-03-01 12:11+00', '{}', '2024-03-01 12:00+00', queue => 'lv',
                      requirement => 'billing>=4 for 30s; billing>=2 for 2min; any') IS NOT NULL AS b,
       cj_enqueue_due('lv-c', '2024-03-01 12:12+00', '{}', '2024-03-01 12:00+00', queue => 'lv',
                      requirement => 'billing>=4 for 30s; billing>=2 for 2min; any') IS NOT NULL AS c,
       cj_enqueue_due('plain', '2024-03-01 12:13+00', '{billing}', '2024-03-01 12:00+00', queue => 'lv') IS NOT NULL AS d;
-- billing:2 waits for the second step (from 30 s), and takes the plain
-- ticket (billing at level 1) meanwhile
SELECT customer FROM cj_claim('b2', 'billing:2', 'lv', now => '2024-03-01 12:00:29.999999+00');
SELECT count(*) AS none_yet FROM cj_claim('b2', 'billing:2', 'lv', now => '2024-03-01 12:00:29.999999+00');
SELECT customer FROM cj_claim('b2', 'billing:2', 'lv', now => '2024-03-01 12:00:30+00');
-- billing:5 qualifies at once; text[] skills are level 1: the last step
SELECT customer FROM cj_claim('b5', 'billing:5', 'lv', now => '2024-03-01 12:00:31+00');
SELECT count(*) AS text_skills_wait FROM cj_claim('b1', '{billing}'::text[], 'lv', now => '2024-03-01 12:02:29+00');
SELECT customer FROM cj_claim('b1', '{billing}'::text[], 'lv', now => '2024-03-01 12:02:30+00');
-- the overloads: an untyped literal takes the cj_skillset form, which reads
-- a text[] literal as the same skills at level 1 (same ticket as text[]);
-- the empty-string skill name shows which form ran
SELECT cj_enqueue_due('ov', '2024-03-01 12:00+00', '{billing}', '2024-03-01 12:00+00', queue => 'ov') IS NOT NULL AS queued;
SELECT customer FROM cj_claim('a', '{billing}', 'ov', now => '2024-03-01 12:05+00');
SELECT count(*) AS text_form FROM cj_claim('a', '{""}'::text[], 'ov');
SELECT count(*) FROM cj_claim('a', '{""}', 'ov');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS one_argument FROM cj_claim('a');
SELECT count(*) AS named FROM cj_claim('a', skills => '{billing,"es-ES"}', queue => 'ov');
-- a requirement and text[] skills exclude each other; malformed literals
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{billing}', '2024-03-01 12:00+00',
                      requirement => 'billing>=2');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', requirement => 'billing>=2 for 1min; billing>=3');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM cj_claim('a', 'billing:0'::cj_skillset);
\echo :LAST_ERROR_SQLSTATE

-- 10. bad input
-- windows: zero or negative, without an agent, an agent without a window
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      preferred_agent => 'ann', prefer_for => '0 s');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      preferred_agent => 'ann', prefer_for => '-1 min');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      preferred_agent => 'ann', prefer_for => '1 day -24 hours');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      prefer_for => '1 min');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      prefer_required => true);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      preferred_agent => 'ann');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      preferred_agent => 'ann', prefer_for => '1 min', prefer_required => true);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      preferred_agent => '', prefer_for => '1 min');
\echo :LAST_ERROR_SQLSTATE
-- not_before after the due time is an error
SELECT cj_enqueue_due('x', '2024-03-01 12:05+00', '{}', '2024-03-01 12:00+00',
                      not_before => '2024-03-01 12:05:00.000001+00');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue('x', 'gold', 'gold:2min', arrived_at => '2024-03-01 12:00+00',
                  not_before => '2024-03-01 13:00+00');
\echo :LAST_ERROR_SQLSTATE
-- the SLA form computes the window from its own due time
SELECT cj_enqueue('sla', 'gold', 'gold:2min', arrived_at => '2024-03-01 12:00+00',
                  preferred_agent => 'ann', prefer_required => true) AS sla_ticket \gset
SELECT due, pinned_until FROM cj_ticket WHERE id = :sla_ticket;
-- routing profiles
SELECT * FROM cj_claim('ann', '{}', queues => '{a,a}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => '{a,NULL}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => '{a,""}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => '{a,b}', delays => '{1 min}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => '{a,b}', delays => '{1 min,NULL}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => '{{a},{b}}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', 'other', queues => '{a,b}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', delays => '{1 min}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => (SELECT array_agg('q' || i) FROM generate_series(1, 65) i));
\echo :LAST_ERROR_SQLSTATE
-- estimated wait arguments
SELECT cj_routing_wait(0, 0, '1 min');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_routing_wait(0, 1, '0 s');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_routing_wait(-1, 1, '1 min');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_estimated_wait(:sla_ticket, -2, '1 min');
\echo :LAST_ERROR_SQLSTATE
-- a handle time in months has no fixed length (as every duration here)
SELECT cj_routing_wait(0, 8, '1 month');
\echo :LAST_ERROR_SQLSTATE
-- delays lie within a year either way; a window needs a finite arrival;
-- a claim needs a finite clock
SELECT * FROM cj_claim('ann', '{}', queues => '{a,b}', delays => '{0, -300000 years}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', queues => '{a,b}', delays => '{0, 366 days}');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS year_delays_ok FROM cj_claim('ann', '{}', queues => '{a,b}', delays => '{1 year, -1 year}',
                                                now => '2024-03-01 12:00+00');
SELECT cj_enqueue_due('inf', 'infinity', arrived_at => 'infinity', preferred_agent => 'ann', prefer_for => '1 min');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', 'qpos', now => 'infinity');
\echo :LAST_ERROR_SQLSTATE
-- a text[] skill list may hold '' (for the skills column); it meets no
-- requirement term, and the other skills still meet requirements
SELECT cj_enqueue_due('req-any', '2024-03-01 12:05+00', arrived_at => '2024-03-01 12:00+00',
                      queue => 'qempty', requirement => 'any') IS NOT NULL AS r1,
       cj_enqueue_due('req-billing', '2024-03-01 12:06+00', arrived_at => '2024-03-01 12:00+00',
                      queue => 'qempty', requirement => 'billing>=1') IS NOT NULL AS r2,
       cj_enqueue_due('no-req', '2024-03-01 12:07+00', '{}', '2024-03-01 12:01+00', queue => 'qempty') IS NOT NULL AS r3;
SELECT customer FROM cj_claim('a', '{""}'::text[], 'qempty', now => '2024-03-01 12:02+00');
SELECT customer FROM cj_claim('a', '{""}'::text[], 'qempty', now => '2024-03-01 12:02+00');
SELECT customer FROM cj_claim('b', '{billing,""}'::text[], 'qempty', now => '2024-03-01 12:02+00');
-- the 1.1 signatures kept for functions written against 1.1 call the 1.2
-- functions: the same tickets, the same checks
SELECT cj_enqueue_1_1('v11-a', 'gold', 'gold:2min', '{}', '2024-03-01 12:00+00', NULL, 'q11') IS NOT NULL AS enqueued,
       cj_enqueue_due_1_1('v11-b', '2024-03-01 12:01+00', '{}', '2024-03-01 12:00+00', NULL, NULL, 'q11') IS NOT NULL AS enqueued_due;
SELECT customer, due FROM cj_ticket WHERE queue = 'q11' ORDER BY due;
SELECT customer, agent FROM cj_claim_1_1('ann', '{}', 'q11');
SELECT customer, agent FROM cj_claim_1_1('ann', '{}', 'q11');
SELECT count(*) AS none_left FROM cj_claim_1_1('ann', '{}', 'q11');
SELECT count(*) AS strict_null FROM cj_claim_1_1(NULL, '{}', 'q11');
SELECT cj_enqueue_1_1('v11-c', 'gold', 'gold:2min', queue => '');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due_1_1('v11-c', '2024-03-01 12:01+00', queue => '');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim_1_1('', '{}', 'q11');
\echo :LAST_ERROR_SQLSTATE
-- an empty agent or queue name is no name
SELECT * FROM cj_claim('', '{}', 'qpos', now => '2024-03-01 12:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('ann', '{}', '', now => '2024-03-01 12:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('e', '2030-01-01', queue => '');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue('e', 'gold', 'gold:2min', queue => '');
\echo :LAST_ERROR_SQLSTATE
-- completing under a claim that was never made says so
DO $$
DECLARE id bigint := cj_enqueue_due('never', '2030-01-01', queue => 'never_q'); d text;
BEGIN
  PERFORM cj_complete(id, 'ann', 1);
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RAISE NOTICE '%: % / %', SQLSTATE, replace(SQLERRM, id::text, 'N'), d;
END $$;

-- the queue registry (opt-in): empty, every name is accepted (as in 1.1);
-- with rows, only the queues it lists, for enqueues and for every queue of
-- a claim's profile (22023; a NULL queue 22004)
SELECT cj_enqueue_due('r0', '2030-01-01', queue => 'unregistered') IS NOT NULL AS empty_registry_accepts;
SELECT count(*) AS empty_registry_claims FROM cj_claim('rita', '{}', 'nowhere', now => '2024-03-01 12:00+00');
INSERT INTO cj_queue (name, description) VALUES ('reg_a', 'billing'), ('reg_b', NULL);
SELECT cj_enqueue_due('r1', '2030-01-01', queue => 'reg_a') IS NOT NULL AS registered_accepted;
SELECT cj_enqueue('r2', 'gold', 'gold:2min', queue => 'reg_b') IS NOT NULL AS registered_accepted;
SELECT cj_enqueue_due('r3', '2030-01-01', queue => 'reg_c');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue('r3', 'gold', 'gold:2min', queue => 'it''s');
\echo :LAST_ERROR_SQLSTATE
SELECT cj_enqueue_due('r3', '2030-01-01', queue => NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('rita', '{}', 'reg_c', now => '2024-03-01 12:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cj_claim('rita', 'x:1'::cj_skillset, queues => '{reg_a,reg_b,reg_c}', now => '2024-03-01 12:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT customer, queue FROM cj_claim('rita', '{}', queues => '{reg_b,reg_a}', now => '2031-01-01 00:00+00');
SELECT customer, queue FROM cj_claim('rita', '{}', queues => '{reg_b,reg_a}', now => '2031-01-01 00:00+00');
SELECT count(*) AS registered_queue_drained FROM cj_claim('rita', '{}', 'reg_a', now => '2031-01-01 00:00+00');
INSERT INTO cj_queue (name) VALUES ('');
\echo :LAST_ERROR_SQLSTATE
DELETE FROM cj_queue;
SELECT count(*) AS empty_again_accepts FROM cj_claim('rita', '{}', 'reg_c', now => '2024-03-01 12:00+00');

-- the functions and their labels
SELECT p.oid::regprocedure AS function, provolatile, proparallel, proisstrict
FROM pg_proc p
WHERE proname IN ('cj_claim', 'cj_enqueue', 'cj_enqueue_due', 'cj_queue_position',
                  'cj_estimated_wait', 'cj_routing_window', 'cj_routing_queues',
                  'cj_routing_wait', 'cj_queue_unknown')
ORDER BY p.oid::regprocedure::text;

TRUNCATE cj_ticket;
