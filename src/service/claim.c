/*-------------------------------------------------------------------------
 *
 * claim.c
 *	  The queue kit's claim check: the error raised when cj_complete,
 *	  cj_release or cj_abandon names a claim that is not the ticket's
 *	  current one.
 *
 * A claim is identified by the ticket id, the agent and the claim number
 * (cj_ticket.claims after the claim, returned by cj_claim).  The checked
 * forms of the queue functions (SQL, custjourney--1.1--1.2.sql) update the
 * ticket only when all three match; when nothing matched they call
 * cj_claim_error with what the ticket holds now, and it raises
 * ERRCODE_CJ_STALE_CLAIM (55J01: class 55, "object not in prerequisite
 * state", implementation-defined subclass J01).  The error aborts the
 * statement, so nothing changes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "service/claim.h"

PG_FUNCTION_INFO_V1(cj_claim_error);

/*
 * cj_claim_error(action, ticket, agent, claim, state, holder, held_claim)
 *
 * Raises the stale-claim error.  state, holder and held_claim are what the
 * ticket holds now (all NULL when the ticket does not exist).  Never
 * returns.
 */
Datum
cj_claim_error(PG_FUNCTION_ARGS)
{
	const char *action = PG_ARGISNULL(0) ? "act on" : text_to_cstring(PG_GETARG_TEXT_PP(0));
	int64		ticket = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1);
	const char *agent = PG_ARGISNULL(2) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(2));
	int32		claim = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3);
	const char *state = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	const char *holder = PG_ARGISNULL(5) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(5));
	int32		held = PG_ARGISNULL(6) ? 0 : PG_GETARG_INT32(6);

	if (state == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CJ_STALE_CLAIM),
				 errmsg("cannot %s ticket " INT64_FORMAT ": it does not exist",
						action, ticket)));

	/* a one-argument call (no agent, no claim) on a claimed ticket */
	if (PG_ARGISNULL(2) && strcmp(state, "claimed") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CJ_STALE_CLAIM),
				 errmsg("cannot %s ticket " INT64_FORMAT " without its claim", action, ticket),
				 errdetail("Agent \"%s\" holds claim %d.", holder ? holder : "", held),
				 errhint("Name the claim: cj_%s(ticket, agent, claim) with the agent and claim number that cj_claim returned.",
						 action)));

	if (strcmp(state, "claimed") == 0 && holder != NULL &&
		strcmp(holder, agent) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CJ_STALE_CLAIM),
				 errmsg("cannot %s ticket " INT64_FORMAT ": it is claimed by another agent",
						action, ticket),
				 errdetail("Agent \"%s\" holds claim %d; the call named claim %d of agent \"%s\".",
						   holder, held, claim, agent)));

	if (strcmp(state, "claimed") == 0 && held == claim)
		/* what the statement's snapshot saw still matches: a concurrent change */
		ereport(ERROR,
				(errcode(ERRCODE_CJ_STALE_CLAIM),
				 errmsg("cannot %s ticket " INT64_FORMAT ": claim %d of agent \"%s\" is stale",
						action, ticket, claim, agent),
				 errdetail("A concurrent transaction changed the ticket.")));

	if (strcmp(state, "claimed") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CJ_STALE_CLAIM),
				 errmsg("cannot %s ticket " INT64_FORMAT ": claim %d of agent \"%s\" is stale",
						action, ticket, claim, agent),
				 errdetail("The ticket's current claim is %d of agent \"%s\".", held, holder ? holder : "")));

	/* held is the ticket's count of claims: a later number was never made */
	if (strcmp(state, "waiting") == 0 && claim > held)
		ereport(ERROR,
				(errcode(ERRCODE_CJ_STALE_CLAIM),
				 errmsg("cannot %s ticket " INT64_FORMAT ": claim %d of agent \"%s\" does not exist",
						action, ticket, claim, agent),
				 held == 0 ?
				 errdetail("The ticket is waiting and has never been claimed.") :
				 errdetail("The ticket is waiting and has had %d claims.", held)));
	if (strcmp(state, "waiting") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CJ_STALE_CLAIM),
				 errmsg("cannot %s ticket " INT64_FORMAT ": claim %d of agent \"%s\" is stale",
						action, ticket, claim, agent),
				 errdetail("The ticket is waiting again: it was released or its claim was requeued as stale.")));

	ereport(ERROR,
			(errcode(ERRCODE_CJ_STALE_CLAIM),
			 errmsg("cannot %s ticket " INT64_FORMAT ": claim %d of agent \"%s\" is stale",
					action, ticket, claim, agent),
			 errdetail("The ticket is already %s (by claim %d of agent \"%s\").",
					   state, held, holder ? holder : "")));
	PG_RETURN_BOOL(false);		/* not reached */
}

PG_FUNCTION_INFO_V1(cj_ticket_guard);

/*
 * cj_ticket_guard(): the function of the statement trigger that keeps
 * cj_ticket a plain, coordinator-local table on Citus.  Citus refuses to
 * distribute a table that has triggers (unless citus.enable_unsafe_triggers
 * is on), and the queue kit works only on a local table (doc/queue.md).
 * The trigger fires BEFORE TRUNCATE only, so claims never run it; it does
 * nothing.
 */
Datum
cj_ticket_guard(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cj_ticket_guard() must be called as a trigger")));
	PG_RETURN_POINTER(NULL);
}
