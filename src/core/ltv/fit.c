/*-------------------------------------------------------------------------
 *
 * fit.c
 *	  Maximum-likelihood fit of a model family: starts, ranking, the
 *	  generic BFGS maximiser (core/math/optim.c) from the best of them, a
 *	  probe of the runner-up where the best does not end well, and a Newton
 *	  polish with the Hessian of the analytic gradient; large data sets
 *	  start from the estimate of a fit to a sample of them.
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
 * Whether a maximum with a positive definite negative Hessian is
 * identified by the data.  Along a ridge of the likelihood, or where it
 * only approaches its supremum as parameters run off (BG/BB on one
 * customer who bought at every opportunity plus one with none: alpha /
 * beta without bound), the numerical Hessian can come out positive
 * definite by rounding; its inverse then gives a standard error above
 * CJ_FIT_SE_MAX on the optimizer's scale (log parameters, raw
 * coefficients: a factor of e^5 either way), which no estimate worth
 * reporting has.  Such a fit is reported on the boundary, as one whose
 * Hessian is not positive definite.
 */
#define CJ_FIT_SE_MAX 5.0

static bool
FitIdentified(int k, const double *cov)
{
	int			i;

	for (i = 0; i < k; i++)
		if (!(cov[i * k + i] <= CJ_FIT_SE_MAX * CJ_FIT_SE_MAX))
			return false;
	return true;
}

/*
 * Newton polish of a converged estimate, which also checks that it is
 * identified (and FitIdentified).  At the BFGS optimum the negative
 * Hessian A (finite differences of the analytic gradient) must be
 * positive definite, else the likelihood is flat in some direction
 * there: the estimate is not
 * identified by the data (one customer: r and alpha drift to infinity with
 * r/alpha fixed) although the gradient is tiny, and false is returned.
 * Then up to two Newton steps theta += A^-1 g are taken while they do not
 * lower the likelihood: the estimate then no longer depends on the path
 * BFGS took (to ~1e-12 instead of the stopping tolerance), so fits of the
 * same data agree to the last digits however they were started.  *best
 * is the optimizer's result at theta: its gradient is taken as it is.
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

	/*
	 * the gradient at theta is the optimizer's last one (best->grad, from
	 * the same deterministic objective at the same point): no pass over
	 * the data to recompute it
	 */
	memcpy(g, best->grad, sizeof(double) * k);
	/* central differences: the inverse is also the reported covariance */
	if (hinv)
		memcpy(Hinv, hinv, sizeof(double) * k * k);
	else if (!cj_fit_inverse_neg_hessian(fn, ctx, k, theta, NULL, Hinv, evals))
		return false;
	memcpy(cov, Hinv, sizeof(double) * k * k);
	if (!FitIdentified(k, cov))
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
		memcpy(best->grad, gn, sizeof(double) * k);
		best->value = v;
		best->grad_norm = gmax;
	}
	return true;
}

/*
 * A run from theta0 (value v0, gradient g0, first inverse Hessian Hinv or
 * NULL) that ends well: converged, then polished with a positive definite
 * Hessian.  True with *best, best_theta and cov set; false otherwise.
 */
static bool
RunAndPolish(FamilyCtx *ctx, int k, const double *theta0, const double *Hinv,
			  double v0, const double *g0, CjOptimResult *best,
			  double *best_theta, int *evals, double *cov)
{
	double		theta[CJ_MAX_PARAMS];
	CjOptimResult r;

	memcpy(theta, theta0, sizeof(double) * k);
	if (!cj_optim_maximise_from(FamilyObjective, ctx, k, theta,
								CJ_LOGPARAM_MIN, CJ_LOGPARAM_MAX, CJ_MAX_ITER,
								Hinv, v0, g0, &r))
		return false;
	*evals += r.evaluations;
	if (r.status != CJ_FIT_CONVERGED || !cj_fit_polish(FamilyObjective, ctx, k, theta, &r, evals, cov, NULL))
		return false;
	*best = r;
	memcpy(best_theta, theta, sizeof(double) * k);
	return true;
}

/*
 * For large data sets, the first start from a fit to a sample of the
 * distinct tuples (sorted, as loglik wants them): every tuple with at
 * least CJ_FIT_SAMPLE_STEP times the mean weight (at most n / STEP of them,
 * and they can carry much of the likelihood: all customers without a
 * repeat purchase often share one tuple), and of the others every
 * CJ_FIT_SAMPLE_STEP-th, its weight multiplied by the step.  The sample's
 * log-likelihood is then an unbiased estimate of the whole one
 * (Horvitz-Thompson), and it is fitted from the ranked starts as a whole
 * data set is.  From its estimate, a few BFGS iterations on all the data
 * reach the optimum (RunAndPolish), where ranking and running the starts
 * on all the data took three times as many full evaluations.  False when
 * the sample cannot be fitted or the shortcut does not end well: the
 * caller then fits the whole data set from its own starts, as for small
 * ones.
 */
#define CJ_FIT_SAMPLE_MIN	32768	/* distinct tuples from which to sample */
#define CJ_FIT_SAMPLE_STEP	8

static bool
SampleShortcut(const CjFamily *f, const CjData *d, CjTuple *scratch,
			   size_t nscratch, CjOptimResult *best, double *best_theta,
			   int *evals, double *cov)
{
	double		st[CJ_NSTARTS][CJ_MAX_PARAMS],
				g[CJ_MAX_PARAMS],
				gb[CJ_MAX_PARAMS],
				theta[CJ_MAX_PARAMS],
				Hinv[CJ_MAX_PARAMS * CJ_MAX_PARAMS],
				bv = -INFINITY,
				v;
	int			k = f->nparams,
				b = -1,
				j;
	size_t		i,
				m = 0;
	double		heavy_w = CJ_FIT_SAMPLE_STEP * d->total_weight / d->n;
	CjData		s;
	FamilyCtx	sctx = {f, &s},
				ctx = {f, d};
	CjOptimResult r;
	CjError		err;
	bool		hok;

	s.total_weight = 0.0;
	for (i = 0; i < d->n && m < nscratch; i++)
	{
		bool		heavy = d->t[i].w >= heavy_w;

		if (!heavy && i % CJ_FIT_SAMPLE_STEP != CJ_FIT_SAMPLE_STEP / 2)
			continue;
		scratch[m] = d->t[i];
		if (!heavy)
			scratch[m].w *= CJ_FIT_SAMPLE_STEP;
		s.total_weight += scratch[m++].w;
	}
	if (i < d->n)
		return false;			/* no room: cannot happen (see fit.h) */
	s.t = scratch;
	s.n = m;
	if (m == 0 || (f->check_fit && !f->check_fit(&s, &err)))
		return false;
	Starts(f, &s, st);
	for (j = 0; j < CJ_NSTARTS; j++)
	{
		v = FamilyObjective(&sctx, st[j], g);
		(*evals)++;
		if (isfinite(v) && v > bv)
		{
			bv = v;
			b = j;
			memcpy(gb, g, sizeof(double) * k);
		}
	}
	if (b < 0)
		return false;
	/* BFGS from the best start and its Hessian, as on all the data */
	memcpy(theta, st[b], sizeof(double) * k);
	hok = cj_fit_inverse_neg_hessian(FamilyObjective, &sctx, k, theta, gb, Hinv, evals);
	if (!cj_optim_maximise_from(FamilyObjective, &sctx, k, theta,
								CJ_LOGPARAM_MIN, CJ_LOGPARAM_MAX, CJ_MAX_ITER,
								hok ? Hinv : NULL, bv, gb, &r))
		return false;
	*evals += r.evaluations;
	if (r.status != CJ_FIT_CONVERGED)
		return false;
	/*
	 * All the data from the sample's estimate, with the sample's inverse
	 * Hessian there scaled to all the customers (the information grows
	 * with them) as BFGS's first: cheaper than one on all the data
	 */
	hok = cj_fit_inverse_neg_hessian(FamilyObjective, &sctx, k, theta, r.grad, Hinv, evals);
	for (j = 0; hok && j < k * k; j++)
		Hinv[j] *= s.total_weight / d->total_weight;
	v = FamilyObjective(&ctx, theta, g);
	(*evals)++;
	if (!isfinite(v))
		return false;
	return RunAndPolish(&ctx, k, theta, hok ? Hinv : NULL, v, g, best,
						 best_theta, evals, cov);
}

/* Fit a family by multi-start BFGS */
bool
cj_fit_family(const CjFamily *f, const CjData *d, CjFitResult *res,
			  CjError *err)
{
	return cj_fit_family_scratch(f, d, NULL, 0, res, err);
}

/* The same with scratch memory for a sample */
bool
cj_fit_family_scratch(const CjFamily *f, const CjData *d, CjTuple *scratch,
					  size_t nscratch, CjFitResult *res, CjError *err)
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
	bool		have = false,
				polished = false,
				polish_failed = false;	/* best's Hessian is not PD */

	memset(res, 0, sizeof(*res));
	if (d->n == 0 || !(d->total_weight > 0))
	{
		cj_error_set(err, CJ_ERR_PARAM, "There are no customers to fit.");
		return false;
	}
	if (f->check_fit && !f->check_fit(d, err))
		return false;
	memset(&best, 0, sizeof(best));
	if (scratch && d->n >= CJ_FIT_SAMPLE_MIN &&
		SampleShortcut(f, d, scratch, nscratch, &best, best_theta, &evals,
					   cov))
		have = polished = true;
	else
		Starts(f, d, st);
	/* rank the starts by their likelihood */
	for (i = 0; i < (polished ? 0 : CJ_NSTARTS); i++)
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
	for (i = 0; i < (polished ? 0 : CJ_NSTARTS); i++)
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

		/*
		 * A best start that converged to a maximum with a positive
		 * definite Hessian needs no probe: polish it and stop.  The probe
		 * (a fifth of a fit's evaluations) stays for the fits where that
		 * check fails.
		 */
		if (i == 1 && have && best.status == CJ_FIT_CONVERGED)
		{
			if (cj_fit_polish(FamilyObjective, &ctx, k, best_theta, &best,
							  &evals, cov, NULL))
			{
				polished = true;
				break;
			}
			polish_failed = true;
		}
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
			polish_failed = false;
		}
	}
	if (!have)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The %s log-likelihood is not finite at any starting point.",
					 f->title);
		return false;
	}
	if (polished)
		res->hessian = CJ_HESSIAN_PD;
	else if (best.status == CJ_FIT_CONVERGED)
	{
		/* a failed polish of the same estimate would fail again */
		if (!polish_failed &&
			cj_fit_polish(FamilyObjective, &ctx, k, best_theta, &best,
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
