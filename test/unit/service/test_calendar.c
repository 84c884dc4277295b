/*-------------------------------------------------------------------------
 *
 * test_calendar.c
 *	  Unit tests of the service calendar parser and business-time
 *	  arithmetic, against a minute-by-minute walk written here.
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/calendar.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define MIN INT64_C(60000000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

/* A fake zone: offset off1 before switch1, off2 until switch2, off1 after */
typedef struct FakeZone
{
	int64_t		off1,
				off2,
				switch1,
				switch2;
} FakeZone;

static bool
FakeTz(void *arg, int64_t t, int64_t *off, int64_t *next)
{
	FakeZone   *z = arg;

	if (t < z->switch1)
	{
		*off = z->off1;
		*next = z->switch1;
	}
	else if (t < z->switch2)
	{
		*off = z->off2;
		*next = z->switch2;
	}
	else
	{
		*off = z->off1;
		*next = INT64_MAX;
	}
	return true;
}

/* Is instant t open?  Straight from the definition. */
static bool
OpenAt(const CjCalendar *cal, FakeZone *z, int64_t t)
{
	int64_t		off,
				next,
				local,
				day;
	int			k,
				i;

	FakeTz(z, t, &off, &next);
	local = t + off;
	day = local >= 0 ? local / DAY : -((-local + DAY - 1) / DAY);
	for (k = 0; k <= 1; k++)
	{
		int64_t		d = day - k;
		int			w = (int) (((d + 5) % 7 + 7) % 7);
		bool		closed = false;

		for (i = 0; i < cal->nclosed; i++)
			closed = closed || cal->closed[i] == d;
		if (closed)
			continue;
		for (i = 0; i < cal->nint[w]; i++)
		{
			int64_t		s = d * DAY + cal->ints[w][i].start * MIN,
						e = d * DAY + cal->ints[w][i].end * MIN;

			if (local >= s && local < e)
				return true;
		}
	}
	return false;
}

static int64_t
Ts(int y, int m, int d, int hh, int mm)
{
	return cj_days_from_civil(y, m, d) * DAY + hh * HOUR + mm * MIN;
}

int
main(void)
{
	CjCalendar *cal = malloc(sizeof(CjCalendar));
	char	   *buf = malloc(CJ_CAL_TEXT_MAX);
	CjError		err;
	FakeZone	utc = {0, 0, INT64_MAX - 1, INT64_MAX};
	CjTz		tz = {FakeTz, &utc};
	int64_t		r;
	int			trial,
				bad = 0;
	static const char *const good[] = {
		"Europe/Paris; mon-fri 09:00-18:00; sat 10:00-13:00; closed 2026-12-25, 2027-01-01",
		"UTC; 24x7",
		"UTC; mon,wed 09:00-12:00, 13:00-17:00; fri-sun 22:00-06:00",
	};
	static const char *const bad_lits[] = {
		"", "UTC", "UTC;", "UTC; mon 25:00-26:00", "UTC; mon 09:00-09:00",
		"UTC; mon 09:00-12:00, 11:00-13:00", "UTC; sun 22:00-06:00; mon 05:00-07:00",
		"UTC; closed 2026-12-25", "UTC; mon 09:00-18:00; closed 2026-02-30",
		"UTC; mon 9-18", "UTC; funday 09:00-10:00", "UTC; mon 09:00-10:00 junk",
		"UTC; mon 24:00-02:00",
	};
	size_t		i;

	CHECK(cj_days_from_civil(2000, 1, 1) == 0, "2000-01-01 is day 0");
	CHECK(cj_days_from_civil(2024, 2, 29) + 1 == cj_days_from_civil(2024, 3, 1), "leap day");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		bool		ok = cj_calendar_parse(good[i], cal, &err);

		if (ok)
			cj_calendar_format(cal, buf, CJ_CAL_TEXT_MAX);
		if (!ok || strcmp(buf, good[i]) != 0)
			printf("# %s -> %s\n", good[i], ok ? buf : err.detail);
		CHECK(ok && strcmp(buf, good[i]) == 0, "canonical literal round trips");
	}
	for (i = 0; i < sizeof(bad_lits) / sizeof(bad_lits[0]); i++)
		CHECK(!cj_calendar_parse(bad_lits[i], cal, &err), bad_lits[i]);

	/* Friday 2026-03-06 17:30 + 2 business hours -> Monday 10:30 */
	cj_calendar_parse("X; mon-fri 09:00-18:00", cal, &err);
	CHECK(cj_cal_business_add(cal, &tz, Ts(2026, 3, 6, 17, 30), 2 * HOUR, &r, &err) &&
		  r == Ts(2026, 3, 9, 10, 30), "Friday 17:30 + 2h = Monday 10:30");
	CHECK(cj_cal_business_add(cal, &tz, Ts(2026, 3, 6, 17, 30), 30 * MIN, &r, &err) &&
		  r == Ts(2026, 3, 6, 18, 0), "Friday 17:30 + 30min = Friday 18:00");
	cj_calendar_parse("X; mon-fri 09:00-18:00; sat 10:00-13:00", cal, &err);
	CHECK(cj_cal_business_add(cal, &tz, Ts(2026, 3, 6, 17, 30), 2 * HOUR, &r, &err) &&
		  r == Ts(2026, 3, 7, 11, 30), "with Saturdays: Saturday 11:30");

	/* random calendars and instants against the minute walk */
	srand(42);
	for (trial = 0; trial < 3000; trial++)
	{
		FakeZone	z;
		char		lit[512];
		int			len,
					d;
		int64_t		a,
					b,
					t,
					walk = 0,
					got,
					dur;
		CjTz		ftz = {FakeTz, &z};

		len = snprintf(lit, sizeof(lit), "Z");
		for (d = 0; d < 7; d++)
		{
			int			s = (rand() % 24) * 60 + (rand() % 2) * 30;
			int			e = (s + 30 + (rand() % 46) * 30) % 1440;

			if (rand() % 3 == 0)
				continue;
			len += snprintf(lit + len, sizeof(lit) - len, "; %s %02d:%02d-%02d:%02d",
							(const char *[]){"mon", "tue", "wed", "thu", "fri", "sat", "sun"}[d],
							s / 60, s % 60, e == 0 ? 24 : e / 60, e % 60);
		}
		len += snprintf(lit + len, sizeof(lit) - len, "; closed 2024-02-%02d, 2024-02-%02d",
						1 + rand() % 29, 1 + rand() % 29);
		if (!cj_calendar_parse(lit, cal, &err))
			continue;			/* overlap across days: fine to reject */
		z.off1 = (rand() % 28 - 12) * 30 * MIN;
		z.off2 = z.off1 + (rand() % 2 ? 1 : -1) * (rand() % 3 + 1) * 30 * MIN;
		z.switch1 = Ts(2024, 2, 10, 0, 0) + (rand() % (10 * 48)) * 30 * MIN;
		z.switch2 = z.switch1 + (rand() % (10 * 48)) * 30 * MIN;
		a = Ts(2024, 2, 1, 0, 0) + (rand() % (25 * 1440)) * MIN;
		b = a + (rand() % (8 * 1440)) * MIN;
		for (t = a; t < b; t += MIN)
			walk += OpenAt(cal, &z, t) ? MIN : 0;
		if (!cj_cal_business_time(cal, &ftz, a, b, &got, &err) || got != walk)
		{
			bad++;
			printf("# time %s a=%lld b=%lld got %lld want %lld\n", lit,
				   (long long) a, (long long) b, (long long) got, (long long) walk);
		}
		/* add: the walk stops at the first minute where the sum reaches dur */
		dur = (1 + rand() % (3 * 1440)) * MIN;
		walk = 0;
		for (t = a; walk < dur; t += MIN)
			walk += OpenAt(cal, &z, t) ? MIN : 0;
		if (!cj_cal_business_add(cal, &ftz, a, dur, &got, &err) || got != t)
		{
			bad++;
			printf("# add %s a=%lld dur=%lld got %lld want %lld\n", lit,
				   (long long) a, (long long) dur, (long long) got, (long long) t);
		}
	}
	CHECK(bad == 0, "random calendars agree with the minute walk");
	free(cal);
	free(buf);
	return unit_done();
}
