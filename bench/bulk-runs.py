"""Clones one finished pipeline run N times straight into the server's SQLite DB.

Why not the REST API: creating a run through it costs two requests (runs are
created running, then updated to completed), ~90 ms each on a small machine, so
2,000 runs would take minutes. Cloning the row of a real completed run gives
rows the server and both MCP servers read exactly like real ones (same snapshot,
pipeline, stack and project; fresh id, name, orchestrator_run_id and creation
time), in well under a second. The clones have no step runs of their own.

Usage: python bulk-runs.py <zenml.db> <source run id> <count>
"""

import sqlite3
import sys
import uuid
from datetime import datetime, timedelta, timezone


def main() -> None:
    db, source, count = sys.argv[1], sys.argv[2].replace("-", ""), int(sys.argv[3])
    con = sqlite3.connect(db, timeout=30)
    con.row_factory = sqlite3.Row
    row = con.execute("SELECT * FROM pipeline_run WHERE id = ?", (source,)).fetchone()
    if row is None:
        raise SystemExit(f"no pipeline_run {source}")
    cols = row.keys()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for i in range(count):
        new = dict(row)
        new_id = uuid.uuid4().hex
        stamp = (now + timedelta(microseconds=i)).strftime("%Y-%m-%d %H:%M:%S.%f")
        new.update(id=new_id, created=stamp, updated=stamp, name=f"bench-{new_id}", orchestrator_run_id=f"bench-{new_id}")
        rows.append(tuple(new[c] for c in cols))
    quoted = ", ".join(f'"{c}"' for c in cols)
    with con:
        con.executemany(f"INSERT INTO pipeline_run ({quoted}) VALUES ({', '.join('?' for _ in cols)})", rows)
    total = con.execute("SELECT count(*) FROM pipeline_run").fetchone()[0]
    print(total)


if __name__ == "__main__":
    main()
