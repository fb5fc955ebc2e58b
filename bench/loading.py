"""Keys pressed while the dashboard loads a catalog (issue 13, the XL catalog), run as its own
process by bench.run.

    python bench/loading.py CATALOG [--interval MS] [--tail SECONDS] [--idle SECONDS] [--keys palette]

Starts the real NegotrackApp headless under `App.run_test` (no history, no watching, the
terminal of bench.interactive) and, from a thread of its own, as a terminal driver's input
thread does, presses a key every --interval ms (default 50) on a fixed schedule, cycling through
KEYS (or PALETTE_KEYS), from the moment the app is running until --tail seconds (default 1)
after the reload worker has finished (so the work the load leaves to the UI thread, such as
tidying the heap, is covered): those keys are marked `during`. With --idle, it goes on that
many seconds more: the same keys on the loaded app, for comparison. Prints one JSON object:
every key's timings and the load's milestones (seconds from the app running).

**A key is handled** when, counted from the moment it was due on the schedule (the press:
the sending thread sleeps until then, so any wait of that thread for the interpreter counts
too), (1) the key event has been posted to the app as the driver posts it
(`asyncio.run_coroutine_threadsafe(app._post_message(event))`: here the same call made
through `loop.call_soon_threadsafe`, so that the coroutine runs in the app's context), (2) the app's message queue has
processed it (its priority bindings checked, the event forwarded to the focused widget or the
screen), (3) every message queue of the app and of the current screen's widgets has processed
what was queued after that, again until none holds a message (`settled`: the key has bubbled
back to the App if it is the App's, its binding has run its action, the screen it pushed is
mounted), and (4) the screen has been rendered (`Screen._on_timer_update`:
layout, compositor, render; the up to 1/60 s textual's own update timer may wait is not counted,
as in bench.interactive). Keys are not held back while an earlier one is in flight: a slow key
delays those behind it, which then count their wait, as they would for someone typing.

A key whose action does nothing yet (`]` before any round is shown, `d` with no analysis) is
still handled: dispatched, its binding checked, the frame rendered.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import sys
import threading
import time

#: (key, character): next and previous round, cursor down and up, the detail pane twice, help
#: and close it
KEYS: tuple[tuple[str, str | None], ...] = (
    ("right_square_bracket", "]"), ("left_square_bracket", "["), ("j", "j"), ("k", "k"),
    ("d", "d"), ("d", "d"), ("question_mark", "?"), ("escape", "\x1b"),
)
#: the command palette and close it: measured on their own (`--keys palette`), at a slower pace,
#: because opening the palette costs more than the other keys even with no load (Textual draws
#: it over the matrix; until tui/palette.py's GoToProvider it listed one entry per round), and
#: in KEYS it would hold up the keys behind it
PALETTE_KEYS: tuple[tuple[str, str | None], ...] = (("ctrl+p", None), ("escape", "\x1b"))
#: the terminal of bench.interactive: a laptop's full-screen terminal
SIZE = (160, 50)


async def settled(pilot) -> None:  # noqa: ANN001
    """`Pilot._wait_for_screen` until no queue of the app or of its screen's widgets holds a
    message. One wait is not enough for a key the App binds without priority (`?`, `]`, `d`):
    the App forwards it to the focused widget, which bubbles it up through its parents back to
    the App, each hop posted to the next queue after `_wait_for_screen` queued its marker
    there; the key's action runs only at the last hop. A screen the action pushed is waited on
    in the next round."""
    app = pilot.app
    for _ in range(50):
        await pilot._wait_for_screen()
        if all(pump._message_queue.empty() for pump in (app, *app.screen.walk_children(with_self=True))):
            return
    raise RuntimeError("the app's queues did not empty after 50 waits")


def _app_class():  # noqa: ANN202 - a subclass that notes when the load's milestones happen
    import inspect
    from pathlib import Path

    from textual.worker import WorkerState

    from negotrack.tui.app import NegotrackApp

    class Timed(NegotrackApp):
        """NegotrackApp noting when its loading messages arrive. Textual calls every class's
        handler along the MRO, so these note the time and NegotrackApp's run as before."""

        #: textual reads a relative CSS_PATH beside the module of the class: this one's is tui/'s
        CSS_PATH = str(Path(inspect.getfile(NegotrackApp)).parent / NegotrackApp.CSS_PATH)
        milestones: dict[str, float]

        def on_negotrack_app_loaded(self, message) -> None:  # noqa: ANN001
            self.milestones.setdefault("loaded", time.perf_counter())

        def on_negotrack_app_analysed(self, message) -> None:  # noqa: ANN001
            self.milestones.setdefault("analysed", time.perf_counter())

        def on_worker_state_changed(self, event) -> None:  # noqa: ANN001
            if event.worker.group == "load":
                if event.state is WorkerState.RUNNING:
                    self.milestones.setdefault("worker_running", time.perf_counter())
                elif event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
                    self.milestones.setdefault("worker_done", time.perf_counter())

    return Timed


async def measure(path: str, interval: float = 0.05, tail: float = 1.0, idle: float = 0.0,
                  keys_pressed: tuple[tuple[str, str | None], ...] = KEYS, size: tuple[int, int] = SIZE,
                  timeout: float = 600.0) -> dict:
    """Keys every `interval` from the start until `tail` seconds after the load, then `idle`
    seconds more (the same keys on the loaded app: what they cost without a load)."""
    from textual import events

    from negotrack.tui.widgets.matrix import Matrix

    app = _app_class()(path, history=False, watch=False)
    app.milestones = {}
    keys: list[dict] = []
    failures: list[str] = []
    async with app.run_test(size=size) as pilot:
        loop = asyncio.get_running_loop()
        start = time.perf_counter()
        matrix = app.query_one(Matrix)
        stop = threading.Event()
        tasks: list[asyncio.Task] = []
        # the presses run in the app's context (textual's `active_app`), as its own tasks do
        context = contextvars.copy_context()

        async def press(i: int, key: str, char: str | None, due: float) -> None:
            posted = time.perf_counter()
            await app._post_message(events.Key(key, char))
            queued = loop.create_future()
            if app.call_later(queued.set_result, None):  # after the key in the app's queue
                await queued
            dispatched = time.perf_counter()
            await settled(pilot)  # after it in every widget's queue, and what it posted
            app.screen._on_timer_update()
            done = time.perf_counter()
            keys.append({"i": i, "key": key, "due": due - start, "latency": done - due,
                         "from_post": done - posted, "dispatch": dispatched - due})

        def terminal() -> None:
            """The input thread: a key every `interval`, on a fixed schedule."""
            i = 0
            while not stop.is_set():
                due = start + i * interval
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                if stop.is_set():
                    break
                key, char = keys_pressed[i % len(keys_pressed)]
                # what asyncio.run_coroutine_threadsafe does, in the app's context
                loop.call_soon_threadsafe(lambda c=press(i, key, char, due): tasks.append(loop.create_task(c)),
                                          context=context)
                i += 1

        sender = threading.Thread(target=terminal, name="bench-terminal", daemon=True)
        sender.start()
        filled = None
        deadline = start + timeout
        try:
            while True:
                now = time.perf_counter()
                if filled is None and matrix.row_count:
                    filled = now
                done = app.milestones.get("worker_done")
                if done is not None and filled is not None and now > done + tail + idle:
                    break
                if app._exception is not None or not app.is_running:
                    raise RuntimeError(f"the app stopped: {app._exception!r}")
                if now > deadline:
                    raise TimeoutError(f"the load did not finish within {timeout}s (problems: {app.problems[:3]})")
                await asyncio.sleep(0.005)
        finally:
            stop.set()
            await asyncio.to_thread(sender.join)
            # keys still in flight finish (textual may drop none; each has its own timings)
            await asyncio.sleep(0)  # the last call_soon_threadsafe has created its task
            for task in list(tasks):
                try:
                    await asyncio.wait_for(task, 30)
                except Exception as exc:  # noqa: BLE001 - a lost key is reported, not hidden
                    failures.append(f"{type(exc).__name__}: {exc}")
        rows = matrix.row_count
    milestones = {name: t - start for name, t in app.milestones.items()}
    milestones["matrix_filled"] = filled - start
    end_of_load = app.milestones["worker_done"] + tail - start
    keys.sort(key=lambda k: k["i"])
    for k in keys:
        k["during"] = k["due"] <= end_of_load
    return {
        "interval": interval, "tail": tail, "idle": idle, "rows": rows, "milestones": milestones,
        "end_of_load": end_of_load, "keys": keys, "failures": failures,
    }


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Keys pressed while the dashboard loads a catalog.")
    parser.add_argument("catalog")
    parser.add_argument("--interval", type=float, default=50, help="milliseconds between presses (50)")
    parser.add_argument("--tail", type=float, default=1.0, help="seconds of presses after the load (1)")
    parser.add_argument("--idle", type=float, default=0.0, help="then this many seconds more (0)")
    parser.add_argument("--keys", choices=("dashboard", "palette"), default="dashboard")
    args = parser.parse_args(argv)
    keys = PALETTE_KEYS if args.keys == "palette" else KEYS
    result = asyncio.run(measure(args.catalog, args.interval / 1000, args.tail, args.idle, keys))
    print(json.dumps(result))
    return 0 if result["rows"] and not result["failures"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
