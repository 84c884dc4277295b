/*-------------------------------------------------------------------------
 *
 * bgnbd.c
 *	  BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy
 *	  way", Marketing Science 24(2)), written once for the MBG/NBD shift.
 *
 * Notation: r, alpha (gamma mixing of the Poisson rate lambda), a, b (beta
 * mixing of the dropout probability p); data x repeat purchases, t_x time
 * of the last, T age.  m = 0 for BG/NBD, m = 1 for MBG/NBD (Batislam et
 * al. 2007: dropout also possible at time 0).
 *
 * Individual likelihood (FHL eq. 6, in log space):
 *   log L = lgamma(r+x) - lgamma(r) + r log alpha + lbeta(a, b+x+m)
 *           - lbeta(a, b) - (r+x) log(alpha+T) + D softplus(z)
 *   z = log(a / (b+x+m-1)) + (r+x) (log(alpha+T) - log(alpha+t_x))
 * with D = 1 if x > 0 or m = 1 (else the dropout term is absent);
 * softplus(z) = log(1 + e^z) never overflows (z can be in the thousands
 * for heavy buyers).  q = sigmoid(z) is the posterior probability of
 * having dropped out, so P(alive) = 1 - q (FHL 2008 note, eq. 1).
 * Gradient (natural scale), psi = digamma:
 *   dr = psi(r+x) - psi(r) + log alpha - LT + q (LT - Lt)
 *   dalpha = r/alpha - (r+x)/(alpha+T) + q (r+x) (1/(alpha+T) - 1/(alpha+t_x))
 *   da = psi(a+b) - psi(a+b+x+m) + q/a
 *   db = psi(b+x+m) - psi(a+b+x+m) - psi(b) + psi(a+b) - q/(b+x+m-1)
 * LT = log(alpha+T), Lt = log(alpha+t_x).  Terms that depend on x only
 * are computed once per distinct x (tuples are sorted by x).
 *
 * Conditional expectation (FHL eq. 10, with the shift):
 *   E[X(T,T+t)] = (a+b+x+m-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
 *       2F1(r+x, b+x+m; a+b+x+m-1; t/(alpha+T+t))] P(alive)
 * and E[X(t)] for a new customer is the same at x = t_x = T = 0 (eq. 7).
 * The bracket is evaluated without that subtraction, as a series of
 * positive terms or an integral over the dropout probability (see
 * CondBracket below).
 *
 * T = 0 (first purchase on the as-of day, so x = t_x = 0) is a valid
 * history: its likelihood term is exactly 1, BG/NBD's P(alive) is 1 and
 * MBG/NBD's is b/(a+b) (the customer may have dropped out right after the
 * first purchase, at time 0).
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/bgnbd.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/math/hyp2f1.h"
#include "core/math/special.h"
#include "core/math/quad.h"

/* Data check shared by BG/NBD and MBG/NBD (and usable by Pareto/NBD) */
bool
cj_bg_check_data(const double *v, CjError *err)
{
	double		x = v[0],
				tx = v[1],
				T = v[2];

	if (!(x >= 0.0 && x == floor(x) && x <= 1e9))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "Repeat purchases x must be a whole number between 0 and 1e9.");
		return false;
	}
	if (!(T >= 0.0 && isfinite(T)))
	{
		cj_error_set(err, CJ_ERR_PARAM, "Age T must be a finite number, 0 or more.");
		return false;
	}
	if (!(tx >= 0.0 && tx <= T))
	{
		cj_error_set(err, CJ_ERR_PARAM, "Recency t_x must be between 0 and T.");
		return false;
	}
	if (x == 0.0 && tx != 0.0)
	{
		cj_error_set(err, CJ_ERR_PARAM, "Recency t_x must be 0 when x is 0.");
		return false;
	}
	return true;
}

/* A data set without any repeat purchase cannot identify the model */
bool
cj_bg_check_fit(const CjData *d, CjError *err)
{
	/* tuples are sorted by x: the last one has the largest x */
	if (d->n > 0 && d->t[d->n - 1].v[0] > 0.0)
		return true;
	cj_error_set(err, CJ_ERR_PARAM,
				 "No customer made a repeat purchase (every x is 0), so the purchase rate cannot be estimated.");
	return false;
}

/* Start: r = 1, alpha from the mean rate, a = 1, b = 3 */
void
cj_bg_start(const CjData *d, double *p)
{
	double		sx = 0.0,
				sT = 0.0;
	size_t		i;

	for (i = 0; i < d->n; i++)
	{
		sx += d->t[i].w * d->t[i].v[0];
		sT += d->t[i].w * d->t[i].v[2];
	}
	p[0] = 1.0;
	p[1] = sT / fmax(sx, 1e-3 * d->total_weight + 1e-300);
	p[2] = 1.0;
	p[3] = 3.0;
}

/*
 * A small direct-mapped cache of log(alpha + t) and 1/(alpha + t) for one
 * likelihood evaluation: real data have few distinct T (one per cohort
 * day) and t_x values, so most tuples skip both logarithms.
 */
#define LOGCACHE_SIZE 1024

typedef struct LogCache
{
	double		key[LOGCACHE_SIZE];
	double		lg[LOGCACHE_SIZE];
	double		inv[LOGCACHE_SIZE];
} LogCache;

static void
LogCacheInit(LogCache *c)
{
	int			i;

	for (i = 0; i < LOGCACHE_SIZE; i++)
		c->key[i] = -1.0;		/* times are >= 0 */
}

/* log(alpha + t) and 1/(alpha + t) through the cache */
static inline double
LogCached(LogCache *c, double alpha, double t, double *inv)
{
	uint64_t	bits;
	unsigned	h;

	memcpy(&bits, &t, sizeof(bits));
	h = (unsigned) ((bits * UINT64_C(0x9E3779B97F4A7C15)) >> 54);
	if (c->key[h] != t)
	{
		c->key[h] = t;
		c->lg[h] = log(alpha + t);
		c->inv[h] = 1.0 / (alpha + t);
	}
	*inv = c->inv[h];
	return c->lg[h];
}

/* Per-x constants of the likelihood */
typedef struct XTerms
{
	double		x,
				c0,				/* lgamma(r+x) + lbeta(a, b+x+m) */
				lc,				/* log(a / (b+x+m-1)) */
				dr0,			/* psi(r+x) */
				da0,			/* -psi(a+b+x+m) */
				db0,			/* psi(b+x+m) - psi(a+b+x+m) - 1/(b+x+m-1) */
				inv_bx;			/* 1/(b+x+m-1) */
	bool		dropout;		/* dropout term present */
} XTerms;

static void
SetXTerms(XTerms *xt, double x, const double *p, int m, bool grad)
{
	double		r = p[0],
				a = p[2],
				b = p[3],
				bxm = b + x + m;

	xt->x = x;
	xt->dropout = (x > 0.0 || m == 1);
	xt->c0 = cj_lgamma(r + x) + cj_lgamma(bxm) - cj_lgamma(a + bxm);
	xt->inv_bx = xt->dropout ? 1.0 / (bxm - 1.0) : 0.0;
	xt->lc = xt->dropout ? log(a) - log(bxm - 1.0) : 0.0;
	if (grad)
	{
		double		psi_abx = cj_digamma(a + bxm);

		xt->dr0 = cj_digamma(r + x);
		xt->da0 = -psi_abx;
		xt->db0 = cj_digamma(bxm) - psi_abx;
	}
}

/* Total log-likelihood and (if grad) its gradient wrt log parameters */
double
cj_bg_loglik(const CjData *d, const double *p, double *grad, int m)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];
	double		lalpha = log(alpha);
	double		base = -cj_lgamma(r) + r * lalpha + cj_lgamma(a + b) -
		cj_lgamma(b);			/* lgamma(a) cancels against lbeta(a, .) */
	double		ll = 0.0,
				g[4] = {0, 0, 0, 0};
	double		psi_r = 0,
				psi_ab = 0,
				psi_b = 0;
	XTerms		xt = {0};
	LogCache	cache;
	size_t		i;

	LogCacheInit(&cache);
	if (grad)
	{
		psi_r = cj_digamma(r);
		psi_ab = cj_digamma(a + b);
		psi_b = cj_digamma(b);
	}
	xt.x = -1.0;
	for (i = 0; i < d->n; i++)
	{
		const CjTuple *tp = &d->t[i];
		double		x = tp->v[0],
					w = tp->w,
					invT,
					LT = LogCached(&cache, alpha, tp->v[2], &invT),
					rx,
					li,
					q = 0.0;

		if (x != xt.x)
			SetXTerms(&xt, x, p, m, grad != NULL);
		rx = r + x;
		li = xt.c0 - rx * LT;
		if (xt.dropout)
		{
			double		invt,
						Lt = LogCached(&cache, alpha, tp->v[1], &invt);
			double		z = xt.lc + rx * (LT - Lt);
			double		e = exp(-fabs(z));

			/* softplus(z) and sigmoid(z) from one exponential */
			li += fmax(z, 0.0) + log1p(e);
			if (grad)
			{
				q = z > 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
				g[0] += w * q * (LT - Lt);
				g[1] += w * q * rx * (invT - invt);
			}
		}
		ll += w * li;
		if (grad)
		{
			g[0] += w * (xt.dr0 - LT);
			g[1] -= w * rx * invT;
			g[2] += w * (xt.da0 + q / a);
			g[3] += w * (xt.db0 - q * xt.inv_bx);
		}
		if ((i & 65535) == 65535)
			cj_check_interrupts();
	}
	ll += d->total_weight * base;
	if (!isfinite(ll))
		ll = -INFINITY;
	if (grad)
	{
		double		W = d->total_weight;

		grad[0] = r * (g[0] + W * (lalpha - psi_r));
		grad[1] = alpha * (g[1] + W * r / alpha);
		grad[2] = a * (g[2] + W * psi_ab);
		grad[3] = b * (g[3] + W * (psi_ab - psi_b));
	}
	return ll;
}

/*
 * z = log(P(dropped out) / P(alive)) given (x, t_x, T) (FHL 2008 note,
 * eq. 1, as the log-odds); -inf for a BG/NBD customer without repeat
 * purchases, who cannot have dropped out.
 */
static inline double
BgDropoutLogit(const double *p, const double *v, int m)
{
	double		x = v[0];

	if (x == 0.0 && m == 0)
		return -INFINITY;
	/* b + (x + m - 1): the integer first, or a b below 1e-16 is lost */
	return log(p[2] / (p[3] + (x + m - 1.0))) +
		(p[0] + x) * log((p[1] + v[2]) / (p[1] + v[1]));
}

/* 1 / (1 + e^z) without overflow */
static inline double
BgSigmoidNeg(double z)
{
	if (z > 0)
	{
		double		e = exp(-z);

		return e / (1.0 + e);
	}
	return 1.0 / (1.0 + exp(z));
}

/* P(alive | x, t_x, T) = 1 / (1 + e^z), computed as exp(-softplus(z)) */
double
cj_bg_p_alive(const double *p, const double *v, int m)
{
	if (v[0] == 0.0 && m == 0)
		return 1.0;
	return BgSigmoidNeg(BgDropoutLogit(p, v, m));
}

/*
 * The conditional expectation without cancellation.
 *
 * FHL eq. 10 writes E[X(T, T+t) | x, t_x, T] = P(alive) * K with
 *   K = c/(a-1) [1 - (1-z)^A 2F1(A, B; c; z)],
 *   A = r+x, B = b+x+m, c = a+B-1, z = t/(alpha+T+t) = w/(1+w),
 *   w = t/(alpha+T).
 * When (1-z)^A 2F1 is close to 1 (t/(alpha+T) large, or a near 1) the
 * bracket cancels catastrophically, and the 2F1 itself needs the 1 - z
 * connection formula, whose two halves cancel too: bgnbd(r=0.42,
 * alpha=76.5, a=43.1, b=371) gave E[X(694.5)] = -9.3e23 instead of 2.349.
 *
 * K is computed instead from the model's definition.  A customer alive at
 * T, with purchase rate lambda ~ Gamma(A, alpha+T) and dropout
 * probability p ~ Beta(a, B) (the posterior given alive), would make
 * N ~ NBD(A, z) purchases in the next t if never dropping out; with a coin
 * flip after each one, X = sum_{j<N} (1-p)^j, and E[(1-p)^j] = (B)_j /
 * (a+B)_j.  Hence
 *   K = sum_{k>=1} P(N = k) e_k,  e_k = sum_{j<k} (B)_j / (a+B)_j,
 *   P(N = k) = (1-z)^A (A)_k z^k / k!,
 * a series of POSITIVE terms (no cancellation, no special case at a = 1;
 * the same series follows from Euler's transformation of the bracket,
 * term by term, since (1-z)^-A = sum (A)_k z^k / k!).  Its terms peak near
 * k = A w, so it is summed when A w is moderate (the usual case: a few
 * dozen terms).  Otherwise K is the integral of the same mixture over p,
 *   K = int_0^1 (1 - (1 + p w)^-A) / p  Beta(p; a, B) dp,
 * an average of a bounded positive function, taken by composite
 * Gauss-Legendre in s = logit(p) on panels laid out from the peak of the
 * integrand (see BracketQuad).
 */
#define BRACKET_SERIES_MAX_AW 2000.0
#define BRACKET_SERIES_MAX_TERMS 20000
#define BRACKET_QUAD_MAX_PANELS 4000

/* K by the positive series; NaN when it does not converge */
static double
BracketSeries(double A, double w, double a, double B)
{
	const double big = 0x1.0p600;
	double		z = w / (1.0 + w),
				lscale = -A * log1p(w),
				pk = 1.0,
				mom = 1.0,
				e = 0.0,
				s = 0.0;
	int			k;

	for (k = 1; k <= BRACKET_SERIES_MAX_TERMS; k++)
	{
		double		term;

		/*
		 * B + (k - 1), not B + k - 1: added to k first, a B or a below
		 * 1e-16 was lost (E[X(52)] of bgnbd(a=1e-16, b=3e-16) 32 % low)
		 */
		pk *= (A + (k - 1)) * z / k;
		e += mom;
		mom *= (B + (k - 1)) / ((a + B) + (k - 1));
		term = pk * e;
		s += term;
		if (s > big)
		{
			s /= big;
			pk /= big;
			lscale += 600.0 * M_LN2;
		}
		if (term <= 1e-17 * s && k > A * w)
			return exp(lscale + log(s));
	}
	return NAN;
}

/* The integrand of BracketQuad in s = logit(p), and what it needs */
typedef struct BracketArg
{
	double		A,
				w,
				a,
				B,
				lbeta;			/* log Beta(a, B) */
	bool		alive;			/* (1 + p w)^-A instead (AliveAtQuad) */
} BracketArg;

/*
 * log of (1 - (1 + p w)^-A) p^(a-1) (1-p)^B / Beta(a, B) at s, and (when
 * slope is not NULL) the absolute value of its derivative in s; with
 * g->alive, of (1 + p w)^-A p^a (1-p)^B / Beta(a, B) (see AliveAtQuad)
 */
static double
BracketLogIntegrand(double s, const BracketArg *g, double *slope)
{
	/* log p and log(1-p) without overflow for any s */
	double		lp = (s >= 0.0) ? -log1p(exp(-s)) : s - log1p(exp(s)),
				lq = (s <= 0.0) ? -log1p(exp(s)) : -s - log1p(exp(-s)),
				p = exp(lp),
				q = exp(lq),
				apw = (g->A + 1.0) * p * g->w,
				lpw,
				num,
				lnum,
				dnum;

	if (g->alive)
	{
		lpw = log1p(p * g->w);
		if (slope)
			*slope = fabs(g->a * q - g->B * p -
						  g->A * g->w * p * q / (1.0 + p * g->w));
		return -g->A * lpw + g->a * lp + g->B * lq - g->lbeta;
	}
	if (apw < 1e-8)
	{
		/*
		 * 1 - (1+pw)^-A = A p w (1 - (A+1) p w / 2 + ...), its p taken
		 * into p^(a-1) as p^a, in the value and in the slope
		 * (a q - B p - ...): written as (a-1) lp + lp and (a-1) q + q
		 * they lose a below the rounding of 1, which made E[X(52)] of
		 * bgnbd(r=0.79, alpha=1, a=1e-16, b=3e-16) 32 % low and of
		 * a = 1e-18 not finite
		 */
		if (slope)
			*slope = fabs(g->a * q - g->B * p -
						  0.5 * apw * q / (1.0 - 0.5 * apw));
		return log(g->A) + log(g->w) + g->a * lp + log1p(-0.5 * apw) +
			g->B * lq - g->lbeta;
	}
	lpw = log1p(p * g->w);
	num = -expm1(-g->A * lpw);
	if (!(num > 0.0))
		return -INFINITY;
	lnum = log(num);
	dnum = g->A * g->w * p * q * exp(-(g->A + 1.0) * lpw) / num;
	if (slope)
		*slope = fabs((g->a - 1.0) * q - g->B * p + dnum);
	return lnum + (g->a - 1.0) * lp + g->B * lq - g->lbeta;
}

static double
BracketIntegrand(double s, void *arg)
{
	return exp(BracketLogIntegrand(s, (const BracketArg *) arg, NULL));
}

/*
 * K by quadrature.  In s = logit(p) the integrand is smooth, near the
 * shape of p^a (1-p)^B (peak at log(a/B), width sqrt(1/a + 1/B)) times a
 * factor that turns from A w (p << 1/(A w)) to 1/p over a unit width
 * around -log(A w); its tails are exponentials, e^(a s) on the left and
 * e^(-B s) on the right.  Panels start at the peak with half its width
 * (at most 1/2), grow by half per panel, stay within half the distance to
 * the peak, to the turn of the factor and to log(a/B) (where the peak is
 * at the turn, a < 1, panels ten wide crossed the Beta shape: MBG/NBD
 * E[X(1e4)] of mbgnbd(r=683.78, alpha=0.0234, a=0.9546, b=0.0402) was
 * 2.8e-9 off), and within 4 / |d log f / ds|
 * (the integrand changes by at most about e^4 over a panel); each side
 * stops once the integrand is below e^-42 of the peak (on the left with
 * a < 1, only past the turn, since p^(a-1) rises up to it), or once it is
 * a pure exponential to double precision (p or 1 - p below e^-40, and
 * A p w too), adding the rest of the exponential tail in closed form.  NaN past BRACKET_QUAD_MAX_PANELS
 * panels.
 */
static double
BracketQuad(double A, double w, double a, double B, bool alive)
{
	BracketArg	g = {A, w, a, B, cj_lbeta(a, B), alive};
	double		sm = log(a / B),
				sig = sqrt(1.0 / a + 1.0 / B),
				sg = -log(A) - log(w),
				cand[6],
				best = -INFINITY,
				peak = sm,
				lmax,
				h0,
				sum = 0.0;
	int			i,
				side,
				panels = 0;

	cand[0] = sm;
	cand[1] = sm - sig;
	cand[2] = sm + sig;
	cand[3] = sg;
	cand[4] = fmin(sm, sg) - 1.0;
	/* the alive integrand peaks near p = a / (A w + a + B) */
	cand[5] = log(a) - log(A * w + B);
	for (i = 0; i < (alive ? 6 : 5); i++)
	{
		double		l = BracketLogIntegrand(cand[i], &g, NULL);

		if (l > best)
		{
			best = l;
			peak = cand[i];
		}
	}
	lmax = best;
	h0 = 0.5 * fmin(sig, 1.0);
	for (side = -1; side <= 1; side += 2)
	{
		double		s = peak,
					h = h0,
					slope;

		(void) BracketLogIntegrand(s, &g, &slope);
		for (;;)
		{
			double		lim = fmax(h0, 0.5 * fmin(fmin(fabs(s - peak), fabs(s - sg)),
												  fabs(s - sm))),
						step = fmin(fmin(h, lim), 4.0 / slope),
						next = s + side * step,
						l;

			sum += cj_quad_gl(BracketIntegrand, &g, fmin(s, next), fmax(s, next), 1);
			s = next;
			h *= 1.5;
			l = BracketLogIntegrand(s, &g, &slope);
			if ((l < lmax - 42.0 &&
				 (side > 0 || a >= 1.0 || alive || s < sg - 5.0)) ||
				(side < 0 && s < fmin(sg, 0.0) - 40.0) || (side > 0 && s > 40.0))
			{
				/*
				 * The rest of an exponential tail.  Past s = 40 on the
				 * right its rate is B: the integrand is q^B times factors
				 * constant to e^-40 (p^(a-1), the purchase factor), and
				 * although the local slope there, (a-1) q - B p + ...,
				 * can be far from B when B is below e^-40 (b = 1e-20),
				 * the factors it comes from change the integral by
				 * e^-40 relative only (taking it as the rate made E[X(t)]
				 * of bgnbd(r=0.1, alpha=0.1, a=0.5, b=1e-20) fall with t).
				 * Elsewhere the local slope.
				 */
				sum += exp(l) / ((side > 0 && s > 40.0) ? g.B :
								 (side < 0 && s < fmin(sg, 0.0) - 40.0) ? g.a :
								 slope);
				break;
			}
			if (++panels > BRACKET_QUAD_MAX_PANELS || isnan(l))
				return NAN;
			if ((panels & 255) == 0)
				cj_check_interrupts();
		}
	}
	return sum;
}

/* K (see above) for A = r+x, w = t/(alpha+T), Beta(a, B = b+x+m) */
static double
CondBracket(double A, double w, double a, double B)
{
	double		k = NAN;

	if (A * w <= BRACKET_SERIES_MAX_AW && w <= 1e3)
		k = BracketSeries(A, w, a, B);
	if (isnan(k))
		k = BracketQuad(A, w, a, B, false);
	return k;
}

/* K = E[X(T, T+t) | x, t_x, T] / P(alive), a function of x, T and t */
double
cj_bg_conditional_part(const double *p, double x, double T, double t, int m)
{
	if (t == 0.0)
		return 0.0;
	return CondBracket(p[0] + x, t / (p[1] + T), p[2], p[3] + x + m);
}

/* E[X(T, T+t) | x, t_x, T] */
double
cj_bg_conditional(const double *p, const double *v, double t, int m)
{
	if (t == 0.0)
		return 0.0;
	return cj_bg_conditional_part(p, v[0], v[2], t, m) * cj_bg_p_alive(p, v, m);
}

/* E[X(t)] for a new customer: the conditional at x = t_x = T = 0 */
double
cj_bg_expected(const double *p, double t, int m)
{
	double		v[3] = {0.0, 0.0, 0.0};

	return cj_bg_conditional(p, v, t, m);
}

/*
 * Window quantities (the conditional PMF, P(no purchase), P(alive at
 * T+t)).  A customer alive at T has the posterior lambda ~ Gamma(r+x,
 * alpha+T) and p ~ Beta(a, b+x+m), independent (the likelihood of an alive
 * customer is lambda^x e^(-lambda T) (1-p)^(x+m)), and from T on behaves
 * as a new BG/NBD customer with parameters (r+x, alpha+T, a, b+x+m): the
 * dropout after the first purchase (MBG/NBD's m) is in the past.  So with
 * q = 1 - P(alive) (the sigmoid of the log-odds z above, to full relative
 * precision):
 *   P(X(T, T+t) = n | x, t_x, T) = [n = 0] q + P(alive) P'(X(t) = n)
 * where P' is FHL eq. 8 at the posterior parameters (cj_bg_prob_n with
 * m = 0).  This is the route of Fader and Hardie's note "Deriving the
 * Conditional PMF of the Pareto/NBD Model" (2014, brucehardie.com note
 * 028) applied to the BG/NBD: the mixture of "dead at T" (no purchase)
 * and an alive customer's unconditional PMF under the posterior; its
 * n = 0 value q + P(alive) ((alpha+T)/(alpha+T+t))^(r+x) is the
 * probability of no purchase.  Summing n P(...) gives FHL eq. 10 (the
 * identity the tests check).
 *
 * Alive at T+t: alive at T and none of the purchases in (T, T+t] followed
 * by a dropout.  Given lambda and p, E[(1-p)^N(t)] = e^(-lambda p t); over
 * lambda, (1 + p w)^-(r+x) with w = t/(alpha+T); over p,
 *   P(alive at T+t | ...) = P(alive) E_p[(1 + p w)^-A]
 *                         = P(alive) 2F1(A, a; a+B; -w),
 * A = r+x, B = b+x+m (Euler's integral).  Pfaff's transformation makes it
 * the positive series sum_k P(N = k) (B)_k / (a+B)_k, N ~ NBD(A, w/(1+w))
 * (AliveAtSeries), summed while A w is moderate, as the conditional
 * expectation's series is; otherwise the Beta average is integrated in
 * logit(p) like that bracket (BracketQuad with alive set).
 */

/*
 * E_p[(1 + p w)^-A] by the positive series; NaN when it does not converge.
 * The term P(N = k) (B)_k / (a+B)_k is carried as one product: kept apart,
 * the NBD factor alone overflowed (to e^1000 for A = 3831, w = 0.31) while
 * the moment factor underflowed, and the sum came back infinite, which the
 * caller's clamp turned into a factor of 1 (P(alive at T+t) equal to
 * P(alive), where it is below 1e-300; found by the 40-digit window grid).
 */
static double
AliveAtSeries(double A, double w, double a, double B)
{
	const double big = 0x1.0p600;
	double		z = w / (1.0 + w),
				lscale = -A * log1p(w),
				term = 1.0,
				s = 1.0;
	int			k;

	for (k = 1; k <= BRACKET_SERIES_MAX_TERMS; k++)
	{
		term *= (A + (k - 1)) * z / k * ((B + (k - 1)) / ((a + B) + (k - 1)));
		s += term;
		if (s > big)
		{
			s /= big;
			term /= big;
			lscale += 600.0 * M_LN2;
		}
		if (term <= 1e-17 * s && k > A * w)
			return exp(lscale + log(s));
	}
	return NAN;
}

/* P(alive at T+t | alive at T) = E_p[(1 + p w)^-A], p ~ Beta(a, B) */
static double
AliveAtFactor(double A, double w, double a, double B)
{
	double		k = NAN;

	if (w == 0.0)
		return 1.0;
	if (A * w <= BRACKET_SERIES_MAX_AW && w <= 1e3)
		k = AliveAtSeries(A, w, a, B);
	if (!isfinite(k))
		k = BracketQuad(A, w, a, B, true);
	return (k > 1.0) ? 1.0 : k;
}

/* P(alive at T+t | x, t_x, T) (see above); P(alive) at t = 0 */
double
cj_bg_p_alive_at(const double *p, const double *v, double t, int m)
{
	double		pa = cj_bg_p_alive(p, v, m);

	if (t == 0.0 || pa == 0.0)
		return pa;
	return pa * AliveAtFactor(p[0] + v[0], t / (p[1] + v[2]), p[2],
							  p[3] + v[0] + m);
}

/*
 * P(X(T, T+t) = n | alive at T, x, T): the new-customer PMF at the
 * posterior (r+x, alpha+T, a, b+x+m); at n = 0
 * ((alpha+T)/(alpha+T+t))^(r+x)
 */
double
cj_bg_window_part(const double *p, double x, double T, double n, double t,
				  int m)
{
	double		post[4] = {p[0] + x, p[1] + T, p[2], p[3] + x + m};

	if (n == 0.0)
		return exp(-post[0] * log1p(t / post[1]));
	return cj_bg_prob_n(post, n, t, 0);
}

/*
 * [n = 0] P(dead) + P(alive) part, both from the dropout logit of the
 * history (see above)
 */
double
cj_bg_window_combine(const double *p, const double *v, double n, double part,
					 int m)
{
	double		z = BgDropoutLogit(p, v, m),
				pa = BgSigmoidNeg(z),
				q = BgSigmoidNeg(-z),
				f = 0.0;

	if (isnan(pa))				/* an error, never 0 */
		return NAN;
	if (pa > 0.0)
		f = pa * part;
	return (n == 0.0) ? q + f : f;
}

/* P(X(T, T+t) = n | x, t_x, T) (see above) */
double
cj_bg_window_pmf(const double *p, const double *v, double n, double t, int m)
{
	if (t == 0.0)
		return (n == 0.0) ? 1.0 : 0.0;
	return cj_bg_window_combine(p, v, n,
								cj_bg_window_part(p, v[0], v[2], n, t, m), m);
}

/*
 * log P(N(t) = n) for the NBD: lgamma(r+n) - lgamma(r) - lgamma(n+1)
 * + r log(alpha/(alpha+t)) + n log(t/(alpha+t)).  The log ratios are taken
 * as log1p(t/alpha) and log(t/(alpha+t)), not as differences of logs,
 * which lose 1e-15 absolute each: times r + x = 1e5 that was 1e-10 of
 * the PMF at a heavy buyer's posterior.  The differences remain where a
 * quotient over- or underflows.
 */
double
cj_nbd_log_pmf(double r, double alpha, double n, double t)
{
	double		q = t / alpha,
				y = t / (alpha + t),
				l = cj_lgamma_ratio(r, n) - cj_lgamma(n + 1.0);

	l -= r * (isfinite(q) ? log1p(q) : log(alpha + t) - log(alpha));
	if (n > 0)
		l += n * ((y >= DBL_MIN) ? log(y) : log(t) - log(alpha + t));
	return l;
}

/*
 * log of the continued fraction part of the regularized incomplete beta
 * function I_x(a, b) (modified Lentz; Numerical Recipes' betacf), y = 1 - x
 * given separately so that it keeps its digits:
 *   I_x(a, b) = x^a y^b / (a B(a, b)) * cf(a, b, x),
 * converging in O(sqrt(max(a, b))) steps for x < (a+1)/(a+b+2).
 * NaN if it has not converged after NBD_CF_MAX_ITER steps.
 */
#define NBD_CF_MAX_ITER 10000000

static double
LogIncBetaCf(double a, double b, double x, double y)
{
	const double tiny = 1e-300;
	double		qab = a + b,
				qap = a + 1.0,
				qam = a - 1.0,
				c = 1.0,
				d = 1.0 - qab * x / qap,
				h;
	long		m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= NBD_CF_MAX_ITER; m++)
	{
		double		m2 = 2.0 * m,
					aa = m * (b - m) * x / ((qam + m2) * (a + m2)),
					del;

		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-16)
			return a * log(x) + b * log(y) - log(a) - cj_lbeta(a, b) + log(h);
		if ((m & 16383) == 0)
			cj_check_interrupts();
	}
	return NAN;
}

/*
 * log P(N(t) >= n) for the NBD: the regularized incomplete beta function
 * I_z(n, r), z = t/(alpha+t) (the NBD tail is the beta distribution
 * function of the gamma-Poisson mixture), by its continued fraction, or
 * 1 - I_{1-z}(r, n) where that one converges faster.  The old head sum
 * took n steps (minutes for n = 2^31) and lost digits when the tail
 * decayed slowly.  The complement is used only while I_{1-z}(r, n) <= 1/2:
 * above, 1 - I cancels (with r ~ 0.002 and n ~ 1e4, I ~ 0.997 and the
 * tail lost 4e-9 relative, found by the 40-digit grid), and the fraction
 * of I_z(n, r) itself, slower there (hundreds of steps) but exact, is
 * taken instead.
 */
double
cj_nbd_log_tail(double r, double alpha, double n, double t)
{
	double		z = t / (alpha + t),
				y = alpha / (alpha + t),
				lc,
				d;

	if (n <= 0)
		return 0.0;
	if (t == 0.0)
		return -INFINITY;
	if (z < (n + 1.0) / (n + r + 2.0))
		return LogIncBetaCf(n, r, z, y);
	lc = LogIncBetaCf(r, n, y, z);
	if (!(lc > -M_LN2))
		return log1p(-exp(lc));
	d = LogIncBetaCf(n, r, z, y);
	return isnan(d) ? log1p(-exp(lc)) : d;
}

/*
 * P(X(t) = n) (FHL eq. 8 with the shift):
 *   B(a, b+n+m)/B(a,b) NBD(n) + D B(a+1, b+n+m-1)/B(a,b) P(NBD >= n)
 */
double
cj_bg_prob_n(const double *p, double n, double t, int m)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3],
				l1,
				l2;

	l1 = cj_lbeta_ratio(a, b, 0.0, n + m) + cj_nbd_log_pmf(r, alpha, n, t);
	if (n == 0 && m == 0)
		return exp(l1);
	l2 = cj_lbeta_ratio(a, b, 1.0, n + m - 1.0) +
		cj_nbd_log_tail(r, alpha, n, t);
	return exp(cj_logaddexp(l1, l2));
}

/*
 * One simulated customer: lambda ~ Gamma(r, alpha), p ~ Beta(a, b);
 * Poisson purchases after time 0, dropout with probability p right after
 * each repeat purchase (and, for MBG/NBD, after the first at time 0).
 */
void
cj_bg_simulate(const double *p, double T, CjRng *rng, double *v, int m)
{
	double		lambda = cj_rng_gamma(rng, p[0], p[1]),
				drop = cj_rng_beta(rng, p[2], p[3]),
				t = 0.0;

	v[0] = 0.0;
	v[1] = 0.0;
	v[2] = T;
	if (m == 1 && cj_rng_uniform(rng) < drop)
		return;
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
		if (t > T)
			break;
		v[0] += 1.0;
		v[1] = t;
		if (cj_rng_uniform(rng) < drop)
			break;
		if (cj_unlikely(((int64_t) v[0] & 0xffff) == 0))
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

/* BG/NBD family table */
static const char *const ParamNames[] = {"r", "alpha", "a", "b"};
static const char *const DataNames[] = {"x", "t_x", "T"};

static bool
CheckParams(const double *p, CjError *err)
{
	return cj_family_positive_params(&cj_family_bgnbd, p, err);
}

static double
Loglik(const CjData *d, const double *p, double *grad)
{
	return cj_bg_loglik(d, p, grad, 0);
}

static double
Expected(const double *p, double t)
{
	return cj_bg_expected(p, t, 0);
}

static double
Conditional(const double *p, const double *v, double t)
{
	return cj_bg_conditional(p, v, t, 0);
}

static double
ConditionalPart(const double *p, double x, double T, double t)
{
	return cj_bg_conditional_part(p, x, T, t, 0);
}

static double
PAlive(const double *p, const double *v)
{
	return cj_bg_p_alive(p, v, 0);
}

static double
ProbN(const double *p, double n, double t)
{
	return cj_bg_prob_n(p, n, t, 0);
}

static double
WindowPmf(const double *p, const double *v, double n, double t)
{
	return cj_bg_window_pmf(p, v, n, t, 0);
}

static double
WindowPart(const double *p, double x, double T, double n, double t)
{
	return cj_bg_window_part(p, x, T, n, t, 0);
}

static double
WindowCombine(const double *p, const double *v, double n, double part)
{
	return cj_bg_window_combine(p, v, n, part, 0);
}

static double
PAliveAt(const double *p, const double *v, double t)
{
	return cj_bg_p_alive_at(p, v, t, 0);
}

static void
Simulate(const double *p, double T, CjRng *rng, double *v)
{
	cj_bg_simulate(p, T, rng, v, 0);
}

/* A typical parameter vector: Fader, Hardie and Lee (2005), CDNOW sample, weeks */
static const double Example[] = {0.2426, 4.4135, 0.7929, 2.4257};

/*
 * A customer's parameters under time-invariant covariates (CLVTools,
 * bgnbd_staticcov_alpha_i / _a_i / _b_i; Fader and Hardie 2007, note
 * 019): alpha_i = alpha0 exp(-eta_trans), a_i = a0 exp(eta_life),
 * b_i = b0 exp(eta_life).
 */
static void
BgnbdCovariateParams(const double *p, double eta_trans, double eta_life,
					 double *q)
{
	double		e = exp(eta_life);

	q[0] = p[0];
	q[1] = p[1] * exp(-eta_trans);
	q[2] = p[2] * e;
	q[3] = p[3] * e;
}

const CjFamily cj_family_bgnbd = {
	.id = CJ_FAMILY_BGNBD,
	.name = "bgnbd",
	.example = Example,
	.title = "BG/NBD",
	.kind = CJ_KIND_PURCHASE,
	.nparams = 4,
	.param_names = ParamNames,
	.ndata = 3,
	.data_names = DataNames,
	.check_data = cj_bg_check_data,
	.check_params = CheckParams,
	.check_fit = cj_bg_check_fit,
	.loglik = Loglik,
	.start = cj_bg_start,
	.expected = Expected,
	.conditional = Conditional,
	.conditional_part = ConditionalPart,
	.p_alive = PAlive,
	.prob_n = ProbN,
	.simulate = Simulate,
	.window_pmf = WindowPmf,
	.window_part = WindowPart,
	.window_combine = WindowCombine,
	.p_alive_at = PAliveAt,
	.covariate_params = BgnbdCovariateParams,
};
