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
 * Fill e with log G(t) (see the file header) for x purchases; tab (may be
 * NULL) carries the series coefficients between calls.
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
	double		d[3];
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

		lf = PnbdLogF(tab, m, a + 1.0, z, grad ? d : NULL);
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

		lf = PnbdLogF(tab, s + 1.0, a + 1.0, z, grad ? d : NULL);
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
 * from e1 = G(t_x), e2 = G(T) and ls = log s.  *w1 receives
 * e^L1 / (e^L1 + e^L2), which is P(alive).  When g is not NULL it
 * receives the gradient of the result in the natural parameters.
 */
static double
PnbdBracket(const double *p, double ls, double x, const PnbdG *e1,
			const PnbdG *e2, double *w1, double *g)
{
	double		s = p[2];
	double		m = p[0] + x;
	double		l1 = e2->l1;
	double		l2 = -INFINITY,
				q = 0.0,
				rel = 0.0,
				mx,
				ea,
				eb,
				sum,
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
		rel = e2->k * q / s;
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
		eb = (l2 > -INFINITY) ? (1.0 - q) / rel : 0.0;
	}
	sum = ea + eb;
	wa = ea / sum;
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
			double		f = eb / (sum * (1.0 - q));

			for (i = 0; i < 4; i++)
				g[i] += f * (e1->g[i] - q * e2->g[i]);
			g[2] += wb / s;
		}
	}
	return (sum != 1.0) ? mx + log(sum) : mx;	/* log(1) = 0 exactly */
}

/*
 * Log-likelihood of one customer given the hoisted per-x constant
 * c = log Gamma(r+x)/Gamma(r) + r log alpha + s log beta and its natural
 * gradient gc, and G(t_x), G(T).  Adds w times the gradient on log
 * parameters to grad when not NULL.
 */
static double
PnbdTuple(const double *p, double ls, double x, double c, const double *gc,
		  const PnbdG *e1, const PnbdG *e2, double w, double *grad)
{
	double		gb[4];
	double		ll;
	int			i;

	ll = c + PnbdBracket(p, ls, x, e1, e2, NULL, grad ? gb : NULL);
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
	return PnbdTuple(p, log(p[2]), v[0], c, gc, &e1, &e2, 1.0, grad);
}

/*
 * Total log-likelihood.  Tuples arrive sorted by x: the Gamma-function
 * terms are hoisted per x and G comes from the (x, t) cache, so a data set
 * costs one 2F1 series per distinct (x, t) plus a few exp/log per tuple.
 */
static double
PnbdLogLik(const CjData *d, const double *p, double *grad)
{
	PnbdG		cache[PNBD_CACHE];
	CjHyp2f1Tab tab;
	double		sum = 0.0,
				c = 0.0,
				gc[4] = {0, 0, 0, 0},
				px = NAN,
				ls = log(p[2]); /* log s, hoisted out of every bracket */
	size_t		i;
	int			k;

	for (k = 0; k < PNBD_CACHE; k++)
		cache[k].t = NAN;		/* matches nothing */
	cj_hyp2f1_a1_tab_reset(&tab, NAN, NAN);	/* keyed to nothing yet */
	if (grad)
		for (k = 0; k < 4; k++)
			grad[k] = 0.0;
	for (i = 0; i < d->n; i++)
	{
		const CjTuple *t = &d->t[i];
		const PnbdG *e1,
				   *e2;
		double		ll;

		if (t->v[0] != px)
		{
			c = PnbdConst(p, t->v[0], grad ? gc : NULL);
			px = t->v[0];
		}
		e1 = PnbdCached(cache, &tab, p, t->v[0], t->v[1], grad != NULL);
		{
			PnbdG		c1 = *e1;	/* the next lookup may evict it */

			e2 = PnbdCached(cache, &tab, p, t->v[0], t->v[2], grad != NULL);
			ll = PnbdTuple(p, ls, t->v[0], c, gc, &c1, e2, t->w, grad);
		}
		if (!isfinite(ll))
			return -INFINITY;
		sum += t->w * ll;
		if ((i & 0xfff) == 0xfff)
			cj_check_interrupts();
	}
	if (grad)
		for (k = 0; k < 4; k++)
			if (!isfinite(grad[k]))
				return -INFINITY;
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

/* Integrand of PnbdRelDiffQuad */
typedef struct PnbdDiffArg
{
	double		m;				/* r + x */
	double		s;
	double		al;
	double		be;
	double		T;
} PnbdDiffArg;

static double
PnbdDiffIntegrand(double u, void *arg)
{
	const PnbdDiffArg *a = arg;

	return exp(a->m * log((a->al + a->T) / (a->al + u)) +
			   a->s * log((a->be + a->T) / (a->be + u))) / (a->be + u);
}

/*
 * Integral of the (decreasing) integrand over [tx, T] by 12-point
 * Gauss-Legendre panels sized to the integrand: near u it behaves like
 * (alpha+u)^-(r+x) (beta+u)^-(s+1), so a panel of width
 *   w = scale * min((alpha+u) / max(1, (r+x)/4), (beta+u) / max(1, (s+1)/4))
 * changes it by at most about e^4 and stays far from both singularities
 * (at -alpha and -beta).  Panels grow with u; the loop stops once the rest,
 * below f(u) (T - u), is negligible.  NaN past PNBD_QUAD_MAX_PANELS.
 */
#define PNBD_QUAD_MAX_PANELS 100000

static double
PnbdQuadPanels(PnbdDiffArg *a, double tx, double T, double scale)
{
	double		km = fmax(1.0, a->m / 4.0),
				ks = fmax(1.0, (a->s + 1.0) / 4.0),
				sum = 0.0,
				lo = tx;
	int			n = 0;

	while (lo < T)
	{
		double		w = scale * fmin((a->al + lo) / km, (a->be + lo) / ks),
					hi = fmin(T, lo + w);

		sum += cj_quad_gl(PnbdDiffIntegrand, a, lo, hi, 1);
		if (isinf(sum))
			return INFINITY;
		lo = hi;
		if (PnbdDiffIntegrand(lo, a) * (T - lo) < 1e-17 * sum)
			break;
		if (++n >= PNBD_QUAD_MAX_PANELS)
			return NAN;
		if ((n & 0xfff) == 0)
			cj_check_interrupts();
	}
	return sum;
}

/*
 * R(t_x) - R(T) by quadrature, for when the series argument z is near 1
 * (one of alpha, beta a thousand times the other plus t_x) and the series
 * would need tens of thousands of terms.  Since -G'(u) = (alpha+u)^-(r+x)
 * (beta+u)^-(s+1),
 *   R(t_x) - R(T) = int_{t_x}^{T} ((alpha+T)/(alpha+u))^(r+x)
 *                                 ((beta+T)/(beta+u))^s / (beta+u) du,
 * a positive integrand, decreasing in u, analytic up to its singularities
 * at -alpha and -beta.  Computed on two meshes (PnbdQuadPanels, the second
 * twice as fine): NaN (an error for the caller) unless they agree to
 * 1e-10; +inf when the integrand overflows, correctly (P(alive) is 0).
 */
static CJ_NOINLINE double
PnbdRelDiffQuad(const double *p, double x, double tx, double T)
{
	PnbdDiffArg a = {p[0] + x, p[2], p[1], p[3], T};
	double		d1 = PnbdQuadPanels(&a, tx, T, 1.0),
				d2 = PnbdQuadPanels(&a, tx, T, 0.5);

	if (isinf(d1) && isinf(d2))
		return INFINITY;
	return (fabs(d1 - d2) <= 1e-10 * d2) ? d2 : NAN;
}

/* Beyond this series argument P(alive) integrates instead (see above) */
#define PNBD_SERIES_ZMAX 0.999

/*
 * R(t_x) - R(T) from the series (see PnbdPAlive): both 2F1 (at t_x and
 * at T) from one paired pass; NaN when the series does not converge.
 */
static inline double
PnbdRelDiffSeries(const double *p, double x, double tx, double T)
{
	double		r = p[0],
				al = p[1],
				s = p[2],
				be = p[3];
	double		m = r + x,
				a = r + s + x;
	double		e,
				f1,
				f2;

	/* plain log of the ratios: its rounding is far below what P(alive) shows */
	e = exp(m * log((al + T) / (al + tx)) + s * log((be + T) / (be + tx)));
	if (al >= be)
	{
		cj_hyp2f1_a1_pair(m, a + 1.0, (al - be) / (al + tx), (al - be) / (al + T),
						  &f1, &f2);
		return (e * f1 - f2) / a;
	}
	cj_hyp2f1_a1_pair(s + 1.0, a + 1.0, (be - al) / (be + tx),
					  (be - al) / (be + T), &f1, &f2);
	return (e * (al + tx) / (be + tx) * f1 - (al + T) / (be + T) * f2) / a;
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
 */
static double
PnbdPAlive(const double *p, const double *v)
{
	double		al = p[1],
				be = p[3],
				x = v[0],
				tx = v[1],
				T = v[2],
				d;

	if (!(T > tx))
		return 1.0;
	if (cj_unlikely(fabs(al - be) > PNBD_SERIES_ZMAX * (fmax(al, be) + tx)))
		d = PnbdRelDiffQuad(p, x, tx, T);
	else
		d = PnbdRelDiffSeries(p, x, tx, T);
	/* a series or quadrature that failed (NaN) is an error, never 1 */
	if (d > 0.0)
		return 1.0 / (1.0 + p[2] * d);
	return (d <= 0.0) ? 1.0 : NAN;
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
	return PnbdPAlive(p, v) * (p[0] + v[0]) / (p[1] + v[2]) * e;
}

/* E[X(T, T+t) | x, t_x, T] (see PnbdConditionalGiven) */
static double
PnbdConditional(const double *p, const double *v, double t)
{
	return PnbdConditionalGiven(p, v, PnbdCondExposure(p, v[2], t));
}

/* Integrand of PnbdProbN in z (see there): e^-z h(U e^(-z/(n+1))) / h(U) */
typedef struct PnbdProbArg
{
	const double *p;
	double		n;
	double		u;
	double		ref;
} PnbdProbArg;

static double
PnbdLogH(const double *p, double u)
{
	return (p[0] + p[2] - 1.0) * log1p(-u) -
		(p[2] + 1.0) * log(p[3] + (p[1] - p[3]) * u);
}

static double
PnbdProbIntegrand(double z, void *arg)
{
	PnbdProbArg *a = (PnbdProbArg *) arg;

	return exp(-z + PnbdLogH(a->p, a->u * exp(-z / (a->n + 1.0))) - a->ref);
}

/*
 * P(X(t) = n) for a new customer.  Alive throughout, or dying at tau < t
 * after n purchases:
 *   P = C [ (alpha/(alpha+t))^r (t/(alpha+t))^n (beta/(beta+t))^s
 *           + s beta^s alpha^(1-r) int_0^t tau^n (alpha+tau)^-(r+n)
 *                                    (beta+tau)^-(s+1) dtau * alpha^(r-1) ]
 * with C = Gamma(r+n) / (Gamma(r) n!).  With u = tau/(alpha+tau), U =
 * t/(alpha+t) the integral is alpha^(1-r) int_0^U u^n h(u) du, h(u) =
 * (1-u)^(r+s-1) (beta + (alpha-beta) u)^-(s+1), and u = U e^(-z/(n+1))
 * makes it U^(n+1)/(n+1) int_0^inf e^-z h(U e^(-z/(n+1))) dz: a smooth,
 * bounded integrand for any n, integrated by Gauss-Legendre on [0, 48] on
 * a mesh graded towards 0 (h's singularity from (1-u) is at z = (n+1)
 * log U, left of 0).  For alpha > beta the other factor of h is singular
 * where beta + (alpha-beta) u = 0, at imaginary part (n+1) pi: panels are
 * then at most (n+1) pi / 2 wide, or with alpha far above beta the
 * integral would lose digits (alpha = 1e6 beta: P(X(10) = 0) was off by
 * 1e-5).
 * This sum of positive terms avoids the note's eq. 16, which subtracts
 * nearly equal 2F1 values.
 */
static double
PnbdProbN(const double *p, double n, double t)
{
	double		r = p[0],
				al = p[1],
				s = p[2],
				be = p[3];
	double		lc,
				l1,
				l2;
	PnbdProbArg a;

	if (n < 0.0 || n != floor(n) || !(t >= 0.0))
		return 0.0;
	if (t == 0.0)
		return (n == 0.0) ? 1.0 : 0.0;
	lc = cj_lgamma(r + n) - cj_lgamma(r) - cj_lgamma(n + 1.0);
	a.p = p;
	a.n = n;
	a.u = t / (al + t);
	a.ref = PnbdLogH(p, a.u);
	l1 = r * log(al / (al + t)) + n * log(a.u) + s * log(be / (be + t));
	l2 = log(s) + s * log(be) + log(al) + (n + 1.0) * log(a.u) -
		log(n + 1.0) + a.ref +
		log(cj_quad_gl_graded_capped(PnbdProbIntegrand, &a, 0.0, 48.0,
									  -(n + 1.0) * log(a.u),
									  (al > be) ? (n + 1.0) * M_PI / 2.0 :
									  INFINITY));
	return exp(lc + cj_logaddexp(l1, l2));
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
	return PnbdPAlive(p, v) * (p[0] + v[0]) / (p[1] + v[2]) *
		PnbdDiscount(p[2], delta * (p[3] + v[2])) / delta;
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
	.prob_n = PnbdProbN,
	.exposure = PnbdCondExposure,
	.conditional_given = PnbdConditionalGiven,
	.simulate = PnbdSimulate,
	.covariate_params = PnbdCovariateParams,
};
