/*-------------------------------------------------------------------------
 *
 * bgnbd.h
 *	  The beta-geometric family of purchase models (BG/NBD and MBG/NBD).
 *
 * BG/NBD (Fader, Hardie and Lee 2005) and MBG/NBD (Batislam, Denizel and
 * Filiztekin 2007) differ only in whether a customer may drop out right
 * after the first purchase (time 0).  With m = 0 (BG/NBD) or m = 1
 * (MBG/NBD) every formula of both is one formula with b shifted by m, so
 * cj_bgnbd.c implements them once with the shift as an argument and
 * cj_mbgnbd.c only fills in its family table.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_BGNBD_H
#define CJ_BGNBD_H

#include "core/ltv/family.h"

/* parameters: p = (r, alpha, a, b); v = (x, t_x, T) */
extern bool cj_bg_check_data(const double *v, CjError *err);
extern bool cj_bg_check_fit(const CjData *d, CjError *err);
extern void cj_bg_start(const CjData *d, double *p);
extern double cj_bg_loglik(const CjData *d, const double *p, double *grad, int m);
extern double cj_bg_p_alive(const double *p, const double *v, int m);
extern double cj_bg_conditional(const double *p, const double *v, double t, int m);
extern double cj_bg_conditional_part(const double *p, double x, double T,
									 double t, int m);
extern double cj_bg_expected(const double *p, double t, int m);
extern double cj_bg_prob_n(const double *p, double n, double t, int m);
extern double cj_bg_window_part(const double *p, double x, double T, double n,
								double t, int m);
extern double cj_bg_window_combine(const double *p, const double *v, double n,
								   double part, int m);
extern double cj_bg_window_pmf(const double *p, const double *v, double n,
							   double t, int m);
extern double cj_bg_p_alive_at(const double *p, const double *v, double t, int m);
extern void cj_bg_simulate(const double *p, double T, CjRng *rng, double *v, int m);

/* NBD (gamma-Poisson) pieces: log P(N(t) = n) and log P(N(t) >= n) */
extern double cj_nbd_log_pmf(double r, double alpha, double n, double t);
extern double cj_nbd_log_tail(double r, double alpha, double n, double t);

#endif							/* CJ_BGNBD_H */
