/* check_report.c: unit tests of the report writers: escapers and number formats,
 * text/Markdown tables, and `pvbench report` on the synthetic fixtures
 * (harness/tests/data/results): files written, charts inlined, hostile strings
 * escaped, the TCG banner, and single error lines with exit 2; on
 * the recorded iperf3 run (net-mq-quick): its tables, evidence and the chart of
 * throughput per interval, and that malformed series from a guest are left out.
 * Run from the repository root; chart checks are skipped when gnuplot is absent. */
#include "pvbench/commands.h"
#include "pvbench/report.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define D "harness/tests/data/results/"

/* ---- escapers and formats ---- */

static const struct esc_case {
	void (*fn)(struct rbuf *o, const char *s);
	const char *in, *want;
} esc_cases[] = {
    {esc_html, "<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
    {esc_html, "a & \"b\"", "a &amp; &quot;b&quot;"},
    {esc_html, "bell\x07 esc\x1b[0m\ttab\n", "bell\xef\xbf\xbd esc\xef\xbf\xbd[0m\ttab\n"},
    {esc_md, "read_clat_p99_ns", "read_clat_p99_ns"},
    {esc_md, "_y_ *x* a|b `c`", "\\_y\\_ \\*x\\* a\\|b \\`c\\`"},
    {esc_md, "<b>&amp; & [l](http://e) ![i](x)", "&lt;b>&amp;amp; & [l\\](http://e) !\\[i\\](x)"},
    {esc_md, "# not a heading\nnext", "# not a heading next"},
    {esc_md, "[-0.6%, +2.7%] -> ok", "[-0.6%, +2.7%] -> ok"},
};

static void esc_text_nl(struct rbuf *o, const char *s)
{
	esc_text(o, s, true);
}

static const struct esc_case text_cases[] = {
    {esc_text_nl, "red\x1b[31m\x7f\nline", "red?[31m?\nline"},
};

static void check_esc(const struct esc_case *c)
{
	struct rbuf o = {0};

	c->fn(&o, c->in);
	ck_assert_int_eq(o.err, 0);
	ck_assert_str_eq(o.sb.buf ? o.sb.buf : "", c->want);
	sb_free(&o.sb);
}

START_TEST(test_escape)
{
	check_esc(&esc_cases[_i]);
}
END_TEST

START_TEST(test_escape_text)
{
	check_esc(&text_cases[_i]);
}
END_TEST

START_TEST(test_formats)
{
	char b[48];

	ck_assert_str_eq(fmt_num(b, sizeof(b), NAN), "-");
	ck_assert_str_eq(fmt_num(b, sizeof(b), 1512.34), "1512.3");
	ck_assert_str_eq(fmt_num(b, sizeof(b), 6194380.2), "6194380");
	ck_assert_str_eq(fmt_num(b, sizeof(b), 3.1), "3.1");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.2304), "+23.0%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), -0.0003), "-0.03%");
	ck_assert_str_eq(fmt_p(b, sizeof(b), 0.0123), "0.0123");
	ck_assert_str_eq(fmt_p(b, sizeof(b), 1e-9), "<1e-6");
	ck_assert_str_eq(fmt_p(b, sizeof(b), 1), "1");
}
END_TEST

START_TEST(test_text_table)
{
	static const char *const head[] = {"metric", "n"};
	struct rbuf o = {0};
	struct doc d;

	doc_init(&d, &doc_text_ops, &o, NULL);
	doc_table(&d, 2, head, 0x2);
	doc_row(&d, (const char *const[]){"read_iops", "7"}, NULL);
	doc_row(&d, (const char *const[]){"x\x1b", "10"}, "v-worse");
	doc_table_end(&d);
	ck_assert_str_eq(o.sb.buf, "metric      n\nread_iops   7\nx?         10\n\n");
	sb_reset(&o.sb);
	doc_init(&d, &doc_md_ops, &o, NULL);
	doc_table(&d, 2, head, 0x2);
	doc_row(&d, (const char *const[]){"a|b", "1"}, NULL);
	doc_table_end(&d);
	ck_assert_str_eq(o.sb.buf, "| metric | n |\n|---|---:|\n| a\\|b | 1 |\n\n");
	sb_free(&o.sb);
}
END_TEST

/* ---- chart axes ---- */

static const struct axis_case {
	const char *unit;
	double maxabs, minpos; /* minpos 0: a linear axis */
	double div;
	const char *label, *format;
} axis_cases[] = {
    {"ns", 3e8, 0, 1e6, "ms", "%.12g"},	  /* a latency of 0.3 s reads 300 ms */
    {"ns", 2500, 0, 1e3, "us", "%.12g"},
    {"ns", 800, 0, 1, "ns", "%.12g"},
    {"ns", 1000, 0, 1e3, "us", "%.12g"},	  /* a unit is taken from 1 of it */
    {"ns", 4.2e10, 0, 1e9, "s", "%.12g"},
    {"ns", 3e13, 0, 1e9, "s", "%.12g"},	  /* s is the largest: 30000 s */
    {"ms", 2500, 0, 1e3, "s", "%.12g"},
    {"ms", 0.4, 0, 1e-3, "us", "%.12g"},	  /* scaled down too */
    {"s", 0.0004, 0, 1e-6, "us", "%.12g"},
    {"us", 0.5, 0, 1e-3, "ns", "%.12g"},
    {"ns", 0.2, 0, 1, "ns", "%.12g"},	  /* nothing below ns */
    {"ns", 3e8, 12, 1e6, "ms", "%.6f"},	  /* log axis down to 0.000012 ms */
    {"ns", 0, 0, 1, "ns", "%.12g"},	  /* nothing plotted: as recorded */
    {"ns", NAN, 0, 1, "ns", "%.12g"},
    {"bits/s", 6.4e8, 0, 1e6, "Mbits/s", "%.12g"},
    {"B", 9999, 0, 1, "B", "%.12g"},	  /* SI prefixes from 10000 */
    {"IO/s", 25000, 0, 1e3, "kIO/s", "%.12g"},
    {"count", 3e8, 0, 1, "count", "%.12g"}, /* 300000000, not 3e+08 */
    {"count", 5e13, 0, 1, "count", "%.0f"},
    {"%", 0.0005, 0, 1, "%", "%.6f"},	  /* 0.0001 steps, not 1e-04 */
    {"", 2, 0, 1, "", "%.12g"},
};

START_TEST(test_chart_axis)
{
	const struct axis_case *c = &axis_cases[_i];
	struct chart_axis a;

	report_chart_axis(&a, c->unit, c->maxabs, c->minpos);
	ck_assert_msg(fabs(a.div / c->div - 1) < 1e-12, "%s %g: div %g, want %g", c->unit,
		      c->maxabs, a.div, c->div);
	ck_assert_str_eq(a.label, c->label);
	ck_assert_str_eq(a.format, c->format);
}
END_TEST

/* ---- the command ---- */

static bool have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static int run_report(const char *const *args, char *dir, int *error_lines)
{
	char *argv[12] = {"report"}, err[] = "/tmp/check_report.err.XXXXXX", line[4096];
	int argc = 1, fd, rc;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (; argc < 9 && args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	argv[argc++] = "-o";
	argv[argc++] = dir;
	fd = mkstemp(err);
	ck_assert(fd >= 0 && freopen(err, "w", stderr));
	close(fd);
	pvb_verbosity = 0;
	rc = cmd_report(argc, argv);
	fflush(stderr);
	*error_lines = 0;
	f = fopen(err, "r");
	while (f && fgets(line, sizeof(line), f))
		*error_lines += !strncmp(line, "error: ", 7);
	if (f)
		fclose(f);
	unlink(err);
	return rc;
}

static char *read_out(const char *dir, const char *file)
{
	char path[512];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read '%s'", path);
	return text;
}

/* Whether needle occurs in Markdown text outside fenced code blocks (CommonMark:
 * a fence of n backticks is closed only by a line of at least n backticks). */
static bool md_outside_fences(const char *md, const char *needle)
{
	size_t fence = 0;

	for (const char *line = md; line && *line;) {
		const char *nl = strchr(line, '\n'), *hit = strstr(line, needle);
		size_t len = nl ? (size_t)(nl - line) : strlen(line), ticks = strspn(line, "`");

		if (!fence && hit && hit < line + len)
			return true;
		if (!fence && ticks >= 3)
			fence = ticks;
		else if (fence && ticks >= fence && ticks == len)
			fence = 0;
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

static void rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_report_two_runs)
{
	const char *args[] = {D "base", D "new", NULL};
	char dir[] = "/tmp/check_report.XXXXXX";
	int errs;
	char *html, *md, *gp;

	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	ck_assert_int_eq(errs, 0);
	html = read_out(dir, "report.html");
	md = read_out(dir, "report.md");
	ck_assert_ptr_nonnull(strstr(html, "Content-Security-Policy"));
	ck_assert_ptr_nonnull(strstr(html, "not hardware speed"));
	ck_assert_ptr_nonnull(strstr(md, "not hardware speed"));
	ck_assert_ptr_null(strstr(html, "src=\"http"));
	ck_assert_ptr_null(strstr(html, "href="));
	ck_assert_ptr_nonnull(strstr(html, "<h2>Evidence that each feature took effect</h2>"));
	ck_assert_ptr_nonnull(strstr(html, "Kernel panic - not syncing"));
	ck_assert_ptr_nonnull(strstr(md, "| base:mq -> new:mq | read_iops | better |"));
	ck_assert_ptr_nonnull(strstr(md, "## How to reproduce"));
	ck_assert_ptr_nonnull(strstr(md, ": 8 repetitions per variant, order interleaved"));
	ck_assert_ptr_null(strstr(md, "Repetitions ")); /* no "design": no paragraph */
	/* latencies around 2e7 ns plot as ms; ticks never in exponent notation */
	gp = read_out(dir, "charts/charts.gp");
	ck_assert_ptr_nonnull(strstr(gp, "set title 'read_clat_p99_ns (ns, lower is better)'\n"
					 "set ylabel 'ms'\n"));
	ck_assert_ptr_nonnull(strstr(gp, "set title 'read_clat percentiles (ms)'\nset ylabel 'ms'\n"));
	ck_assert_ptr_nonnull(strstr(gp, "set format x '%.12g'\nset format y '%.12g'\nys = 1000000\n"));
	ck_assert_ptr_nonnull(strstr(gp, "'lat00-read_clat.dat' index 0 using "
					 "1:(column(2)/ys):(column(3)/ys):(column(4)/ys) with yerrorlines"));
	ck_assert_ptr_null(strstr(gp, "set ylabel 'ns'"));
	if (have_gnuplot()) {
		char *svg = read_out(dir, "charts/m04-read_clat_p90_ns.svg");

		ck_assert_ptr_null(strstr(svg, "e+0"));
		free(svg);
		free(read_out(dir, "charts/m00-read_iops.svg"));
		free(read_out(dir, "charts/m00-read_iops.png"));
		free(read_out(dir, "charts/lat00-read_clat.svg"));
		free(read_out(dir, "charts/boot-timeline.svg"));
		ck_assert_ptr_nonnull(
		    strstr(html, "<img alt=\"read_iops (IO/s, higher is better)"));
		ck_assert_ptr_nonnull(strstr(html, "src=\"data:image/svg+xml;base64,PD94bWwg"));
		ck_assert_ptr_nonnull(strstr(md, "](charts/m00-read_iops.png)"));
	}
	free(html);
	free(md);
	free(gp);
	rm_rf(dir);
}
END_TEST

START_TEST(test_report_hostile)
{
	const char *args[] = {D "hostile", NULL};
	char dir[] = "/tmp/check_report.XXXXXX";
	char *html, *md, *gp;
	int errs;

	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	html = read_out(dir, "report.html");
	md = read_out(dir, "report.md");
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<iframe"));
	ck_assert_ptr_null(strstr(html, "<img src=x"));
	ck_assert_ptr_null(strstr(html, "<svg onload"));
	ck_assert_ptr_null(strstr(html, "\x1b"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert(!md_outside_fences(md, "<script"));
	ck_assert(!md_outside_fences(md, "<iframe"));
	ck_assert(md_outside_fences(md, "&lt;script>"));
	ck_assert(strstr(md, "<script")); /* console excerpt, verbatim in a fence */
	ck_assert_ptr_nonnull(strstr(md, "&lt;script>alert(1)&lt;/script>"));
	ck_assert(!md_outside_fences(md, "[l](http"));
	gp = read_out(dir, "charts/charts.gp");
	ck_assert_ptr_nonnull(strstr(gp, "'?script?alert(1)?/script?' 0"));
	ck_assert_ptr_null(strpbrk(gp, "`@<>&\"$\\"));
	free(html);
	free(md);
	free(gp);
	rm_rf(dir);
}
END_TEST

START_TEST(test_report_sweep)
{
	const char *args[] = {D "sweep", NULL};
	char dir[] = "/tmp/check_report.XXXXXX";
	char *html;
	int errs;

	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	html = read_out(dir, "report.html");
	ck_assert_ptr_null(strstr(html, "not hardware speed")); /* KVM: no banner */
	ck_assert_ptr_nonnull(strstr(html, "Every repetition finished OK."));
	if (have_gnuplot()) {
		ck_assert_ptr_nonnull(strstr(html, "<h3>Sweeps</h3>"));
		free(read_out(dir, "charts/sweep0-00-read_iops.svg"));
	}
	free(html);
	rm_rf(dir);
}
END_TEST

static bool exists(const char *dir, const char *file)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return stat(path, &st) == 0;
}

/* A real iperf3 run (net-mq-quick: 1q and 2q, one repetition each, with series). */
START_TEST(test_report_net_mq)
{
	const char *args[] = {D "net-mq-quick", NULL};
	char dir[] = "/tmp/check_report.XXXXXX";
	char *html, *md, *dat, *gp;
	int errs;

	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	ck_assert_int_eq(errs, 0);
	html = read_out(dir, "report.html");
	md = read_out(dir, "report.md");
	/* summary, with the Hodges-Lehmann shift where the base median is 0; 1 vs 1
	 * repetition gives zero-width intervals: labelled with the level they reach, 0% */
	ck_assert_ptr_nonnull(strstr(md, "| comparison | metric | verdict | change | CI | p (Holm) |"));
	ck_assert_ptr_nonnull(strstr(md, "| 1q -> 2q | throughput_bits_per_s | inconclusive | "
					 "+39.6% | [+39.6%, +39.6%] 0% | 1 |"));
	ck_assert_ptr_nonnull(strstr(
	    md, "| 1q -> 2q | retransmits | inconclusive | shift +45 count | [+45, +45] 0% |"));
	ck_assert_ptr_null(strstr(md, "95% CI"));
	/* the answer first, before any table, and what the clock measures */
	ck_assert_ptr_nonnull(strstr(md, "\n2q vs 1q: throughput_bits_per_s +39.6% [+39.6%, "
					 "+39.6%] (0%), inconclusive (p = 1, 1 + 1 repetitions, "
					 "host clock)\n"));
	ck_assert(strstr(md, "2q vs 1q: throughput_bits_per_s") < strstr(md, "| comparison |"));
	ck_assert_ptr_nonnull(strstr(md, "Clock: host time (multi-threaded TCG or KVM): figures "
					 "move with host load."));
	ck_assert_ptr_nonnull(strstr(md, "| cpu_host_pct | % | lower | 1/1 |"));
	/* evidence, method and reproduction for a non-fio workload */
	ck_assert_ptr_nonnull(strstr(md, "| vif_irqs | 4 | '4' | 1/1 |"));
	ck_assert_ptr_nonnull(strstr(md, "| vif_backend.hotplug-status | connected |"));
	ck_assert_ptr_nonnull(strstr(md, "workload iperf3: 1 repetitions per variant, order "
					 "interleaved, no seed."));
	ck_assert_ptr_nonnull(strstr(md, "1q: iperf3 -c 10.0.0.2 -J -t 3 -O 0 -P 4\n"));
	ck_assert_ptr_nonnull(strstr(md, "Project commit fc9ced6 "));
	ck_assert_ptr_null(strstr(md, "seed nan"));
	/* the interval chart: data, script, caption; no latency-percentile chart */
	dat = read_out(dir, "charts/throughput-intervals.dat");
	ck_assert_str_eq(dat, "0.507681 418248141.9\n1.526618 477878436.2\n2.5239525 593234219.5\n"
			      "\n\n0.519765 642543156.1\n1.5247365 659133112.1\n"
			      "2.5243575 642092022.9\n\n\n");
	gp = read_out(dir, "charts/charts.gp");
	ck_assert_ptr_nonnull(strstr(gp, "set title 'Throughput per iperf3 interval'\n"));
	ck_assert_ptr_nonnull(strstr(gp, "set ylabel 'Mbits/s'\n"));
	ck_assert_ptr_nonnull(strstr(gp,
				     "'throughput-intervals.dat' index 1 using 1:(column(2)/ys) "
				     "with linespoints"));
	ck_assert_ptr_null(strpbrk(gp, "`@<>&\"$\\"));
	ck_assert_ptr_null(strstr(gp, "# ---- lat"));
	ck_assert_ptr_null(strstr(md, "Latency percentiles"));
	ck_assert_ptr_nonnull(strstr(html, "<h3>Throughput over time</h3>"));
	ck_assert_ptr_nonnull(strstr(html, "<figcaption>Throughput per iperf3 interval: bits/s"));
	ck_assert_ptr_nonnull(strstr(md, "one line per OK repetition (2), coloured by variant]"
					 "(charts/throughput-intervals.png)"));
	if (have_gnuplot()) {
		free(read_out(dir, "charts/throughput-intervals.svg"));
		free(read_out(dir, "charts/throughput-intervals.png"));
		free(read_out(dir, "charts/m00-throughput_bits_per_s.svg"));
		free(read_out(dir, "charts/m02-retransmits.svg"));
		free(read_out(dir, "charts/m04-cpu_remote_pct.png"));
		ck_assert_ptr_nonnull(
		    strstr(html, "<img alt=\"Throughput per iperf3 interval: bits/s"));
		ck_assert_ptr_null(strstr(html, "(chart not rendered"));
	}
	free(html);
	free(md);
	free(dat);
	free(gp);
	rm_rf(dir);
}
END_TEST

/* Series entries from a guest that are no intervals (15), and one valid interval
 * that is omitted: nothing in it is drawn. */
static const char garbage_json[] =
    "[\"NaN\", 7, null, [], {},"
    " {\"start\": \"0\", \"end\": 1, \"bits_per_second\": 5, \"omitted\": false},"
    " {\"start\": 0, \"end\": 1, \"bits_per_second\": \"NaN\", \"omitted\": false},"
    " {\"start\": 0, \"end\": 1, \"bits_per_second\": \"inf\", \"omitted\": false},"
    " {\"start\": 0, \"end\": 1, \"bits_per_second\": null, \"omitted\": false},"
    " {\"start\": 0, \"end\": 1, \"bits_per_second\": -1, \"omitted\": false},"
    " {\"start\": 0, \"end\": 1e300, \"bits_per_second\": 5, \"omitted\": false},"
    " {\"start\": 2, \"end\": 1, \"bits_per_second\": 5, \"omitted\": false},"
    " {\"start\": 0, \"end\": 1, \"bits_per_second\": 5, \"omitted\": \"no\"},"
    " {\"start\": 0, \"end\": 1, \"bits_per_second\": 5},"
    " {\"start\": [0], \"end\": 1, \"bits_per_second\": 5, \"omitted\": false},"
    " {\"start\": 0, \"end\": 1, \"bits_per_second\": 1e308, \"omitted\": true}]";

static json_t *garbage_series(void)
{
	return json_loads(garbage_json, 0, NULL);
}

static json_t *huge_series(size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a,
				      json_pack("{s:f, s:f, s:f, s:b}", "start", (double)i, "end",
						i + 1.0, "bits_per_second", 1e6, "omitted", 0));
	return a;
}

enum garbage { G_ENTRIES, G_NOT_ARRAY, G_MIXED, G_FIO, G_RATES };

/* net-mq-quick with the series of its two repetitions replaced, in dir/results.json;
 * G_FIO keeps them but names the workload fio, G_RATES gives httperf's rate points. */
static void write_garbage(char *dir, enum garbage g)
{
	json_error_t jerr;
	json_t *root = json_load_file(D "net-mq-quick/results.json", 0, &jerr);
	json_t *runs = json_object_get(root, "runs"), *s0, *s1;
	char path[600];

	ck_assert_ptr_nonnull(root);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	if (g == G_ENTRIES) {
		s0 = garbage_series();
		s1 = huge_series(100001); /* one more than is read per repetition */
	} else if (g == G_NOT_ARRAY) {
		s0 = json_string("[{\"start\": 0, \"end\": 1, \"bits_per_second\": 5}]");
		s1 = json_pack("{s:f, s:f, s:f, s:b}", "start", 0.0, "end", 1.0, "bits_per_second",
			       5.0, "omitted", 0);
	} else if (g == G_FIO || g == G_RATES) {
		json_object_set_new(json_object_get(root, "scenario"), "workload",
				    json_string(g == G_FIO ? "fio" : "httperf"));
		s0 = g == G_FIO ? json_incref(json_object_get(json_array_get(runs, 0), "series"))
				: json_loads("[{\"offered_rate\": 10, \"num_calls\": 2, \"reply_rate\": "
					     "19}, {\"offered_rate\": 30, \"reply_rate\": 30}]",
					     0, NULL);
		s1 = g == G_FIO ? json_incref(json_object_get(json_array_get(runs, 1), "series"))
				: json_loads("[{\"offered_rate\": 5, \"reply_rate\": 5}, "
					     "{\"offered_rate\": -1, \"reply_rate\": 1}]",
					     0, NULL);
	} else {
		s0 = garbage_series();
		s1 = json_pack("[{s:f, s:f, s:f, s:b}, {s:f, s:f, s:f, s:b}, {s:f, s:f, s:f, s:b}]",
			       "start", 1.0, "end", 2.0, "bits_per_second", 3e6, "omitted", 0,
			       "start", 0.0, "end", 1.0, "bits_per_second", 2e6, "omitted", 0,
			       "start", 4.0, "end", 5.0, "bits_per_second", 9e9, "omitted", 1);
	}
	ck_assert(s0 && s1);
	json_object_set_new(json_array_get(runs, 0), "series", s0);
	json_object_set_new(json_array_get(runs, 1), "series", s1);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	ck_assert_int_eq(json_dump_file(root, path, 0), 0);
	json_decref(root);
}

START_TEST(test_report_series_garbage)
{
	char in[] = "/tmp/check_report.in.XXXXXX", dir[] = "/tmp/check_report.XXXXXX";
	const char *args[] = {in, NULL};
	char *html, *md, *gp;
	int errs;

	write_garbage(in, _i);
	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	ck_assert_int_eq(errs, 0);
	html = read_out(dir, "report.html");
	md = read_out(dir, "report.md");
	gp = read_out(dir, "charts/charts.gp");
	ck_assert(!exists(dir, "charts/throughput-intervals.dat"));
	ck_assert(!exists(dir, "charts/throughput-intervals.svg"));
	ck_assert(!exists(dir, "charts/throughput-intervals.png"));
	ck_assert_ptr_null(strstr(gp, "throughput-intervals"));
	ck_assert_ptr_null(strstr(html, "Throughput over time"));
	ck_assert_ptr_null(strstr(html, "Throughput per"));
	ck_assert_ptr_nonnull(strstr(md, "| 1q -> 2q | throughput_bits_per_s | inconclusive |"));
	if (have_gnuplot())
		free(read_out(dir, "charts/m00-throughput_bits_per_s.svg"));
	free(html);
	free(md);
	free(gp);
	rm_rf(dir);
	rm_rf(in);
}
END_TEST

/* Valid intervals among garbage: only they are drawn, in time order, omitted ones out. */
START_TEST(test_report_series_mixed)
{
	char in[] = "/tmp/check_report.in.XXXXXX", dir[] = "/tmp/check_report.XXXXXX";
	const char *args[] = {in, NULL};
	char *html, *dat;
	int errs;

	write_garbage(in, G_MIXED);
	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	ck_assert_int_eq(errs, 0);
	dat = read_out(dir, "charts/throughput-intervals.dat");
	ck_assert_str_eq(dat, "0.5 2000000\n1.5 3000000\n\n\n");
	html = read_out(dir, "report.html");
	ck_assert_ptr_nonnull(strstr(html, "one line per OK repetition (1), coloured by variant; "
					   "left out: 15 malformed intervals, 0 repetitions"));
	free(html);
	free(dat);
	rm_rf(dir);
	rm_rf(in);
}
END_TEST

/* The series charts are those the workload declares (workload.h): none for fio, the
 * reply rate for httperf, whatever the series look like. */
START_TEST(test_report_series_declared)
{
	char in[] = "/tmp/check_report.in.XXXXXX", dir[] = "/tmp/check_report.XXXXXX";
	const char *args[] = {in, NULL};
	char *gp;
	int errs;

	write_garbage(in, _i);
	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	ck_assert_int_eq(errs, 0);
	gp = read_out(dir, "charts/charts.gp");
	ck_assert(!exists(dir, "charts/throughput-intervals.dat"));
	ck_assert_ptr_null(strstr(gp, "throughput-intervals"));
	if (_i == G_FIO) {
		ck_assert(!exists(dir, "charts/reply-rate.dat"));
	} else {
		char *dat = read_out(dir, "charts/reply-rate.dat"), *md = read_out(dir, "report.md");

		ck_assert_str_eq(dat, "20 19\n30 30\n\n\n5 5\n\n\n");
		ck_assert_ptr_nonnull(strstr(gp, "set title 'Reply rate against offered request rate'"));
		ck_assert_ptr_nonnull(strstr(md, "did not keep up (malformed points left out)]"));
		free(dat);
		free(md);
	}
	free(gp);
	rm_rf(dir);
	rm_rf(in);
}
END_TEST

/* A NaN in results.json is not JSON: the file is refused whole, with one error line. */
START_TEST(test_report_series_nan_literal)
{
	char in[] = "/tmp/check_report.in.XXXXXX", dir[] = "/tmp/check_report.XXXXXX";
	const char *args[] = {in, NULL};
	char path[600], *text, *p;
	FILE *f;
	int errs;

	ck_assert_ptr_nonnull(mkdtemp(in));
	text = read_file(D "net-mq-quick/results.json", NULL);
	ck_assert_ptr_nonnull(text);
	p = strstr(text, "418248141.87800747");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "NaN               ", 18);
	snprintf(path, sizeof(path), "%s/results.json", in);
	f = fopen(path, "w");
	ck_assert(f && fputs(text, f) >= 0 && fclose(f) == 0);
	free(text);
	ck_assert_int_eq(run_report(args, dir, &errs), 2);
	ck_assert_int_eq(errs, 1);
	ck_assert(!exists(dir, "report.html"));
	rm_rf(dir);
	rm_rf(in);
}
END_TEST

/* ---- the design of a run (results.json "design") ---- */

static const struct design_case {
	const char *json; /* the "design" object */
	const char *want; /* the method paragraph, in report.md */
	const char *html; /* in report.html, or NULL */
} design_cases[] = {
    {"{\"repetitions\": \"auto\", \"pilot\": 3, \"detect_pct\": 2, \"power\": 0.8, "
     "\"family\": 2, \"planned_reps\": 7, \"max_repetitions\": 20, \"max_minutes\": 30, "
     "\"capped_by\": null, \"pilot_cv_pct\": {\"mq\": {\"read_iops\": 0.5, "
     "\"cpu_sys_pct\": 3.1}}, \"plan\": \"pilot CV 3.1%: 4 more repetitions per variant, "
     "about 2 min\"}",
     "\nRepetitions sized to the question: a pilot of 3 per variant, then 7 per variant in "
     "all (4 more) for 80% power to detect a 2% change on each primary metric (Holm family "
     "of 2 tests); pilot CV mq read_iops 0.5%, mq cpu_sys_pct 3.1%; not capped (limits: 20 "
     "repetitions per variant, 30 min). Plan: pilot CV 3.1%: 4 more repetitions per "
     "variant, about 2 min.\n",
     NULL},
    {"{\"repetitions\": \"auto\", \"pilot\": 3, \"planned_reps\": 20, \"power\": 0.9, "
     "\"detect_pct\": 1, \"family\": 1, \"max_repetitions\": 20, \"capped_by\": "
     "\"max_repetitions\"}",
     "\nRepetitions sized to the question: a pilot of 3 per variant, then 20 per variant in "
     "all (17 more) for 90% power to detect a 1% change on each primary metric (Holm family "
     "of 1 test); capped by max_repetitions (20 repetitions per variant).\n",
     NULL},
    {"{\"capped_by\": \"max_minutes\", \"max_minutes\": 2.5, \"pilot\": 3}",
     "\nRepetitions: a pilot of 3 per variant; capped by max_minutes (2.5 min).\n", NULL},
    {"{\"repetitions\": 5}", "\nRepetitions fixed at 5 per variant.\n", NULL},
    /* untrusted: wrong types and ranges left out, strings escaped */
    {"{\"repetitions\": \"auto\", \"pilot\": \"3\", \"planned_reps\": -7, \"power\": 80, "
     "\"detect_pct\": [2], \"family\": 1.5, \"max_repetitions\": {}, \"capped_by\": "
     "\"<b>x</b>\", \"pilot_cv_pct\": {\"<i>v</i>\": {\"m\": \"0.5\", \"n|m\": -1}, "
     "\"w\": 7}, \"plan\": \"<script>alert(1)</script>\"}",
     "\nRepetitions sized to the question; capped by &lt;b>x&lt;/b>. Plan: "
     "&lt;script>alert(1)&lt;/script>.\n",
     "<p>Repetitions sized to the question; capped by &lt;b&gt;x&lt;/b&gt;. Plan: "
     "&lt;script&gt;alert(1)&lt;/script&gt;.</p>"},
    {"\"auto\"", NULL, NULL}, /* not an object: no paragraph */
};

/* base/results.json with a "design" (and scenario.repetitions "auto") in dir. */
static void write_design(char *dir, const char *design)
{
	json_error_t jerr;
	json_t *root = json_load_file(D "base/results.json", 0, &jerr);
	json_t *d = json_loads(design, JSON_DECODE_ANY, &jerr);
	char path[600];

	ck_assert_msg(root && d, "%s", jerr.text);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	json_object_set_new(root, "design", d);
	json_object_set_new(json_object_get(root, "scenario"), "repetitions", json_string("auto"));
	snprintf(path, sizeof(path), "%s/results.json", dir);
	ck_assert_int_eq(json_dump_file(root, path, 0), 0);
	json_decref(root);
}

START_TEST(test_report_design)
{
	const struct design_case *c = &design_cases[_i];
	char in[] = "/tmp/check_report.in.XXXXXX", dir[] = "/tmp/check_report.XXXXXX";
	const char *args[] = {in, NULL};
	char *html, *md, *p;
	int errs;

	write_design(in, c->json);
	ck_assert_int_eq(run_report(args, dir, &errs), 0);
	ck_assert_int_eq(errs, 0);
	md = read_out(dir, "report.md");
	html = read_out(dir, "report.html");
	ck_assert_ptr_nonnull(strstr(md, "auto repetitions per variant, order interleaved"));
	p = strstr(md, "## Method");
	ck_assert_ptr_nonnull(p);
	if (c->want) {
		ck_assert_msg(strstr(p, c->want) != NULL, "no '%s' in the method section of:\n%s",
			      c->want, p);
		ck_assert_ptr_null(strstr(strstr(p, c->want) + 2, "Repetitions")); /* once */
	} else {
		ck_assert_ptr_null(strstr(md, "Repetitions "));
	}
	if (c->html)
		ck_assert_ptr_nonnull(strstr(html, c->html));
	ck_assert_ptr_null(strstr(html, "<script>"));
	ck_assert_ptr_null(strstr(html, "<b>x"));
	ck_assert_ptr_null(strstr(html, "<i>v"));
	free(html);
	free(md);
	rm_rf(dir);
	rm_rf(in);
}
END_TEST

static const struct err_case {
	const char *args[4];
	bool writes; /* the report is still written */
} err_cases[] = {
    {{D "truncated.json"}, false},
    {{D "wrong-schema.json"}, false},
    {{D "base", D "nope"}, false},
    {{D "all-failed.json"}, true},
    {{D "base", D "no-common-metrics.json"}, true},
    {{D "base", D "sweep"}, true},
};

START_TEST(test_report_errors)
{
	const struct err_case *c = &err_cases[_i];
	char dir[] = "/tmp/check_report.XXXXXX", path[600];
	struct stat st;
	int errs;

	ck_assert_int_eq(run_report(c->args, dir, &errs), 2);
	ck_assert_int_eq(errs, 1);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	ck_assert_int_eq(stat(path, &st) == 0, c->writes);
	rm_rf(dir);
}
END_TEST

START_TEST(test_report_usage)
{
	char *no_out[] = {"report", D "base", NULL};
	char *none[] = {"report", "-o", "/tmp/x", NULL};

	ck_assert(freopen("/dev/null", "w", stderr));
	ck_assert_int_eq(cmd_report(2, no_out), 2);
	ck_assert_int_eq(cmd_report(3, none), 2);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_loop_test(core, test_escape, 0, ARRAY_SIZE(esc_cases));
	tcase_add_loop_test(core, test_escape_text, 0, ARRAY_SIZE(text_cases));
	tcase_add_test(core, test_formats);
	tcase_add_loop_test(core, test_chart_axis, 0, ARRAY_SIZE(axis_cases));
	tcase_add_test(core, test_text_table);
	tcase_add_test(core, test_report_two_runs);
	tcase_add_test(core, test_report_sweep);
	tcase_add_test(limits, test_report_hostile);
	tcase_add_test(core, test_report_net_mq);
	tcase_add_loop_test(limits, test_report_series_garbage, G_ENTRIES, G_NOT_ARRAY + 1);
	tcase_add_test(limits, test_report_series_mixed);
	tcase_add_loop_test(limits, test_report_series_declared, G_FIO, G_RATES + 1);
	tcase_add_test(limits, test_report_series_nan_literal);
	tcase_add_loop_test(limits, test_report_design, 0, ARRAY_SIZE(design_cases));
	tcase_add_loop_test(errors, test_report_errors, 0, ARRAY_SIZE(err_cases));
	tcase_add_test(errors, test_report_usage);
	tcase_set_timeout(core, 60);
	tcase_set_timeout(limits, 60);
	tcase_set_timeout(errors, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return test_run_suite(report_suite());
}
