"""Every problem in the catalog, file:line:col, until the file is fixed."""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from negotrack.store.problems import Problem
from negotrack.store.text import clean


class ErrorScreen(Screen[None]):
    """Shown instead of the dashboard while the catalog has errors (or on `E`)."""

    BINDINGS = [
        Binding("e", "app.edit", "Edit the file"),
        Binding("escape", "close", "Back", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, path: str, problems: list[Problem], dismissable: bool = False) -> None:
        super().__init__()
        self.path = path
        self.problems = problems
        self.dismissable = dismissable

    def compose(self) -> ComposeResult:
        yield Static(id="errors-title")
        with VerticalScroll(id="errors-list"):
            yield Static(id="errors-body")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.path, self.problems)

    def show(self, path: str, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        title = Text(f"{count} error{'s' if count != 1 else ''} in ", style="bold")
        title.append(clean(os.path.basename(path)), style="bold underline")
        hint = "The dashboard opens as soon as the file is saved without errors." if not self.dismissable else "Esc goes back to the last good version."
        title.append(f"\n{hint} Fix each line below (e opens your editor at the first).", style="italic")
        self.query_one("#errors-title", Static).update(title)
        body = Text()
        for problem in problems:
            body.append(f"{problem.line}:{problem.column}", style="bold")
            body.append("  ")
            body.append(clean(problem.message))
            body.append("\n")
        self.query_one("#errors-body", Static).update(body)

    def action_close(self) -> None:
        if self.dismissable:
            self.dismiss()
