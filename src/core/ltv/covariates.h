/*-------------------------------------------------------------------------
 *
 * covariates.h
 *	  Time-invariant covariates of a purchase model (Pareto/NBD, BG/NBD):
 *	  the named coefficients a cj_model carries, their text syntax, their
 *	  stored form and the per-customer parameters they give.
 *
 * Parameterisation (CLVTools: Bachmann, Meierer and Naef, "CLVTools: a
 * package for probabilistic customer lifetime value", the package
 * vignette and its source, pnbd.cpp / bgnbd.cpp *_staticcov_*; Fader and
 * Hardie 2007, "Incorporating time-invariant covariates into the
 * Pareto/NBD and BG/NBD models", brucehardie.com note 019).  With
 * z_trans,i and z_life,i the customer's covariate vectors and gamma the
 * coefficients:
 *
 *   Pareto/NBD  alpha_i = alpha0 exp(-gamma_trans' z_trans,i)
 *               beta_i  = beta0  exp(-gamma_life'  z_life,i)
 *   BG/NBD      alpha_i = alpha0 exp(-gamma_trans' z_trans,i)
 *               a_i     = a0     exp( gamma_life'  z_life,i)
 *               b_i     = b0     exp( gamma_life'  z_life,i)
 *
 * r and s are shared by every customer.  A positive trans coefficient
 * raises the purchase rate (lambda ~ Gamma(r, alpha_i) has mean
 * r / alpha_i); a positive life coefficient shortens the Pareto/NBD
 * lifetime (mu ~ Gamma(s, beta_i), mean s / beta_i) and in the BG/NBD
 * scales a and b together (same mean dropout probability a / (a + b),
 * less spread).  Every score of a customer is the family's score at the
 * transformed parameters, so it is computed by the family code unchanged.
 *
 * The coefficients: each process has an ordered list of covariates (the
 * order of the customer's cov_trans / cov_life arrays).  An entry is
 * free (its own coefficient, "trans.NAME", "life.NAME") or constrained:
 * the same coefficient in both processes ("constr.NAME", CLVTools'
 * names.cov.constr), so a constrained name is in both lists.  The
 * coefficient vector is ordered
 *
 *   free trans (list order), free life (list order), constrained
 *   (constr order)
 *
 * and a model's covariance matrix covers the family's parameters, then
 * the coefficients in this order: (k + ncoef) x (k + ncoef).
 *
 * Text syntax, right after family(...) in the cj_model text, blocks in any
 * order on input, each at most once, printed trans, life, constr and only
 * when not empty:
 *
 *   trans(Channel=0.37, Gender) life(Channel=-0.2, Gender)
 *   constr(Gender=0.41)
 *
 * A bare name in trans(...) or life(...) is constrained: its value is in
 * constr(...), and every constr name appears bare in both lists.  Names
 * are identifiers ([A-Za-z_][A-Za-z0-9_]*, at most 63 bytes), unique
 * within a list.  The fit fact penalty=<float> (>= 0) is the L2 penalty
 * of a regularized fit, lambda_trans sum gamma_trans^2 + lambda_life sum
 * gamma_life^2 on CLVTools' scale (per customer), reported beside ll=,
 * which stays the unpenalised log-likelihood.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CJ_COVARIATES_H
#define CJ_COVARIATES_H

#include "core/ltv/family.h"

#define CJ_COV_MAX			32	/* covariates in one process's list */
#define CJ_COV_MAX_COEF		64	/* coefficients of one model */
#define CJ_COV_NAME_MAX		64	/* bytes of a name with its NUL */
#define CJ_COV_MAX_DIM		(CJ_MAX_PARAMS + CJ_COV_MAX_COEF)

/* CjCovariates.flags */
#define CJ_COV_HAS_PENALTY	0x01
#define CJ_COV_FLAGS_ALL	0x01

/* The two processes */
#define CJ_COV_TRANS		0
#define CJ_COV_LIFE			1

/*
 * The covariates of one model.  Fill the lists, coef and (for a fitted
 * model) vcov and penalty, then call cj_covariates_finish, which derives
 * ncoef and the dense per-process vectors gamma[] that scoring reads.
 */
typedef struct CjCovariates
{
	int			n[2];			/* entries of the trans / life lists */
	int			nconstr;		/* constrained coefficients */
	int			ncoef;			/* free trans + free life + nconstr */
	uint8_t		flags;			/* CJ_COV_HAS_PENALTY */
	double		penalty;		/* >= 0; 0 without CJ_COV_HAS_PENALTY */
	char		name[2][CJ_COV_MAX][CJ_COV_NAME_MAX];	/* list entries */
	bool		constrained[2][CJ_COV_MAX]; /* entry is a constr.NAME */
	char		constr_name[CJ_COV_MAX][CJ_COV_NAME_MAX];
	double		coef[CJ_COV_MAX_COEF];	/* in the order of the file comment */
	/* derived by cj_covariates_finish */
	int16_t		index[2][CJ_COV_MAX];	/* entry -> coef[] index */
	double		gamma[2][CJ_COV_MAX];	/* entry -> its coefficient */
	/*
	 * (k + ncoef)^2 covariance, row-major, natural scale (parameters then
	 * coefficients) when the model's body says CJ_MODEL_HAS_VCOV; its top
	 * left k x k block is the body's vcov.
	 */
	double		vcov[CJ_COV_MAX_DIM * CJ_COV_MAX_DIM];
} CjCovariates;

/*
 * Derive ncoef, index[] and gamma[] from the lists and coef; false with
 * err when the lists are inconsistent (unknown or unused constrained
 * name, repeated name, bad identifier, too many entries, a coefficient
 * not finite, penalty not finite and >= 0).
 */
extern bool cj_covariates_finish(CjCovariates *cov, CjError *err);

/* Same covariates (names, coefficients, penalty; -0 equals 0) */
extern bool cj_covariates_equal(const CjCovariates *a, const CjCovariates *b,
								int dim_vcov);

/*
 * Parse one block "trans(...)", "life(...)" or "constr(...)" whose name
 * has been read (which: CJ_COV_TRANS, CJ_COV_LIFE or 2), after which *p
 * is at the "(".  False on a syntax error (err set).
 */
extern bool cj_covariates_parse_block(const char **p, int which,
									  CjCovariates *cov, CjError *err);

/* Put the values cj_covariates_parse_block read into coef[] order */
extern void cj_covariates_assemble(CjCovariates *cov);

/*
 * Linear predictor gamma' z of one process for a customer's covariates z
 * (cov->n[process] values).
 */
static inline double
cj_covariates_linear(const CjCovariates *cov, int process, const double *z)
{
	double		s = 0.0;
	int			i;

	for (i = 0; i < cov->n[process]; i++)
		s += cov->gamma[process][i] * z[i];
	return s;
}

/*
 * The coefficient called "trans.X", "life.X" or "constr.X": its index in
 * coef[], or -1.  (trans.X of a constrained X is the constr.X
 * coefficient.)
 */
extern int	cj_covariates_find(const CjCovariates *cov, const char *qualified);

/* The qualified name of coefficient j into buf ("trans.Channel") */
extern void cj_covariates_coef_name(const CjCovariates *cov, int j, char *buf,
									size_t size);

/*
 * Stored form (native byte order; inside a cj_model varlena after the
 * body): cj_covariates_stored_size bytes written by cj_covariates_store,
 * read back and fully validated by cj_covariates_load (with_vcov: the
 * stored form carries the coefficient rows of the covariance; k the
 * family's parameter count; body_vcov its k x k block).
 */
extern size_t cj_covariates_stored_size(const CjCovariates *cov, int k,
										bool with_vcov);
extern void cj_covariates_store(const CjCovariates *cov, int k, bool with_vcov,
								unsigned char *out);
extern bool cj_covariates_load(const unsigned char *in, size_t len, int k,
							   const double *body_vcov, CjCovariates *cov,
							   CjError *err);

/*
 * Validate a (k + ncoef) covariance: finite, exactly symmetric, positive
 * definite, top-left k x k block equal to body_vcov.
 */
extern bool cj_covariates_valid_vcov(const CjCovariates *cov, int k,
									 const double *body_vcov);

#endif							/* CJ_COVARIATES_H */
