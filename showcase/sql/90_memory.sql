-- Showcase step 90: customer memory at the touchpoint (doc/journey.md).
-- CDNOW has purchases but no contacts, so this step invents a touch log
-- for its customers (deterministic: a contact after some purchases, about
-- an order, a delivery, a return or billing, on the phone, the web or by
-- email, some opening and closing cases), builds each customer's memory,
-- keeps it current with the upsert recipe, and prints the screen pop an
-- agent would see when one of the most valuable customers calls:
-- name, tier and what is needed for the next one, points and their next
-- expiry, CLV and P(alive) (steps 50 and 60), the last three contacts,
-- open cases, repeat contact and the preferred agent.
SET client_min_messages = warning;
SET timezone = 'UTC';
\pset footer off

\echo
\echo '== Customer memory: an invented touch log for the CDNOW customers'
SELECT setseed(0.9);
CREATE TABLE showcase_touches AS
SELECT t.customer, t.day + (h % 86400) * interval '1 second' AS occurred_at,
       (ARRAY['phone', 'web', 'email', 'phone'])[1 + h % 4] AS channel,
       'agent-' || (1 + h / 7 % 12) AS agent,
       (ARRAY['order', 'delivery', 'return', 'billing', 'order'])[1 + h / 3 % 5] AS topic,
       (ARRAY['open', 'open', 'pending', 'resolved', 'closed', NULL])[1 + h / 11 % 6] AS status,
       'C' || t.customer || '-' || (h / 13 % 3) AS ref
FROM (SELECT customer, day::timestamptz + interval '2 days' AS day,
             (random() * 1000000000)::bigint AS h
      FROM cdnow_tx WHERE day <= '1998-03-31') t
WHERE t.h % 3 = 0;
SELECT count(*) AS touches, count(DISTINCT customer) AS customers,
       min(occurred_at)::date AS first_day, max(occurred_at)::date AS last_day
FROM showcase_touches;

\echo 'Memories as of 1997-09-30, then the later touches upserted (INSERT ... ON CONFLICT ... cj_memory_merge)'
CREATE TABLE showcase_customer_memory (customer int PRIMARY KEY, memory cj_memory COMPRESSION lz4 NOT NULL);
INSERT INTO showcase_customer_memory
SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref)
FROM showcase_touches WHERE occurred_at < '1997-10-01' GROUP BY customer;
INSERT INTO showcase_customer_memory AS cm (customer, memory)
SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref)
FROM showcase_touches WHERE occurred_at >= '1997-10-01' GROUP BY customer
ON CONFLICT (customer) DO UPDATE SET memory = cj_memory_merge(cm.memory, EXCLUDED.memory);
SELECT count(*) AS customers,
       count(*) FILTER (WHERE m.memory = a.memory) AS equal_to_one_aggregate
FROM showcase_customer_memory m
JOIN (SELECT customer, cj_memory_agg(occurred_at, channel, agent, topic, status, ref) AS memory
      FROM showcase_touches GROUP BY customer) a USING (customer);

\echo 'Service measures per channel: repeat contacts within 14 days, first-contact resolution'
SELECT channel, (r).contacts, (r).repeat_contacts, round((r).repeat_contact_rate::numeric, 3) AS repeat_rate,
       (r).cases, round((r).first_contact_resolution::numeric, 3) AS fcr
FROM (SELECT channel, cj_contact_rates(customer::text, occurred_at, topic, status, ref, '14 days') AS r
      FROM showcase_touches GROUP BY channel) s
ORDER BY channel;

-- your own customer table, and the loyalty and value state next to it
CREATE TABLE showcase_customers (customer int PRIMARY KEY, name text NOT NULL);
INSERT INTO showcase_customers
SELECT DISTINCT customer, 'CDNOW customer #' || customer FROM cdnow_tx;
CREATE TABLE showcase_points AS
SELECT customer, cj_points_ledger('earn', round(dollars), day::timestamptz, day::timestamptz + interval '1 year') AS ledger
FROM cdnow_tx WHERE day <= '1997-09-30' AND dollars >= 0.5 GROUP BY customer;
ALTER TABLE showcase_points ADD PRIMARY KEY (customer);

\echo 'Screen pop for the caller (one of the most valuable customers), as of 1997-09-30 for value'
\echo 'and points and 1998-06-30 for contacts'
SELECT customer AS caller FROM showcase_scores ORDER BY clv_12m DESC NULLS LAST, customer LIMIT 1 OFFSET 2 \gset
\x on
SELECT c.name,
       t.tier,
       cj_tier_gap(l.ladder, t.clv) AS to_next_tier,
       (cj_points_balance(p.ledger, '1997-09-30')).available AS points,
       (cj_points_balance(p.ledger, '1997-09-30')).next_expiry_at::date AS points_expire_on,
       round(s.clv_12m::numeric, 2) AS clv_12m,
       round(s.p_alive::numeric, 3) AS p_alive,
       (SELECT string_agg(to_char(x.occurred_at, 'YYYY-MM-DD') || ' ' || x.channel || ' '
                          || coalesce(x.agent, '?') || ': ' || coalesce(x.topic, '?')
                          || coalesce(' (' || x.status || ')', ''), E'\n')
        FROM cj_last_contacts(m.memory, 3) x) AS last_contacts,
       (SELECT string_agg(o.ref || ' ' || o.topic || ' since ' || o.opened_at::date
                          || CASE WHEN o.reopened THEN ' (reopened)' ELSE '' END, E'\n')
        FROM cj_open_cases(m.memory) o) AS open_cases,
       cj_repeat_contact(m.memory, '14 days') AS repeat_contact,
       cj_last_agent(m.memory, 'phone') AS preferred_agent
FROM showcase_customers c
CROSS JOIN showcase_ladder l
LEFT JOIN showcase_tiers t ON t.customer = c.customer
LEFT JOIN showcase_scores s ON s.customer = c.customer
LEFT JOIN showcase_points p ON p.customer = c.customer
LEFT JOIN showcase_customer_memory m ON m.customer = c.customer
WHERE c.customer = :caller;
\x off
