/* report.c: the report model of `pvbench report RUN... -o DIR` (report.h): loads
 * runs, compares each run's variants with its baseline (and, given several runs,
 * each run with the first), draws the charts and writes DIR/report.html and
 * DIR/report.md. The command (argv, usage, exit status) is cmd/report.c. */
#include "pvbench/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Makes run labels unique ("x", "x-2", ...) so tables and charts can tell them apart. */
static void unique_labels(struct report *r)
{
	for (size_t i = 1; i < r->nruns; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(r->runs[i].label, r->runs[j].label)) {
				char l[sizeof(r->runs[i].label)];

				snprintf(l, sizeof(l), "%.50s-%d", r->runs[i].label,
					 (int)(i + 1) & 0xff);
				memcpy(r->runs[i].label, l, sizeof(l));
				j = (size_t)-1; /* recheck against every earlier label */
			}
}

static int load_runs(struct report *r, char **paths, int n)
{
	r->runs = calloc(n, sizeof(*r->runs));
	if (!r->runs)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		int rc = results_load(paths[i], &r->runs[i]);

		if (rc)
			return rc;
		r->nruns++;
		r->emulated |= r->runs[i].emulated;
	}
	unique_labels(r);
	return 0;
}

static int build_comparisons(struct report *r)
{
	int rc = 0;

	r->cmp = calloc(2 * r->nruns, sizeof(*r->cmp));
	if (!r->cmp)
		return -ENOMEM;
	for (size_t i = 0; i < r->nruns && !rc; i++)
		if (r->runs[i].nvar >= 2 &&
		    !(rc = compare_variants(&r->runs[i], NULL, &r->opts, &r->cmp[r->ncmp])))
			r->ncmp++;
	r->first_cross = r->ncmp;
	for (size_t i = 1; i < r->nruns && !rc; i++)
		if (!(rc = compare_runs(&r->runs[0], &r->runs[i], &r->opts, &r->cmp[r->ncmp])))
			r->ncmp++;
	if (!rc) /* one Holm family per kind for the whole report */
		rc = compare_adjust(r->cmp, r->ncmp);
	if (rc == -ENOMEM)
		pvb_err("out of memory comparing the runs");
	for (size_t i = 0; i < r->ncmp && r->nruns > 1; i++)
		for (size_t j = 0; j < r->cmp[i].npair; j++)
			r->cmp[i].pair[j].show_run = true;
	return rc;
}

int report_build(struct report *r, char **paths, int n)
{
	int rc = load_runs(r, paths, n);

	if (rc == -ENOMEM)
		pvb_err("out of memory loading the runs");
	if (!rc)
		rc = build_comparisons(r);
	return rc;
}

const char *report_var_label(const struct report *r, size_t run, const char *variant, char *buf,
			     size_t len)
{
	if (r->nruns > 1)
		snprintf(buf, len, "%s:%s", r->runs[run].label, variant);
	else
		snprintf(buf, len, "%s", variant);
	return buf;
}

static const char *doc_title(const struct report *r, char *buf, size_t len)
{
	size_t off = snprintf(buf, len, "pvbench report:");

	for (size_t i = 0; i < r->nruns && off < len; i++) {
		const char *name = r->runs[i].scenario.name;

		off += snprintf(buf + off, len - off, "%s %s", i ? "," : "",
				r->nruns > 1 ? r->runs[i].label
				: name	     ? name
					     : r->runs[i].label);
	}
	return buf;
}

static int write_doc_file(const struct report *r, const struct doc_ops *ops, const char *file)
{
	struct rbuf o = {0};
	struct doc d;
	char path[4096], title[300];
	int rc;

	doc_init(&d, ops, &o, r->outdir);
	ops->begin(&d, doc_title(r, title, sizeof(title)));
	report_sections(&d, r);
	ops->end(&d);
	snprintf(path, sizeof(path), "%s/%s", r->outdir, file);
	rc = o.err ? o.err : write_file_atomic(path, o.sb.buf, o.sb.len);
	if (rc)
		pvb_err("cannot write '%s': %s", path, strerror(-rc));
	sb_free(&o.sb);
	return rc;
}

/* After writing: one error line when nothing could be compared. */
static int check_compared(const struct report *r)
{
	size_t ok = 0, compared = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++)
			ok += r->runs[i].var[j].nstatus[PVB_OK];
	for (size_t i = r->first_cross; i < r->ncmp; i++)
		for (int v = 0; v < V_NVERDICT; v++)
			compared += cmp_count(&r->cmp[i], v);
	if (!ok) {
		pvb_err("every repetition failed: no OK repetition in %s; the report in '%s' "
			"shows the failures",
			r->nruns > 1 ? "any run" : r->runs[0].path, r->outdir);
		return -EINVAL;
	}
	if (r->nruns > 1 && !compared) {
		pvb_err("no variant and metric in common between '%s' and the other runs; the "
			"report is in '%s'",
			r->runs[0].path, r->outdir);
		return -EINVAL;
	}
	return 0;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->ncmp; i++)
		comparison_free(&r->cmp[i]);
	for (size_t i = 0; i < r->nruns; i++)
		results_free(&r->runs[i]);
	free(r->cmp);
	free(r->runs);
	free(r->charts);
	free((char *)r->argv0_line);
}

int report_write(struct report *r)
{
	int rc = mkdir_p(r->outdir);

	if (rc) {
		pvb_err("cannot create '%s': %s", r->outdir, strerror(-rc));
		return rc;
	}
	if ((rc = report_charts(r)) || (rc = write_doc_file(r, &doc_html_ops, "report.html")) ||
	    (rc = write_doc_file(r, &doc_md_ops, "report.md")))
		return rc;
	pvb_info("wrote %s/report.html, %s/report.md and %zu charts", r->outdir, r->outdir,
		 r->ncharts);
	return check_compared(r);
}
