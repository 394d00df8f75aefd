/* results_load.c: reads results.json (pvbench-results/1) into per-variant samples
 * of OK repetitions and per-status counts of the others (see results_load.h). */
#include "results_int.h"
#include "pvbench/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Unit suffixes, most specific first (see reports/results-schema.md). */
static const struct suffix_meta {
	const char *suffix, *unit;
	enum metric_better better;
} suffixes[] = {
    {"_iops", "IO/s", METRIC_HIGHER},
    {"_bytes_per_s", "B/s", METRIC_HIGHER},
    {"_bits_per_s", "bit/s", METRIC_HIGHER},
    {"_per_s", "1/s", METRIC_HIGHER},
    {"_ns", "ns", METRIC_LOWER},
    {"_us", "us", METRIC_LOWER},
    {"_ms", "ms", METRIC_LOWER},
    {"_s", "s", METRIC_LOWER},
    {"_pct", "%", METRIC_LOWER},
    {"_bytes", "B", METRIC_BETTER_UNKNOWN},
};

const char *metric_better_name(enum metric_better b)
{
	return b == METRIC_HIGHER ? "higher" : b == METRIC_LOWER ? "lower" : "unknown";
}

const char *rj_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

double rj_num(const json_t *obj, const char *key, double def)
{
	json_t *v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : def;
}

static int bad_shape(const struct pvb_results *r, const char *what);

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return (n > k && !strcmp(s + n - k, suffix)) || !strcmp(s, suffix + 1);
}

void results_metric_meta(const struct pvb_results *r, const char *metric, struct result_meta *m)
{
	json_t *meta = json_object_get(json_object_get(r->root, "metrics_meta"), metric);
	const char *better = rj_str(meta, "better"), *unit = rj_str(meta, "unit");

	*m = (struct result_meta){"", METRIC_BETTER_UNKNOWN, false, meta != NULL};
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		if (ends_with(metric, suffixes[i].suffix)) {
			m->unit = suffixes[i].unit;
			m->better = suffixes[i].better;
			break;
		}
	}
	if (unit)
		m->unit = unit;
	if (better && (!strcmp(better, "higher") || !strcmp(better, "lower"))) {
		m->better = !strcmp(better, "higher") ? METRIC_HIGHER : METRIC_LOWER;
		m->from_file = true;
	}
}

bool results_metric_primary(const struct pvb_results *r, const char *metric)
{
	json_t *meta = json_object_get(json_object_get(r->root, "metrics_meta"), metric);

	return !r->marks_primary || json_is_true(json_object_get(meta, "primary"));
}

bool results_same_clock(const struct pvb_results *a, const struct pvb_results *b)
{
	return !strcmp(a->clock, b->clock) && a->icount_shift == b->icount_shift;
}

const char *results_clock_str(const struct pvb_results *r, char *buf, size_t len)
{
	if (r->icount_shift >= 0)
		snprintf(buf, len, "%s shift=%d", r->clock, r->icount_shift);
	else
		snprintf(buf, len, "%s", r->clock);
	return buf;
}

/* environment.clock and icount_shift (see struct pvb_results), metrics_meta's
 * primary marks. */
static int load_clock(struct pvb_results *r)
{
	json_t *env = json_object_get(r->root, "environment"), *meta, *shift, *m;
	const char *clock = rj_str(env, "clock") ?: "host", *key;

	if (strcmp(clock, "icount") && strcmp(clock, "host"))
		return bad_shape(r, "\"environment.clock\" is neither \"icount\" nor \"host\"");
	snprintf(r->clock, sizeof(r->clock), "%s", clock);
	r->icount_shift = -1;
	shift = json_object_get(env, "icount_shift");
	if (!strcmp(clock, "icount")) {
		if (!json_is_integer(shift) || json_integer_value(shift) < 0 ||
		    json_integer_value(shift) > 10)
			return bad_shape(r, "\"environment.icount_shift\" is not an integer "
					    "from 0 to 10");
		r->icount_shift = (int)json_integer_value(shift);
	}
	meta = json_object_get(r->root, "metrics_meta");
	json_object_foreach(meta, key, m) r->marks_primary |=
	    json_is_true(json_object_get(m, "primary"));
	return 0;
}

const struct pvb_variant *results_variant(const struct pvb_results *r, const char *name)
{
	for (size_t i = 0; i < r->nvar; i++)
		if (!strcmp(r->var[i].name, name))
			return &r->var[i];
	return NULL;
}

const struct pvb_variant *results_baseline(const struct pvb_results *r)
{
	for (size_t i = 0; i < r->nvar; i++)
		if (r->var[i].baseline)
			return &r->var[i];
	return r->nvar ? &r->var[0] : NULL;
}

const struct pvb_series *variant_series(const struct pvb_variant *v, const char *metric)
{
	for (size_t i = 0; i < v->nseries; i++)
		if (!strcmp(v->series[i].metric, metric))
			return &v->series[i];
	return NULL;
}

size_t variant_excluded(const struct pvb_variant *v)
{
	return v->nruns - v->nstatus[PVB_OK];
}

const char *variant_excluded_str(const struct pvb_variant *v, char *buf, size_t len)
{
	size_t off = 0;

	snprintf(buf, len, "none");
	for (int s = PVB_SKIP; s < PVB_NSTATUS && off < len; s++) {
		if (!v->nstatus[s])
			continue;
		off += snprintf(buf + off, len - off, "%s%zu %s", off ? ", " : "", v->nstatus[s],
				pvb_status_names[s]);
	}
	return buf;
}

static struct pvb_variant *add_variant(struct pvb_results *r, const char *name)
{
	struct pvb_variant *v = (struct pvb_variant *)results_variant(r, name), *nv;

	if (v)
		return v;
	nv = realloc(r->var, (r->nvar + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	r->var = nv;
	v = &r->var[r->nvar++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	return v;
}

static struct pvb_series *add_series(struct pvb_variant *v, const char *metric)
{
	struct pvb_series *s = (struct pvb_series *)variant_series(v, metric), *ns;

	if (s)
		return s;
	ns = realloc(v->series, (v->nseries + 1) * sizeof(*ns));
	if (!ns)
		return NULL;
	v->series = ns;
	s = &v->series[v->nseries++];
	memset(s, 0, sizeof(*s));
	s->metric = metric;
	return s;
}

static int series_push(struct pvb_series *s, double x, int rep)
{
	double *v = realloc(s->v, (s->n + 1) * sizeof(*v));
	int *rp;

	if (!v)
		return -ENOMEM;
	s->v = v;
	rp = realloc(s->rep, (s->n + 1) * sizeof(*rp));
	if (!rp)
		return -ENOMEM;
	s->rep = rp;
	s->v[s->n] = x;
	s->rep[s->n++] = rep;
	return 0;
}

static int add_metrics(struct pvb_results *r, struct pvb_variant *v, json_t *run)
{
	json_t *metrics = json_object_get(run, "metrics"), *val;
	double r_rep = rj_num(run, "rep", 0);
	int rep = r_rep >= 0 && r_rep <= 1e9 ? (int)r_rep : 0;
	const char *key;

	json_object_foreach(metrics, key, val)
	{
		struct pvb_series *s;

		if (!json_is_number(val)) {
			r->nignored++;
			continue;
		}
		s = add_series(v, key);
		if (!s || series_push(s, json_number_value(val), rep))
			return -ENOMEM;
	}
	return 0;
}

static int bad_shape(const struct pvb_results *r, const char *what)
{
	pvb_err("'%s': %s", r->path, what);
	return -EINVAL;
}

static int load_variants(struct pvb_results *r)
{
	json_t *vars = json_object_get(r->root, "variants"), *v;
	size_t i;

	if (vars && !json_is_array(vars))
		return bad_shape(r, "\"variants\" is not an array");
	json_array_foreach(vars, i, v)
	{
		const char *name = rj_str(v, "name");
		struct pvb_variant *pv;

		if (!name)
			return bad_shape(r, "a variant has no \"name\" string");
		pv = add_variant(r, name);
		if (!pv)
			return -ENOMEM;
		pv->baseline = json_is_true(json_object_get(v, "baseline"));
	}
	return 0;
}

static int load_runs(struct pvb_results *r)
{
	json_t *runs = json_object_get(r->root, "runs"), *run;
	size_t i;

	if (!json_is_array(runs))
		return bad_shape(r, "\"runs\" is missing or not an array");
	json_array_foreach(runs, i, run)
	{
		const char *name = rj_str(run, "variant");
		enum pvb_status st = pvb_status_parse(rj_str(run, "status"));
		struct pvb_variant *v;

		if (!name)
			return bad_shape(r, "a run has no \"variant\" string");
		v = add_variant(r, name);
		if (!v)
			return -ENOMEM;
		v->nruns++;
		v->nstatus[st]++;
		if (st == PVB_OK && add_metrics(r, v, run))
			return -ENOMEM;
	}
	return 0;
}

static int check_schema(struct pvb_results *r)
{
	const char *schema = rj_str(r->root, "schema");

	if (!json_is_object(r->root))
		return bad_shape(r, "not a pvbench results file (not a JSON object)");
	if (!schema)
		return bad_shape(r, "not a pvbench results file (no \"schema\" string)");
	if (strcmp(schema, PVB_RESULTS_SCHEMA)) {
		pvb_err("'%s': unsupported schema '%s' (this pvbench reads %s)", r->path, schema,
			PVB_RESULTS_SCHEMA);
		return -EINVAL;
	}
	return 0;
}

/* Copy of path without trailing slashes; *base points at its last component. */
static char *split_path(const char *path, char **base)
{
	char *p = strdup(path), *slash;
	size_t n;

	if (!p)
		return NULL;
	for (n = strlen(p); n > 1 && p[n - 1] == '/'; n--)
		p[n - 1] = '\0';
	slash = strrchr(p, '/');
	*base = slash ? slash + 1 : p;
	return p;
}

static char *dir_of(const char *path)
{
	char *base, *p = split_path(path, &base);

	if (!p)
		return NULL;
	if (base == p) {
		free(p);
		return strdup(".");
	}
	base[base - 1 == p ? 0 : -1] = '\0'; /* keep "/" for files in the root */
	return p;
}

/* Fills r->path, r->dir and r->label from a file or run-directory argument. */
static int locate(const char *arg, struct pvb_results *r)
{
	struct stat st;
	char *copy, *base;
	size_t n;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		r->dir = strdup(arg);
		r->path = malloc(strlen(arg) + sizeof("/results.json"));
		if (r->path)
			sprintf(r->path, "%s/results.json", arg);
	} else {
		r->path = strdup(arg);
		r->dir = dir_of(arg);
	}
	if (!r->dir || !r->path)
		return -ENOMEM;
	copy = split_path(r->path, &base);
	if (copy && !strcmp(base, "results.json")) {
		free(copy);
		copy = split_path(r->dir, &base);
	}
	if (!copy)
		return -ENOMEM;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		base[n - 5] = '\0';
	snprintf(r->label, sizeof(r->label), "%s", base);
	free(copy);
	return 0;
}

static int parse(struct pvb_results *r)
{
	json_error_t jerr;
	size_t len;
	char *text = read_file(r->path, &len);
	int rc = -errno;

	if (!text) {
		pvb_err("cannot read '%s': %s", r->path, strerror(-rc));
		return rc;
	}
	r->root = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!r->root) {
		pvb_err("cannot parse '%s': line %d column %d: %s", r->path, jerr.line, jerr.column,
			jerr.text);
		return -EINVAL;
	}
	return 0;
}

int results_load(const char *path, struct pvb_results *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = locate(path, r);
	if (!rc)
		rc = parse(r);
	if (!rc)
		rc = check_schema(r);
	if (!rc)
		rc = load_clock(r);
	if (!rc)
		rc = load_variants(r);
	if (!rc)
		rc = load_runs(r);
	if (!rc)
		rc = results_load_model(r);
	if (rc == -ENOMEM)
		pvb_err("out of memory reading '%s'", path);
	if (rc) {
		results_free(r);
		return rc;
	}
	r->emulated =
	    json_is_true(json_object_get(json_object_get(r->root, "environment"), "emulated"));
	if (r->nignored)
		pvb_warn("'%s': ignored %zu metric values that are not numbers", r->path,
			 r->nignored);
	return 0;
}

void results_free(struct pvb_results *r)
{
	for (size_t i = 0; i < r->nvar; i++) {
		for (size_t j = 0; j < r->var[i].nseries; j++) {
			free(r->var[i].series[j].v);
			free(r->var[i].series[j].rep);
		}
		free(r->var[i].series);
	}
	free(r->var);
	results_free_model(r);
	free(r->path);
	free(r->dir);
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}
