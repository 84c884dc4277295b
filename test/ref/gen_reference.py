#!/usr/bin/python3
"""
gen_reference.py: independent high-precision reference values for the
differential test of custjourney's maths (test/t/082_differential.pl).

Every family (bgnbd, mbgnbd, pnbd, bgbb, sbg, gg) and every score it
defines is evaluated at 40 significant digits with mpmath on a seeded
log-uniform grid (parameters in [1e-3, 1e4], t and T in [1e-3, 1e4], counts
up to 1e5, the corners of the parameter box included).  The formulas are
written from the papers and from the models' definitions, not from the C
code:

  BG/NBD   Fader, Hardie and Lee (2005), "Counting your customers the easy
           way", Marketing Science 24(2), eq. 7, 8, 10 and the 2008 note
           on P(alive).
  MBG/NBD  Batislam, Denizel and Filiztekin (2007), IJRM 24(3).
  Pareto/NBD  Schmittlein, Morrison and Colombo (1987); Fader and Hardie,
           "A note on deriving the Pareto/NBD model and related
           expressions" (2005); Fader, Hardie and Lee (2005), "RFM and
           CLV", JMR 42(4) (DERT).
  BG/BB    Fader, Hardie and Shang (2010), Marketing Science 29(6).
  sBG      Fader and Hardie (2007), J. Interactive Marketing 21(1), and
           (2010) 24(1) for DEL and DERL.
  Gamma-Gamma  Fader and Hardie (2013), "The Gamma-Gamma model of
           monetary value".

A reference value is written only when two independent evaluations agree
to REL_AGREE (1e-20): the closed form (mpmath's hyp2f1, beta, hyperu ...)
and a second route (a quadrature of an integral representation taken from
the model's definition, or a direct series).  mpmath's hyp2f1 is wrong in
places (2F1(107.6, 3531; 5965.3; 0.845) comes back negative), so one
evaluation alone is never trusted; points where the two disagree are
dropped and counted (printed at the end and kept in the CSV header).

Output: CSV with columns
  family,score,model,spend_model,a1,a2,a3,a4,a5,a6,ref
where ref is the reference value (20 significant digits), 'inf' for a
value that is infinite or outside the double range (the extension must
raise 22003), and a1..a6 are the score's arguments after the model (empty
when unused).  Scores and their arguments:
  expected      t                       cj_expected_purchases(m, t)
  conditional   x, t_x, T, t            cj_conditional_purchases
  p_alive       x, t_x, T               cj_p_alive
  prob          n, t                    cj_prob_purchases(m, n, t)
  clv           x, t_x, T, mspend, periods, period_length (rate in a6? no:)
                see CLV below
  spend         x, m                    cj_expected_spend
  dert          x, t_x, T, delta        cj_dert
  retention     period                  cj_retention
  survival      period                  cj_survival
  del           d                       cj_del
  derl          n, d                    cj_derl
  prob_none     x, t_x, T, t            cj_prob_no_purchase (--windows)
  cond_prob     n, x, t_x, T, t         cj_conditional_prob_purchases
  p_alive_at    x, t_x, T, t            cj_p_alive_at
CLV rows: a1..a3 = x, t_x, T; a4 = m (mean spend); a5 = periods;
a6 = "period_length:discount_rate".

Window quantities (--windows: only these rows, from their own seeded
streams, so that they can be appended to an existing CSV without changing
its other rows): a customer alive at T is a new customer of the family at
the posterior parameters, so
  P(X(T, T+t) = n | history) = [n = 0] (1 - P(alive)) + P(alive) P'(X(t) = n)
with P' the unconditional PMF (bg_prob, pnbd_prob, bgbb_prob, each
cross-checked by two routes) at (r+x, alpha+T, a, b+x+m), (r+x, alpha+T,
s, beta+T), (alpha+x, beta+n-x, gamma, delta+n) (Fader and Hardie,
"Deriving the Conditional PMF of the Pareto/NBD Model", 2014, and the same
argument for the others), and P(alive) from two routes.  P(alive at T+t):
BG/NBD P(alive) 2F1(r+x, a; a+b+x+m; -t/(alpha+T)) (mpmath) against the
positive series sum_k P(N = k) (B)_k / (a+B)_k or a Beta quadrature;
Pareto/NBD P(alive) ((beta+T)/(beta+T+t))^s; BG/BB the likelihood's alive
term at n+t+1 over L, against the same by term ratios.

Usage: gen_reference.py [--points N] [--seed S] [--jobs J] [--family F]
                        [--windows] [--out FILE]
Needs Debian's python3-mpmath (run with /usr/bin/python3).
"""

import argparse
import math
import multiprocessing
import random
import signal
import sys

import mpmath
from mpmath import mp, mpf

REL_AGREE = mpf('1e-20')
DPS = 40            # digits of the reference values
DPS_CLOSED = 60     # working digits of the closed forms (they cancel)
DPS_QUAD = 34       # working digits of the quadratures
LO, HI = 1e-3, 1e4
DBL_MAX = mpf('1.7976931348623157e308')


class TimeLimit(Exception):
    """One evaluation took longer than TIME_LIMIT seconds: dropped."""


def on_alarm(signum, frame):
    raise TimeLimit()


TIME_LIMIT = 8


class Disagree(Exception):
    """The two evaluations of a value disagree: the point is dropped."""


def agree(a, b, what):
    """The common value of two evaluations, or Disagree."""
    if a == b:
        return a
    if mpmath.isinf(a) or mpmath.isinf(b) or mpmath.isnan(a) or mpmath.isnan(b):
        raise Disagree(what)
    if abs(a - b) <= REL_AGREE * max(abs(a), abs(b)):
        return (a + b) / 2
    raise Disagree('%s: %s vs %s' % (what, mpmath.nstr(a, 25), mpmath.nstr(b, 25)))


def quad(f, pts, what):
    """Tanh-sinh quadrature over the break points pts, with error check."""
    with mp.workdps(DPS_QUAD):
        v, err = mpmath.quad(f, pts, error=True, maxdegree=8)
        if not (abs(err) <= mpf('1e-26') * abs(v) or v == 0):
            raise Disagree('%s: quadrature error %s of %s' % (what, err, v))
        return +v


def hyp2f1(a, b, c, z):
    with mp.workdps(DPS_CLOSED):
        return mpmath.hyp2f1(a, b, c, z, maxterms=10 ** 6)


# ---------------------------------------------------------------------------
# Beta-mixed dropout integral shared by BG/NBD and MBG/NBD.
#
# A customer alive now, with purchase rate lambda ~ Gamma(A, scale D) and
# dropout probability p ~ Beta(a, B) after each purchase, makes in the next
# t time units (Poisson purchases, each followed by a coin flip)
#   E[X | lambda, p] = (1 - exp(-lambda p t)) / p
# purchases; mixing over lambda gives (1 - (1 + p w)^-A) / p with
# w = t / D, and mixing over p
#   I(A, w; a, B) = int_0^1 (1 - (1 + p w)^-A) / p  Beta(p; a, B) dp,
# a positive average of a bounded function (no cancellation).  The
# integral is split at p = 1/2 and taken in y = -log p (left) and
# v = -log(1 - p) (right) so that Beta densities with a or B far below 1
# (mass spread over hundreds of decades) are resolved; the far tails,
# where the integrand is a pure exponential to 50 digits, are added in
# closed form.
# ---------------------------------------------------------------------------
def bracket_series(A, w, a, B, maxterms):
    """I(A, w; a, B) as a series of positive terms, or None past maxterms.

    With N ~ NBD(A, z = w/(1+w)) purchases in the window if the customer
    never dropped out, X = (1 - (1-p)^N) / p = sum_{j<N} (1-p)^j, and
    E[(1-p)^j] = (B)_j / (a+B)_j under Beta(a, B), so
      I = sum_{k>=1} P(N = k) e_k,   e_k = sum_{j<k} (B)_j / (a+B)_j,
    P(N = k) = (1-z)^A (A)_k z^k / k!: every term is positive."""
    with mp.workdps(DPS_QUAD):
        z = w / (1 + w)
        pk = (1 / (1 + w)) ** A          # P(N = 0)
        mom = mpf(1)                     # (B)_j / (a+B)_j at j = k - 1
        e = mpf(0)
        s = mpf(0)
        for k in range(1, maxterms):
            pk *= (A + k - 1) * z / k
            e += mom
            mom *= (B + k - 1) / (a + B + k - 1)
            term = pk * e
            s += term
            if k > A * w and term < s * mpf('1e-36'):
                return s
        return None


def beta_mixed_I(A, w, a, B):
    with mp.workdps(DPS_QUAD + 6):
        A, w, a, B = mpf(A), mpf(w), mpf(a), mpf(B)
        lB = mpmath.log(mpmath.beta(a, B))
        Aw = A * w

        def f(s):
            # p = 1/(1+e^-s): g(p) p^a (1-p)^B / Beta(a, B), g = (1-(1+pw)^-A)/p
            lp = -mpmath.log1p(mpmath.exp(-s))
            lq = -mpmath.log1p(mpmath.exp(s))
            p = mpmath.exp(lp)
            num = -mpmath.expm1(-A * mpmath.log1p(p * w))
            return num * mpmath.exp((a - 1) * lp + B * lq - lB)

        sig = mpmath.sqrt(1 / a + 1 / B)
        sm = mpmath.log(a / B)
        sg = -mpmath.log(Aw)
        pad = 50 * mpmath.ln10 + mpmath.log(1 + a + B + Aw)
        SL = min(sm - 40 * sig, sg - 10) - pad
        SR = max(sm + 40 * sig, mpf(0)) + pad
        pts = {SL, SR}
        for k in (0, 1, 3, 10, 40):
            for sgn in (1, -1):
                pts.add(sm + sgn * k * sig)
        for k in (0, 6):
            pts.add(sg + k)
            pts.add(sg - k)
        for k in range(0, 14):
            pts.add(sm + 2 ** k)
            pts.add(sm - 2 ** k)
            pts.add(sg - 2 ** k)
        pts = sorted(q for q in pts if SL <= q <= SR)
        with mp.workdps(DPS_QUAD):
            val, err = mpmath.quad(f, pts, error=True, maxdegree=6)
        tails = (Aw * mpmath.exp(a * SL) / a +
                 -mpmath.expm1(-A * mpmath.log1p(w)) * mpmath.exp(-B * SR)) / mpmath.exp(lB)
        tot = val + tails
        if not abs(err) <= mpf('1e-24') * tot:
            raise Disagree('I quadrature error %s of %s' % (mpmath.nstr(err, 3), mpmath.nstr(tot, 5)))
        return tot


def bracket_indep(A, w, a, B):
    """I(A, w; a, B) by the positive series, or by quadrature when the
    series is long (A w large)."""
    if A * w < 8000:
        v = bracket_series(A, w, a, B, 30000)
        if v is not None:
            return v
    return beta_mixed_I(A, w, a, B)


# ---------------------------------------------------------------------------
# BG/NBD (m = 0) and MBG/NBD (m = 1)
# ---------------------------------------------------------------------------
def bg_p_alive(r, al, a, b, x, tx, T, m):
    """P(alive): FHL 2008 note form, and Bayes' rule from the likelihood parts."""
    with mp.workdps(DPS_CLOSED):
        if m == 0 and x == 0:
            return mpf(1), mpf(1)
        c1 = 1 / (1 + a / (b + x + m - 1) * ((al + T) / (al + tx)) ** (r + x))
        # Bayes: alive through T after x purchases (survived x+m coin flips),
        # or dropped out right after the last purchase at t_x
        lalive = mpmath.log(mpmath.beta(a, b + x + m)) - (r + x) * mpmath.log(al + T)
        ldead = mpmath.log(mpmath.beta(a + 1, b + x + m - 1)) - (r + x) * mpmath.log(al + tx)
        c2 = 1 / (1 + mpmath.exp(ldead - lalive))
        return c1, c2


def bg_cond_bracket_closed(r, al, a, b, x, T, t, m):
    """(a+b+x+m-1)/(a-1) [1 - ((al+T)/(al+T+t))^(r+x) 2F1(...)] (FHL eq. 10)"""
    with mp.workdps(DPS_CLOSED):
        c = a + b + x + m - 1
        z = t / (al + T + t)
        F = hyp2f1(r + x, b + x + m, c, z)
        return c / (a - 1) * (1 - ((al + T) / (al + T + t)) ** (r + x) * F)


def bg_conditional(r, al, a, b, x, tx, T, t, m):
    """E[X(T, T+t) | x, t_x, T]; x = t_x = T = 0 gives E[X(t)]."""
    pa1, pa2 = bg_p_alive(r, al, a, b, x, tx, T, m)
    pa = agree(pa1, pa2, 'p_alive')
    if t == 0:
        return mpf(0)
    e1 = bg_cond_bracket_closed(r, al, a, b, x, T, t, m)
    e2 = bracket_indep(r + x, t / (al + T), a, b + x + m)
    return pa * agree(e1, e2, 'conditional bracket')


def nbd_tail(r, al, n, t):
    """P(NBD(r, al; t) >= n): regularized incomplete beta, and its integral."""
    if n == 0:
        return mpf(1)
    with mp.workdps(DPS_CLOSED):
        z = t / (al + t)
        t1 = mpmath.betainc(n, r, 0, z, regularized=True)
        # int_0^z u^(n-1) (1-u)^(r-1) du / B(n, r), in log form
        lB = mpmath.log(mpmath.beta(n, r))

    def f(u):
        return mpmath.exp((n - 1) * mpmath.log(u) + (r - 1) * mpmath.log1p(-u) - lB)

    mode = (n - 1) / (n + r - 2) if n + r > 2 else mpf(0)
    sd = mpmath.sqrt(n * r / ((n + r) ** 2 * (n + r + 1)))
    pts = {mpf(0), z}
    for k in range(-12, 13):
        u = mode + k * sd
        if 0 < u < z:
            pts.add(u)
    t2 = quad(f, sorted(pts), 'nbd tail')
    return agree(t1, t2, 'nbd tail')


def bg_prob(r, al, a, b, n, t, m):
    """P(X(t) = n) (FHL eq. 8, Batislam et al. for m = 1)."""
    with mp.workdps(DPS_CLOSED):
        if t == 0:
            return mpf(1) if n == 0 else mpf(0)
        lB = mpmath.log(mpmath.beta(a, b))
        lnb = (mpmath.loggamma(r + n) - mpmath.loggamma(r) - mpmath.loggamma(n + 1)
               + r * mpmath.log(al / (al + t)) + n * mpmath.log(t / (al + t)))
        p1 = mpmath.exp(mpmath.log(mpmath.beta(a, b + n + m)) - lB + lnb)
        if n == 0 and m == 0:
            return p1
    tail = nbd_tail(r, al, n, t)
    with mp.workdps(DPS_CLOSED):
        p2 = mpmath.exp(mpmath.log(mpmath.beta(a + 1, b + n + m - 1)) - lB) * tail
        return p1 + p2


# ---------------------------------------------------------------------------
# Pareto/NBD
# ---------------------------------------------------------------------------
def pnbd_p_alive(r, al, s, be, x, tx, T):
    """Closed form with 2F1 (the note's eq. 18) and the likelihood integral."""
    if T == tx:
        return mpf(1)
    with mp.workdps(DPS_CLOSED):
        rx = r + x
        a1 = rx + s

        def G(t):
            # int_t^inf (al+u)^-(r+x) (be+u)^-(s+1) du
            if al >= be:
                return (al + t) ** (-a1) / a1 * hyp2f1(a1, s + 1, a1 + 1, (al - be) / (al + t))
            return (be + t) ** (-a1) / a1 * hyp2f1(a1, rx, a1 + 1, (be - al) / (be + t))

        L1 = (al + T) ** (-rx) * (be + T) ** (-s)
        L2 = s * (G(tx) - G(T))
        c1 = L1 / (L1 + L2)

    # L2 / L1 = s int_tx^T ((al+T)/(al+u))^(r+x) ((be+T)/(be+u))^s / (be+u) du
    def f(u):
        return mpmath.exp(rx * mpmath.log((al + T) / (al + u)) +
                          s * mpmath.log((be + T) / (be + u))) / (be + u)

    pts = [tx + (T - tx) * k / 8 for k in range(9)]
    # grade towards tx where the integrand is largest
    extra = [tx + (T - tx) * mpf(10) ** (-k) for k in range(1, 12)]
    pts = sorted(set(pts + extra))
    with mp.workdps(DPS_QUAD):
        J = quad(f, pts, 'pnbd alive integral')
        c2 = 1 / (1 + s * J)
    return agree(c1, c2, 'pnbd p_alive')


def pnbd_exposure(s, be, t):
    """int_0^t (be/(be+u))^s du: closed form and quadrature."""
    with mp.workdps(DPS_CLOSED):
        if s == 1:
            c1 = be * mpmath.log1p(t / be)
        else:
            c1 = be / (s - 1) * (1 - (be / (be + t)) ** (s - 1))
    pts = sorted(set([t * k / 8 for k in range(9)] + [t * mpf(10) ** (-k) for k in range(1, 10)]))
    c2 = quad(lambda u: (be / (be + u)) ** s, pts, 'pnbd exposure')
    return agree(c1, c2, 'pnbd exposure')


def pnbd_conditional(r, al, s, be, x, tx, T, t):
    pa = pnbd_p_alive(r, al, s, be, x, tx, T)
    return pa * (r + x) / (al + T) * pnbd_exposure(s, be + T, t)


def pnbd_expected(r, al, s, be, t):
    return r / al * pnbd_exposure(s, be, t)


def pnbd_prob(r, al, s, be, n, t):
    """P(X(t) = n): alive throughout, or dying at tau < t (model definition).

    The integral over tau is taken twice: tanh-sinh in tau and Gauss-Legendre
    in u = tau / (al + tau)."""
    with mp.workdps(DPS_CLOSED):
        if t == 0:
            return mpf(1) if n == 0 else mpf(0)
        lc = mpmath.loggamma(r + n) - mpmath.loggamma(r) - mpmath.loggamma(n + 1)

        def lnb(tau):
            return lc + r * mpmath.log(al / (al + tau)) + n * mpmath.log(tau / (al + tau))

        alive = mpmath.exp(lnb(t) + s * mpmath.log(be / (be + t)))
        lref = lnb(t)

    def f_tau(tau):
        if tau == 0:
            return mpf(0) if n > 0 else s / be * mpmath.exp(lc - lref)
        return mpmath.exp(lnb(tau) - lref + mpmath.log(s) + s * mpmath.log(be)
                          - (s + 1) * mpmath.log(be + tau))

    # tau^n (al+tau)^-(r+n): increasing until tau ~ n al / r
    pts = sorted(set([t * k / 16 for k in range(17)] +
                     [t * mpf(10) ** (-k) for k in range(1, 20)]))
    d1 = quad(f_tau, pts, 'pnbd prob tau')
    U = t / (al + t)

    def f_u(u):
        tau = al * u / (1 - u)
        return f_tau(tau) * al / (1 - u) ** 2

    upts = sorted(set([U * k / 16 for k in range(17)] + [U * mpf(10) ** (-k) for k in range(1, 20)]))
    with mp.workdps(DPS_QUAD):
        d2 = mpmath.quad(f_u, upts, method='gauss-legendre', maxdegree=8)
    dying = agree(d1, d2, 'pnbd prob integral') * mpmath.exp(lref)
    return alive + dying


def pnbd_dert(r, al, s, be, x, tx, T, delta):
    """DERT (FHL 2005 RFM/CLV eq. 2): Tricomi U form, and P(alive) times the
    discounted residual exposure integral."""
    pa = pnbd_p_alive(r, al, s, be, x, tx, T)
    with mp.workdps(DPS_CLOSED):
        z = delta * (be + T)
        D1 = z ** s * mpmath.hyperu(s, s, z)          # int_0^inf e^-dv ((be+T)/(be+T+v))^s dv * delta

    def f(v):
        return mpmath.exp(-delta * v) * ((be + T) / (be + T + v)) ** s

    scale = 1 / delta
    pts = sorted(set([0] + [scale * k for k in (0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128)] +
                     [be + T] + [mpmath.inf]))
    D2 = quad(f, pts, 'pnbd dert') * delta
    return pa * (r + x) / (al + T) * agree(D1, D2, 'pnbd dert discount') / delta


# ---------------------------------------------------------------------------
# BG/BB (Fader, Hardie and Shang 2010)
# ---------------------------------------------------------------------------
def lbeta(a, b):
    return mpmath.log(mpmath.beta(a, b))


def bgbb_lik_terms(al, be, ga, de, x, tx, n, by_ratio):
    """L = alive-part + sum of dropout parts (FHS eq. 5); by_ratio chooses the
    evaluation: term ratios (one route) or beta functions per term (other)."""
    with mp.workdps(DPS_CLOSED):
        lab, lgd = lbeta(al, be), lbeta(ga, de)
        alive = mpmath.exp(lbeta(al + x, be + n - x) - lab + lbeta(ga, de + n) - lgd)
        K = int(n - tx)
        s = mpf(0)
        if K > 0:
            if by_ratio:
                term = mpmath.exp(lbeta(al + x, be + tx - x) - lab + lbeta(ga + 1, de + tx) - lgd)
                for i in range(K):
                    s += term
                    term *= (be + tx - x + i) / (al + be + tx + i) * (de + tx + i) / (ga + 1 + de + tx + i)
            else:
                for i in range(K):
                    s += mpmath.exp(lbeta(al + x, be + tx - x + i) - lab +
                                    lbeta(ga + 1, de + tx + i) - lgd)
        return alive, s


def bgbb_alive_sum(ga, de, n1, n2, direct):
    """sum_{j=n1+1}^{n2} B(ga, de+j)/B(ga, de) (P(alive at j)): FHS closed form
    or the direct sum."""
    with mp.workdps(DPS_CLOSED):
        if direct:
            s = mpf(0)
            term = mpmath.exp(lbeta(ga, de + n1 + 1) - lbeta(ga, de))
            for j in range(int(n1) + 1, int(n2) + 1):
                s += term
                term *= (de + j) / (ga + de + j)
            return s

        def R(k):
            return mpmath.exp(mpmath.loggamma(ga + de) + mpmath.loggamma(1 + de + k) -
                              mpmath.loggamma(ga + de + k) - mpmath.loggamma(1 + de))
        if ga == 1:
            return de * (mpmath.psi(0, 1 + de + n2) - mpmath.psi(0, 1 + de + n1))
        return de / (ga - 1) * (R(n1) - R(n2))


def bgbb_scores(al, be, ga, de, x, tx, n, t):
    """(p_alive, conditional(t), expected(t), prob P(X(n) = x))"""
    a1, s1 = bgbb_lik_terms(al, be, ga, de, x, tx, n, True)
    a2, s2 = bgbb_lik_terms(al, be, ga, de, x, tx, n, False)
    L = agree(a1 + s1, a2 + s2, 'bgbb L')
    with mp.workdps(DPS_CLOSED):
        num = mpmath.exp(lbeta(al + x, be + n - x) - lbeta(al, be) +
                         lbeta(ga, de + n + 1) - lbeta(ga, de))
        palive = num / L
        A1 = bgbb_alive_sum(ga, de, n, n + t, False)
        A2 = bgbb_alive_sum(ga, de, n, n + t, True) if t <= 20000 else A1
        A = agree(A1, A2, 'bgbb alive sum')
        cond = mpmath.exp(lbeta(al + x + 1, be + n - x) - lbeta(al, be)) * A / L
        E1 = bgbb_alive_sum(ga, de, 0, t, False)
        E2 = bgbb_alive_sum(ga, de, 0, t, True) if t <= 20000 else E1
        expected = al / (al + be) * agree(E1, E2, 'bgbb expected')
    return palive, cond, expected


def bgbb_prob(al, be, ga, de, x, n):
    """P(X(n) = x) (FHS eq. 7), two evaluation routes."""
    res = []
    for by_ratio in (True, False):
        with mp.workdps(DPS_CLOSED):
            lab, lgd = lbeta(al, be), lbeta(ga, de)
            p = mpmath.exp(mpmath.log(mpmath.binomial(n, x)) + lbeta(al + x, be + n - x) - lab +
                           lbeta(ga, de + n) - lgd)
            if by_ratio:
                if x < n:
                    term = mpmath.exp(lbeta(al + x, be) - lab + lbeta(ga + 1, de + x) - lgd)
                    for i in range(int(x), int(n)):
                        p += term
                        # C(i+1,x)/C(i,x) = (i+1)/(i+1-x)
                        term *= (mpf(i + 1) / (i + 1 - x) * (be + i - x) / (al + be + i) *
                                 (de + i) / (ga + 1 + de + i))
            else:
                for i in range(int(x), int(n)):
                    p += mpmath.exp(mpmath.log(mpmath.binomial(i, x)) + lbeta(al + x, be + i - x) - lab +
                                    lbeta(ga + 1, de + i) - lgd)
            res.append(p)
    return agree(res[0], res[1], 'bgbb prob')


# ---------------------------------------------------------------------------
# sBG (Fader and Hardie 2007, 2010)
# ---------------------------------------------------------------------------
def sbg_survival(al, be, t):
    with mp.workdps(DPS_CLOSED):
        s1 = mpmath.exp(lbeta(al, be + t) - lbeta(al, be))
        if t <= 20000:
            s2 = mpf(1)
            for i in range(1, int(t) + 1):
                s2 *= (be + i - 1) / (al + be + i - 1)
        else:
            s2 = mpmath.exp(mpmath.loggamma(be + t) - mpmath.loggamma(be) -
                            mpmath.loggamma(al + be + t) + mpmath.loggamma(al + be))
    return agree(s1, s2, 'sbg survival')


def sbg_retention(al, be, t):
    with mp.workdps(DPS_CLOSED):
        r1 = (be + t - 1) / (al + be + t - 1)
        r2 = mpmath.exp(lbeta(al, be + t) - lbeta(al, be + t - 1))
    return agree(r1, r2, 'sbg retention')


def sbg_del(al, be, d):
    """DEL = 2F1(1, be; al+be; 1/(1+d)) = E[(1+d)/(d+theta)], theta ~ Beta(al, be)"""
    if d == 0:
        if al <= 1:
            return mpmath.inf
        return (al + be - 1) / (al - 1)
    c1 = hyp2f1(1, be, al + be, 1 / (1 + d))
    with mp.workdps(DPS_QUAD + 10):
        lB = lbeta(al, be)

        # theta = e^-y on (0, 1/2], 1 - theta = e^-v on [1/2, 1)
        def left(y):
            th = mpmath.exp(-y)
            return (1 + d) / (d + th) * mpmath.exp(-al * y + (be - 1) * mpmath.log1p(-th) - lB)

        def right(v):
            th = -mpmath.expm1(-v)
            return (1 + d) / (d + th) * mpmath.exp((al - 1) * mpmath.log(th) - be * v - lB)

        tiny = 50 * mpmath.ln10
        Y0 = tiny + mpmath.log(1 + be + 1 / d)
        V0 = tiny + mpmath.log(1 + al)
        ptsL = sorted(set([mpmath.ln2, Y0] + [mpmath.ln2 + 4 * k for k in range(int((Y0 - 1) / 4))] +
                          [mpmath.log((al + be) / al) + k for k in range(-8, 9)
                           if mpmath.ln2 < mpmath.log((al + be) / al) + k < Y0] +
                          [-mpmath.log(d) + k for k in range(-6, 7) if mpmath.ln2 < -mpmath.log(d) + k < Y0]))
        ptsR = sorted(set([mpmath.ln2, V0] + [mpmath.ln2 + 4 * k for k in range(int((V0 - 1) / 4))] +
                          [mpmath.log((al + be) / be) + k for k in range(-8, 9)
                           if mpmath.ln2 < mpmath.log((al + be) / be) + k < V0]))
        tailL = (1 + d) / d * mpmath.exp(-al * Y0 - lB) / al
        tailR = mpmath.exp(-be * V0 - lB) / be
        c2 = quad(left, ptsL, 'sbg del L') + tailL + quad(right, ptsR, 'sbg del R') + tailR
    return agree(c1, c2, 'sbg del')


def sbg_derl(al, be, n, d):
    """DERL = (be+n)/(al+be+n) DEL(al, be+n+1) (FH 2010)"""
    with mp.workdps(DPS_CLOSED):
        return (be + n) / (al + be + n) * sbg_del(al, be + n + 1, d)


# ---------------------------------------------------------------------------
# Gamma-Gamma
# ---------------------------------------------------------------------------
def gg_spend(p, q, g, x, m):
    """E[M | x, m] = p E[1/nu | x, m], nu | data ~ Gamma(q + p x, g + x m)"""
    with mp.workdps(DPS_CLOSED):
        if q + p * x <= 1:
            return mpmath.inf
        c1 = p * (g + x * m) / (p * x + q - 1)
        # E[1/nu] for nu ~ Gamma(k, rate th) as a ratio of gamma functions
        k, th = q + p * x, g + x * m
        c2 = p * th * mpmath.exp(mpmath.loggamma(k - 1) - mpmath.loggamma(k))
    return agree(c1, c2, 'gg spend')


# ---------------------------------------------------------------------------
# The grid
# ---------------------------------------------------------------------------
# ---------------------------------------------------------------------------
# Window quantities (--windows)
# ---------------------------------------------------------------------------
def alive_factor_series(A, w, a, B, maxterms):
    """E_p[(1 + p w)^-A], p ~ Beta(a, B), as sum_k P(N = k) (B)_k/(a+B)_k
    (N ~ NBD(A, w/(1+w))); None past maxterms."""
    with mp.workdps(DPS_QUAD):
        z = w / (1 + w)
        pk = (1 / (1 + w)) ** A
        mom = mpf(1)
        s = pk
        for k in range(1, maxterms):
            pk *= (A + k - 1) * z / k
            mom *= (B + k - 1) / (a + B + k - 1)
            term = pk * mom
            s += term
            if k > A * w and term < s * mpf('1e-36'):
                return s
        return None


def alive_factor_quad(A, w, a, B):
    """The same Beta average by quadrature in s = logit(p)."""
    with mp.workdps(DPS_QUAD + 6):
        lB = mpmath.log(mpmath.beta(a, B))

        def f(s):
            lp = -mpmath.log1p(mpmath.exp(-s))
            lq = -mpmath.log1p(mpmath.exp(s))
            return mpmath.exp(-A * mpmath.log1p(mpmath.exp(lp) * w) + a * lp + B * lq - lB)
        sm = mpmath.log(a / B)
        sig = mpmath.sqrt(1 / a + 1 / B)
        sg = -mpmath.log(A * w)
        pad = 50 * mpmath.ln10 + mpmath.log(1 + a + B + A * w)
        SL = min(sm - 40 * sig, sg - 10) - pad
        SR = max(sm + 40 * sig, mpf(0)) + pad
        pts = {SL, SR}
        for k in range(0, 14):
            for c in (sm, sg):
                pts.add(c + 2 ** k)
                pts.add(c - 2 ** k)
        pts.add(sm)
        pts.add(sg)
        pts = sorted(q for q in pts if SL <= q <= SR)
        with mp.workdps(DPS_QUAD):
            val, err = mpmath.quad(f, pts, error=True, maxdegree=6)
        if not abs(err) <= mpf('1e-24') * val:
            raise Disagree('alive factor quadrature error %s' % mpmath.nstr(err, 3))
        return val


def bg_window(r, al, a, b, x, tx, T, t, n, m):
    """(P(X(T, T+t) = n | ...), P(alive at T+t | ...)) for BG/NBD, MBG/NBD."""
    pa = agree(*bg_p_alive(r, al, a, b, x, tx, T, m), what='p_alive')
    A, B, w = r + x, b + x + m, t / (al + T)
    pmf = pa * bg_prob(A, al + T, a, B, n, t, 0)
    if n == 0:
        pmf += 1 - pa
    with mp.workdps(DPS_CLOSED):
        f1 = hyp2f1(A, a, a + B, -w)
    f2 = alive_factor_series(A, w, a, B, 30000) if A * w < 8000 else None
    if f2 is None:
        f2 = alive_factor_quad(A, w, a, B)
    return pmf, pa * agree(f1, f2, 'alive factor')


def pnbd_window(r, al, s, be, x, tx, T, t, n):
    pa = pnbd_p_alive(r, al, s, be, x, tx, T)
    pmf = pa * pnbd_prob(r + x, al + T, s, be + T, n, t)
    if n == 0:
        pmf += 1 - pa
    with mp.workdps(DPS_CLOSED):
        return pmf, pa * ((be + T) / (be + T + t)) ** s


def bgbb_window(al, be, ga, de, x, tx, n, t, k):
    a1, s1 = bgbb_lik_terms(al, be, ga, de, x, tx, n, True)
    a2, s2 = bgbb_lik_terms(al, be, ga, de, x, tx, n, False)
    L = agree(a1 + s1, a2 + s2, 'bgbb L')
    alive_n = agree(a1, a2, 'bgbb alive term') / L
    pmf = alive_n * bgbb_prob(al + x, be + n - x, ga, de + n, k, t)
    if k == 0:
        pmf += agree(s1, s2, 'bgbb dropout terms') / L
    with mp.workdps(DPS_CLOSED):
        pa1 = mpmath.exp(lbeta(al + x, be + n - x) - lbeta(al, be) +
                         lbeta(ga, de + n + 1 + t) - lbeta(ga, de)) / L
        # by ratios: alive through n, then t+1 more survivals
        pa2 = alive_n
        for j in range(int(t) + 1):
            pa2 *= (de + n + j) / (ga + de + n + j)
    return pmf, agree(pa1, pa2, 'bgbb alive at')


def window_task(args):
    """The window rows of one grid point (own random stream)."""
    family, idx, params, seed = args
    signal.signal(signal.SIGALRM, on_alarm)
    rng = random.Random(seed)
    mp.dps = DPS
    P = [mpf(v) for v in params]
    model = MODEL_FMT[family] % tuple(fmt(v) for v in params)
    rows, drops = [], []
    res = {}

    def emit(score, fargs, thunk):
        signal.alarm(TIME_LIMIT)
        try:
            v = thunk()
            rows.append((family, score, model, '') +
                        tuple(fargs) + ('',) * (6 - len(fargs)) + (ref_text(v),))
        except Disagree as e:
            drops.append((family, score, str(e)[:200]))
        except (ZeroDivisionError, ValueError, mpmath.libmp.NoConvergence) as e:
            drops.append((family, score, 'evaluation failed: %s' % (str(e)[:150],)))
        except TimeLimit:
            drops.append((family, score, 'over the time limit of %d s' % TIME_LIMIT))
        finally:
            signal.alarm(0)

    if family == 'bgbb':
        al, be, ga, de = P
        n = rnd_count(rng, 1e4, 0.03)
        x = min(rnd_count(rng, n, 0.15) if n > 0 else 0, n)
        tx = 0 if x == 0 else min(max(x + int(rng.random() * (n - x + 1)), x), n)
        t = max(1, rnd_count(rng, 200, 0))
        k = int(rng.random() * (t + 1)) if rng.random() < 0.7 else 0
        hist = [str(x), str(tx), str(n)]
        X, TX, N = mpf(x), mpf(tx), mpf(n)
        win = lambda kk: bgbb_window(al, be, ga, de, X, TX, N, mpf(t), mpf(kk))
    else:
        m = 1 if family == 'mbgnbd' else 0
        T = rnd_time(rng)
        x = 0 if rng.random() < 0.1 else rnd_count(rng)
        if x == 0:
            tx = 0.0
        else:
            u = rng.random()
            tx = T if u < 0.1 else (T * rng.random() if u < 0.6 else T * (1 - loguni(rng, 1e-6, 1)))
            tx = min(tx, T)
        t = rnd_time(rng)
        k = rng.choice([1, 1, 2, 3, 5, 10, 30]) if rng.random() < 0.7 else rnd_count(rng, 1e5, 0)
        hist = [str(x), fmt(tx), fmt(T)]
        X, TX, TT = mpf(x), mpf(tx), mpf(T)
        if family == 'pnbd':
            r, al, s, be = P
            win = lambda kk: pnbd_window(r, al, s, be, X, TX, TT, mpf(t), mpf(kk))
        else:
            r, al, a, b = P
            win = lambda kk: bg_window(r, al, a, b, X, TX, TT, mpf(t), mpf(kk), m)
    targ = str(t) if family == 'bgbb' else fmt(t)
    emit('prob_none', hist + [targ], lambda: win(0)[0])
    emit('p_alive_at', hist + [targ], lambda: win(0)[1])
    if k != 0:
        emit('cond_prob', [str(k)] + hist + [targ], lambda: win(k)[0])
    return rows, drops


def fmt(v):
    """Shortest round-trip text of a double (what the SQL gets)."""
    return repr(float(v))


def ref_text(v):
    if mpmath.isinf(v) or abs(v) > DBL_MAX:
        return 'inf'
    if v == 0:
        return '0'
    return mpmath.nstr(v, 20, min_fixed=0, max_fixed=0)


def loguni(rng, lo=LO, hi=HI):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def param_vectors(rng, k, npoints):
    """Corners of [LO, HI]^k first, then log-uniform draws."""
    out = []
    for mask in range(2 ** k):
        out.append([HI if mask >> i & 1 else LO for i in range(k)])
    while len(out) < npoints:
        out.append([loguni(rng) for _ in range(k)])
    return out


def rnd_count(rng, hi=1e5, zero=0.1):
    if rng.random() < zero:
        return 0
    if rng.random() < 0.05:
        return int(hi)
    return int(math.floor(math.exp(rng.uniform(0, math.log(hi + 1)))))


def rnd_time(rng):
    u = rng.random()
    if u < 0.04:
        return LO
    if u < 0.08:
        return HI
    return loguni(rng)


MODEL_FMT = {
    'bgnbd': 'bgnbd(r=%s, alpha=%s, a=%s, b=%s)',
    'mbgnbd': 'mbgnbd(r=%s, alpha=%s, a=%s, b=%s)',
    'pnbd': 'pnbd(r=%s, alpha=%s, s=%s, beta=%s)',
    'bgbb': 'bgbb(alpha=%s, beta=%s, gamma=%s, delta=%s)',
    'sbg': 'sbg(alpha=%s, beta=%s)',
    'gg': 'gg(p=%s, q=%s, gamma=%s)',
}
NPARAMS = {'bgnbd': 4, 'mbgnbd': 4, 'pnbd': 4, 'bgbb': 4, 'sbg': 2, 'gg': 3}


def point_task(args):
    """All rows of one grid point: list of CSV row tuples, and the drops."""
    family, idx, params, seed = args
    signal.signal(signal.SIGALRM, on_alarm)
    rng = random.Random(seed)
    mp.dps = DPS
    P = [mpf(v) for v in params]
    model = MODEL_FMT[family] % tuple(fmt(v) for v in params)
    rows, drops = [], []

    def emit(score, fargs, thunk, spend_model=''):
        signal.alarm(TIME_LIMIT)
        try:
            v = thunk()
            rows.append((family, score, model, spend_model) +
                        tuple(fargs) + ('',) * (6 - len(fargs)) + (ref_text(v),))
        except Disagree as e:
            drops.append((family, score, str(e)[:200]))
        except (ZeroDivisionError, ValueError, mpmath.libmp.NoConvergence) as e:
            drops.append((family, score, 'evaluation failed: %s' % (str(e)[:150],)))
        except TimeLimit:
            drops.append((family, score, 'over the time limit of %d s' % TIME_LIMIT))
        finally:
            signal.alarm(0)

    if family in ('bgnbd', 'mbgnbd', 'pnbd'):
        m = 1 if family == 'mbgnbd' else 0
        T = rnd_time(rng)
        if family != 'pnbd' and rng.random() < 0.03:
            T = 0.0                         # first purchase on the as-of day
        x = 0 if T == 0 else rnd_count(rng)
        if x == 0:
            tx = 0.0
        else:
            u = rng.random()
            tx = T if u < 0.1 else (T * rng.random() if u < 0.6 else T * (1 - loguni(rng, 1e-6, 1)))
            tx = min(tx, T)
        t = rnd_time(rng)
        n = rnd_count(rng, 1e5, 0.2)
        X, TX, TT, tt = mpf(x), mpf(tx), mpf(T), mpf(t)
        if family == 'pnbd':
            r, al, s, be = P
            emit('expected', [fmt(t)], lambda: pnbd_expected(r, al, s, be, tt))
            emit('conditional', [str(x), fmt(tx), fmt(T), fmt(t)],
                 lambda: pnbd_conditional(r, al, s, be, X, TX, TT, tt))
            emit('p_alive', [str(x), fmt(tx), fmt(T)], lambda: pnbd_p_alive(r, al, s, be, X, TX, TT))
            if idx % 4 == 0:
                emit('prob', [str(n), fmt(t)], lambda: pnbd_prob(r, al, s, be, mpf(n), tt))
            delta = loguni(rng, 1e-4, 1.0)
            emit('dert', [str(x), fmt(tx), fmt(T), fmt(delta)],
                 lambda: pnbd_dert(r, al, s, be, X, TX, TT, mpf(delta)))
            cond = lambda h: pnbd_conditional(r, al, s, be, X, TX, TT, h)
        else:
            r, al, a, b = P
            emit('expected', [fmt(t)], lambda: bg_conditional(r, al, a, b, 0, 0, 0, tt, m))
            emit('conditional', [str(x), fmt(tx), fmt(T), fmt(t)],
                 lambda: bg_conditional(r, al, a, b, X, TX, TT, tt, m))
            emit('p_alive', [str(x), fmt(tx), fmt(T)],
                 lambda: agree(*bg_p_alive(r, al, a, b, X, TX, TT, m), what='p_alive'))
            emit('prob', [str(n), fmt(t)], lambda: bg_prob(r, al, a, b, mpf(n), tt, m))
            cond = lambda h: bg_conditional(r, al, a, b, X, TX, TT, h, m)
        if idx % 5 == 0:
            # CLV with a Gamma-Gamma spend model (spend finite: q > 1)
            gp = [loguni(rng), loguni(rng, 1.01, HI), loguni(rng)]
            gm = MODEL_FMT['gg'] % tuple(fmt(v) for v in gp)
            mspend = loguni(rng)
            periods = rng.choice([1, 2, 3, 6, 12])
            plen = loguni(rng, 1e-2, 1e2)
            rate = rng.choice([0.0, 0.01, 0.1, 0.5])

            def clv():
                sp = gg_spend(mpf(gp[0]), mpf(gp[1]), mpf(gp[2]), X, mpf(mspend))
                tot, prev = mpf(0), mpf(0)
                for i in range(1, periods + 1):
                    c = cond(i * mpf(plen))
                    tot += (c - prev) / (1 + mpf(rate)) ** i
                    prev = c
                return sp * tot
            emit('clv', [str(x), fmt(tx), fmt(T), fmt(mspend), str(periods),
                         '%s:%s' % (fmt(plen), fmt(rate))], clv, gm)
    elif family == 'bgbb':
        al, be, ga, de = P
        n = rnd_count(rng, 1e4, 0.03)
        x = rnd_count(rng, n, 0.15) if n > 0 else 0
        x = min(x, n)
        if x == 0:
            tx = 0
        else:
            tx = x + int(rng.random() * (n - x + 1))
            tx = min(max(tx, x), n)
        t = max(1, rnd_count(rng, 1e4, 0))
        X, TX, N = mpf(x), mpf(tx), mpf(n)
        res = {}

        def get(k):
            if not res:
                pa, c, e = bgbb_scores(al, be, ga, de, X, TX, N, mpf(t))
                res.update(p_alive=pa, conditional=c, expected=e)
            return res[k]
        emit('p_alive', [str(x), str(tx), str(n)], lambda: get('p_alive'))
        emit('conditional', [str(x), str(tx), str(n), str(t)], lambda: get('conditional'))
        emit('expected', [str(t)], lambda: get('expected'))
        pn = rng.choice([n, min(n, 200), min(n, 20)])
        px = int(rng.random() * (pn + 1))
        emit('prob', [str(px), str(pn)], lambda: bgbb_prob(al, be, ga, de, mpf(px), mpf(pn)))
    elif family == 'sbg':
        al, be = P
        t = rnd_count(rng, 1e5, 0.05)
        emit('survival', [str(t)], lambda: sbg_survival(al, be, mpf(t)))
        t1 = max(1, t)
        emit('retention', [str(t1)], lambda: sbg_retention(al, be, mpf(t1)))
        d = rng.choice([0.0, loguni(rng, 1e-3, 1.0), loguni(rng, 1e-3, 1e4)])
        emit('del', [fmt(d)], lambda: sbg_del(al, be, mpf(d)))
        nn = rnd_count(rng, 1e5, 0.1)
        d2 = rng.choice([0.0, loguni(rng, 1e-3, 1.0), loguni(rng, 1e-3, 1e4)])
        emit('derl', [str(nn), fmt(d2)], lambda: sbg_derl(al, be, mpf(nn), mpf(d2)))
    elif family == 'gg':
        p, q, g = P
        x = rnd_count(rng, 1e5, 0.1)
        mm = loguni(rng)
        emit('spend', [str(x), fmt(mm)], lambda: gg_spend(p, q, g, mpf(x), mpf(mm)))
    return rows, drops


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--points', type=int, default=5000)
    ap.add_argument('--seed', type=int, default=20261207)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--family', action='append')
    ap.add_argument('--windows', action='store_true')
    ap.add_argument('--out', default='-')
    opt = ap.parse_args()
    default = ['bgnbd', 'mbgnbd', 'pnbd', 'bgbb'] if opt.windows else \
        ['bgnbd', 'mbgnbd', 'pnbd', 'bgbb', 'sbg', 'gg']
    families = opt.family or default
    task_fn = window_task if opt.windows else point_task
    tasks = []
    for fam in families:
        rng = random.Random('%s/%s%d' % (fam, 'windows/' if opt.windows else '', opt.seed))
        for i, pv in enumerate(param_vectors(rng, NPARAMS[fam], opt.points)):
            tasks.append((fam, i, pv, rng.getrandbits(64)))
    rows, drops = [], []
    with multiprocessing.Pool(opt.jobs) as pool:
        for k, (r, d) in enumerate(pool.imap(task_fn, tasks, chunksize=8)):
            rows.extend(r)
            drops.extend(d)
            if k % 1000 == 999:
                print('%d/%d points' % (k + 1, len(tasks)), file=sys.stderr)
    out = sys.stdout if opt.out == '-' else open(opt.out, 'w')
    counts = {}
    for r in rows:
        counts[(r[0], r[1])] = counts.get((r[0], r[1]), 0) + 1
    dcounts = {}
    for d in drops:
        dcounts[(d[0], d[1])] = dcounts.get((d[0], d[1]), 0) + 1
    out.write('# generated by test/ref/gen_reference.py --points %d --seed %d%s\n' %
              (opt.points, opt.seed, ' --windows' if opt.windows else ''))
    for k in sorted(set(counts) | set(dcounts)):
        out.write('# %s %s: %d reference values, %d points dropped (evaluations disagree)\n' %
                  (k[0], k[1], counts.get(k, 0), dcounts.get(k, 0)))
    out.write('family,score,model,spend_model,a1,a2,a3,a4,a5,a6,ref\n')
    for r in rows:
        out.write(','.join('"%s"' % c if ',' in c else c for c in r) + '\n')
    if out is not sys.stdout:
        out.close()
    for k in sorted(dcounts):
        print('dropped %s %s: %d' % (k[0], k[1], dcounts[k]), file=sys.stderr)
    for d in drops[:40]:
        print('  ', d, file=sys.stderr)


if __name__ == '__main__':
    main()
