-- the queue kit: enqueue, claim-next, complete, abandon, release, requeue
\set VERBOSITY default
SET timezone = 'UTC';

-- the ticket table and its sequence are dumped with user rows
SELECT c::regclass AS config_relation, cond
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(c, cond)
WHERE e.extname = 'custjourney' AND c::regclass::text LIKE 'cj_ticket%'
ORDER BY 1;

CREATE TABLE service_queue_sla AS
SELECT 'platinum:30s, gold:2min, silver:5min, *:15min'::cj_sla AS sla;

-- arrivals (due = arrival + tier target)
SELECT cj_enqueue('c1', 'silver', sla, '{}', '2024-03-01 12:00:00+00') FROM service_queue_sla;
SELECT cj_enqueue('c2', 'platinum', sla, '{}', '2024-03-01 12:04:00+00', 950.5) FROM service_queue_sla;
SELECT cj_enqueue('c3', 'gold', sla, '{french}', '2024-03-01 12:01:00+00') FROM service_queue_sla;
SELECT cj_enqueue('c4', NULL, sla, '{}', '2024-03-01 11:50:00+00') FROM service_queue_sla;
SELECT cj_enqueue_due('c5', cj_due('2024-03-01 12:00:00+00', 700, '15 min', '1 s', '30 s'),
                      '{billing}', '2024-03-01 12:00:00+00', NULL, 700);
SELECT id, customer, tier, value, skills, arrived_at, due, state, agent, claims
FROM cj_ticket ORDER BY id;

-- claims hand out the earliest-due ticket the agent is qualified for
SELECT id, customer, due, state, agent, claims FROM cj_claim('ann');
SELECT id, customer, due, state, agent, claims FROM cj_claim('bob', '{french,billing}');
SELECT id, customer, due, state, agent, claims FROM cj_claim('ann', '{}');
SELECT id, customer, due, state, agent, claims FROM cj_claim('cat', '{french}');
-- nothing left that a skill-less agent may take
SELECT count(*) AS claimed FROM cj_claim('dan');
SELECT id, state, agent, claimed_at IS NOT NULL AS has_claimed_at FROM cj_ticket ORDER BY id;

-- complete, abandon, release: a claimed ticket only under its claim (the
-- agent and claim number cj_claim returned); without them, 55J01
SELECT cj_complete(1) AS one_argument_on_claimed;
SELECT cj_release(3) AS one_argument_on_claimed;
SELECT cj_abandon(2) AS one_argument_on_claimed;
SELECT cj_complete(id, agent, claims) AS completed FROM cj_ticket WHERE id = 1;
SELECT cj_complete(1) AS again, cj_complete(999) AS unknown;
SELECT cj_abandon(id, agent, claims) AS abandoned_claimed FROM cj_ticket WHERE id = 2;
SELECT cj_abandon(2) AS again;
SELECT cj_release(id, agent, claims) AS released FROM cj_ticket WHERE id = 3;
SELECT cj_release(3) AS again;
SELECT id, state, agent, closed_at IS NOT NULL AS closed FROM cj_ticket ORDER BY id;
-- a released ticket keeps its due time and is claimed again first
SELECT id, customer, state, agent, claims FROM cj_claim('eve', '{french}');

-- stale claims return to the queue
UPDATE cj_ticket SET claimed_at = claimed_at - interval '1 hour' WHERE id = 3;
SELECT cj_requeue_stale('10 min') AS requeued;
SELECT cj_requeue_stale('10 min') AS requeued_again;
SELECT id, state, agent, claims FROM cj_ticket WHERE id IN (3, 5) ORDER BY id;

-- separate queues: each claim probes only its own queue
SELECT cj_enqueue('s1', 'platinum', 'platinum:30s, *:15min', '{}',
                  '2024-03-01 11:00:00+00', queue => 'sales');
SELECT cj_enqueue_due('s2', '2024-03-01 11:00:01+00', '{}', '2024-03-01 11:00:00+00',
                      queue => 'sales');
SELECT id, customer, queue FROM cj_claim('gus', '{}');
SELECT id, customer, queue FROM cj_claim('hal', '{french,billing}', 'sales');
SELECT id, customer, queue FROM cj_claim('hal', '{}', 'sales');
SELECT count(*) AS none_left FROM cj_claim('hal', '{}', 'sales');

-- bad input
SELECT cj_requeue_stale('-1 min');
SELECT cj_requeue_stale('1 mon');
SELECT cj_enqueue('c6', 'bronze', 'gold:2min', '{}', '2024-03-01 12:00:00+00');
SELECT cj_enqueue('c6', 'gold', 'gold:2min', '{french,NULL}', '2024-03-01 12:00:00+00');
SELECT cj_enqueue_due('c6', '2024-03-01 11:00:00+00', '{}', '2024-03-01 12:00:00+00');
SELECT cj_enqueue_due('c6', NULL, '{}', '2024-03-01 12:00:00+00');
SELECT count(*) AS null_agent_claims FROM cj_claim(NULL, '{}');
SELECT cj_complete(NULL) IS NULL AS null_complete;

-- volatility of the queue operations is honest
SELECT proname, provolatile, proparallel, prosecdef FROM pg_proc
WHERE proname IN ('cj_enqueue', 'cj_enqueue_due', 'cj_claim', 'cj_complete',
                  'cj_abandon', 'cj_release', 'cj_requeue_stale', 'cj_stale_cutoff')
ORDER BY proname;

-- a claim is one index probe, however long the queue
BEGIN;
INSERT INTO cj_ticket (customer, tier, arrived_at, due)
SELECT 'bulk' || i, 'silver', t, t + interval '5 min'
FROM generate_series(1, 20000) i,
     LATERAL (SELECT timestamptz '2024-03-02 00:00:00+00' + i * interval '1 s') a(t);
ANALYZE cj_ticket;
-- the plan as 15 prints it: 18 adds decimals to rows= and Index Searches
CREATE FUNCTION pg_temp.plan_rows(q text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
	l text;
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF) ' || q LOOP
		CONTINUE WHEN l ~ '^\s*Index Searches:';
		RETURN NEXT regexp_replace(l, 'rows=(\d+)\.00 ', 'rows=\1 ', 'g');
	END LOOP;
END
$f$;
SELECT pg_temp.plan_rows($q$
SELECT t.id FROM cj_ticket t
WHERE t.queue = 'default' AND t.state = 'waiting' AND t.skills <@ '{}'::text[]
ORDER BY t.due, t.id LIMIT 1 FOR UPDATE SKIP LOCKED
$q$) AS "QUERY PLAN";
ROLLBACK;

-- the functions keep working after the extension is moved to another
-- schema and with an empty search_path (bodies are bound at creation)
CREATE SCHEMA service_queue_moved;
ALTER EXTENSION custjourney SET SCHEMA service_queue_moved;
SET search_path = '';
SELECT service_queue_moved.cj_enqueue('c7', 'gold', 'gold:2min'::service_queue_moved.cj_sla,
                                      '{}', '2024-03-01 12:00:00+00');
SELECT id, customer, state FROM service_queue_moved.cj_claim('fay', '{french,billing}');
RESET search_path;
ALTER EXTENSION custjourney SET SCHEMA public;
DROP SCHEMA service_queue_moved;

TRUNCATE cj_ticket;
DROP TABLE service_queue_sla;
