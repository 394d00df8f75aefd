/* report_chart.c: gnuplot charts for `pvbench report`, as SVG and PNG under
 * DIR/charts, drawn family by family from the table below: per metric the median and
 * its 95% CI per variant with every repetition beside it; the series charts a
 * workload declares (workload.h: throughput per reporting interval, reply rate
 * against offered rate); latency percentiles per variant; the boot timeline; and for
 * sweeps each metric against the swept parameter. The data (.dat) and the script
 * (charts.gp) stay beside the images so anyone can re-render them. Every label taken
 * from results.json is reduced to a safe character set before it reaches gnuplot,
 * series from guests are bounded and checked point by point, and gnuplot runs with a
 * timeout. This file holds the table, the driver, the helpers every family uses
 * (report_chart_int.h) and the running of gnuplot. */
#include "pvbench/workload.h"
#include "report_chart_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define GNUPLOT_TIMEOUT_S 120

enum chart_kind {
	CHART_METRIC,
	CHART_LATENCY,
	CHART_BOOT,
	CHART_SWEEP,
	CHART_INTERVALS,
	CHART_RATES
};

/* The families in the order the report shows them. chart: the WL_CHART_* a run's
 * workload must declare for the family to read it, NULL for families drawn from
 * any run. group: the heading above the family's charts (the reply-rate chart has
 * none of its own: it follows the charts before it). */
static const struct chart_family {
	enum chart_kind kind;
	const char *chart;
	const char *group;
	int (*draw)(struct chart_ctx *c);
} families[] = {
    {CHART_METRIC, NULL, "Per metric", charts_metric},
    {CHART_INTERVALS, WL_CHART_INTERVALS, "Throughput over time", chart_intervals},
    {CHART_RATES, WL_CHART_RATES, NULL, chart_rates},
    {CHART_LATENCY, NULL, "Latency percentiles", charts_latency},
    {CHART_BOOT, NULL, "Boot timeline", chart_boot},
    {CHART_SWEEP, NULL, "Sweeps", charts_sweep},
};

bool chart_run_wants(const struct pvb_results *run, const char *chart)
{
	const struct workload_ops *wl = workload_find(run->scenario.workload);
	const char *const *charts = wl ? wl->charts : NULL;

	for (size_t i = 0; charts && charts[i]; i++)
		if (!strcmp(charts[i], chart))
			return true;
	return false;
}

/* Whether the workload of some run declares chart. */
static bool report_wants(const struct report *r, const char *chart)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (chart_run_wants(&r->runs[i], chart))
			return true;
	return false;
}

const char gp_colors[8][8] = {"#1f5fa8", "#d9480f", "#2b8a3e", "#862e9c",
			      "#c92a2a", "#5c940d", "#0b7285", "#e67700"};

/* Text for a gnuplot single-quoted string: letters, digits and a few harmless
 * punctuation marks; anything else (quotes, backquotes, @, <, &, # ...) becomes '?',
 * so labels are safe in scripts, in data files and in the SVG that gnuplot writes. */
const char *gp_label(char *out, size_t len, const char *in)
{
	static const char ok[] = " _.,:;=+-/()%";
	size_t i = 0;

	for (; in && *in && i + 1 < len; in++, i++) { /* len bounds it */
		unsigned char c = *in;
		bool good = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || (c && strchr(ok, c));

		out[i] = good ? c : '?';
	}
	out[i] = '\0';
	return out;
}

/* File-name token: [A-Za-z0-9_-], others '_'. */
void file_token(char *out, size_t len, const char *in)
{
	size_t i = 0;

	for (; *in && i + 1 < len && i < 48; in++, i++) {
		unsigned char c = *in;

		out[i] = ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			  (c >= 'A' && c <= 'Z') || c == '-' || c == '_')
			     ? c
			     : '_';
	}
	out[i] = '\0';
}

int add_chart(struct chart_ctx *ctx, const char *name, const char *caption)
{
	struct report *r = ctx->r;
	struct report_chart *c = realloc(r->charts, (r->ncharts + 1) * sizeof(*c));

	if (!c)
		return -ENOMEM;
	r->charts = c;
	c = &r->charts[r->ncharts++];
	c->kind = ctx->kind;
	c->group = ctx->group;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->caption, sizeof(c->caption), "%s", caption);
	return 0;
}

int write_dat(const struct report *r, const char *name, struct rbuf *dat)
{
	char path[4096];

	if (dat->err)
		return dat->err;
	snprintf(path, sizeof(path), "%s/charts/%s.dat", r->outdir, name);
	return write_file_atomic(path, dat->sb.buf ? dat->sb.buf : "", dat->sb.len);
}

void gp_begin(struct rbuf *gp, const char *name, const char *title, const struct chart_axis *y)
{
	char t[128], l[128];

	rb_printf(gp, "\n# ---- %s\nreset\n", name);
	rb_printf(gp,
		  "set terminal svg size 760,440 font 'sans,12' noenhanced background "
		  "rgb 'white'\nset output '%s.svg'\n",
		  name);
	rb_printf(gp, "set title '%s'\nset ylabel '%s'\n", gp_label(t, sizeof(t), title),
		  gp_label(l, sizeof(l), y->label));
	rb_puts(gp, "set grid ytics\nset key outside bottom center horizontal reverse Left\n"
		    "set border 3\nset tics nomirror\n");
	rb_printf(gp, "set format x '%%.12g'\nset format y '%s'\nys = %.10g\n", y->format, y->div);
}

void gp_end(struct rbuf *gp, const char *name)
{
	rb_printf(gp,
		  "set terminal pngcairo size 760,440 font 'sans,10' noenhanced background "
		  "rgb 'white'\nset output '%s.png'\nreplot\nset output\n",
		  name);
}

/* gnuplot's default "%g" would print 3e+08 or 1e-05. */
void axis_format(char *fmt, size_t len, double lo, double hi)
{
	if (isfinite(hi) && hi >= 1e12)
		snprintf(fmt, len, "%%.0f");
	else if (isfinite(lo) && lo > 0 && lo < 1e-4)
		snprintf(fmt, len, "%%.%df", (int)fmin(15, ceil(-log10(lo)) + 1));
	else
		snprintf(fmt, len, "%%.12g");
}

/* Nanoseconds in one unit of a time unit, 0 for any other unit. */
static double unit_ns(const char *unit)
{
	static const struct {
		const char *unit;
		double ns;
	} t[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};

	for (size_t i = 0; unit && i < ARRAY_SIZE(t); i++)
		if (!strcmp(unit, t[i].unit))
			return t[i].ns;
	return 0;
}

/* Times: the largest of s, ms, us, ns that maxabs reaches (ns below 1 ns). */
static double time_div(const char *unit, double maxabs, char *label, size_t len)
{
	static const char *const to[] = {"s", "ms", "us", "ns"};
	double from = unit_ns(unit);
	size_t k = 0;

	while (k + 1 < ARRAY_SIZE(to) && maxabs * from < unit_ns(to[k]))
		k++;
	snprintf(label, len, "%s", to[k]);
	return unit_ns(to[k]) / from;
}

/* Rates and sizes reaching 10000: a decimal SI prefix, so ticks read "640" beside
 * "Mbits/s" (smaller values read well as they are). */
static double si_div(const char *unit, double maxabs, char *label, size_t len)
{
	static const char *const scalable[] = {"bits/s", "bit/s", "B/s", "IO/s", "B"};
	static const struct {
		double div;
		const char *prefix;
	} pre[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};

	for (size_t i = 0; unit && i < ARRAY_SIZE(scalable); i++) {
		if (strcmp(unit, scalable[i]))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(pre) && maxabs >= 1e4; k++)
			if (maxabs >= pre[k].div) {
				snprintf(label, len, "%s%s", pre[k].prefix, unit);
				return pre[k].div;
			}
		break;
	}
	return 1;
}

void report_chart_axis(struct chart_axis *a, const char *unit, double maxabs, double minpos)
{
	double hi;

	a->div = 1;
	snprintf(a->label, sizeof(a->label), "%s", unit ? unit : "");
	if (isfinite(maxabs) && maxabs > 0)
		a->div = unit_ns(unit) ? time_div(unit, maxabs, a->label, sizeof(a->label))
				       : si_div(unit, maxabs, a->label, sizeof(a->label));
	hi = maxabs / a->div;
	axis_format(a->format, sizeof(a->format), minpos > 0 ? minpos / a->div : hi / 10, hi);
}

/* ---- driver ---- */
static size_t metric_union(const struct report *r, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t j = 0; j < r->runs[i].nvar; j++)
			for (size_t k = 0; k < r->runs[i].var[j].nseries; k++) {
				const char *m = r->runs[i].var[j].series[k].metric;
				size_t q = 0;

				while (q < n && strcmp(out[q], m))
					q++;
				if (q == n && n < MAX_METRICS)
					out[n++] = m;
			}
	return n;
}

/* Runs gnuplot on charts.gp in dir, output to gnuplot.log; kills it on timeout. */
static int run_gnuplot(const char *dir)
{
	int status = 0, waited;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int log, null = open("/dev/null", O_RDONLY);

		if (chdir(dir) == 0 &&
		    (log = open("gnuplot.log", O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
			dup2(null, 0);
			dup2(log, 1);
			dup2(log, 2);
			execlp("gnuplot", "gnuplot", "charts.gp", (char *)NULL);
		}
		_exit(127);
	}
	for (waited = 0; waited < GNUPLOT_TIMEOUT_S * 20; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(50000);
	}
	if (waited == GNUPLOT_TIMEOUT_S * 20) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -ETIMEDOUT;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
}

static int gnuplot_result(const char *dir, int rc)
{
	if (rc == 127)
		pvb_warn("gnuplot not found (install gnuplot-nox): the report has no charts");
	else if (rc == -ETIMEDOUT)
		pvb_warn("gnuplot took longer than %d s and was killed: see '%s/gnuplot.log'",
			 GNUPLOT_TIMEOUT_S, dir);
	else if (rc)
		pvb_warn("gnuplot failed (%d): see '%s/gnuplot.log'", rc, dir);
	return 0;
}

static int build_charts(struct report *r, struct rbuf *gp)
{
	struct chart_ctx c = {.r = r, .gp = gp, .metrics = calloc(MAX_METRICS, sizeof(char *))};
	int rc = 0;

	if (!c.metrics)
		return -ENOMEM;
	c.nm = metric_union(r, c.metrics);
	for (size_t i = 0; i < ARRAY_SIZE(families) && !rc; i++) {
		c.kind = families[i].kind;
		c.group = families[i].group;
		if (!families[i].chart || report_wants(r, families[i].chart))
			rc = families[i].draw(&c);
	}
	free(c.metrics);
	return rc;
}

int report_charts(struct report *r)
{
	char dir[4096], path[4200];
	struct rbuf gp = {0};
	int rc;

	snprintf(dir, sizeof(dir), "%s/charts", r->outdir);
	if ((rc = mkdir_p(dir))) {
		pvb_err("cannot create '%s': %s", dir, strerror(-rc));
		return rc;
	}
	rb_puts(&gp, "# charts.gp: written by pvbench report; re-render with 'gnuplot charts.gp'"
		     " in this directory\n");
	rc = build_charts(r, &gp);
	if (!rc)
		rc = gp.err;
	snprintf(path, sizeof(path), "%s/charts.gp", dir);
	if (!rc && (rc = write_file_atomic(path, gp.sb.buf, gp.sb.len)))
		pvb_err("cannot write '%s': %s", path, strerror(-rc));
	else if (rc)
		pvb_err("cannot write the charts in '%s': %s", dir, strerror(-rc));
	sb_free(&gp.sb);
	if (rc || !r->ncharts)
		return rc;
	return gnuplot_result(dir, run_gnuplot(dir));
}
