"""The same placement as `useit bench match`, in SciPy, for the ratio.

Usage: match_scipy.py MATRIX.bin ROWS COLS
MATRIX.bin holds ROWS x COLS int64 scores (little-endian, row by row), one
column per post. Prints the time of linear_sum_assignment(maximize=True)
and the optimal total.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment

path, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
m = np.fromfile(path, dtype="<i8").reshape(rows, cols)
t0 = time.perf_counter()
r, c = linear_sum_assignment(m, maximize=True)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "total": int(m[r, c].sum()), "version": scipy.__version__}))
