#!/usr/bin/python3
# gen-synthetic.py: writes the SYNTHETIC results.json fixtures in this directory
# (schema pvbench-results/1, reports/results-schema.md) for check_compare,
# check_compare_cmd, check_report and report-browser.sh. Numbers are Gaussian draws from a fixed seed,
# not measurements. Run from the repository root:
#   /usr/bin/python3 harness/tests/data/results/gen-synthetic.py
import copy, json, os, random

OUT = "harness/tests/data/results"
rng = random.Random(20261120)

ENV = {
    "accel": "tcg",
    "accel_reason": "/dev/kvm is kvm_pvm (paravirtual-only KVM), cannot run Xen",
    "emulated": True, "host_cpu_model": "AMD EPYC 7B13", "host_cpus": 2,
    "host_mem_bytes": 25769803776, "qemu_version": "7.2.19", "xen_version": "4.17.7",
    "dom0_kernel": "6.1.0-56-amd64", "qemu_cpu": "qemu64,+svm,+npt",
    "xen_cmdline": "console=com1 com1=115200 dom0_mem=1024M loglvl=all",
    "dom0_cmdline": "console=hvc0 earlyprintk=xen root=/dev/ram0",
    "images": {"input_hash": "9b1c0d7e", "built_at": "2026-11-20T09:00:00Z",
               "dom0_bytes": 61234567, "domU_bytes": 9876543,
               "packages": {"xen-hypervisor-4.17-amd64": "4.17.7+1-deb12u1",
                            "fio": "3.33-3"}},
}
META = {
    "read_iops": {"unit": "IO/s", "better": "higher"},
    "read_bw_bytes_per_s": {"unit": "B/s", "better": "higher"},
    "read_clat_mean_ns": {"unit": "ns", "better": "lower"},
    "read_clat_p50_ns": {"unit": "ns", "better": "lower"},
    "read_clat_p90_ns": {"unit": "ns", "better": "lower"},
    "read_clat_p99_ns": {"unit": "ns", "better": "lower"},
    "read_clat_p99_9_ns": {"unit": "ns", "better": "lower"},
    "cpu_sys_pct": {"unit": "%", "better": "lower"},
}
SCENARIO_TEXT = """; blk-mq: does a second blkfront queue help 4k random reads?
[scenario]
name = blk-mq
workload = fio
repetitions = 8
order = interleaved
seed = 12345

[fio]
rw = randread
bs = 4k
iodepth = 32

[variant.1q]
baseline = true
domU.xen_blkfront.max_queues = 1
expect.mq_queues = 1

[variant.mq]
domU.xen_blkfront.max_queues = 2
expect.mq_queues = 2
"""

def g(mu, cv):
    return rng.gauss(mu, mu * cv)

def fio_metrics(iops, lat_p99, sys_pct, cv, qd=32):
    # Little's law for the mean; p99 is drawn on its own (tight) so that a
    # "no change" verdict can occur; p99.9 is noisy.
    i = g(iops, cv)
    mean = g(1e9 * qd / iops, cv)
    return {"read_iops": round(i, 1), "read_bw_bytes_per_s": round(i * 4096, 0),
            "read_clat_mean_ns": round(mean, 1), "read_clat_p50_ns": round(mean * 0.9, -2),
            "read_clat_p90_ns": round(mean * 1.6, -2),
            "read_clat_p99_ns": round(g(max(lat_p99, mean * 2.5), cv / 5), -2),
            "read_clat_p99_9_ns": round(g(max(lat_p99, mean * 2.5) * 2.2, cv * 2), -2),
            "cpu_usr_pct": round(g(3.0, 0.1), 2), "cpu_sys_pct": round(g(sys_pct, cv), 2)}

def evidence(queues, ok=True):
    actual = queues if ok else "1"
    return {"values": {"mq_queues": actual, "frontend.multi-queue-num-queues":
                       "" if queues == "1" else queues,
                       "backend.multi-queue-max-queues": "2"},
            "checks": [{"key": "mq_queues", "expected": queues, "actual": actual, "ok": ok}],
            "log_lines": ["xen-blkback: backend/vbd/1/51712: using %s queues, protocol 1 "
                          "(x86_64-abi) persistent grants" % actual]}

def doc(name, variants, runs, env=ENV, text=SCENARIO_TEXT, extra_meta=None, params=None):
    meta = dict(META)
    meta.update(extra_meta or {})
    return {
        "schema": "pvbench-results/1",
        "tool": {"name": "pvbench", "version": "0.1.0", "commit": "3f2c1e0"},
        "command": "build/pvbench run scenarios/%s.ini -o build/runs/%s" % (name, name),
        "started_at": "2026-11-20T10:00:00Z", "finished_at": "2026-11-20T10:20:00Z",
        "complete": True, "synthetic": True, "environment": env,
        "scenario": {"file": "scenarios/%s.ini" % name, "name": name,
                     "description": "SYNTHETIC fixture for unit tests", "text": text,
                     "workload": "fio", "order": "interleaved", "seed": 12345,
                     "repetitions": max(r["rep"] for r in runs),
                     "params": params or {"rw": "randread", "bs": "4k", "iodepth": "32"}},
        "variants": variants, "metrics_meta": meta,
        "boots": [{"boot": 1, "status": "OK", "variants": [v["name"] for v in variants],
                   "timeline": {"xen_banner_s": 0.8, "dom0_kernel_s": 5.1,
                                "dom0_init_s": 9.7, "toolstack_ready_s": 11.0,
                                "domU_ready_s": 14.2}},
                  {"boot": 2, "status": "OK", "variants": [v["name"] for v in variants],
                   "timeline": {"xen_banner_s": 0.9, "dom0_kernel_s": 5.4,
                                "dom0_init_s": 10.1, "toolstack_ready_s": 11.6,
                                "domU_ready_s": 15.0}}],
        "runs": runs,
    }

MQ_VARIANTS = [
    {"name": "1q", "baseline": True, "overrides": {"domU.xen_blkfront.max_queues": "1"},
     "expect": {"mq_queues": "1"}},
    {"name": "mq", "baseline": False, "overrides": {"domU.xen_blkfront.max_queues": "2"},
     "expect": {"mq_queues": "2"}},
]

def run(variant, rep, seq, status, metrics, ev, reason="", console=""):
    return {"variant": variant, "rep": rep, "seq": seq, "boot": 1 + (seq > 8),
            "status": status, "reason": reason,
            "started_at": "2026-11-20T10:%02d:00Z" % seq, "duration_s": 14.2,
            "measure_s": 10.0, "metrics": metrics if status == "OK" else {},
            "evidence": ev, "raw": ["raw/%04d-%s-%d.fio.json" % (seq, variant, rep)],
            "console_excerpt": console}

CRASH_CONSOLE = """[   42.100000] BUG: kernel NULL pointer dereference, address: 0000000000000000
[   42.100100] #PF: supervisor read access in kernel mode
[   42.100200] RIP: 0010:blkif_interrupt+0x4a/0x2c0 [xen_blkfront]
[   42.100300] Kernel panic - not syncing: Fatal exception in interrupt"""

def blk_mq(mq_iops, mq_sys, reps=8):
    runs, seq = [], 0
    for rep in range(1, reps + 1):
        for v, q in (("1q", "1"), ("mq", "2")):
            seq += 1
            if v == "1q" and rep == 3:
                runs.append(run(v, rep, seq, "CRASH", {}, evidence(q), "domU crashed",
                                CRASH_CONSOLE))
            elif v == "mq" and rep == 5:
                runs.append(run(v, rep, seq, "INVALID", {}, evidence(q, ok=False),
                                "expectation mq_queues=2 not met (actual 1)"))
            else:
                m = fio_metrics(1500 if v == "1q" else mq_iops, 55e6,
                                40 if v == "1q" else mq_sys, 0.02)
                runs.append(run(v, rep, seq, "OK", m, evidence(q)))
    return runs

def write(name, d):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(d, f, indent=1)
        f.write("\n")

base = doc("blk-mq", MQ_VARIANTS, blk_mq(1520, 41))
write("base/results.json", base)
write("new/results.json", doc("blk-mq", MQ_VARIANTS, blk_mq(1870, 47)))

# Hostile strings everywhere a guest or tool could put them; 3 repetitions.
evil = "<script>alert(1)</script>"
hv = [{"name": evil, "baseline": True, "overrides": {"x": "1"}, "expect": {}},
      {"name": "a'b\"c|d`e$(id)#f\\g", "baseline": False, "overrides": {"x": "2"},
       "expect": {"k": "</pre><img src=x onerror=alert(2)>"}}]
hruns, seq = [], 0
for rep in range(1, 4):
    for v in hv:
        seq += 1
        m = fio_metrics(1000, 40e6, 30, 0.03)
        m["weird<b>&_iops"] = m.pop("read_iops")
        ev = {"values": {"k": "<iframe src=//evil.example>"},
              "checks": [{"key": "k<>", "expected": "\"quoted\"", "actual": "&amp;", "ok": True}],
              "log_lines": ["\x1b[31mred\x1b[0m <b>bold</b> & ' \" | ` *x* _y_ [l](http://evil.example)"]}
        runs_status = "FAIL" if rep == 3 and v is hv[1] else "OK"
        hruns.append(run(v["name"], rep, seq, runs_status, m, ev,
                         reason="fio exited 1: <b>error</b> & 'quote'",
                         console="</pre><script>alert(3)</script>\n```\n| table | break |\n" + "\x07\x1b[2J"))
henv = copy.deepcopy(ENV)
henv["qemu_version"] = "7.2<script>alert(4)</script>"
henv["images"]["packages"]["<evil>"] = "\"><svg onload=alert(5)>"
write("hostile/results.json",
      doc("hostile<i>", hv, hruns, env=henv, text="[scenario]\nname = </pre><script>alert(6)</script>\n```\n"))

# An iodepth sweep under KVM (not emulated).
kenv = copy.deepcopy(ENV)
kenv.update({"accel": "kvm", "accel_reason": "", "emulated": False})
sv = [{"name": "qd%d" % d, "baseline": d == 1, "overrides": {"fio.iodepth": str(d)},
       "expect": {}} for d in (1, 4, 16, 64)]
sruns, seq = [], 0
for rep in range(1, 6):
    for d in (1, 4, 16, 64):
        seq += 1
        iops = 20000 * min(d, 16) ** 0.7
        sruns.append(run("qd%d" % d, rep, seq, "OK", fio_metrics(iops, 1e9 * d / iops * 3, 30, 0.03, qd=d),
                         {"values": {}, "checks": [], "log_lines": []}))
write("sweep/results.json", doc("iodepth-sweep", sv, sruns, env=kenv,
                                params={"rw": "randread", "bs": "4k"}))

# Malformed and degenerate inputs.
text = json.dumps(base, indent=1)
with open(os.path.join(OUT, "truncated.json"), "w") as f:
    f.write(text[: len(text) // 2])
ws = copy.deepcopy(base)
ws["schema"] = "pvbench-results/2"
write("wrong-schema.json", ws)
nc = copy.deepcopy(base)
for r in nc["runs"]:
    r["metrics"] = {"tx_bits_per_s": 9.4e9} if r["status"] == "OK" else {}
nc["metrics_meta"] = {}
write("no-common-metrics.json", nc)
af = copy.deepcopy(base)
for i, r in enumerate(af["runs"]):
    r["status"] = ("FAIL", "CRASH", "TIMEOUT")[i % 3]
    r["metrics"] = {}
write("all-failed.json", af)
