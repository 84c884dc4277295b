/*-------------------------------------------------------------------------
 *
 * optim.c
 *	  Box-constrained BFGS on log parameters.  Knows nothing of models:
 *	  the family fitting driver (core/ltv/fit.c) calls it.
 *
 * The likelihoods of the BTYD models are smooth but badly scaled (r ~ 0.2,
 * alpha ~ 4 in weeks or ~ 30 in days) and some regions overflow.  Working
 * on log parameters makes every model unconstrained apart from a wide box
 * (CJ_LOGPARAM_MIN/MAX) that keeps exp() finite.  The maximiser is BFGS
 * (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithm 6.1) on
 * the inverse Hessian with:
 *   - projection onto the box; variables on a bound whose gradient points
 *     out of the box are held fixed (an active set);
 *   - a backtracking Armijo line search in which a non-finite value means
 *     "step too far" (shrink by 10) rather than failure;
 *   - steps capped at CJ_MAX_STEP in log space (a factor e^3 per step);
 *   - the first inverse Hessian the inverse of the finite-difference
 *     negative Hessian at the start when that is positive definite, else
 *     the identity scaled by y's/y'y after the first step (N&W eq. 6.20).
 * Convergence: the largest projected gradient component is below
 * 1e-8 (1 + |LL|), or the objective stopped changing (1e-14 relative) with
 * the gradient below 1e-5 (1 + |LL|).
 *
 *-------------------------------------------------------------------------
 */
#include "core/math/optim.h"

#include <math.h>
#include <string.h>

#define CJ_MAX_STEP		3.0
#define CJ_GTOL			1e-8
#define CJ_GTOL_LOOSE	1e-5
#define CJ_FTOL			1e-14

static const char *const StatusNames[] = {
	"unfitted", "converged", "boundary", "maxiter", "stalled"
};

/* Text name of a verdict */
const char *
cj_fit_status_name(int status)
{
	if (status < 0 || status > CJ_FIT_STATUS_MAX)
		return "unknown";
	return StatusNames[status];
}

/* Verdict from its text name; -1 when unknown */
int
cj_fit_status_by_name(const char *name)
{
	int			i;

	for (i = 0; i <= CJ_FIT_STATUS_MAX; i++)
		if (strcmp(StatusNames[i], name) == 0)
			return i;
	return -1;
}

/* Gradient of F = -objective, and whether a variable is held on a bound */
static void
ProjectGradient(int n, const double *theta, const double *g, double lower,
				double upper, bool *active, double *pg, double *pgnorm)
{
	int			i;

	*pgnorm = 0.0;
	for (i = 0; i < n; i++)
	{
		/* minimising F: -g is the descent direction */
		active[i] = (theta[i] <= lower && g[i] > 0.0) ||
			(theta[i] >= upper && g[i] < 0.0);
		pg[i] = active[i] ? 0.0 : g[i];
		if (fabs(pg[i]) > *pgnorm)
			*pgnorm = fabs(pg[i]);
	}
}

/* Evaluate F = -fn and its gradient; +inf for non-finite values */
static double
EvalNeg(CjObjective fn, void *ctx, int n, const double *theta, double *g)
{
	double		v = fn(ctx, theta, g);
	int			i;

	if (!isfinite(v))
		return INFINITY;
	for (i = 0; i < n; i++)
	{
		if (!isfinite(g[i]))
			return INFINITY;
		g[i] = -g[i];
	}
	return -v;
}

/* Reset the inverse Hessian to scale * I */
static void
ResetH(int n, double *H, double scale)
{
	int			i;

	memset(H, 0, sizeof(double) * n * n);
	for (i = 0; i < n; i++)
		H[i * n + i] = scale;
}

/*
 * BFGS update of the inverse Hessian H with step s and gradient change y:
 * H+ = (I - rho s y') H (I - rho y s') + rho s s', rho = 1 / y's.
 * Skipped unless y's > 0 (curvature condition).
 */
static void
UpdateH(int n, double *H, const double *s, const double *y, bool first)
{
	double		sy = 0.0,
				yy = 0.0,
				Hy[CJ_OPTIM_MAX_DIM],
				yHy = 0.0,
				rho;
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		sy += s[i] * y[i];
		yy += y[i] * y[i];
	}
	if (!(sy > 1e-300) || !(yy > 0.0))
		return;
	if (first)
		ResetH(n, H, sy / yy);
	rho = 1.0 / sy;
	for (i = 0; i < n; i++)
	{
		Hy[i] = 0.0;
		for (j = 0; j < n; j++)
			Hy[i] += H[i * n + j] * y[j];
		yHy += y[i] * Hy[i];
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			H[i * n + j] += (1.0 + rho * yHy) * rho * s[i] * s[j] -
				rho * (Hy[i] * s[j] + s[i] * Hy[j]);
}

/* Search direction d = -H pg, zero on active variables; false if not descent */
static bool
Direction(int n, const double *H, const double *pg, const bool *active,
		  double *d)
{
	double		slope = 0.0,
				big = 0.0;
	int			i,
				j;

	for (i = 0; i < n; i++)
	{
		d[i] = 0.0;
		if (active[i])
			continue;
		for (j = 0; j < n; j++)
			if (!active[j])
				d[i] -= H[i * n + j] * pg[j];
		slope += d[i] * pg[i];
		if (fabs(d[i]) > big)
			big = fabs(d[i]);
	}
	if (!(slope < 0.0))
		return false;
	if (big > CJ_MAX_STEP)
		for (i = 0; i < n; i++)
			d[i] *= CJ_MAX_STEP / big;
	return true;
}

/*
 * Backtracking line search from theta along d, projected onto the box.
 * On success fills tn, Fn, gn and returns true.
 */
static bool
LineSearch(CjObjective fn, void *ctx, int n, const double *theta, double F,
		   const double *g, const double *d, double lower, double upper,
		   double *tn, double *Fn, double *gn, int *evals)
{
	double		alpha = 1.0;
	int			k,
				i;

	for (k = 0; k < 60; k++)
	{
		double		decrease = 0.0;
		bool		moved = false;

		for (i = 0; i < n; i++)
		{
			tn[i] = fmin(upper, fmax(lower, theta[i] + alpha * d[i]));
			decrease += g[i] * (tn[i] - theta[i]);
			moved |= (tn[i] != theta[i]);
		}
		if (!moved)
			return false;
		*Fn = EvalNeg(fn, ctx, n, tn, gn);
		(*evals)++;
		if (isfinite(*Fn) && *Fn <= F + 1e-4 * decrease)
			return true;
		if (!isfinite(*Fn))
			alpha *= 0.1;		/* step too far */
		else
		{
			/* minimiser of the quadratic through F, slope and Fn */
			double		num = -decrease;
			double		den = 2.0 * (*Fn - F + num);
			double		a2 = den > 0.0 ? num / den : 0.5;

			alpha *= fmin(0.5, fmax(0.1, a2));
		}
	}
	return false;
}

/* Maximise fn over the box from theta, knowing fn's value there */
bool
cj_optim_maximise_from(CjObjective fn, void *ctx, int n, double *theta,
					   double lower, double upper, int max_iter,
					   const double *H0, double v0, const double *g0,
					   CjOptimResult *res)
{
	double		H[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM];
	double		g[CJ_OPTIM_MAX_DIM],
				pg[CJ_OPTIM_MAX_DIM],
				d[CJ_OPTIM_MAX_DIM],
				tn[CJ_OPTIM_MAX_DIM],
				gn[CJ_OPTIM_MAX_DIM],
				s[CJ_OPTIM_MAX_DIM],
				y[CJ_OPTIM_MAX_DIM];
	bool		active[CJ_OPTIM_MAX_DIM];
	double		F,
				Fn,
				pgnorm;
	bool		first = true;
	int			i,
				flat = 0;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < n; i++)
	{
		double		c = fmin(upper, fmax(lower, theta[i]));

		if (c != theta[i])
			g0 = NULL;
		theta[i] = c;
	}
	if (g0 && isfinite(v0))
	{
		F = -v0;
		for (i = 0; i < n; i++)
		{
			if (!isfinite(g0[i]))
				return false;
			g[i] = -g0[i];
		}
	}
	else
	{
		F = EvalNeg(fn, ctx, n, theta, g);
		res->evaluations = 1;
	}
	if (!isfinite(F))
		return false;
	if (H0)
	{
		memcpy(H, H0, sizeof(double) * n * n);
		first = false;
	}
	else
		ResetH(n, H, 1.0);
	res->status = CJ_FIT_MAXITER;
	for (res->iterations = 0; res->iterations < max_iter; res->iterations++)
	{
		double		tol = 1.0 + fabs(F);

		cj_check_interrupts();
		ProjectGradient(n, theta, g, lower, upper, active, pg, &pgnorm);
		if (pgnorm <= CJ_GTOL * tol ||
			(flat >= 2 && pgnorm <= CJ_GTOL_LOOSE * tol))
		{
			res->status = CJ_FIT_CONVERGED;
			break;
		}
		if (!Direction(n, H, pg, active, d))
		{
			ResetH(n, H, 1.0 / fmax(1.0, pgnorm));
			first = true;
			if (!Direction(n, H, pg, active, d))
				break;
		}
		if (!LineSearch(fn, ctx, n, theta, F, pg, d, lower, upper,
						tn, &Fn, gn, &res->evaluations))
		{
			/* no ascent left: converged at numerical precision or stuck */
			res->status = pgnorm <= CJ_GTOL_LOOSE * tol ?
				CJ_FIT_CONVERGED : CJ_FIT_STALLED;
			break;
		}
		flat = (fabs(F - Fn) <= CJ_FTOL * tol) ? flat + 1 : 0;
		for (i = 0; i < n; i++)
		{
			s[i] = tn[i] - theta[i];
			y[i] = gn[i] - g[i];
			theta[i] = tn[i];
			g[i] = gn[i];
		}
		F = Fn;
		UpdateH(n, H, s, y, first);
		first = false;
	}
	ProjectGradient(n, theta, g, lower, upper, active, pg, &pgnorm);
	res->value = -F;
	res->grad_norm = pgnorm;
	for (i = 0; i < n; i++)
		res->grad[i] = -g[i];
	if (res->status == CJ_FIT_CONVERGED)
		for (i = 0; i < n; i++)
			if (theta[i] <= lower || theta[i] >= upper)
				res->status = CJ_FIT_BOUNDARY;
	return true;
}

/* Maximise fn over the box from theta */
bool
cj_optim_maximise(CjObjective fn, void *ctx, int n, double *theta,
				  double lower, double upper, int max_iter,
				  const double *H0, CjOptimResult *res)
{
	return cj_optim_maximise_from(fn, ctx, n, theta, lower, upper, max_iter,
								  H0, NAN, NULL, res);
}
