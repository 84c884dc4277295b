#!/usr/bin/env python3
"""Independent reference for Pareto/NBD and BG/NBD with time-invariant
covariates on the apparel data (CLVTools' apparelTrans / apparelStaticCov).

What and why: the acceptance figures of the covariate fits
(sql/model_covariates_fit.sql) must come from code that shares nothing with
the C implementation.  This script builds the customer summary from the CSVs
itself and maximises the same likelihood with its own formulas:

  * Pareto/NBD: the likelihood in its integral form (Fader and Hardie,
    "Deriving an expression for P(X(t) = x) under the Pareto/NBD model",
    and Schmittlein, Morrison and Colombo 1987):
        L = Gamma(r+x) alpha^r beta^s / Gamma(r) *
            [ (alpha+T)^-(r+x) (beta+T)^-s
              + s * int_{t_x}^{T} (alpha+u)^-(r+x) (beta+u)^-(s+1) du ]
    the integral by composite Gauss-Legendre quadrature on log(u + c)
    (the C code uses Gauss hypergeometric functions instead), checked at the
    estimate against mpmath.quad with 30 digits.
  * BG/NBD: Fader, Hardie and Lee (2005), "Counting your customers the easy
    way", eq. (6), with log-Beta and log-Gamma from scipy.special.
  * Covariates, CLVTools' static-covariate links (Bachmann, Meierer and Naef,
    "CLVTools: Probabilistic Customer Lifetime Value Models", vignette):
        Pareto/NBD  alpha_i = alpha exp(-g_trans' z_i), beta_i = beta exp(-g_life' z_i)
        BG/NBD      alpha_i = alpha exp(-g_trans' z_i),
                    a_i = a exp(g_life' z_i),  b_i = b exp(g_life' z_i)
  * L2 regularization on CLVTools' scale (its interlayer_regularization):
        minimise -sum(LL)/N + lambda_trans sum(g_trans^2) + lambda_life sum(g_life^2)
    constrained ("constr.") coefficients are not penalised, as in CLVTools.
  * An equality constraint: one coefficient for a covariate in both processes.

Summary as CLVTools' examples: time unit week (days / 7), same-day
transactions merged, estimation end = first transaction date + 104 weeks
(inclusive) or the last transaction date for the whole period;
x = transactions in the period - 1, t_x = last - first, T = end - first.

Usage: /usr/bin/python3 test/ref/covariates_ref.py [data directory] [fit name ...]
Prints one line per fit: name, log-likelihood, penalty, estimates (about
three minutes).  Needs python3-numpy, python3-scipy and python3-mpmath,
the Debian packages (test/install-deps); the figures it prints are the
ones sql/model_covariates_fit.sql and test/unit/ltv/test_covfit.c assert.
"""
import csv
import datetime
import math
import os
import sys

import mpmath
import numpy as np
from scipy import optimize, special

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', 'data')


def summary(weeks):
    """(x, t_x, T, gender, channel) per customer; weeks=None: whole period."""
    days = {}
    with open(os.path.join(DATA, 'apparel_transactions.csv')) as f:
        for row in csv.DictReader(f):
            d = datetime.date.fromisoformat(row['Date'])
            days.setdefault(int(row['Id']), set()).add(d)
    cov = {}
    with open(os.path.join(DATA, 'apparel_static_cov.csv')) as f:
        for row in csv.DictReader(f):
            cov[int(row['Id'])] = (float(row['Gender']), float(row['Channel']))
    first_all = min(min(s) for s in days.values())
    if weeks is None:
        end = max(max(s) for s in days.values())
    else:
        end = first_all + datetime.timedelta(days=7 * weeks)
    out = []
    for cid in sorted(days):
        s = sorted(d for d in days[cid] if d <= end)
        first = s[0]
        out.append((len(s) - 1, (s[-1] - first).days / 7.0,
                    (end - first).days / 7.0) + cov[cid])
    return np.array(out, dtype=float)


# Gauss-Legendre nodes for the Pareto/NBD integral: 48 panels of 24 nodes
GL_X, GL_W = np.polynomial.legendre.leggauss(24)
PANELS = 48


def pnbd_integral(a, b, rx, s1, tx, T):
    """int_{tx}^{T} (a+u)^-rx (b+u)^-s1 du, vectorised, on v = log(c + u)."""
    c = np.minimum(a, b)
    v0 = np.log(c + tx)
    v1 = np.log(c + T)
    h = (v1 - v0) / PANELS
    tot = np.zeros_like(tx)
    # scale by the integrand's value at tx to keep the sum in range
    lref = -rx * np.log(a + tx) - s1 * np.log(b + tx) + v0
    for k in range(PANELS):
        mid = v0 + (k + 0.5) * h
        for xg, wg in zip(GL_X, GL_W):
            v = mid + 0.5 * h * xg
            u = np.exp(v) - c
            lf = -rx * np.log(a + u) - s1 * np.log(b + u) + v
            tot += wg * 0.5 * h * np.exp(lf - lref)
    return tot, lref


def pnbd_ll(p, x, tx, T, w):
    """Per-tuple Pareto/NBD log-likelihoods; p rows per tuple (r, alpha, s, beta)."""
    r, a, s, b = p
    I, lref = pnbd_integral(a, b, r + x, s + 1.0, tx, T)
    l1 = -(r + x) * np.log(a + T) - s * np.log(b + T)
    with np.errstate(divide='ignore'):
        l2 = np.log(s) + lref + np.log(I)
    l2 = np.where(T > tx, l2, -np.inf)
    return (special.gammaln(r + x) - special.gammaln(r) + r * np.log(a)
            + s * np.log(b) + np.logaddexp(l1, l2))


def bgnbd_ll(p, x, tx, T, w):
    """Per-tuple BG/NBD log-likelihoods (Fader, Hardie and Lee 2005, eq. 6)."""
    r, al, a, b = p
    lb = special.betaln(a, b)
    c = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al)
    l1 = special.betaln(a, b + x) - lb - (r + x) * np.log(al + T)
    with np.errstate(invalid='ignore'):
        l2 = np.where(x > 0, special.betaln(a + 1.0, np.maximum(b + x - 1.0, 1e-300)) - lb
                      - (r + x) * np.log(al + tx), -np.inf)
    return c + np.logaddexp(l1, l2)


class Problem:
    """A covariate fit: family, data, constraint and lambdas."""

    def __init__(self, family, data, constr=(), lam_t=0.0, lam_l=0.0,
                 names=('Gender', 'Channel')):
        self.family = family
        self.x, self.tx, self.T = data[:, 0], data[:, 1], data[:, 2]
        self.names = list(names)
        self.Z = data[:, [3 + ['Gender', 'Channel'].index(n) for n in self.names]]
        self.w = np.ones(len(data))
        self.N = len(data)
        self.constr = list(constr)
        self.free = [n for n in self.names if n not in self.constr]
        self.lam_t, self.lam_l = lam_t, lam_l

    def unpack(self, th):
        k = 4
        gt = dict(zip(self.free, th[k:k + len(self.free)]))
        k += len(self.free)
        gl = dict(zip(self.free, th[k:k + len(self.free)]))
        k += len(self.free)
        gc = dict(zip(self.constr, th[k:k + len(self.constr)]))
        return np.exp(th[:4]), gt, gl, gc

    def lin(self, g, gc):
        e = np.zeros(self.N)
        for j, n in enumerate(self.names):
            e += self.Z[:, j] * (g[n] if n in g else gc[n])
        return e

    def loglik(self, th):
        p, gt, gl, gc = self.unpack(th)
        et, el = self.lin(gt, gc), self.lin(gl, gc)
        if self.family == 'pnbd':
            pp = (p[0], p[1] * np.exp(-et), p[2], p[3] * np.exp(-el))
            ll = pnbd_ll(pp, self.x, self.tx, self.T, self.w)
        else:
            pp = (p[0], p[1] * np.exp(-et), p[2] * np.exp(el), p[3] * np.exp(el))
            ll = bgnbd_ll(pp, self.x, self.tx, self.T, self.w)
        return float(np.sum(self.w * ll))

    def penalty(self, th):
        _, gt, gl, _ = self.unpack(th)
        return (self.lam_t * sum(v * v for v in gt.values())
                + self.lam_l * sum(v * v for v in gl.values()))

    def objective(self, th):
        v = -self.loglik(th) / self.N + self.penalty(th)
        return v if math.isfinite(v) else 1e10

    def grad(self, th, h=1e-6):
        g = np.zeros_like(th)
        for i in range(len(th)):
            e = np.zeros_like(th)
            e[i] = h
            g[i] = (self.objective(th + e) - self.objective(th - e)) / (2 * h)
        return g

    def fit(self, start):
        th = np.array(start, dtype=float)
        best = None
        for _ in range(4):
            res = optimize.minimize(self.objective, th, jac=self.grad,
                                    method='BFGS',
                                    options={'gtol': 1e-10, 'maxiter': 5000})
            th = res.x
            if best is not None and abs(best - res.fun) < 1e-13:
                break
            best = res.fun
        # Newton polish on the central-difference Hessian
        for _ in range(3):
            k = len(th)
            H = np.zeros((k, k))
            for i in range(k):
                e = np.zeros(k)
                e[i] = 1e-4
                H[i] = (self.grad(th + e) - self.grad(th - e)) / 2e-4
            H = 0.5 * (H + H.T)
            try:
                step = np.linalg.solve(H, self.grad(th))
            except np.linalg.LinAlgError:
                break
            if not (self.objective(th - step) <= self.objective(th) + 1e-14):
                break
            th = th - step
        return th

    def labels(self):
        return (['r', 'alpha', 's', 'beta'] if self.family == 'pnbd'
                else ['r', 'alpha', 'a', 'b']) + \
            ['trans.' + n for n in self.free] + \
            ['life.' + n for n in self.free] + \
            ['constr.' + n for n in self.constr]


def mp_pnbd_check(prob, th):
    """The Pareto/NBD log-likelihood at th with mpmath.quad (30 digits)."""
    mpmath.mp.dps = 30
    p, gt, gl, gc = prob.unpack(th)
    et, el = prob.lin(gt, gc), prob.lin(gl, gc)
    total = mpmath.mpf(0)
    seen = {}
    for i in range(prob.N):
        key = (prob.x[i], prob.tx[i], prob.T[i], et[i], el[i])
        if key not in seen:
            r, s = mpmath.mpf(p[0]), mpmath.mpf(p[2])
            a = mpmath.mpf(p[1]) * mpmath.exp(-mpmath.mpf(et[i]))
            b = mpmath.mpf(p[3]) * mpmath.exp(-mpmath.mpf(el[i]))
            x, tx, T = (mpmath.mpf(v) for v in key[:3])
            integ = mpmath.quad(lambda u: (a + u) ** -(r + x) * (b + u) ** -(s + 1),
                                [tx, (tx + T) / 2, T]) if T > tx else 0
            seen[key] = (mpmath.loggamma(r + x) - mpmath.loggamma(r) + r * mpmath.log(a)
                         + s * mpmath.log(b)
                         + mpmath.log((a + T) ** -(r + x) * (b + T) ** -s + s * integ))
        total += seen[key]
    return total


def report(name, prob, th):
    ll = prob.loglik(th)
    pen = prob.penalty(th)
    vals = list(np.exp(th[:4])) + list(th[4:])
    g = prob.grad(th)
    print('%s loglik=%.6f penalty=%.8f maxgrad=%.1e' % (name, ll, pen, np.max(np.abs(g))))
    for lab, v in zip(prob.labels(), vals):
        print('  %-16s %.8g' % (lab, v))
    return ll


def main():
    s104 = summary(104)
    sall = summary(None)
    print('104 weeks: N=%d sum x=%d T=%.6f; whole: sum x=%d T=%.6f' % (
        len(s104), s104[:, 0].sum(), s104[0, 2], sall[:, 0].sum(), sall[0, 2]))
    fits = [
        ('pnbd104', 'pnbd', s104, (), 0, 0),
        ('pnbd104_reg', 'pnbd', s104, (), 0.05, 0.05),
        ('pnbd104_constr', 'pnbd', s104, ('Gender',), 0, 0),
        ('bgnbd_all', 'bgnbd', sall, (), 0, 0),
        ('bgnbd_all_reg', 'bgnbd', sall, (), 0.05, 0.05),
        ('bgnbd_all_constr', 'bgnbd', sall, ('Gender',), 0, 0),
        ('bgnbd104', 'bgnbd', s104, (), 0, 0),
        # the restricted fits of the likelihood-ratio tests (sql/model_lrtest.sql)
        ('pnbd104_plain', 'pnbd', s104, (), 0, 0, ()),
        ('pnbd104_channel', 'pnbd', s104, (), 0, 0, ('Channel',)),
    ]
    only = sys.argv[2:]
    for name, fam, data, constr, lt, ll, *names in fits:
        if only and name not in only:
            continue
        prob = Problem(fam, data, constr, lt, ll, *names)
        k = 4 + 2 * len(prob.free) + len(prob.constr)
        start = [0.0] * k
        th = prob.fit(start)
        v = report(name, prob, th)
        if fam == 'pnbd':
            m = mp_pnbd_check(prob, th)
            print('  mpmath loglik %.10f (quadrature %.10f, diff %.1e)' % (
                float(m), v, float(m) - v))


if __name__ == '__main__':
    main()
