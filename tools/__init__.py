"""Tools for developers, run from a clone: `python -m tools.fuzz` (hostile inputs through every
command and the dashboard) and `python -m tools.crash` (kill -9 during `negotrack record`)."""
