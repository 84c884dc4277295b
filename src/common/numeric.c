/*-------------------------------------------------------------------------
 *
 * numeric.c
 *	  numeric Datums of exact decimals (int64 millionths), written straight
 *	  in numeric's short on-disk form.
 *
 * Loyalty functions return amounts as numeric: a statement builds five a
 * row, and going through int64_to_numeric and numeric division, or text
 * and numeric_in, costs more than the rest of the row.  The value of
 * v * 10^-6 has at most 13 integer and 6 decimal digits, so it always fits
 * numeric's short form (PostgreSQL's src/backend/utils/adt/numeric.c,
 * "struct NumericShort"): a varlena header, a 16-bit header holding the
 * short-form flag, the sign, the display scale (bits 7-12) and the weight
 * (bits 0-6, sign in bit 6), then base-10000 digits, most significant
 * first, without leading or trailing zero digits; zero has no digits,
 * weight 0 and a positive sign.  This is the stored form of numeric, which
 * PostgreSQL keeps across major versions (pg_upgrade copies data files
 * as they are), and exactly what make_result() writes for the same value
 * and display scale; sql/loyalty_statement.sql checks statement amounts
 * from 1e-6 to 4.6e12 of both signs against numeric_in's reading of their
 * text, byte for byte.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/numeric.h"
#include "common/util.h"

/* numeric.c's short-form header bits */
#define NUM_SHORT				0x8000
#define NUM_SHORT_SIGN			0x2000
#define NUM_SHORT_DSCALE_SHIFT	7
#define NUM_SHORT_WEIGHT_SIGN	0x0040
#define NUM_SHORT_WEIGHT_MASK	0x003F
#define NUM_HDRSZ_SHORT			(VARHDRSZ + sizeof(uint16))
#define NBASE					10000

/* Decimals needed to write the fraction of millionths frac exactly */
static int
DisplayScale(uint64 frac)
{
	int			scale = 6;

	if (frac == 0)
		return 0;
	while (frac % 10 == 0)
	{
		frac /= 10;
		scale--;
	}
	return scale;
}

Datum
cj_millionths_numeric_in(int64 v, CjNumericBuf *buf)
{
	uint64		a = v < 0 ? -(uint64) v : (uint64) v;
	uint64		ip = a / 1000000;
	uint64		fr8 = (a % 1000000) * 100;	/* fraction in 10^-8 */
	int16		d[8];			/* base-10000 digits, least significant first */
	int			nd = 0;
	int			hi,
				lo,
				weight;
	uint16		header;
	int16	   *out;

	/* digit i has weight i - 2: two fraction digits, then the integer's */
	d[nd++] = (int16) (fr8 % NBASE);
	d[nd++] = (int16) (fr8 / NBASE);
	for (; ip > 0; ip /= NBASE)
		d[nd++] = (int16) (ip % NBASE);
	header = NUM_SHORT | (uint16) (DisplayScale(a % 1000000) << NUM_SHORT_DSCALE_SHIFT);
	if (a == 0)
	{
		SET_VARSIZE(buf->bytes, NUM_HDRSZ_SHORT);
		memcpy(buf->bytes + VARHDRSZ, &header, sizeof(header));
		return PointerGetDatum(buf->bytes);
	}
	for (hi = nd - 1; d[hi] == 0; hi--)
		;
	for (lo = 0; d[lo] == 0; lo++)
		;
	weight = hi - 2;
	if (v < 0)
		header |= NUM_SHORT_SIGN;
	if (weight < 0)
		header |= NUM_SHORT_WEIGHT_SIGN;
	header |= (uint16) (weight & NUM_SHORT_WEIGHT_MASK);
	SET_VARSIZE(buf->bytes, NUM_HDRSZ_SHORT + (hi - lo + 1) * sizeof(int16));
	memcpy(buf->bytes + VARHDRSZ, &header, sizeof(header));
	out = (int16 *) (buf->bytes + NUM_HDRSZ_SHORT);
	for (int i = hi; i >= lo; i--)
		*out++ = d[i];
	return PointerGetDatum(buf->bytes);
}

Datum
cj_millionths_numeric(int64 v)
{
	CjNumericBuf buf;
	Datum		d = cj_millionths_numeric_in(v, &buf);
	Size		len = VARSIZE(DatumGetPointer(d));
	char	   *copy = palloc(len);

	memcpy(copy, DatumGetPointer(d), len);
	return PointerGetDatum(copy);
}
