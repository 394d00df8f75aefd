/* fuzz_scenario.c: libFuzzer target for the scenario parser and everything that
 * consumes a loaded scenario (plan, command lines, fio job, iperf3 client). Any input
 * must give either a scenario or exactly one error line; crashes, leaks
 * (LeakSanitizer) and undefined behaviour are findings. Built and run by
 * harness/fuzz/run.sh.
 *
 * With -DFUZZ_DICT_MAIN the same file builds a program that prints a libFuzzer
 * dictionary of every section, key and evidence name, from the key tables. */
#include "pvbench/plan.h"
#include "pvbench/scenario.h"

#include "../../workloads/fio/fio.h"
#include "../../workloads/iperf3/iperf3.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void exercise(const struct scenario *sc)
{
	const struct scenario_key *k;
	struct sbuf out = { 0 };
	struct plan p;
	json_t *js, *jv;

	for (size_t i = 0; (k = scenario_key_at(i)); i++)
		scenario_get(sc, k->section, k->name);
	for (size_t i = 0; i < sc->n_variants; i++) {
		const struct variant *v = &sc->variants[i];

		for (int d = DOM_XEN; d <= DOM_DOMU; d++)
			variant_cmdline(sc, v, d, &out);
		variant_xl_config(v, &out);
		variant_scope_key(sc, v, SCOPE_GUEST, &out);
		fio_build_cmdline(SCENARIO_VALUES(sc, v), i & 1, &out);
		iperf3_build_cmdline(SCENARIO_VALUES(sc, v), i & 1, "10.0.0.2", &out);
		for (size_t j = 0; j < v->n_ex; j++) {
			struct evidence_probe ep;

			if (evidence_probe(v->ex[j].name, 7, &ep))
				abort(); /* the loader accepted a name the probe rejects */
			expect_holds(v->ex[j].value, v->ex[j].value);
		}
	}
	if (!plan_build(sc, NULL, &p, &out)) {
		plan_describe(sc, &p, true, &out);
		if (plan_results_json(sc, &p, &js, &jv))
			abort(); /* the loader guarantees UTF-8, so only ENOMEM may fail */
		json_decref(js);
		json_decref(jv);
		plan_free(&p);
	}
	sb_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf err = { 0 };
	struct scenario sc;

	if (!scenario_load_text("fuzz.ini", (const char *)data, size, &sc, &err)) {
		if (err.len)
			abort(); /* success must not leave a message */
		exercise(&sc);
		scenario_free(&sc);
	} else if (!err.len || strchr(err.buf, '\n')) {
		abort(); /* an error is exactly one line */
	}
	sb_free(&err);
	return 0;
}

#ifdef FUZZ_DICT_MAIN
/* Prints "token" lines for libFuzzer's -dict from the tables. */
int main(void)
{
	const struct scenario_key *k;
	size_t n;
	const struct variant_key *vk = scenario_variant_keys(&n);
	const struct evidence_name *en;
	const struct module_param *mp;

	printf("\"[variant \"\n\"baseline = true\"\n\"absent\"\n\" = \"\n");
	for (size_t i = 0; (k = scenario_key_at(i)); i++)
		printf("\"[%s]\"\n\"%s = \"\n\"%s\"\n", k->section, k->name, k->example);
	for (size_t i = 0; i < n; i++)
		printf("\"%.*s\"\n", (int)strcspn(vk[i].pattern, "<"), vk[i].pattern);
	en = scenario_evidence_names(&n);
	for (size_t i = 0; i < n; i++)
		printf("\"expect.%.*s\"\n", (int)strcspn(en[i].pattern, "<"), en[i].pattern);
	mp = scenario_module_params(&n);
	for (size_t i = 0; i < n; i++)
		printf("\"%s.%s.%s\"\n", scenario_domain_name(mp[i].where), mp[i].module, mp[i].param);
	return 0;
}
#endif
