/*-------------------------------------------------------------------------
 *
 * route_claim.c
 *	  cj_claim, the routing claim of the queue kit, in C: the same two
 *	  statements as the SQL-language claim it replaces, prepared once per
 *	  backend and kept, so a claim costs two plan executions and no
 *	  planning.
 *
 * A SQL-language function re-plans its statements on every call (PostgreSQL
 * 15-17 cache nothing across calls), which cost a plain claim more than the
 * claim itself.  Here the statements are prepared with SPI as generic plans
 * (the arguments are parameters, as they were in the SQL function, so the
 * plans are the ones the SQL function got) and kept with SPI_keepplan.
 *
 * The statements, in order (custjourney--1.1--1.2.sql, "service: routing",
 * describes the routing model):
 *   0. the first of the profile's queues the queue registry (cj_queue)
 *	    does not list, when it lists any: an error (cj_raise_unknown_queue);
 *   1. open the tickets of the profile's queues whose hidden or pinned
 *	    phase has ended (FOR UPDATE SKIP LOCKED);
 *   2. probe, per queue, the open pool and the agent's pinned tickets for
 *	    the earliest-due ticket the agent qualifies for, lock each head with
 *	    SKIP LOCKED, and claim the least (due + queue delay, id), returning
 *	    the claimed row.
 *
 * The routing profile is checked and turned into the list of queues by
 * cj_routing_queues, called here once per claim (so its errors carry no
 * statement context) when the agent and the clock are given; without
 * either the statements match nothing, so the claim returns no row at
 * once, as the SQL form did.  Without skills only statement 1 runs.
 *
 * Parameters: $1 agent, $2 the agent's skills as text[], $3 the queues
 * probed (text[]), $4 delays, $5 now, $6 the skills as cj_skillset.  The
 * text[] form passes $6 NULL and the statement converts $2 with
 * cj_skillset at most once per claim, only when a ticket with a
 * requirement is checked (as the SQL form did, so an unconvertible skill
 * list raises exactly when it did); the cj_skillset form passes
 * $2 = cj_skills($6).
 *
 * Security: the extension is relocatable and trusted, so the statement text
 * must not depend on the caller's search_path.  It names the extension's
 * objects with the schema of the called function (quoted) and every
 * built-in operator, function and type with pg_catalog.  The kept plans
 * are keyed by that schema's oid and name and by the oid of its cj_ticket,
 * so a moved, renamed or re-created extension gets fresh plans.  JIT stays
 * off through the function's SET jit = off, which the SPI plans inherit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "service/routing.h"
#include "service/skills.h"

PG_FUNCTION_INFO_V1(cj_claim_text);
PG_FUNCTION_INFO_V1(cj_claim_skillset);

#define CLAIM_NARGS 6

/* Statement 0: a queue the registry does not list while it lists any */
static const char *const KnownSql =
"SELECT p.q FROM pg_catalog.unnest($3) AS p(q) "
"WHERE EXISTS (SELECT FROM %1$s.cj_queue) "
"AND NOT EXISTS (SELECT FROM %1$s.cj_queue r WHERE r.name OPERATOR(pg_catalog.=) p.q) "
"LIMIT 1";

/* Statement 1: open the tickets whose hidden or pinned phase has ended */
static const char *const OpenSql =
"UPDATE %1$s.cj_ticket t "
"SET held_until = CASE WHEN t.pinned_until OPERATOR(pg_catalog.>) $5 "
"THEN t.pinned_until END "
"WHERE t.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT h.id "
"FROM pg_catalog.unnest($3) AS p(q), "
"LATERAL (SELECT u.id FROM %1$s.cj_ticket u "
"WHERE u.queue OPERATOR(pg_catalog.=) p.q "
"AND u.state OPERATOR(pg_catalog.=) 'waiting'::pg_catalog.text "
"AND u.held_until OPERATOR(pg_catalog.<=) $5 "
"FOR UPDATE SKIP LOCKED) h))";

/*
 * The agent qualifies for ticket t: a ticket with a requirement by
 * cj_satisfies at its wait so far, one without by its skills (each at
 * level 1).
 */
#define QUALIFIES \
"(CASE WHEN t.requirement IS NULL THEN t.skills OPERATOR(pg_catalog.<@) $2 " \
"ELSE %1$s.cj_satisfies(COALESCE($6, (SELECT %1$s.cj_skillset($2))), " \
"t.requirement, $5 OPERATOR(pg_catalog.-) t.arrived_at) END) "

/* Statement 2: pick and claim the least (due + queue delay, id) */
static const char *const ClaimSql =
"WITH p AS ("
"SELECT u.q, COALESCE(u.d, '00:00:00'::pg_catalog.interval) AS d "
"FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($4)) AS u(q, d)"
"), cand AS ("
"SELECT o.id, o.due OPERATOR(pg_catalog.+) p.d AS eff "
"FROM p, LATERAL (SELECT t.id, t.due FROM %1$s.cj_ticket t "
"WHERE t.queue OPERATOR(pg_catalog.=) p.q "
"AND t.state OPERATOR(pg_catalog.=) 'waiting'::pg_catalog.text "
"AND t.held_until IS NULL "
/* a claim with a later clock may have opened it */
"AND (t.not_before IS NULL OR t.not_before OPERATOR(pg_catalog.<=) $5) "
"AND (t.pinned_until IS NULL OR t.pinned_until OPERATOR(pg_catalog.<=) $5 "
"OR t.preferred_agent OPERATOR(pg_catalog.=) $1) "
"AND " QUALIFIES
"ORDER BY t.due, t.id LIMIT 1 FOR UPDATE SKIP LOCKED) o "
"UNION ALL "
"SELECT o.id, o.due OPERATOR(pg_catalog.+) p.d AS eff "
"FROM p, LATERAL (SELECT t.id, t.due FROM %1$s.cj_ticket t "
"WHERE t.queue OPERATOR(pg_catalog.=) p.q "
"AND t.preferred_agent OPERATOR(pg_catalog.=) $1 "
"AND t.state OPERATOR(pg_catalog.=) 'waiting'::pg_catalog.text "
"AND t.held_until OPERATOR(pg_catalog.=) t.pinned_until "
"AND (t.not_before IS NULL OR t.not_before OPERATOR(pg_catalog.<=) $5) "
"AND " QUALIFIES
"ORDER BY t.due, t.id LIMIT 1 FOR UPDATE SKIP LOCKED) o"
") "
"UPDATE %1$s.cj_ticket t "
"SET state = 'claimed'::pg_catalog.text, agent = $1, claimed_at = $5, "
"claims = t.claims OPERATOR(pg_catalog.+) 1 "
"WHERE t.id OPERATOR(pg_catalog.=) "
"(SELECT cand.id FROM cand ORDER BY cand.eff, cand.id LIMIT 1) "
"RETURNING t.*";

/* The kept plans and what they were prepared for */
typedef struct ClaimPlans
{
	Oid			nsp;			/* the extension's schema */
	char	   *nspname;		/* its name when prepared (TopMemoryContext) */
	Oid			ticket;			/* its cj_ticket */
	SPIPlanPtr	known;			/* statement 0 */
	SPIPlanPtr	open;			/* statement 1 */
	SPIPlanPtr	claim;			/* statement 2 */
} ClaimPlans;

static ClaimPlans plans = {InvalidOid, NULL, InvalidOid, NULL, NULL, NULL};

/*
 * Prepares one statement of the claim for the schema quoted as qnsp, as a
 * generic plan (the SQL function's plans; no custom re-planning).
 */
static SPIPlanPtr
PrepareClaimSql(const char *fmt, const char *qnsp, Oid *argtypes)
{
	StringInfoData sql;
	SPIPlanPtr	plan;

	initStringInfo(&sql);
	appendStringInfo(&sql, fmt, qnsp);
	plan = SPI_prepare_cursor(sql.data, CLAIM_NARGS, argtypes,
							  CURSOR_OPT_GENERIC_PLAN);
	if (plan == NULL)
		elog(ERROR, "cj_claim: SPI_prepare failed: %s",
			 SPI_result_code_string(SPI_result));
	return plan;
}

/*
 * Makes plans hold the kept plans of the claim for schema nsp (inside an
 * SPI connection), preparing them when the cached ones were made for
 * another schema, schema name or cj_ticket table, or not yet.
 */
static void
ClaimPlansFor(Oid nsp)
{
	char	   *nspname = get_namespace_name(nsp);
	Oid			ticket;
	Oid			skillset;
	Oid			argtypes[CLAIM_NARGS];
	SPIPlanPtr	known;
	SPIPlanPtr	open;
	SPIPlanPtr	claim;

	if (nspname == NULL)
		elog(ERROR, "cj_claim: schema %u not found", nsp);
	ticket = get_relname_relid("cj_ticket", nsp);
	if (!OidIsValid(ticket))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s.cj_ticket\" does not exist", nspname)));
	if (plans.open != NULL && plans.nsp == nsp && plans.ticket == ticket &&
		strcmp(plans.nspname, nspname) == 0)
		return;

	skillset = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
							   CStringGetDatum("cj_skillset"),
							   ObjectIdGetDatum(nsp));
	if (!OidIsValid(skillset))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type \"%s.cj_skillset\" does not exist", nspname)));
	argtypes[0] = TEXTOID;
	argtypes[1] = TEXTARRAYOID;
	argtypes[2] = TEXTARRAYOID;
	argtypes[3] = INTERVALARRAYOID;
	argtypes[4] = TIMESTAMPTZOID;
	argtypes[5] = skillset;

	/* prepare all before keeping any, so an error leaves no part */
	known = PrepareClaimSql(KnownSql, quote_identifier(nspname), argtypes);
	open = PrepareClaimSql(OpenSql, quote_identifier(nspname), argtypes);
	claim = PrepareClaimSql(ClaimSql, quote_identifier(nspname), argtypes);
	if (SPI_keepplan(known) != 0 || SPI_keepplan(open) != 0 ||
		SPI_keepplan(claim) != 0)
		elog(ERROR, "cj_claim: SPI_keepplan failed");

	if (plans.open != NULL)
	{
		SPI_freeplan(plans.known);
		SPI_freeplan(plans.open);
		SPI_freeplan(plans.claim);
		pfree(plans.nspname);
	}
	plans.nsp = nsp;
	plans.nspname = MemoryContextStrdup(TopMemoryContext, nspname);
	plans.ticket = ticket;
	plans.known = known;
	plans.open = open;
	plans.claim = claim;
}

/*
 * The queues a claim probes: cj_routing_queues(queue, queues, delays) of
 * the claim's arguments 2 to 4, which checks the routing profile; NULL
 * (*isnull) without queue and queues.
 */
static Datum
RouteQueues(FunctionCallInfo fcinfo, bool *isnull)
{
	LOCAL_FCINFO(rq, 3);
	Datum		result;

	InitFunctionCallInfoData(*rq, NULL, 3, InvalidOid, NULL, NULL);
	for (int i = 0; i < 3; i++)
	{
		rq->args[i].value = PG_GETARG_DATUM(i + 2);
		rq->args[i].isnull = PG_ARGISNULL(i + 2);
	}
	result = cj_routing_queues(rq);
	*isnull = rq->isnull;
	return result;
}

/*
 * The claim shared by both forms: skills as text[] (NULL: no skills) and,
 * for the cj_skillset form, the set (skillset_null true for the text[]
 * form).  Returns the claimed ticket as the function's only row, or no row.
 */
static Datum
ClaimTicket(FunctionCallInfo fcinfo, Datum skills, bool skills_null,
			Datum skillset, bool skillset_null)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[CLAIM_NARGS];
	char		nulls[CLAIM_NARGS];
	bool		isnull;
	int			rc;

	CHECK_FOR_INTERRUPTS();
	InitMaterializedSRF(fcinfo, 0);

	/* no agent or no clock: nothing to open, nothing to claim */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(5))
		return (Datum) 0;
	if (VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(0)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agent must not be empty")));
	/* a claim happens at a time: it is stored as the ticket's claimed_at */
	if (TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(5)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("now must be a finite time")));

	values[0] = PG_GETARG_DATUM(0);
	nulls[0] = ' ';
	values[1] = skills;
	nulls[1] = skills_null ? 'n' : ' ';
	values[2] = RouteQueues(fcinfo, &isnull);
	nulls[2] = isnull ? 'n' : ' ';
	values[3] = PG_GETARG_DATUM(4);
	nulls[3] = PG_ARGISNULL(4) ? 'n' : ' ';
	values[4] = PG_GETARG_DATUM(5);
	nulls[4] = ' ';
	values[5] = skillset;
	nulls[5] = skillset_null ? 'n' : ' ';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cj_claim: SPI_connect failed");
	ClaimPlansFor(get_func_namespace(fcinfo->flinfo->fn_oid));

	rc = SPI_execute_plan(plans.known, values, nulls, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "cj_claim: checking the queue registry failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed > 0)
		cj_raise_unknown_queue(SPI_getvalue(SPI_tuptable->vals[0],
											SPI_tuptable->tupdesc, 1));

	rc = SPI_execute_plan(plans.open, values, nulls, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "cj_claim: opening held tickets failed: %s",
			 SPI_result_code_string(rc));
	if (skills_null)
	{
		/* without skills no ticket qualifies */
		SPI_finish();
		return (Datum) 0;
	}
	CHECK_FOR_INTERRUPTS();
	rc = SPI_execute_plan(plans.claim, values, nulls, false, 0);
	if (rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "cj_claim: claiming failed: %s", SPI_result_code_string(rc));

	if (SPI_processed > 0)
	{
		/*
		 * RETURNING t.* lists the live columns of cj_ticket in order; the
		 * row type's descriptor also holds dropped ones, which stay NULL.
		 */
		TupleDesc	src = SPI_tuptable->tupdesc;
		TupleDesc	dst = rsinfo->setDesc;
		Datum	   *sv = palloc(sizeof(Datum) * src->natts);
		bool	   *sn = palloc(sizeof(bool) * src->natts);
		Datum	   *dv = palloc0(sizeof(Datum) * dst->natts);
		bool	   *dn = palloc(sizeof(bool) * dst->natts);
		int			k = 0;

		heap_deform_tuple(SPI_tuptable->vals[0], src, sv, sn);
		for (int i = 0; i < dst->natts; i++)
		{
			if (TupleDescAttr(dst, i)->attisdropped || k >= src->natts)
			{
				dn[i] = true;
				continue;
			}
			dv[i] = sv[k];
			dn[i] = sn[k];
			k++;
		}
		if (k != src->natts)
			elog(ERROR, "cj_claim: returned row does not match cj_ticket");
		/* the tuplestore copies the values before SPI_finish frees them */
		tuplestore_putvalues(rsinfo->setResult, dst, dv, dn);
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * cj_claim(agent text, skills text[], queue text, queues text[],
 *			delays interval[], now timestamptz) RETURNS SETOF cj_ticket
 *
 * The text[] form: each skill at level 1.  Tickets without a requirement
 * are checked against the list as given; requirements against the set of
 * its elements that can name a skill (cj_skillset_for_claim: a '' the
 * list may hold for the skills column meets no requirement term), made
 * here once, or by the statement when the list makes no set.
 */
Datum
cj_claim_text(PG_FUNCTION_ARGS)
{
	Datum		set = (Datum) 0;

	if (!PG_ARGISNULL(1))
		set = cj_skillset_for_claim(PG_GETARG_ARRAYTYPE_P(1));
	return ClaimTicket(fcinfo, PG_GETARG_DATUM(1), PG_ARGISNULL(1),
					   set, set == (Datum) 0);
}

/*
 * cj_claim(agent text, skills cj_skillset, queue text, queues text[],
 *			delays interval[], now timestamptz) RETURNS SETOF cj_ticket
 *
 * The levelled form: tickets without a requirement are checked against the
 * set's skill names (cj_skills), computed once here.
 */
Datum
cj_claim_skillset(PG_FUNCTION_ARGS)
{
	Datum		set = (Datum) 0,
				names = (Datum) 0;

	/*
	 * Detoasted once here: the statement's cj_satisfies reads the set for
	 * every ticket it checks, and would otherwise copy a short-header or
	 * decompress a large one each time.
	 */
	if (!PG_ARGISNULL(1))
	{
		set = PointerGetDatum(PG_DETOAST_DATUM(PG_GETARG_DATUM(1)));
		names = PointerGetDatum(cj_skillset_names(cj_skillset_datum(set)));
	}
	return ClaimTicket(fcinfo, names, PG_ARGISNULL(1), set, PG_ARGISNULL(1));
}
