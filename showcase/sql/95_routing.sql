-- Showcase step 95: routing (doc/service.md, "Routing").  The next
-- morning, three of the most valuable customers call back: each ticket
-- waits two minutes for the agent who took that customer's last phone call
-- (cj_last_agent of the memory built in step 90) before anyone else may
-- take it.  One more customer asked to be called back at 09:10: the
-- callback is invisible until then and keeps its due time.  Agents claim
-- at given instants (now => ...), so the run is the same every time; the
-- waiting customers see their place in line and an expected wait.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Routing: returning customers wait for their last agent; a callback at 09:10'
CREATE TABLE showcase_returning AS
SELECT t.customer, t.tier, t.clv, cj_last_agent(m.memory, 'phone') AS last_agent
FROM showcase_tiers t JOIN showcase_customer_memory m USING (customer)
WHERE cj_last_agent(m.memory, 'phone') IS NOT NULL
ORDER BY t.clv DESC, t.customer
LIMIT 3;
-- three returning callers at 09:00, 09:00:20 and 09:00:40, pinned to their
-- last agent for two minutes; four walk-ins; a callback booked for 09:10
SELECT count(*) AS tickets_enqueued FROM (
    SELECT cj_enqueue(r.customer::text, r.tier, s.sla, '{}',
                      '1997-10-02 09:00+00'::timestamptz + (n - 1) * interval '20 s', r.clv::float8,
                      queue => 'vip', preferred_agent => r.last_agent, prefer_for => '2 min')
    FROM (SELECT *, row_number() OVER (ORDER BY clv DESC, customer) AS n FROM showcase_returning) r,
         showcase_sla s
    UNION ALL
    SELECT cj_enqueue('walk-in ' || i, 'gold', s.sla, '{}',
                      '1997-10-02 09:00:05+00'::timestamptz + i * interval '10 s', queue => 'vip')
    FROM generate_series(1, 4) i, showcase_sla s
    UNION ALL
    SELECT cj_enqueue_due('callback', '1997-10-02 09:15+00', '{}', '1997-10-02 08:45+00',
                          queue => 'vip', not_before => '1997-10-02 09:10+00')) q;
SELECT customer, tier, to_char(arrived_at, 'HH24:MI:SS') AS arrived, to_char(due, 'HH24:MI:SS') AS due,
       preferred_agent, to_char(pinned_until, 'HH24:MI:SS') AS pinned_until,
       to_char(not_before, 'HH24:MI:SS') AS not_before,
       cj_queue_position(id, '1997-10-02 09:01+00') AS position_at_0901,
       cj_estimated_wait(id, 2, '4 min', '1997-10-02 09:01+00') AS expected_wait_2_agents
FROM cj_ticket WHERE queue = 'vip' ORDER BY due, id;

\echo 'Claims: another agent at 09:01 passes over the pinned tickets; the last agent of the first caller at 09:01:30; then one agent every minute'
CREATE TABLE showcase_routing_claims (at timestamptz, agent text, customer text);
INSERT INTO showcase_routing_claims
SELECT '1997-10-02 09:01+00', c.agent, c.customer
FROM cj_claim('agent-stranger', '{}', 'vip', now => '1997-10-02 09:01+00') c;
INSERT INTO showcase_routing_claims
SELECT '1997-10-02 09:01:30+00', c.agent, c.customer
FROM showcase_returning r,
     LATERAL cj_claim(r.last_agent, '{}', 'vip', now => '1997-10-02 09:01:30+00') c
WHERE r.customer = (SELECT customer FROM showcase_returning ORDER BY clv DESC, customer LIMIT 1);
INSERT INTO showcase_routing_claims
SELECT at, c.agent, c.customer
FROM generate_series('1997-10-02 09:03+00'::timestamptz, '1997-10-02 09:12+00', '1 min') at,
     LATERAL cj_claim('agent-floor', '{}', 'vip', now => at) c;
SELECT to_char(c.at, 'HH24:MI:SS') AS claimed_at, c.agent, c.customer,
       t.preferred_agent, to_char(t.due, 'HH24:MI:SS') AS due,
       CASE WHEN t.pinned_until > c.at THEN 'their last agent, inside the window'
            WHEN t.pinned_until IS NOT NULL THEN 'window over: next in due order'
            WHEN t.not_before IS NOT NULL THEN 'callback, once its time came'
            ELSE 'in due order' END AS why
FROM showcase_routing_claims c JOIN cj_ticket t ON t.customer = c.customer AND t.queue = 'vip'
ORDER BY c.at, t.due;
