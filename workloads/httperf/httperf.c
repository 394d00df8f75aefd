/* httperf.c: the httperf workload: [workload] keys, the /bin/sh command line that
 * sweeps httperf 0.9.0 over the offered rates (run in dom0 against nginx in the
 * domU), and the parser of that sweep's transcript (untrusted: what httperf counts
 * depends on the guest) into pvbench metrics and a per-rate series. */
#include "httperf.h"
#include "pvbench/toolout.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [workload] keys of workload = httperf; same columns as scenario_keys.c's table.
 * Names are unique across workloads (the loader looks keys up by section and name):
 * hence rate_duration, not iperf3's duration. */
const struct scenario_key httperf_keys[] = {
	{ "workload", "file", ST_ENUM, "16k", "", "1k|16k|256k", 0, 0, 0, "httperf",
	  "Static file nginx serves from the domU: /1k.bin, /16k.bin or /256k.bin (1024, 16384 "
	  "or 262144 bytes; httperf --uri).",
	  "256k" },
	{ "workload", "rates", ST_LIST, "20, 40, 80, 160", "conn/s", NULL, 0, 0, 0, "httperf",
	  "Offered connection rates, one httperf run each, in this order (httperf --rate): "
	  "integers 1 to 100000 without leading zeros, no repeats, at most 32.",
	  "10, 20, 50, 100, 200" },
	{ "workload", "rate_duration", ST_DURATION, "10s", "s", NULL, 1000, 3600000, SK_SECONDS,
	  "httperf",
	  "Time each offered rate is held: httperf --num-conns is rate x this; at most "
	  "scenario.quick_runtime (rounded up to whole seconds) under --quick. httperf samples "
	  "the reply rate every 5 s.",
	  "20s" },
	{ "workload", "num_calls", ST_INT, "1", "", NULL, 1, 1000, 0, "httperf",
	  "Requests per connection, one after the other on a keep-alive connection (httperf "
	  "--num-calls); the offered request rate is rate x num_calls.",
	  "4" },
	{ "workload", "client_timeout", ST_DURATION, "5s", "s", NULL, 100, 600000, 0, "httperf",
	  "How long httperf waits for the server to accept, answer or go on sending before it "
	  "gives up on the connection and counts a client-timo error (httperf --timeout).",
	  "2s" },
	{ "workload", "port", ST_INT, "80", "", NULL, 1, 65535, 0, "httperf",
	  "TCP port of nginx in the domU (httperf --port).", "8080" },
};
const size_t httperf_n_keys = ARRAY_SIZE(httperf_keys);

const struct metric_meta httperf_metrics[] = {
	{ "saturation_rate_per_s", "conn/s", METRIC_HIGHER,
	  "highest offered connection rate that kept up: reply rate >= 95% of the offered "
	  "request rate and errors < 1% of connections; 0 if none did" },
	{ "peak_reply_rate_per_s", "replies/s", METRIC_HIGHER,
	  "highest reply rate over the offered rates (httperf's sampled average)" },
	{ "response_lowest_rate_ms", "ms", METRIC_LOWER,
	  "time to the first byte of the reply at the lowest offered rate (httperf Reply time "
	  "response)" },
	{ "connect_lowest_rate_ms", "ms", METRIC_LOWER,
	  "TCP connect time at the lowest offered rate (httperf Connection time connect)" },
	{ "errors_pct", "%", METRIC_LOWER,
	  "failed connections (timeouts, refused, reset, out of sockets), percent of all "
	  "attempted in the sweep" },
};
const size_t httperf_n_metrics = ARRAY_SIZE(httperf_metrics);

/* ---- keys and command line ---- */

/* s[0..n) as a decimal integer 1..max without sign or leading zero. */
static bool positive(const char *s, size_t n, long max, long *out)
{
	long v = 0;

	if (!n || n > 9 || *s == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v <= max;
}

int httperf_rates(const struct wl_values *vals, long *rates, size_t *n,
		  struct sbuf *err)
{
	const char *s = wl_get(vals, "workload", "rates");

	*n = 0;
	if (!s)
		return sb_fail(err, -EINVAL, "workload.rates is not set");
	while (*s) {
		size_t len;

		s += strspn(s, " \t");
		len = strcspn(s, ",");
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (*n == HTTPERF_RATES_MAX)
			return sb_fail(err, -EINVAL, "workload.rates: more than %d rates",
				       HTTPERF_RATES_MAX);
		if (!positive(s, len, HTTPERF_RATE_MAX, &rates[*n]))
			return sb_fail(
			    err, -EINVAL,
			    "workload.rates: '%.*s' is not a rate from 1 to %d connections/s",
			    (int)(len > 32 ? 32 : len), s, HTTPERF_RATE_MAX);
		for (size_t i = 0; i < *n; i++)
			if (rates[i] == rates[*n])
				return sb_fail(err, -EINVAL, "workload.rates: %ld appears twice",
					       rates[i]);
		(*n)++;
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	return *n ? 0 : sb_fail(err, -EINVAL, "workload.rates is empty");
}

/* An address or host name that is one word for a shell and not an option. */
static bool host_ok(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:-";
	size_t n = s ? strlen(s) : 0;

	return n && n <= 64 && strspn(s, ok) == n && *s != '-';
}

/* One of the files the domU serves (the loader checked the enum; the values may be hand-made). */
static bool word_is_file(const char *s)
{
	return !strcmp(s, "1k") || !strcmp(s, "16k") || !strcmp(s, "256k");
}

/* Seconds each rate is held: rate_duration, or under --quick at most quick_runtime
 * rounded up to whole seconds. */
static int rate_seconds(const struct wl_values *vals, bool quick,
			long *secs)
{
	long ms, quick_ms;

	if (wl_get_long(vals, "workload", "rate_duration", &ms) || ms < 1000 || ms % 1000)
		return -EINVAL;
	*secs = ms / 1000;
	if (!quick)
		return 0;
	if (wl_get_long(vals, "scenario", "quick_runtime", &quick_ms) || quick_ms < 1)
		return -EINVAL;
	if ((quick_ms + 999) / 1000 < *secs)
		*secs = (quick_ms + 999) / 1000;
	return 0;
}

int httperf_build_cmdline(const struct wl_values *vals, bool quick,
			  const char *server_ip, struct sbuf *out)
{
	const char *file = wl_get(vals, "workload", "file");
	long rates[HTTPERF_RATES_MAX], secs, calls, timeout_ms, port;
	size_t n;
	int rc = 0;

	if (!host_ok(server_ip) || !file || !word_is_file(file) ||
	    httperf_rates(vals, rates, &n, NULL) || rate_seconds(vals, quick, &secs) ||
	    wl_get_long(vals, "workload", "num_calls", &calls) || calls < 1 ||
	    wl_get_long(vals, "workload", "client_timeout", &timeout_ms) ||
	    timeout_ms < 1 || wl_get_long(vals, "workload", "port", &port) || port < 1 ||
	    port > 65535)
		return -EINVAL;
	rc = sb_puts(out, "for r in");
	for (size_t i = 0; !rc && i < n; i++)
		rc = sb_printf(out, " %ld", rates[i]);
	if (!rc)
		rc = sb_printf(out,
			       "; do echo \"" HTTPERF_MARKER "rate=$r\"; httperf --hog --server %s "
			       "--port %ld --uri /%s.bin --rate $r --num-conns $((r*%ld)) "
			       "--num-calls %ld --timeout %g 2>&1; echo \"" HTTPERF_MARKER
			       "exit=$?\"; done",
			       server_ip, port, file, secs, calls, timeout_ms / 1000.0);
	return rc;
}

/* ---- transcript ---- */

/* Values of one httperf summary, in the order of the placeholders in fmts[]. */
enum {
	V_CONNS, V_REQUESTS, V_REPLIES, V_DURATION,
	V_CONN_RATE, V_CONN_PERIOD, V_CONCURRENT,
	V_CT_MIN, V_CT_AVG, V_CT_MAX, V_CT_MEDIAN, V_CT_STDDEV,
	V_CONNECT,
	V_CONN_LENGTH,
	V_REQ_RATE, V_REQ_PERIOD,
	V_REQ_SIZE,
	V_RR_MIN, V_RR_AVG, V_RR_MAX, V_RR_STDDEV, V_RR_SAMPLES,
	V_RESPONSE, V_TRANSFER,
	V_HEADER, V_CONTENT, V_FOOTER, V_REPLY_TOTAL,
	V_1XX, V_2XX, V_3XX, V_4XX, V_5XX,
	V_CPU_USER, V_CPU_SYS, V_CPU_USER_PCT, V_CPU_SYS_PCT, V_CPU_PCT,
	V_NET_KB, V_NET_MBPS,
	V_ERRORS, V_CLIENT_TIMO, V_SOCKET_TIMO, V_CONNREFUSED, V_CONNRESET,
	V_FD_UNAVAIL, V_ADDRUNAVAIL, V_FTAB_FULL, V_OTHER,
	V_N
};

/* The summary lines of httperf 0.9.0 (src/stat/basic.c, dump()): '#' a number
 * printed with %.Nf, '@' a count printed with %u. Each line is told apart by its
 * text up to the first placeholder. */
static const struct summary_line {
	const char *fmt;
	int first; /* index of its first value */
} fmts[] = {
	{ "Total: connections @ requests @ replies @ test-duration # s", V_CONNS },
	{ "Connection rate: # conn/s (# ms/conn, <=@ concurrent connections)", V_CONN_RATE },
	{ "Connection time [ms]: min # avg # max # median # stddev #", V_CT_MIN },
	{ "Connection time [ms]: connect #", V_CONNECT },
	{ "Connection length [replies/conn]: #", V_CONN_LENGTH },
	{ "Request rate: # req/s (# ms/req)", V_REQ_RATE },
	{ "Request size [B]: #", V_REQ_SIZE },
	{ "Reply rate [replies/s]: min # avg # max # stddev # (@ samples)", V_RR_MIN },
	{ "Reply time [ms]: response # transfer #", V_RESPONSE },
	{ "Reply size [B]: header # content # footer # (total #)", V_HEADER },
	{ "Reply status: 1xx=@ 2xx=@ 3xx=@ 4xx=@ 5xx=@", V_1XX },
	{ "CPU time [s]: user # system # (user #% system #% total #%)", V_CPU_USER },
	{ "Net I/O: # KB/s (#*10^6 bps)", V_NET_KB },
	{ "Errors: total @ client-timo @ socket-timo @ connrefused @ connreset @", V_ERRORS },
	{ "Errors: fd-unavail @ addrunavail @ ftab-full @ other @", V_FD_UNAVAIL },
};

/* One "pvbench-httperf rate=R" ... "pvbench-httperf exit=N" block. */
struct block {
	long rate, num_conns, num_calls; /* marker; --num-conns, --num-calls echoed */
	long echo_rate;			 /* --rate echoed */
	int exit, line;			 /* exit status; line of the marker */
	bool echo;
	unsigned seen; /* bit i: fmts[i] was read */
	double v[V_N];
	char target[80]; /* "HOST:PORT/URI" from the echo, cleaned */
	char last[168];	 /* the last line that is nothing else, cleaned */
	/* derived (finish_block) */
	double reply_rate, errors_pct;
	bool kept_up;
};

struct transcript {
	struct block *b;
	size_t n;
	bool open;
	int line;
	struct sbuf *err;
};

static int bad(struct transcript *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct transcript *t, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->err)
		sb_printf(t->err, "httperf output line %d: %s", t->line, msg);
	return -EINVAL;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(s, prefix, k);
}

/* Is s[0..n) empty or only blanks? (s is not NUL-terminated.) */
static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* A number at s[*i..n): digits, and for '#' optionally '.' and digits; below 1e15. */
static bool number(const char *s, size_t n, size_t *i, bool fraction, double *out)
{
	char buf[24];
	size_t j = *i, k = 0;

	while (j < n && s[j] >= '0' && s[j] <= '9' && k < sizeof(buf) - 1)
		buf[k++] = s[j++];
	if (!k)
		return false;
	if (fraction && j + 1 < n && s[j] == '.' && s[j + 1] >= '0' && s[j + 1] <= '9') {
		buf[k++] = s[j++];
		while (j < n && s[j] >= '0' && s[j] <= '9' && k < sizeof(buf) - 1)
			buf[k++] = s[j++];
	}
	if (j < n && s[j] >= '0' && s[j] <= '9')
		return false; /* too many digits */
	buf[k] = '\0';
	*out = strtod(buf, NULL);
	*i = j;
	return *out < 1e15;
}

/* Matches s[0..n) against f, filling v[f->first...]; false if it does not match. */
static bool match_summary(const struct summary_line *f, const char *s, size_t n, double *v)
{
	const char *p = f->fmt;
	size_t i = 0;
	int k = f->first;

	for (; *p; p++) {
		if (*p == '#' || *p == '@') {
			if (k >= V_N || !number(s, n, &i, *p == '#', &v[k++]))
				return false;
		} else if (i >= n || s[i++] != *p) {
			return false;
		}
	}
	return i == n;
}

/* Length of a format's fixed start, up to its first placeholder. */
static size_t fmt_prefix(const char *fmt)
{
	return strcspn(fmt, "#@");
}

/* The value of option "--name=" in httperf's echoed command line, or NULL. */
static const char *echo_opt(const char *s, size_t n, const char *name, size_t *len)
{
	size_t k = strlen(name);

	for (size_t i = 0; i + k <= n; i++)
		if ((i == 0 || s[i - 1] == ' ') && !memcmp(s + i, name, k)) {
			const char *v = s + i + k;

			for (*len = 0; *len < n - i - k && v[*len] != ' '; (*len)++)
				;
			return v;
		}
	return NULL;
}

/* "httperf --hog --timeout=5 --client=0/1 --server=... --num-calls=1". */
static int read_echo(struct transcript *t, struct block *b, const char *s, size_t n)
{
	static const char *const name[] = { "--rate=", "--num-conns=", "--num-calls=" };
	static const long max[] = { HTTPERF_RATE_MAX, 999999999, 999999999 };
	long *val[] = { &b->echo_rate, &b->num_conns, &b->num_calls };
	const char *host, *port, *uri;
	size_t hl = 0, pl = 0, ul = 0;
	char raw[96];

	if (b->echo)
		return bad(t, "httperf's command line appears twice in the block of rate %ld",
			   b->rate);
	b->echo = true;
	for (size_t i = 0; i < ARRAY_SIZE(name); i++) {
		size_t len;
		const char *o = echo_opt(s, n, name[i], &len);

		if (!o || !positive(o, len, max[i], val[i]))
			return bad(t, "missing or invalid %s in httperf's command line", name[i]);
	}
	host = echo_opt(s, n, "--server=", &hl);
	port = echo_opt(s, n, "--port=", &pl);
	uri = echo_opt(s, n, "--uri=", &ul);
	snprintf(raw, sizeof(raw), "%.*s:%.*s%.*s", (int)(hl > 64 ? 64 : hl), host ? host : "",
		 (int)(pl > 5 ? 5 : pl), port ? port : "", (int)(ul > 16 ? 16 : ul),
		 uri ? uri : "");
	tool_text_clean(b->target, sizeof(b->target), raw, strlen(raw), 79);
	return 0;
}

/* A line inside a block: httperf's command line, a summary line, or other text. */
static int block_line(struct transcript *t, const char *s, size_t n)
{
	struct block *b = &t->b[t->n - 1];

	if (starts(s, n, "httperf --"))
		return read_echo(t, b, s, n);
	if (starts(s, n, "Maximum connect burst length: "))
		return 0; /* printed before the test starts, not a result */
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		size_t k = fmt_prefix(fmts[i].fmt);

		if (n < k || memcmp(s, fmts[i].fmt, k))
			continue;
		if (b->seen & (1u << i))
			return bad(t, "'%.*s' appears twice in the block of rate %ld", (int)k - 1,
				   fmts[i].fmt, b->rate);
		if (!match_summary(&fmts[i], s, n, b->v))
			return bad(t, "malformed httperf line '%.*s...'", (int)k - 1, fmts[i].fmt);
		b->seen |= 1u << i;
		return 0;
	}
	if (!blank(s, n))
		tool_text_clean(b->last, sizeof(b->last), s, n, 160);
	return 0;
}

/* Checks a closed block and derives its reply rate, error share and verdict. */
static int finish_block(struct transcript *t, struct block *b)
{
	double offered;

	if (b->exit)
		return bad(t, "httperf at rate %ld exited %d%s%s", b->rate, b->exit,
			   *b->last ? ": " : " without a message", b->last);
	if (!b->echo)
		return bad(t, "no httperf command line in the block of rate %ld", b->rate);
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++)
		if (!(b->seen & (1u << i)))
			return bad(t, "incomplete httperf summary at rate %ld: no '%.*s' line",
				   b->rate, (int)fmt_prefix(fmts[i].fmt) - 1, fmts[i].fmt);
	if (b->echo_rate != b->rate)
		return bad(t, "httperf ran --rate=%ld in the block of rate %ld", b->echo_rate,
			   b->rate);
	if (b->v[V_CONNS] > b->num_conns)
		return bad(t, "httperf at rate %ld counted %.0f connections of --num-conns=%ld",
			   b->rate, b->v[V_CONNS], b->num_conns);
	if (b->v[V_RR_SAMPLES] > 0)
		b->reply_rate = b->v[V_RR_AVG];
	else
		b->reply_rate = b->v[V_DURATION] > 0 ? b->v[V_REPLIES] / b->v[V_DURATION] : 0;
	b->errors_pct = 100.0 * b->v[V_ERRORS] / b->num_conns;
	offered = (double)b->rate * b->num_calls;
	b->kept_up = b->reply_rate >= HTTPERF_KEEP_UP * offered &&
		     b->errors_pct < HTTPERF_ERRORS_MAX_PCT;
	return 0;
}

/* "pvbench-httperf rate=R" or "pvbench-httperf exit=N". */
static int marker_line(struct transcript *t, const char *s, size_t n)
{
	size_t k = strlen(HTTPERF_MARKER);
	struct block *b;
	char line[48];
	long v = 0;

	tool_text_clean(line, sizeof(line), s, n, 40);
	s += k;
	n -= k;
	if (starts(s, n, "rate=")) {
		if (t->open)
			return bad(t, "rate block before the exit line of rate %ld",
				   t->b[t->n - 1].rate);
		if (!positive(s + 5, n - 5, HTTPERF_RATE_MAX, &v))
			return bad(t, "invalid rate in '%s'", line);
		for (size_t i = 0; i < t->n; i++)
			if (t->b[i].rate == v)
				return bad(t, "second block of rate %ld", v);
		if (t->n == HTTPERF_RATES_MAX)
			return bad(t, "more than %d rate blocks", HTTPERF_RATES_MAX);
		b = &t->b[t->n++];
		memset(b, 0, sizeof(*b));
		b->rate = v;
		b->line = t->line;
		t->open = true;
		return 0;
	}
	if (starts(s, n, "exit=")) {
		if (!t->open)
			return bad(t, "exit line outside a rate block");
		if (!(n == 6 && s[5] == '0') && !positive(s + 5, n - 5, 255, &v))
			return bad(t, "invalid exit status in '%s'", line);
		t->open = false;
		t->b[t->n - 1].exit = (int)v;
		return finish_block(t, &t->b[t->n - 1]);
	}
	return bad(t, "unknown line '%s'", line);
}

static int take_line(struct transcript *t, const char *s, size_t n)
{
	char text[48];

	if (starts(s, n, HTTPERF_MARKER))
		return marker_line(t, s, n);
	if (t->open)
		return block_line(t, s, n);
	if (blank(s, n))
		return 0;
	tool_text_clean(text, sizeof(text), s, n, 40);
	return bad(t, "text outside a rate block ('%s')", text);
}

/* ---- results ---- */

/* "connrefused 120, connreset 3" for the error classes that are not 0. */
static void error_classes(const double *sum, char *buf, size_t len)
{
	static const struct {
		const char *name;
		int v;
	} cls[] = {
		{ "client-timo", V_CLIENT_TIMO }, { "socket-timo", V_SOCKET_TIMO },
		{ "connrefused", V_CONNREFUSED }, { "connreset", V_CONNRESET },
		{ "fd-unavail", V_FD_UNAVAIL },	  { "addrunavail", V_ADDRUNAVAIL },
		{ "ftab-full", V_FTAB_FULL },	  { "other", V_OTHER },
	};
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(cls) && k < len; i++)
		if (sum[cls[i].v] > 0)
			k += snprintf(buf + k, len - k, "%s%s %.0f", k ? ", " : ": ", cls[i].name,
				      sum[cls[i].v]);
}

/* -EIO when the sweep measured nothing: no reply at all, or replies other than 2xx
 * (a missing file, a misconfigured server) at any rate. */
static int check_failed(const struct transcript *t, struct sbuf *err)
{
	double sum[V_N] = { 0 };
	long attempted = 0;
	char cls[200];

	for (size_t i = 0; i < t->n; i++) {
		const struct block *b = &t->b[i];
		double non2xx = b->v[V_REPLIES] - b->v[V_2XX];

		if (non2xx > 0)
			return sb_fail(
			    err, -EIO,
			    "httperf: %.0f of %.0f replies from %s at rate %ld were not 2xx "
			    "(1xx=%.0f 3xx=%.0f 4xx=%.0f 5xx=%.0f)",
			    non2xx, b->v[V_REPLIES], b->target, b->rate, b->v[V_1XX], b->v[V_3XX],
			    b->v[V_4XX], b->v[V_5XX]);
		for (int k = 0; k < V_N; k++)
			sum[k] += b->v[k];
		attempted += b->num_conns;
	}
	if (sum[V_REPLIES] > 0)
		return 0;
	error_classes(sum, cls, sizeof(cls));
	return sb_fail(err, -EIO,
		       "httperf: no reply from %s at any rate (%.0f errors in %ld connections%s)",
		       t->b[0].target, sum[V_ERRORS], attempted, cls);
}

static int add_metrics(const struct transcript *t, struct metric_set *ms, struct sbuf *err)
{
	const struct block *low = &t->b[0];
	double sat = 0, peak = 0, errors = 0, attempted = 0;
	int rc = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct block *b = &t->b[i];

		if (b->kept_up && b->rate > sat)
			sat = b->rate;
		if (b->reply_rate > peak)
			peak = b->reply_rate;
		if (b->rate < low->rate)
			low = b;
		errors += b->v[V_ERRORS];
		attempted += b->num_conns;
	}
	rc = tool_metric_add(ms, "saturation_rate_per_s", sat, err);
	if (!rc)
		rc = tool_metric_add(ms, "peak_reply_rate_per_s", peak, err);
	if (!rc && low->v[V_REPLIES] > 0)
		rc = tool_metric_add(ms, "response_lowest_rate_ms", low->v[V_RESPONSE], err);
	if (!rc && low->v[V_REPLIES] > 0)
		rc = tool_metric_add(ms, "connect_lowest_rate_ms", low->v[V_CONNECT], err);
	if (!rc)
		rc = tool_metric_add(ms, "errors_pct", 100.0 * errors / attempted, err);
	return rc;
}

/* One series object; counts as integers, the rest as printed. */
static json_t *block_json(const struct block *b)
{
	static const struct {
		const char *name;
		int v;
		bool count;
	} f[] = {
		{ "connections", V_CONNS, true },
		{ "requests", V_REQUESTS, true },
		{ "replies", V_REPLIES, true },
		{ "test_duration_s", V_DURATION, false },
		{ "request_rate", V_REQ_RATE, false },
		{ "reply_rate_min", V_RR_MIN, false },
		{ "reply_rate_avg", V_RR_AVG, false },
		{ "reply_rate_max", V_RR_MAX, false },
		{ "reply_rate_stddev", V_RR_STDDEV, false },
		{ "reply_rate_samples", V_RR_SAMPLES, true },
		{ "response_ms", V_RESPONSE, false },
		{ "transfer_ms", V_TRANSFER, false },
		{ "connect_ms", V_CONNECT, false },
		{ "connection_time_avg_ms", V_CT_AVG, false },
		{ "connection_time_median_ms", V_CT_MEDIAN, false },
		{ "connection_time_max_ms", V_CT_MAX, false },
		{ "reply_content_bytes", V_CONTENT, false },
		{ "status_1xx", V_1XX, true },
		{ "status_2xx", V_2XX, true },
		{ "status_3xx", V_3XX, true },
		{ "status_4xx", V_4XX, true },
		{ "status_5xx", V_5XX, true },
		{ "errors_total", V_ERRORS, true },
		{ "client_timo", V_CLIENT_TIMO, true },
		{ "socket_timo", V_SOCKET_TIMO, true },
		{ "connrefused", V_CONNREFUSED, true },
		{ "connreset", V_CONNRESET, true },
		{ "fd_unavail", V_FD_UNAVAIL, true },
		{ "addrunavail", V_ADDRUNAVAIL, true },
		{ "ftab_full", V_FTAB_FULL, true },
		{ "other", V_OTHER, true },
		{ "net_io_kb_s", V_NET_KB, false },
	};
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:b, s:i}", "offered_rate",
			      (json_int_t)b->rate, "num_calls", (json_int_t)b->num_calls,
			      "num_conns", (json_int_t)b->num_conns, "offered_request_rate",
			      (json_int_t)(b->rate * b->num_calls), "reply_rate", b->reply_rate,
			      "errors_pct", b->errors_pct, "kept_up", b->kept_up, "exit", b->exit);

	for (size_t i = 0; o && i < ARRAY_SIZE(f); i++) {
		json_t *j = f[i].count ? json_integer((json_int_t)b->v[f[i].v])
				       : json_real(b->v[f[i].v]);

		if (json_object_set_new(o, f[i].name, j)) {
			json_decref(o);
			o = NULL;
		}
	}
	return o;
}

static int add_series(const struct transcript *t, json_t *series, struct sbuf *err)
{
	json_t *add = json_array();
	int rc = 0;

	if (!json_is_array(series))
		rc = sb_fail(err, -EINVAL, "httperf series: not a JSON array");
	for (size_t i = 0; !rc && i < t->n; i++)
		if (!add || json_array_append_new(add, block_json(&t->b[i])))
			rc = sb_fail(err, -ENOMEM, "out of memory");
	if (!rc && json_array_extend(series, add))
		rc = sb_fail(err, -ENOMEM, "out of memory");
	json_decref(add);
	return rc;
}

int httperf_parse(const char *out, size_t len, struct metric_set *ms, struct sbuf *err,
		  json_t *series)
{
	struct transcript t = { .err = err };
	const char *p = out, *end = out + len;
	size_t start = ms->n;
	int rc = 0;

	if (!out || !len)
		return sb_fail(err, -EINVAL, "no httperf output");
	if (len > HTTPERF_OUTPUT_MAX)
		return sb_fail(err, -EINVAL, "httperf output too large (%zu bytes)", len);
	t.b = calloc(HTTPERF_RATES_MAX, sizeof(*t.b));
	if (!t.b)
		return sb_fail(err, -ENOMEM, "out of memory");
	while (!rc && p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		t.line++;
		rc = take_line(&t, p, n);
		p += n + (nl != NULL);
	}
	if (!rc && t.open)
		rc = bad(&t, "output ends inside the block of rate %ld (no exit line: truncated?)",
			 t.b[t.n - 1].rate);
	if (!rc && !t.n)
		rc = sb_fail(err, -EINVAL, "no '" HTTPERF_MARKER "rate=' block in httperf output");
	if (!rc)
		rc = check_failed(&t, err);
	if (!rc)
		rc = add_metrics(&t, ms, err);
	if (!rc && series)
		rc = add_series(&t, series, err);
	if (rc)
		ms->n = start;
	free(t.b);
	return rc;
}
