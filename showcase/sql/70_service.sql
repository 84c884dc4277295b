-- Showcase step 70: service priority.  A morning of simulated contacts
-- from the scored customers: each ticket is due at arrival + its tier's
-- target wait, agents claim the earliest due first, and Erlang C sizes
-- the team for the morning's volume.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Service: a morning of contacts, earliest-deadline-first dispatch, Erlang C staffing'
\echo 'Target waits: platinum 30 s, gold 2 min, silver 5 min, everyone else 15 min'
CREATE TABLE showcase_sla AS
SELECT 'platinum:30s, gold:2min, silver:5min, *:15min'::cj_sla AS sla;

-- 20 contacts in the first five minutes after 08:00, from random customers
-- (the valuable ones call more often: sampled with weight 1 + CLV / 50)
SELECT setseed(0.7) \gset
CREATE TABLE showcase_contacts AS
SELECT row_number() OVER (ORDER BY arrived_at) AS n, customer, tier, clv, arrived_at
FROM (SELECT t.customer, t.tier, t.clv,
             '1997-10-01 08:00+00'::timestamptz + (random() * 300) * interval '1 second' AS arrived_at
      FROM (SELECT * FROM showcase_tiers ORDER BY customer) t   -- random() in a fixed order
      ORDER BY -ln(random()) / (1 + t.clv / 50), t.customer
      LIMIT 20) s;
SELECT count(*) AS tickets_enqueued
FROM (SELECT cj_enqueue(customer::text, tier, sla, '{}', arrived_at, clv::float8)
      FROM showcase_contacts, showcase_sla ORDER BY n) s;

\echo 'Three agents claim the next ticket in turn (cj_claim: FOR UPDATE SKIP LOCKED on the due index)'
CREATE TABLE showcase_dispatch (turn int, agent text, ticket bigint);
DO $$
DECLARE
    t cj_ticket;
BEGIN
    FOR i IN 1..20 LOOP
        SELECT * INTO t FROM cj_claim('agent ' || (1 + (i - 1) % 3));
        EXIT WHEN t.id IS NULL;
        INSERT INTO showcase_dispatch VALUES (i, t.agent, t.id);
    END LOOP;
END $$;
SELECT d.turn, d.agent, t.customer, t.tier, to_char(t.arrived_at, 'HH24:MI:SS') AS arrived,
       to_char(t.due, 'HH24:MI:SS') AS due,
       (SELECT n FROM showcase_contacts c WHERE c.customer::text = t.customer) AS arrival_order
FROM showcase_dispatch d JOIN cj_ticket t ON t.id = d.ticket ORDER BY d.turn;

\echo 'Staffing for 240 contacts an hour, 5 minutes handling each (rates per minute)'
SELECT agents, round(cj_erlang_c(agents, 4, 5)::numeric, 3) AS p_wait,
       round(cj_erlang_service_level(agents, 4, 5, 20 / 60.0)::numeric, 3) AS answered_in_20s,
       round((60 * cj_erlang_asa(agents, 4, 5))::numeric, 1) AS mean_wait_s
FROM generate_series(21, 27) agents;
SELECT cj_erlang_agents(4, 5, 0.8, 20 / 60.0) AS agents_for_80_in_20s,
       cj_erlang_agents(4, 5, 0.9, 20 / 60.0) AS agents_for_90_in_20s;
