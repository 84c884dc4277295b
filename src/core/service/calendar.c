/*-------------------------------------------------------------------------
 *
 * calendar.c
 *	  Parser, formatter and business-time arithmetic of service calendars
 *	  (pure C).
 *
 * Grammar (white space allowed between tokens, keywords case-insensitive):
 *		calendar := zone ( ';' clause )+
 *		clause   := '24x7' | 'closed' date ( ',' date )*
 *		          | days interval ( ',' interval )*
 *		days     := day [ '-' day ] ( ',' day [ '-' day ] )*
 *		day      := mon | tue | wed | thu | fri | sat | sun
 *		interval := hh:mm '-' hh:mm		(end 24:00 allowed; end <= start
 *										 means the interval runs overnight)
 *		date     := yyyy-mm-dd
 *
 * The arithmetic.  Let F(x) be the open time on the local (wall-clock)
 * timeline before local instant x.  F is the weekly-periodic cumulative
 * W(x) = weeks * weekly_open + P(position in the week), minus C(x), the
 * open time the closed dates before x removed; W is O(1) and C a binary
 * search over prefix sums of the closed dates, so F costs O(log closed)
 * whatever the distance.  Between two changes of the zone's UTC offset,
 * local time is UTC plus a constant, so the business time of [a, b) is the
 * sum over those offset segments of F(end + off) - F(start + off): folds
 * count their repeated hour twice and gaps their skipped hour not at all,
 * which is exactly what a clock on the wall shows.  cj_business_add walks
 * the same segments and inverts F inside the last one: W inverts in O(1),
 * and the smallest y with F(y) = v is the fixed point of
 * y <- W^-1(v + C(y)), reached after at most one step per closed date
 * crossed.  Loops run once per offset change (twice a year in DST zones),
 * call the interrupt hook, and never run on a calendar without open
 * time, which the parser rejects.
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/calendar.h"
#include "core/common/text.h"

#include <stdio.h>
#include <string.h>

/* Local Monday 2000-01-03 00:00: the origin of weeks (2000-01-01 was a Saturday) */
#define MON0 (2 * CJ_USECS_PER_DAY)
#define MINUTES_PER_DAY 1440
#define MINUTES_PER_WEEK (7 * MINUTES_PER_DAY)

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* Floor division and modulo for a positive divisor */
static inline int64_t
FloorDiv(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Weekday (Monday = 0) of a day counted from 2000-01-01 */
static inline int
Weekday(int64_t day)
{
	int64_t		w = (day + 5) % 7;

	return (int) (w < 0 ? w + 7 : w);
}

/* Days since 2000-01-01 of a proleptic Gregorian date (Hinnant's algorithm) */
int64_t
cj_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = FloorDiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 - 10957;
}

/* Proleptic Gregorian date of a day counted from 2000-01-01 */
void
cj_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t		z = days + 10957 + 719468;
	int64_t		era = FloorDiv(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;

	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Case-insensitive match of a keyword at *p (not followed by a letter) */
static bool
AcceptWord(const char **p, const char *word)
{
	const char *s = cj_skip_space(*p);
	size_t		i;

	for (i = 0; word[i]; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != word[i])
			return false;
	}
	if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
		return false;
	*p = s + i;
	return true;
}

/* Parse exactly n digits */
static bool
ParseDigits(const char **p, int n, int *out)
{
	int			v = 0,
				i;

	for (i = 0; i < n; i++)
	{
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* Parse h:mm or hh:mm into minutes (0 .. 1440) */
static bool
ParseClock(const char **p, int *minutes, CjError *err)
{
	const char *s = cj_skip_space(*p);
	int			h,
				m;

	if (!ParseDigits(&s, 2, &h) && !ParseDigits(&s, 1, &h))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a time of day such as \"09:00\".");
		return false;
	}
	if (*s != ':' || (s++, !ParseDigits(&s, 2, &m)) ||
		(s[0] >= '0' && s[0] <= '9'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a time of day such as \"09:00\" (hours:minutes).");
		return false;
	}
	if (h > 24 || m > 59 || (h == 24 && m != 0))
	{
		cj_error_set(err, CJ_ERR_PARAM, "Times of day run from 00:00 to 24:00, not %02d:%02d.", h, m);
		return false;
	}
	*minutes = h * 60 + m;
	*p = s;
	return true;
}

/* Parse one weekday name */
static bool
ParseDay(const char **p, int *day, CjError *err)
{
	int			i;

	for (i = 0; i < 7; i++)
		if (AcceptWord(p, day_names[i]))
		{
			*day = i;
			return true;
		}
	cj_error_set(err, CJ_ERR_SYNTAX, "Expected a weekday (mon, tue, wed, thu, fri, sat, sun), \"24x7\" or \"closed\".");
	return false;
}

/* Parse yyyy-mm-dd into days since 2000-01-01 */
static bool
ParseDate(const char **p, int32_t *day, CjError *err)
{
	const char *s = cj_skip_space(*p);
	int			y,
				m,
				d,
				mdays;
	static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (!ParseDigits(&s, 4, &y) || *s++ != '-' || !ParseDigits(&s, 2, &m) ||
		*s++ != '-' || !ParseDigits(&s, 2, &d) || (*s >= '0' && *s <= '9'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a closed date as YYYY-MM-DD.");
		return false;
	}
	if (m < 1 || m > 12)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Date %04d-%02d-%02d does not exist.", y, m, d);
		return false;
	}
	mdays = month_days[m - 1] +
		(m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d < 1 || d > mdays)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Date %04d-%02d-%02d does not exist.", y, m, d);
		return false;
	}
	if (y < CJ_CAL_MIN_YEAR || y > CJ_CAL_MAX_YEAR)
	{
		cj_error_set(err, CJ_ERR_RANGE, "Closed dates lie in the years %d to %d.", CJ_CAL_MIN_YEAR, CJ_CAL_MAX_YEAR);
		return false;
	}
	*day = (int32_t) cj_days_from_civil(y, m, d);
	*p = s;
	return true;
}

/* Add an interval to a weekday, keeping the list sorted by start */
static bool
AddInterval(CjCalendar *cal, int day, int start, int end, CjError *err)
{
	int			n = cal->nint[day],
				i;

	if (n >= CJ_CAL_MAX_PER_DAY)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A weekday has at most %d opening intervals.", CJ_CAL_MAX_PER_DAY);
		return false;
	}
	for (i = n; i > 0 && cal->ints[day][i - 1].start > start; i--)
		cal->ints[day][i] = cal->ints[day][i - 1];
	cal->ints[day][i].start = start;
	cal->ints[day][i].end = end;
	cal->nint[day] = n + 1;
	return true;
}

/* Parse "days interval, interval ..." */
static bool
ParseHours(const char **p, CjCalendar *cal, CjError *err)
{
	bool		days[7] = {false};
	int			d;

	do
	{
		int			first,
					last;

		if (!ParseDay(p, &first, err))
			return false;
		last = first;
		if (cj_accept_char(p, '-') && !ParseDay(p, &last, err))
			return false;
		for (d = first;; d = (d + 1) % 7)
		{
			days[d] = true;
			if (d == last)
				break;
		}
	} while (cj_accept_char(p, ','));
	do
	{
		int			start,
					end;

		if (!ParseClock(p, &start, err))
			return false;
		if (!cj_accept_char(p, '-'))
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Expected an interval such as \"09:00-18:00\".");
			return false;
		}
		if (!ParseClock(p, &end, err))
			return false;
		if (start == MINUTES_PER_DAY)
		{
			cj_error_set(err, CJ_ERR_PARAM, "An interval cannot start at 24:00; write 00:00 of the next day.");
			return false;
		}
		if (end == start)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Interval %02d:%02d-%02d:%02d has zero length.",
						 start / 60, start % 60, end / 60, end % 60);
			return false;
		}
		if (end < start)
			end += MINUTES_PER_DAY;		/* overnight */
		for (d = 0; d < 7; d++)
			if (days[d] && !AddInterval(cal, d, start, end, err))
				return false;
	} while (cj_accept_char(p, ','));
	return true;
}

/* Parse "closed date, date ..." */
static bool
ParseClosed(const char **p, CjCalendar *cal, CjError *err)
{
	do
	{
		int32_t		day;
		int			i;

		if (!ParseDate(p, &day, err))
			return false;
		for (i = cal->nclosed; i > 0 && cal->closed[i - 1] >= day; i--)
			;
		if (i < cal->nclosed && cal->closed[i] == day)
			continue;			/* listed twice: once is enough */
		if (cal->nclosed >= CJ_CAL_MAX_CLOSED)
		{
			cj_error_set(err, CJ_ERR_LIMIT, "A calendar lists at most %d closed dates.", CJ_CAL_MAX_CLOSED);
			return false;
		}
		memmove(&cal->closed[i + 1], &cal->closed[i],
				sizeof(int32_t) * (size_t) (cal->nclosed - i));
		cal->closed[i] = day;
		cal->nclosed++;
	} while (cj_accept_char(p, ','));
	return true;
}

/* Characters of a zone name: IANA names and POSIX TZ strings */
static bool
ZoneChar(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || strchr("/_+-.:<>,", c) != NULL;
}

/* Parse the zone name up to the first ';' */
static bool
ParseZone(const char **p, CjCalendar *cal, CjError *err)
{
	const char *s = cj_skip_space(*p);
	size_t		n = 0;

	while (s[n] && ZoneChar(s[n]))
		n++;
	if (n == 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "A calendar starts with a time zone name, such as \"Europe/Paris; mon-fri 09:00-18:00\".");
		return false;
	}
	if (n > CJ_CAL_ZONE_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "Time zone names are at most %d bytes long.", CJ_CAL_ZONE_MAX);
		return false;
	}
	memcpy(cal->zone, s, n);
	cal->zone[n] = '\0';
	*p = s + n;
	return true;
}

/* Parse a whole literal */
bool
cj_calendar_parse(const char *text, CjCalendar *cal, CjError *err)
{
	const char *p = text;

	memset(cal, 0, sizeof(*cal));
	if (!ParseZone(&p, cal, err))
		return false;
	if (!cj_accept_char(&p, ';'))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected \";\" and opening hours after the time zone name.");
		return false;
	}
	do
	{
		bool		ok;

		if (AcceptWord(&p, "24x7"))
		{
			int			d;

			ok = true;
			for (d = 0; d < 7 && ok; d++)
				ok = AddInterval(cal, d, 0, MINUTES_PER_DAY, err);
		}
		else if (AcceptWord(&p, "closed"))
			ok = ParseClosed(&p, cal, err);
		else
			ok = ParseHours(&p, cal, err);
		if (!ok)
			return false;
	} while (cj_accept_char(&p, ';'));
	if (!cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Unexpected text; separate clauses with \";\" and intervals with \",\".");
		return false;
	}
	return cj_calendar_prepare(cal, err);
}

/* Sort the weekly pieces by start (insertion sort: at most 113 pieces) */
static void
SortPieces(CjCalendar *cal)
{
	int			i,
				j;

	for (i = 1; i < cal->npieces; i++)
	{
		int64_t		s = cal->pstart[i],
					e = cal->pend[i];

		for (j = i; j > 0 && cal->pstart[j - 1] > s; j--)
		{
			cal->pstart[j] = cal->pstart[j - 1];
			cal->pend[j] = cal->pend[j - 1];
		}
		cal->pstart[j] = s;
		cal->pend[j] = e;
	}
}

/* Add one piece of the weekly open set, in minutes from Monday 00:00 */
static void
AddPiece(CjCalendar *cal, int64_t s, int64_t e)
{
	cal->pstart[cal->npieces] = s * CJ_USECS_PER_MINUTE;
	cal->pend[cal->npieces] = e * CJ_USECS_PER_MINUTE;
	cal->npieces++;
}

/* Check the shape of the zone name of a decoded calendar */
static bool
ValidZone(const CjCalendar *cal)
{
	size_t		n = strnlen(cal->zone, sizeof(cal->zone));
	size_t		i;

	if (n == 0 || n > CJ_CAL_ZONE_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!ZoneChar(cal->zone[i]))
			return false;
	return true;
}

/* Validate the literal's fields and derive the arithmetic tables */
bool
cj_calendar_prepare(CjCalendar *cal, CjError *err)
{
	int			d,
				i;

	if (!ValidZone(cal))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The time zone name is empty or has characters no zone name has.");
		return false;
	}
	cal->npieces = 0;
	cal->weekly_us = 0;
	for (d = 0; d < 7; d++)
	{
		if (cal->nint[d] < 0 || cal->nint[d] > CJ_CAL_MAX_PER_DAY)
		{
			cj_error_set(err, CJ_ERR_LIMIT, "A weekday has at most %d opening intervals.", CJ_CAL_MAX_PER_DAY);
			return false;
		}
		cal->day_us[d] = 0;
		for (i = 0; i < cal->nint[d]; i++)
		{
			const CjCalInterval *iv = &cal->ints[d][i];
			int64_t		s = (int64_t) d * MINUTES_PER_DAY + iv->start,
						e = (int64_t) d * MINUTES_PER_DAY + iv->end;

			if (iv->start < 0 || iv->start >= MINUTES_PER_DAY ||
				iv->end <= iv->start || iv->end > iv->start + MINUTES_PER_DAY ||
				(i > 0 && cal->ints[d][i - 1].start >= iv->start))
			{
				cj_error_set(err, CJ_ERR_PARAM, "Opening intervals start between 00:00 and 23:59, last at most 24 hours and are sorted.");
				return false;
			}
			if (e > MINUTES_PER_WEEK)
			{
				AddPiece(cal, s, MINUTES_PER_WEEK);
				AddPiece(cal, 0, e - MINUTES_PER_WEEK);
			}
			else
				AddPiece(cal, s, e);
			cal->day_us[d] += (int64_t) (iv->end - iv->start) * CJ_USECS_PER_MINUTE;
		}
		cal->weekly_us += cal->day_us[d];
	}
	SortPieces(cal);
	for (i = 0; i < cal->npieces; i++)
	{
		if (i > 0 && cal->pstart[i] < cal->pend[i - 1])
		{
			int64_t		m = cal->pstart[i] / CJ_USECS_PER_MINUTE;

			cj_error_set(err, CJ_ERR_PARAM, "Opening intervals overlap on %s at %02d:%02d.",
						 day_names[m / MINUTES_PER_DAY],
						 (int) (m % MINUTES_PER_DAY) / 60, (int) (m % 60));
			return false;
		}
		cal->pcum[i] = i == 0 ? 0 :
			cal->pcum[i - 1] + cal->pend[i - 1] - cal->pstart[i - 1];
	}
	if (cal->weekly_us == 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The calendar has no open time at all; give opening hours such as \"mon-fri 09:00-18:00\" or \"24x7\".");
		return false;
	}
	if (cal->nclosed < 0 || cal->nclosed > CJ_CAL_MAX_CLOSED)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A calendar lists at most %d closed dates.", CJ_CAL_MAX_CLOSED);
		return false;
	}
	cal->ccum[0] = 0;
	for (i = 0; i < cal->nclosed; i++)
	{
		if ((i > 0 && cal->closed[i] <= cal->closed[i - 1]) ||
			cal->closed[i] < cj_days_from_civil(CJ_CAL_MIN_YEAR, 1, 1) ||
			cal->closed[i] > cj_days_from_civil(CJ_CAL_MAX_YEAR, 12, 31))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Closed dates are distinct, sorted and in the years %d to %d.",
						 CJ_CAL_MIN_YEAR, CJ_CAL_MAX_YEAR);
			return false;
		}
		cal->ccum[i + 1] = cal->ccum[i] + cal->day_us[Weekday(cal->closed[i])];
	}
	return true;
}

/* Print the weekdays of a set as runs: "mon-fri", "mon,wed", "sat-sun" */
static size_t
FormatDays(const bool *set, char *buf, size_t size)
{
	size_t		len = 0;
	int			d = 0;

	while (d < 7)
	{
		int			e = d;

		if (!set[d])
		{
			d++;
			continue;
		}
		while (e + 1 < 7 && set[e + 1])
			e++;
		len += (size_t) snprintf(buf + len, size - len, "%s%s", len ? "," : "", day_names[d]);
		if (e > d)
			len += (size_t) snprintf(buf + len, size - len, "-%s", day_names[e]);
		d = e + 1;
	}
	return len;
}

/* Same interval lists on two weekdays? */
static bool
SameHours(const CjCalendar *cal, int a, int b)
{
	return cal->nint[a] == cal->nint[b] &&
		memcmp(cal->ints[a], cal->ints[b], sizeof(CjCalInterval) * (size_t) cal->nint[a]) == 0;
}

/* Canonical text form */
void
cj_calendar_format(const CjCalendar *cal, char *buf, size_t size)
{
	size_t		len;
	bool		done[7] = {false};
	int			d,
				i;
	bool		all = true;

	len = (size_t) snprintf(buf, size, "%s", cal->zone);
	for (d = 0; d < 7; d++)
		all = all && cal->nint[d] == 1 && cal->ints[d][0].start == 0 &&
			cal->ints[d][0].end == MINUTES_PER_DAY;
	if (all)
		len += (size_t) snprintf(buf + len, size - len, "; 24x7");
	for (d = 0; d < 7 && !all; d++)
	{
		bool		set[7] = {false};
		int			e;

		if (done[d] || cal->nint[d] == 0)
			continue;
		for (e = d; e < 7; e++)
			if (!done[e] && SameHours(cal, d, e))
				set[e] = done[e] = true;
		len += (size_t) snprintf(buf + len, size - len, "; ");
		len += FormatDays(set, buf + len, size - len);
		for (i = 0; i < cal->nint[d]; i++)
		{
			int			s = cal->ints[d][i].start,
						en = cal->ints[d][i].end % MINUTES_PER_DAY;

			if (cal->ints[d][i].end == MINUTES_PER_DAY)
				en = MINUTES_PER_DAY;
			len += (size_t) snprintf(buf + len, size - len, "%s%02d:%02d-%02d:%02d",
									 i ? ", " : " ", s / 60, s % 60, en / 60, en % 60);
		}
	}
	for (i = 0; i < cal->nclosed; i++)
	{
		int64_t		y;
		int			m,
					dd;

		cj_civil_from_days(cal->closed[i], &y, &m, &dd);
		len += (size_t) snprintf(buf + len, size - len, "%s%04d-%02d-%02d",
								 i ? ", " : "; closed ", (int) y, m, dd);
	}
}

/* Open time in [0, r) of the week, r in [0, week) */
static int64_t
WeekOpenBefore(const CjCalendar *cal, int64_t r)
{
	int			i;

	for (i = 0; i < cal->npieces; i++)
	{
		if (r <= cal->pstart[i])
			return cal->pcum[i];
		if (r < cal->pend[i])
			return cal->pcum[i] + r - cal->pstart[i];
	}
	return cal->weekly_us;
}

/* W(x): weekly-periodic open time before local x */
static int64_t
WeeklyOpenBefore(const CjCalendar *cal, int64_t x)
{
	int64_t		q = FloorDiv(x - MON0, CJ_USECS_PER_WEEK);

	return q * cal->weekly_us + WeekOpenBefore(cal, x - MON0 - q * CJ_USECS_PER_WEEK);
}

/* C(x): open time the closed dates remove before local x */
static int64_t
ClosedBefore(const CjCalendar *cal, int64_t x)
{
	int64_t		day = FloorDiv(x, CJ_USECS_PER_DAY);
	int			lo = 0,
				hi = cal->nclosed;
	int64_t		c;

	/* dates up to day - 2 are over before x: intervals last < 2 days */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cal->closed[mid] <= day - 2)
			lo = mid + 1;
		else
			hi = mid;
	}
	c = cal->ccum[lo];
	for (; lo < cal->nclosed && cal->closed[lo] <= day; lo++)
	{
		int			w = Weekday(cal->closed[lo]);
		int64_t		base = (int64_t) cal->closed[lo] * CJ_USECS_PER_DAY;
		int			i;

		for (i = 0; i < cal->nint[w]; i++)
		{
			int64_t		s = base + cal->ints[w][i].start * CJ_USECS_PER_MINUTE,
						e = base + cal->ints[w][i].end * CJ_USECS_PER_MINUTE;

			if (x > s)
				c += (x < e ? x : e) - s;
		}
	}
	return c;
}

/* F(x) */
int64_t
cj_calendar_open_before(const CjCalendar *cal, int64_t x)
{
	return WeeklyOpenBefore(cal, x) - ClosedBefore(cal, x);
}

/* Smallest local y with W(y) = v */
static int64_t
WeeklyInverse(const CjCalendar *cal, int64_t v)
{
	int64_t		q = FloorDiv(v - 1, cal->weekly_us);	/* ceil(v / weekly) - 1 */
	int64_t		rem = v - q * cal->weekly_us;	/* in (0, weekly] */
	int			i;

	/*
	 * Past the end of the range: saturate rather than overflow, to a
	 * local instant later than any the callers compare with (instants up to
	 * CJ_CAL_T_MAX, offsets up to a day).
	 */
	if (q > CJ_CAL_T_MAX / CJ_USECS_PER_WEEK + 2)
		return CJ_CAL_T_MAX + 2 * CJ_USECS_PER_DAY;
	for (i = 0; i < cal->npieces; i++)
		if (cal->pcum[i] + cal->pend[i] - cal->pstart[i] >= rem)
			break;
	return MON0 + q * CJ_USECS_PER_WEEK + cal->pstart[i] + (rem - cal->pcum[i]);
}

/*
 * Smallest local y with F(y) = v: the fixed point of y <- W^-1(v + C(y)),
 * iterated from c = c0.  Any c0 <= C(y) for the answer y converges to it
 * (C is nondecreasing); the caller passes C at a local instant known to be
 * before y, which usually makes the first step the last.
 */
static int64_t
OpenInverse(const CjCalendar *cal, int64_t v, int64_t c0)
{
	int64_t		c = c0;
	int			n = 0;

	for (;;)
	{
		int64_t		y = WeeklyInverse(cal, v + c);
		int64_t		c2 = ClosedBefore(cal, y);

		if (c2 == c)
			return y;
		c = c2;
		if (++n % 64 == 0)
			cj_check_interrupts();
	}
}

/* Error unless t is in the accepted range */
static bool
CheckInstant(int64_t t, CjError *err)
{
	if (t < CJ_CAL_T_MIN || t > CJ_CAL_T_MAX)
	{
		cj_error_set(err, CJ_ERR_RANGE, "Instants must lie within the range of timestamp with time zone.");
		return false;
	}
	return true;
}

/* The offset segment holding t */
static bool
Segment(const CjTz *tz, int64_t t, int64_t *off, int64_t *next, CjError *err)
{
	if (!tz->fn(tz->arg, t, off, next) || *next <= t ||
		*off < -CJ_USECS_PER_DAY || *off > CJ_USECS_PER_DAY)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The time zone gave no usable UTC offset.");
		return false;
	}
	return true;
}

/* Business time between instants a <= b */
bool
cj_cal_business_time(const CjCalendar *cal, const CjTz *tz, int64_t a, int64_t b,
				 int64_t *result, CjError *err)
{
	int64_t		t = a,
				total = 0;
	int			n = 0;

	if (!CheckInstant(a, err) || !CheckInstant(b, err))
		return false;
	while (t < b)
	{
		int64_t		off,
					next,
					e,
					d;

		if (!Segment(tz, t, &off, &next, err))
			return false;
		e = next < b ? next : b;
		/* from year 1 to 294276 the open time passes int64 microseconds */
		if (__builtin_sub_overflow(cj_calendar_open_before(cal, e + off),
								   cj_calendar_open_before(cal, t + off), &d) ||
			__builtin_add_overflow(total, d, &total))
		{
			cj_error_set(err, CJ_ERR_RANGE,
						 "The business time between these instants does not fit in an interval.");
			return false;
		}
		t = e;
		if (++n % 256 == 0)
			cj_check_interrupts();
	}
	*result = total;
	return true;
}

/* Earliest t >= start with business_time(start, t) = duration */
bool
cj_cal_business_add(const CjCalendar *cal, const CjTz *tz, int64_t start,
				int64_t duration, int64_t *result, CjError *err)
{
	int64_t		t = start,
				rem = duration,
				off,
				next,
				f0,
				c0;
	int			n = 0;

	if (!CheckInstant(start, err))
		return false;
	if (duration < 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Durations must not be negative.");
		return false;
	}
	/* business time never runs faster than real time */
	if (duration > CJ_CAL_T_MAX - start)
	{
		cj_error_set(err, CJ_ERR_RANGE, "The result lies beyond the range of timestamp with time zone.");
		return false;
	}
	if (duration == 0)
	{
		*result = start;
		return true;
	}
	for (;;)
	{
		int64_t		y;

		if (!Segment(tz, t, &off, &next, err))
			return false;
		c0 = ClosedBefore(cal, t + off);
		f0 = WeeklyOpenBefore(cal, t + off) - c0;
		if (next > CJ_CAL_T_MAX)
		{
			/* the open time left before the end of the range bounds the inversion */
			if (rem > cj_calendar_open_before(cal, CJ_CAL_T_MAX + off) - f0)
			{
				cj_error_set(err, CJ_ERR_RANGE, "The result lies beyond the range of timestamp with time zone.");
				return false;
			}
			*result = OpenInverse(cal, f0 + rem, c0) - off;
			break;
		}

		/*
		 * The smallest local y with F(y) = f0 + rem lies in this segment
		 * exactly when F(next + off) >= f0 + rem, that is, when the open
		 * time left in the segment covers rem; try that first (the usual
		 * case), and otherwise consume the segment's open time.
		 */
		y = OpenInverse(cal, f0 + rem, c0);
		if (y <= next + off)
		{
			*result = y - off;
			break;
		}
		rem -= cj_calendar_open_before(cal, next + off) - f0;
		t = next;
		if (++n % 256 == 0)
			cj_check_interrupts();
	}
	if (*result > CJ_CAL_T_MAX)
	{
		cj_error_set(err, CJ_ERR_RANGE, "The result lies beyond the range of timestamp with time zone.");
		return false;
	}
	return true;
}
