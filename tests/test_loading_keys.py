"""Keys while a catalog loads (issue 13, the XL catalog): the reading thread steps aside for a
busy UI (tui/loading.py step_aside_for, store.pauses.pausing), a big catalog is shown only with
its whole analysis, big files are decoded and handed to libyaml in pieces. No timings here: the
speed targets live in bench/ (bench/loading.py, BENCHMARKS.md)."""

from __future__ import annotations

import selectors
import sys
import threading
import time
from types import SimpleNamespace

import pytest

import negotrack.store.events as events
import negotrack.store.pauses as pauses
import negotrack.store.yamlread as yamlread
import negotrack.tui.loading as loading
from negotrack.store.analysis import analyze
from negotrack.store.catalog import parse_catalog
from negotrack.tui.app import NegotrackApp
from negotrack.tui.view import change_places
from negotrack.tui.widgets.layout import widest_positions
from negotrack.tui.screens.help import HelpScreen
from negotrack.tui.widgets.matrix import Matrix

from support import DATA, until

sys.path.insert(0, str(DATA.parent.parent))
from bench.generate import generate  # noqa: E402


def slow_reader(monkeypatch) -> tuple[threading.Event, list[object]]:
    """read_catalog that goes on until `release` is set, calling its thread's pause point as
    the real reading does; `seen` collects those pause points."""
    release = threading.Event()
    seen: list[object] = []
    real = loading.read_catalog

    def read(path):
        seen.append(pauses.pause_point())
        while not release.wait(0.005):
            pause = pauses.pause_point()
            if pause is not None:
                pause()
        return real(path)

    monkeypatch.setattr(loading, "read_catalog", read)
    return release, seen


async def test_a_key_pressed_while_a_slow_load_runs_is_handled(monkeypatch):
    release, seen = slow_reader(monkeypatch)
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    try:
        async with app.run_test() as pilot:
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert app.analysis is None and not release.is_set()  # still loading
            await pilot.press("escape", "right_square_bracket", "j", "d", "d")
            await until(pilot, lambda: not isinstance(app.screen, HelpScreen))
            assert app.analysis is None
            release.set()
            await until(pilot, lambda: app.analysis is not None and app.query_one(Matrix).row_count > 0)
            await pilot.press("left_square_bracket")
            await until(pilot, lambda: app.current_round_id() == "r2")
    finally:
        release.set()
    # the reading thread had its pause point: it stepped aside for the keys
    assert seen and all(callable(p) for p in seen)
    assert pauses.pause_point() is None


@pytest.mark.parametrize("big", [True, False], ids=["big", "small"])
async def test_a_big_catalog_is_shown_with_its_whole_analysis_a_small_one_round_first(monkeypatch, big):
    installed: list[bool] = []
    real = loading.Loading._install

    def install(self, analysis, changes):
        installed.append(analysis.complete)
        return real(self, analysis, changes)

    monkeypatch.setattr(loading.Loading, "_install", install)
    if big:
        monkeypatch.setattr(loading, "FIRST_ROUND_CELLS", 0)  # every catalog is "big"
    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.analysis is not None and app.analysis.complete)
        if big:
            await pilot.press("left_square_bracket")  # another round: nothing left to compute
            await until(pilot, lambda: app.current_round_id() == "r2")
    # a big catalog is put on screen once, whole; a small one first from its shown round
    assert installed == [big]


@pytest.mark.parametrize("limit", [0, 20_000], ids=["above the limit", "below it"])
async def test_a_reload_shows_the_shown_round_first_up_to_its_limit(monkeypatch, limit):
    """After a save, a catalog up to RELOAD_ROUND_CELLS is shown from the shown round's analysis
    and the whole one follows, as on the first load; a bigger one is shown whole."""
    monkeypatch.setattr(loading, "RELOAD_ROUND_CELLS", limit)
    seen: list[tuple[str, bool]] = []

    def hook(message) -> None:  # noqa: ANN001
        if isinstance(message, (NegotrackApp.Loaded, NegotrackApp.Analysed)):
            seen.append((type(message).__name__, message.analysis.complete))

    app = NegotrackApp(str(DATA / "dash.yaml"), history=False, watch=False)
    async with app.run_test(message_hook=hook) as pilot:
        await until(pilot, lambda: app.analysis is not None and app.analysis.complete)
        first = app.analysis
        seen.clear()
        app.reload()
        await until(pilot, lambda: app.analysis is not first and app.analysis.complete)
        await pilot.pause()
        assert app.round_index == len(app.catalog.rounds) - 1  # where the user was
    assert seen == ([("Loaded", False), ("Analysed", True)] if limit else [("Loaded", True)])


def _thread_in(target, started: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    started.wait(5)
    return thread


def test_the_reader_steps_aside_only_while_the_ui_thread_is_busy(monkeypatch):
    monkeypatch.setattr(loading, "MAX_STEP_ASIDE", 0.02)
    stop, started = threading.Event(), threading.Event()

    def waiting() -> None:  # an event loop waiting in its selector
        with selectors.DefaultSelector() as sel:
            started.set()
            while not stop.is_set():
                sel.select(timeout=0.05)

    def busy() -> None:  # the UI thread running Python code
        started.set()
        n = 0
        while not stop.is_set():
            n += 1

    try:
        idle = _thread_in(waiting, started)
        time.sleep(0.01)
        assert loading._ui_idle(sys._current_frames()[idle.ident])
        loading.step_aside_for(idle.ident)()  # returns at once
        started.clear()
        worker = _thread_in(busy, started)
        assert not loading._ui_idle(sys._current_frames()[worker.ident])
        loading.step_aside_for(worker.ident)()  # waits, but never more than MAX_STEP_ASIDE: it returns
        loading.step_aside_for(None)()
        loading.step_aside_for(0)()  # a thread that is gone
    finally:
        stop.set()


def test_a_loop_polling_without_a_timeout_has_work_ready_and_is_busy():
    """asyncio polls its selector with timeout 0 between callbacks when more are ready (a key's
    messages): the reader must not take that for a loop waiting for something to do."""
    def in_select(timeout, name="selectors.py", function="select"):  # noqa: ANN001, ANN202
        return SimpleNamespace(f_code=SimpleNamespace(co_filename=f"/usr/lib/python3/{name}", co_name=function),
                               f_locals={"self": object(), "timeout": timeout})

    assert not loading._ui_idle(in_select(0))
    assert loading._ui_idle(in_select(0.016)) and loading._ui_idle(in_select(None))
    assert not loading._ui_idle(in_select(0, "windows_events.py", "_poll"))
    assert loading._ui_idle(in_select(5, "windows_events.py", "_poll"))
    assert not loading._ui_idle(in_select(0.016, "app.py", "select"))


def test_a_ui_thread_blocked_elsewhere_than_its_selector_is_not_waited_for(monkeypatch):
    monkeypatch.setattr(loading, "MAX_STEP_ASIDE", 600.0)  # were it waited for, this test would hang
    stop, started = threading.Event(), threading.Event()

    def blocked() -> None:  # an event loop of another kind, or a lock: no bytecode runs
        started.set()
        stop.wait(30)

    try:
        thread = _thread_in(blocked, started)
        time.sleep(0.01)
        assert not loading._ui_idle(sys._current_frames()[thread.ident])
        loading.step_aside_for(thread.ident)()
    finally:
        stop.set()


def test_pause_points_are_called_while_reading_and_analysing(monkeypatch):
    monkeypatch.setattr(yamlread, "DECODE_PIECE", 1000)  # the S catalog is decoded in pieces too
    calls: list[int] = []
    data = generate("S").encode("utf-8")
    with pauses.pausing(lambda: calls.append(1)):
        catalog, problems = parse_catalog(data)
        read = len(calls)
        analysis = analyze(catalog)
        analysed = len(calls)
        change_places(analysis)  # the changed cells, for `n`
        placed = len(calls)
        widest_positions(catalog)  # the columns' widths
    assert problems == [] and catalog is not None
    assert read >= len(catalog.rounds) + len(data) // 1000  # each round read, each piece decoded
    assert analysed >= read + len(catalog.rounds)  # each round analysed
    assert placed >= analysed + len(catalog.rounds)  # each round's changed cells listed
    assert len(calls) >= placed + len(catalog.rounds)  # each round's positions measured
    assert pauses.pause_point() is None


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 4096])
def test_decoding_in_pieces_is_decoding(monkeypatch, piece):
    text = "title: é€😀 جبهة ألفا — עברית\n" * 40 + "end: ok\n"
    data = text.encode("utf-8")
    monkeypatch.setattr(yamlread, "DECODE_PIECE", piece)
    for encoded in (data, b"\xef\xbb\xbf" + data):
        decoded, problems = yamlread.decode(encoded, "f")
        assert problems == [] and len(decoded) == len(text) and str(decoded) == text
        # a big file's pieces are never joined; a small one is decoded whole
        assert isinstance(decoded, yamlread.PiecedText) == (len(data) > 2 * piece)


@pytest.mark.parametrize("piece", [1, 2, 5, 64])
def test_a_pieced_text_slices_as_the_string_does(piece):
    text = "id: é€😀 جبهة ألفا — עברית\n" * 9
    pieced = yamlread.PiecedText([text[i:i + piece] for i in range(0, len(text), piece)] + [""])
    assert len(pieced) == len(text) and bool(pieced) and str(pieced) == text
    n = len(text)
    for start in (0, 1, piece - 1, piece, piece + 1, n // 2, n - 1, n, n + 5, -3):
        for stop in (0, 1, piece, piece + 1, 2 * piece + 3, n // 2 + 7, n - 1, n, n + 5, -1):
            assert pieced[start:stop] == text[start:stop], (start, stop)
    assert pieced[:] == text and not yamlread.PiecedText([])


def test_a_big_file_is_read_from_its_pieces_as_from_the_whole_text(monkeypatch):
    """A file over 2 x DECODE_PIECE is decoded in pieces and read from them: the same catalog,
    digests and problems as from its text decoded whole, valid or not."""
    cases = [(name, text.encode("utf-8")) for name, text in _catalogs()]
    cases += [(path.name, path.read_bytes()) for path in sorted((DATA / "bad").glob("*.yaml"))]
    pieced_count = 0
    for name, data in cases:
        whole = parse_catalog(data, name)
        monkeypatch.setattr(yamlread, "DECODE_PIECE", 64)
        pieced_count += isinstance(yamlread.decode(data, name)[0], yamlread.PiecedText)
        pieced = parse_catalog(data, name)
        monkeypatch.setattr(yamlread, "DECODE_PIECE", 1 << 22)
        assert repr(pieced) == repr(whole), name
        if whole[0] is not None:
            assert [r.text_digest for r in pieced[0].rounds] == [r.text_digest for r in whole[0].rounds], name
    assert pieced_count > len(cases) // 2  # most of them were read from their pieces


def test_a_bad_byte_is_reported_where_it_is_when_decoding_in_pieces(monkeypatch):
    data = ("title: ok\n" * 50).encode("utf-8") + b"bad: \xff here\n" + ("more: é\n" * 50).encode("utf-8")
    whole = yamlread.decode(data, "f")
    monkeypatch.setattr(yamlread, "DECODE_PIECE", 16)
    assert yamlread.decode(data, "f") == whole
    assert whole[0] is None and whole[1][0].line == 51


def _catalogs():
    yield "S", generate("S")
    yield "M", generate("M")
    yield "10 parties", generate("6x9x10")
    for path in sorted((DATA / "good").glob("*.yaml")) + [DATA / "dash.yaml", DATA / "rtl.yaml"]:
        yield path.name, path.read_text(encoding="utf-8")


def test_libyaml_fed_in_pieces_reads_the_same_catalog(monkeypatch):
    for name, text in _catalogs():
        whole = events.read_valid(text, name)
        monkeypatch.setattr(events, "PIECES_ABOVE", 0)
        pieces = events.read_valid(text, name)
        monkeypatch.setattr(events, "PIECES_ABOVE", 1 << 22)
        assert repr(pieces) == repr(whole), name
        if whole is not None:
            assert [r.text_digest for r in pieces.rounds] == [r.text_digest for r in whole.rounds], name


def test_text_pieces_reads_like_a_file():
    pieces = yamlread.TextPieces("abcdefg")
    assert [pieces.read(3), pieces.read(3), pieces.read(3), pieces.read(3)] == ["abc", "def", "g", ""]
    assert yamlread.TextPieces("xyz").read() == "xyz"


def test_the_whole_heap_is_tidied_only_for_catalogs_up_to_the_limit(monkeypatch):
    unfrozen: list[int] = []
    monkeypatch.setattr(loading.gc, "unfreeze", lambda: unfrozen.append(1))
    monkeypatch.setattr(loading.gc, "collect", lambda *a: 0)
    monkeypatch.setattr(loading.gc, "freeze", lambda: None)
    small = SimpleNamespace(catalog=SimpleNamespace(rounds=[0] * 3, demands=[0] * 4, parties=[0] * 2))
    loading.Loading._freeze_heap(small)
    assert unfrozen == [1]
    monkeypatch.setattr(loading, "THOROUGH_FREEZE_CELLS", 23)
    loading.Loading._freeze_heap(small)  # 24 cells: what is frozen stays so
    assert unfrozen == [1]
