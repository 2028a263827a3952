"""The core never imports the UI or the CLI; spaCy loads only where a pipeline is built.

(click itself may load in the core: sqlite-utils imports it. import-linter forbids our own direct imports.)
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import ppss_qual

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(ppss_qual.__path__, "ppss_qual.")
    if not m.name.startswith(("ppss_qual.tui", "ppss_qual.cli", "ppss_qual.__main__"))
)


@pytest.mark.parametrize("module", CORE)
def test_core_module_loads_no_ui(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in ('textual', 'ppss_qual.tui', 'ppss_qual.cli') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"


def test_the_cli_starts_without_spacy_or_the_lemma_table() -> None:
    code = (
        "import sys\nfrom ppss_qual.cli import cli\n"
        "print([m for m in ('spacy', 'textual', 'docx', 'matplotlib', 'networkx') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run(
        [str(lint_imports)], capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert out.returncode == 0, out.stdout + out.stderr
