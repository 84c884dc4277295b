/*-------------------------------------------------------------------------
 *
 * memory.h
 *	  One customer's interaction memory (pure C, no postgres.h).
 *
 * A memory keeps, exactly and independently of input order:
 *	- the last K contacts (1 <= K <= 50), newest first;
 *	- first and last contact instants and the number of contacts;
 *	- contact counts per (UTC day, channel);
 *	- per channel: the count and the latest contact on that channel;
 *	- per topic: the count and the two latest instants on that topic
 *	  (what "repeat contact" needs);
 *	- per case reference: the latest contact, the latest contact that
 *	  carried a status, the first contact with status 'open' and whether a
 *	  'resolved' or 'closed' status was ever recorded.
 * Every part is a top-k, a sum, a max, a min or an or over contacts, so
 * the memory of a union of contact sets is computed exactly from the
 * memories of the parts (cj_memory_merge_into).
 *
 * Contacts are totally ordered by (occurred_at, channel, agent, topic,
 * status, ref): strings compare bytewise (shorter prefix first), NULL
 * before any string, and status by its code (NULL < open < pending <
 * resolved < closed).  "Latest" always means greatest in this order.
 *
 * Layout: the struct below is the in-memory and on-disk form of the SQL
 * type (the glue owns the varlena word).  Eight sections follow the
 * header, each with a count n[] and a capacity cap[]: recent contacts,
 * day counts, channels, topics, cases, string slots, string bytes and a
 * log of contacts not yet folded in.  The aggregate appends each row to
 * the log (a few bytes written at the end of the state) and folds the log
 * into the sections when it is full and at the end, so that a hash
 * aggregate over many customers touches each state's summary in bursts
 * rather than once per row.
 * Strings are interned in a pool (one copy of each distinct string per
 * value) and referenced by slot number, -1 for NULL.  A value built by
 * the aggregate may carry spare capacity, unsorted sections and unused
 * strings ("working form"); cj_memory_canonical() builds the canonical
 * form (every section sorted, exact capacities, pool in first-use order),
 * which is what the text and binary forms, equality and hashing see.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_MEMORY_H
#define CJ_CORE_MEMORY_H

#include <string.h>

#include "core/common/core.h"

#define CJ_MEMORY_MAGIC		0x4D454D43u	/* "CMEM" */
#define CJ_MEMORY_VERSION	1

/* Documented limits */
#define CJ_MEMORY_MAX_K			50
#define CJ_MEMORY_DEFAULT_K		5
#define CJ_MEMORY_MAX_TEXT		200		/* bytes of channel/agent/topic/ref */
#define CJ_MEMORY_MAX_DAYS		40000	/* distinct (day, channel) pairs */
#define CJ_MEMORY_MAX_CHANNELS	64
#define CJ_MEMORY_MAX_TOPICS	1000
#define CJ_MEMORY_MAX_CASES		5000
#define CJ_MEMORY_MAX_STRINGS	100000	/* string slots of one value */

/* Status codes (0 is NULL) */
#define CJ_ST_NULL		0
#define CJ_ST_OPEN		1
#define CJ_ST_PENDING	2
#define CJ_ST_RESOLVED	3
#define CJ_ST_CLOSED	4
#define CJ_ST_MAX		4

/* Sections */
#define CJ_MS_RECENT	0
#define CJ_MS_DAYS		1
#define CJ_MS_CHANS		2
#define CJ_MS_TOPICS	3
#define CJ_MS_CASES		4
#define CJ_MS_STRS		5
#define CJ_MS_BYTES		6
#define CJ_MS_LOG		7		/* contacts not yet folded in (working form) */
#define CJ_MS_N			8

/* Flag: the value is in canonical form */
#define CJ_MEM_CANONICAL	0x01

typedef struct CjMemContact
{
	int64_t		at;				/* microseconds since 2000-01-01 UTC */
	int32_t		channel;		/* string slots, -1 = NULL */
	int32_t		agent;
	int32_t		topic;
	int32_t		ref;
	int32_t		status;			/* CJ_ST_* */
	int32_t		pad;			/* 0 */
} CjMemContact;

typedef struct CjMemDay
{
	int32_t		day;			/* UTC day, days since 2000-01-01 */
	int32_t		channel;		/* string slot or -1 */
	int64_t		n;
} CjMemDay;

typedef struct CjMemChannel
{
	int64_t		n;
	CjMemContact last;			/* last.channel is the key */
} CjMemChannel;

/*
 * The two greatest instants of a topic's contacts (a multiset: equal
 * instants both count) are all "repeat contact" needs, and they do not
 * depend on how ties are broken.
 */
typedef struct CjMemTopic
{
	int64_t		n;
	int64_t		at1;			/* latest instant */
	int64_t		at2;			/* second latest (n >= 2), else 0 */
	int32_t		topic;			/* string slot or -1: the key */
	int32_t		pad;
} CjMemTopic;

#define CJ_CASE_REOPENABLE	0x01	/* a resolved/closed status was seen */
#define CJ_CASE_HAS_STATUS	0x02	/* last_status is set */
#define CJ_CASE_HAS_OPEN	0x04	/* first_open_at is set */

typedef struct CjMemCase
{
	int64_t		first_open_at;	/* first contact with status open */
	int32_t		flags;
	int32_t		pad;
	CjMemContact last;			/* latest contact; last.ref is the key */
	CjMemContact last_status;	/* latest contact with a status */
} CjMemCase;

typedef struct CjMemStr
{
	int32_t		off;			/* into the byte section */
	int32_t		len;
	uint32_t	hash;			/* cj_mem_hash of the bytes: fast lookups */
	int32_t		pad;			/* 0 */
} CjMemStr;

/* Hash of a string's bytes (FNV-1a), as kept in CjMemStr */
extern uint32_t cj_mem_hash(const char *s, int32_t len);

typedef struct CjMemory
{
	int32_t		vl_len_;		/* varlena header, set by the glue */
	uint32_t	magic;			/* CJ_MEMORY_MAGIC */
	uint8_t		version;		/* CJ_MEMORY_VERSION */
	uint8_t		flags;			/* CJ_MEM_CANONICAL */
	uint16_t	k;				/* 1..CJ_MEMORY_MAX_K */
	int32_t		reserved;		/* 0 */
	int32_t		n[CJ_MS_N];
	int32_t		cap[CJ_MS_N];
	int64_t		first_at;
	int64_t		last_at;
	int64_t		total;			/* contacts; 0 only while building */
	char		data[];
} CjMemory;

#define CJ_MEMORY_HDRSZ offsetof(CjMemory, data)

/* A contact as the caller gives it: raw strings, NULL pointer = NULL */
typedef struct CjMemInput
{
	int64_t		at;
	const char *str[4];			/* channel, agent, topic, ref */
	int32_t		len[4];
	int32_t		status;
} CjMemInput;

/* Size in bytes of a value with the given capacities (0 if too large) */
extern size_t cj_memory_size(const int32_t cap[CJ_MS_N]);

/* Section pointers */
extern CjMemContact *cj_mem_recent(const CjMemory *m);
extern CjMemDay *cj_mem_days(const CjMemory *m);
extern CjMemChannel *cj_mem_chans(const CjMemory *m);
extern CjMemTopic *cj_mem_topics(const CjMemory *m);
extern CjMemCase *cj_mem_cases(const CjMemory *m);
extern CjMemStr *cj_mem_strs(const CjMemory *m);
extern char *cj_mem_bytes(const CjMemory *m);

/* String of a slot (NULL for -1); *len receives its length */
extern const char *cj_mem_str(const CjMemory *m, int32_t id, int32_t *len);

/* Intern a string (for the decoders): slot, -1 for NULL, -2 if no room */
extern int32_t cj_mem_intern(CjMemory *m, const char *s, int32_t len);

/* UTC day of an instant */
extern int32_t cj_mem_utc_day(int64_t at);

/* Initialise an empty memory (total = 0) of capacity cap (zeroed) */
extern void cj_memory_init(CjMemory *m, int k, const int32_t cap[CJ_MS_N]);

/* O(1) header check: magic, version, capacities against size */
extern bool cj_memory_check_header(const CjMemory *m, size_t size,
								   CjError *err);

/* Status name to code (CJ_ST_NULL for unknown: check the return) */
extern bool cj_memory_status_code(const char *s, size_t len, int32_t *code);
extern const char *cj_memory_status_name(int32_t code);

/* Check an input contact (lengths, status range) */
extern bool cj_memory_check_input(const CjMemInput *in, CjError *err);

/* Result of an in-place update */
typedef enum CjMemAdd
{
	CJ_MEM_ADDED = 0,
	CJ_MEM_FULL,				/* some section lacks room: grow and retry */
	CJ_MEM_ERROR				/* err filled (limit, overflow) */
} CjMemAdd;

/*
 * Add one checked contact in place.  k lowers the memory's K when smaller
 * (the K of a memory is the minimum K of its inputs).  Nothing is changed
 * when the result is CJ_MEM_FULL.
 */
extern CjMemAdd cj_memory_add(CjMemory *m, const CjMemInput *in, int k,
							  CjError *err);

/* Lower K to k when smaller (truncating the recent list) */
extern void cj_memory_lower_k(CjMemory *m, int k);

/* Append a checked contact to the log; false when the log lacks room */
extern bool cj_memory_log_append(CjMemory *m, const CjMemInput *in);

/* Bytes a contact takes in the log */
extern size_t cj_memory_log_entry_size(const CjMemInput *in);

/*
 * Capacities with room for folding the whole log in (and keeping the
 * log's capacity when keep_log, else none); fold then never returns
 * CJ_MEM_FULL.
 */
extern void cj_memory_fold_caps(const CjMemory *m, bool keep_log,
								int32_t cap[CJ_MS_N]);

/*
 * Fold the log into the sections (the log ends empty).  scratch is room
 * for cj_memory_fold_scratch(m) bytes (an index of the string pool); with
 * less (or NULL) the pool is scanned instead, which gives the same result.
 */
extern size_t cj_memory_fold_scratch(const CjMemory *m);
extern CjMemAdd cj_memory_fold(CjMemory *m, void *scratch, size_t scratch_size,
							   CjError *err);

/* Capacities for growing m so that one more contact fits */
extern void cj_memory_grow_caps(const CjMemory *m, const CjMemInput *in,
								int32_t cap[CJ_MS_N]);

/*
 * Copy src into the empty dst, whose capacities are at least src's
 * counts, section by section (string slots unchanged, no canonicalising)
 */
extern void cj_memory_copy_into(CjMemory *dst, const CjMemory *src);

/* Capacities that hold the merge of a and b (b may be NULL) */
extern void cj_memory_merge_caps(const CjMemory *a, const CjMemory *b,
								 int32_t cap[CJ_MS_N]);

/*
 * Merge src into dst in place (dst has the room cj_memory_merge_caps(a, b)
 * computes; dst may be empty), with scratch_size bytes of scratch:
 * cj_memory_merge_scratch(a, b) for such a dst (a buffer for the day
 * entries and an index of dst's string pool; the index is left out when
 * the scratch is smaller, the result is the same).  Fails on a limit or
 * count overflow.
 */
extern size_t cj_memory_merge_scratch(const CjMemory *a, const CjMemory *b);
extern bool cj_memory_merge_into(CjMemory *dst, const CjMemory *src,
								 void *scratch, size_t scratch_size,
								 CjError *err);

/*
 * Canonical form of src into dst, which has the capacities
 * cj_memory_canonical_caps gives.  scratch is room for
 * cj_memory_canonical_scratch(src) bytes.
 */
extern void cj_memory_canonical_caps(const CjMemory *src,
									 int32_t cap[CJ_MS_N]);
extern size_t cj_memory_canonical_scratch(const CjMemory *src);
extern bool cj_memory_canonical(const CjMemory *src, CjMemory *dst,
								void *scratch, CjError *err);

/* Full check of a canonical value (after text or binary input) */
extern bool cj_memory_validate(const CjMemory *m, CjError *err);

/* Total order of contacts of one memory (-1, 0, 1) */
extern int	cj_mem_contact_cmp(const CjMemory *ma, const CjMemContact *a,
							   const CjMemory *mb, const CjMemContact *b);

/* Lookups by string content (len -1 for NULL); -1 when absent */
extern int32_t cj_mem_find_channel(const CjMemory *m, const char *s, int32_t len);
extern int32_t cj_mem_find_topic(const CjMemory *m, int32_t topic_id);

/*
 * Text form (see doc/memory.md for the grammar):
 *	 memory(k=5, first=..., last=..., total=N, recent=[...], days=[...],
 *			channels=[...], topics=[...], cases=[...])
 */
extern size_t cj_memory_text_size(const CjMemory *m);
extern size_t cj_memory_format(const CjMemory *m, char *buf);

/* Capacities a literal can need (upper bounds from its length) */
extern void cj_memory_text_caps(const char *s, int32_t cap[CJ_MS_N]);
extern bool cj_memory_parse(const char *s, CjMemory *m, CjError *err);

/* Binary form of a canonical value */
extern size_t cj_memory_wire_size(const CjMemory *m);
extern void cj_memory_encode(const CjMemory *m, unsigned char *buf);
extern void cj_memory_wire_caps(size_t len, int32_t cap[CJ_MS_N]);
extern bool cj_memory_decode(const unsigned char *buf, size_t len,
							 CjMemory *m, CjError *err);

#endif							/* CJ_CORE_MEMORY_H */
