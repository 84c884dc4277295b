/*-------------------------------------------------------------------------
 *
 * shortest.h
 *	  Shortest exact decimal text of a double, as PostgreSQL's float8out
 *	  writes it (pure C), for the printers of the core.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_SHORTEST_H
#define CJ_CORE_SHORTEST_H

#include "core/common/core.h"

/* Room for any output of cj_double_shortest, NUL included */
#define CJ_DOUBLE_TEXT_MAX 32

/*
 * Write v into buf (CJ_DOUBLE_TEXT_MAX bytes) exactly as float8out does
 * with extra_float_digits > 0: the fewest significant digits that read
 * back to v (the closest such string to v), fixed notation for decimal
 * exponents -4 to 14, else d.ddde+XX; "NaN", "Infinity", "-Infinity",
 * "-0".  Returns the length.
 */
extern int	cj_double_shortest(double v, char *buf);

/*
 * When set (the extension points it at PostgreSQL's own Ryu,
 * double_to_shortest_decimal_buf), cj_double_shortest calls it instead of
 * the C-library search below, which writes the same text (checked
 * against it on millions of doubles) but some 30 times more slowly.
 * Unit tests and fuzz targets leave it NULL.
 */
extern int	(*cj_double_shortest_hook) (double v, char *buf);

#endif							/* CJ_CORE_SHORTEST_H */
