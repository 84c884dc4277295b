/*-------------------------------------------------------------------------
 *
 * claim.h
 *	  The queue kit's claim-check error code.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SERVICE_CLAIM_H
#define CJ_SERVICE_CLAIM_H

#include "utils/elog.h"

/*
 * 55J01 stale_claim: cj_complete, cj_release or cj_abandon named a claim
 * (ticket, agent, claim number) that is not the ticket's current claim.
 * Class 55 is "object not in prerequisite state"; subclasses starting with
 * a letter from I to Z are implementation-defined, so this one cannot
 * collide with a PostgreSQL code.
 */
#define ERRCODE_CJ_STALE_CLAIM MAKE_SQLSTATE('5', '5', 'J', '0', '1')

#endif							/* CJ_SERVICE_CLAIM_H */
