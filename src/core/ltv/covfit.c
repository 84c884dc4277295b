/*-------------------------------------------------------------------------
 *
 * covfit.c
 *	  Pareto/NBD and BG/NBD with time-invariant covariates: the grouped
 *	  log-likelihood, its analytic gradient, CLVTools' L2 penalty and
 *	  equality constraints, and the fit driver.
 *
 * Parameterisation (CLVTools; Bachmann, Meierer and Naef, "CLVTools:
 * Probabilistic Customer Lifetime Value Models", package vignette, section
 * "Time-invariant covariates"; following Fader and Hardie, "Incorporating
 * time-invariant covariates into the Pareto/NBD and BG/NBD models", 2007):
 * with trans covariates z_t and life covariates z_l of customer i,
 *
 *	 Pareto/NBD  alpha_i = alpha0 exp(-gamma_trans' z_t)
 *				 beta_i  = beta0  exp(-gamma_life'  z_l)
 *	 BG/NBD		 alpha_i = alpha0 exp(-gamma_trans' z_t)
 *				 a_i	 = a0	  exp( gamma_life'	z_l)
 *				 b_i	 = b0	  exp( gamma_life'	z_l)
 *
 * so a positive trans coefficient raises the purchase rate (E[lambda] =
 * r / alpha_i) and, for Pareto/NBD, a positive life coefficient raises the
 * dropout rate; for BG/NBD it scales a and b together, which keeps the mean
 * dropout probability a / (a + b) and makes it less dispersed.  (CLVTools'
 * C++ source: pnbd_staticcov_alpha_i and pnbd_staticcov_beta_i in
 * src/pnbd.cpp, bgnbd_staticcov_alpha_i, _a_i and _b_i in src/bgnbd.cpp:
 * the same signs.)  A constrained covariate ("constr.") has one
 * coefficient used in both links.
 *
 * Log-likelihood: customers with the same covariates share transformed
 * parameters, so the data come grouped by distinct covariate vector and
 * each group is one call of the family's own likelihood over its distinct
 * (x, t_x, T) tuples, at the group's parameters.  The family returns the
 * gradient with respect to the logs of its parameters, g_k = dLL_g /
 * dlog p_k; as log p_k(group) = log p0_k + s_t(k) gamma_trans' z_t +
 * s_l(k) gamma_life' z_l with the signs s of the links above, the chain
 * rule gives
 *
 *	 dLL / dlog p0_k = sum_groups g_k
 *	 dLL / dgamma_c	 = sum_groups sum_k g_k (s_t(k) z_t,c + s_l(k) z_l,c)
 *
 * (a constrained coefficient collects both terms).
 *
 * Regularization, on CLVTools' scale (its interlayer_regularization):
 * minimise  -LL / N + lambda_trans sum gamma_trans^2 + lambda_life sum
 * gamma_life^2, the model parameters and the constrained coefficients not
 * penalised.  The driver maximises LL - N * penalty, the same optimum on
 * the scale of the family fits, so that the tolerances of the optimizer
 * (core/math/optim.c) and the Newton polish and the covariance of the
 * family fits (core/ltv/fit.c) carry over; the covariance is the inverse
 * of the negative Hessian of that penalised objective.
 *
 *-------------------------------------------------------------------------
 */
#include "core/ltv/covfit.h"

#include <math.h>
#include <string.h>

#define COV_MAX_ITER	1000
#define COV_NSTARTS		5

/*
 * The links of one family: sign of the trans and of the life linear
 * predictor in the log of each parameter (0 = not linked).
 */
typedef struct CovLink
{
	int			family;
	double		trans[CJ_MAX_PARAMS];
	double		life[CJ_MAX_PARAMS];
} CovLink;

static const CovLink Links[] = {
	/* Pareto/NBD (r, alpha, s, beta) */
	{CJ_FAMILY_PNBD, {0, -1, 0, 0}, {0, 0, 0, -1}},
	/* BG/NBD (r, alpha, a, b) */
	{CJ_FAMILY_BGNBD, {0, -1, 0, 0}, {0, 0, 1, 1}},
};

/* The links of family f, NULL when it takes no covariates */
static const CovLink *
LinkOf(const CjFamily *f)
{
	size_t		i;

	for (i = 0; i < sizeof(Links) / sizeof(Links[0]); i++)
		if (Links[i].family == f->id)
			return &Links[i];
	return NULL;
}

/* Whether family f takes covariates */
bool
cj_cov_family_supported(const CjFamily *f)
{
	return LinkOf(f) != NULL;
}

/* Validate a covariate spec (see the header) */
bool
cj_cov_spec_check(const CjFamily *f, const CjCovSpec *s, CjError *err)
{
	int			i;

	if (!LinkOf(f))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The %s model takes no covariates; only Pareto/NBD and BG/NBD do.",
					 f->title);
		return false;
	}
	if (s->ntrans < 0 || s->ntrans > CJ_COVFIT_MAX || s->nlife < 0 ||
		s->nlife > CJ_COVFIT_MAX)
	{
		cj_error_set(err, CJ_ERR_LIMIT,
					 "A process takes at most %d covariates.", CJ_COVFIT_MAX);
		return false;
	}
	if (s->ncoef < 0 || s->ncoef > s->ntrans + s->nlife)
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "There are %d coefficients for %d covariates.",
					 s->ncoef, s->ntrans + s->nlife);
		return false;
	}
	for (i = 0; i < s->ntrans + s->nlife; i++)
	{
		bool		tr = i < s->ntrans;
		int			c = tr ? s->trans_coef[i] : s->life_coef[i - s->ntrans];

		if (c < 0 || c >= s->ncoef ||
			(s->kind[c] != CJ_COEF_CONSTR &&
			 s->kind[c] != (tr ? CJ_COEF_TRANS : CJ_COEF_LIFE)))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "Covariate column %d is not mapped to a coefficient of its process.",
						 i + 1);
			return false;
		}
	}
	if (!(isfinite(s->lambda_trans) && s->lambda_trans >= 0.0 &&
		  isfinite(s->lambda_life) && s->lambda_life >= 0.0))
	{
		cj_error_set(err, CJ_ERR_PARAM,
					 "The regularization lambdas must be finite and at least 0.");
		return false;
	}
	return true;
}

/* The linear predictors gamma_trans' z_t and gamma_life' z_l of z */
static void
Predictors(const CjCovSpec *s, const double *coef, const double *z,
		   double *et, double *el)
{
	int			i;

	*et = 0.0;
	*el = 0.0;
	for (i = 0; i < s->ntrans; i++)
		*et += coef[s->trans_coef[i]] * z[i];
	for (i = 0; i < s->nlife; i++)
		*el += coef[s->life_coef[i]] * z[s->ntrans + i];
}

/* Transformed parameters of covariates z (see the header comment) */
void
cj_cov_transform(const CjFamily *f, const CjCovSpec *s, const double *p,
				 const double *coef, const double *z, double *pz)
{
	const CovLink *l = LinkOf(f);
	double		et,
				el;
	int			k;

	Predictors(s, coef, z, &et, &el);
	for (k = 0; k < f->nparams; k++)
		pz[k] = l ? p[k] * exp(l->trans[k] * et + l->life[k] * el) : p[k];
}

/* Unpenalised grouped log-likelihood and gradient (see the file header) */
double
cj_cov_loglik(const CjFamily *f, const CjCovSpec *s, const CjCovData *d,
			  const double *theta, double *grad)
{
	const CovLink *l = LinkOf(f);
	const double *coef = theta + f->nparams;
	double		sum = 0.0;
	int			np = f->nparams,
				k;
	size_t		gi;

	if (grad)
		memset(grad, 0, sizeof(double) * (np + s->ncoef));
	for (gi = 0; gi < d->ngroups; gi++)
	{
		const CjCovGroup *g = &d->g[gi];
		double		p[CJ_MAX_PARAMS],
					gg[CJ_MAX_PARAMS],
					et,
					el,
					dt = 0.0,
					dl = 0.0,
					ll;
		int			i;

		if (g->d.n == 0)
			continue;
		Predictors(s, coef, g->z, &et, &el);
		for (k = 0; k < np; k++)
		{
			double		lp = theta[k] + l->trans[k] * et + l->life[k] * el;

			/*
			 * A group's parameters stay in the box of the family fits
			 * (core/math/optim.h), where every likelihood term is finite
			 * and cheap; beyond it the likelihood is "not finite", which
			 * the optimizer treats as a step too far.
			 */
			if (!(lp >= CJ_LOGPARAM_MIN && lp <= CJ_LOGPARAM_MAX))
				return -INFINITY;
			p[k] = exp(lp);
		}
		ll = f->loglik(&g->d, p, grad ? gg : NULL);
		if (!isfinite(ll))
			return -INFINITY;
		sum += ll;
		if (!grad)
			continue;
		for (k = 0; k < np; k++)
		{
			grad[k] += gg[k];
			dt += gg[k] * l->trans[k];
			dl += gg[k] * l->life[k];
		}
		for (i = 0; i < s->ntrans; i++)
			grad[np + s->trans_coef[i]] += dt * g->z[i];
		for (i = 0; i < s->nlife; i++)
			grad[np + s->life_coef[i]] += dl * g->z[s->ntrans + i];
	}
	if (grad)
		for (k = 0; k < np + s->ncoef; k++)
			if (!isfinite(grad[k]))
				return -INFINITY;
	return sum;
}

/* The lambda of coefficient c (0 for a constrained one) */
static double
LambdaOf(const CjCovSpec *s, int c)
{
	if (s->kind[c] == CJ_COEF_TRANS)
		return s->lambda_trans;
	if (s->kind[c] == CJ_COEF_LIFE)
		return s->lambda_life;
	return 0.0;
}

/* CLVTools' penalty at coefficients coef */
double
cj_cov_penalty(const CjCovSpec *s, const double *coef)
{
	double		pen = 0.0;
	int			c;

	for (c = 0; c < s->ncoef; c++)
		pen += LambdaOf(s, c) * coef[c] * coef[c];
	return pen;
}

/* Objective of the fit: the penalised log-likelihood sum */
typedef struct CovCtx
{
	const CjFamily *f;
	const CjCovSpec *s;
	const CjCovData *d;
	double		theta[CJ_OPTIM_MAX_DIM];	/* full point (stage 1) */
} CovCtx;

/* LL - N * penalty at theta (all variables) and its gradient */
static double
CovObjective(void *ctx, const double *theta, double *grad)
{
	CovCtx	   *c = (CovCtx *) ctx;
	int			np = c->f->nparams,
				i;
	double		v,
				N = c->d->total_weight;

	cj_check_interrupts();
	v = cj_cov_loglik(c->f, c->s, c->d, theta, grad);

	if (!isfinite(v))
		return -INFINITY;
	for (i = 0; i < c->s->ncoef; i++)
	{
		double		lam = LambdaOf(c->s, i);

		v -= N * lam * theta[np + i] * theta[np + i];
		if (grad)
			grad[np + i] -= 2.0 * N * lam * theta[np + i];
	}
	return v;
}

/*
 * Stage-1 objective: the family parameters only, the coefficients held
 * at c->theta's (zero): the fit of the model without covariates.
 */
static double
BaseObjective(void *ctx, const double *theta, double *grad)
{
	CovCtx	   *c = (CovCtx *) ctx;
	double		t[CJ_OPTIM_MAX_DIM],
				g[CJ_OPTIM_MAX_DIM];
	int			np = c->f->nparams;
	double		v;

	memcpy(t, c->theta, sizeof(t));
	memcpy(t, theta, sizeof(double) * np);
	v = CovObjective(ctx, t, grad ? g : NULL);
	if (grad)
		memcpy(grad, g, sizeof(double) * np);
	return v;
}

/*
 * A_g: the np x k linear map from theta to group g's log parameters
 * (identity on the family parameters, the signed covariates of the links
 * on the coefficients)
 */
static void
GroupMap(const CovCtx *c, const CjCovGroup *g, double *A)
{
	const CjCovSpec *s = c->s;
	const CovLink *l = LinkOf(c->f);
	int			np = c->f->nparams,
				k = np + s->ncoef,
				i,
				j;

	memset(A, 0, sizeof(double) * np * k);
	for (i = 0; i < np; i++)
	{
		A[i * k + i] = 1.0;
		for (j = 0; j < s->ntrans; j++)
			A[i * k + np + s->trans_coef[j]] += l->trans[i] * g->z[j];
		for (j = 0; j < s->nlife; j++)
			A[i * k + np + s->life_coef[j]] += l->life[i] * g->z[s->ntrans + j];
	}
}

/* H (k x k) += scale A' Hg A, Hg (np x np) symmetrised */
static void
AddSandwich(double *H, int k, int np, const double *A, const double *Hg,
			double scale)
{
	for (int a = 0; a < np; a++)
		for (int b = 0; b < np; b++)
		{
			double		hab = scale * 0.5 * (Hg[a * np + b] + Hg[b * np + a]);

			if (hab == 0.0)
				continue;
			for (int i = 0; i < k; i++)
			{
				double		ai = A[a * k + i] * hab;

				if (ai == 0.0)
					continue;
				for (int j = 0; j < k; j++)
					H[i * k + j] += ai * A[b * k + j];
			}
		}
}

/* The penalty's 2 N lambda on the coefficients' diagonal; false if H is not finite */
static bool
AddPenaltyFinite(const CovCtx *c, double *H)
{
	int			np = c->f->nparams,
				k = np + c->s->ncoef;

	for (int i = 0; i < c->s->ncoef; i++)
		H[(np + i) * k + np + i] += 2.0 * c->d->total_weight * LambdaOf(c->s, i);
	for (int i = 0; i < k * k; i++)
		if (!isfinite(H[i]))
			return false;
	return true;
}

/*
 * Negative Hessian of the penalised objective at theta, from the groups'
 * structure.  The log-likelihood is sum_g L_g(A_g theta), where L_g is the
 * family's likelihood of group g as a function of its log parameters
 * (np of them) and A_g the linear map from theta to them (identity on
 * the family parameters, the signed covariates of the links on the
 * coefficients).  So its Hessian is sum_g A_g' H_g A_g, with H_g the
 * np x np Hessian of the family's likelihood, taken by central
 * differences (h = 1e-4) of the family's analytic gradient: 2 np passes
 * over the data whatever the number of coefficients, where differences of
 * the whole gradient would take 2 (np + ncoef).  The penalty adds
 * 2 N lambda on the coefficients' diagonal.  False when a value is not
 * finite.
 */
static bool
CovNegHessian(CovCtx *c, const double *theta, double *H, int *evals)
{
	const CjFamily *f = c->f;
	const CjCovSpec *s = c->s;
	const CovLink *l = LinkOf(f);
	const double *coef = theta + f->nparams;
	const double h = 1e-4;
	int			np = f->nparams,
				k = np + s->ncoef,
				i,
				j;
	size_t		gi;

	memset(H, 0, sizeof(double) * k * k);
	for (gi = 0; gi < c->d->ngroups; gi++)
	{
		const CjCovGroup *g = &c->d->g[gi];
		double		lp[CJ_MAX_PARAMS],
					Hg[CJ_MAX_PARAMS * CJ_MAX_PARAMS],
					A[CJ_MAX_PARAMS * CJ_OPTIM_MAX_DIM],
					et,
					el;

		if (g->d.n == 0)
			continue;
		Predictors(s, coef, g->z, &et, &el);
		for (i = 0; i < np; i++)
			lp[i] = theta[i] + l->trans[i] * et + l->life[i] * el;
		for (j = 0; j < np; j++)
		{
			double		p[CJ_MAX_PARAMS],
						gp[CJ_MAX_PARAMS],
						gm[CJ_MAX_PARAMS];

			for (i = 0; i < np; i++)
				p[i] = exp(lp[i] + (i == j ? h : 0.0));
			if (!isfinite(f->loglik(&g->d, p, gp)))
				return false;
			p[j] = exp(lp[j] - h);
			if (!isfinite(f->loglik(&g->d, p, gm)))
				return false;
			for (i = 0; i < np; i++)
				Hg[j * np + i] = -(gp[i] - gm[i]) / (2 * h);
		}
		GroupMap(c, g, A);
		AddSandwich(H, k, np, A, Hg, 1.0);
	}
	*evals += 2 * np;
	return AddPenaltyFinite(c, H);
}

/*
 * A start for the inverse Hessian of stage 2 without passes over the data.
 * At zero coefficients every group has the pooled fit's parameters, and
 * the pooled log-likelihood is the sum of the groups', so its observed
 * information in log parameters, -H = (D^-1 V D^-1)^-1 with V the pooled
 * covariance of p and D = diag(p), is exactly sum_g -H_g.  Taking each
 * group's share as its share of the customers, -H_g ~ (w_g / W) (-H),
 * gives the whole negative Hessian as sum_g (w_g / W) A_g' (-H) A_g plus
 * the penalty's 2 N lambda (A_g as in CovNegHessian): exact in the
 * parameter block, approximate in the coefficients', which BFGS corrects
 * as it goes.  False when V is not usable.
 */
static bool
CovStartInverseHessian(CovCtx *c, const CjFitResult *pf, double *Hinv)
{
	const CjFamily *f = c->f;
	const CjCovSpec *s = c->s;
	int			np = f->nparams,
				k = np + s->ncoef,
				i,
				j;
	double		cth[CJ_MAX_PARAMS * CJ_MAX_PARAMS],
				Hp[CJ_MAX_PARAMS * CJ_MAX_PARAMS],
				H[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM],
				A[CJ_MAX_PARAMS * CJ_OPTIM_MAX_DIM];
	size_t		gi;

	if (pf->hessian != CJ_HESSIAN_PD)
		return false;
	for (i = 0; i < np; i++)
		for (j = 0; j < np; j++)
			cth[i * np + j] = pf->vcov[i * np + j] / (pf->p[i] * pf->p[j]);
	if (!cj_fit_invert_pd(np, cth, Hp))
		return false;
	memset(H, 0, sizeof(double) * k * k);
	for (gi = 0; gi < c->d->ngroups; gi++)
	{
		const CjCovGroup *g = &c->d->g[gi];
		double		share = g->d.total_weight / c->d->total_weight;

		if (g->d.n == 0)
			continue;
		GroupMap(c, g, A);
		AddSandwich(H, k, np, A, Hp, share);
	}
	return AddPenaltyFinite(c, H) && cj_fit_invert_pd(k, H, Hinv);
}

/* Inverse of CovNegHessian when positive definite */
static bool
CovInverseNegHessian(CovCtx *c, const double *theta, double *Hinv,
					 int *evals)
{
	double		A[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM];

	return CovNegHessian(c, theta, A, evals) &&
		cj_fit_invert_pd(c->f->nparams + c->s->ncoef, A, Hinv);
}

/*
 * Starts for the family parameters (log scale), as the family fits
 * (fit.c): the weighted mean over the groups of the family's data-driven
 * start, the all-ones point, and that start shifted by e^1.5 down, up
 * and mixed.
 */
static void
Starts(const CjFamily *f, const CjCovData *d,
	   double st[COV_NSTARTS][CJ_MAX_PARAMS])
{
	double		acc[CJ_MAX_PARAMS] = {0},
				wsum = 0.0;
	int			k = f->nparams,
				i;
	size_t		gi;

	for (gi = 0; gi < d->ngroups; gi++)
	{
		double		p0[CJ_MAX_PARAMS];

		if (d->g[gi].d.n == 0)
			continue;
		for (i = 0; i < k; i++)
			p0[i] = 1.0;
		f->start(&d->g[gi].d, p0);
		for (i = 0; i < k; i++)
			acc[i] += d->g[gi].d.total_weight *
				((isfinite(p0[i]) && p0[i] > 0.0) ? log(p0[i]) : 0.0);
		wsum += d->g[gi].d.total_weight;
	}
	for (i = 0; i < k; i++)
	{
		double		t = wsum > 0.0 ? acc[i] / wsum : 0.0;

		t = fmin(CJ_LOGPARAM_MAX - 1.0, fmax(CJ_LOGPARAM_MIN + 1.0, t));
		st[0][i] = t;
		st[1][i] = 0.0;
		st[2][i] = t - 1.5;
		st[3][i] = t + 1.5;
		st[4][i] = t + ((i % 2) ? 1.5 : -1.5);
	}
}

/*
 * Stage 1: the model without covariates from the best-ranked starts (the
 * second and later only while none has converged).  False when the
 * likelihood is not finite at any start.
 */
static bool
FitBase(CovCtx *ctx, double *theta, CjOptimResult *best, int *evals)
{
	const CjFamily *f = ctx->f;
	double		st[COV_NSTARTS][CJ_MAX_PARAMS],
				val[COV_NSTARTS],
				g[COV_NSTARTS][CJ_OPTIM_MAX_DIM];
	int			order[COV_NSTARTS],
				k = f->nparams,
				i,
				j;
	bool		have = false;

	Starts(f, ctx->d, st);
	for (i = 0; i < COV_NSTARTS; i++)
	{
		val[i] = BaseObjective(ctx, st[i], g[i]);
		(*evals)++;
		order[i] = i;
		for (j = i; j > 0 && val[order[j]] > val[order[j - 1]]; j--)
		{
			int			tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	}
	for (i = 0; i < COV_NSTARTS; i++)
	{
		double		t[CJ_OPTIM_MAX_DIM],
					Hinv[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM];
		CjOptimResult r;
		bool		hok;

		if (!isfinite(val[order[i]]) ||
			(have && best->status == CJ_FIT_CONVERGED))
			break;
		memcpy(t, st[order[i]], sizeof(double) * k);
		hok = cj_fit_inverse_neg_hessian(BaseObjective, ctx, k, t,
										 g[order[i]], Hinv, evals);
		if (!cj_optim_maximise_from(BaseObjective, ctx, k, t,
									CJ_LOGPARAM_MIN, CJ_LOGPARAM_MAX,
									COV_MAX_ITER, hok ? Hinv : NULL,
									val[order[i]], g[order[i]], &r))
			continue;
		*evals += r.evaluations;
		if (!have || r.value > best->value)
		{
			*best = r;
			memcpy(theta, t, sizeof(double) * k);
			have = true;
		}
	}
	return have;
}

/* Fit with covariates (see the header) */
bool
cj_cov_fit(const CjFamily *f, const CjCovSpec *s, const CjCovData *d,
		   CjCovFitResult *res, CjError *err)
{
	CovCtx		ctx;
	double		theta[CJ_OPTIM_MAX_DIM] = {0},
				Hinv[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM],
				cov[CJ_OPTIM_MAX_DIM * CJ_OPTIM_MAX_DIM],
				g[CJ_OPTIM_MAX_DIM],
				v0;
	int			np = f->nparams,
				k = np + s->ncoef,
				evals = 0,
				round,
				i,
				j;
	CjOptimResult best,
				r;
	CjFitResult pf;
	bool		pooled = false;
	size_t		gi;

	memset(res, 0, sizeof(*res));
	if (!cj_cov_spec_check(f, s, err))
		return false;
	if (d->ngroups == 0 || !(d->total_weight > 0))
	{
		cj_error_set(err, CJ_ERR_PARAM, "There are no customers to fit.");
		return false;
	}
	for (gi = 0; gi < d->ngroups; gi++)
		for (i = 0; i < s->ntrans + s->nlife; i++)
			if (!isfinite(d->g[gi].z[i]))
			{
				cj_error_set(err, CJ_ERR_PARAM,
							 "A covariate value is not finite.");
				return false;
			}
	memset(&ctx, 0, sizeof(ctx));
	ctx.f = f;
	ctx.s = s;
	ctx.d = d;
	memset(&best, 0, sizeof(best));
	if (d->pooled && d->pooled->n > 0)
	{
		/*
		 * The start: the fit without covariates of the pooled data, which
		 * costs what that fit costs (distinct histories, not distinct
		 * covariate and history rows).  Its failure is not final: the
		 * grouped starts below may still work.
		 */
		CjError		perr;

		if (cj_fit_family(f, d->pooled, &pf, &perr) &&
			isfinite(pf.loglik))
		{
			for (i = 0; i < np; i++)
				theta[i] = fmin(CJ_LOGPARAM_MAX, fmax(CJ_LOGPARAM_MIN, log(pf.p[i])));
			evals += pf.evaluations;
			pooled = true;
		}
		else if (!FitBase(&ctx, theta, &best, &evals))
			goto nostart;
	}
	else if (!FitBase(&ctx, theta, &best, &evals))
		goto nostart;

	/*
	 * Stage 2: every variable from the fit without covariates and zero
	 * coefficients, with the exact inverse Hessian there; one restart from
	 * where BFGS stopped when it did not converge (a fresh inverse Hessian
	 * helps on long curved valleys).
	 */
	v0 = CovObjective(&ctx, theta, g);
	evals++;
	if (!isfinite(v0))
		goto nostart;
	for (round = 0; round < 2; round++)
	{
		/*
		 * the first round from the pooled fit's information (no pass over
		 * the data) where it has one, the restart from the exact one
		 */
		bool		hok = (round == 0 && pooled &&
						   CovStartInverseHessian(&ctx, &pf, Hinv)) ||
			CovInverseNegHessian(&ctx, theta, Hinv, &evals);

		if (!cj_optim_maximise_from(CovObjective, &ctx, k, theta,
									CJ_LOGPARAM_MIN, CJ_LOGPARAM_MAX,
									COV_MAX_ITER, hok ? Hinv : NULL, v0, g,
									&r))
		{
			cj_error_set(err, CJ_ERR_PARAM,
						 "The %s log-likelihood is not finite at the start.",
						 f->title);
			return false;
		}
		evals += r.evaluations;
		best = r;
		if (r.status == CJ_FIT_CONVERGED || r.status == CJ_FIT_BOUNDARY)
			break;
		v0 = CovObjective(&ctx, theta, g);
		evals++;
	}
	if (best.status == CJ_FIT_CONVERGED)
	{
		if (CovInverseNegHessian(&ctx, theta, Hinv, &evals) &&
			cj_fit_polish(CovObjective, &ctx, k, theta, &best, &evals, cov,
						  Hinv))
			res->hessian = CJ_HESSIAN_PD;
		else
		{
			best.status = CJ_FIT_BOUNDARY;
			res->hessian = CJ_HESSIAN_INDEFINITE;
		}
	}
	res->k = k;
	for (i = 0; i < np; i++)
		res->p[i] = exp(theta[i]);
	for (i = 0; i < s->ncoef; i++)
		res->coef[i] = theta[np + i];
	/*
	 * Covariance of (p, coef): the family parameters are exp(theta), so
	 * their rows and columns scale by p (delta method), the coefficients'
	 * by 1.
	 */
	if (res->hessian == CJ_HESSIAN_PD)
		for (i = 0; i < k; i++)
			for (j = 0; j <= i; j++)
			{
				double		si = i < np ? res->p[i] : 1.0,
							sj = j < np ? res->p[j] : 1.0;

				res->vcov[i * k + j] = res->vcov[j * k + i] =
					si * sj * 0.5 * (cov[i * k + j] + cov[j * k + i]);
			}
	/*
	 * the objective at theta is the log-likelihood itself when nothing is
	 * penalised (it subtracts exact zeros): no pass over the data for it
	 */
	res->loglik = (s->lambda_trans == 0.0 && s->lambda_life == 0.0) ?
		best.value : cj_cov_loglik(f, s, d, theta, NULL);
	res->penalty = cj_cov_penalty(s, res->coef);
	res->n = d->total_weight;
	res->grad_norm = best.grad_norm;
	res->iterations = best.iterations;
	res->evaluations = evals;
	res->status = best.status;
	return true;

nostart:
	cj_error_set(err, CJ_ERR_PARAM,
				 "The %s log-likelihood is not finite at any starting point.",
				 f->title);
	return false;
}
