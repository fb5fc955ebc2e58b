"""Where the user is (tui/state.py): pure transitions, tested without a screen."""

from __future__ import annotations

import datetime as dt

from negotrack.store.model import Catalog, Round
from negotrack.tui.state import MAX_WIDTH, MIN_WIDTH, ViewState


def catalog(*ids: str) -> Catalog:
    rounds = tuple(Round(rid, dt.date(2024, 1, i + 1)) for i, rid in enumerate(ids))
    return Catalog("c.yaml", "T", (), (), rounds)


CAT = catalog("a", "b", "c")


def test_a_new_state_starts_on_the_last_round():
    state = ViewState().fit(CAT)
    assert state.round_id == "c" and state.round_index(CAT) == 2


def test_rounds_move_and_stop_at_both_ends():
    state = ViewState(round_id="b")
    assert state.next_round(CAT).round_id == "c"
    assert state.next_round(CAT, -1).round_id == "a"
    assert state.next_round(CAT).next_round(CAT).round_id == "c"  # no wrap past the last
    assert state.first_round(CAT).round_id == "a" and state.last_round(CAT).round_id == "c"
    assert ViewState(round_id="a").next_round(CAT, -1).round_id == "a"


def test_transitions_leave_the_original_untouched():
    state = ViewState(round_id="b")
    state.next_round(CAT)
    state.pin_baseline()
    state.toggle_claims()
    assert state == ViewState(round_id="b")


def test_baseline_pins_the_current_round_and_a_second_press_clears_it():
    pinned = ViewState(round_id="a").pin_baseline()
    assert pinned.baseline == "a" and pinned.basis() is None  # nothing to compare on the baseline itself
    later = pinned.next_round(CAT)
    assert later.basis() == "a"
    assert later.pin_baseline().baseline is None


def test_compare_sets_both_rounds():
    state = ViewState(round_id="a").compare("a", "c")
    assert (state.baseline, state.round_id, state.basis()) == ("a", "c", "a")


def test_a_reload_keeps_ids_that_still_exist_and_drops_the_rest():
    state = ViewState(round_id="b", baseline="a", demand_id="d", party_id="p")
    assert state.fit(catalog("a", "b", "z")) == state
    gone = state.fit(catalog("x", "y"))
    assert (gone.round_id, gone.baseline, gone.demand_id) == ("y", None, "d")
    assert ViewState(round_id="b").fit(catalog()).round_id is None


def test_filters_claims_and_changed_only_toggle():
    state = ViewState()
    assert state.with_filter("gaza").filter_text == "gaza"
    assert state.toggle_changed().changed_only and not state.toggle_changed().toggle_changed().changed_only
    assert not state.toggle_claims().claims and state.toggle_claims().toggle_claims().claims


def test_select_keeps_the_demand_when_only_the_party_is_new():
    state = ViewState().select("ceasefire", "hamas")
    assert state.select(None, None) == ViewState(demand_id="ceasefire", party_id=None)


def test_column_widths_grow_and_shrink_within_limits_and_reset():
    state = ViewState().resize("hamas", 20, 4)
    assert state.width_of("hamas") == 24
    state = state.resize("hamas", 24, -4).resize("israel", 10, 4)
    assert dict(state.widths) == {"hamas": 20, "israel": 14}
    assert ViewState().resize("x", 3, -4).width_of("x") == MIN_WIDTH
    assert ViewState().resize("x", MAX_WIDTH, 4).width_of("x") == MAX_WIDTH
    assert state.reset_widths().widths == ()


def test_last_catalog_computes_once_per_catalog_and_again_for_a_new_one():
    from types import SimpleNamespace

    from negotrack.tui.memo import LastCatalog

    calls = []

    @LastCatalog
    def count(catalog):  # noqa: ANN001, ANN202
        calls.append(catalog)
        return len(catalog.rounds)

    first, second = SimpleNamespace(rounds=[1, 2]), SimpleNamespace(rounds=[1, 2])  # equal, not the same
    assert count(first) == 2 and count(first) == 2 and calls == [first]
    assert count(second) == 2 and calls == [first, second] and count.last() is second
