"""Dashboard measurements that need a running app, each run as its own process by bench.run.

    python bench/interactive.py switch CATALOG PRESSES
    python bench/interactive.py reload CATALOG TIMES IDLE_SECONDS

Both run the real NegotrackApp headless under `App.run_test` and print their samples as JSON.

`switch`: waits for the catalog to be shown, then presses `[` (previous round) PRESSES times
(after two unmeasured presses), each from an idle app (`settle`), timing from the moment the key event
is sent (as the terminal driver sends it) until the round changed, every queued message was
handled and the frame was rendered (see `rendered`).

`reload`: starts the app with live reload on (`watch=True`), then TIMES times writes a copy of
the catalog with one position of the shown (last) round changed next to it and `os.replace`s
it over the catalog, as editors save, and times from the rename until the matrix cell shows
the new value and that frame is rendered. Then it measures the process's CPU time
(`time.process_time`, every thread) over IDLE_SECONDS of doing nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time

#: the terminal the dashboard measurements run in: a laptop's full-screen terminal
SIZE = (160, 50)

_ROUND = re.compile(r"  - id: (\S+)$")
_PARTY = re.compile(r"      ([A-Za-z0-9_-]+):$")
_SHORT_NUMBER = re.compile(r"        ([A-Za-z0-9_-]+): ([0-9]+)$")


def numeric_positions(text: str) -> list[tuple[int, str, str, str]]:
    """(line index, round id, party id, demand id) of every short-form integer position."""
    found = []
    rid = pid = ""
    for i, line in enumerate(text.split("\n")):
        if m := _ROUND.match(line):
            rid = m.group(1)
        elif m := _PARTY.match(line):
            pid = m.group(1)
        elif rid and (m := _SHORT_NUMBER.match(line)):
            found.append((i, rid, pid, m.group(1)))
    return found


def with_value(text: str, line_index: int, value: int) -> str:
    """`text` with the short-form number on `line_index` replaced by `value`."""
    lines = text.split("\n")
    key = lines[line_index].split(":")[0]
    lines[line_index] = f"{key}: {value}"
    return "\n".join(lines)


def _fmt(n: int) -> str:
    return f"{n:,}"


async def rendered(pilot) -> None:  # noqa: ANN001
    """Let every widget handle what is queued, then render the frame now.

    `pilot.pause()` would do the same after sleeping until the process looks idle (tens of
    milliseconds of harness time); this waits only for the queued messages
    (`Pilot._wait_for_screen`) and then runs what textual's screen update timer runs
    (`Screen._on_timer_update`: layout, compositor, render). The up to 1/60 s the real timer
    may wait before firing is not counted.
    """
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()


async def _loaded(pilot, app, timeout: float = 120.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while app.analysis is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the catalog was not shown within {timeout}s (problems: {app.problems[:3]})")
        await asyncio.sleep(0.01)
    await pilot.pause()
    await rendered(pilot)


async def settle(pilot, app) -> None:  # noqa: ANN001
    """Until the app is idle: nothing queued, and the work it does after a round switch (the
    rounds either side drawn 30 ms after the frame, tui/showing.py `_prefetch`) done. As the
    user reads the matrix between two presses, it is. `pilot.pause()` alone waits until the
    process looks idle, which the pending 30 ms timer does not prevent: on a fast host the next
    press then often met that work, and took ~20 ms more."""
    await pilot.pause()
    deadline = time.perf_counter() + 5
    while getattr(app, "_prefetch_timer", None) is not None and time.perf_counter() < deadline:
        await asyncio.sleep(0.005)
    await pilot.pause()


async def switch(path: str, presses: int) -> dict:
    from textual import events

    from negotrack.tui.app import NegotrackApp

    app = NegotrackApp(path, history=False, watch=False)
    samples: list[float] = []
    handled: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await _loaded(pilot, app)
        rounds = len(app.analysis.catalog.rounds)
        driver = app._driver
        for i in range(presses + 2):  # the first two are a warm-up (first renders, caches)
            before = app.round_index
            key, char = ("left_square_bracket", "[") if before > 0 else ("right_square_bracket", "]")
            await settle(pilot, app)  # start from an idle app
            t0 = time.perf_counter()
            driver.send_message(events.Key(key, char))  # as the terminal driver does for a key
            deadline = t0 + 30
            while app.round_index == before:
                if time.perf_counter() > deadline:
                    raise AssertionError("the round did not change")
                await asyncio.sleep(0)
            t_handled = time.perf_counter()
            await rendered(pilot)
            if i >= 2:
                samples.append(time.perf_counter() - t0)
                handled.append(t_handled - t0)
    return {"samples": samples, "handled": handled, "rounds": rounds}


async def reload(path: str, times: int, idle: float) -> dict:
    from negotrack.tui.app import NegotrackApp
    from negotrack.tui.widgets.matrix import Matrix

    with open(path, encoding="utf-8") as fh:
        original = fh.read()
    candidates = numeric_positions(original)
    last_round = candidates[-1][1]
    shown = [c for c in candidates if c[1] == last_round]
    app = NegotrackApp(path, history=False, watch=True)
    samples: list[float] = []
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _loaded(pilot, app)
            await asyncio.sleep(0.3)  # let the watcher start
            matrix = app.query_one(Matrix)
            for i in range(times):
                line, _, pid, did = shown[i % len(shown)]
                value = 700_001 + i
                temp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.bench-{i}.tmp")
                with open(temp, "w", encoding="utf-8") as fh:
                    fh.write(with_value(original, line, value))
                os.replace(temp, path)
                t0 = time.perf_counter()
                deadline = t0 + 30
                while _fmt(value) not in matrix.get_cell(did, pid).plain:
                    if time.perf_counter() > deadline:
                        raise TimeoutError("the new value never reached the matrix")
                    await asyncio.sleep(0.002)
                await rendered(pilot)
                samples.append(time.perf_counter() - t0)
                await asyncio.sleep(0.3)  # no overlap with the next save
            await asyncio.sleep(0.5)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            await asyncio.sleep(idle)
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    finally:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(original)
    return {"samples": samples, "idle_cpu": cpu, "idle_wall": wall}


def main(argv: list[str]) -> int:
    mode, path = argv[0], argv[1]
    if mode == "switch":
        result = asyncio.run(switch(path, int(argv[2])))
    elif mode == "reload":
        result = asyncio.run(reload(path, int(argv[2]), float(argv[3])))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
