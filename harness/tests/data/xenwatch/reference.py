#!/usr/bin/python3
# Reference values for harness/tests/check_xenwatch.c (test_summary_reference,
# test_hist_reference), computed independently of pvbench's C code:
#   nearest-rank percentile = x[ceil(p/100 * n) - 1] of the sorted values, with p and
#   the product in exact rational arithmetic (fractions.Fraction);
#   cross-checked with numpy.percentile(method='inverted_cdf') (the same definition,
#   Hyndman & Fan type 1) wherever numpy's floating-point rank is exact;
#   mean = numpy.mean; histogram bucket = int.bit_length() of each value.
# Run: /usr/bin/python3 harness/tests/data/xenwatch/reference.py (needs python3-numpy)
import math, os
from fractions import Fraction
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
v = [int(l) for l in open(os.path.join(here, 'latency-1000.txt'))]

def nearest_rank(x, p):
    s = sorted(x)
    return s[max(1, math.ceil(Fraction(p) / 100 * len(s))) - 1]

for n in (1000, 999, 7):
    x = v[:n]
    a = np.array(x, dtype=np.float64)
    print(f'n = {n}: min {min(x)} max {max(x)} mean {float(np.mean(a))!r}')
    for name, p in (('p50', '50'), ('p90', '90'), ('p99', '99'), ('p99.9', '99.9')):
        exact = nearest_rank(x, p)
        npv = int(np.percentile(a, float(p), method='inverted_cdf'))
        note = '' if npv == exact else f'  (numpy inverted_cdf: {npv}, float rank error)'
        print(f'  {name} {exact}{note}')
    h = {}
    for y in x:
        h[y.bit_length()] = h.get(y.bit_length(), 0) + 1
    print('  hist (bucket: count) ' + ', '.join(f'{b}: {c}' for b, c in sorted(h.items())))
