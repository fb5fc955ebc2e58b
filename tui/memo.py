"""A function of the catalog, computed once for the catalog the app shows."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Generic, TypeVar

from negotrack.store.model import Catalog

T = TypeVar("T")


class LastCatalog(Generic[T]):
    """`compute(catalog)`, remembered for the last catalog it was asked about (by identity: a
    reload makes a new Catalog, and comparing two by value would walk them both). The pair is
    replaced in one assignment, so the loading worker and the UI thread may both call it."""

    def __init__(self, compute: Callable[[Catalog], T]) -> None:
        functools.update_wrapper(self, compute)
        self._compute = compute
        self._last: tuple[Catalog | None, T | None] = (None, None)

    def __call__(self, catalog: Catalog) -> T:
        memo, value = self._last
        if memo is not catalog:
            value = self._compute(catalog)
            self._last = (catalog, value)
        return value  # type: ignore[return-value]

    def last(self) -> Catalog | None:
        """The catalog whose result is remembered."""
        return self._last[0]
