"""Clones one pipeline run N times straight into the server's SQLite DB.

Why not the REST API: creating a run through it costs two requests (runs are
created running, then updated to completed), ~90 ms each on a small machine, so
2,000 runs would take minutes. Cloning the row of a real run gives rows the
server and both MCP servers read exactly like real ones (same snapshot,
pipeline, stack and project; fresh id, name, orchestrator_run_id and creation
time), 10,000 in about a second. The clones have no step runs of their own.

Usage: python bulk-runs.py <zenml.db> <source run id> <count> [key=value ...]
  created=<"2001-01-01 00:00:00.000000">  every clone gets exactly that creation
                                          time: ties, which ZenML orders by id
  status=<zenml status>                   the clones' status (default: the source's)
  waits=1                                 copy the source's pending wait conditions
                                          onto every clone
Prints the total number of runs.
"""

import sqlite3
import sys
import uuid
from datetime import datetime, timedelta, timezone


def main() -> None:
    db, source, count = sys.argv[1], sys.argv[2].replace("-", ""), int(sys.argv[3])
    options = dict(arg.split("=", 1) for arg in sys.argv[4:])
    con = sqlite3.connect(db, timeout=30)
    con.row_factory = sqlite3.Row
    row = con.execute("SELECT * FROM pipeline_run WHERE id = ?", (source,)).fetchone()
    if row is None:
        raise SystemExit(f"no pipeline_run {source}")
    waits = []
    if options.get("waits") == "1":
        waits = con.execute(
            "SELECT * FROM run_wait_condition WHERE run_id = ? AND status = 'pending'", (source,)
        ).fetchall()
    cols = row.keys()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows, wait_rows = [], []
    for i in range(count):
        new = dict(row)
        new_id = uuid.uuid4().hex
        stamp = options.get("created") or (now + timedelta(microseconds=i)).strftime("%Y-%m-%d %H:%M:%S.%f")
        new.update(id=new_id, created=stamp, updated=stamp, name=f"bench-{new_id}", orchestrator_run_id=f"bench-{new_id}")
        if "status" in options:
            new["status"] = options["status"]
        rows.append(tuple(new[c] for c in cols))
        for wait in waits:
            copy = dict(wait)
            copy.update(id=uuid.uuid4().hex, run_id=new_id)
            wait_rows.append(copy)
    quoted = ", ".join(f'"{c}"' for c in cols)
    with con:
        con.executemany(f"INSERT INTO pipeline_run ({quoted}) VALUES ({', '.join('?' for _ in cols)})", rows)
        if wait_rows:
            wcols = list(wait_rows[0].keys())
            con.executemany(
                f"INSERT INTO run_wait_condition ({', '.join(wcols)}) VALUES ({', '.join('?' for _ in wcols)})",
                [tuple(w[c] for c in wcols) for w in wait_rows],
            )
    total = con.execute("SELECT count(*) FROM pipeline_run").fetchone()[0]
    print(total)


if __name__ == "__main__":
    main()
