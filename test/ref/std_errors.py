#!/usr/bin/env python3
"""Standard errors of BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma estimates
on the CDNOW sample, computed independently of custjourney: each
log-likelihood is written here from the papers (Fader, Hardie and Lee 2005,
"Counting your customers the easy way", eq. 6; Batislam, Denizel and
Filiztekin 2007, the MBG/NBD likelihood; Fader and Hardie 2005, "A note on
deriving the Pareto/NBD model and related expressions", eq. 22 with its
2F1 cases; and their Gamma-Gamma note, the density of a customer's mean
spend), evaluated with mpmath at 40 digits, and differentiated twice
by central differences on the log parameters (h = 1e-6: truncation error
about 1e-12, rounding error about 1e-28).  The inverse of the negative
Hessian is the covariance of log p; se(p_i) = p_i sqrt(cov_ii).

    std_errors.py CSV FAMILY P1 P2 ...   ->  one standard error per line
"""
import csv
import sys

import mpmath as mp

mp.mp.dps = 40


def load(path):
    rows = {}
    with open(path) as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            x, tx, T, z = (mp.mpf(v) for v in row[1:5])
            key = (x, tx, T, z)
            rows[key] = rows.get(key, 0) + 1
    return rows


def ll_bgnbd(p, rows):
    r, alpha, a, b = p
    lb = mp.log(mp.beta(a, b))
    total = mp.mpf(0)
    for (x, tx, T, _), w in rows.items():
        common = mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(alpha)
        t1 = mp.exp(mp.log(mp.beta(a, b + x)) - lb + common - (r + x) * mp.log(alpha + T))
        t2 = 0
        if x > 0:
            t2 = mp.exp(mp.log(mp.beta(a + 1, b + x - 1)) - lb + common - (r + x) * mp.log(alpha + tx))
        total += w * mp.log(t1 + t2)
    return total


def ll_mbgnbd(p, rows):
    """Batislam et al. (2007): dropout possible right after every purchase,
    the first (at time 0) included, so a customer with x repeats had x + 1
    chances to drop out."""
    r, alpha, a, b = p
    lb = mp.log(mp.beta(a, b))
    total = mp.mpf(0)
    for (x, tx, T, _), w in rows.items():
        common = mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(alpha)
        t1 = mp.exp(mp.log(mp.beta(a, b + x + 1)) - lb + common - (r + x) * mp.log(alpha + T))
        t2 = mp.exp(mp.log(mp.beta(a + 1, b + x)) - lb + common - (r + x) * mp.log(alpha + tx))
        total += w * mp.log(t1 + t2)
    return total


def ll_pnbd(p, rows):
    """Fader and Hardie (2005 note), eq. 22: alive through T, or died in
    (t_x, T], the latter through 2F1 with the larger of alpha, beta."""
    r, alpha, s, beta = p
    total = mp.mpf(0)
    rs = r + s
    for (x, tx, T, _), w in rows.items():
        lead = mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(alpha) + s * mp.log(beta)
        alive = mp.exp(-(r + x) * mp.log(alpha + T) - s * mp.log(beta + T))
        if alpha >= beta:
            c, b2, d = alpha, s + 1, alpha - beta
        else:
            c, b2, d = beta, r + x, beta - alpha
        a1 = rs + x

        def term(u):
            return mp.hyp2f1(a1, b2, a1 + 1, d / (c + u)) / (c + u) ** a1

        dead = s / (rs + x) * (term(tx) - term(T))
        total += w * (lead + mp.log(alive + dead))
    return total


def ll_gg(p, rows):
    pp, q, g = p
    total = mp.mpf(0)
    for (x, _, _, m), w in rows.items():
        if x <= 0:
            continue
        total += w * (mp.loggamma(pp * x + q) - mp.loggamma(pp * x) - mp.loggamma(q)
                      + q * mp.log(g) + (pp * x - 1) * mp.log(m * x) + mp.log(x)
                      - (pp * x + q) * mp.log(g + m * x))
    return total


def main():
    rows = load(sys.argv[1])
    ll = {'bgnbd': ll_bgnbd, 'mbgnbd': ll_mbgnbd, 'pnbd': ll_pnbd,
          'gg': ll_gg}[sys.argv[2]]
    theta = [mp.log(mp.mpf(v)) for v in sys.argv[3:]]
    k = len(theta)
    h = mp.mpf('1e-6')

    def f(t):
        return ll([mp.exp(v) for v in t], rows)

    def shifted(di, dj):
        t = list(theta)
        for i, d in di:
            t[i] += d
        return f(t)

    H = mp.matrix(k, k)
    for i in range(k):
        for j in range(i, k):
            v = (shifted([(i, h), (j, h)], None) - shifted([(i, h), (j, -h)], None)
                 - shifted([(i, -h), (j, h)], None) + shifted([(i, -h), (j, -h)], None)) / (4 * h * h)
            H[i, j] = H[j, i] = -v
    cov = H ** -1
    for i in range(k):
        print(mp.nstr(mp.exp(theta[i]) * mp.sqrt(cov[i, i]), 20))


if __name__ == '__main__':
    main()
