"""One fuzz case opened in the dashboard headless (`App.run_test`), for `tools.fuzz`.

The dashboard must show the catalog (or, for a file with errors, the error list), and on the
catalog take the round keys `]` `[`, the next-change key `n`, the timeline `t` (a screen of its
own, closed with escape) and the detail pane `d`. Counted: any exception (one raised by the
app, or a worker failure it reports as an error notification) and any screen that never shows.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from typing import Any

#: how long a screen may take to show before it counts as never shown
SHOW_WITHIN = 10.0


async def _until(pilot, predicate) -> bool:
    deadline = time.monotonic() + SHOW_WITHIN
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.02)
    return True


async def _drive(path: str, counts: dict[str, int], problems: list[str]) -> None:
    from negotrack.tui.app import NegotrackApp
    from negotrack.tui.screens.errors import ErrorScreen
    from negotrack.tui.screens.timeline import TimelineScreen

    app = NegotrackApp(path, history=False, watch=False)
    errors: list[str] = []
    notify = app.notify

    def watched(message, *args, **kwargs):  # worker failures surface as error notifications
        if kwargs.get("severity") == "error":
            errors.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = watched  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        if not await _until(pilot, lambda: app.analysis is not None or isinstance(app.screen, ErrorScreen)):
            counts["never shown"] += 1
            problems.append("neither the dashboard nor the error list showed")
            return
        counts["opened"] += 1
        # Let the screen finish mounting before anything else: leaving at once would test a
        # quit in the same millisecond as the screen appears, not what a person can do.
        await pilot.pause()
        if app.analysis is None:
            await pilot.pause(0.1)
            return
        for key in ("right_square_bracket", "left_square_bracket", "n"):
            await pilot.press(key)
        await pilot.pause()
        base = len(app.screen_stack)
        await pilot.press("t")
        if app.query_one("Matrix").selected()[0] is not None:
            if not await _until(pilot, lambda: isinstance(app.screen, TimelineScreen)):
                counts["never shown"] += 1
                problems.append("the timeline never showed")
            await pilot.press("escape")
            if not await _until(pilot, lambda: len(app.screen_stack) == base):
                counts["never shown"] += 1
                problems.append("escape did not close the timeline")
        await pilot.press("d")
        await pilot.pause()
    if errors:
        counts["exceptions"] += len(errors)
        problems.extend(f"error notification: {e}" for e in errors)


def drive(path: str) -> dict[str, Any]:
    """Open `path` in the dashboard and press the keys; {"counts": ..., "problems": [...]}."""
    counts = {"opened": 0, "exceptions": 0, "never shown": 0}
    problems: list[str] = []
    try:
        asyncio.run(_drive(path, counts, problems))
    except Exception:  # noqa: BLE001 - an exception out of the app is what this counts
        counts["exceptions"] += 1
        problems.append(traceback.format_exc(limit=-8))
    return {"counts": counts, "problems": problems}
