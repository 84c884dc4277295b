/*-------------------------------------------------------------------------
 *
 * diag.c
 *	  Bucketing, validation and text parsers of the model diagnostics
 *	  (holdout check by frequency, cohort tracking series).
 *
 * The glue (src/diagnostics.c) owns the aggregates and the output; this
 * file holds what can be tested without a server: which bucket a
 * frequency falls in, and the strict parsers of both text forms (every
 * field validated as the binary receive functions validate it).
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/diag.h"

#include <math.h>
#include <string.h>

#include "core/common/text.h"

/* Bounds keeping start + periods * length inside int64 */
#define CJ_TRACKING_MAX_ABS_START	((int64_t) 1 << 62)
#define CJ_TRACKING_MAX_SPAN		((int64_t) 1 << 62)

/* Bucket of frequency x: floor(x) below k, k for "k+" */
int
cj_holdout_bucket(double x, int k)
{
	if (x >= (double) k)
		return k;
	return x > 0.0 ? (int) floor(x) : 0;
}

/* Validate one bucket's sums */
bool
cj_holdout_bucket_check(const CjHoldoutBucket *b, CjError *err)
{
	if (b->customers < 0)
	{
		cj_error_set(err, CJ_ERR_RANGE, "The number of customers must not be negative.");
		return false;
	}
	if (!(isfinite(b->actual) && b->actual >= 0.0 &&
		  isfinite(b->expected) && b->expected >= 0.0))
	{
		cj_error_set(err, CJ_ERR_RANGE,
					 "Purchase totals must be finite numbers >= 0.");
		return false;
	}
	if (b->customers == 0 && (b->actual != 0.0 || b->expected != 0.0))
	{
		cj_error_set(err, CJ_ERR_RANGE,
					 "A bucket without customers must have zero totals.");
		return false;
	}
	return true;
}

/* (hi, lo) += (hi2, lo2) in double-double arithmetic */
bool
cj_dd_add(double *hi, double *lo, double hi2, double lo2)
{
	double		s = *hi + hi2;
	double		bp = s - *hi;
	double		e = (*hi - (s - bp)) + (hi2 - bp);
	double		h;

	if (!isfinite(s))
		return false;
	e += *lo + lo2;
	h = s + e;
	if (!isfinite(h))
		return false;
	*lo = e - (h - s);
	*hi = h;
	return true;
}

/* A valid normalised pair */
bool
cj_dd_valid(double hi, double lo)
{
	return isfinite(hi) && isfinite(lo) && hi + lo == hi;
}

/*
 * A total with its optional signed low part, "+lo" or "-lo" (lo NULL: no
 * part allowed); the pair must be normalised.
 */
static bool
ParseTotal(const char **p, double *hi, double *lo)
{
	if (!cj_parse_double(p, hi))
		return false;
	if (lo == NULL)
		return true;
	*lo = 0.0;
	if (**p == '+' || **p == '-')
	{
		if (!cj_parse_double(p, lo) || *lo == 0.0 || !cj_dd_valid(*hi, *lo))
			return false;
	}
	return true;
}

/* Parse "customers/actual/expected" (each total optionally "+lo") */
static bool
ParseBucket(const char **p, CjHoldoutBucket *b, CjHoldoutComp *lo, CjError *err)
{
	int64_t		n;

	if (!cj_parse_int64(p, &n) || !cj_accept_char(p, '/') ||
		!ParseTotal(p, &b->actual, lo ? &lo->actual : NULL) ||
		!cj_accept_char(p, '/') ||
		!ParseTotal(p, &b->expected, lo ? &lo->expected : NULL))
	{
		cj_error_set(err, CJ_ERR_SYNTAX,
					 "Expected customers/actual/expected after a bucket label.");
		return false;
	}
	b->customers = n;
	return cj_holdout_bucket_check(b, err);
}

/* Parse the holdout text form: "0:n/a/e 1:n/a/e ... k+:n/a/e" */
bool
cj_holdout_parse(const char *s, CjHoldoutBucket *b, int *k, CjError *err)
{
	return cj_holdout_parse_comp(s, b, NULL, k, err);
}

/* The same with "+lo" parts */
bool
cj_holdout_parse_comp(const char *s, CjHoldoutBucket *b, CjHoldoutComp *lo,
					  int *k, CjError *err)
{
	const char *p = s;
	int			i;

	for (i = 0;; i++)
	{
		int64_t		label;
		bool		last;

		if (!cj_parse_int64(&p, &label) || label != i)
		{
			cj_error_set(err, CJ_ERR_SYNTAX,
						 "Expected bucket label %d (buckets are 0, 1, ..., k-1 and then \"k+\").", i);
			return false;
		}
		last = (*p == '+');
		if (last)
			p++;
		if (last && (i < 1 || i > CJ_HOLDOUT_MAX_FREQ))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "The last bucket k+ must have k between 1 and %d.",
						 CJ_HOLDOUT_MAX_FREQ);
			return false;
		}
		if (!last && i >= CJ_HOLDOUT_MAX_FREQ)
		{
			cj_error_set(err, CJ_ERR_LIMIT,
						 "A holdout check has at most %d frequency buckets before \"k+\".",
						 CJ_HOLDOUT_MAX_FREQ);
			return false;
		}
		if (!cj_accept_char(&p, ':'))
		{
			cj_error_set(err, CJ_ERR_SYNTAX,
						 "Expected \":\" after bucket label %d.", i);
			return false;
		}
		if (!ParseBucket(&p, &b[i], lo ? &lo[i] : NULL, err))
			return false;
		if (last)
			break;
	}
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected text after the \"k+\" bucket.");
		return false;
	}
	*k = i;
	return true;
}

/* Validate a tracking header */
bool
cj_tracking_head_check(const CjTrackingHead *h, CjError *err)
{
	if (h->periods < 1 || h->periods > CJ_TRACKING_MAX_PERIODS)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The number of periods must be between 1 and %d.",
					 CJ_TRACKING_MAX_PERIODS);
		return false;
	}
	if (h->length <= 0 || h->length > CJ_TRACKING_MAX_SPAN / h->periods)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The period length must be positive and all periods together shorter than 146,000 years.");
		return false;
	}
	if (h->start < -CJ_TRACKING_MAX_ABS_START || h->start > CJ_TRACKING_MAX_ABS_START)
	{
		cj_error_set(err, CJ_ERR_RANGE, "The start time is out of range.");
		return false;
	}
	if (h->customers < 0)
	{
		cj_error_set(err, CJ_ERR_RANGE, "The number of customers must not be negative.");
		return false;
	}
	return true;
}

/*
 * Validate a cumulative series: finite, >= 0, non-decreasing (to 1e-12
 * relative: the aggregates sum non-negative increments), and all zero
 * without customers (as a holdout bucket)
 */
bool
cj_tracking_series_check(const CjTrackingHead *h, const double *cum,
						 CjError *err)
{
	int			i;

	for (i = 0; i < h->periods; i++)
	{
		if (!(isfinite(cum[i]) && cum[i] >= 0.0))
		{
			cj_error_set(err, CJ_ERR_RANGE,
						 "Expected purchases must be finite numbers >= 0 (period %d).",
						 i + 1);
			return false;
		}
		if (i > 0 && cum[i] < cum[i - 1] * (1.0 - 1e-12))
		{
			cj_error_set(err, CJ_ERR_RANGE,
						 "Cumulative expected purchases must not decrease (period %d).",
						 i + 1);
			return false;
		}
		if (h->customers == 0 && cum[i] != 0.0)
		{
			cj_error_set(err, CJ_ERR_RANGE,
						 "A series without customers must be all zero.");
			return false;
		}
	}
	return true;
}

/* Parse "name=<int64>" */
static bool
ParseField(const char **p, const char *name, int64_t *v, CjError *err)
{
	char		buf[16];

	if (cj_parse_ident(p, buf, sizeof(buf)) <= 0 || strcmp(buf, name) != 0 ||
		!cj_accept_char(p, '=') || !cj_parse_int64(p, v))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"%s=<integer>\".", name);
		return false;
	}
	return true;
}

/* Parse "{c1,c2,...}" into cum (and "+lo" parts into lo); count to *n */
static bool
ParseSeries(const char **p, double *cum, double *lo, int *n, CjError *err)
{
	int			i = 0;

	if (!cj_accept_char(p, '{'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"{\" before the series.");
		return false;
	}
	do
	{
		if (i >= CJ_TRACKING_MAX_PERIODS)
		{
			cj_error_set(err, CJ_ERR_LIMIT,
						 "A tracking series has at most %d periods.",
						 CJ_TRACKING_MAX_PERIODS);
			return false;
		}
		if (!ParseTotal(p, &cum[i], lo ? &lo[i] : NULL))
		{
			cj_error_set(err, CJ_ERR_SYNTAX,
						 "Expected a finite number in the series.");
			return false;
		}
		i++;
	} while (cj_accept_char(p, ','));
	if (!cj_accept_char(p, '}'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \"}\" after the series.");
		return false;
	}
	*n = i;
	return true;
}

/* Parse the tracking text form */
bool
cj_tracking_parse(const char *s, CjTrackingHead *h, double *cum, CjError *err)
{
	return cj_tracking_parse_comp(s, h, cum, NULL, err);
}

/* The same with "+lo" parts */
bool
cj_tracking_parse_comp(const char *s, CjTrackingHead *h, double *cum,
					   double *lo, CjError *err)
{
	const char *p = s;
	int			n;

	if (!ParseField(&p, "start", &h->start, err) ||
		!ParseField(&p, "length", &h->length, err) ||
		!ParseField(&p, "customers", &h->customers, err) ||
		!ParseSeries(&p, cum, lo, &n, err))
		return false;
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected text after the series.");
		return false;
	}
	h->periods = n;
	return cj_tracking_head_check(h, err) &&
		cj_tracking_series_check(h, cum, err);
}
