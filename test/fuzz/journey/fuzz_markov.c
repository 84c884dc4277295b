/*-------------------------------------------------------------------------
 *
 * fuzz_markov.c
 *	  libFuzzer target: the exact Markov-chain removal effects
 *	  (src/core/journey/markov.c) on arbitrary chains.
 *
 * The input bytes describe a chain within the solver's documented
 * preconditions (order 1..3, left-padded states, sorted transitions
 * without duplicates, positive counts); the conversion probability and
 * every removal effect must be finite and in [0, 1], and the credits must
 * add up to the total when any effect is positive.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>

#include "fuzz.h"
#include "core/journey/markov.h"

#define MAXTRANS 256
#define MAXCHAN 8

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Build a chain from the bytes and solve it */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CjMarkovTrans t[MAXTRANS];
	bool		converts[MAXCHAN];
	double		effect[MAXCHAN],
				credit[MAXCHAN],
				p_conv = -1,
				sum = 0;
	int			order,
				nchan,
				n = 0,
				m = 0,
				i,
				j;
	size_t		pos = 3;
	void	   *work;
	CjError		err;

	if (size < 3)
		return 0;
	order = 1 + data[0] % CJ_MARKOV_MAX_ORDER;
	nchan = 1 + data[1] % MAXCHAN;
	for (i = 0; i < nchan; i++)
		converts[i] = (data[2] >> i) & 1;
	while (pos + 5 <= size && n < MAXTRANS)
	{
		int			k = data[pos] % (order + 1);	/* real channels in from */

		memset(&t[n], 0, sizeof(t[n]));
		for (j = 0; j < order; j++)
			t[n].from[j] = j < order - k ? CJ_MK_PAD : 1 + data[pos + 1 + j % 3] % nchan;
		t[n].next = (int) (data[pos + 4] % (nchan + 2)) - 1;
		if (t[n].next == 0)
			t[n].next = CJ_MK_NULL;
		t[n].count = 1 + data[pos + 4] / 16;
		n++;
		pos += 5;
	}
	if (n == 0)
		return 0;
	qsort(t, n, sizeof(CjMarkovTrans), cj_markov_trans_cmp);
	for (i = 0; i < n; i++)
	{
		if (m > 0 && cj_markov_trans_cmp(&t[m - 1], &t[i]) == 0)
			t[m - 1].count += t[i].count;
		else
			t[m++] = t[i];
	}
	work = malloc(cj_markov_work_size(cj_markov_nstates(t, m), m));
	if (cj_markov_removal(t, m, order, nchan, converts, work, &p_conv,
						  effect, &err))
	{
		FUZZ_ASSERT(isfinite(p_conv) && p_conv >= 0 && p_conv <= 1);
		for (i = 0; i < nchan; i++)
		{
			FUZZ_ASSERT(isfinite(effect[i]) && effect[i] >= 0 && effect[i] <= 1);
			if (!converts[i])
				FUZZ_ASSERT(effect[i] == 0);
		}
		cj_markov_credits(effect, nchan, 1.0, credit);
		for (i = 0; i < nchan; i++)
		{
			FUZZ_ASSERT(isfinite(credit[i]));
			sum += credit[i];
		}
		FUZZ_ASSERT(sum == 0 || fabs(sum - 1.0) < 1e-9);
	}
	else
		FuzzCheckError(&err);
	free(work);
	return 0;
}
