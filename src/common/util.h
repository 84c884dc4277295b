/*-------------------------------------------------------------------------
 *
 * util.h
 *	  PostgreSQL glue shared by every custjourney type and function:
 *	  error reporting from core results, exact float output, interval and
 *	  argument checks.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_UTIL_H
#define CJ_UTIL_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/nodes.h"
#include "utils/timestamp.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* VARDATA & co.: no longer in postgres.h */
#endif

#include "core/common/core.h"

/*
 * A function that does not return: PostgreSQL 18 puts pg_noreturn before
 * the declaration and dropped pg_attribute_noreturn(); before 18 the
 * attribute (which GCC and Clang accept in front too) is used.
 */
#if PG_VERSION_NUM >= 180000
#define cj_noreturn pg_noreturn
#else
#define cj_noreturn pg_attribute_noreturn()
#endif

/* Version byte leading the binary form of every custjourney type */
#define CJ_BINARY_VERSION 1

/*
 * Soft error reporting for input functions: ereturn() from PostgreSQL 16
 * on, so that pg_input_is_valid() works; a plain ERROR before.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define cj_ereturn(context, dummy, ...) ereturn(context, dummy, __VA_ARGS__)
#define CJ_ESCONTEXT(fcinfo) ((fcinfo)->context)
#else
#define cj_ereturn(context, dummy, ...) \
	do { (void) (context); ereport(ERROR, __VA_ARGS__); return dummy; } while (0)
#define CJ_ESCONTEXT(fcinfo) ((Node *) NULL)
#endif

/* SQLSTATE for a core error class */
extern int	cj_sqlstate(CjErrKind kind);

/*
 * Raise a core error as an ERROR with the given primary message and the
 * core's detail sentence.
 */
cj_noreturn extern void cj_raise(const CjError *err, const char *message);

/*
 * Report a literal that failed to parse: 'invalid input syntax for type
 * T: "input"' (22P02), 'value "input" is out of range for type T' (22003)
 * or 'invalid value for type T: "input"' (the core's class: 22023, 54000),
 * with the core's detail.
 * Returns (for soft errors) so input functions can return NULL.
 */
extern void cj_input_error(Node *escontext, const char *typname,
						   const char *input, const CjError *err);

/* Append v in the shortest form that reads back exactly (as float8out). */
extern void cj_append_float8(StringInfo buf, double v);

/*
 * Length of an interval in seconds.  Months are rejected (a month has no
 * fixed length); days count as 86400 s.  what names the argument in the
 * error.  Requires a strictly positive length when positive is true.
 */
extern double cj_interval_seconds(const Interval *iv, const char *what,
								  bool positive);

/*
 * Microseconds of a window of time (what names it in errors): months
 * rejected as by cj_interval_seconds, a negative length rejected (22023),
 * lengths past the int64 range of microseconds (292,000 years) taken as
 * that range's end.
 */
extern int64 cj_interval_us_window(const Interval *iv, const char *what);

/* Error (22023) unless v is finite; name is the argument's name. */
extern double cj_finite_arg(double v, const char *name);

/* Validate the version byte of a binary form, erroring on mismatch. */
extern void cj_check_binary_version(int version, const char *typname);

#endif							/* CJ_UTIL_H */
