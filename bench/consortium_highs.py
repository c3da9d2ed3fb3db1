"""The same consortium MILP as `useit bench consortium`, in HiGHS, for the ratio.

Usage: consortium_highs.py MODEL.json REPEAT
MODEL.json: {"cost": [c_e], "rows": [[e, ...], ...], "sums": [{"coef": [a_e], "at_least": b}, ...]}
Minimise sum c_e x_e, x binary, sum over each row's x >= 1, each sum a.x >= b.
Builds the model once per run and times Highs.run() alone (median of REPEAT
runs, each on a fresh solver), with mip_rel_gap 0 so HiGHS proves the
optimum (its default stops within 0.01%). Prints the time, the optimal
objective and the number of members.
"""
import json
import statistics
import sys
import time

import highspy
import numpy as np

path, repeat = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    m = json.load(f)
n = len(m["cost"])

# Row-wise matrix: covering rows, then the sums.
starts, index, value, lower = [], [], [], []
for row in m["rows"]:
    starts.append(len(index))
    index.extend(row)
    value.extend([1.0] * len(row))
    lower.append(1.0)
for s in m["sums"]:
    if s["at_least"] <= 0:
        continue
    starts.append(len(index))
    for e, a in enumerate(s["coef"]):
        if a > 0:
            index.append(e)
            value.append(float(a))
    lower.append(float(s["at_least"]))


def solve():
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(m["cost"], dtype=np.float64))
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
    )
    h.addRows(
        len(lower),
        np.array(lower, dtype=np.float64),
        np.full(len(lower), inf),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value, dtype=np.float64),
    )
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(h.getModelStatus())
    x = h.getSolution().col_value
    return seconds, h.getInfo().objective_function_value, sum(1 for v in x if v > 0.5), h.version()


runs = [solve() for _ in range(repeat)]
seconds = statistics.median(r[0] for r in runs)
_, objective, members, version = runs[0]
print(json.dumps({"seconds": seconds, "objective": objective, "members": members, "version": version}))
