/*-------------------------------------------------------------------------
 *
 * transitions_text.h
 *	  Text form and validation of cj_transitions, the state of
 *	  cj_markov_attribution (pure C).
 *
 *		{order=1; "email"=3, "search"=1; 0>1=8, 1>null=8, 1>conv=2, 2>1=3}
 *
 * Channels are listed in name order with the number of converting
 * journeys holding each; channel number k (1-based) is the k-th listed.
 * A transition from>next=count goes from a state of `order` channel
 * numbers (0 pads the start, in front only) to a channel, conv or null.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_CORE_JOURNEY_TRANSITIONS_TEXT_H
#define CJ_CORE_JOURNEY_TRANSITIONS_TEXT_H

#include "core/common/core.h"
#include "core/journey/attrib.h"
#include "core/journey/markov.h"

/* Most distinct transitions in one state (documented cap) */
#define CJ_MARKOV_MAX_TRANS 1000000

/* One channel: name (len bytes, no NUL) and its converting journeys */
typedef struct CjChainChannel
{
	const char *name;
	int32_t		len;
	int64_t		converting;
} CjChainChannel;

/* A parsed state (arrays owned by the caller) */
typedef struct CjChainText
{
	int			order;			/* 1 .. CJ_MARKOV_MAX_ORDER */
	int			nchan;
	int			ntrans;
	CjChainChannel *chans;
	CjMarkovTrans *trans;		/* core symbols: CJ_MK_CONV, CJ_MK_NULL */
} CjChainText;

/* Room a parse of a literal of textlen bytes needs */
extern size_t cj_transitions_parse_chans(size_t textlen);
extern size_t cj_transitions_parse_trans(size_t textlen);
extern size_t cj_transitions_parse_names(size_t textlen);

/*
 * Parse a literal into *c, whose chans, trans (room from the functions
 * above) and names buffer the caller provides.  Transitions come out
 * sorted by cj_markov_trans_cmp.  False with err set on failure.
 */
extern bool cj_transitions_parse(const char *text, CjChainText *c, char *names,
								 CjError *err);

/*
 * Check a decoded state (binary input) with the parser's rules; sorts
 * c->trans by cj_markov_trans_cmp to find duplicates.
 */
extern bool cj_transitions_validate(CjChainText *c, CjError *err);

/* Bytes the text needs, NUL included */
extern size_t cj_transitions_text_size(const CjChainText *c);

/*
 * Write the canonical text into buf; c's channels must be in name order
 * and its transitions sorted.  Returns the length.
 */
extern size_t cj_transitions_format(const CjChainText *c, char *buf);

#endif							/* CJ_CORE_JOURNEY_TRANSITIONS_TEXT_H */
