"""The same supplier resolution as `useit bench resolve`, in rapidfuzz, for the comparison.

Usage: resolve_rapidfuzz.py candidates JOB.json
       resolve_rapidfuzz.py accept JOB.json

JOB.json holds {"folds": [{"register": [names], "queries": [names]}, ...]} and:
- for `candidates`: "scorers" (names of rapidfuzz.fuzz scorers) and "limit". Prints, per
  scorer, the best `limit` register entries of every query, [index, score], and the time.
- for `accept`: "scorer", "cutoff" and "repeats". Times process.extractOne with that
  scorer and score_cutoff (rapidfuzz's fastest way to take or leave the best name) and
  prints the best time of `repeats` and, per query, the index taken or null.

Times are wall-clock ("seconds") and this thread's CPU time ("cpu_seconds"): on a shared
machine the second leaves out the time other programs had the cores.

Names are put through utils.default_process (lower case, non-alphanumerics to spaces,
trimmed), the register once per fold and inside the timing, as useit's index build is.
One thread, as useit's matcher runs.
"""
import json
import sys
import time

import rapidfuzz
from rapidfuzz import fuzz, process, utils

SCORERS = {
    "WRatio": fuzz.WRatio,
    "QRatio": fuzz.QRatio,
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "partial_token_sort_ratio": fuzz.partial_token_sort_ratio,
}


def candidates(job):
    out = {}
    for name in job["scorers"]:
        scorer = SCORERS[name]
        t0, c0 = time.perf_counter(), time.thread_time()
        folds = []
        for fold in job["folds"]:
            choices = [utils.default_process(c) for c in fold["register"]]
            folds.append(
                [
                    [
                        [i, s]
                        for (_, s, i) in process.extract(
                            utils.default_process(q),
                            choices,
                            scorer=scorer,
                            processor=None,
                            limit=job["limit"],
                        )
                    ]
                    for q in fold["queries"]
                ]
            )
        out[name] = {
            "seconds": time.perf_counter() - t0,
            "cpu_seconds": time.thread_time() - c0,
            "folds": folds,
        }
    return {"scorers": out}


def accept(job):
    scorer = SCORERS[job["scorer"]]
    cutoff = job["cutoff"]
    best, best_cpu = float("inf"), float("inf")
    for _ in range(job["repeats"]):
        t0, c0 = time.perf_counter(), time.thread_time()
        folds = []
        for fold in job["folds"]:
            choices = [utils.default_process(c) for c in fold["register"]]
            taken = []
            for q in fold["queries"]:
                r = process.extractOne(
                    utils.default_process(q),
                    choices,
                    scorer=scorer,
                    processor=None,
                    score_cutoff=cutoff,
                )
                taken.append(None if r is None else r[2])
            folds.append(taken)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.thread_time() - c0)
    return {"seconds": best, "cpu_seconds": best_cpu, "folds": folds}


mode, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    job = json.load(f)
result = candidates(job) if mode == "candidates" else accept(job)
result["version"] = rapidfuzz.__version__
print(json.dumps(result))
