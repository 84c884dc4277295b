/*
 * test_lrtest.c
 *	  Unit tests of the data fingerprint and the likelihood-ratio test of
 *	  nested fits (src/core/ltv/lrtest.c) and of the data= fact of the
 *	  model text: the fingerprint's independence of order and merging,
 *	  the nesting rules between covariate lists, every refusal, and the
 *	  statistic and p-value of a known pair.
 */
#include <math.h>
#include <string.h>

#include "unit.h"
#include "core/ltv/lrtest.h"

/* Parse a model text with its fingerprint; aborts the test on failure */
static bool
Parse(const char *s, CjModelBody *b, CjCovariates *cov, uint32_t *fp)
{
	CjError		err;
	bool		ok = cj_model_parse_full(s, b, cov, fp, &err);

	if (!ok)
		printf("# %s: %s\n", s, err.detail);
	return ok;
}

static void
TestFingerprint(void)
{
	CjTuple		a[3] = {{{1, 2, 5}, 3}, {{0, 0, 5}, 1}, {{4, 4.5, 6}, 2}},
				b[4] = {{{4, 4.5, 6}, 2}, {{1, 2, 5}, 1}, {{0, -0.0, 5}, 1},
	{{1, 2, 5}, 2}},
				c[3] = {{{1, 2, 5}, 3}, {{0, 0, 5}, 1}, {{4, 4.5, 6}, 1}},
				d[3] = {{{1, 2, 5}, 3}, {{0, 0, 5}, 1}, {{4, 4.5, 7}, 2}};
	uint32_t	fa = cj_data_fingerprint(a, 3);

	CHECK(fa == cj_data_fingerprint(b, 4),
		  "fingerprint: same customers in another order, split and -0: same");
	CHECK(fa != cj_data_fingerprint(c, 3), "fingerprint: one weight less differs");
	CHECK(fa != cj_data_fingerprint(d, 3), "fingerprint: one value changed differs");
	CHECK(cj_data_fingerprint(a, 0) != 0, "fingerprint of nothing is not 0");
}

static void
TestText(void)
{
	CjModelBody b;
	static CjCovariates cov;
	uint32_t	fp;
	CjError		err;

	CHECK(Parse("pnbd(r=1, alpha=2, s=3, beta=4) ll=-10 n=5 data=0a1B2c3D iter=3 converged",
				&b, &cov, &fp) && fp == 0x0a1b2c3d, "data= parses (either case)");
	CHECK(Parse("pnbd(r=1, alpha=2, s=3, beta=4)", &b, &cov, &fp) && fp == 0,
		  "no data= is fingerprint 0");
	CHECK(!cj_model_parse_full("pnbd(r=1, alpha=2, s=3, beta=4) data=00000000", &b, &cov, &fp, &err) &&
		  !cj_model_parse_full("pnbd(r=1, alpha=2, s=3, beta=4) data=1234567", &b, &cov, &fp, &err) &&
		  !cj_model_parse_full("pnbd(r=1, alpha=2, s=3, beta=4) data=123456789", &b, &cov, &fp, &err) &&
		  !cj_model_parse_full("pnbd(r=1, alpha=2, s=3, beta=4) data=1234567g", &b, &cov, &fp, &err) &&
		  !cj_model_parse_full("pnbd(r=1, alpha=2, s=3, beta=4) data=12345678 data=12345678", &b, &cov, &fp, &err) &&
		  !cj_model_parse_full("pnbd(r=1, alpha=2, s=3, beta=4) data=", &b, &cov, &fp, &err),
		  "data= refuses 0, 7 or 9 digits, a non-digit, a repeat, nothing");
	CHECK(err.kind == CJ_ERR_SYNTAX, "a bad data= is a syntax error");
	CHECK(!cj_model_parse_cov("pnbd(r=1, alpha=2, s=3, beta=4) data=12345678", &b, &cov, &err),
		  "a parser that keeps no fingerprint refuses data=");
}

/* cj_lr_test_models on two texts; false and err when it refuses */
static bool
Lr(const char *rs, const char *fs, CjLrTest *t, CjError *err)
{
	static CjCovariates rc,
				fc;
	CjModelBody r,
				f;
	uint32_t	rfp,
				ffp;

	if (!Parse(rs, &r, &rc, &rfp) || !Parse(fs, &f, &fc, &ffp))
		return false;
	return cj_lr_test_models(&r, (r.flags & CJ_MODEL_HAS_COV) ? &rc : NULL, rfp,
							 &f, (f.flags & CJ_MODEL_HAS_COV) ? &fc : NULL, ffp,
							 t, err);
}

#define FACTS(ll) " ll=" ll " n=600 data=dba36625 iter=9 converged"
#define PLAIN "pnbd(r=1.4, alpha=48, s=0.56, beta=46)" FACTS("-5848.097826902245")
#define CHAN "pnbd(r=1.6, alpha=70, s=0.6, beta=40) trans(Channel=0.5) life(Channel=0.7)" FACTS("-5831.193950021811")
#define FULL "pnbd(r=1.8, alpha=93, s=0.59, beta=49.5) trans(Gender=0.29, Channel=0.62) life(Gender=-0.64, Channel=0.79)" FACTS("-5821.0626858688665")
#define CONSTR "pnbd(r=1.8, alpha=94.7, s=0.43, beta=59) trans(Gender, Channel=0.64) life(Gender, Channel=1.02) constr(Gender=0.33)" FACTS("-5826.534191")

/* restricted models the test refuses against FULL: text, detail, what */
static const char *const Refused[][3] = {
	{"pnbd(r=1, alpha=2, s=3, beta=4)", "not fitted", "a hand-written model: refused"},
	{"pnbd(r=1.4, alpha=48, s=0.56, beta=46) ll=-5848 n=600 data=dba36625 boundary",
	"boundary", "a boundary fit: refused"},
	{"pnbd(r=1.4, alpha=48, s=0.56, beta=46) ll=-5848 n=600 converged",
	"fingerprint", "no fingerprint: refused"},
	{"pnbd(r=1.4, alpha=48, s=0.56, beta=46) ll=-5848 n=600 data=dba36626 converged",
	"different data", "another fingerprint: refused"},
	{"pnbd(r=1.4, alpha=48, s=0.56, beta=46) ll=-5848 n=601 data=dba36625 converged",
	"different data", "another n: refused"},
	{"pnbd(r=1.4, alpha=48, s=0.56, beta=46) ll=-5848 n=600 data=dba36625 converged unit=7d",
	"different data", "another time unit: refused"},
	{"pnbd(r=1.4, alpha=48, s=0.56, beta=46) ll=-5800 n=600 data=dba36625 converged",
	"below", "a full fit below the restricted one: refused"},
};

static void
TestLr(void)
{
	CjLrTest	t;
	CjError		err;
	size_t		i;

	/* statistic 2 (ll_full - ll_restricted); p from mpmath's gammainc */
	CHECK(Lr(PLAIN, FULL, &t, &err) && t.df == 4 &&
		  fabs(t.statistic - 54.0702820667575) < 1e-9,
		  "plain in full: df 4, statistic 2 (ll_f - ll_r)");
	CHECK_CLOSE(t.p_value / 5.08733312748718645241391402041e-11, 1.0, 1e-12,
				"plain in full: chi-square(4) p-value");
	CHECK(Lr(CHAN, FULL, &t, &err) && t.df == 2, "Channel only in both: df 2");
	CHECK(Lr(CONSTR, FULL, &t, &err) && t.df == 1,
		  "a constrained covariate is nested in two free ones: df 1");
	CHECK(Lr(CHAN, CONSTR, &t, &err) && t.df == 1,
		  "free Channel, constrained Gender added: df 1");
	CHECK(!Lr(FULL, CHAN, &t, &err) && err.kind == CJ_ERR_PARAM &&
		  strstr(err.detail, "trans.Gender") != NULL,
		  "a restricted covariate the full model lacks: refused, named");
	CHECK(!Lr(FULL, CONSTR, &t, &err) && strstr(err.detail, "trans.Gender") != NULL,
		  "free in the restricted model, constrained in the full one: refused");
	CHECK(!Lr(FULL, FULL, &t, &err) && strstr(err.detail, "must have more") != NULL,
		  "no extra parameters: refused");
	CHECK(!Lr(PLAIN, "bgnbd(r=1, alpha=2, a=3, b=4)" FACTS("-1"), &t, &err) &&
		  strstr(err.detail, "different families") != NULL, "another family: refused");
	for (i = 0; i < sizeof(Refused) / sizeof(Refused[0]); i++)
		CHECK(!Lr(Refused[i][0], FULL, &t, &err) && err.kind == CJ_ERR_PARAM &&
			  strstr(err.detail, Refused[i][1]) != NULL, Refused[i][2]);
	CHECK(!Lr(PLAIN, "pnbd(r=1.8, alpha=93, s=0.59, beta=49.5) trans(Gender=0.29, Channel=0.62) life(Gender=-0.64, Channel=0.79) ll=-5821 penalty=0.01 n=600 data=dba36625 converged",
			  &t, &err) && strstr(err.detail, "penalty") != NULL,
		  "a penalised fit: refused");
	CHECK(Lr("pnbd(r=1.4, alpha=48, s=0.56, beta=46) ll=-5821.06268586886 n=600 data=dba36625 converged",
			 FULL, &t, &err) && t.statistic == 0.0 && t.p_value == 1.0,
		  "equal log-likelihoods up to rounding: statistic 0, p-value 1");
}

int
main(void)
{
	TestFingerprint();
	TestText();
	TestLr();
	return unit_done();
}
