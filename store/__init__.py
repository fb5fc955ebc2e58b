"""negotrack's data layer: the catalog, its analysis and its history. Never imports textual."""

from .catalog import load_catalog, parse_catalog
from .model import Catalog, Demand, Party, Position, Report, Round, Source, Value
from .problems import Problem

__all__ = [
    "Catalog", "Demand", "Party", "Position", "Problem", "Report", "Round", "Source", "Value",
    "load_catalog", "parse_catalog",
]
