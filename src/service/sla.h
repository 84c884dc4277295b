/*-------------------------------------------------------------------------
 *
 * sla.h
 *	  What the cj_sla glue offers the rest of the service area: the
 *	  target wait of a tier.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_SERVICE_SLA_H
#define CJ_SERVICE_SLA_H

#include "postgres.h"

#include "fmgr.h"

/*
 * Target wait in microseconds of tier in the cj_sla value sla (falling back
 * to the * default); unknown tier without default: ERROR 22023.
 */
extern int64 cj_sla_tier_target(Datum sla, text *tier);

#endif							/* CJ_SERVICE_SLA_H */
