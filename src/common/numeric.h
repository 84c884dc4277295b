/*-------------------------------------------------------------------------
 *
 * numeric.h
 *	  numeric Datums of exact decimals held as int64 millionths, built
 *	  without going through text or numeric's arithmetic.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_NUMERIC_GLUE_H
#define CJ_NUMERIC_GLUE_H

#include "postgres.h"

/*
 * Room for the numeric of any int64 millionths: a 4-byte length, a 2-byte
 * header and at most 6 base-10000 digits.
 */
typedef union CjNumericBuf
{
	int32		align;
	char		bytes[24];
} CjNumericBuf;

/*
 * numeric of v * 10^-6 at the shortest display scale (0 to 6 decimals),
 * the value numeric_in gives for cj_dec_format's text, in buf (no
 * allocation: the Datum lives as long as buf, e.g. until a tuple is formed
 * from it).
 */
extern Datum cj_millionths_numeric_in(int64 v, CjNumericBuf *buf);

/* The same, palloc'd */
extern Datum cj_millionths_numeric(int64 v);

#endif
