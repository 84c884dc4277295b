/*-------------------------------------------------------------------------
 *
 * registry.c
 *	  cj_model_families(): the registry of model families as a table, so
 *	  that users (and the test that walks every family) see what each
 *	  family is, what it takes and which scores it defines.
 *
 * The scores listed for a family are read off its function table, plus
 * the few SQL functions that belong to one family only (cj_dert for
 * Pareto/NBD, the contractual measures for sBG).  A family added to the
 * registry appears here with no edit of this file.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common/util.h"
#include "ltv/scores.h"

PG_FUNCTION_INFO_V1(cj_model_families);

/* SQL functions defined for one family only (see scores.c) */
static const struct
{
	const char *function;
	const CjFamily *family;
}			OwnScores[] = {
	{"cj_dert", &cj_family_pnbd},
	{"cj_retention", &cj_family_sbg},
	{"cj_survival", &cj_family_sbg},
	{"cj_del", &cj_family_sbg},
	{"cj_derl", &cj_family_sbg},
};

/* A text[] of n C strings */
static Datum
TextArray(const char *const *s, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));
	int			i;

	for (i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(s[i]);
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/* Names of the scores family f defines, into out (room for 16) */
static int
Scores(const CjFamily *f, const char **out)
{
	int			n = 0,
				i;

	if (f->expected)
		out[n++] = "cj_expected_purchases";
	if (f->conditional)
		out[n++] = "cj_conditional_purchases";
	if (f->p_alive)
		out[n++] = "cj_p_alive";
	if (f->prob_n)
		out[n++] = "cj_prob_purchases";
	if (f->window_pmf)
	{
		out[n++] = "cj_prob_no_purchase";
		out[n++] = "cj_conditional_prob_purchases";
	}
	if (f->p_alive_at)
		out[n++] = "cj_p_alive_at";
	if (f->spend)
		out[n++] = "cj_expected_spend";
	if (f->simulate || f->simulate_spend)
		out[n++] = "cj_simulate";	/* spend: with a purchase model */
	for (i = 0; i < (int) lengthof(OwnScores); i++)
		if (OwnScores[i].family == f)
			out[n++] = OwnScores[i].function;
	return n;
}

/* The example model of family f, as a cj_model written by hand */
static Datum
ExampleModel(const CjFamily *f)
{
	CjModelBody b;
	int			i;

	memset(&b, 0, sizeof(b));
	b.version = CJ_BINARY_VERSION;
	b.family = (uint8) f->id;
	for (i = 0; i < f->nparams; i++)
		b.params[i] = f->example[i];
	return PointerGetDatum(cj_model_from_body(&b));
}

/* One row of cj_model_families() */
static HeapTuple
FamilyRow(TupleDesc td, const CjFamily *f)
{
	static const char *const Kinds[] = {"", "purchase", "spend", "contract"};
	const char *scores[16];
	Datum		v[7];
	bool		nulls[7] = {false};

	v[0] = CStringGetTextDatum(f->name);
	v[1] = CStringGetTextDatum(f->title);
	v[2] = CStringGetTextDatum(Kinds[f->kind]);
	v[3] = TextArray(f->param_names, f->nparams);
	v[4] = TextArray(f->data_names, f->ndata);
	v[5] = ExampleModel(f);
	v[6] = TextArray(scores, Scores(f, scores));
	return heap_form_tuple(td, v, nulls);
}

/* cj_model_families() -> SETOF (family, title, kind, parameters, data, example, scores) */
Datum
cj_model_families(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < cj_family_count(); i++)
		tuplestore_puttuple(rsinfo->setResult,
							FamilyRow(rsinfo->setDesc, cj_family_at(i)));
	return (Datum) 0;
}
