/* iperf3.h: the iperf3 workload: its [workload] keys (iperf3_keys, declared in
 * scenario.h), the iperf3 client command line built from them, the parser of
 * `iperf3 -J` output into metrics, and the metric table (units, which way is better).
 *
 * The server (`iperf3 -s -D`) runs in the domU, the client in dom0 against the
 * domU's address on xenbr0, so the traffic crosses netfront/netback; direction =
 * from_guest reverses it (-R: the server in the domU sends). See
 * workloads/iperf3/README.md. */
#ifndef PVBENCH_IPERF3_H
#define PVBENCH_IPERF3_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "pvbench/metrics.h"
#include "pvbench/workload.h"
#include "pvbench/util.h"

#define IPERF3_OUTPUT_MAX (64 << 20) /* bytes of iperf3 output accepted */
#define IPERF3_INTERVALS_MAX 100000  /* entries of intervals[] accepted */

/* Metrics iperf3_parse_json() can produce, in this order:
 *   both protocols: throughput_bits_per_s (receiver side), sent_bits_per_s;
 *   TCP: retransmits;  UDP: udp_jitter_ns, udp_lost_pct;
 *   both: cpu_host_pct (the client, in dom0), cpu_remote_pct (the server, in the domU). */
/* Its [workload] keys (keys.h rows) and metrics (the registry row: iperf3_run.c). */
extern const struct scenario_key iperf3_keys[];
extern const size_t iperf3_n_keys;
extern const struct metric_meta iperf3_metrics[];
extern const size_t iperf3_n_metrics;

/* Appends the iperf3 client command line for variant v (NULL: the scenario's own
 * values) against the server at server_ip, e.g.
 *   "iperf3 -c 10.0.0.2 -J -t 10 -O 1 -P 4"                  protocol = tcp
 *   "iperf3 -c 10.0.0.2 -J -t 10 -O 1 -P 1 -R"               direction = from_guest
 *   "iperf3 -c 10.0.0.2 -J -t 10 -O 1 -P 1 -u -b 104857600"  protocol = udp
 * then " -l BYTES" and " -w BYTES" when length and window are set. Sizes (udp_rate,
 * length, window) are written as plain numbers, as pvbench reads them (k, M, G are
 * powers of 1024: udp_rate = 100M is -b 104857600); udp_rate is used only with UDP.
 * Words are separated by one space and contain only [A-Za-z0-9.:-] (values were
 * validated on load), so the line can be split on spaces or given to a shell as is.
 * quick: -t is scenario.quick_runtime rounded up to whole seconds, and -O 0.
 * server_ip: an IPv4/IPv6 address or host name of [A-Za-z0-9.:-], at most 64
 * characters. 0, -EINVAL (a required key is unset or not whole seconds: the scenario was not
 * loaded; or a bad server_ip) or -ENOMEM. */
int iperf3_build_cmdline(const struct wl_values *vals, bool quick,
			 const char *server_ip, struct sbuf *out);

/* Parses `iperf3 -J` client output (untrusted: the server's half comes from the
 * guest) into out (appended to; out->n is not reset). Lines before the JSON document
 * and text after it are ignored; duplicate keys are accepted (iperf 3.12 repeats
 * start.sock_bufsize and others with -P > 1). Reads, per start.test_start.protocol:
 *   TCP: end.sum_received.bits_per_second, end.sum_sent.bits_per_second,
 *        end.sum_sent.retransmits;
 *   UDP: end.sum_received.bits_per_second, end.sum_sent.bits_per_second,
 *        end.sum.jitter_ms (x 1e6 -> udp_jitter_ns), end.sum.lost_percent;
 *   both: end.cpu_utilization_percent.host_total and .remote_total.
 * Returns 0; -EIO when iperf3 reports an error (a top-level "error" string; note that
 * iperf 3.12 -J exits 0 on errors such as "Connection refused"), err = "iperf3: <its
 * message>" (printable characters only, at most 160); -EINVAL for output that is not
 * iperf3 JSON (truncated, missing or mistyped keys, other protocol, too large); err
 * gets one line. err may be NULL.
 *
 * intervals (may be NULL): a JSON array; on success one object per intervals[] entry
 * is appended, {"start": s, "end": s, "bits_per_second": n, "omitted": bool}, from
 * intervals[].sum (the client's side: the sender's rate for to_guest, the receiver's
 * for from_guest; omitted intervals restart the clock at 0). Entries are checked
 * only when intervals is non-NULL; at most IPERF3_INTERVALS_MAX. On error neither out
 * nor intervals is changed. */
int iperf3_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err,
		      json_t *intervals);

#endif
