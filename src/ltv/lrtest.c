/*-------------------------------------------------------------------------
 *
 * lrtest.c
 *	  cj_lr_test(restricted, full): the likelihood-ratio test of two
 *	  nested fits of the same data (core/ltv/lrtest.c holds the test and
 *	  its checks; this is the SQL glue).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"

#include "common/util.h"
#include "core/ltv/lrtest.h"
#include "ltv/model.h"

PG_FUNCTION_INFO_V1(cj_lr_test);

/*
 * cj_lr_test(restricted cj_model, full cj_model, OUT statistic float8,
 * OUT df int4, OUT p_value float8); 22023 when the test does not apply
 * (the core's detail says why)
 */
Datum
cj_lr_test(PG_FUNCTION_ARGS)
{
	CjModel    *r = PG_GETARG_CJ_MODEL_P(0);
	CjModel    *f = PG_GETARG_CJ_MODEL_P(1);
	CjLrTest	t;
	CjError		err;
	TupleDesc	td;
	Datum		out[3];
	bool		nulls[3] = {false, false, false};

	if (!cj_lr_test_models(&r->b, cj_model_covariates(r), r->data_fp,
					&f->b, cj_model_covariates(f), f->data_fp, &t, &err))
		cj_raise(&err, "cannot compare these models by a likelihood-ratio test");
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cj_lr_test must return a record");
	out[0] = Float8GetDatum(t.statistic);
	out[1] = Int32GetDatum(t.df);
	out[2] = Float8GetDatum(t.p_value);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(td), out, nulls)));
}
