"""The `negotrack` command line.

`negotrack [FILE]` opens the dashboard; `negotrack COMMAND ...` runs a subcommand. Textual is
imported only when the dashboard opens, so the other commands start fast. No traceback ever
reaches the user: unexpected failures are reported in one line with exit status 2.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from importlib.metadata import PackageNotFoundError, version

from negotrack.store.text import clean

#: subcommand -> (module under negotrack.tui.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "check catalog files and print every problem"),
    "init": ("init", "write a small, commented starter catalog"),
    "record": ("record", "remember the catalog's current version in its history"),
    "history": ("history", "list the recorded versions of a catalog"),
    "export": ("export", "write a report of the whole record: md, csv, json or html"),
    "diff": ("diff", "show what changed in meaning between two catalog files"),
    "schema": ("schema", "print the JSON Schema of the catalog format, for editors"),
    "draft": ("draft", "propose positions from a report (.txt, .html, .eml) as YAML to review"),
    "docs": ("docs", "print a documentation page: the catalog format, exports, history, git"),
    "textconv": ("textconv", "print a catalog's meaning one fact per line, for git diff and git log -p"),
    "completion": ("completion", "print a completion script for bash, zsh or fish"),
}

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def package_version() -> str:
    try:
        return version("negotrack")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


class _Parser(argparse.ArgumentParser):
    """argparse exits with status 2 on usage errors already; keep its one-line messages."""


def _dashboard_parser() -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items())
    parser = _Parser(
        prog="negotrack",
        description="Track who demands what in a negotiation, round by round.",
        epilog=f"commands (negotrack COMMAND --help for each):\n{commands}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", help="the catalog to open (default: ./positions.yaml)")
    parser.add_argument("--version", action="version", version=f"negotrack {package_version()}")
    from .commands import open_dashboard

    open_dashboard.configure(parser)
    return parser


def _misspelt_command(args: list[str]) -> str | None:
    """The command `args[0]` was probably meant to be (`valdiate` -> `validate`), else None.

    Only for a first word that is no existing path, so `negotrack talks.yaml` still opens it.
    """
    if not args or args[0].startswith("-") or os.path.exists(args[0]):
        return None
    close = difflib.get_close_matches(args[0], list(COMMANDS), n=1, cutoff=0.6)
    return close[0] if close else None


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    try:
        if args_list and args_list[0] in COMMANDS:
            name = args_list[0]
            module_name, help_ = COMMANDS[name]
            module = importlib.import_module(f"negotrack.tui.commands.{module_name}")
            parser = _Parser(prog=f"negotrack {name}", description=help_)
            module.configure(parser)
            args = parser.parse_args(args_list[1:])
            return module.run(args)
        meant = _misspelt_command(args_list)
        if meant is not None:
            suggestion = clean(" ".join(["negotrack", meant, *args_list[1:]]))
            print(f"negotrack: {clean(args_list[0])} is not a command or a file; did you mean: {suggestion}", file=sys.stderr)
            return EXIT_USAGE
        from .commands import open_dashboard

        args = _dashboard_parser().parse_args(args_list)
        return open_dashboard.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `negotrack export ... | head`: the reader left; say nothing more.
        sys.stderr.close()
        return EXIT_OK
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        print(f"negotrack: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("negotrack: please report this with the command you ran", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
