-- custjourney 1.1 -> 1.2
-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION custjourney UPDATE TO '1.2'" to load this file. \quit

-- Sections by area; each change adds its objects to its own section.

-- ==== reliability: states, limits, output domain ====

-- ==== reliability: maths ====

-- ==== service: queue integrity and Citus ====

-- ==== service: routing ====

-- ==== service: calendars and SLA clocks ====

-- ==== touchpoints: customer memory ====

-- ==== loyalty: statements, transfers, earning ====

-- ==== lifetime value: uncertainty and windows ====

-- ==== lifetime value: covariates ====
