/*-------------------------------------------------------------------------
 *
 * history.h
 *	  One customer's purchase history summary (pure C, no postgres.h).
 *
 * A history keeps what the Buy-Till-You-Die models need and nothing that
 * would stop it from merging exactly: the first and last purchase
 * instants, the sorted set of distinct purchase days, the total spend and
 * the spend of the first purchase day.  Keeping the day set (not just a
 * count) is what makes "same-day purchases count once" hold under any
 * split of a customer's rows: parallel workers, partitions, or histories
 * of consecutive or overlapping periods merged afterwards.
 *
 * Units:
 *	- instants are microseconds since 2000-01-01 00:00 UTC (the
 *	  PostgreSQL timestamptz representation);
 *	- days are whole days since 2000-01-01 (the PostgreSQL date
 *	  representation), the UTC calendar day of an instant or a calendar
 *	  day the caller chose;
 *	- money is int64 millionths of the currency unit ("micro-units"), so
 *	  that sums are exact and associative: a serial and a parallel
 *	  aggregate give bit-identical results.
 *
 * The struct below is also the in-memory and on-disk layout of the SQL
 * type: the glue owns the leading varlena header word.  capacity >= ndays
 * leaves room for in-place growth inside an aggregate; stored values are
 * trimmed (capacity == ndays).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_HISTORY_H
#define CJ_HISTORY_H

#include <string.h>

#include "core/common/core.h"
#include "core/common/instant.h"

/* Layout version kept in every value and leading the binary form */
#define CJ_HISTORY_VERSION	1

/*
 * Cap on distinct purchase days in one history: a million days is more
 * than 2,700 years of daily purchases, and keeps a value under 4 MB.
 */
#define CJ_HISTORY_MAX_DAYS 1000000

/* Money is kept in millionths; a total must fit in int64 */
#define CJ_MICRO_PER_UNIT	INT64_C(1000000)



typedef struct CjHistory
{
	int32_t		vl_len_;		/* varlena header, set by the glue */
	uint8_t		version;		/* CJ_HISTORY_VERSION */
	uint8_t		flags;			/* reserved, must be 0 */
	uint16_t	reserved;		/* reserved, must be 0 */
	int32_t		ndays;			/* distinct purchase days, >= 1 */
	int32_t		capacity;		/* slots allocated in days[] */
	int64_t		first_at;		/* first purchase instant */
	int64_t		last_at;		/* last purchase instant */
	int64_t		total_spend;	/* micro-units, >= 0 */
	int64_t		first_spend;	/* spend of the first day, micro-units */
	int32_t		days[];			/* sorted, distinct */
} CjHistory;

#define CJ_HISTORY_HDRSZ	offsetof(CjHistory, days)

/* The four numbers the BTYD models take, in the caller's time unit */
typedef struct CjHistorySummary
{
	int32_t		x;				/* repeat purchase days */
	double		t_x;			/* first to last purchase day */
	double		T;				/* first purchase day to as_of day */
	double		m;				/* mean spend of the repeat days (0 if x=0) */
} CjHistorySummary;

/* Result of adding a purchase in place */
typedef enum CjHistAdd
{
	CJ_HIST_ADDED = 0,			/* done */
	CJ_HIST_FULL,				/* needs a new day slot: grow and retry */
	CJ_HIST_ERROR				/* err filled (overflow, cap) */
} CjHistAdd;

/* Zero every header field except the glue's varlena word */
static inline void
cj_history_clear_header(CjHistory *h)
{
	memset((char *) h + sizeof(int32_t), 0,
		   CJ_HISTORY_HDRSZ - sizeof(int32_t));
}

/* Bytes needed for a history with room for capacity days */
extern size_t cj_history_size(int32_t capacity);


/* Start a history with its first purchase (capacity >= 1) */
extern void cj_history_init(CjHistory *h, int32_t capacity, int64_t at,
							int32_t day, int64_t amount);

/*
 * Add a purchase at instant at, on day day (the instant's UTC day or a
 * caller-chosen calendar day), of amount micro-units (>= 0).  Time-ordered
 * input costs O(1); otherwise a binary search and, for a new day, a move.
 */
extern CjHistAdd cj_history_add(CjHistory *h, int64_t at, int32_t day,
								int64_t amount, CjError *err);

/* Copy src into dst (room for capacity >= src->ndays days), keeping
 * dst's varlena word */
extern void cj_history_copy(CjHistory *dst, const CjHistory *src,
							int32_t capacity);

/* Number of distinct days of the union of a and b */
extern int32_t cj_history_union_days(const CjHistory *a, const CjHistory *b);

/* Same purchases (days, first and last instants, spends; not capacity) */
extern bool cj_history_equal(const CjHistory *a, const CjHistory *b);

/*
 * Merge two histories of the same customer over disjoint sets of rows
 * (any periods, even overlapping) into out, which has room for
 * cj_history_union_days(a, b) days.  Fails on spend overflow or the cap.
 */
extern bool cj_history_merge_into(const CjHistory *a, const CjHistory *b,
							 CjHistory *out, int32_t capacity, CjError *err);

/* Check every invariant of a value (layout, order, sums, ranges) */
extern bool cj_history_validate(const CjHistory *h, CjError *err);

/*
 * x, t_x, T and m as of day as_of_day, with times in units of unit_seconds
 * (> 0).  Fails when as_of_day is before the first purchase day, and with
 * check_last also when it is before the last one (t_x > T).
 */
extern bool cj_history_summarize(const CjHistory *h, int32_t as_of_day,
								 double unit_seconds, bool check_last,
								 CjHistorySummary *out, CjError *err);

/* Mean spend of the repeat days, in currency units (0 when x = 0) */
extern double cj_history_monetary(const CjHistory *h);

/*
 * Amounts: parse a decimal (digits, optional '.' and digits, no sign or
 * exponent) into micro-units.  With round set, digits beyond the sixth
 * decimal round half away from zero; without, they are a syntax error.
 */
extern bool cj_parse_micro(const char **p, int64_t *out, bool round,
						   CjError *err);

/* Amount in currency units (finite, >= 0) to micro-units, rounding */
extern bool cj_float_to_micro(double v, int64_t *out, CjError *err);

/*
 * Text form:
 *	 history(first=1997-01-01T00:00:00Z, last=1997-12-12T18:30:00.5Z,
 *			 spend=99.5, first_spend=29.33, days=[0,17,213,345])
 * Instants are UTC in ISO 8601 (astronomical years: 0 is 1 BC); days are
 * offsets from the first purchase day, starting at 0.  The text is a pure
 * function of the value, independent of any session setting.
 */

/* Upper bound of the days a literal can hold (for sizing the output) */
extern int32_t cj_history_text_days_bound(const char *s);

/* Parse a literal into h (room for capacity days), validating it */
extern bool cj_history_parse(const char *s, CjHistory *h, int32_t capacity,
							 CjError *err);

/* Bytes needed to format h (including the NUL) */
extern size_t cj_history_text_size(const CjHistory *h);

/* Format h into buf (cj_history_text_size bytes); returns the length */
extern size_t cj_history_format(const CjHistory *h, char *buf);



/* Format micro-units as a decimal into buf (>= 24 bytes) */
extern size_t cj_format_micro(int64_t v, char *buf);

/*
 * Binary form (network byte order):
 *	 uint8 version, uint8 flags, int32 ndays, int64 first_at, int64 last_at,
 *	 int64 total_spend, int64 first_spend, ndays x int32 day
 * (absolute days).  CJ_HISTORY_WIRE_HDR bytes precede the days.
 */
#define CJ_HISTORY_WIRE_HDR 38

/* Days announced by a binary form, or -1 if the header is malformed */
extern int32_t cj_history_wire_days(const unsigned char *buf, size_t len,
									CjError *err);

/*
 * Decode exactly len bytes into h (room for capacity days) and validate;
 * the glue, the unit tests and a fuzz target share this decoder.
 */
extern bool cj_history_decode(const unsigned char *buf, size_t len,
							  CjHistory *h, int32_t capacity, CjError *err);

/* Bytes of the binary form of h */
extern size_t cj_history_wire_size(const CjHistory *h);

/* Encode h into buf (cj_history_wire_size bytes) */
extern void cj_history_encode(const CjHistory *h, unsigned char *buf);

#endif							/* CJ_HISTORY_H */
