"""The first history record in a new process (issue 13), run as its own process by bench.run.

    python bench/history_first.py CATALOG DB LINE VALUE

Opens the history database DB, which already holds versions of CATALOG, reads CATALOG with the
short-form number on line LINE (0-based) set to VALUE (not timed), then times `History.open` and
the first `History.record` of that one-position edit, and prints them in seconds as JSON. What a
user waits for when `negotrack` (or `negotrack history`) starts on a catalog edited since.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.interactive import with_value  # noqa: E402


def main(argv: list[str]) -> int:
    path, db, line, value = argv[0], argv[1], int(argv[2]), int(argv[3])
    from negotrack.store.catalog import parse_catalog
    from negotrack.store.history import History

    text = Path(path).read_text(encoding="utf-8")
    edited, problems = parse_catalog(with_value(text, line, value), path)
    if edited is None:
        raise SystemExit(f"the edited catalog does not validate: {problems[:3]}")
    t0 = time.perf_counter()
    history, _ = History.open(path, db)
    t1 = time.perf_counter()
    info = history.record(edited)
    t2 = time.perf_counter()
    history.close()
    if info is None:
        raise SystemExit("record() saw no change after a one-position edit")
    print(json.dumps({"open": t1 - t0, "record": t2 - t1}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
