/*-------------------------------------------------------------------------
 *
 * history.c
 *	  Purchase history summaries: build, merge, validate, summarise.
 *
 * The BTYD convention (Fader, Hardie and Lee 2005, section 5; the CDNOW
 * data set) counts a customer's purchases on one calendar day as a single
 * transaction, x = number of distinct purchase days - 1 ("repeat
 * purchases"), t_x = time from the first to the last purchase day, T =
 * time from the first purchase day to the end of the calibration period,
 * all at day resolution, and the monetary value m = mean spend of the
 * repeat days.  The first day's spend is kept apart so that m excludes it
 * exactly.
 *
 * Every operation here is exact (integers only) and so associative and
 * commutative: any split of a customer's rows, aggregated and merged in
 * any order, gives the same bits.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/history.h"

#include <math.h>
#include <string.h>

/* Bytes needed for a history with room for capacity days */
size_t
cj_history_size(int32_t capacity)
{
	return CJ_HISTORY_HDRSZ + (size_t) capacity * sizeof(int32_t);
}

/* Start a history with its first purchase */
void
cj_history_init(CjHistory *h, int32_t capacity, int64_t at, int32_t day,
				int64_t amount)
{
	cj_history_clear_header(h);
	h->version = CJ_HISTORY_VERSION;
	h->ndays = 1;
	h->capacity = capacity;
	h->first_at = at;
	h->last_at = at;
	h->total_spend = amount;
	h->first_spend = amount;
	h->days[0] = day;
}

/* Index of the first element >= day in the sorted days[0..n) */
static int32_t
LowerBound(const int32_t *days, int32_t n, int32_t day)
{
	int32_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		int32_t		mid = lo + (hi - lo) / 2;

		if (days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Error for a total spend beyond int64 micro-units */
static void
SpendOverflow(CjError *err)
{
	cj_error_set(err, CJ_ERR_RANGE,
				 "A history's total spend must be at most 9223372036854.775807.");
}

/* Error for too many distinct days */
static void
TooManyDays(CjError *err)
{
	cj_error_set(err, CJ_ERR_LIMIT,
				 "A history cannot have more than %d distinct purchase days.",
				 CJ_HISTORY_MAX_DAYS);
}

/* Add one purchase in place */
CjHistAdd
cj_history_add(CjHistory *h, int64_t at, int32_t day, int64_t amount,
			   CjError *err)
{
	int32_t		n = h->ndays;
	int32_t		pos;
	bool		isnew;

	/* fast paths first: time-ordered input lands on or after the last day */
	if (day >= h->days[n - 1])
	{
		pos = (day == h->days[n - 1]) ? n - 1 : n;
		isnew = (pos == n);
	}
	else
	{
		pos = LowerBound(h->days, n, day);
		isnew = (h->days[pos] != day);
	}
	if (isnew && n >= h->capacity)
	{
		if (n >= CJ_HISTORY_MAX_DAYS)
		{
			TooManyDays(err);
			return CJ_HIST_ERROR;
		}
		return CJ_HIST_FULL;
	}
	if (amount > INT64_MAX - h->total_spend)
	{
		SpendOverflow(err);
		return CJ_HIST_ERROR;
	}
	if (isnew)
	{
		if (pos < n)
			memmove(&h->days[pos + 1], &h->days[pos],
					(size_t) (n - pos) * sizeof(int32_t));
		h->days[pos] = day;
		h->ndays = n + 1;
	}
	h->total_spend += amount;
	if (pos == 0)
		h->first_spend = isnew ? amount : h->first_spend + amount;
	if (at < h->first_at)
		h->first_at = at;
	if (at > h->last_at)
		h->last_at = at;
	return CJ_HIST_ADDED;
}

/* Copy src into dst with room for capacity days */
void
cj_history_copy(CjHistory *dst, const CjHistory *src, int32_t capacity)
{
	int32_t		vl_len = dst->vl_len_;

	memcpy(dst, src, cj_history_size(src->ndays));
	dst->vl_len_ = vl_len;
	dst->capacity = capacity;
}

/*
 * Whether a and b hold the same purchases: same days, first and last
 * instants and spends.  Spare capacity is not part of the value.
 */
bool
cj_history_equal(const CjHistory *a, const CjHistory *b)
{
	return a->ndays == b->ndays && a->first_at == b->first_at &&
		a->last_at == b->last_at && a->total_spend == b->total_spend &&
		a->first_spend == b->first_spend &&
		memcmp(a->days, b->days, sizeof(int32_t) * (size_t) a->ndays) == 0;
}

/* Number of distinct days of the union of a and b */
int32_t
cj_history_union_days(const CjHistory *a, const CjHistory *b)
{
	int32_t		i = 0,
				j = 0,
				n = 0;

	while (i < a->ndays && j < b->ndays)
	{
		if (a->days[i] <= b->days[j])
		{
			if (a->days[i] == b->days[j])
				j++;
			i++;
		}
		else
			j++;
		n++;
	}
	return n + (a->ndays - i) + (b->ndays - j);
}

/* Merge a and b (disjoint rows of one customer) into out */
bool
cj_history_merge_into(const CjHistory *a, const CjHistory *b, CjHistory *out,
				 int32_t capacity, CjError *err)
{
	int32_t		i = 0,
				j = 0,
				n = 0;

	if (a->total_spend > INT64_MAX - b->total_spend)
	{
		SpendOverflow(err);
		return false;
	}
	if (cj_history_union_days(a, b) > CJ_HISTORY_MAX_DAYS)
	{
		TooManyDays(err);
		return false;
	}
	cj_history_init(out, capacity, a->first_at, a->days[0], 0);
	out->first_at = a->first_at < b->first_at ? a->first_at : b->first_at;
	out->last_at = a->last_at > b->last_at ? a->last_at : b->last_at;
	out->total_spend = a->total_spend + b->total_spend;
	if (a->days[0] == b->days[0])
		out->first_spend = a->first_spend + b->first_spend;
	else
		out->first_spend = a->days[0] < b->days[0] ?
			a->first_spend : b->first_spend;
	while (i < a->ndays || j < b->ndays)
	{
		if (j >= b->ndays || (i < a->ndays && a->days[i] < b->days[j]))
			out->days[n++] = a->days[i++];
		else if (i >= a->ndays || b->days[j] < a->days[i])
			out->days[n++] = b->days[j++];
		else
		{
			out->days[n++] = a->days[i++];
			j++;
		}
	}
	out->ndays = n;
	return true;
}

/* Check the header fields of a value */
static bool
ValidateHeader(const CjHistory *h, CjError *err)
{
	if (h->version != CJ_HISTORY_VERSION)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Unsupported history version %d; expected %d.",
					 (int) h->version, CJ_HISTORY_VERSION);
		return false;
	}
	if (h->flags != 0 || h->reserved != 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Reserved flag bits must be zero.");
		return false;
	}
	if (h->ndays < 1 || h->ndays > CJ_HISTORY_MAX_DAYS ||
		h->ndays > h->capacity)
	{
		cj_error_set(err, h->ndays > CJ_HISTORY_MAX_DAYS ? CJ_ERR_LIMIT : CJ_ERR_PARAM,
					 "The number of purchase days must be between 1 and %d.",
					 CJ_HISTORY_MAX_DAYS);
		return false;
	}
	return true;
}

/* Check every invariant of a value */
bool
cj_history_validate(const CjHistory *h, CjError *err)
{
	int32_t		i;

	if (!ValidateHeader(h, err))
		return false;
	if (h->first_at < CJ_MIN_INSTANT || h->last_at >= CJ_END_INSTANT ||
		h->first_at > h->last_at)
	{
		cj_error_set(err, CJ_ERR_RANGE,
					 "The first purchase must not be after the last, and both must be valid timestamps.");
		return false;
	}
	for (i = 1; i < h->ndays; i++)
	{
		if (h->days[i] <= h->days[i - 1])
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Purchase days must be distinct and in increasing order.");
			return false;
		}
	}
	if (h->days[0] != cj_instant_day(h->first_at) ||
		h->days[h->ndays - 1] != cj_instant_day(h->last_at))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The first and last purchase days must be the days of the first and last purchases.");
		return false;
	}
	if (h->total_spend < 0 || h->first_spend < 0 ||
		h->first_spend > h->total_spend ||
		(h->ndays == 1 && h->first_spend != h->total_spend))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Spends must be non-negative, the first day's spend at most the total, and equal to it when there is one purchase day.");
		return false;
	}
	return true;
}

/* Mean spend of the repeat days in currency units, 0 when x = 0 */
double
cj_history_monetary(const CjHistory *h)
{
	if (h->ndays < 2)
		return 0.0;
	return ((double) (h->total_spend - h->first_spend) /
			(double) CJ_MICRO_PER_UNIT) / (double) (h->ndays - 1);
}

/* x, t_x, T, m as of a day, in units of unit_seconds */
bool
cj_history_summarize(const CjHistory *h, int32_t as_of_day,
					 double unit_seconds, bool check_last,
					 CjHistorySummary *out, CjError *err)
{
	double		per_day = 86400.0 / unit_seconds;

	if (as_of_day < h->days[0])
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The as_of day must be on or after the first purchase day.");
		return false;
	}
	if (check_last && as_of_day < h->days[h->ndays - 1])
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The history has purchases after the as_of day; build it with FILTER (WHERE occurred_at <= as_of).");
		return false;
	}
	out->x = h->ndays - 1;
	out->t_x = (double) ((int64_t) h->days[h->ndays - 1] - h->days[0]) * per_day;
	out->T = (double) ((int64_t) as_of_day - h->days[0]) * per_day;
	out->m = cj_history_monetary(h);
	return true;
}

/* Parse a non-negative decimal amount into micro-units */
bool
cj_parse_micro(const char **p, int64_t *out, bool round, CjError *err)
{
	const char *s = *p;
	int64_t		v = 0;
	int			frac = 0;
	bool		any = false;

	while (*s >= '0' && *s <= '9')
	{
		if (v > (INT64_MAX / CJ_MICRO_PER_UNIT - (*s - '0')) / 10)
		{
			SpendOverflow(err);
			return false;
		}
		v = v * 10 + (*s++ - '0');
		any = true;
	}
	v *= CJ_MICRO_PER_UNIT;
	if (any && *s == '.' && s[1] >= '0' && s[1] <= '9')
	{
		int64_t		scale = CJ_MICRO_PER_UNIT;

		for (s++; *s >= '0' && *s <= '9'; s++, frac++)
		{
			if (frac < 6)
			{
				int64_t		add = (*s - '0') * (scale /= 10);

				if (v > INT64_MAX - add)
				{
					SpendOverflow(err);
					return false;
				}
				v += add;
			}
			else if (!round)
			{
				cj_error_set(err, CJ_ERR_SYNTAX,
							 "Amounts have at most 6 decimal places.");
				return false;
			}
			else if (frac == 6 && *s >= '5')
			{
				if (v == INT64_MAX)
				{
					SpendOverflow(err);
					return false;
				}
				v++;
			}
		}
	}
	if (!any)
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "An amount is a non-negative decimal number.");
		return false;
	}
	*out = v;
	*p = s;
	return true;
}

/* Amount in currency units to micro-units, rounding half away from zero */
bool
cj_float_to_micro(double v, int64_t *out, CjError *err)
{
	double		r = v * (double) CJ_MICRO_PER_UNIT;

	if (!(r >= 0.0))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Amounts must be finite and non-negative.");
		return false;
	}
	/* 2^63 is the first double above INT64_MAX */
	if (r >= 9223372036854775807.0)
	{
		SpendOverflow(err);
		return false;
	}
	*out = (int64_t) llround(r);
	return true;
}
