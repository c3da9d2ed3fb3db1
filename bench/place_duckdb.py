"""The same postcode job as `useit bench place`, in DuckDB, for the ratio.

Usage: place_duckdb.py POSTCODE_FILE QUERIES_CSV
Prints one JSON object: load seconds (read the gzipped CSV into a table),
join seconds (left join the queries to it, materialised), matched rows,
threads and DuckDB's version.
"""
import json
import sys
import time

import duckdb

postcodes, queries = sys.argv[1], sys.argv[2]
con = duckdb.connect()
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
t0 = time.perf_counter()
con.execute(
    "CREATE TABLE p AS SELECT pcds, lsoa11cd, lat, long FROM read_csv(?, header = true, all_varchar = true)",
    [postcodes],
)
load = time.perf_counter() - t0
con.execute("CREATE TABLE q AS SELECT * FROM read_csv(?, header = true, all_varchar = true)", [queries])
t0 = time.perf_counter()
con.execute("CREATE TABLE r AS SELECT q.postcode, p.pcds AS found, p.lsoa11cd FROM q LEFT JOIN p ON q.postcode = p.pcds")
join = time.perf_counter() - t0
matched, rows = con.execute("SELECT count(found), count(*) FROM r").fetchone()
print(json.dumps({"load_s": load, "join_s": join, "matched": matched, "rows": rows, "threads": int(threads), "version": duckdb.__version__}))
