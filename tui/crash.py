"""The last line of defence: an unexpected error becomes one sentence and a log file."""

from __future__ import annotations

import traceback
from pathlib import Path

from rich.text import Text

from negotrack.store.text import one_line


def crash_log_path() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("negotrack")) / "crash.log"


def crash_report(error: BaseException | None) -> Text:
    """Write the traceback to the crash log; return what the user is told instead."""
    log = crash_log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(error)) if error else "unknown error\n")
        where = f"details in {log}"
    except OSError:
        where = "set NEGOTRACK_DEBUG=1 for details"
    name = type(error).__name__ if error else "error"
    return Text(f"negotrack stopped on an unexpected error: {name}: {one_line(str(error), 200)} ({where})")
