/*-------------------------------------------------------------------------
 *
 * contact_rates.h
 *	  State of the cj_contact_rates aggregate: the contacts of a group, as
 *	  a log of (occurred_at, customer, topic, status, ref) events (pure C).
 *
 * First-contact resolution and repeat-contact rate need, for every
 * contact, the next contact of the same customer on the same topic, and
 * for every case its number of contacts; neither can be summarised
 * without losing exactness under an arbitrary split of the rows, so the
 * state keeps the events (24 bytes plus the strings each) and the final
 * function sorts them once.  Combining concatenates logs.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_CONTACT_RATES_H
#define CJ_CORE_CONTACT_RATES_H

#include "core/common/core.h"

#define CJ_CLOG_MAGIC		0x474F4C43u	/* "CLOG" */
#define CJ_CLOG_VERSION		1
#define CJ_CLOG_MAX_EVENTS	10000000	/* contacts of one group */
#define CJ_CLOG_MAX_TEXT	200			/* bytes of customer, topic, ref */

typedef struct CjContactLog
{
	int32_t		vl_len_;		/* varlena header, set by the glue */
	uint32_t	magic;
	uint8_t		version;
	uint8_t		flags;			/* 0 */
	uint16_t	reserved;		/* 0 */
	int32_t		nevents;
	int64_t		within;			/* repeat window, microseconds, >= 0 */
	int64_t		nbytes;			/* bytes of events used */
	int64_t		cap;			/* bytes of events allocated */
	char		data[];
} CjContactLog;

#define CJ_CLOG_HDRSZ offsetof(CjContactLog, data)

/* One event as given or decoded: NULL pointer = NULL string */
typedef struct CjContactEvent
{
	int64_t		at;
	int32_t		status;			/* CJ_ST_* of memory.h */
	const char *str[3];			/* customer, topic, ref */
	int32_t		len[3];
} CjContactEvent;

/* The measures */
typedef struct CjContactRates
{
	int64_t		contacts;
	int64_t		repeats;		/* contacts followed within the window */
	int64_t		cases;			/* distinct (customer, ref), ref not NULL */
	int64_t		fcr;			/* cases with one contact, resolved/closed */
} CjContactRates;

extern size_t cj_clog_event_size(const CjContactEvent *e);
extern void cj_clog_init(CjContactLog *l, int64_t within, int64_t cap);
extern bool cj_clog_append(CjContactLog *l, const CjContactEvent *e);

/* Header check (magic, version, sizes): O(1) */
extern bool cj_clog_check_header(const CjContactLog *l, size_t size, CjError *err);

/* Decode event at *pos (advancing); false when malformed */
extern bool cj_clog_next(const CjContactLog *l, int64_t *pos, CjContactEvent *e);

/* Full check of every event */
extern bool cj_clog_validate(const CjContactLog *l, CjError *err);

/*
 * The measures, with scratch for 2 * nevents pointers and nevents
 * events (cj_clog_scratch bytes).
 */
extern size_t cj_clog_scratch(const CjContactLog *l);
extern bool cj_clog_compute(const CjContactLog *l, void *scratch,
							CjContactRates *out, CjError *err);

/*
 * Text form, events in the total order (occurred_at, customer, topic,
 * status, ref):
 *	 contacts(within=604800000000, events=[(INSTANT, "c1", "billing", open, "T1"), ...])
 */
extern size_t cj_clog_format(const CjContactLog *l, void *scratch, char *buf);
extern int64_t cj_clog_text_cap(const char *s);
extern bool cj_clog_parse(const char *s, CjContactLog *l, CjError *err);

/* Binary form: version, flags, within, count, events (sorted) */
extern size_t cj_clog_wire_size(const CjContactLog *l);
extern void cj_clog_encode(const CjContactLog *l, void *scratch, unsigned char *buf);
extern bool cj_clog_decode(const unsigned char *buf, size_t len, CjContactLog *l,
						   CjError *err);

#endif							/* CJ_CORE_CONTACT_RATES_H */
