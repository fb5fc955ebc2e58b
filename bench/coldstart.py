"""One cold start, run as its own process by bench.run (its wall time is the measurement).

    python bench/coldstart.py negotrack CATALOG [WIDTH HEIGHT]
    python bench/coldstart.py negotrack-first CATALOG [WIDTH HEIGHT]
    python bench/coldstart.py datatable ROWSxCOLUMNS [WIDTH HEIGHT]
    python bench/coldstart.py datatable-compose ROWSxCOLUMNS CATALOG [WIDTH HEIGHT]

`negotrack` starts the dashboard headless (no history, no watching) and exits as soon as the
matrix has rows and the frame showing them has been rendered; `negotrack-first` after the
first painted frame (the issue's measure), which shows the dashboard reading the file.
`datatable` is the baseline: a minimal Textual app with one DataTable of the same size,
filled on mount, in the same harness; `datatable-compose` first reads and composes CATALOG with
PyYAML's CSafeLoader (the bare compose of the load baseline), then runs that app: the baseline
of the filled matrix (issue 13), reading the file as fast as PyYAML can plus a minimal app.
Only what each mode needs is imported, so import time counts where it belongs. Prints the
number of rows shown (1 for the first frame) as soon as that frame is rendered: the runner
times the process from its start to that line, so shutting down does not count.
"""

from __future__ import annotations

import asyncio
import sys


def painted(what: int) -> None:
    """Tell the runner, which times the process from its start to this line."""
    print(what, flush=True)


async def _until_rows(pilot, table) -> None:  # noqa: ANN001
    while not table.row_count:
        await asyncio.sleep(0.001)
    # every queued message handled, then the frame rendered (as bench.interactive.rendered)
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()
    painted(table.row_count)


async def run_negotrack(path: str, size: tuple[int, int]) -> int:
    from negotrack.tui.app import NegotrackApp
    from negotrack.tui.widgets.matrix import Matrix

    app = NegotrackApp(path, history=False, watch=False)
    async with app.run_test(size=size) as pilot:
        matrix = app.query_one(Matrix)
        await _until_rows(pilot, matrix)
        return matrix.row_count


async def run_negotrack_first(path: str, size: tuple[int, int]) -> int:
    """To the first painted frame: the dashboard's frame while the catalog is still being read
    (header, empty matrix, legend, footer), or already with the matrix for a small file."""
    from negotrack.tui.app import NegotrackApp
    from negotrack.tui.widgets.panels import RoundHeader

    app = NegotrackApp(path, history=False, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot._wait_for_screen()
        app.screen._on_timer_update()
        shown = 1 if str(app.query_one(RoundHeader).content).strip() else 0  # the reading line or a round
        painted(shown)
        return shown


async def run_datatable(shape: str, size: tuple[int, int]) -> int:
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    rows, columns = (int(x) for x in shape.split("x"))

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="cell", zebra_stripes=True)

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_column("Demand", width=20)
            for c in range(columns - 2):
                table.add_column(f"Party {c + 1}", width=24)
            table.add_column("Gap", width=18)
            for r in range(rows):
                cells = [Text(f"Demand number {r + 1}")]
                cells += [Text(f"= stance of party {c + 1} here", style="bold") for c in range(columns - 2)]
                cells.append(Text("0.25 ↘ close"))
                table.add_row(*cells, key=str(r))

    app = Minimal()
    async with app.run_test(size=size) as pilot:
        table = app.query_one(DataTable)
        await _until_rows(pilot, table)
        return table.row_count


async def run_datatable_compose(shape: str, catalog: str, size: tuple[int, int]) -> int:
    import yaml

    with open(catalog, "rb") as fh:
        text = fh.read().decode("utf-8")
    if yaml.compose(text, Loader=yaml.CSafeLoader) is None:
        return 0
    return await run_datatable(shape, size)


def main(argv: list[str]) -> int:
    mode, target = argv[0], argv[1]
    if mode == "datatable-compose":
        catalog, argv = argv[2], argv[:2] + argv[3:]
        size = (int(argv[2]), int(argv[3])) if len(argv) >= 4 else (140, 45)
        return 0 if asyncio.run(run_datatable_compose(target, catalog, size)) else 1
    size = (int(argv[2]), int(argv[3])) if len(argv) >= 4 else (140, 45)
    runner = {"negotrack": run_negotrack, "negotrack-first": run_negotrack_first}.get(mode, run_datatable)
    rows = asyncio.run(runner(target, size))
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
