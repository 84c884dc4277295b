/*-------------------------------------------------------------------------
 *
 * fit.c
 *	  Maximum-likelihood fit of a model family: starts, ranking, the
 *	  generic BFGS maximiser (core/math/optim.c) from the best of them, a
 *	  probe of the runner-up, and a Newton polish with the Hessian of the
 *	  analytic gradient.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/fit.h"

#include <math.h>
#include <string.h>

#define CJ_MAX_ITER		500
#define CJ_NSTARTS		5
#define CJ_PROBE_ITER	8

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
NegHessian(CjObjective fn, void *ctx, int k, const double *theta,
		   const double *g0, double *H, int *evals)
{
	double		gp[CJ_OPTIM_MAX_DIM],
				gm[CJ_OPTIM_MAX_DIM],
				t[CJ_OPTIM_MAX_DIM];
	const double h = 1e-4;
	int			i,
				j;

	for (i = 0; i < k; i++)
	{
		memcpy(t, theta, sizeof(double) * k);
		t[i] = theta[i] + h;
		fn(ctx, t, gp);
		(*evals)++;
		if (g0)
		{
			for (j = 0; j < k; j++)
				H[i * k + j] = -(gp[j] - g0[j]) / h;
			continue;
		}
		t[i] = theta[i] - h;
		fn(ctx, t, gm);
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
 * Inverse of a k x k negative Hessian A (destroyed: it becomes its
 * Cholesky factor) when A is positive definite; false otherwise.
 */
bool
cj_fit_invert_pd(int k, double *A, double *Ainv)
{
	int			i,
				j,
				l;

	if (!Cholesky(k, A))
		return false;
	/* solve L L' X = I column by column */
	for (j = 0; j < k; j++)
	{
		double		y[CJ_OPTIM_MAX_DIM];

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
				v -= A[l * k + i] * Ainv[l * k + j];
			Ainv[i * k + j] = v / A[i * k + i];
		}
	}
	return true;
}

/*
 * Inverse of the negative Hessian at theta, when it is positive definite:
 * an exact first inverse Hessian for BFGS, so that it starts with Newton
 * steps.  False (leave the identity) otherwise.
 */
bool
cj_fit_inverse_neg_hessian(CjObjective fn, void *ctx, int k,
						   const double *theta, const double *g0,
						   double *Hinv, int *evals)
{
	double		A[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM];

	return NegHessian(fn, ctx, k, theta, g0, A, evals) &&
		cj_fit_invert_pd(k, A, Hinv);
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
bool
cj_fit_polish(CjObjective fn, void *ctx, int k, double *theta,
			  CjOptimResult *best, int *evals, double *cov,
			  const double *hinv)
{
	double		Hinv[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM],
				g[CJ_OPTIM_MAX_DIM] = {0},
				gn[CJ_OPTIM_MAX_DIM] = {0},
				tn[CJ_OPTIM_MAX_DIM] = {0};
	int			step,
				i,
				j;

	fn(ctx, theta, g);
	(*evals)++;
	/* central differences: the inverse is also the reported covariance */
	if (hinv)
		memcpy(Hinv, hinv, sizeof(double) * k * k);
	else if (!cj_fit_inverse_neg_hessian(fn, ctx, k, theta, NULL, Hinv, evals))
		return false;
	memcpy(cov, Hinv, sizeof(double) * k * k);
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
		v = fn(ctx, tn, gn);
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
				best_theta[CJ_MAX_PARAMS],
				cov[CJ_MAX_PARAMS * CJ_MAX_PARAMS];
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
		hok = !probe && cj_fit_inverse_neg_hessian(FamilyObjective, &ctx, k,
												   theta, g[order[i]],
												   Hinv, &evals);
		if (!cj_optim_maximise_from(FamilyObjective, &ctx, k, theta,
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
	if (best.status == CJ_FIT_CONVERGED)
	{
		if (cj_fit_polish(FamilyObjective, &ctx, k, best_theta, &best,
						  &evals, cov, NULL))
			res->hessian = CJ_HESSIAN_PD;
		else
		{
			best.status = CJ_FIT_BOUNDARY;
			res->hessian = CJ_HESSIAN_INDEFINITE;
		}
	}
	for (i = 0; i < k; i++)
		res->p[i] = exp(best_theta[i]);
	/* covariance of p = exp(theta): cov_ij(p) = p_i p_j cov_ij(theta) */
	if (res->hessian == CJ_HESSIAN_PD)
		for (i = 0; i < k; i++)
			for (j = 0; j <= i; j++)
				res->vcov[i * k + j] = res->vcov[j * k + i] = res->p[i] * res->p[j] *
					0.5 * (cov[i * k + j] + cov[j * k + i]);
	res->loglik = best.value;
	res->n = d->total_weight;
	res->grad_norm = best.grad_norm;
	res->iterations = best.iterations;
	res->evaluations = evals;
	res->status = best.status;
	return true;
}
