"""`negotrack docs [TOPIC]`: print an installed documentation page (no network, no browser)."""

from __future__ import annotations

import argparse
import sys

from negotrack.store.shipped import doc_topics


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", nargs="?", metavar="TOPIC", choices=list(doc_topics()),
                        help="the page to print: %(choices)s; without it, list the pages")


def run(args: argparse.Namespace) -> int:
    topics = doc_topics()
    if args.topic is None:
        for name, page in topics.items():
            title = page.read_text(encoding="utf-8").partition("\n")[0].lstrip("# ")
            print(f"{name:<10} {title}")
        return 0
    sys.stdout.buffer.write(topics[args.topic].read_bytes())
    sys.stdout.buffer.flush()
    return 0
