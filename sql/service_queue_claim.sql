-- the queue kit's claim check: cj_complete, cj_release and cj_abandon act
-- only under the ticket's current claim (agent + claim number)
\set VERBOSITY default
SET timezone = 'UTC';
TRUNCATE cj_ticket;
SELECT setval('cj_ticket_id_seq', 100, false) IS NOT NULL AS reset;

SELECT cj_enqueue_due('k' || i, timestamptz '2024-03-01 12:00:00+00' + i * interval '1 min',
                      '{}', '2024-03-01 11:00:00+00')
FROM generate_series(1, 6) i;

-- the claim number is the claims column of the row cj_claim returns
SELECT id, agent, claims AS claim FROM cj_claim('ann');
SELECT id, agent, claims AS claim FROM cj_claim('bob');

-- a snapshot of the queue, to show that refused calls change nothing
CREATE TABLE service_queue_claim_before AS SELECT * FROM cj_ticket;
CREATE FUNCTION service_queue_claim_changed() RETURNS bigint LANGUAGE sql
RETURN (SELECT count(*) FROM (
          (SELECT * FROM cj_ticket EXCEPT ALL SELECT * FROM service_queue_claim_before)
          UNION ALL
          (SELECT * FROM service_queue_claim_before EXCEPT ALL SELECT * FROM cj_ticket)) d);

-- a foreign agent, even with the right claim number, is refused (55J01)
SELECT cj_complete(100, 'bob', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_release(100, 'bob', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_abandon(100, 'bob', 1);
\echo :LAST_ERROR_SQLSTATE
-- a wrong claim number of the right agent is refused
SELECT cj_complete(100, 'ann', 2);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_complete(100, 'ann', 0);
\echo :LAST_ERROR_SQLSTATE
-- a waiting ticket has no claim to act under
SELECT cj_complete(102, 'ann', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_abandon(102, 'ann', 0);
\echo :LAST_ERROR_SQLSTATE
-- an unknown ticket
SELECT cj_release(999, 'ann', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT service_queue_claim_changed() AS rows_changed;

-- the holder acts: true, and the ticket moves on
SELECT cj_complete(100, 'ann', 1) AS completed;
SELECT id, state, agent, claims, closed_at IS NOT NULL AS closed FROM cj_ticket WHERE id = 100;
-- the same claim again: the ticket is closed now
SELECT cj_complete(100, 'ann', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_abandon(100, 'ann', 1);
\echo :LAST_ERROR_SQLSTATE

-- a stale claim: bob's claim on 101 is requeued as stale, and cat claims
-- the ticket again; bob's late complete, release or abandon is refused
UPDATE cj_ticket SET claimed_at = claimed_at - interval '1 hour' WHERE id = 101;
SELECT cj_requeue_stale('10 min') AS requeued;
-- while it waits
SELECT cj_complete(101, 'bob', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT id, agent, claims AS claim FROM cj_claim('cat');
DELETE FROM service_queue_claim_before;
INSERT INTO service_queue_claim_before SELECT * FROM cj_ticket;
SELECT cj_complete(101, 'bob', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_release(101, 'bob', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_abandon(101, 'bob', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT service_queue_claim_changed() AS rows_changed;
SELECT id, state, agent, claims FROM cj_ticket WHERE id = 101;

-- the same agent's earlier claim is stale too: released and claimed again
SELECT cj_release(101, 'cat', 2) AS released;
SELECT id, state, agent, claims FROM cj_ticket WHERE id = 101;
SELECT cj_release(101, 'cat', 2);
\echo :LAST_ERROR_SQLSTATE
SELECT id, agent, claims AS claim FROM cj_claim('cat');
SELECT cj_complete(101, 'cat', 2);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_abandon(101, 'cat', 3) AS abandoned;
SELECT id, state, agent, claims, closed_at IS NOT NULL AS closed FROM cj_ticket WHERE id = 101;

-- the refusal is an error: in a transaction block it aborts the block, so
-- nothing the block did before it survives
BEGIN;
SELECT id, agent, claims AS claim FROM cj_claim('dan');
SELECT cj_complete(102, 'eve', 1);
ROLLBACK;
SELECT id, state, agent, claims FROM cj_ticket WHERE id = 102;

-- at REPEATABLE READ and SERIALIZABLE an uncontended claim works (a
-- contended one fails with 40001: test/t/050_queue_concurrency.pl)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT id, agent, claims AS claim FROM cj_claim('rr');
SELECT cj_complete(102, 'rr', 1) AS completed;
COMMIT;
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT id, agent, claims AS claim FROM cj_claim('ser');
SELECT cj_release(103, 'ser', 1) AS released;
COMMIT;
SELECT id, state, agent, claims FROM cj_ticket WHERE id IN (102, 103) ORDER BY id;

-- NULL arguments: NULL (the functions are STRICT), nothing changes
SELECT cj_complete(102, NULL, 1) IS NULL AS n1, cj_release(NULL, 'a', 1) IS NULL AS n2,
       cj_abandon(102, 'a', NULL) IS NULL AS n3;

-- the checked forms by name; the one-argument 1.1 forms still exist
SELECT p.oid::regprocedure AS function, provolatile, proparallel, proisstrict, prosecdef
FROM pg_proc p
WHERE proname IN ('cj_complete', 'cj_release', 'cj_abandon', 'cj_claim_error')
ORDER BY p.oid::regprocedure::text;

-- cj_claim_error always raises, whoever calls it
SELECT cj_claim_error(NULL, NULL, NULL, NULL, NULL, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT cj_claim_error('complete', 7, 'x', 3, 'abandoned', 'y', 2);

-- the script grants the queue to the extension owner with grant option
-- (what a non-superuser who installs the trusted extension needs: see
-- test/t/073_trusted_install.pl), but not TRIGGER or REFERENCES
SELECT c.relname, a.privilege_type
FROM pg_class c, pg_extension e, aclexplode(c.relacl) a
WHERE e.extname = 'custjourney' AND c.relname IN ('cj_ticket', 'cj_ticket_id_seq')
  AND a.grantee = e.extowner AND a.is_grantable
ORDER BY 1, 2;

-- the Citus guard: a statement trigger on TRUNCATE only, which does nothing
SELECT tgname, tgfoid::regproc, tgtype, tgenabled FROM pg_trigger
WHERE tgrelid = 'cj_ticket'::regclass ORDER BY 1;
INSERT INTO cj_ticket (customer, arrived_at, due) VALUES ('t', now(), now());
TRUNCATE cj_ticket;
SELECT count(*) AS after_truncate FROM cj_ticket;
SELECT cj_ticket_guard();

DROP FUNCTION service_queue_claim_changed();
DROP TABLE service_queue_claim_before;
TRUNCATE cj_ticket;
