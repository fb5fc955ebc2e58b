"""Every problem in the catalog, file:line:col, until the file is fixed."""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from negotrack.store.problems import Problem
from negotrack.store.text import clean

from .backdrop import Modal
from .reading import ReadingScroll


class ErrorScreen(Modal[None]):
    """Shown instead of the dashboard while the catalog has errors (or on `E`).

    Modal, so that the dashboard's keys (rounds, timeline, compare, ...) are neither offered in
    its footer nor run behind it; only its own keys and the reading keys work here. (The App's
    priority keys, Home and End, still reach the App: it refuses them while this is shown.)
    """

    AUTO_FOCUS = "#errors-list"
    BINDINGS = [
        Binding("e", "app.edit", "Edit the file"),
        Binding("escape", "close", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    ErrorScreen { background: $background; }
    """

    def __init__(self, path: str, problems: list[Problem], dismissable: bool = False) -> None:
        super().__init__()
        self.path = path
        self.problems = problems
        self.dismissable = dismissable

    def compose(self) -> ComposeResult:
        yield Static(id="errors-title")
        with ReadingScroll(id="errors-list"):
            yield Static(id="errors-body")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.path, self.problems)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "Back" is offered only where there is a dashboard to go back to
        if action == "close":
            return self.dismissable
        return True

    def show(self, path: str, problems: list[Problem]) -> None:
        self.problems = problems
        if not self.query("#errors-body"):
            return  # not composed yet, or already being taken down (a quit as it appears): on_mount shows them
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        name = clean(os.path.basename(path))
        counts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
        title = Text(f"{' and '.join(counts) or '0 errors'} in ", style="bold")
        title.append(name, style="bold underline")
        hint = "The dashboard opens as soon as the file is saved without errors." if not self.dismissable else "Esc goes back to the last good version."
        title.append(f"\n{hint} Fix each line below (e opens your editor at the first).", style="italic")
        self.query_one("#errors-title", Static).update(title)
        body = Text()
        for problem in problems:
            body.append(f"{name}:{problem.line}:{problem.column}", style="bold")
            if problem.severity != "error":
                body.append(f"  {problem.severity}:", style="italic")
            body.append("  ")
            body.append(clean(problem.message))
            body.append("\n")
        self.query_one("#errors-body", Static).update(body)

    def action_close(self) -> None:
        if self.dismissable:
            self.dismiss()
