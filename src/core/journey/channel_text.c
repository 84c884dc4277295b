/*-------------------------------------------------------------------------
 *
 * channel_text.c
 *	  Channel names in the text forms of the journey types (pure C).
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/channel_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Length and content of a channel name */
bool
cj_channel_check(const char *name, int64_t len, CjError *err)
{
	if (len < 1)
	{
		cj_error_set(err, CJ_ERR_PARAM, "A channel name cannot be empty.");
		return false;
	}
	if (len > CJ_CHANNEL_MAX_LEN)
	{
		cj_error_set(err, CJ_ERR_LIMIT, "A channel name cannot be longer than %d bytes.",
					 CJ_CHANNEL_MAX_LEN);
		return false;
	}
	if (name != NULL && memchr(name, '\0', (size_t) len) != NULL)
	{
		cj_error_set(err, CJ_ERR_PARAM, "A channel name contains a zero byte.");
		return false;
	}
	return true;
}

/* Byte order of two names */
int
cj_channel_order(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, (size_t) (alen < blen ? alen : blen));

	if (c != 0)
		return c;
	return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* Double-quoted form of a name */
size_t
cj_channel_quote(const char *name, int len, char *buf)
{
	size_t		n = 0;
	int			i;

	buf[n++] = '"';
	for (i = 0; i < len; i++)
	{
		if (name[i] == '"' || name[i] == '\\')
			buf[n++] = '\\';
		buf[n++] = name[i];
	}
	buf[n++] = '"';
	return n;
}

/* Decimal text of an int64 */
size_t
cj_int64_format(int64_t v, char *buf)
{
	return (size_t) snprintf(buf, 21, "%" PRId64, v);
}
