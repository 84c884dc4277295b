/*
 * custjourney 1.0: customer lifetime value models, loyalty tiering and
 * service priority, in SQL.
 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION custjourney" to load this file. \quit

