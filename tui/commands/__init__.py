"""One module per `negotrack` subcommand, each with `configure(parser)` and `run(args) -> int`.

They are imported only when their command runs, so `negotrack validate` never loads textual.
"""
