/* httperf.h: the httperf workload: its [workload] keys (httperf_keys, declared in
 * scenario.h), the /bin/sh command line that sweeps httperf over the offered rates,
 * the parser of that sweep's transcript into metrics and a per-rate series, and the
 * metric table (units, which way is better).
 *
 * nginx (Debian nginx-light) in the domU serves static files of 1 KiB, 16 KiB and
 * 256 KiB; httperf 0.9.0 runs in dom0 against the domU's address on xenbr0, so every
 * connection, request and reply crosses netback/netfront. For each offered
 * connection rate httperf opens rate x rate_duration connections at that rate and
 * sends num_calls requests on each; the sweep finds the highest rate the domU keeps
 * up with. See workloads/httperf/README.md. */
#ifndef PVBENCH_HTTPERF_H
#define PVBENCH_HTTPERF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "pvbench/metrics.h"
#include "pvbench/workload.h"
#include "pvbench/util.h"

#define HTTPERF_OUTPUT_MAX (16 << 20) /* bytes of transcript accepted */
#define HTTPERF_RATES_MAX 32	      /* offered rates in one sweep */
#define HTTPERF_RATE_MAX 100000	      /* connections/s; httperf echoes --rate=%g */
#define HTTPERF_KEEP_UP 0.95	      /* reply rate / offered request rate to keep up */
#define HTTPERF_ERRORS_MAX_PCT 1.0    /* errors, % of connections, to keep up */
#define HTTPERF_MARKER "pvbench-httperf " /* prefix of the transcript's own lines */

/* Metrics httperf_parse() produces, in this order:
 *   saturation_rate_per_s   highest offered rate that kept up (conn/s, higher better);
 *                           0 when none did (saturated below the lowest rate)
 *   peak_reply_rate_per_s   highest reply rate of the sweep (replies/s, higher better)
 *   response_lowest_rate_ms, connect_lowest_rate_ms
 *                           httperf's "Reply time [ms]: response" and "Connection time
 *                           [ms]: connect" at the lowest offered rate (unloaded
 *                           latency, lower better); left out when that rate got no
 *                           reply (httperf prints 0.0 then, which is no latency)
 *   errors_pct              errors of the whole sweep, % of its attempted connections
 *                           (lower better). */
/* Its [workload] keys (keys.h rows) and metrics (the registry row: httperf_run.c). */
extern const struct scenario_key httperf_keys[];
extern const size_t httperf_n_keys;
extern const struct metric_meta httperf_metrics[];
extern const size_t httperf_n_metrics;

/* The offered rates of variant v (NULL: the scenario's), workload.rates parsed:
 * each a decimal integer 1..HTTPERF_RATE_MAX, no duplicates, at most
 * HTTPERF_RATES_MAX, in the order written. The loader checks only that rates is a
 * list of names; a cross-key rule can call this. *n gets the count; 0, or -EINVAL
 * with the reason in why (may be NULL), e.g. "workload.rates: '0' is not a rate
 * from 1 to 100000 connections/s". */
int httperf_rates(const struct wl_values *vals, long *rates, size_t *n,
		  struct sbuf *why);

/* Appends one /bin/sh command line (for dom0) that runs httperf once per offered
 * rate, in the order of workload.rates, against nginx at server_ip, e.g. for rates
 * 20, 40, file 16k, rate_duration 10s, num_calls 1, client_timeout 5s, port 80:
 *   for r in 20 40; do echo "pvbench-httperf rate=$r"; httperf --hog
 *   --server 10.0.0.2 --port 80 --uri /16k.bin --rate $r --num-conns $((r*10))
 *   --num-calls 1 --timeout 5 2>&1; echo "pvbench-httperf exit=$?"; done
 * (one line). httperf's stderr goes with its stdout, inside the rate's block.
 * client_timeout is written with %g in seconds (5s -> 5, 500ms -> 0.5).
 * quick: rate_duration is min(rate_duration, scenario.quick_runtime rounded up to
 * whole seconds). server_ip: an IPv4/IPv6 address or host name of [A-Za-z0-9.:-],
 * at most 64 characters, not starting with '-'. 0, -EINVAL (bad server_ip, bad
 * rates, or a key unset: the scenario was not loaded) or -ENOMEM. */
int httperf_build_cmdline(const struct wl_values *vals, bool quick,
			  const char *server_ip, struct sbuf *out);

/* Parses the transcript of httperf_build_cmdline()'s command (untrusted: the
 * server's behaviour comes from the guest). Shape: one block per rate,
 *   pvbench-httperf rate=R         (R: 1..HTTPERF_RATE_MAX, each R once)
 *   ...httperf's stdout and stderr, in any order...
 *   pvbench-httperf exit=N         (N: 0..255)
 * blank lines allowed between blocks, nothing else. In a block, lines other than
 * those below are ignored (httperf's warnings and error messages); each of these
 * must appear exactly once, as httperf 0.9.0 prints them (src/stat/basic.c dump()):
 *   httperf ... --rate=R ... --num-conns=C --num-calls=K ...   (its echoed options)
 *   Total: connections # requests # replies # test-duration # s
 *   Connection rate: # conn/s (# ms/conn, <=# concurrent connections)
 *   Connection time [ms]: min # avg # max # median # stddev #
 *   Connection time [ms]: connect #
 *   Connection length [replies/conn]: #
 *   Request rate: # req/s (# ms/req)
 *   Request size [B]: #
 *   Reply rate [replies/s]: min # avg # max # stddev # (# samples)
 *   Reply time [ms]: response # transfer #
 *   Reply size [B]: header # content # footer # (total #)
 *   Reply status: 1xx=# 2xx=# 3xx=# 4xx=# 5xx=#
 *   CPU time [s]: user # system # (user #% system #% total #%)
 *   Net I/O: # KB/s (#*10^6 bps)
 *   Errors: total # client-timo # socket-timo # connrefused # connreset #
 *   Errors: fd-unavail # addrunavail # ftab-full # other #
 * where # is a non-negative decimal below 1e15 (no sign, exponent, inf or nan).
 *
 * Per rate: attempted connections = --num-conns (httperf counts fd-unavail failures
 * in Errors but not in "Total: connections"); errors_pct = Errors total / attempted x
 * 100; offered request rate = R x num_calls; reply rate = "Reply rate" avg when it
 * has samples (one per 5 s of test, httperf's RATE_INTERVAL), else replies /
 * test-duration (0 when the duration is 0). The rate kept up when reply rate >=
 * HTTPERF_KEEP_UP x offered request rate and errors_pct < HTTPERF_ERRORS_MAX_PCT.
 * saturation_rate_per_s is the highest R that kept up, whatever the order of the
 * rates and whether a higher or lower one failed (the series shows which did).
 *
 * series (may be NULL): a JSON array; on success one object per block is appended,
 * in transcript order:
 *   {"offered_rate", "num_calls", "num_conns" (attempted), "offered_request_rate",
 *    "connections", "requests", "replies", "test_duration_s", "request_rate",
 *    "reply_rate" (as defined above), "reply_rate_min", "reply_rate_avg",
 *    "reply_rate_max", "reply_rate_stddev", "reply_rate_samples", "response_ms",
 *    "transfer_ms", "connect_ms", "connection_time_avg_ms",
 *    "connection_time_median_ms", "connection_time_max_ms", "reply_content_bytes",
 *    "status_1xx" .. "status_5xx", "errors_total", "errors_pct", "client_timo",
 *    "socket_timo", "connrefused", "connreset", "fd_unavail", "addrunavail",
 *    "ftab_full", "other", "net_io_kb_s", "kept_up" (bool), "exit"}
 * (numbers as httperf printed them, counts as integers).
 *
 * Returns 0; -EIO when the sweep measured nothing, no figure of success: no rate got
 * any reply (err = "httperf: no reply from HOST:PORT/URI at any rate (N errors in M
 * connections: connrefused N, ...)", the non-zero error classes), or some reply was
 * not 2xx (a missing file or a broken server: "httperf: 40 of 40 replies from
 * HOST:PORT/URI at rate R were not 2xx (1xx=0 3xx=0 4xx=40 5xx=0)"); -EINVAL for a transcript that is not this
 * shape: no block, text outside blocks, a marker inside a block, a repeated rate,
 * a block without its exit line (truncated), a non-zero exit (with err = the
 * block's last other line, cleaned), a missing, repeated or malformed summary line,
 * --rate not R, more than HTTPERF_RATES_MAX blocks, more than HTTPERF_OUTPUT_MAX
 * bytes; -ENOMEM. err (may be NULL) gets one line; on error neither out nor series
 * is changed. out is appended to (out->n is not reset). */
int httperf_parse(const char *out, size_t len, struct metric_set *ms, struct sbuf *err,
		  json_t *series);

#endif
