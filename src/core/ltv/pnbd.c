/*-------------------------------------------------------------------------
 *
 * pnbd.c
 *	  The Pareto/NBD model (Schmittlein, Morrison and Colombo 1987).
 *
 * Purchases follow a Poisson process with rate lambda ~ Gamma(r, alpha)
 * while the customer is alive; the lifetime is exponential with rate
 * mu ~ Gamma(s, beta).  Parameters p = (r, alpha, s, beta).  Data per
 * customer: x repeat purchases, t_x the time of the last one, T the time
 * observed.
 *
 * Likelihood (Fader, Hardie and Lee 2005, "A note on deriving the
 * Pareto/NBD model and related expressions", eq. 19 before the 2F1 form):
 *
 *   L = Gamma(r+x) alpha^r beta^s / Gamma(r)
 *       * [ (alpha+T)^-(r+x) (beta+T)^-s  +  s (G(t_x) - G(T)) ]
 *   G(t) = int_t^inf (alpha+u)^-(r+x) (beta+u)^-(s+1) du.
 *
 * The note writes G with 2F1(r+s+x, s+1; r+s+x+1; z) (alpha >= beta) or
 * 2F1(r+s+x, r+x; r+s+x+1; z) (alpha < beta), z = |alpha-beta| /
 * (max(alpha,beta) + t), whose terms explode for heavy buyers.  Euler's
 * transformation 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) with
 * c = a + 1 turns both into 2F1(1, b'; c; z) with c > b', a series of
 * positive terms with ratio below z (cj_hyp2f1_a1.c):
 *
 *   alpha >= beta, z = (alpha-beta)/(alpha+t):
 *     G(t) = (alpha+t)^-(r+x) (beta+t)^-s 2F1(1, r+x; r+s+x+1; z) / (r+s+x)
 *   alpha < beta, z = (beta-alpha)/(beta+t):
 *     G(t) = (beta+t)^-(s+1) (alpha+t)^(1-r-x) 2F1(1, s+1; r+s+x+1; z)
 *            / (r+s+x)
 *
 * Everything is combined in log space (log-sum-exp), so the likelihood,
 * P(alive) and the expectations are finite for any x.  The gradient is
 * exact: the 2F1 derivatives in its parameters and argument come from the
 * same series.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/pnbd.h"
#include "core/ltv/bgnbd.h"
#include "core/math/hyp2f1_a1.h"
#include "core/math/quad.h"
#include "core/math/special.h"

#include <float.h>
#include <stdbool.h>
#include <math.h>

static const char *const PnbdParamNames[] = {"r", "alpha", "s", "beta"};
static const char *const PnbdDataNames[] = {"x", "t_x", "T"};

/*
 * log G(t) for a customer with x repeat purchases, with log(alpha+t),
 * log(beta+t) and (when wanted) the gradient of log G in the natural
 * parameters (r, alpha, s, beta).  Keyed by (x, t) for the cache below.
 */
typedef struct PnbdG
{
	double		x;
	double		t;
	double		lg;				/* log G(t) */
	double		la;				/* log(alpha + t) */
	double		lb;				/* log(beta + t) */
	double		ia;				/* 1 / (alpha + t) */
	double		ib;				/* 1 / (beta + t) */
	double		l1;				/* log((alpha+t)^-(r+x) (beta+t)^-s) */
	double		k;				/* exp(l1 - lg), a moderate number */
	double		g[4];			/* d log G / d (r, alpha, s, beta) */
} PnbdG;

/*
 * log 2F1(1, b; c; z) through tab when there is one (re-keyed when (b, c)
 * change, i.e. at each new x of a likelihood evaluation)
 */
static double
PnbdLogF(CjHyp2f1Tab *tab, double b, double c, double z, double *d)
{
	if (tab == NULL)
		return cj_log_hyp2f1_a1(b, c, z, d);
	if (tab->b != b || tab->c != c)
		cj_hyp2f1_a1_tab_reset(tab, b, c);
	return cj_log_hyp2f1_a1_tab(tab, z, d);
}

/*
 * 1 - z = small / large below 1e-5: the series would need more than
 * CJ_HYP2F1_A1_MAX_TERMS terms (about 40 / (1 - z)) and fail; G is then
 * left NaN at once and the tuple's bracket is integrated instead
 * (PnbdLogBracketQuad).
 */
#define PNBD_LL_SERIES_FAILS(small, large) ((small) < 1e-5 * (large))

/*
 * Fill e with log G(t) (see the file header) for x purchases; tab (may be
 * NULL) carries the series coefficients between calls.  log G is NaN when
 * the series does not converge (z within about 2e-5 of 1: one of alpha,
 * beta some 1e5 times the other plus t).
 */
static void
PnbdLogG(const double *p, double x, double t, bool grad, PnbdG *e,
		 CjHyp2f1Tab *tab)
{
	double		r = p[0],
				al = p[1],
				s = p[2],
				be = p[3];
	double		m = r + x,
				a = r + s + x;
	double		d[3] = {NAN, NAN, NAN};
	double		lf;
	double	   *g = e->g;

	e->x = x;
	e->t = t;
	e->la = log(al + t);
	e->lb = log(be + t);
	e->ia = 1.0 / (al + t);
	e->ib = 1.0 / (be + t);
	if (al >= be)
	{
		double		z = (al - be) / (al + t);

		lf = PNBD_LL_SERIES_FAILS(be + t, al + t) ? NAN :
			PnbdLogF(tab, m, a + 1.0, z, grad ? d : NULL);
		e->lg = -m * e->la - s * e->lb + lf - log(a);
		if (grad)
		{
			g[0] = -e->la + d[0] + d[1] - 1.0 / a;
			g[1] = -m / (al + t) + d[2] * (be + t) / ((al + t) * (al + t));
			g[2] = -e->lb + d[1] - 1.0 / a;
			g[3] = -s / (be + t) - d[2] / (al + t);
		}
	}
	else
	{
		double		z = (be - al) / (be + t);

		lf = PNBD_LL_SERIES_FAILS(al + t, be + t) ? NAN :
			PnbdLogF(tab, s + 1.0, a + 1.0, z, grad ? d : NULL);
		e->lg = -(s + 1.0) * e->lb + (1.0 - m) * e->la + lf - log(a);
		if (grad)
		{
			g[0] = -e->la + d[1] - 1.0 / a;
			g[1] = (1.0 - m) / (al + t) - d[2] / (be + t);
			g[2] = -e->lb + d[0] + d[1] - 1.0 / a;
			g[3] = -(s + 1.0) * (1.0 / (be + t)) +
				d[2] * (al + t) / ((be + t) * (be + t));
		}
	}

	/*
	 * l1 - lg is log(a) - lf, or that plus log((beta+t)/(alpha+t)): never
	 * extreme, so k is a safe factor for the bracket below, which then
	 * needs one exp per tuple instead of two.
	 */
	e->l1 = -m * e->la - s * e->lb;
	e->k = exp(e->l1 - e->lg);
}

/*
 * A direct-mapped cache of log G by (x, t).  G(t) depends on the customer
 * only through x and t, and both t = t_x and t = T take few distinct
 * values in real data (calendar days), so a data set needs far fewer 2F1
 * series than it has tuples: the full CDNOW log has 8,685 distinct
 * (x, t_x, T) but only 2,705 distinct (x, t).
 */
#define PNBD_CACHE 512

static const PnbdG *
PnbdCached(PnbdG *cache, CjHyp2f1Tab *tab, const double *p, double x,
		   double t, bool grad)
{
	union
	{
		double		d;
		uint64_t	u;
	}			k;
	uint64_t	h;
	PnbdG	   *e;

	k.d = t;
	h = (k.u ^ (k.u >> 29) ^ ((uint64_t) x * 0x9E3779B97F4A7C15ULL)) *
		0xBF58476D1CE4E5B9ULL;
	e = &cache[h >> 55];		/* top 9 bits: 0 .. PNBD_CACHE-1 */
	if (e->t != t || e->x != x)
		PnbdLogG(p, x, t, grad, e, tab);
	return e;
}

/*
 * The bracket of the likelihood in log space, log[e^L1 + e^L2] with
 * L1 = log((alpha+T)^-(r+x) (beta+T)^-s) and L2 = log(s (G(t_x) - G(T))),
 * from e1 = G(t_x), e2 = G(T), ls = log s and is = 1/s.  *w1 receives
 * e^L1 / (e^L1 + e^L2), which is P(alive).  When g is not NULL it
 * receives the gradient of the result in the natural parameters.  Two
 * divisions per customer (1/rel, 1/sum; a million-customer fit makes
 * tens of millions of these calls, and a division costs as much as the
 * rest of the arithmetic here).
 */
static inline double
PnbdBracket(const double *p, double ls, double is, double x,
			const PnbdG *e1, const PnbdG *e2, double *w1, double *g)
{
	double		s = p[2];
	double		m = p[0] + x;
	double		l1 = e2->l1;
	double		l2 = -INFINITY,
				q = 0.0,
				rel = 0.0,
				irel = 0.0,
				mx,
				ea,
				eb,
				sum,
				isum,
				wa,
				wb;
	int			i;

	/*
	 * log(e^l1 + s G1 (1 - q)) with q = G2/G1, with one log: the bracket
	 * is a sum of two positive parts, no cancellation.
	 */
	if (e2->t > e1->t && e1->lg > e2->lg)
	{
		q = exp(e2->lg - e1->lg);
		l2 = ls + e1->lg;
		/* e^(l1 - l2) = e^(l1 - lg2) G2 / (s G1) = k2 q / s: no exp */
		rel = e2->k * q * is;
		if (!(rel < INFINITY))	/* k2 overflowed (or 0 * inf): direct */
			rel = exp(l1 - l2);
	}

	/*
	 * Both parts relative to the larger one (whose factor is 1), and no
	 * log at all when there is no second part.
	 */
	mx = (l2 > l1) ? l2 : l1;
	if (l2 > l1)
	{
		ea = rel;
		eb = 1.0 - q;
	}
	else
	{
		ea = 1.0;
		irel = (l2 > -INFINITY) ? 1.0 / rel : 0.0;
		eb = (1.0 - q) * irel;
	}
	sum = ea + eb;
	isum = 1.0 / sum;
	wa = ea * isum;
	wb = 1.0 - wa;
	if (w1)
		*w1 = wa;
	if (g)
	{
		g[0] = -wa * e2->la;
		g[1] = -wa * m * e2->ia;
		g[2] = -wa * e2->lb;
		g[3] = -wa * s * e2->ib;
		if (l2 > -INFINITY)
		{
			/* eb / (sum (1 - q)), with eb = (1 - q) or (1 - q) / rel */
			double		f = (l2 > l1) ? isum : irel * isum;

			for (i = 0; i < 4; i++)
				g[i] += f * (e1->g[i] - q * e2->g[i]);
			g[2] += wb / s;
		}
	}
	return (sum != 1.0) ? mx + log(sum) : mx;	/* log(1) = 0 exactly */
}

static double PnbdLogBracketQuad(const double *p, double x, double tx,
								 double T, double *g);

/*
 * Log-likelihood of one customer given the hoisted per-x constant
 * c = log Gamma(r+x)/Gamma(r) + r log alpha + s log beta and its natural
 * gradient gc, and G(t_x), G(T).  Adds w times the gradient on log
 * parameters to grad when not NULL.
 */
static inline double
PnbdTuple(const double *p, double ls, double is, double x, double c,
		  const double *gc, const PnbdG *e1, const PnbdG *e2, double w,
		  double *grad)
{
	double		gb[4];
	double		ll;
	int			i;

	if (cj_unlikely(isnan(e1->lg) || isnan(e2->lg)))
		ll = c + PnbdLogBracketQuad(p, x, e1->t, e2->t, grad ? gb : NULL);
	else
		ll = c + PnbdBracket(p, ls, is, x, e1, e2, NULL, grad ? gb : NULL);
	if (grad && isfinite(ll))
		for (i = 0; i < 4; i++)
			grad[i] += w * p[i] * (gc[i] + gb[i]);
	return ll;
}

/* The per-x constant of PnbdTuple and its natural gradient */
static double
PnbdConst(const double *p, double x, double *gc)
{
	if (gc)
	{
		gc[0] = cj_digamma(p[0] + x) - cj_digamma(p[0]) + log(p[1]);
		gc[1] = p[0] / p[1];
		gc[2] = log(p[3]);
		gc[3] = p[2] / p[3];
	}
	return cj_lgamma(p[0] + x) - cj_lgamma(p[0]) + p[0] * log(p[1]) +
		p[2] * log(p[3]);
}

/* Log-likelihood of one customer (see the header) */
double
cj_pnbd_loglik1(const double *p, const double *v, double *grad)
{
	PnbdG		e1,
				e2;
	double		gc[4];
	double		c = PnbdConst(p, v[0], grad ? gc : NULL);
	int			i;

	PnbdLogG(p, v[0], v[1], grad != NULL, &e1, NULL);
	PnbdLogG(p, v[0], v[2], grad != NULL, &e2, NULL);
	if (grad)
		for (i = 0; i < 4; i++)
			grad[i] = 0.0;
	return PnbdTuple(p, log(p[2]), 1.0 / p[2], v[0], c, gc, &e1, &e2, 1.0,
					 grad);
}

/*
 * Total log-likelihood.  Tuples arrive sorted by x, then t_x: the
 * Gamma-function terms are hoisted per x, G(t_x) is computed once per run
 * of equal (x, t_x) and G(T) comes from the (x, T) cache, so a data set
 * costs one 2F1 series per distinct (x, t_x) and (x, T) plus a few exp/log
 * per tuple.
 */
static double
PnbdLogLik(const CjData *d, const double *p, double *grad)
{
	PnbdG		cache[PNBD_CACHE],
				g1;				/* G(t_x) of the current (x, t_x) run */
	const PnbdG *e1 = &g1;
	CjHyp2f1Tab tab;
	double		sum = 0.0,
				c = 0.0,
				gc[4] = {0, 0, 0, 0},
				px = NAN,
				ls = log(p[2]), /* log s and 1/s, hoisted out of every
								 * bracket */
				is = 1.0 / p[2],
				acc[4] = {0, 0, 0, 0};	/* the gradient, in a local (registers)
										 * rather than through grad */
	size_t		i;
	int			k;

	for (k = 0; k < PNBD_CACHE; k++)
		cache[k].t = NAN;		/* matches nothing */
	g1.t = NAN;
	cj_hyp2f1_a1_tab_reset(&tab, NAN, NAN);	/* keyed to nothing yet */
	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = 0.0;
	for (i = 0; i < d->n; i++)
	{
		const CjTuple *t = &d->t[i];
		const PnbdG *e2;
		double		ll;

		if (t->v[0] != px)
		{
			c = PnbdConst(p, t->v[0], grad ? gc : NULL);
			px = t->v[0];
		}
		/* G(t_x): tuples are sorted by x then t_x, so one (x, t_x) is a run */
		if (!(e1->t == t->v[1] && e1->x == t->v[0]))
			PnbdLogG(p, t->v[0], t->v[1], grad != NULL, &g1, &tab);
		e2 = PnbdCached(cache, &tab, p, t->v[0], t->v[2], grad != NULL);
		ll = PnbdTuple(p, ls, is, t->v[0], c, gc, e1, e2, t->w,
					   grad ? acc : NULL);
		if (!isfinite(ll))
			return -INFINITY;
		sum += t->w * ll;
		if ((i & 0xfff) == 0xfff)
			cj_check_interrupts();
	}
	if (grad)
		for (k = 0; k < 4; k++)
		{
			grad[k] = acc[k];
			if (!isfinite(grad[k]))
				return -INFINITY;
		}
	return sum;
}

/* Data check: 0 <= t_x <= T, x >= 0, t_x = 0 when x = 0, all finite */
static bool
PnbdCheckData(const double *v, CjError *err)
{
	if (!(isfinite(v[0]) && isfinite(v[1]) && isfinite(v[2])))
	{
		cj_error_set(err, CJ_ERR_PARAM, "Values x, t_x and T must be finite numbers.");
		return false;
	}
	if (v[0] < 0.0 || v[1] < 0.0 || v[2] < 0.0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Values x, t_x and T must not be negative.");
		return false;
	}
	if (v[1] > v[2])
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Recency t_x (%g) must not exceed the age T (%g).",
					 v[1], v[2]);
		return false;
	}
	if (v[0] == 0.0 && v[1] != 0.0)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Recency t_x must be 0 for a customer with x = 0.");
		return false;
	}
	return true;
}

/* Parameters: all finite and > 0 */
static bool
PnbdCheckParams(const double *p, CjError *err)
{
	return cj_family_positive_params(&cj_family_pnbd, p, err);
}

/*
 * Start: the BG/NBD start for r and alpha (r = 1, r / alpha = the mean
 * purchase rate), s = 1 and beta = the mean age (a mean lifetime about
 * as long as the customers have been observed).
 */
static void
PnbdStart(const CjData *d, double *p)
{
	double		sT = 0.0;
	size_t		i;

	cj_bg_start(d, p);
	for (i = 0; i < d->n; i++)
		sT += d->t[i].w * d->t[i].v[2];
	p[2] = 1.0;
	p[3] = (sT > 0.0 && d->total_weight > 0.0) ? sT / d->total_weight : 1.0;
}

/*
 * b / (s-1) * [1 - (b / (b+t))^(s-1)], the expected lifetime-weighted
 * exposure of the note's eq. 17 and 22 (b log(1 + t/b) at s = 1), written
 * so that it stays exact near s = 1.
 */
static double
PnbdExposure(double s, double b, double t)
{
	/* log1p and expm1 only where log and exp would lose digits (slower) */
	double		lt = (t < 1e-3 * b) ? log1p(t / b) : log((b + t) / b),
				y = (s - 1.0) * lt,
				f;

	if (y == 0.0)
		f = 1.0;
	else if (fabs(y) < 0.1)
		f = -expm1(-y) / y;
	else
		f = (1.0 - exp(-y)) / y;
	return b * lt * f;
}

/* E[X(t)] for a new customer (the note, eq. 17) */
static double
PnbdExpected(const double *p, double t)
{
	return p[0] / p[1] * PnbdExposure(p[2], p[3], t);
}

/* Integrand of PnbdRelDiffQuad and PnbdLogBracketQuad */
typedef struct PnbdDiffArg
{
	double		m;				/* r + x */
	double		s;
	double		al;
	double		be;
	double		ref;			/* the time the integrand is relative to */
	double		T;				/* the end of the interval */
} PnbdDiffArg;

static double
PnbdDiffIntegrand(double u, void *arg)
{
	const PnbdDiffArg *a = arg;

	/* log1p of the gap: the ratios are within 1e-9 of 1 for short gaps */
	return exp(a->m * log1p((a->ref - u) / (a->al + u)) +
			   a->s * log1p((a->ref - u) / (a->be + u))) / (a->be + u);
}

/*
 * The integrand f and f times the derivatives of log f in (r, alpha, s,
 * beta) when the reference is T (the likelihood's gradient; see
 * PnbdLogBracketQuad):
 *   d/dr     log((alpha+T)/(alpha+u))
 *   d/dalpha (r+x) (1/(alpha+T) - 1/(alpha+u))
 *   d/ds     log((beta+T)/(beta+u))
 *   d/dbeta  s/(beta+T) - (s+1)/(beta+u)
 */
static void
PnbdDiffIntegrandGrad(double u, void *arg, double *v)
{
	const PnbdDiffArg *a = arg;
	double		f = PnbdDiffIntegrand(u, arg);

	v[0] = f;
	v[1] = f * log((a->al + a->T) / (a->al + u));
	v[2] = f * a->m * (1.0 / (a->al + a->T) - 1.0 / (a->al + u));
	v[3] = f * log((a->be + a->T) / (a->be + u));
	v[4] = f * (a->s / (a->be + a->T) - (a->s + 1.0) / (a->be + u));
}

/*
 * Integral of the (decreasing) integrand over [tx, T] by 12-point
 * Gauss-Legendre panels sized to the integrand: near u it behaves like
 * (alpha+u)^-(r+x) (beta+u)^-(s+1), so a panel of width
 *   w = scale * min((alpha+u) / max(1, (r+x)/4), (beta+u) / max(1, (s+1)/4))
 * changes it by at most about e^4 and stays far from both singularities
 * (at -alpha and -beta).  Panels grow with u; the loop stops once the rest,
 * below f(u) (T - u), is negligible.  NaN past PNBD_QUAD_MAX_PANELS.  When
 * g is not NULL it receives the four weighted integrals of
 * PnbdDiffIntegrandGrad on the same panels.
 */
#define PNBD_QUAD_MAX_PANELS 100000

static double
PnbdQuadPanels(PnbdDiffArg *a, double tx, double T, double scale, double *g)
{
	double		km = fmax(1.0, a->m / 4.0),
				ks = fmax(1.0, (a->s + 1.0) / 4.0),
				v[5] = {0, 0, 0, 0, 0},
				lo = tx;
	int			n = 0,
				k;

	while (lo < T)
	{
		double		w = scale * fmin((a->al + lo) / km, (a->be + lo) / ks),
					hi = fmin(T, lo + w);

		if (g)
			cj_quad_gl_vec(PnbdDiffIntegrandGrad, a, lo, hi, 5, v);
		else
			v[0] += cj_quad_gl(PnbdDiffIntegrand, a, lo, hi, 1);
		if (isinf(v[0]))
			return INFINITY;
		lo = hi;
		if (PnbdDiffIntegrand(lo, a) * (T - lo) < 1e-17 * v[0])
			break;
		if (++n >= PNBD_QUAD_MAX_PANELS)
			return NAN;
		if ((n & 0xfff) == 0)
			cj_check_interrupts();
	}
	if (g)
		for (k = 0; k < 4; k++)
			g[k] = v[k + 1];
	return v[0];
}

/*
 * R(t_x) - R(T) by quadrature, for when the series argument z is near 1
 * (one of alpha, beta a thousand times the other plus t_x) and the series
 * would need tens of thousands of terms.  Since -G'(u) = (alpha+u)^-(r+x)
 * (beta+u)^-(s+1),
 *   R(t_x) - R(T) = int_{t_x}^{T} ((alpha+T)/(alpha+u))^(r+x)
 *                                 ((beta+T)/(beta+u))^s / (beta+u) du,
 * a positive integrand, decreasing in u, analytic up to its singularities
 * at -alpha and -beta.  Computed on two meshes (PnbdTwoMeshDiff:
 * PnbdQuadPanels, the second twice as fine): NaN (an error for the caller)
 * unless they agree to 1e-10; +inf when the integrand overflows, correctly
 * (P(alive) is 0).
 */
static double
PnbdTwoMeshDiff(PnbdDiffArg *a, double tx, double T)
{
	double		d1 = PnbdQuadPanels(a, tx, T, 1.0, NULL),
				d2 = PnbdQuadPanels(a, tx, T, 0.5, NULL);

	if (isinf(d1) && isinf(d2))
		return INFINITY;
	return (fabs(d1 - d2) <= 1e-10 * d2) ? d2 : NAN;
}

static CJ_NOINLINE double
PnbdRelDiffQuad(const double *p, double x, double tx, double T)
{
	PnbdDiffArg a = {p[0] + x, p[2], p[1], p[3], T, T};

	return PnbdTwoMeshDiff(&a, tx, T);
}

/*
 * The likelihood's bracket log[e^L1 + e^L2] (PnbdBracket) where a series
 * for G failed, with its gradient in the natural parameters when g is not
 * NULL.  With D = R(t_x) - R(T) of PnbdRelDiffQuad, e^L2 = s D e^L1; D is
 * integrated relative to t_x instead of T,
 *   D = ((alpha+T)/(alpha+t_x))^(r+x) ((beta+T)/(beta+t_x))^s I,
 *   I = int_{t_x}^{T} ((alpha+t_x)/(alpha+u))^(r+x)
 *                     ((beta+t_x)/(beta+u))^s / (beta+u) du,
 * whose integrand is at most 1 / (beta+u), so L2 = log s + log I
 * - (r+x) log(alpha+t_x) - s log(beta+t_x) never overflows.  The
 * derivatives of log D are the integrals of PnbdDiffIntegrandGrad over I,
 * and the bracket's gradient is grad L1 + P(dead) (grad L2 - grad L1).
 * NaN unless two meshes agree to 1e-10 (as in PnbdRelDiffQuad).
 */
static CJ_NOINLINE double
PnbdLogBracketQuad(const double *p, double x, double tx, double T, double *g)
{
	double		m = p[0] + x,
				al = p[1],
				s = p[2],
				be = p[3],
				la = log(al + T),
				lb = log(be + T),
				l1 = -m * la - s * lb,
				l2,
				i1,
				i2,
				gi[4],
				mx,
				e1,
				e2,
				dead;
	PnbdDiffArg a = {m, s, al, be, tx, T};

	if (g)
	{
		g[0] = -la;
		g[1] = -m / (al + T);
		g[2] = -lb;
		g[3] = -s / (be + T);
	}
	if (!(T > tx))
		return l1;
	i1 = PnbdQuadPanels(&a, tx, T, 1.0, NULL);
	i2 = PnbdQuadPanels(&a, tx, T, 0.5, g ? gi : NULL);
	if (!(i2 > 0.0 && fabs(i1 - i2) <= 1e-10 * i2))
		return NAN;
	l2 = log(s) + log(i2) - m * log(al + tx) - s * log(be + tx);
	mx = fmax(l1, l2);
	e1 = exp(l1 - mx);
	e2 = exp(l2 - mx);
	dead = e2 / (e1 + e2);
	if (g)
	{
		g[0] += dead * gi[0] / i2;
		g[1] += dead * gi[1] / i2;
		g[2] += dead * (1.0 / s + gi[2] / i2);
		g[3] += dead * gi[3] / i2;
	}
	return mx + log(e1 + e2);
}

/* Beyond this series argument P(alive) integrates instead (see above) */
#define PNBD_SERIES_ZMAX 0.999

/*
 * The parts of the series of R(t_x) - R(T) (see PnbdPAlive): log e(t_x)
 * and both 2F1 (at t_x and at T) from one paired pass, in the form of the
 * larger of alpha, beta
 */
static inline void
PnbdSeriesParts(const double *p, double x, double tx, double T, double *le,
				double *f1, double *f2)
{
	double		r = p[0],
				al = p[1],
				s = p[2],
				be = p[3],
				m = r + x,
				a = r + s + x;

	/* plain log of the ratios: its rounding is far below what P(alive) shows */
	*le = m * log((al + T) / (al + tx)) + s * log((be + T) / (be + tx));
	if (al >= be)
		cj_hyp2f1_a1_pair(m, a + 1.0, (al - be) / (al + tx), (al - be) / (al + T),
						  f1, f2);
	else
		cj_hyp2f1_a1_pair(s + 1.0, a + 1.0, (be - al) / (be + tx),
						  (be - al) / (be + T), f1, f2);
}

/*
 * R(t_x) - R(T) from the series (see PnbdPAlive); NaN when the series
 * does not converge.
 */
static inline double
PnbdRelDiffSeries(const double *p, double x, double tx, double T)
{
	double		al = p[1],
				be = p[3],
				a = p[0] + p[2] + x,
				le,
				e,
				f1,
				f2;

	PnbdSeriesParts(p, x, tx, T, &le, &f1, &f2);
	e = exp(le);
	if (al >= be)
		return (e * f1 - f2) / a;
	return (e * (al + tx) / (be + tx) * f1 - (al + T) / (be + T) * f2) / a;
}

/*
 * R(t_x) - R(T) for a short silence, T - t_x at most PNBD_SHORT_GAP of
 * min(alpha, beta) + t_x and U = (r+x)(T-t_x)/(alpha+t_x) +
 * s (T-t_x)/(beta+t_x), a bound on log e(t_x), below PNBD_SHORT_GAP: there
 * the series' e(t_x) R-part and R(T) agree in most of their digits and
 * their difference loses about 1e-11/U relative (on random points: 2e-9 at
 * U near 0.01, 6 % at U = 1e-12, T - t_x a second in a year; 6e-8 for x =
 * 0, T = 0.00127 under pnbd(r=0.0107, alpha=32.1, s=0.0041, beta=2254),
 * where mpmath's integral agrees with this route to 1e-16).  P(alive)
 * hides it (it is all but 1 there); the probability of being dead, the
 * window PMF's mass at 0, shows it.  With A = alpha+T, B = beta+T and
 * v = T - u the integrand of PnbdRelDiffQuad is
 *   (1 - v/A)^-(r+x) (1 - v/B)^-s / (B - v)
 *     = exp(sum_k c_k v^k) / B,  c_k = ((r+x) A^-k + (s+1) B^-k) / k,
 * so R(t_x) - R(T) = (g/B) sum_n a_n / (n+1) over the Taylor coefficients
 * a_n of exp(sum_k c_k (g y)^k) in y = v/g (a_0 = 1, n a_n = sum_k k c_k
 * g^k a_{n-k}), g = T - t_x: a series of positive terms whose ratio is at
 * most about max(U, g/min(A, B)) <= 1/10, so nothing cancels and a few
 * terms do (no logarithm or exponential).  The window quantities' odds
 * (this route below PNBD_SHORT_GAP, the 2F1 series above) agree with 64
 * Gauss-Legendre panels to 2e-10 on 300,000 random points, and to 1e-13
 * where this route is taken.  PNBD_SHORT_GAP trades the 2F1 series' error
 * above it (about 2e-11/U) against this series' length below it.
 */
#define PNBD_SHORT_GAP 0.1

#define PNBD_SHORT_TERMS 64

static CJ_NOINLINE double
PnbdRelDiffShort(const double *p, double x, double tx, double T)
{
	double		m = p[0] + x,
				s1 = p[2] + 1.0,
				A = p[1] + T,
				B = p[3] + T,
				g = T - tx,
				ia = g / A,
				ib = g / B,
				pa = 1.0,
				pb = 1.0,
				sum = 1.0,
				c[PNBD_SHORT_TERMS + 1],
				an[PNBD_SHORT_TERMS + 1];
	int			n,
				k;

	an[0] = 1.0;
	for (n = 1; n <= PNBD_SHORT_TERMS; n++)
	{
		double		acc = 0.0,
					term;

		pa *= ia;
		pb *= ib;
		c[n] = (m * pa + s1 * pb) / n;
		for (k = 1; k <= n; k++)
			acc += k * c[k] * an[n - k];
		an[n] = acc / n;
		term = an[n] / (n + 1);
		sum += term;
		if (term <= 1e-17 * sum)
			return g / B * sum;
	}
	{
		/* not reached below PNBD_SHORT_GAP; the integral by one panel */
		PnbdDiffArg a = {m, p[2], p[1], p[3], T, T};

		return cj_quad_gl(PnbdDiffIntegrand, &a, tx, T, 1);
	}
}

/*
 * P(alive | x, t_x, T) (the note, eq. 18): the likelihood's first part
 * over the whole, 1 / (1 + s (G(t_x) - G(T)) / first part), without
 * logarithms of the 2F1 (scoring runs once per row, so this path is kept
 * short).  With R(t) = G(t) / [(alpha+T)^-(r+x) (beta+T)^-s] and the
 * forms of the file header,
 *   alpha >= beta:  R(t) = e(t) 2F1(1, r+x; r+s+x+1; z(t)) / (r+s+x)
 *   alpha <  beta:  R(t) = e(t) (alpha+t)/(beta+t) 2F1(1, s+1; ...) / (r+s+x)
 *   e(t) = ((alpha+T)/(alpha+t))^(r+x) ((beta+T)/(beta+t))^s, e(T) = 1.
 * R(t_x) overflows to +inf, correctly (P(alive) = 0), when t_x is far
 * before T for a heavy buyer.  Where z(t_x) > PNBD_SERIES_ZMAX the
 * difference is integrated instead (PnbdRelDiffQuad).
 *
 * PnbdDropoutOdds returns s (R(t_x) - R(T)) = P(dead at T) / P(alive at T)
 * (0 when t_x = T, NaN when the series or quadrature failed).  The window
 * quantities need it to full relative precision (P(dead) is their mass at
 * 0), and ask for it with dead set: after a short silence it is then
 * summed by PnbdRelDiffShort.  P(alive) = 1 / (1 + odds) needs only its
 * absolute precision and keeps the faster 2F1 series there (its relative
 * error is the odds' times odds / (1 + odds), and the odds are at most U
 * times s (R(t_x) - R(T))'s scale where the series loses digits).
 */
static inline double
PnbdDropoutOdds(const double *p, const double *v, bool dead)
{
	double		al = p[1],
				be = p[3],
				x = v[0],
				tx = v[1],
				T = v[2],
				gap = T - tx,
				a1 = al + tx,
				b1 = be + tx,
				d;

	if (!(T > tx))
		return 0.0;
	/* U < PNBD_SHORT_GAP without divisions (this runs once per row) */
	if (dead && gap <= PNBD_SHORT_GAP * fmin(a1, b1) &&
		((p[0] + x) * b1 + p[2] * a1) * gap < PNBD_SHORT_GAP * a1 * b1)
		d = PnbdRelDiffShort(p, x, tx, T);
	else if (cj_unlikely(fabs(al - be) > PNBD_SERIES_ZMAX * (fmax(al, be) + tx)))
		d = PnbdRelDiffQuad(p, x, tx, T);
	else
		d = PnbdRelDiffSeries(p, x, tx, T);
	/* a series or quadrature that failed (NaN) is an error, never 1 */
	if (d > 0.0)
		return p[2] * d;
	return (d <= 0.0) ? 0.0 : NAN;
}

/*
 * log of the dropout odds where the odds themselves overflow: the series
 * of PnbdRelDiffSeries with e(t_x) kept as its logarithm le,
 *   log(e f1 c1 - f2 c2) = le + log(f1 c1) + log1p(-(f2 c2)/(f1 c1) e^-le)
 * (c1 = c2 = 1 when alpha >= beta, else the ratios (alpha+t)/(beta+t)),
 * or, where the series argument is near 1, le plus the log of the
 * difference integrated relative to t_x.  NaN when a route fails.
 */
static CJ_NOINLINE double
PnbdLogDropoutOdds(const double *p, const double *v)
{
	double		s = p[2],
				al = p[1],
				be = p[3],
				x = v[0],
				tx = v[1],
				T = v[2],
				m = p[0] + x,
				c1 = 1.0,
				c2 = 1.0,
				le,
				f1,
				f2;

	if (fabs(al - be) > PNBD_SERIES_ZMAX * (fmax(al, be) + tx))
	{
		/*
		 * the quadrature's regime: R(t_x) - R(T) = e(t_x) I with I the
		 * integral relative to t_x (as in PnbdLogBracketQuad)
		 */
		PnbdDiffArg q = {m, s, al, be, tx, T};
		double		i = PnbdTwoMeshDiff(&q, tx, T);

		if (!(i > 0.0 && isfinite(i)))
			return NAN;
		le = m * log((al + T) / (al + tx)) + s * log((be + T) / (be + tx));
		return log(s) + le + log(i);
	}
	PnbdSeriesParts(p, x, tx, T, &le, &f1, &f2);
	if (al < be)
	{
		c1 = (al + tx) / (be + tx);
		c2 = (al + T) / (be + T);
	}
	if (!(f1 > 0.0 && f2 >= 0.0))
		return NAN;
	return log(s) - log(p[0] + s + x) + le + log(f1 * c1) +
		log1p(-(f2 * c2) / (f1 * c1) * exp(-le));
}

/*
 * P(alive) f for a factor f >= 0 (the conditional expectation's and DERT's
 * other factors) where P(alive) itself underflows but the product need
 * not: a heavy buyer long silent has odds beyond 1e308 (R(t_x) overflows)
 * while P(alive) times an expected million purchases is still a double
 * (1.2e-299 on the reference grid, which came back 0).  The callers take
 * it only when P(alive) is below DBL_MIN, so every other result keeps its
 * bits.
 */
static CJ_NOINLINE double
PnbdAliveTimesLog(const double *p, const double *v, double f)
{
	double		lo;

	if (!(f > 0.0))
		return 0.0;
	lo = PnbdLogDropoutOdds(p, v);
	if (isnan(lo))
		return NAN;
	/* log P(alive) = -log(1 + odds) = -(lo + log1p(e^-lo)) */
	return exp(log(f) - lo - log1p(exp(-lo)));
}

/*
 * P(alive) = 1 / (1 + s (R(t_x) - R(T))) (see above); through the log of
 * the odds where it would underflow (R(t_x) overflows for a heavy buyer
 * long silent although P(alive) can still be a double, 3.6e-306 on the
 * reference grid)
 */
static double
PnbdPAlive(const double *p, const double *v)
{
	double		pa = 1.0 / (1.0 + PnbdDropoutOdds(p, v, false));

	if (cj_unlikely(pa < DBL_MIN))
		return PnbdAliveTimesLog(p, v, 1.0);
	return pa;
}

/*
 * The part of E[X(T, T+t) | x, t_x, T] that depends on T and t only: the
 * expected lifetime-weighted exposure of the next t periods of a customer
 * alive at T (the note, eq. 22), whose rate prior is then Gamma(s, beta+T).
 */
static double
PnbdCondExposure(const double *p, double T, double t)
{
	return PnbdExposure(p[2], p[3] + T, t);
}

/* E[X(T, T+t) | x, t_x, T] = P(alive) (r+x)/(alpha+T) * exposure (eq. 22) */
static double
PnbdConditionalGiven(const double *p, const double *v, double e)
{
	double		pa = PnbdPAlive(p, v);

	if (cj_unlikely(pa < DBL_MIN))
		return PnbdAliveTimesLog(p, v, (p[0] + v[0]) / (p[1] + v[2]) * e);
	return pa * (p[0] + v[0]) / (p[1] + v[2]) * e;
}

/* E[X(T, T+t) | x, t_x, T] / P(alive) = (r+x)/(alpha+T) * exposure */
static double
PnbdConditionalPart(const double *p, double x, double T, double t)
{
	return (p[0] + x) / (p[1] + T) * PnbdCondExposure(p, T, t);
}

/* E[X(T, T+t) | x, t_x, T] (see PnbdConditionalGiven) */
static double
PnbdConditional(const double *p, const double *v, double t)
{
	return PnbdConditionalGiven(p, v, PnbdCondExposure(p, v[2], t));
}

/*
 * P(X(t) = n) for a new customer, for any size of r and n (cj_prob_purchases,
 * and the window quantities at the posterior r + x, which reaches 1e5 and
 * more).  It replaces an integral in u = tau/(alpha+tau) scaled at its
 * value at u = t/(alpha+t), which overflowed for r near 1e4 and lost up to
 * 1e-7 relative on tiny probabilities (n large, t small).
 * Given the lifetime tau ~ Lomax(s, beta) (P(tau > u) = (beta/(beta+u))^s)
 * purchases are NBD(r, alpha) over min(tau, t), so
 *   P(X(t) = n) = (beta/(beta+t))^s NBD(n; t)
 *               + int_0^t s beta^s (beta+u)^-(s+1) NBD(n; u) du,
 *   NBD(n; u) = C (alpha/(alpha+u))^r (u/(alpha+u))^n,
 *   C = Gamma(r+n) / (Gamma(r) n!)
 * (the derivation of Fader and Hardie's note 012, "Deriving an Expression
 * for P(X(t) = x) under the Pareto/NBD Model", before its 2F1 forms).  In
 * v = log u the integrand is e^phi(v),
 *   phi(v) = v - n log1p(alpha/u) - r log1p(u/alpha) - (s+1) log(beta+u),
 *   phi'(v) = 1 + n alpha/(alpha+u) - r u/(alpha+u) - (s+1) u/(beta+u),
 *   phi''(v) = -(n+r) alpha u/(alpha+u)^2 - (s+1) beta u/(beta+u)^2 < 0:
 * log-concave, with one mode (phi' falls from n+1 to -(r+s)).  It is
 * integrated by Gauss-Legendre panels from the mode (or from log t when
 * the mode lies beyond) outwards, each at most a curvature width, at
 * most 4/|phi'| and at most 1 wide (the log(c + e^v) terms turn over a
 * unit width, with poles pi off the real axis, which a wider panel can
 * step over: s = beta = 0.01 lost 5e-8), until phi is 45 below its peak; log-concavity bounds
 * what is left by e^phi/|phi'| (added).  Every term is positive and in log
 * space, so nothing cancels or overflows.
 */
#define PNBD_PMF_MAX_PANELS 4000
#define PNBD_PMF_MAX_STEP 1.0

typedef struct PnbdPmfArg
{
	double		r,
				al,
				s,
				be,
				n,
				ref;			/* phi at the peak */
} PnbdPmfArg;

/* phi(v) and (when d1 is not NULL) phi'(v), phi''(v) (see above) */
static double
PnbdPmfPhi(const PnbdPmfArg *a, double v, double *d1, double *d2)
{
	double		u = exp(v);

	if (d1)
	{
		double		au = a->al + u,
					bu = a->be + u;

		*d1 = 1.0 + a->n * a->al / au - a->r * u / au - (a->s + 1.0) * u / bu;
		*d2 = -(a->n + a->r) * a->al * u / (au * au) -
			(a->s + 1.0) * a->be * u / (bu * bu);
	}
	return v - a->n * log1p(a->al / u) - a->r * log1p(u / a->al) -
		(a->s + 1.0) * log(a->be + u);
}

static double
PnbdPmfIntegrand(double v, void *arg)
{
	const PnbdPmfArg *a = (const PnbdPmfArg *) arg;

	return exp(PnbdPmfPhi(a, v, NULL, NULL) - a->ref);
}

/* log of int_-inf^vmax e^phi(v) dv (see above); NaN if it fails */
static double
PnbdPmfLogIntegral(PnbdPmfArg *a, double vmax)
{
	double		lo = -INFINITY,
				hi = vmax,
				peak,
				d1,
				d2,
				sum = 0.0;
	int			i,
				side,
				panels = 0;

	/*
	 * The mode: Newton on phi' (decreasing), inside a bracket [lo, hi]
	 * once phi' > 0 has been seen at lo; before that, steps left are at
	 * most 50 wide.  A handful of iterations.
	 */
	(void) PnbdPmfPhi(a, hi, &d1, &d2);
	if (d1 >= 0.0)
		peak = hi;				/* rising up to log t */
	else
	{
		bool		have_lo = false;
		double		v = hi;

		for (i = 0; i < 400; i++)
		{
			double		c = v - d1 / d2;

			if (have_lo ? !(c > lo && c < hi) : !(c < hi))
				c = have_lo ? 0.5 * (lo + hi) : hi - 1.0;
			if (!have_lo && c < hi - 50.0)
				c = hi - 50.0;
			v = c;
			(void) PnbdPmfPhi(a, v, &d1, &d2);
			if (d1 > 0.0)
			{
				lo = v;
				have_lo = true;
			}
			else
				hi = v;
			if (fabs(d1) <= 1e-12 * (1.0 + a->n + a->r + a->s) ||
				(have_lo && hi - lo <= 1e-13 * fmax(1.0, fabs(v))))
				break;
		}
		if (!have_lo && !(fabs(d1) <= 1e-12 * (1.0 + a->n + a->r + a->s)))
			return NAN;
		peak = v;
	}
	a->ref = PnbdPmfPhi(a, peak, &d1, &d2);
	if (!isfinite(a->ref))
		return NAN;
	for (side = -1; side <= (peak < vmax ? 1 : -1); side += 2)
	{
		double		v = peak,
					h = 1.0 / sqrt(-d2);

		for (;;)
		{
			double		l,
						step;

			(void) PnbdPmfPhi(a, v, &d1, &d2);
			step = fmin(fmin(h, 1.0 / sqrt(-d2)), PNBD_PMF_MAX_STEP);
			if (fabs(d1) > 0.0)
				step = fmin(step, 4.0 / fabs(d1));
			if (side > 0 && v + step >= vmax)
			{
				sum += cj_quad_gl(PnbdPmfIntegrand, a, v, vmax, 1);
				break;
			}
			sum += cj_quad_gl(PnbdPmfIntegrand, a, fmin(v, v + side * step),
							  fmax(v, v + side * step), 1);
			v += side * step;
			h *= 1.5;
			l = PnbdPmfPhi(a, v, &d1, &d2) - a->ref;
			if (l < -45.0)
			{
				/* the rest is below e^l / |phi'| (log-concave) */
				sum += exp(l) / fabs(d1);
				break;
			}
			if (++panels > PNBD_PMF_MAX_PANELS || isnan(l))
				return NAN;
			if ((panels & 255) == 0)
				cj_check_interrupts();
		}
	}
	return a->ref + log(sum);
}

/* P(X(t) = n) for a new customer (see above) */
static double
PnbdPmf(const double *p, double n, double t)
{
	PnbdPmfArg	a = {p[0], p[1], p[2], p[3], n, 0.0};
	double		lc,
				l1,
				l2;

	if (n < 0.0 || n != floor(n) || !(t >= 0.0))
		return 0.0;
	if (t == 0.0)
		return (n == 0.0) ? 1.0 : 0.0;
	lc = cj_lgamma_ratio(p[0], n) - cj_lgamma(n + 1.0);
	l1 = -p[2] * log1p(t / p[3]) + cj_nbd_log_pmf(p[0], p[1], n, t);
	l2 = log(p[2]) + p[2] * log(p[3]) + lc + PnbdPmfLogIntegral(&a, log(t));
	return exp(cj_logaddexp(l1, l2));
}

/*
 * Window quantities.  A customer alive at T has the posterior lambda ~
 * Gamma(r+x, alpha+T), mu ~ Gamma(s, beta+T), independent (the alive part
 * of the likelihood is lambda^x e^(-(lambda+mu) T)), and the exponential
 * lifetime is memoryless, so from T on the customer is a new Pareto/NBD
 * customer with parameters (r+x, alpha+T, s, beta+T).  Fader and Hardie,
 * "Deriving the Conditional PMF of the Pareto/NBD Model" (2014,
 * brucehardie.com note 028), whose result is this mixture:
 *   P(X(T, T+t) = n | x, t_x, T)
 *     = [n = 0] (1 - P(alive)) + P(alive) P'(X(t) = n)
 * with P' the unconditional PMF (PnbdPmf: a sum of positive terms by
 * quadrature, not the note's 2F1 differences) at the posterior parameters.
 * 1 - P(alive) is odds / (1 + odds), to full relative precision.
 * Alive at T+t: P(alive) E[e^(-mu t)] = P(alive) ((beta+T)/(beta+T+t))^s
 * (P(alive) at T+t given alive at T, by the same posterior).
 * PnbdWindowPart is P'(X(t) = n) at the posterior (family.h, window_part).
 */
static double
PnbdWindowPart(const double *p, double x, double T, double n, double t)
{
	double		post[4] = {p[0] + x, p[1] + T, p[2], p[3] + T};

	if (n == 0.0)
	{
		/*
		 * P'(X(t) = 0) is the likelihood of the history (0, 0, t) at the
		 * posterior parameters, its alive part (alpha'/(alpha'+t))^r'
		 * (beta'/(beta'+t))^s times 1 + the dropout odds of that history
		 * (PnbdPAlive's series): faster than the quadrature and as
		 * precise.
		 */
		double		v0[3] = {0.0, 0.0, t},
					l = -post[0] * log1p(t / post[1]) - post[2] * log1p(t / post[3]) +
			log1p(PnbdDropoutOdds(post, v0, false));

		/* where that series fails (r' far above 1e4), the quadrature */
		return isfinite(l) ? exp(l) : PnbdPmf(post, 0.0, t);
	}
	return PnbdPmf(post, n, t);
}

/* [n = 0] P(dead) + P(alive) part, from the dropout odds (see above) */
static double
PnbdWindowCombine(const double *p, const double *v, double n, double part)
{
	/* only the mass at 0 needs P(dead) to full relative precision */
	double		odds = PnbdDropoutOdds(p, v, n == 0.0),
				pa = 1.0 / (1.0 + odds),
				q = isinf(odds) ? 1.0 : odds / (1.0 + odds),
				f = 0.0;

	if (isnan(pa))				/* the odds failed: an error, never 0 */
		return NAN;
	if (pa > 0.0)
		f = pa * part;
	return (n == 0.0) ? q + f : f;
}

/* P(X(T, T+t) = n | x, t_x, T) (see above) */
static double
PnbdWindowPmf(const double *p, const double *v, double n, double t)
{
	if (t == 0.0)
		return (n == 0.0) ? 1.0 : 0.0;
	return PnbdWindowCombine(p, v, n, PnbdWindowPart(p, v[0], v[2], n, t));
}

/* P(alive at T+t | x, t_x, T) (see PnbdWindowPmf) */
static double
PnbdPAliveAt(const double *p, const double *v, double t)
{
	return PnbdPAlive(p, v) * exp(-p[2] * log1p(t / (p[3] + v[2])));
}

/* Integrands of PnbdDiscount, in t and in y */
typedef struct PnbdDiscArg
{
	double		s;
	double		z;
} PnbdDiscArg;

static double
PnbdDiscT(double t, void *arg)
{
	PnbdDiscArg *a = (PnbdDiscArg *) arg;

	return exp((1.0 - a->s) * t - a->z * expm1(t));
}

static double
PnbdDiscY(double y, void *arg)
{
	PnbdDiscArg *a = (PnbdDiscArg *) arg;

	return exp(-a->s * log1p(y / a->z) - y);
}

/*
 * D(s, z) = z^s e^z Gamma(1-s, z) = z Psi(s, s; z) (Psi = Tricomi's U), the
 * expected discount factor over the residual lifetime, in (0, 1]:
 *   D = int_0^inf (1 + y/z)^-s e^-y dy            (z >= 1, smooth in y)
 *     = z int_0^inf exp((1-s) t - z (e^t - 1)) dt  (z < 1, y = z (e^t-1))
 * Both integrands are smooth and decay fast; composite Gauss-Legendre.
 */
static double
PnbdDiscount(double s, double z)
{
	PnbdDiscArg a;
	double		tmax;

	a.s = s;
	a.z = z;
	/*
	 * Near 0 the integrands fall at rate 1 + s/z (in y) and s - 1 + z (in
	 * t): the first panel is a quarter of that scale and the mesh doubles
	 * from there (equal panels lost up to all digits for s in the
	 * hundreds: DERT of pnbd(r=1e4, alpha=1e4, s=1e4, beta=1e-3) was
	 * 1.8e-16 instead of 2.4e-8).
	 */
	if (z >= 1.0)
		return cj_quad_gl_graded_capped(PnbdDiscY, &a, 0.0, 60.0,
										0.25 / (1.0 + s / z), 3.0);
	tmax = log1p(60.0 / z);
	return z * cj_quad_gl_graded_capped(PnbdDiscT, &a, 0.0, tmax,
										0.25 / fmax(1.0, s), 0.25);
}

/*
 * DERT (Fader, Hardie and Lee 2005, "RFM and CLV", eq. 2):
 *   DERT = alpha^r beta^s delta^(s-1) Gamma(r+x+1) Psi(s, s; delta(beta+T))
 *          / (Gamma(r) (alpha+T)^(r+x+1) L)
 *        = P(alive) (r+x)/(alpha+T) D(s, delta (beta+T)) / delta
 * which stays finite for any history (P(alive) <= 1, D <= 1).
 */
double
cj_pnbd_dert(const double *p, const double *v, double delta)
{
	double		pa = PnbdPAlive(p, v),
				d = PnbdDiscount(p[2], delta * (p[3] + v[2]));

	if (cj_unlikely(pa < DBL_MIN))
		return PnbdAliveTimesLog(p, v, (p[0] + v[0]) / (p[1] + v[2]) * d / delta);
	return pa * (p[0] + v[0]) / (p[1] + v[2]) * d / delta;
}

/*
 * One simulated customer observed for T: lambda ~ Gamma(r, alpha), mu ~
 * Gamma(s, beta), lifetime ~ Exponential(mu); after the first purchase at
 * time 0, Poisson purchases at rate lambda until the lifetime or T ends.
 */
static void
PnbdSimulate(const double *p, double T, CjRng *rng, double *v)
{
	double		lambda = cj_rng_gamma(rng, p[0], p[1]),
				mu = cj_rng_gamma(rng, p[2], p[3]),
				end = T,
				t = 0.0;
	long		k = 0;

	v[0] = 0.0;
	v[1] = 0.0;
	v[2] = T;
	if (mu > 0.0)
		end = fmin(T, cj_rng_exponential(rng, mu));
	if (!(lambda > 0.0))
		return;
	if (!isfinite(lambda))
	{
		v[0] = NAN;
		return;
	}
	for (;;)
	{
		t += cj_rng_exponential(rng, lambda);
		if (!(t <= end))
			break;
		v[0] += 1.0;
		v[1] = t;
		if ((++k & 0xffff) == 0)
		{
			if (v[0] >= CJ_SIM_MAX_PURCHASES)
			{
				v[0] = NAN;
				return;
			}
			cj_check_interrupts();
		}
	}
}

/* A typical parameter vector: Fader, Hardie and Lee (2005), CDNOW sample, weeks */
static const double Example[] = {0.5533, 10.5776, 0.6061, 11.6650};

/*
 * A customer's parameters under time-invariant covariates (CLVTools,
 * pnbd_staticcov_alpha_i / _beta_i; Fader and Hardie 2007, note 019):
 * alpha_i = alpha0 exp(-eta_trans), beta_i = beta0 exp(-eta_life).
 */
static void
PnbdCovariateParams(const double *p, double eta_trans, double eta_life,
					double *q)
{
	q[0] = p[0];
	q[1] = p[1] * exp(-eta_trans);
	q[2] = p[2];
	q[3] = p[3] * exp(-eta_life);
}

const CjFamily cj_family_pnbd = {
	.id = CJ_FAMILY_PNBD,
	.name = "pnbd",
	.example = Example,
	.title = "Pareto/NBD",
	.kind = CJ_KIND_PURCHASE,
	.nparams = 4,
	.param_names = PnbdParamNames,
	.ndata = 3,
	.data_names = PnbdDataNames,
	.check_data = PnbdCheckData,
	.check_params = PnbdCheckParams,
	.check_fit = cj_bg_check_fit,
	.loglik = PnbdLogLik,
	.start = PnbdStart,
	.expected = PnbdExpected,
	.conditional = PnbdConditional,
	.p_alive = PnbdPAlive,
	.prob_n = PnbdPmf,
	.exposure = PnbdCondExposure,
	.conditional_given = PnbdConditionalGiven,
	.conditional_part = PnbdConditionalPart,
	.simulate = PnbdSimulate,
	.window_pmf = PnbdWindowPmf,
	.window_part = PnbdWindowPart,
	.window_combine = PnbdWindowCombine,
	.p_alive_at = PnbdPAliveAt,
	.covariate_params = PnbdCovariateParams,
};
