"""`negotrack docs [TOPIC]`: print an installed documentation page (no network, no browser)."""

from __future__ import annotations

import argparse
import sys

from negotrack.store.shipped import doc_topics
from negotrack.store.text import clean


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", nargs="?", metavar="TOPIC", help="the page to print, e.g. format; without it, list the pages")


def run(args: argparse.Namespace) -> int:
    topics = doc_topics()
    if args.topic is None:
        for name, page in topics.items():
            title = page.read_text(encoding="utf-8").partition("\n")[0].lstrip("# ")
            print(f"{name:<10} {title}")
        return 0
    page = topics.get(args.topic)
    if page is None:
        known = ", ".join(topics) or "none are installed"
        print(f"negotrack: no page {clean(args.topic)!r}; the pages are: {known}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(page.read_bytes())
    sys.stdout.buffer.flush()
    return 0
