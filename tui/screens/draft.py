"""Draft from an article: the proposals of `negotrack draft`, reviewed one by one.

The screen asks for a report (.txt, .html or .eml), reads it in a worker and shows each
proposal with its YAML, its quote and why it was proposed. Accepting one copies its YAML to
the clipboard (OSC 52, `App.copy_to_clipboard`) and appends it to a file beside the catalog
(`positions.drafts.yaml` for `positions.yaml`), never to the catalog itself: the catalog is
still only edited by the user. The screen needs nothing from the app but the catalog, so it
can be pushed on any App (see tests/test_draft_screen.py).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from negotrack.store.article import Article, ArticleError, read_article
from negotrack.store.draft import Draft, Drafter, Proposal
from negotrack.store.model import Catalog
from negotrack.store.text import clean, one_line

from ..commands.draft import Renderer, comment
from .backdrop import Modal


def drafts_path(catalog_path: str) -> str:
    """The file beside the catalog that accepted proposals are appended to."""
    root, _ = os.path.splitext(catalog_path)
    return f"{root}.drafts.yaml"


def proposal_yaml(renderer: Renderer, proposal: Proposal) -> str:
    """One proposal as YAML to paste under a round's `positions:` (party key included)."""
    lines = [f"{proposal.party}:", *renderer.position(proposal, 2, 2)]
    return "\n".join(lines) + "\n"


class DraftScreen(Modal[None]):
    """Ask for a report, then review what `draft` proposes, one proposal at a time."""

    AUTO_FOCUS = "#draft-path"
    DEFAULT_CSS = """
    DraftScreen { align: center middle; }
    #draft-box { width: 96%; height: 92%; border: round $accent; background: $surface; padding: 0 1; }
    #draft-head { height: auto; }
    #draft-path { margin: 0 0 1 0; }
    #draft-body { height: 1fr; }
    #draft-status { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("right,n", "move(1)", "Next"),
        Binding("left,p", "move(-1)", "Previous"),
        Binding("l", "move(1)", "Next", show=False),
        Binding("h", "move(-1)", "Previous", show=False),
        Binding("a", "accept", "Accept: copy the YAML and keep it in the drafts file"),
    ]

    @dataclass
    class Accepted(Message):
        """A proposal was accepted: its YAML was copied and appended to `path`."""

        proposal: Proposal
        yaml: str
        path: str

    def __init__(self, catalog: Catalog, article: str | None = None, drafts: str | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        self.article_path = article
        self.drafts = drafts or drafts_path(catalog.path)
        self.article: Article | None = None
        self.draft: Draft | None = None
        self.index = 0
        self.accepted: set[int] = set()
        self.renderer = Renderer(catalog, None)

    def compose(self) -> ComposeResult:
        with Vertical(id="draft-box"):
            yield Static(Text("Draft from an article", style="bold")
                         + Text("   ← → move · a accepts · Esc closes", style="dim"), id="draft-head")
            yield Input(value=self.article_path or "", placeholder="path of the report: .txt, .html or .eml",
                        id="draft-path")
            with VerticalScroll(id="draft-body"):
                yield Static(id="draft-proposal")
            yield Static(id="draft-status")

    def on_mount(self) -> None:
        if self.article_path:
            self.load(self.article_path)
        else:
            self._status("Type the path of a report and press Enter.")

    # -- reading -------------------------------------------------------------------------

    @on(Input.Submitted, "#draft-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = os.path.expanduser(event.value.strip())
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        self.article_path = path
        self._status(f"Reading {one_line(path, 80)}…")
        self._read(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft-read")
    def _read(self, path: str) -> None:
        try:
            article = read_article(path)
        except ArticleError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        result = Drafter(self.catalog).draft(article.text)
        self.app.call_from_thread(self._show_draft, article, result)

    def _failed(self, message: str) -> None:
        self._status(message, error=True)
        self.notify(one_line(message, 200), severity="error", markup=False)

    def _show_draft(self, article: Article, result: Draft) -> None:
        self.article, self.draft, self.index = article, result, 0
        self.accepted.clear()
        source = next((s.id for s in self.catalog.sources if getattr(s, "archive", None)
                       and _same_file(os.path.join(os.path.dirname(os.path.abspath(self.catalog.path)), s.archive), article.path)), None)
        self.renderer = Renderer(self.catalog, source)
        if not result.proposals:
            self.query_one("#draft-proposal", Static).update(
                Text("No sentence of this report bears on a demand of the catalog for a party it names."))
            self._status(f"{article.word_count:,} words, {result.sentence_count} sentences: nothing to propose.")
            return
        self.query_one("#draft-body").focus()
        self._show_current()

    # -- reviewing -----------------------------------------------------------------------

    @property
    def current(self) -> Proposal | None:
        if self.draft is None or not self.draft.proposals:
            return None
        return self.draft.proposals[self.index]

    def action_move(self, step: int) -> None:
        if self.draft is None or not self.draft.proposals or isinstance(self.focused, Input):
            return
        self.index = max(0, min(len(self.draft.proposals) - 1, self.index + step))
        self._show_current()

    def action_accept(self) -> None:
        proposal = self.current
        if proposal is None or isinstance(self.focused, Input):
            return
        text = proposal_yaml(self.renderer, proposal)
        self.app.copy_to_clipboard(text)
        if self.index in self.accepted:  # copied again, but kept only once
            self.notify("Copied again; already kept in the drafts file", markup=False)
            return
        self._append(proposal, text, self.index)

    @work(thread=True, exclusive=False, exit_on_error=False, group="draft-write")
    def _append(self, proposal: Proposal, text: str, index: int) -> None:
        try:
            if os.path.exists(self.drafts) and _same_file(self.drafts, self.catalog.path):
                raise OSError("the drafts file is the catalog itself; refusing to write to it")
            stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            header = f"# accepted {stamp} from {comment(self.article_path or '?')}, line {proposal.line}\n"
            with open(self.drafts, "a", encoding="utf-8") as fh:
                fh.write(header + text + "\n")
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.app.call_from_thread(self._failed, f"copied, but not kept in {self.drafts}: {reason}")
            return
        self.app.call_from_thread(self._accepted, proposal, text, index)

    def _accepted(self, proposal: Proposal, text: str, index: int) -> None:
        self.accepted.add(index)
        self.post_message(self.Accepted(proposal, text, self.drafts))
        self.notify(f"Copied; kept in {one_line(os.path.basename(self.drafts), 60)}", markup=False)
        if index == self.index:
            self._show_current()

    # -- showing -------------------------------------------------------------------------

    def _show_current(self) -> None:
        proposal = self.current
        if proposal is None or self.draft is None:
            return
        total = len(self.draft.proposals)
        party = next((p.name for p in self.catalog.parties if p.id == proposal.party), proposal.party)
        demand = next((d.title for d in self.catalog.demands if d.id == proposal.demand), proposal.demand)
        text = Text()
        text.append(f"{self.index + 1} / {total}", style="bold")
        text.append("  ")
        text.append(one_line(party), style="bold")
        text.append(" on ")
        text.append(one_line(demand), style="bold")
        text.append(f"  · confidence {proposal.confidence:.2f} ({proposal.level})", style="dim")
        if self.index in self.accepted:
            text.append("  ✓ accepted", style="green")
        text.append(f"\n\nArticle line {proposal.line}:\n", style="dim")
        text.append(clean(proposal.quote), style="italic")
        text.append("\n\n")
        text.append(clean(proposal_yaml(self.renderer, proposal)))
        others = self.draft.alternatives.get(proposal.key, ())
        if others:
            text.append("\nAlso in the article: ", style="dim")
            text.append(one_line(", ".join(f"line {o.line} ({o.shown()})" for o in others[:6])), style="dim")
        self.query_one("#draft-proposal", Static).update(text)
        self._status(f"{len(self.accepted)} accepted · accepted YAML goes to the clipboard and to "
                     f"{one_line(self.drafts, 80)} (the catalog is never written)")

    def _status(self, message: str, error: bool = False) -> None:
        self.query_one("#draft-status", Static).update(Text(one_line(message), style="red" if error else ""))


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
