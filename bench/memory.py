"""One peak-memory measurement, run as its own process by bench.run.

    python bench/memory.py compose|load CATALOG

Both modes import the same modules and read the file's bytes first; then the resident set is
taken, the work is done, and the growth of the peak resident set over it is printed in bytes
as JSON. On Linux the peak (VmHWM) is first reset to the current resident set
(`/proc/self/clear_refs`), so a peak reached while importing does not hide a small workload;
elsewhere the high-water mark `ru_maxrss` before and after is used. `compose` decodes and composes the text with
PyYAML's CSafeLoader (the baseline); `load` runs negotrack's `parse_catalog` (decode, compose,
validate, build the model) and `analyze`, which is `load_catalog` minus the file read.

The resident set counts everything, including libyaml's own buffers and the interpreter's arenas,
which tracemalloc would miss (and tracemalloc would slow the work down several times).
"""

from __future__ import annotations

import json
import resource
import sys


def _status(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def reset_peak() -> int:
    """Reset the peak to the current resident set where the OS allows; return the start point."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        now = _status("VmRSS")
        if now is not None:
            return now
    except OSError:
        pass
    return peak_bytes()


def peak_bytes() -> int:
    hwm = _status("VmHWM")
    if hwm is not None:
        return hwm
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib * 1024 if sys.platform != "darwin" else kib  # macOS reports bytes


def main(argv: list[str]) -> int:
    mode, path = argv[0], argv[1]
    import yaml

    from negotrack.store.analysis import analyze
    from negotrack.store.catalog import parse_catalog

    with open(path, "rb") as fh:
        data = fh.read()
    before = reset_peak()
    if mode == "compose":
        text = data.decode("utf-8")
        result = yaml.compose(text, Loader=yaml.CSafeLoader)
        ok = result is not None
    else:
        catalog, problems = parse_catalog(data, path)
        ok = catalog is not None and not problems
        if catalog is not None:
            result = analyze(catalog)
    after = peak_bytes()
    print(json.dumps({"mode": mode, "before": before, "after": after, "growth": after - before, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
