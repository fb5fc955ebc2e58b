"""negotrack's data layer: the catalog, its analysis and its history. Never imports textual."""

from .model import Catalog, Demand, Party, Position, Report, Round, Source, Value
from .problems import Problem

__all__ = [
    "Catalog", "Demand", "Party", "Position", "Problem", "Report", "Round", "Source", "Value",
    "load_catalog", "parse_catalog",
]


def __getattr__(name: str):  # noqa: ANN202 - the reader, imported when first asked for
    """`load_catalog` and `parse_catalog` import the reader (PyYAML, the event reader) only when
    first used: the dashboard draws its first frame before it reads anything."""
    if name in ("load_catalog", "parse_catalog"):
        from . import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
