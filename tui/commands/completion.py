"""`negotrack completion bash|zsh|fish`: print a shell completion script.

Generated with shtab from the same argparse parsers the commands use, so a new command or
option is completed as soon as it exists. shtab writes a static script: pressing Tab runs no
Python (argcomplete would start negotrack on every Tab), and shtab itself is pure Python
with no dependencies, imported only here.
"""

from __future__ import annotations

import argparse
import importlib
import sys

SHELLS = ("bash", "zsh", "fish")
#: where each shell looks for a completion script (a suggestion printed with --help)
INSTALL = {
    "bash": "negotrack completion bash > ~/.local/share/bash-completion/completions/negotrack",
    "zsh": "negotrack completion zsh > ~/.zfunc/_negotrack   (with fpath+=~/.zfunc before compinit)",
    "fish": "negotrack completion fish > ~/.config/fish/completions/negotrack.fish",
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.epilog = "install:\n" + "\n".join(f"  {line}" for line in INSTALL.values())
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def full_parser(shtab) -> argparse.ArgumentParser:
    """Every command as a subparser, its positional arguments completed as file names."""
    from negotrack.tui.cli import COMMANDS, package_version

    from . import open_dashboard

    parser = argparse.ArgumentParser(prog="negotrack")
    parser.add_argument("--version", action="version", version=f"negotrack {package_version()}")
    open_dashboard.configure(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_, description=help_)
        importlib.import_module(f"negotrack.tui.commands.{module_name}").configure(sub)
        for action in sub._actions:
            if not action.option_strings and not action.choices:
                action.complete = shtab.FILE  # type: ignore[attr-defined]
            elif action.metavar in ("PATH", "OUT", "OLD_PATH"):
                action.complete = shtab.FILE  # type: ignore[attr-defined]
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        import shtab
    except ImportError:
        print("negotrack: shell completion needs shtab; install it with: pip install shtab", file=sys.stderr)
        return 2
    script = shtab.complete(full_parser(shtab), shell=args.shell)
    sys.stdout.write(script if script.endswith("\n") else script + "\n")
    return 0
