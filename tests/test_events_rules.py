"""Every rule of test_catalog_rules.py and test_format_1_1.py again, both builders reading every text.

Those modules run through `parse_catalog`, which reads a valid file from libyaml's
events (store/events.py) and anything else with the node-based reference builder. Here each of
its tests runs again with every text read by both: the answer given is the reference's, so each
rule's expected catalog and problems hold for the reference on valid files too, and the event
reader's catalog, whenever it gives one, must be the reference's (tests/test_events.py `both`).
"""

from __future__ import annotations

import pytest
from test_catalog_rules import *  # noqa: F403 - the same tests, collected again under the fixture below
from test_format_1_1 import *  # noqa: F403
from test_events import both


@pytest.fixture(autouse=True)
def _both_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    def read_valid(text: str, file: str, digests: bool = True):  # noqa: ANN202
        _, reference, _ = both(text, file)
        return reference  # None for a file with problems: the reference reports them

    monkeypatch.setattr("negotrack.store.catalog.read_valid", read_valid)
