/*-------------------------------------------------------------------------
 *
 * qualwindow.c
 *	  cj_qualification_window(kind, as_of, anniversary): the period whose
 *	  activity qualifies a member for a tier, as a half-open daterange.
 *
 *	  calendar_year       [Jan 1 of as_of's year, Jan 1 of the next year)
 *	  anniversary         [latest anniversary <= as_of, the next one)
 *	  rolling_N_months    [as_of - N months + 1 day, as_of + 1 day)
 *	                      (rolling_12_months is N = 12; N from 1 to 1200)
 *
 * Month and year steps clamp the day to the month's length as date +
 * interval does (a 29 February anniversary falls on 28 February in other
 * years).  A window whose bounds fall outside the range of type date
 * (4714-11-24 BC to 5874897-12-31) cannot be returned: that is an error
 * (22003), never a clamped or wrapped date.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "common/util.h"

#define WINDOW_MAX_MONTHS 1200
#define WINDOW_KINDS "calendar_year, anniversary, rolling_12_months, rolling_N_months (N from 1 to 1200)"

PG_FUNCTION_INFO_V1(cj_qualification_window);

/* Error for a window bound outside the range of type date */
static void
DateOutOfRange(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("qualification window is out of range for type date"),
			 errdetail("Window bounds must lie between 4714-11-24 BC and 5874897-12-31.")));
}

/* A window bound: d itself when it is a valid date, else 22003 */
static DateADT
CheckedDate(int64 d)
{
	if (!IS_VALID_DATE(d))
		DateOutOfRange();
	return (DateADT) d;
}

/*
 * The date (as DateADT) k months after y-m-d, the day clamped; 22003 when
 * it is outside the range of type date
 */
static DateADT
AddMonths(int y, int m, int d, int k)
{
	int64		mi = ((int64) y * 12 + (m - 1)) + k;
	int64		ny = mi >= 0 ? mi / 12 : -((-mi + 11) / 12);
	int			nm = (int) (mi - ny * 12 + 1);
	int			last;

	if (ny < JULIAN_MINYEAR || ny > JULIAN_MAXYEAR)
		DateOutOfRange();
	last = day_tab[isleap(ny)][nm - 1];
	return CheckedDate((int64) date2j((int) ny, nm, d > last ? last : d) -
					   POSTGRES_EPOCH_JDATE);
}

/* Split a finite date into year, month, day; 22023 if infinite */
static void
DateParts(DateADT dt, const char *what, int *y, int *m, int *d)
{
	if (DATE_NOT_FINITE(dt))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite date", what)));
	j2date(dt + POSTGRES_EPOCH_JDATE, y, m, d);
}

/* N of 'rolling_N_months', or 0 if kind has another form */
static int
RollingMonths(const char *kind)
{
	const char *p = kind + strlen("rolling_");
	int			n = 0;

	if (strncmp(kind, "rolling_", 8) != 0 || !(*p >= '1' && *p <= '9'))
		return 0;
	for (; *p >= '0' && *p <= '9'; p++)
	{
		n = n * 10 + (*p - '0');
		if (n > WINDOW_MAX_MONTHS)
			return 0;
	}
	return strcmp(p, "_months") == 0 ? n : 0;
}

/* Build the daterange [lo, hi) */
static Datum
MakeDateRange(DateADT lo, DateADT hi)
{
	TypeCacheEntry *tc = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);
	RangeBound	lower = {DateADTGetDatum(lo), false, true, true};
	RangeBound	upper = {DateADTGetDatum(hi), false, false, false};

#if PG_VERSION_NUM >= 160000
	return RangeTypePGetDatum(make_range(tc, &lower, &upper, false, NULL));
#else
	return RangeTypePGetDatum(make_range(tc, &lower, &upper, false));
#endif
}

/* The anniversary year containing as_of */
static Datum
AnniversaryWindow(DateADT as_of, int y, DateADT anniv)
{
	int			ay,
				am,
				ad,
				n;
	DateADT		start;

	DateParts(anniv, "anniversary", &ay, &am, &ad);
	n = y - ay;
	start = AddMonths(ay, am, ad, 12 * n);
	if (start > as_of)
		start = AddMonths(ay, am, ad, 12 * --n);
	return MakeDateRange(start, AddMonths(ay, am, ad, 12 * (n + 1)));
}

/* cj_qualification_window(kind, as_of, anniversary) */
Datum
cj_qualification_window(PG_FUNCTION_ARGS)
{
	char	   *kind;
	DateADT		as_of;
	int			y,
				m,
				d,
				n;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	as_of = PG_GETARG_DATEADT(1);
	DateParts(as_of, "as_of", &y, &m, &d);
	if (strcmp(kind, "calendar_year") == 0)
		PG_RETURN_DATUM(MakeDateRange(AddMonths(y, 1, 1, 0), AddMonths(y, 1, 1, 12)));
	if (strcmp(kind, "anniversary") == 0)
	{
		if (PG_NARGS() < 3 || PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("qualification window \"anniversary\" needs an anniversary date")));
		PG_RETURN_DATUM(AnniversaryWindow(as_of, y, PG_GETARG_DATEADT(2)));
	}
	if ((n = RollingMonths(kind)) > 0)
		PG_RETURN_DATUM(MakeDateRange(CheckedDate((int64) AddMonths(y, m, d, -n) + 1),
									  CheckedDate((int64) as_of + 1)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown qualification window \"%s\"", kind),
			 errdetail("Valid windows are: %s.", WINDOW_KINDS)));
	PG_RETURN_NULL();
}
