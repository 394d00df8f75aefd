#!/usr/bin/python3
# reference-scipy.py: second-opinion reference values for harness/tests/check_stats.c
# from SciPy (python3-scipy 1.10, Debian 12): Mann-Whitney U p-values and the
# percentile bootstrap interval of median(new) / median(base) - 1.
# Run from the repository root:
#   /usr/bin/python3 harness/tests/data/stats/reference-scipy.py \
#       > harness/tests/data/stats/reference-scipy.tsv
# The bootstrap reference uses 200,000 resamples (seed 1), so its own Monte Carlo
# error is small; the C code uses another generator, hence the tolerance in the test.
import glob, os
import numpy as np
from scipy import stats

def read_set(path):
    d = {}
    for line in open(path):
        if line.startswith(("base:", "new:")):
            k, v = line.split(":", 1)
            d[k] = np.array([float(x) for x in v.split()])
    return d["base"], d["new"]

def ratio(b, n, axis=-1):
    return np.median(n, axis=axis) / np.median(b, axis=axis) - 1

for path in sorted(glob.glob("harness/tests/data/stats/*.dat")):
    name = os.path.basename(path)[:-4]
    b, n = read_set(path)
    exact = len(set(b) | set(n)) == len(b) + len(n) and len(b) < 50 and len(n) < 50
    mw = stats.mannwhitneyu(n, b, alternative="two-sided", use_continuity=True,
                            method="exact" if exact else "asymptotic")
    print("%s\tscipy.mw.u\t%.17g" % (name, mw.statistic))
    print("%s\tscipy.mw.p\t%.17g" % (name, mw.pvalue))
    bs = stats.bootstrap((b, n), ratio, n_resamples=200000, method="percentile",
                         confidence_level=0.95, vectorized=True,
                         random_state=np.random.default_rng(1))
    print("%s\tscipy.boot.lo\t%.17g" % (name, bs.confidence_interval.low))
    print("%s\tscipy.boot.hi\t%.17g" % (name, bs.confidence_interval.high))
