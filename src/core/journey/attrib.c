/*-------------------------------------------------------------------------
 *
 * attrib.c
 *	  Rule-based multi-touch attribution of one conversion.
 *
 * Each model gives every touch of a journey a weight, the weights are
 * normalised to 1 and summed per channel:
 *
 *	first_touch      the first touch takes 1
 *	last_touch       the last touch takes 1
 *	linear           every touch 1/n
 *	position_based   first 0.4, last 0.4, the n-2 middle touches share 0.2;
 *	                 one touch takes 1, two touches take 0.5 each
 *	time_decay       w_i = 2^(-age_i / half_life), age_i = time before the
 *	                 conversion; computed relative to the youngest touch
 *	                 (2^(-(age_i - age_min)/half_life)) so that nothing
 *	                 underflows before normalisation
 *	shapley          the Shapley value of the additive coalition game
 *	                 v(S) = |S| / |C| over the distinct channels C: every
 *	                 channel's marginal contribution is 1/|C| whatever the
 *	                 order, so each takes 1/|C| (an equal split over
 *	                 distinct channels, however often each was touched)
 *
 * The shares are then made to add up to exactly 1 in channel order by
 * giving the rounding remainder to the last channel with credit.
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/attrib.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/common/text.h"

static const struct
{
	const char *name;
	CjAttribModel model;
}			ModelNames[] =
{
	{"first_touch", CJ_ATTR_FIRST_TOUCH},
	{"last_touch", CJ_ATTR_LAST_TOUCH},
	{"linear", CJ_ATTR_LINEAR},
	{"position_based", CJ_ATTR_POSITION_BASED},
	{"time_decay", CJ_ATTR_TIME_DECAY},
	{"shapley", CJ_ATTR_SHAPLEY}
};

#define N_MODELS (int) (sizeof(ModelNames) / sizeof(ModelNames[0]))

/* Model for its SQL name */
bool
cj_attrib_model_parse(const char *name, CjAttribModel *model)
{
	int			i;

	for (i = 0; i < N_MODELS; i++)
		if (strcmp(name, ModelNames[i].name) == 0)
		{
			*model = ModelNames[i].model;
			return true;
		}
	return false;
}

/* SQL name of a model */
const char *
cj_attrib_model_name(CjAttribModel model)
{
	int			i;

	for (i = 0; i < N_MODELS; i++)
		if (ModelNames[i].model == model)
			return ModelNames[i].name;
	return "unknown";
}

/* Per-touch weights of the position-based (U-shaped) model */
static void
PositionWeights(int n, double *weight)
{
	int			i;

	if (n == 1)
	{
		weight[0] = 1.0;
		return;
	}
	if (n == 2)
	{
		weight[0] = weight[1] = 0.5;
		return;
	}
	for (i = 1; i < n - 1; i++)
		weight[i] = 0.2 / (double) (n - 2);
	weight[0] = weight[n - 1] = 0.4;
}

/* Per-touch weights of the time-decay model, relative to the youngest */
static void
DecayWeights(int n, const double *age, double half_life, double *weight)
{
	double		youngest = age[0];
	int			i;

	for (i = 1; i < n; i++)
		if (age[i] < youngest)
			youngest = age[i];
	for (i = 0; i < n; i++)
		weight[i] = exp2(-(age[i] - youngest) / half_life);
}

/* Credit one conversion's touches (see the file header) */
void
cj_attrib_credit(CjAttribModel model, int n, const int *chan,
				 const double *age, double half_life, int nchan,
				 double *weight, double *credit)
{
	double		total = 0.0;
	int			i;

	memset(credit, 0, sizeof(double) * nchan);
	if (n <= 0)
		return;
	switch (model)
	{
		case CJ_ATTR_FIRST_TOUCH:
			credit[chan[0]] = 1.0;
			return;
		case CJ_ATTR_LAST_TOUCH:
			credit[chan[n - 1]] = 1.0;
			return;
		case CJ_ATTR_SHAPLEY:
			{
				int			distinct = 0;

				for (i = 0; i < n; i++)
					if (credit[chan[i]] == 0.0)
					{
						credit[chan[i]] = 1.0;
						distinct++;
					}
				for (i = 0; i < nchan; i++)
					if (credit[i] != 0.0)
						credit[i] = 1.0 / (double) distinct;
				break;
			}
		case CJ_ATTR_LINEAR:
			/* count touches per channel, one division each: exact shares */
			for (i = 0; i < n; i++)
				credit[chan[i]] += 1.0;
			for (i = 0; i < nchan; i++)
				credit[i] /= (double) n;
			break;
		case CJ_ATTR_POSITION_BASED:
		case CJ_ATTR_TIME_DECAY:
			if (model == CJ_ATTR_POSITION_BASED)
				PositionWeights(n, weight);
			else
				DecayWeights(n, age, half_life, weight);
			for (i = 0; i < n; i++)
				total += weight[i];
			for (i = 0; i < n; i++)
				credit[chan[i]] += weight[i];
			for (i = 0; i < nchan; i++)
			{
				credit[i] /= total;
				/* no subnormal shares: they would not read back as text */
				if (credit[i] < DBL_MIN)
					credit[i] = 0.0;
			}
			break;
	}
	cj_exact_total(credit, nchan, 1.0);
}

/* Make the entries add up to exactly total, left to right */
void
cj_exact_total(double *credit, int n, double total)
{
	double		prefix = 0.0;
	double		sum;
	int			last = -1;
	int			i;
	int			step;

	for (i = 0; i < n; i++)
		if (credit[i] != 0.0)
			last = i;
	if (last < 0)
		return;
	for (i = 0; i < last; i++)
		prefix += credit[i];
	/* leave shares that already add up alone (0.8 + 0.2 is exactly 1) */
	if (prefix + credit[last] == total)
		return;
	credit[last] = total - prefix;
	/* a few ulps of nudging settles any remaining double rounding */
	for (step = 0; step < 4; step++)
	{
		sum = prefix + credit[last];
		if (sum == total)
			break;
		credit[last] = nextafter(credit[last], sum < total ? INFINITY : -INFINITY);
	}
	if (credit[last] < 0.0)
		credit[last] = 0.0;
}

/* Parse a double-quoted name with \" and \\ escapes */
bool
cj_parse_quoted(const char **p, char *buf, int *len, CjError *err)
{
	const char *s = cj_skip_space(*p);
	int			n = 0;

	if (*s != '"')
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "Expected a double-quoted name.");
		return false;
	}
	s++;
	while (*s != '"')
	{
		if (*s == '\0')
		{
			cj_error_set(err, CJ_ERR_SYNTAX, "Unterminated quoted name.");
			return false;
		}
		if (*s == '\\')
		{
			s++;
			if (*s != '"' && *s != '\\')
			{
				cj_error_set(err, CJ_ERR_SYNTAX,
							 "Only \\\" and \\\\ escapes are allowed in a quoted name.");
				return false;
			}
		}
		if (n >= CJ_CHANNEL_MAX_LEN)
		{
			cj_error_set(err, CJ_ERR_LIMIT,
						 "A channel name cannot be longer than %d bytes.",
						 CJ_CHANNEL_MAX_LEN);
			return false;
		}
		buf[n++] = *s++;
	}
	if (n == 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "A channel name cannot be empty.");
		return false;
	}
	buf[n] = '\0';
	*len = n;
	*p = s + 1;
	return true;
}
