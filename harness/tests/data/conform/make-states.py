#!/usr/bin/env python3
"""Builds states-attach-detach.txt, in the format of the integrator's state watcher
(`<seconds> <path> <value|GONE>`), from the REAL xenstore-watch output in
watch-attach-detach.txt. xenstore-watch prints paths only, so the state values are
INFERRED (see README.md): per side, every event gets the value of the side's last
state write, the state writes taking the values the Xen 4.17 libxl / Linux 6.1
blkback / blkfront code paths write (backend 1 2 4 5 6, frontend 1 3 4 6), and the
final removal of the device directory reads GONE. The per-side event order is the
recorded one; the interleaving of the two sides and the times are not recorded and
follow blkif.h's startup diagram, spread evenly over the recorded `date` stamps
around `xl block-attach` (1795232752.411 .. 1795232756.920) and, for the detach,
over 1795232761.0 (4 s sleep + xenstore-ls after the attach) .. 1795232763.287.
Run: python3 make-states.py > states-attach-detach.txt"""
import sys

src = open(sys.argv[1] if len(sys.argv) > 1 else "watch-attach-detach.txt").read()
w1 = src.split("==w1\n")[1].split("==w2\n")[0].split()[1:]  # drop the watch's own path
w2 = src.split("==w2\n")[1].split()[1:]
BACK, FRONT = "/local/domain/0/backend/vbd/1/51728", "/local/domain/1/device/vbd/51728"


def values(events, states, d):
    out, cur, it = [], None, iter(states)
    for p in events:
        if p.endswith("/state"):
            cur = next(it)
        out.append((p, "GONE" if p == d and out else str(cur if cur else 1)))
    return out


b = values(w1, [1, 2, 4, 5, 6], BACK)
f = values(w2, [1, 3, 4, 6], FRONT)


def upto(ev, start, key, nth=1):
    """ev[start:i+1] where ev[i] is the nth event ending in key at or after start."""
    i = start
    while True:
        if ev[i][0].endswith(key):
            nth -= 1
            if not nth:
                return i + 1
        i += 1


bi = [0, upto(b, 0, "/specification"), upto(b, 0, "/state", 2),
      upto(b, 0, "/physical-device"), upto(b, 0, "/hotplug-status"),
      upto(b, 0, "/online", 2), upto(b, 0, "/state", 5), len(b)]
fi = [0, upto(f, 0, "/trusted"), upto(f, 0, "/state", 2), upto(f, 0, "/state", 3),
      upto(f, 0, "/state", 4), len(f)]
order = [(b, 0), (f, 0), (b, 1), (b, 2), (f, 1), (b, 3), (f, 2),    # attach
         (b, 4), (f, 3), (b, 5), (f, 4), (b, 6)]                     # detach
idx = {id(b): bi, id(f): fi}
attach, detach = [], []
for k, (ev, seg) in enumerate(order):
    cut = idx[id(ev)]
    (attach if k < 7 else detach).extend(ev[cut[seg]:cut[seg + 1]])


def stamp(evs, t0, t1):
    step = (t1 - t0) / (len(evs) + 1)
    return [(t0 + (i + 1) * step, p, v) for i, (p, v) in enumerate(evs)]


print("# inferred values, recorded per-side order: see README.md and make-states.py")
for t, p, v in stamp(attach, 1795232752.411, 1795232756.920) + \
        stamp(detach, 1795232761.0, 1795232763.287):
    print(f"{t:.3f} {p} {v}")
