/*-------------------------------------------------------------------------
 *
 * bgbb.c
 *	  The beta-geometric/beta-Bernoulli model for discrete opportunities
 *	  (Fader, Hardie and Shang 2010, Marketing Science 29(6)).
 *
 * At each of n opportunities an alive customer transacts with probability
 * p ~ Beta(alpha, beta), then dies before the next one with probability
 * theta ~ Beta(gamma, delta).  Parameters (alpha, beta, gamma, delta);
 * data per customer: x transactions, t_x the opportunity of the last one
 * (0 when x = 0), n opportunities.
 *
 * Likelihood (FHS eq. 5):
 *   L = B(alpha+x, beta+n-x)/B(alpha,beta) * B(gamma, delta+n)/B(gamma,delta)
 *     + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha,beta)
 *                           * B(gamma+1, delta+t_x+i)/B(gamma,delta)
 * summed in log space.  Consecutive sum terms differ by the factor
 * (beta+t_x-x+i)(delta+t_x+i) / ((alpha+beta+t_x+i)(gamma+1+delta+t_x+i)),
 * so each term and its gradient cost a few divisions, not four digamma
 * calls.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/bgbb.h"
#include "core/ltv/bgnbd.h"
#include "core/math/special.h"

#include <math.h>

static const char *const BgbbParamNames[] = {"alpha", "beta", "gamma", "delta"};
static const char *const BgbbDataNames[] = {"x", "t_x", "n"};

/*
 * A running log-sum-exp of terms with gradients: m is the largest log term
 * seen, s = sum exp(l - m), g = sum exp(l - m) * grad(l).
 */
typedef struct BgbbLse
{
	double		m;
	double		s;
	double		g[4];
} BgbbLse;

static void
BgbbLseAdd(BgbbLse *a, double l, const double *g)
{
	int			k;

	if (l > a->m)
	{
		double		f = exp(a->m - l);

		a->s *= f;
		for (k = 0; k < 4; k++)
			a->g[k] *= f;
		a->m = l;
	}
	{
		double		e = exp(l - a->m);

		a->s += e;
		if (g)
			for (k = 0; k < 4; k++)
				a->g[k] += e * g[k];
	}
}

/*
 * log[B(alpha+x, beta+y)/B(alpha,beta) * B(gamma+c, delta+z)/B(gamma,delta)]
 * and its natural-parameter gradient when g is not NULL.
 */
static double
BgbbLogTerm(const double *p, double x, double y, double c, double z,
			double *g)
{
	double		al = p[0],
				be = p[1],
				ga = p[2],
				de = p[3];

	if (g)
	{
		double		pab = cj_digamma(al + be),
					pgd = cj_digamma(ga + de),
					pxy = cj_digamma(al + be + x + y),
					pcz = cj_digamma(ga + de + c + z);

		g[0] = cj_digamma(al + x) - pxy - cj_digamma(al) + pab;
		g[1] = cj_digamma(be + y) - pxy - cj_digamma(be) + pab;
		g[2] = cj_digamma(ga + c) - pcz - cj_digamma(ga) + pgd;
		g[3] = cj_digamma(de + z) - pcz - cj_digamma(de) + pgd;
	}
	return cj_lbeta_ratio(al, be, x, y) + cj_lbeta_ratio(ga, de, c, z);
}

/* Log-likelihood of one customer (see the header) */
double
cj_bgbb_loglik1(const double *p, const double *v, double *grad)
{
	double		x = v[0],
				tx = v[1],
				n = v[2];
	double		al = p[0],
				be = p[1],
				ga = p[2],
				de = p[3];
	double		g[4];
	double		l;
	BgbbLse		a = {-INFINITY, 0.0, {0, 0, 0, 0}};
	long		i,
				len = (long) (n - tx);
	int			k;

	l = BgbbLogTerm(p, x, n - x, 0.0, n, grad ? g : NULL);
	BgbbLseAdd(&a, l, grad ? g : NULL);
	if (len > 0)
		l = BgbbLogTerm(p, x, tx - x, 1.0, tx, grad ? g : NULL);
	for (i = 0; i < len; i++)
	{
		double		y = be + tx - x + i,
					ab = al + be + tx + i,
					d = de + tx + i,
					gd = ga + 1.0 + de + tx + i;

		if (i > 0)
		{
			double		py = y - 1.0,
						pab = ab - 1.0,
						pd = d - 1.0,
						pgd = gd - 1.0;

			l += log(py / pab) + log(pd / pgd);
			if (grad)
			{
				g[0] -= 1.0 / pab;
				g[1] += 1.0 / py - 1.0 / pab;
				g[2] -= 1.0 / pgd;
				g[3] += 1.0 / pd - 1.0 / pgd;
			}
		}
		BgbbLseAdd(&a, l, grad ? g : NULL);
	}
	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = p[k] * a.g[k] / a.s;
	return a.m + log(a.s);
}

/* Total log-likelihood over weighted tuples, gradient on log parameters */
static double
BgbbLogLik(const CjData *d, const double *p, double *grad)
{
	double		sum = 0.0,
				g[4];
	size_t		i;
	int			k;

	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = 0.0;
	for (i = 0; i < d->n; i++)
	{
		double		ll = cj_bgbb_loglik1(p, d->t[i].v, grad ? g : NULL);

		if (!isfinite(ll))
			return -INFINITY;
		sum += d->t[i].w * ll;
		if (grad)
			for (k = 0; k < 4; k++)
				grad[k] += d->t[i].w * g[k];
		if ((i & 0xff) == 0xff)
			cj_check_interrupts();
	}
	if (grad)
		for (k = 0; k < 4; k++)
			if (!isfinite(grad[k]))
				return -INFINITY;
	return sum;
}

/*
 * Data check: whole numbers 0 <= x <= t_x <= n <= CJ_BGBB_MAX_N, and t_x = 0
 * exactly when x = 0.
 */
static bool
BgbbCheckData(const double *v, CjError *err)
{
	int			k;

	for (k = 0; k < 3; k++)
		if (!(isfinite(v[k]) && v[k] >= 0.0 && v[k] == floor(v[k])))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Counts x, t_x and n must be whole numbers not less than 0.");
			return false;
		}
	if (v[2] > CJ_BGBB_MAX_N)
	{
		cj_error_set(err, CJ_ERR_LIMIT,
					 "A BG/BB customer can have at most %d opportunities.",
					 CJ_BGBB_MAX_N);
		return false;
	}
	if (v[0] > v[1] || v[1] > v[2])
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A BG/BB history needs x <= t_x <= n (got x = %g, t_x = %g, n = %g).",
					 v[0], v[1], v[2]);
		return false;
	}
	if ((v[0] == 0.0) != (v[1] == 0.0))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Recency t_x must be 0 exactly when x is 0.");
		return false;
	}
	return true;
}

/* Parameters: all finite and > 0 */
static bool
BgbbCheckParams(const double *p, CjError *err)
{
	return cj_family_positive_params(&cj_family_bgbb, p, err);
}

/* Start at the uniform mixing distributions */
static void
BgbbStart(const CjData *d, double *p)
{
	(void) d;
	p[0] = p[1] = p[2] = p[3] = 1.0;
}

/*
 * log sum_{j=n1+1}^{n2} B(gamma, delta+j)/B(gamma, delta), the expected
 * number of the opportunities n1+1 .. n2 at which a customer is alive.
 * With R(n) = Gamma(gamma+delta) Gamma(1+delta+n) / (Gamma(gamma+delta+n)
 * Gamma(1+delta)) the sum is delta/(gamma-1) [R(n1) - R(n2)] (FHS eq. 9
 * and 13); written as delta R(n1) (-expm1(D))/(gamma-1), D = log R(n2) -
 * log R(n1), with the gamma -> 1 limit D/(gamma-1) -> psi(1+delta+n1) -
 * psi(1+delta+n2).  For a whole horizon of at most BGBB_DIRECT_MAX
 * opportunities D is summed term by term (see below).
 */
#define BGBB_DIRECT_MAX 100000.0

static double
BgbbLogAliveSum(const double *p, double n1, double n2)
{
	double		ga = p[2],
				de = p[3];
	double		lr1 = cj_lgamma_ratio(1.0 + de, n1) - cj_lgamma_ratio(ga + de, n1);
	double		f;

	if (n2 <= n1)
		return -INFINITY;
	if (n2 - n1 == floor(n2 - n1) && n2 - n1 <= BGBB_DIRECT_MAX)
	{
		/*
		 * D = log R(n2) - log R(n1) as the sum of the logs of the ratios
		 * R(k+1)/R(k) = 1 + (1-gamma)/(gamma+delta+k): the difference of
		 * log-gammas of large arguments lost up to 8 digits of D when delta
		 * is large and the horizon short.
		 */
		double		d = 0.0,
					k;

		for (k = n1; k < n2; k++)
		{
			d += log1p((1.0 - ga) / (ga + de + k));
			if (cj_unlikely(((int64_t) k & 16383) == 16383))
				cj_check_interrupts();
		}
		if (ga == 1.0)
		{
			/* the limit: sum of 1/(1+delta+k) */
			d = 0.0;
			for (k = n1; k < n2; k++)
				d += 1.0 / (1.0 + de + k);
			f = d;
		}
		else
			f = -expm1(d) / (ga - 1.0);
	}
	else if (fabs(ga - 1.0) > 1e-5)
	{
		double		dd = cj_lgamma_ratio(1.0 + de + n1, n2 - n1) -
			cj_lgamma_ratio(ga + de + n1, n2 - n1);

		f = -expm1(dd) / (ga - 1.0);
	}
	else
	{
		double		slope = cj_digamma(1.0 + de + n2) - cj_digamma(1.0 + de + n1);
		double		dd = -(ga - 1.0) * slope;

		f = (dd == 0.0) ? slope : -expm1(dd) / (ga - 1.0);
	}
	return log(de) + lr1 + log(f);
}

/* E[X(n)] for a new customer: alpha/(alpha+beta) * alive-sum (FHS eq. 9) */
static double
BgbbExpected(const double *p, double n)
{
	return p[0] / (p[0] + p[1]) * exp(BgbbLogAliveSum(p, 0.0, n));
}


/*
 * E[X(n, n+t) | x, t_x, n] (FHS eq. 13):
 *   B(alpha+x+1, beta+n-x)/B(alpha,beta) * alive-sum(n, n+t) / L
 */
static double
BgbbConditional(const double *p, const double *v, double t)
{
	double		x = v[0],
				n = v[2];

	if (!(t > 0.0))
		return 0.0;
	return exp(cj_lbeta_ratio(p[0], p[1], x + 1.0, n - x) +
			   BgbbLogAliveSum(p, n, n + t) - cj_bgbb_loglik1(p, v, NULL));
}

/*
 * P(X(n) = x) for a new customer (FHS eq. 7); NaN (the glue's "not
 * finite" error) when n is not a whole number of opportunities:
 *   C(n,x) B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
 *   + sum_{i=x}^{n-1} C(i,x) B(alpha+x, beta+i-x)/B(alpha,beta)
 *                           B(gamma+1, delta+i)/B(gamma,delta)
 */
static double
BgbbProbN(const double *p, double x, double n)
{
	BgbbLse		a = {-INFINITY, 0.0, {0, 0, 0, 0}};
	double		i;

	if (!(n >= 0.0) || n != floor(n) || n > CJ_BGBB_MAX_N)
		return NAN;				/* opportunities are a whole number */
	if (x < 0.0 || x != floor(x) || x > n)
		return 0.0;
	BgbbLseAdd(&a, cj_lgamma(n + 1.0) - cj_lgamma(x + 1.0) -
			   cj_lgamma(n - x + 1.0) +
			   BgbbLogTerm(p, x, n - x, 0.0, n, NULL), NULL);
	for (i = x; i < n; i++)
	{
		BgbbLseAdd(&a, cj_lgamma(i + 1.0) - cj_lgamma(x + 1.0) -
				   cj_lgamma(i - x + 1.0) +
				   BgbbLogTerm(p, x, i - x, 1.0, i, NULL), NULL);
		if (cj_unlikely(((int64_t) i & 4095) == 4095))
			cj_check_interrupts();
	}
	return exp(a.m + log(a.s));
}

/*
 * Window quantities over the next t opportunities (n+1 .. n+t).  The
 * likelihood's first term is the customer alive through opportunity n
 * (FHS eq. 5), so P(alive at n | x, t_x, n) = B(alpha+x, beta+n-x)
 * B(gamma, delta+n) / (B(alpha,beta) B(gamma,delta) L).  Given that, the
 * posterior is p ~ Beta(alpha+x, beta+n-x), theta ~ Beta(gamma, delta+n),
 * independent, and the next t opportunities are those of a new customer
 * with parameters (alpha+x, beta+n-x, gamma, delta+n): the conditional
 * PMF of FHS 2010 (the sum over the opportunity of death in their
 * appendix) is
 *   P(X(n, n+t) = k | x, t_x, n)
 *     = [k = 0] (1 - P(alive at n)) + P(alive at n) P'(X(t) = k)
 * with P' FHS eq. 7 at the posterior parameters (BgbbProbN).  Its mean
 * is FHS eq. 13 (the identity the tests check).
 *
 * Alive at T+t: cj_p_alive of BG/BB is P(alive at opportunity n+1) (FHS
 * eq. 11), so P(alive at opportunity n+t+1 | ...) = B(alpha+x,
 * beta+n-x) B(gamma, delta+n+t+1) / (B(alpha,beta) B(gamma,delta) L):
 * the same formula, equal to cj_p_alive at t = 0.
 */
static double
BgbbWindowPmf(const double *p, const double *v, double k, double t)
{
	double		x = v[0],
				tx = v[1],
				n = v[2],
				post[4] = {p[0] + x, p[1] + n - x, p[2], p[3] + n},
				lalive = BgbbLogTerm(p, x, n - x, 0.0, n, NULL),
				odds = 0.0,
				pa,
				q,
				f = 0.0,
				i;

	if (t == 0.0)
		return (k == 0.0) ? 1.0 : 0.0;

	/*
	 * The odds of having died by n, sum of the likelihood's death terms
	 * over its alive term: 0 exactly (q = 0, P(alive) = 1) for a customer
	 * who transacted at the last opportunity, and q without the
	 * cancellation of 1 - P(alive).
	 */
	for (i = 0; i < n - tx; i++)
	{
		odds += exp(BgbbLogTerm(p, x, tx - x + i, 1.0, tx + i, NULL) - lalive);
		if (cj_unlikely(((int64_t) i & 4095) == 4095))
			cj_check_interrupts();
	}
	pa = 1.0 / (1.0 + odds);
	q = isinf(odds) ? 1.0 : odds / (1.0 + odds);
	if (pa > 0.0)
		f = pa * BgbbProbN(post, k, t);
	/* a probability: q + f can pass 1 by an ulp where f is all but 1 - q */
	return fmin(1.0, (k == 0.0) ? q + f : f);
}

/* P(alive at opportunity n+t+1 | x, t_x, n) (see BgbbWindowPmf) */
static double
BgbbPAliveAt(const double *p, const double *v, double t)
{
	double		l = BgbbLogTerm(p, v[0], v[2] - v[0], 0.0, v[2] + 1.0 + t, NULL);
	double		pa = exp(l - cj_bgbb_loglik1(p, v, NULL));

	/* rounding can put it a hair above 1; a NaN stays NaN (an error) */
	return (pa > 1.0) ? 1.0 : pa;
}

/* P(alive at opportunity n+1 | x, t_x, n) (FHS eq. 11): the above at t = 0 */
static double
BgbbPAlive(const double *p, const double *v)
{
	return BgbbPAliveAt(p, v, 0.0);
}

/* A horizon of whole opportunities, at most CJ_BGBB_MAX_N */
static bool
BgbbCheckWindow(double t, CjError *err)
{
	if (t != floor(t))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "A BG/BB horizon is a whole number of opportunities (got %g).", t);
		return false;
	}
	if (t > CJ_BGBB_MAX_N)
	{
		cj_error_set(err, CJ_ERR_LIMIT,
					 "A BG/BB horizon can be at most %d opportunities.",
					 CJ_BGBB_MAX_N);
		return false;
	}
	return true;
}

/*
 * One simulated customer with n opportunities: p ~ Beta(alpha, beta),
 * theta ~ Beta(gamma, delta); before each opportunity an alive customer
 * dies with probability theta, otherwise transacts with probability p.
 */
static void
BgbbSimulate(const double *p, double n, CjRng *rng, double *v)
{
	double		pr = cj_rng_beta(rng, p[0], p[1]),
				th = cj_rng_beta(rng, p[2], p[3]),
				i;

	v[0] = 0.0;
	v[1] = 0.0;
	v[2] = floor(n);
	if (!(v[2] <= CJ_BGBB_MAX_N))
	{
		/* the glue rejects such n first; the bound keeps the loop finite */
		v[0] = NAN;
		return;
	}
	for (i = 1.0; i <= v[2]; i++)
	{
		if (cj_rng_uniform(rng) < th)
			break;
		if (cj_rng_uniform(rng) < pr)
		{
			v[0] += 1.0;
			v[1] = i;
		}
	}
}

/* A typical parameter vector: Fader, Hardie and Shang (2010), donations */
static const double Example[] = {1.204, 0.750, 0.657, 2.783};

const CjFamily cj_family_bgbb = {
	.id = CJ_FAMILY_BGBB,
	.name = "bgbb",
	.example = Example,
	.title = "BG/BB",
	.kind = CJ_KIND_PURCHASE,
	.nparams = 4,
	.param_names = BgbbParamNames,
	.ndata = 3,
	.data_names = BgbbDataNames,
	.check_data = BgbbCheckData,
	.check_params = BgbbCheckParams,
	.check_fit = cj_bg_check_fit,	/* needs some x > 0 */
	.loglik = BgbbLogLik,
	.start = BgbbStart,
	.expected = BgbbExpected,
	.conditional = BgbbConditional,
	.p_alive = BgbbPAlive,
	.prob_n = BgbbProbN,
	.simulate = BgbbSimulate,
	.window_pmf = BgbbWindowPmf,
	.p_alive_at = BgbbPAliveAt,
	.check_window = BgbbCheckWindow,
};
