/*-------------------------------------------------------------------------
 *
 * fuzz_cov_state_parse.c
 *	  libFuzzer target: the cj_cov_fit_state literal parser, printer and
 *	  row grouping (src/core/ltv/covstate.c).
 *
 * An accepted state must have a valid shape, print within
 * cj_cov_state_text_size and read back to the same shape and rows (bit for
 * bit), whose text is the same again (parse -> print -> parse is a fixed
 * point); its rows must group into at most as many groups as rows, with
 * the weights summing to the total.
 *
 * seeds: cj_cov_fit_state
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz.h"
#include "core/ltv/covstate.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = FuzzCString(data, size);
	size_t		cap = cj_cov_state_parse_rows(strlen(s)),
				n,
				n2;
	double	   *rows = malloc(sizeof(double) * (CJ_COVROW_MAX + 1) * cap);
	CjCovShape	a,
				b;
	CjError		err;

	if (cj_cov_state_parse(s, &a, rows, &n, &err))
	{
		size_t		tsize = cj_cov_state_text_size(&a, n);
		char	   *t1 = malloc(tsize);
		size_t		len = cj_cov_state_format(&a, rows, n, t1);
		size_t		stride = a.ntrans < 0 ? 1 : (size_t) CJ_COVSHAPE_WIDTH(&a) + 1;
		double	   *rows2 = malloc(sizeof(double) * (CJ_COVROW_MAX + 1) *
								   cj_cov_state_parse_rows(len));
		char	   *t2;

		FUZZ_ASSERT(cj_cov_shape_check(&a, &err));
		FUZZ_ASSERT(len < tsize && strlen(t1) == len);
		FUZZ_ASSERT(cj_cov_state_parse(t1, &b, rows2, &n2, &err));
		FUZZ_ASSERT(cj_cov_shape_equal(&a, &b) && n == n2);
		FUZZ_ASSERT(n == 0 || memcmp(rows, rows2, sizeof(double) * stride * n) == 0);
		t2 = malloc(cj_cov_state_text_size(&b, n2));
		cj_cov_state_format(&b, rows2, n2, t2);
		FUZZ_ASSERT(strcmp(t1, t2) == 0);
		if (n > 0)
		{
			CjTuple    *t = malloc(sizeof(CjTuple) * n);
			CjCovGroup *g = malloc(sizeof(CjCovGroup) * n);
			double		total,
						sum = 0.0;
			size_t		ng = cj_cov_group_rows(&a, rows, n, t, g, &total),
						i;

			FUZZ_ASSERT(ng >= 1 && ng <= n);
			for (i = 0; i < ng; i++)
				sum += g[i].d.total_weight;
			FUZZ_ASSERT(sum == total);
			free(t);
			free(g);
		}
		free(t2);
		free(rows2);
		free(t1);
	}
	else
		FuzzCheckError(&err);
	free(rows);
	free(s);
	return 0;
}
