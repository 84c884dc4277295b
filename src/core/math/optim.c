/*-------------------------------------------------------------------------
 *
 * optim.c
 *	  Box-constrained BFGS on log parameters, and multi-start family fits.
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
#define CJ_MAX_ITER		500
#define CJ_NSTARTS		5
#define CJ_PROBE_ITER	8

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
				Hy[CJ_MAX_PARAMS],
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

/*
 * Maximise fn over the box from theta; when g0 is not NULL, v0 and g0 are
 * fn's value and gradient at theta (known from ranking the starts), which
 * saves the first evaluation unless theta has to be moved into the box.
 */
static bool
MaximiseFrom(CjObjective fn, void *ctx, int n, double *theta,
			 double lower, double upper, int max_iter,
			 const double *H0, double v0, const double *g0,
			 CjOptimResult *res)
{
	double		H[CJ_MAX_PARAMS * CJ_MAX_PARAMS];
	double		g[CJ_MAX_PARAMS],
				pg[CJ_MAX_PARAMS],
				d[CJ_MAX_PARAMS],
				tn[CJ_MAX_PARAMS],
				gn[CJ_MAX_PARAMS],
				s[CJ_MAX_PARAMS],
				y[CJ_MAX_PARAMS];
	bool		active[CJ_MAX_PARAMS];
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
	return MaximiseFrom(fn, ctx, n, theta, lower, upper, max_iter, H0,
						NAN, NULL, res);
}

/* Objective of a family fit: log-likelihood at exp(theta) */
typedef struct FamilyCtx
{
	const CjFamily *f;
	const CjData *d;
} FamilyCtx;

static double
FamilyObjective(void *ctx, const double *theta, double *grad)
{
	FamilyCtx  *c = (FamilyCtx *) ctx;
	double		p[CJ_MAX_PARAMS];
	int			i;

	for (i = 0; i < c->f->nparams; i++)
		p[i] = exp(theta[i]);
	return c->f->loglik(c->d, p, grad);
}

/*
 * Candidate starts on the log scale: the family's data-driven start, the
 * all-ones point, and the data start shifted down, up and mixed by e^1.5.
 */
static void
Starts(const CjFamily *f, const CjData *d, double st[CJ_NSTARTS][CJ_MAX_PARAMS])
{
	double		p0[CJ_MAX_PARAMS];
	int			k = f->nparams,
				i;

	for (i = 0; i < k; i++)
		p0[i] = 1.0;
	f->start(d, p0);
	for (i = 0; i < k; i++)
	{
		double		t = (isfinite(p0[i]) && p0[i] > 0.0) ? log(p0[i]) : 0.0;

		t = fmin(CJ_LOGPARAM_MAX - 1.0, fmax(CJ_LOGPARAM_MIN + 1.0, t));
		st[0][i] = t;
		st[1][i] = 0.0;
		st[2][i] = t - 1.5;
		st[3][i] = t + 1.5;
		st[4][i] = t + ((i % 2) ? 1.5 : -1.5);
	}
}

/* Whether fit result a is better than b */
static bool
Better(const CjOptimResult *a, const CjOptimResult *b)
{
	bool		ca = a->status == CJ_FIT_CONVERGED,
				cb = b->status == CJ_FIT_CONVERGED;

	if (a->value > b->value + 1e-9 * (1.0 + fabs(b->value)))
		return true;
	if (a->value < b->value - 1e-9 * (1.0 + fabs(b->value)))
		return false;
	return ca && !cb;
}

/*
 * Negative Hessian of the log-likelihood on log parameters at theta, by
 * central differences (h = 1e-4) of the analytic gradient, symmetrised.
 * When g0, the gradient at theta, is given, forward differences from it
 * instead: half the evaluations for a relative error of O(h) = 1e-4 rather
 * than O(h^2).  That is plenty for the first inverse Hessian of BFGS, and
 * for the Newton polish too: each step then shrinks the gradient by about
 * 1e-4, and the two steps from a BFGS optimum reach the rounding noise of
 * the likelihood sum.  False when a value is not finite.
 */
static bool
NegHessian(FamilyCtx *ctx, int k, const double *theta, const double *g0,
		   double *H, int *evals)
{
	double		gp[CJ_MAX_PARAMS],
				gm[CJ_MAX_PARAMS],
				t[CJ_MAX_PARAMS];
	const double h = 1e-4;
	int			i,
				j;

	for (i = 0; i < k; i++)
	{
		memcpy(t, theta, sizeof(double) * k);
		t[i] = theta[i] + h;
		FamilyObjective(ctx, t, gp);
		(*evals)++;
		if (g0)
		{
			for (j = 0; j < k; j++)
				H[i * k + j] = -(gp[j] - g0[j]) / h;
			continue;
		}
		t[i] = theta[i] - h;
		FamilyObjective(ctx, t, gm);
		(*evals)++;
		for (j = 0; j < k; j++)
			H[i * k + j] = -(gp[j] - gm[j]) / (2 * h);
	}
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
		{
			if (!isfinite(H[i * k + j]))
				return false;
			if (j < i)
				H[i * k + j] = H[j * k + i] = 0.5 * (H[i * k + j] + H[j * k + i]);
		}
	return true;
}

/*
 * Cholesky factor L (lower, in place) of a k x k matrix; false unless it is
 * positive definite with every pivot above 1e-10 of the largest diagonal.
 */
static bool
Cholesky(int k, double *A)
{
	double		dmax = 0.0;
	int			i,
				j,
				l;

	for (i = 0; i < k; i++)
		dmax = fmax(dmax, fabs(A[i * k + i]));
	for (j = 0; j < k; j++)
	{
		double		d = A[j * k + j];

		for (l = 0; l < j; l++)
			d -= A[j * k + l] * A[j * k + l];
		if (!(d > 1e-10 * dmax))
			return false;
		A[j * k + j] = sqrt(d);
		for (i = j + 1; i < k; i++)
		{
			double		v = A[i * k + j];

			for (l = 0; l < j; l++)
				v -= A[i * k + l] * A[j * k + l];
			A[i * k + j] = v / A[j * k + j];
		}
	}
	return true;
}

/*
 * Inverse of the negative Hessian at theta, when it is positive definite:
 * an exact first inverse Hessian for BFGS, so that it starts with Newton
 * steps.  False (leave the identity) otherwise.
 */
static bool
InverseNegHessian(FamilyCtx *ctx, int k, const double *theta,
				  const double *g0, double *Hinv, int *evals)
{
	double		A[CJ_MAX_PARAMS * CJ_MAX_PARAMS];
	int			i,
				j,
				l;

	if (!NegHessian(ctx, k, theta, g0, A, evals) || !Cholesky(k, A))
		return false;
	/* solve L L' X = I column by column */
	for (j = 0; j < k; j++)
	{
		double		y[CJ_MAX_PARAMS];

		for (i = 0; i < k; i++)
		{
			double		v = (i == j) ? 1.0 : 0.0;

			for (l = 0; l < i; l++)
				v -= A[i * k + l] * y[l];
			y[i] = v / A[i * k + i];
		}
		for (i = k - 1; i >= 0; i--)
		{
			double		v = y[i];

			for (l = i + 1; l < k; l++)
				v -= A[l * k + i] * Hinv[l * k + j];
			Hinv[i * k + j] = v / A[i * k + i];
		}
	}
	return true;
}

/*
 * Newton polish of a converged estimate, which also checks that it is
 * identified.  At the BFGS optimum the negative Hessian A (finite
 * differences of the analytic gradient) must be positive definite, else
 * the likelihood is flat in some direction there: the estimate is not
 * identified by the data (one customer: r and alpha drift to infinity with
 * r/alpha fixed) although the gradient is tiny, and false is returned.
 * Then up to two Newton steps theta += A^-1 g are taken while they do not
 * lower the likelihood: the estimate then no longer depends on the path
 * BFGS took (to ~1e-12 instead of the stopping tolerance), so fits of the
 * same data agree to the last digits however they were started.
 */
static bool
Polish(FamilyCtx *ctx, int k, double *theta, CjOptimResult *best, int *evals)
{
	double		Hinv[CJ_MAX_PARAMS * CJ_MAX_PARAMS],
				g[CJ_MAX_PARAMS] = {0},
				gn[CJ_MAX_PARAMS] = {0},
				tn[CJ_MAX_PARAMS] = {0};
	int			step,
				i,
				j;

	FamilyObjective(ctx, theta, g);
	(*evals)++;
	if (!InverseNegHessian(ctx, k, theta, g, Hinv, evals))
		return false;
	/* the Hessian hardly changes over such short steps: reuse it */
	for (step = 0; step < 2; step++)
	{
		double		v,
					gmax = 0.0,
					gold = 0.0;

		for (i = 0; i < k; i++)
		{
			tn[i] = theta[i];
			for (j = 0; j < k; j++)
				tn[i] += Hinv[i * k + j] * g[j];
			tn[i] = fmin(CJ_LOGPARAM_MAX, fmax(CJ_LOGPARAM_MIN, tn[i]));
		}
		v = FamilyObjective(ctx, tn, gn);
		(*evals)++;
		for (i = 0; i < k; i++)
		{
			gmax = fmax(gmax, fabs(gn[i]));
			gold = fmax(gold, fabs(g[i]));
		}
		/* accept when the gradient shrinks and the value is not lower
		 * beyond the rounding noise of a sum over the data */
		if (!(isfinite(v) && gmax < gold &&
			  v >= best->value - 1e-12 * (1.0 + fabs(best->value))))
			break;
		memcpy(theta, tn, sizeof(double) * k);
		memcpy(g, gn, sizeof(double) * k);
		best->value = v;
		best->grad_norm = gmax;
	}
	return true;
}

/* Fit a family by multi-start BFGS */
bool
cj_fit_family(const CjFamily *f, const CjData *d, CjFitResult *res,
			  CjError *err)
{
	double		st[CJ_NSTARTS][CJ_MAX_PARAMS],
				g[CJ_NSTARTS][CJ_MAX_PARAMS],
				val[CJ_NSTARTS],
				best_theta[CJ_MAX_PARAMS];
	int			order[CJ_NSTARTS],
				k = f->nparams,
				i,
				j,
				evals = 0;
	FamilyCtx	ctx = {f, d};
	CjOptimResult best;
	bool		have = false;

	memset(res, 0, sizeof(*res));
	if (d->n == 0 || !(d->total_weight > 0))
	{
		cj_error_set(err, CJ_ERR_PARAM, "There are no customers to fit.");
		return false;
	}
	if (f->check_fit && !f->check_fit(d, err))
		return false;
	Starts(f, d, st);
	/* rank the starts by their likelihood */
	for (i = 0; i < CJ_NSTARTS; i++)
	{
		val[i] = FamilyObjective(&ctx, st[i], g[i]);
		evals++;
		if (!isfinite(val[i]))
			val[i] = -INFINITY;
		order[i] = i;
		for (j = i; j > 0 && val[order[j]] > val[order[j - 1]]; j--)
		{
			int			tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	}
	memset(&best, 0, sizeof(best));
	for (i = 0; i < CJ_NSTARTS; i++)
	{
		double		theta[CJ_MAX_PARAMS];
		CjOptimResult r;
		double		Hinv[CJ_MAX_PARAMS * CJ_MAX_PARAMS];
		bool		probe,
					hok;

		/*
		 * The best start runs to the end.  While that has converged, only
		 * the second start is tried, as a probe of CJ_PROBE_ITER
		 * iterations that continues only if it is not behind; otherwise
		 * every start runs in full.
		 */
		if (i >= 2 && have && best.status == CJ_FIT_CONVERGED)
			break;
		if (!isfinite(val[order[i]]))
			break;
		probe = have && best.status == CJ_FIT_CONVERGED;
		memcpy(theta, st[order[i]], sizeof(double) * k);
		hok = !probe && InverseNegHessian(&ctx, k, theta, g[order[i]],
										  Hinv, &evals);
		if (!MaximiseFrom(FamilyObjective, &ctx, k, theta,
						  CJ_LOGPARAM_MIN, CJ_LOGPARAM_MAX,
						  probe ? CJ_PROBE_ITER : CJ_MAX_ITER,
						  hok ? Hinv : NULL, val[order[i]], g[order[i]], &r))
			continue;
		evals += r.evaluations;
		if (probe && r.status == CJ_FIT_MAXITER)
		{
			CjOptimResult r2;
			int			done = r.iterations;

			double		dist = 0.0;
			int			j2;

			/* behind, or already in the best one's basin: stop here */
			for (j2 = 0; j2 < k; j2++)
				dist = fmax(dist, fabs(theta[j2] - best_theta[j2]));
			if (r.value < best.value - 1e-6 * (1.0 + fabs(best.value)) ||
				dist < 1e-2)
				continue;
			if (!cj_optim_maximise(FamilyObjective, &ctx, k, theta,
								   CJ_LOGPARAM_MIN, CJ_LOGPARAM_MAX,
								   CJ_MAX_ITER - done, NULL, &r2))
				continue;
			evals += r2.evaluations;
			r = r2;
			r.iterations += done;
		}
		if (!have || Better(&r, &best))
		{
			best = r;
			memcpy(best_theta, theta, sizeof(double) * k);
			have = true;
		}
	}
	if (!have)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The %s log-likelihood is not finite at any starting point.",
					 f->title);
		return false;
	}
	if (best.status == CJ_FIT_CONVERGED &&
		!Polish(&ctx, k, best_theta, &best, &evals))
		best.status = CJ_FIT_BOUNDARY;
	for (i = 0; i < k; i++)
		res->p[i] = exp(best_theta[i]);
	res->loglik = best.value;
	res->n = d->total_weight;
	res->grad_norm = best.grad_norm;
	res->iterations = best.iterations;
	res->evaluations = evals;
	res->status = best.status;
	return true;
}
