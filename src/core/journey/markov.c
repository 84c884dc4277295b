/*-------------------------------------------------------------------------
 *
 * markov.c
 *	  Exact removal effects of an absorbing Markov chain of journeys.
 *
 * The chain of Anderl, Becker, von Wangenheim and Schumann ("Mapping the
 * customer journey: lessons learned from graph-based online attribution
 * modeling", IJRM 2016): transient states are the last k channels of a
 * journey (k = order; the first states of a journey hold fewer, the start
 * holds none), the absorbing states are conversion and null (the journey
 * ended without converting).  Transition probabilities are the observed
 * transition counts divided by the state's total outflow.
 *
 * With Q the transient-to-transient block and r the one-step probability of
 * converting, the probability h_i of eventually converting from state i
 * solves (I - Q) h = r (the fundamental-matrix identity h = (I - Q)^-1 r,
 * Kemeny and Snell, Finite Markov Chains, thm. 3.3.7).  P(conversion) is
 * h at the start state.  Removing channel c sends every transition into a
 * state that contains c to null, which is the same system with the rows of
 * those states replaced by h = 0; solving the reduced system gives
 * P(conversion without c), and the removal effect is
 * 1 - P(conversion without c) / P(conversion).
 *
 * Each system is solved directly by Gaussian elimination with partial
 * pivoting (I - Q is a nonsingular M-matrix whenever every state reaches an
 * absorbing one, so this is stable), in a fixed order: the same counts give
 * the same bits, unlike the simulation estimates of other tools.
 *
 *-------------------------------------------------------------------------
 */
#include "core/journey/markov.h"

#include "core/journey/attrib.h"

#include <math.h>
#include <string.h>

/* Compare two from-states of the given order */
static int
StateCmp(const int32_t *a, const int32_t *b)
{
	int			i;

	for (i = 0; i < CJ_MARKOV_MAX_ORDER; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Order transitions by (from, next) */
int
cj_markov_trans_cmp(const void *a, const void *b)
{
	const CjMarkovTrans *x = a;
	const CjMarkovTrans *y = b;
	int			c = StateCmp(x->from, y->from);

	if (c != 0)
		return c;
	return x->next < y->next ? -1 : (x->next > y->next ? 1 : 0);
}

/* Number of distinct from-states */
int
cj_markov_nstates(const CjMarkovTrans *t, int ntrans)
{
	int			n = 0;
	int			i;

	for (i = 0; i < ntrans; i++)
		if (i == 0 || StateCmp(t[i].from, t[i - 1].from) != 0)
			n++;
	return n;
}

/* Workspace layout: matrix, rhs, outflow, then integer arrays */
size_t
cj_markov_work_size(int nstates, int ntrans)
{
	size_t		n = (size_t) nstates;

	return sizeof(double) * (n * n + 3 * n) +
		sizeof(int) * (3 * n + 1 + (size_t) ntrans);
}

typedef struct MarkovWork
{
	int			nstates;
	int			order;
	double	   *a;				/* m x m system, row-major */
	double	   *rhs;
	double	   *outflow;		/* per state */
	int		   *first;			/* first transition of each state, +1 */
	int		   *target;			/* per transition: target state or -1 */
	int		   *keep;			/* per state: row in the system or -1 */
	int		   *keptstate;		/* per row: state */
} MarkovWork;

/* State after from has moved on to channel next */
static void
Shift(const int32_t *from, int order, int32_t next, int32_t *to)
{
	int			i;

	memset(to, 0, sizeof(int32_t) * CJ_MARKOV_MAX_ORDER);
	for (i = 0; i < order - 1; i++)
		to[i] = from[i + 1];
	to[order - 1] = next;
}

/* Index the states, their outflow and every transition's target state */
static void
IndexChain(const CjMarkovTrans *t, int ntrans, MarkovWork *w)
{
	int			s = -1;
	int			i;
	int32_t		to[CJ_MARKOV_MAX_ORDER];

	for (i = 0; i < ntrans; i++)
	{
		if (i == 0 || StateCmp(t[i].from, t[i - 1].from) != 0)
		{
			w->first[++s] = i;
			w->outflow[s] = 0.0;
		}
		w->outflow[s] += (double) t[i].count;
	}
	w->first[w->nstates] = ntrans;
	for (i = 0; i < ntrans; i++)
	{
		int			lo = 0,
					hi = w->nstates - 1;

		w->target[i] = -1;
		if (t[i].next <= 0)
			continue;
		Shift(t[i].from, w->order, t[i].next, to);
		while (lo <= hi)
		{
			int			mid = (lo + hi) / 2;
			int			c = StateCmp(t[w->first[mid]].from, to);

			if (c == 0)
			{
				w->target[i] = mid;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
	}
}

/* True when state s holds channel c */
static bool
HoldsChannel(const CjMarkovTrans *t, const MarkovWork *w, int s, int c)
{
	int			i;

	for (i = 0; i < w->order; i++)
		if (t[w->first[s]].from[i] == c)
			return true;
	return false;
}

/*
 * Gaussian elimination with partial pivoting on the m x m system in
 * w->a / w->rhs; the solution replaces rhs.  False when singular.
 */
static bool
SolveDense(MarkovWork *w, int m)
{
	double	   *a = w->a;
	double	   *b = w->rhs;
	int			k,
				i,
				j;

	for (k = 0; k < m; k++)
	{
		int			piv = k;
		double		best = fabs(a[(size_t) k * m + k]);

		cj_check_interrupts();
		for (i = k + 1; i < m; i++)
			if (fabs(a[(size_t) i * m + k]) > best)
			{
				best = fabs(a[(size_t) i * m + k]);
				piv = i;
			}
		if (!(best > 0.0))
			return false;
		if (piv != k)
		{
			for (j = 0; j < m; j++)
			{
				double		tmp = a[(size_t) k * m + j];

				a[(size_t) k * m + j] = a[(size_t) piv * m + j];
				a[(size_t) piv * m + j] = tmp;
			}
			best = b[k];
			b[k] = b[piv];
			b[piv] = best;
		}
		for (i = k + 1; i < m; i++)
		{
			double		f = a[(size_t) i * m + k] / a[(size_t) k * m + k];

			if (f == 0.0)
				continue;
			for (j = k + 1; j < m; j++)
				a[(size_t) i * m + j] -= f * a[(size_t) k * m + j];
			b[i] -= f * b[k];
		}
	}
	for (k = m - 1; k >= 0; k--)
	{
		double		s = b[k];

		for (j = k + 1; j < m; j++)
			s -= a[(size_t) k * m + j] * b[j];
		b[k] = s / a[(size_t) k * m + k];
	}
	return true;
}

/*
 * P(conversion) from the start state with channel `removed` taken out
 * (0: nothing removed).  False when the system is singular.
 */
static bool
ConversionProbability(const CjMarkovTrans *t, MarkovWork *w, int removed,
					  double *p)
{
	int			m = 0;
	int			s,
				i,
				start = -1;

	for (s = 0; s < w->nstates; s++)
	{
		w->keep[s] = -1;
		if (removed > 0 && HoldsChannel(t, w, s, removed))
			continue;
		w->keep[s] = m;
		w->keptstate[m++] = s;
		if (t[w->first[s]].from[w->order - 1] == CJ_MK_PAD)
			start = s;
	}
	*p = 0.0;
	if (start < 0 || m == 0)
		return true;
	memset(w->a, 0, sizeof(double) * (size_t) m * m);
	memset(w->rhs, 0, sizeof(double) * m);
	for (i = 0; i < m; i++)
	{
		int			st = w->keptstate[i];
		int			k;

		w->a[(size_t) i * m + i] += 1.0;
		for (k = w->first[st]; k < w->first[st + 1]; k++)
		{
			double		prob = (double) t[k].count / w->outflow[st];

			if (t[k].next == CJ_MK_CONV)
				w->rhs[i] += prob;
			else if (t[k].next > 0 && w->target[k] >= 0 &&
					 w->keep[w->target[k]] >= 0)
				w->a[(size_t) i * m + w->keep[w->target[k]]] -= prob;
		}
	}
	if (!SolveDense(w, m))
		return false;
	*p = fmin(1.0, fmax(0.0, w->rhs[w->keep[start]]));
	return true;
}

/* Carve the workspace */
static void
SetupWork(MarkovWork *w, void *work, int nstates, int ntrans, int order)
{
	double	   *d = work;
	int		   *ip;
	size_t		n = (size_t) nstates;

	w->nstates = nstates;
	w->order = order;
	w->a = d;
	w->rhs = d + n * n;
	w->outflow = w->rhs + n;
	ip = (int *) (w->outflow + 2 * n);
	w->first = ip;
	w->target = ip + n + 1;
	w->keep = w->target + ntrans;
	w->keptstate = w->keep + n;
}

/* Conversion probability and removal effects of every channel */
bool
cj_markov_removal(const CjMarkovTrans *t, int ntrans, int order, int nchan,
				  const bool *converts, void *work, double *p_conv,
				  double *effect, CjError *err)
{
	MarkovWork	w;
	int			c;
	double		p,
				pc;

	memset(effect, 0, sizeof(double) * nchan);
	*p_conv = 0.0;
	if (ntrans == 0)
		return true;
	SetupWork(&w, work, cj_markov_nstates(t, ntrans), ntrans, order);
	IndexChain(t, ntrans, &w);
	if (!ConversionProbability(t, &w, 0, &p))
		goto singular;
	*p_conv = p;
	if (!(p > 0.0))
		return true;
	for (c = 1; c <= nchan; c++)
	{
		if (!converts[c - 1])
			continue;
		if (!ConversionProbability(t, &w, c, &pc))
			goto singular;
		effect[c - 1] = fmin(1.0, fmax(0.0, 1.0 - pc / p));
	}
	return true;

singular:
	cj_error_set(err, CJ_ERR_PARAM,
				 "Some states of the chain never reach a conversion or a null end.");
	return false;
}

/* Credits proportional to the removal effects, adding up to total */
void
cj_markov_credits(const double *effect, int nchan, double total,
				  double *credit)
{
	double		sum = 0.0;
	int			c;

	for (c = 0; c < nchan; c++)
		sum += effect[c];
	for (c = 0; c < nchan; c++)
		credit[c] = sum > 0.0 ? total * (effect[c] / sum) : 0.0;
	if (sum > 0.0)
		cj_exact_total(credit, nchan, total);
}
