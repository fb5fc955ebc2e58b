"""The catalog schema as a real editor reads it: yaml-language-server, run with node.

Skipped unless node can load yaml-language-server (e.g. `npm install yaml-language-server
vscode-languageserver-textdocument` and NODE_PATH naming that node_modules folder): CI has
neither, and the jsonschema tests in test_schema.py check the same document statically.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from negotrack.store.shipped import schema_path

PROBE = Path(__file__).parent / "editor" / "yls_probe.js"


def _server_available() -> bool:
    if shutil.which("node") is None:
        return False
    check = subprocess.run(["node", "-e", "require.resolve('yaml-language-server')"], capture_output=True, timeout=30)
    return check.returncode == 0


pytestmark = pytest.mark.skipif(not _server_available(), reason="node cannot load yaml-language-server")

HEAD = "title: T\nrounds: []\nparties:\n  a:\n    name: A\ndemands:\n  d:\n    title: D\n"


def ask(requests: list[tuple[str, str, str]]) -> dict:
    """Each request (kind, name, catalog body after the demand's title), with the modeline
    `negotrack init` writes; completion is asked on a new line of the demand."""
    modeline = f"# yaml-language-server: $schema={schema_path().as_uri()}\n"
    jobs = []
    for kind, name, body in requests:
        text = modeline + HEAD + body + ("    " if kind == "complete" else "")
        jobs.append([kind, name, text, text.count("\n"), 4])
    result = subprocess.run(["node", str(PROBE), json.dumps(jobs)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_completion_offers_scale_or_unit_never_both() -> None:
    answers = ask([
        ("complete", "neither", ""),
        ("complete", "scale", "    scale: [x, y]\n"),
        ("complete", "unit", "    unit: km\n"),
    ])
    assert {"scale", "unit"} <= set(answers["neither"])
    assert "unit" not in answers["scale"] and "note" in answers["scale"]
    assert "scale" not in answers["unit"] and "note" in answers["unit"]


def test_the_installed_schema_gives_diagnostics_through_the_init_modeline() -> None:
    answers = ask([
        ("validate", "both", "    scale: [x, y]\n    unit: km\n"),
        ("validate", "typo", "    titel: D\n"),
        ("validate", "ok", "    scale: [x, y]\n"),
    ])
    assert answers["ok"] == []
    assert any("titel" in message for _, message in answers["typo"])
    assert any("not both" in message for _, message in answers["both"])
