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
and a second route: a direct series of positive terms summed with a
remainder bound (BG/NBD bracket for short series, incomplete beta of the
NBD tail, sBG DEL for d >= 0.05), a quadrature of the model's definition
around the integrand's peak (Pareto/NBD PMF, twice), or a different
formula through other mpmath functions at other working digits (DPS_ALT):
Pfaff's transformation of the 2F1 (BG/NBD bracket, sBG DEL for small d),
the other substitution of the Pareto/NBD likelihood integral (2F1 at a
negative argument), a quadrature and the incomplete gamma's continued
fraction instead of Tricomi's U (DERT).
mpmath's hyp2f1 is wrong in places (2F1(107.6, 3531; 5965.3; 0.845) comes
back negative), so one evaluation alone is never trusted; points where the
two disagree, where an evaluation fails, or that take longer than
--time-limit seconds are dropped and counted (printed at the end and kept
in the CSV header).  The former second routes, tanh-sinh quadratures with
fixed break points, took seconds per point and were the wrong ones in the
disagreements examined (the BG/NBD bracket quadrature was off by 3e-11
with an error estimate of 1e-24; the NBD tail and DEL quadratures missed
the mass near an end point); with gmpy2 (Debian's python3-gmpy2) mpmath
is faster again.

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
                        [--windows] [--time-limit SECONDS] [--budget SECONDS]
                        [--start N] [--recheck FILE] [--out FILE]
Needs Debian's python3-mpmath (run with /usr/bin/python3; python3-gmpy2
makes it about twice as fast).  Run it niced on a shared machine:
  nice -n 19 test/ref/gen_reference.py --jobs 2 --out ref.csv
and compress the result for the test: xz -9 (082 reads reference.csv.xz).
"""

import argparse
import csv
import functools
import math
import multiprocessing
import random
import re
import signal
import sys
import time

import mpmath
from mpmath import mp, mpf

REL_AGREE = mpf('1e-20')
DPS = 40            # digits of the reference values
DPS_CLOSED = 60     # working digits of the closed forms (they cancel)
DPS_QUAD = 34       # working digits of the quadratures
DPS_ALT = 80        # working digits of second routes through mpmath functions
LO, HI = 1e-3, 1e4
DBL_MAX = mpf('1.7976931348623157e308')


class TimeLimit(Exception):
    """One evaluation took more than TIME_LIMIT seconds of CPU time (not
    wall time, so that the drops do not depend on the machine's load):
    dropped."""


def on_alarm(signum, frame):
    raise TimeLimit()


TIME_LIMIT = 4


def set_time_limit(seconds):
    """Pool initializer: the --time-limit of the parent."""
    global TIME_LIMIT
    TIME_LIMIT = seconds


class Disagree(Exception):
    """The two evaluations of a value disagree: the point is dropped."""


def agree(a, b, what):
    """The common value of two evaluations, or Disagree.  Two infinities
    do not agree: both evaluations overflowing says nothing about the
    value (DERT of pnbd(s=3007, ...) came back inf from Tricomi's U and
    from the incomplete gamma; it is 0.41).  Infinite references come
    only from the scores' explicit cases (spend with q + p x <= 1, DEL at
    d = 0 with alpha <= 1)."""
    if a == b and not mpmath.isinf(a):
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


# Positive series summed in fixed point (Python integers scaled by 2^FXP):
# each term from the previous one by exact integer products and quotients,
# so a series of 10^5 terms costs a fraction of a second and its rounding
# error stays near 10^5 * 2^-FXP.  These are the second routes that must
# not go through mpmath's hyp2f1: its transformations (1 - z, 1/z, Pfaff)
# can turn two different closed forms into one computation, and did (DEL
# of sbg(alpha=435.06, beta=2611.3) at d = 0.0443 came back as -1.24e6
# from both 2F1(1, beta; alpha+beta; 1/(1+d)) and its Pfaff transform).
FXP = 256
FX_TAIL = 150       # stop when the remainder bound is below 2^-150 of the sum


def fx(v):
    """v (an mpf or number) as an integer scaled by 2^FXP"""
    with mp.workprec(FXP + 128):
        return int(mpmath.floor(mpf(v) * mpmath.ldexp(1, FXP)))


def unfx(n):
    with mp.workprec(FXP + 128):
        return mpmath.ldexp(mpf(n), -FXP)


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
# a positive average of a bounded function (no cancellation).  The closed
# form is FHL's eq. 10 (bg_cond_bracket_closed); the second route is the
# positive series below where it is short, else the closed form after
# Pfaff's transformation (bracket_pfaff).
# ---------------------------------------------------------------------------
def bracket_series(A, w, a, B, maxterms):
    """I(A, w; a, B) as a series of positive terms, or None past maxterms.

    With N ~ NBD(A, z = w/(1+w)) purchases in the window if the customer
    never dropped out, X = (1 - (1-p)^N) / p = sum_{j<N} (1-p)^j, and
    E[(1-p)^j] = (B)_j / (a+B)_j under Beta(a, B), so
      I = sum_{k>=1} P(N = k) e_k,   e_k = sum_{j<k} (B)_j / (a+B)_j,
    P(N = k) = (1-z)^A (A)_k z^k / k!: every term is positive.  Summed in
    fixed point relative to P(N = 0) times 2^-E, E raised in steps of 64
    bits to keep the integers short; the terms fall at least like z^k past
    the mode, so the remainder after a term is below term (1 + w) e_inf/e_k,
    taken as term (1 + w) 2^10."""
    with mp.workdps(DPS_ALT):
        A, w, a, B = mpf(A), mpf(w), mpf(a), mpf(B)
        one = 1 << FXP
        Zf, Af, Bf, aBf = fx(w / (1 + w)), fx(A), fx(B), fx(a + B)
        wf = int(mpmath.ceil(1 + w)) << 10
        Aw = float(A * w)
        pk = one                         # P(N = k) / P(N = 0)
        mom = one                        # (B)_j / (a+B)_j at j = k - 1
        e = 0
        s = 0
        E = 0
        big = 1 << (FXP + 64)
        for k in range(1, maxterms):
            km1 = (k - 1) << FXP
            pk = ((pk * (Af + km1) >> FXP) * Zf >> FXP) // k
            if pk > big:
                pk >>= 64
                s >>= 64
                E += 64
            e += mom
            mom = mom * (Bf + km1) // (aBf + km1)
            term = pk * e >> FXP
            s += term
            if k > Aw and term * wf < s >> FX_TAIL:
                return unfx(s) * mpmath.exp(E * mpmath.ln2 - A * mpmath.log1p(w))
        return None


def bracket_pfaff(A, w, a, B):
    """I(A, w; a, B) = c/(a-1) [1 - 2F1(A, a-1; c; -w)], c = a+B-1: Pfaff's
    transformation of the closed form (argument -w instead of w/(1+w), so
    mpmath takes another path: the 1/z transformation for w > 1), at other
    working digits (DPS_ALT)."""
    with mp.workdps(DPS_ALT):
        A, w, a, B = mpf(A), mpf(w), mpf(a), mpf(B)
        c = a + B - 1
        return c / (a - 1) * (1 - mpmath.hyp2f1(A, a - 1, c, -w, maxterms=10 ** 6))


def bracket_indep(A, w, a, B):
    """I(A, w; a, B) by the positive series, or (when the series is long,
    A w large) by the Pfaff-transformed closed form.  The tanh-sinh
    quadrature beta_mixed_I was slow (seconds) and converged to values off
    by 3e-11 with a tiny error estimate (Beta densities with B << 1), which
    dropped good points."""
    # For 0.8 < w < 1.3 mpmath evaluates 2F1(..., -w) by Pfaff's
    # transformation back to the closed form's own 2F1: the series there,
    # however long.
    if (A * w < 3e4 and w < 1e4) or mpf('0.8') < w < mpf('1.3'):
        # the NBD count's tail falls at least like (w/(1+w))^k
        v = bracket_series(A, w, a, B, 1000000)
        if v is not None:
            return v
    return bracket_pfaff(A, w, a, B)


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

    t2 = betainc_series(n, r, z)
    return agree(t1, t2, 'nbd tail')


def betainc_series(a, b, z):
    """Regularized I_z(a, b) by its power series (DLMF 8.17.8)
      I_z(a, b) = z^a (1-z)^b / (a B(a, b)) sum_k (a+b)_k / (a+1)_k z^k,
    a series of positive terms whose ratio (a+b+k) z / (a+1+k) falls
    towards z, on the side where it falls from the first term (z below
    the mean, else 1 - I_(1-z)(b, a)).  It is Euler's transformation of
    the 2F1(a, 1-b; a+1; z) behind mpmath's betainc; summed in fixed
    point (FXP), the remainder bounded by term q/(1-q), q the larger of
    the current ratio and z.  Replaces a tanh-sinh
    quadrature that missed the mass near z (seconds per point, and the
    drops of most BG/NBD PMF rows)."""
    with mp.workdps(DPS_ALT):
        a, b, z = mpf(a), mpf(b), mpf(z)
        flip = z > (a + 1) / (a + b + 2)
        if flip:
            a, b, z = b, a, 1 - z
        lead = mpmath.exp(a * mpmath.log(z) + b * mpmath.log1p(-z) - mpmath.log(a) -
                          mpmath.log(mpmath.beta(a, b)))
        Zf, ABf, A1f = fx(z), fx(a + b), fx(a + 1)
        zf, abf, a1f = float(z), float(a + b), float(a + 1)
        t, S, k = 1 << FXP, 0, 0
        while True:
            S += t
            kf = k << FXP
            t = (t * (ABf + kf) // (A1f + kf)) * Zf >> FXP
            k += 1
            q = max(zf * (abf + k) / (a1f + k), zf)
            if q < 1 and t * q / (1 - q) < (S >> FX_TAIL) or t == 0:
                S += t
                break
            if k > 3000000:
                raise Disagree('betainc series: no convergence')
        v = lead * unfx(S)
        return 1 - v if flip else v


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
@functools.lru_cache(maxsize=64)
def pnbd_p_alive(r, al, s, be, x, tx, T):
    """Closed form with 2F1 (the note's eq. 18), by both substitutions."""
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

    # The same G from the other substitution, v = (k+t)/(k+u) with k the
    # other one of alpha and beta: 2F1 at a negative argument (mpmath's
    # Pfaff or 1/z transformation), at DPS_ALT digits.  Replaces a
    # tanh-sinh quadrature of L2/L1 (seconds per call, and called by four
    # scores of each point).
    with mp.workdps(DPS_ALT):
        def G2(t):
            if al >= be:
                return (be + t) ** (-a1) / a1 * mpmath.hyp2f1(a1, rx, a1 + 1, (be - al) / (be + t),
                                                               maxterms=10 ** 6)
            return (al + t) ** (-a1) / a1 * mpmath.hyp2f1(a1, s + 1, a1 + 1, (al - be) / (al + t),
                                                           maxterms=10 ** 6)

        L1 = (al + T) ** (-rx) * (be + T) ** (-s)
        # for arguments in (-1.3, -0.8) mpmath applies Pfaff's
        # transformation, which is the closed form's own 2F1: quadrature
        zmax = abs(be - al) / ((be if al >= be else al) + tx)
        zmin = abs(be - al) / ((be if al >= be else al) + T)
        try:
            if zmin < mpf('1.3') and zmax > mpf('0.8'):
                raise mpmath.libmp.NoConvergence()
            c2 = L1 / (L1 + s * (G2(tx) - G2(T)))
        except mpmath.libmp.NoConvergence:
            c2 = pnbd_p_alive_quad(r, al, s, be, x, tx, T)
    return agree(c1, c2, 'pnbd p_alive')


def pnbd_p_alive_quad(r, al, s, be, x, tx, T):
    """P(alive) by quadrature of the likelihood integral (where the 2F1 at
    a large negative argument does not converge, or where mpmath would
    evaluate it through the closed form's own 2F1)."""
    rx = r + x

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
        return 1 / (1 + s * J)


def pnbd_exposure(s, be, t):
    """int_0^t (be/(be+u))^s du: closed form and quadrature."""
    with mp.workdps(DPS_CLOSED):
        if s == 1:
            c1 = be * mpmath.log1p(t / be)
        else:
            c1 = be / (s - 1) * (1 - (be / (be + t)) ** (s - 1))
    # the same integral as -be expm1(-(s-1) log1p(t/be)) / (s-1), or its
    # series in (s-1) near s = 1, at other working digits (a quadrature
    # of an elementary integrand was the slowest part of every point)
    with mp.workdps(DPS_ALT):
        s_, be_, t_ = mpf(s), mpf(be), mpf(t)
        L = mpmath.log1p(t_ / be_)
        if abs((s_ - 1) * L) > mpf('1e-6'):
            c2 = -be_ * mpmath.expm1(-(s_ - 1) * L) / (s_ - 1)
        else:
            c2 = be_ * mpmath.nsum(lambda k: (-(s_ - 1)) ** int(k) * L ** (k + 1) /
                                   mpmath.factorial(k + 1), [0, 40])
    return agree(c1, c2, 'pnbd exposure')


def pnbd_conditional(r, al, s, be, x, tx, T, t):
    pa = pnbd_p_alive(r, al, s, be, x, tx, T)
    return pa * (r + x) / (al + T) * pnbd_exposure(s, be + T, t)


def pnbd_expected(r, al, s, be, t):
    return r / al * pnbd_exposure(s, be, t)


def pnbd_prob(r, al, s, be, n, t):
    """P(X(t) = n): alive throughout, or dying at tau < t (model definition).

    The integral over the time of death is taken twice (see below)."""
    with mp.workdps(DPS_CLOSED):
        if t == 0:
            return mpf(1) if n == 0 else mpf(0)
        lc = mpmath.loggamma(r + n) - mpmath.loggamma(r) - mpmath.loggamma(n + 1)

        def lnb(tau):
            return lc + r * mpmath.log(al / (al + tau)) + n * mpmath.log(tau / (al + tau))

        alive = mpmath.exp(lnb(t) + s * mpmath.log(be / (be + t)))

    # In u = tau/(al+tau) the dying part is
    #   s be^s al int_0^U u^n (1-u)^(r+s-1) (be(1-u) + al u)^-(s+1) du,
    # U = t/(al+t), a peaked integrand (a Beta density times a power of a
    # linear function) whose peak can lie hundreds of decades above its
    # value at U.  Its maximum is located on a log-spaced set of candidates
    # and the integral is taken around it twice: tanh-sinh in u and
    # Gauss-Legendre in y = log(u / (1-u)), on the same break points.  (The
    # former break points, fixed fractions of t, missed the peak: the two
    # quadratures disagreed by 90 decades.)
    with mp.workdps(DPS_QUAD + 6):
        U = t / (al + t)
        V = al / (al + t)

        def lg(u):
            return (n * mpmath.log(u) + (r + s - 1) * mpmath.log1p(-u) -
                    (s + 1) * mpmath.log(be * (1 - u) + al * u))
        cands = set([U * k / 64 for k in range(1, 64)] + [U * mpf(2) ** (-k) for k in range(0, 400)] +
                    [U - V * (mpf(2) ** k - 1) for k in range(1, 200) if U - V * (mpf(2) ** k - 1) > 0])
        cands = sorted(u for u in cands if 0 < u <= U)
        um = max(cands, key=lg)
        ref = lg(um)
        for k in (-8, -6, -4, -3, -2, -1, 1, 2, 3, 4, 6, 8):
            u = um * (1 + mpf(2) ** k / 64) if k > 0 else um * (1 - mpf(2) ** (-k) / 128)
            if 0 < u < U:
                cands.append(u)
        pts = sorted(set([mpf(0), U] + cands))
        lc2 = lc + mpmath.log(s) + s * mpmath.log(be) + mpmath.log(al) + ref

    def f_u(u):
        if u == 0:
            return mpf(0)
        return mpmath.exp(lg(u) - ref)

    d1 = quad(f_u, pts, 'pnbd prob u')

    def f_y(y):
        u = 1 / (1 + mpmath.exp(-y))
        return f_u(u) * u * (1 - u)

    ypts = [mpmath.log(u / (1 - u)) for u in pts[1:]]
    ypts = [ypts[0] - 200] + ypts
    with mp.workdps(DPS_QUAD):
        d2 = mpmath.quad(f_y, ypts, method='gauss-legendre', maxdegree=8)
        lref = lc2
    dying = agree(d1, d2, 'pnbd prob integral') * mpmath.exp(lref)
    return alive + dying


def dert_discount_cf(s, z):
    """z^s e^z Gamma(1-s, z) by Legendre's continued fraction for the upper
    incomplete gamma (DLMF 8.9.2, the even contraction), evaluated by
    Lentz's method: every partial denominator is positive, so nothing
    cancels.  None when it has not converged in 20,000 terms (small z)."""
    with mp.workdps(DPS_ALT):
        a = 1 - s
        tiny = mpf(10) ** -(DPS_ALT * 3)
        b = z + 1 - a
        c, d = 1 / tiny, 1 / b
        h = d
        for i in range(1, 20001):
            an = -i * (i - a)
            b += 2
            d = an * d + b
            d = tiny if d == 0 else d
            c = b + an / c
            c = tiny if c == 0 else c
            d = 1 / d
            step = d * c
            h *= step
            if abs(step - 1) < mpf(10) ** -(DPS_ALT - 5):
                return z * h
    return None


def dert_discount(s, z):
    """delta int_0^inf e^(-delta v) ((be+T)/(be+T+v))^s dv
    = int_0^inf e^-u (1 + u/z)^-s du  (u = delta v, z = delta (be + T)),
    which lies in (z/(z+s), 1].  First route: tanh-sinh quadrature of that
    integral, break points at the integrand's scale z/s and at z.  Second:
    the continued fraction of z^s e^z Gamma(1-s, z) where it converges,
    else Tricomi's U, z^s U(s, s, z).  The closed forms through mpmath's
    hyperu and gammainc are not trusted alone: for s in the thousands they
    cancel beyond any working precision under a thousand digits and agree
    with each other on a wrong value (-8.0e1531 for s = 9269.7,
    z = 3440.4, where the value is 0.2707)."""
    with mp.workdps(DPS_QUAD):
        sq, zq = mpf(s), mpf(z)
        pts = sorted(set([mpf(0), zq / sq, zq])) + [mpmath.inf]
        q = quad(lambda u: mpmath.exp(-u - sq * mpmath.log1p(u / zq)), pts,
                 'pnbd dert discount quadrature')
    c = dert_discount_cf(s, z)
    if c is None:
        with mp.workdps(DPS_CLOSED):
            c = z ** s * mpmath.hyperu(s, s, z)
    return agree(q, c, 'pnbd dert discount')


def pnbd_dert(r, al, s, be, x, tx, T, delta):
    """DERT (FHL 2005 RFM/CLV eq. 2): P(alive) times (r + x)/(alpha + T)
    times the discounted residual lifetime, whose discount factor is
    dert_discount."""
    pa = pnbd_p_alive(r, al, s, be, x, tx, T)
    with mp.workdps(DPS_CLOSED):
        z = delta * (be + T)
    return pa * (r + x) / (al + T) * dert_discount(s, z) / delta


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
    return agree(c1, sbg_del_indep(al, be, d), 'sbg del')


def sbg_del_series(al, be, d):
    """DEL = sum_k (be)_k / (al+be)_k (1+d)^-k (the 2F1 summed directly:
    the sum over k of the probability of being alive after k renewals,
    discounted).  Positive terms with ratio below 1/(1+d), so the remainder
    after a term is below term / d; summed until
    that bound is below 2^-150 of the sum (about 104 / d terms), in fixed
    point.  Replaces a tanh-sinh quadrature (seconds per point and many
    drops)."""
    with mp.workdps(DPS_ALT):
        al, be, d = mpf(al), mpf(be), mpf(d)
        Zf, Bf, ABf = fx(1 / (1 + d)), fx(be), fx(al + be)
        df = fx(d)
        s, term, k = 0, 1 << FXP, 0
        while True:
            s += term
            kf = k << FXP
            term = (term * (Bf + kf) // (ABf + kf)) * Zf >> FXP
            k += 1
            # remainder below term / d
            if (term << FXP) < df * (s >> FX_TAIL) or term == 0:
                return unfx(s + term)


def sbg_del_indep(al, be, d):
    """DEL by the direct series (see FXP for why not by a transformed 2F1)"""
    return sbg_del_series(al, be, d)


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
    signal.signal(signal.SIGVTALRM, on_alarm)
    rng = random.Random(seed)
    mp.dps = DPS
    P = [mpf(v) for v in params]
    model = MODEL_FMT[family] % tuple(fmt(v) for v in params)
    rows, drops = [], []

    def emit(score, fargs, thunk, spend_model=''):
        signal.setitimer(signal.ITIMER_VIRTUAL, TIME_LIMIT)
        try:
            v = thunk()
            rows.append((family, score, model, spend_model) +
                        tuple(fargs) + ('',) * (6 - len(fargs)) + (ref_text(v),))
        except Disagree as e:
            drops.append((family, score, str(e)[:200]))
        except (ZeroDivisionError, ValueError, mpmath.libmp.NoConvergence) as e:
            drops.append((family, score, 'evaluation failed: %s' % (str(e)[:150],)))
        except TimeLimit:
            drops.append((family, score, 'over the time limit of %d s of CPU time' % TIME_LIMIT))
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)

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


def recheck_task(line):
    """One CSV line of a --recheck file: (line or None, drop reason)."""
    signal.signal(signal.SIGVTALRM, on_alarm)
    mp.dps = DPS
    row = next(csv.reader([line]))
    if row[0] != 'sbg' or row[1] not in ('del', 'derl'):
        return line, None
    # the doubles the grid drew (and SQL reads), not their decimal text
    al, be = [mpf(float(v)) for v in re.findall(r'=([^,)]+)', row[2])]
    n, d = ((mpf(0), mpf(float(row[4]))) if row[1] == 'del' else
            (mpf(int(row[4])), mpf(float(row[5]))))
    if d == 0 or row[10] == 'inf':
        return line, None
    signal.setitimer(signal.ITIMER_VIRTUAL, TIME_LIMIT)
    try:
        v = sbg_del_series(al, be + n + 1, d) if row[1] == 'derl' else sbg_del_series(al, be, d)
        with mp.workdps(DPS_CLOSED):
            if row[1] == 'derl':
                v = (be + n) / (al + be + n) * v
            ref = mpf(row[10])
            if abs(v - ref) <= mpf('1e-18') * abs(ref):
                return line, None
            return None, '%s: %s vs %s' % (row[1], mpmath.nstr(v, 20), row[10])
    except TimeLimit:
        return None, '%s: over the time limit' % row[1]
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)


def recheck(path, out, jobs):
    """--recheck: the sbg del/derl rows of a file written before DEL's
    second route was its fixed-point series (it was Pfaff's transform of
    the closed form's 2F1 for d < 0.05, which can share the closed form's
    error): re-evaluated by the series; rows that disagree are dropped."""
    lines = open(path).read().splitlines(True)
    head = [ln for ln in lines if ln.startswith('#')]
    body = [ln for ln in lines if not ln.startswith('#')]
    kept, drops = [body[0]], []
    with multiprocessing.Pool(jobs, initializer=set_time_limit, initargs=(TIME_LIMIT,)) as pool:
        for ln, why in pool.imap(recheck_task, body[1:], chunksize=16):
            if ln is not None:
                kept.append(ln)
            else:
                drops.append(why)
    o = sys.stdout if out == '-' else open(out, 'w')
    o.writelines(head)
    o.write('# rechecked by gen_reference.py --recheck: sbg del/derl rows against the'
            ' fixed-point series of DEL: %d dropped (%d del, %d derl)\n' %
            (len(drops), sum(1 for d in drops if d.startswith('del')),
             sum(1 for d in drops if d.startswith('derl'))))
    o.writelines(kept)
    for d in drops[:40]:
        print('  dropped', d, file=sys.stderr)


def main():
    global TIME_LIMIT
    ap = argparse.ArgumentParser()
    ap.add_argument('--points', type=int, default=5000)
    ap.add_argument('--seed', type=int, default=20261207)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--family', action='append')
    ap.add_argument('--windows', action='store_true')
    ap.add_argument('--out', default='-')
    ap.add_argument('--time-limit', type=int, default=TIME_LIMIT,
                    help='CPU seconds per evaluation before it is dropped')
    ap.add_argument('--budget', type=float, default=0,
                    help='stop taking new points after this many seconds (0: none);'
                         ' the header says how many points were evaluated')
    ap.add_argument('--start', type=int, default=0,
                    help='skip the first START points of each family (to continue a'
                         ' run stopped by --budget: the grid and its seeds are the same)')
    ap.add_argument('--recheck', metavar='FILE',
                    help='re-evaluate the sbg del/derl rows of FILE by the current'
                         ' second route (see recheck) and write the rows that agree')
    opt = ap.parse_args()
    TIME_LIMIT = opt.time_limit
    if opt.recheck:
        recheck(opt.recheck, opt.out, opt.jobs)
        return
    t_start = time.time()
    default = ['bgnbd', 'mbgnbd', 'pnbd', 'bgbb'] if opt.windows else \
        ['bgnbd', 'mbgnbd', 'pnbd', 'bgbb', 'sbg', 'gg']
    families = opt.family or default
    task_fn = window_task if opt.windows else point_task
    tasks = []
    for fam in families:
        rng = random.Random('%s/%s%d' % (fam, 'windows/' if opt.windows else '', opt.seed))
        for i, pv in enumerate(param_vectors(rng, NPARAMS[fam], opt.points)):
            seed = rng.getrandbits(64)
            if i >= opt.start:
                tasks.append((fam, i, pv, seed))
    rows, drops = [], []
    done = {}
    with multiprocessing.Pool(opt.jobs, initializer=set_time_limit, initargs=(TIME_LIMIT,)) as pool:
        for k, (r, d) in enumerate(pool.imap(task_fn, tasks, chunksize=4)):
            rows.extend(r)
            drops.extend(d)
            done[tasks[k][0]] = done.get(tasks[k][0], 0) + 1
            if k % 500 == 499:
                print('%d/%d points, %.0f s' % (k + 1, len(tasks), time.time() - t_start),
                      file=sys.stderr)
            if opt.budget and time.time() - t_start > opt.budget:
                print('time budget reached after %d points' % (k + 1), file=sys.stderr)
                pool.terminate()
                break
    out = sys.stdout if opt.out == '-' else open(opt.out, 'w')
    counts = {}
    for r in rows:
        counts[(r[0], r[1])] = counts.get((r[0], r[1]), 0) + 1
    dcounts = {}
    for d in drops:
        dcounts[(d[0], d[1])] = dcounts.get((d[0], d[1]), 0) + 1
    out.write('# generated by test/ref/gen_reference.py --points %d --seed %d'
              ' --time-limit %d%s%s%s in %.0f s\n' %
              (opt.points, opt.seed, TIME_LIMIT,
               (' --budget %.0f' % opt.budget) if opt.budget else '',
               (' --start %d' % opt.start) if opt.start else '',
               ' --windows' if opt.windows else '', time.time() - t_start))
    for fam in families:
        out.write('# %s: %d grid points evaluated\n' % (fam, done.get(fam, 0)))
    for k in sorted(set(counts) | set(dcounts)):
        out.write('# %s %s: %d reference values, %d points dropped (evaluations disagree,'
                  ' failed or over the time limit)\n' %
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
