/*-------------------------------------------------------------------------
 *
 * wait_state.c
 *	  Parser, printer and validation of cj_wait_state literals (pure C).
 *
 * Grammar (white space allowed between tokens):
 *		state   := 'sl' 'n' '=' int 'within' '=' int
 *		         | 'ws' 'n' '=' int 'sum' '=' int 'min' '=' int
 *		           'max' '=' int 'buckets' '=' [ bucket ( ',' bucket )* ]
 *		bucket  := index ':' count			(indexes strictly ascending)
 * The parser accepts exactly what the printer writes plus white space,
 * and both the text and the binary input apply cj_wait_state_validate,
 * so a state read in either form satisfies the same invariants.
 *
 *-------------------------------------------------------------------------
 */
#include "core/service/wait_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/common/text.h"
#include "core/service/waithist.h"

/* Parse "key=int64"; false on mismatch */
static bool
ParseField(const char **p, const char *key, int64_t *v)
{
	char		word[16];

	return cj_parse_ident(p, word, sizeof(word)) > 0 &&
		strcmp(word, key) == 0 && cj_accept_char(p, '=') &&
		cj_parse_int64(p, v);
}

/* Parse the "buckets=i:c,i:c" list (strictly ascending indexes) */
static bool
ParseBuckets(const char **p, CjWaitState *s)
{
	char		word[16];
	int64_t		idx,
				prev = -1,
				c;

	if (cj_parse_ident(p, word, sizeof(word)) <= 0 ||
		strcmp(word, "buckets") != 0 || !cj_accept_char(p, '='))
		return false;
	if (cj_at_end(*p))
		return true;
	do
	{
		if (!cj_parse_int64(p, &idx) || idx <= prev || idx >= CJ_WAITHIST_BUCKETS ||
			!cj_accept_char(p, ':') || !cj_parse_int64(p, &c))
			return false;
		s->counts[idx] = c;
		prev = idx;
	} while (cj_accept_char(p, ','));
	return true;
}

/* Parse a literal */
bool
cj_wait_state_parse(const char *text, CjWaitState *s, CjError *err)
{
	const char *p = text;
	char		word[8];
	bool		ok;

	memset(s, 0, sizeof(*s));
	if (cj_parse_ident(&p, word, sizeof(word)) > 0)
		s->kind = strcmp(word, "sl") == 0 ? CJ_WS_SERVICE_LEVEL :
			strcmp(word, "ws") == 0 ? CJ_WS_WAIT_STATS : 0;
	if (s->kind == 0)
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "A state starts with \"sl\" or \"ws\".");
		return false;
	}
	if (s->kind == CJ_WS_SERVICE_LEVEL)
		ok = ParseField(&p, "n", &s->n) && ParseField(&p, "within", &s->within);
	else
		ok = ParseField(&p, "n", &s->n) && ParseField(&p, "sum", &s->sum) &&
			ParseField(&p, "min", &s->min) && ParseField(&p, "max", &s->max) &&
			ParseBuckets(&p, s);
	if (!ok || !cj_at_end(p))
	{
		cj_error_set(err, CJ_ERR_SYNTAX, "%s", s->kind == CJ_WS_SERVICE_LEVEL ?
					 "Expected \"sl n=<count> within=<count>\"." :
					 "Expected \"ws n=<count> sum=<us> min=<us> max=<us> buckets=<index>:<count>,...\".");
		return false;
	}
	return cj_wait_state_validate(s, err);
}

/*
 * For a state with waits: the mean lies between min and max (n min <= sum
 * <= n max), and the lowest and highest non-empty buckets are those of min
 * and max, as every state the aggregate builds has them.
 */
static bool
WaitsConsistent(const CjWaitState *s, CjError *err)
{
	int64_t		lo,
				hi;
	int			first = -1,
				last = -1,
				b;

	/* a product past int64 is above any sum */
	if (__builtin_mul_overflow(s->min, s->n, &lo) || s->sum < lo ||
		(!__builtin_mul_overflow(s->max, s->n, &hi) && s->sum > hi))
	{
		cj_error_set(err, CJ_ERR_PARAM, "The sum must lie between count * min and count * max.");
		return false;
	}
	for (b = 0; b < CJ_WAITHIST_BUCKETS; b++)
		if (s->counts[b] > 0)
		{
			if (first < 0)
				first = b;
			last = b;
		}
	if (first != cj_waithist_bucket(s->min) || last != cj_waithist_bucket(s->max))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The lowest and highest non-empty buckets must be those of min and max (%d and %d).",
					 cj_waithist_bucket(s->min), cj_waithist_bucket(s->max));
		return false;
	}
	return true;
}

/* Invariants of a state */
bool
cj_wait_state_validate(const CjWaitState *s, CjError *err)
{
	int64_t		total = 0;
	int			b;

	if (s->kind != CJ_WS_SERVICE_LEVEL && s->kind != CJ_WS_WAIT_STATS)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The state kind must be \"sl\" or \"ws\".");
		return false;
	}
	if (s->n < 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The count must not be negative.");
		return false;
	}
	if (s->kind == CJ_WS_SERVICE_LEVEL)
	{
		if (s->within < 0 || s->within > s->n)
		{
			cj_error_set(err, CJ_ERR_PARAM, "The answered-within-target count must be between 0 and the count.");
			return false;
		}
		if (s->sum != 0 || s->min != 0 || s->max != 0)
		{
			cj_error_set(err, CJ_ERR_PARAM, "Fields of the other state kind must be zero.");
			return false;
		}
		for (b = 0; b < CJ_WAITHIST_BUCKETS; b++)
			if (s->counts[b] != 0)
			{
				cj_error_set(err, CJ_ERR_PARAM, "Fields of the other state kind must be zero.");
				return false;
			}
		return true;
	}
	if (s->within != 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Fields of the other state kind must be zero.");
		return false;
	}
	if (s->n == 0 && (s->sum != 0 || s->min != 0 || s->max != 0))
	{
		cj_error_set(err, CJ_ERR_PARAM, "An empty state has zero sum, min and max.");
		return false;
	}
	if (s->min < 0 || s->max < s->min || s->sum < 0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Waits must satisfy 0 <= min <= max and a non-negative sum.");
		return false;
	}
	for (b = 0; b < CJ_WAITHIST_BUCKETS; b++)
	{
		if (s->counts[b] < 0 || __builtin_add_overflow(total, s->counts[b], &total))
		{
			cj_error_set(err, CJ_ERR_PARAM, "Bucket counts must be non-negative.");
			return false;
		}
	}
	if (total != s->n)
	{
		cj_error_set(err, CJ_ERR_PARAM, "The bucket counts must add up to the count.");
		return false;
	}
	return s->n == 0 || WaitsConsistent(s, err);
}

/* Canonical text */
size_t
cj_wait_state_format(const CjWaitState *s, char *buf)
{
	size_t		len;
	int			b;
	bool		first = true;

	if (s->kind == CJ_WS_SERVICE_LEVEL)
		return (size_t) snprintf(buf, CJ_WAIT_STATE_TEXT_MAX,
								 "sl n=%" PRId64 " within=%" PRId64, s->n, s->within);
	len = (size_t) snprintf(buf, CJ_WAIT_STATE_TEXT_MAX,
							"ws n=%" PRId64 " sum=%" PRId64 " min=%" PRId64
							" max=%" PRId64 " buckets=",
							s->n, s->sum, s->min, s->max);
	for (b = 0; b < CJ_WAITHIST_BUCKETS; b++)
	{
		if (s->counts[b] == 0)
			continue;
		len += (size_t) snprintf(buf + len, CJ_WAIT_STATE_TEXT_MAX - len,
								 "%s%d:%" PRId64, first ? "" : ",", b, s->counts[b]);
		first = false;
	}
	return len;
}
