/*-------------------------------------------------------------------------
 *
 * routing.h
 *	  The routing helpers of the queue kit that the C claim
 *	  (route_claim.c) calls directly.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SERVICE_ROUTING_H
#define CJ_SERVICE_ROUTING_H

#include "fmgr.h"

#include "common/util.h"

/*
 * cj_routing_queues(queue, queues, delays) -> text[]: checks a routing
 * profile and returns the queues a claim probes ({queue} without one).
 */
extern Datum cj_routing_queues(PG_FUNCTION_ARGS);

/*
 * Raise the error of a queue the registry (cj_queue, when not empty) does
 * not list; queue NULL: the error of a NULL queue.
 */
cj_noreturn extern void cj_raise_unknown_queue(const char *queue);

#endif							/* CJ_SERVICE_ROUTING_H */
