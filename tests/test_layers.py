"""The layer rules (`make lint` runs `lint-imports` on the contracts in pyproject.toml): the tree keeps them, and
one forbidden import — at the top of a module or inside a function — breaks the lint, naming the contract. Each
case copies the package, adds the import and runs lint-imports on the copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract["name"] for contract in CONFIG["contracts"]}


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS.exists(), "lint-imports is missing: install the test extra (pip install -e '.[test]')"
    # lint-imports puts its working folder first on sys.path: the tree in `root` is the one analysed.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1", "COLUMNS": "200"},
    )  # fmt: skip


def test_make_lint_runs_the_layer_contracts() -> None:
    lint = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "lint-imports" in lint


def test_the_tree_keeps_every_layer_contract() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in CONTRACTS.values():
        assert f"{name} KEPT" in done.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


# (module, what is added to it, the contract it breaks)
VIOLATIONS = [
    ("companion/ui/pages/dashboard.py", "import companion.store.db", "ui-through-services"),
    ("companion/ui/dialogs/import_gifts.py", "from companion.integrations import events", "ui-through-services"),
    ("companion/ui/pages/methods.py", "from companion.credentials.health import keyring_health", "ui-through-services"),
    ("companion/domain/money.py", "import PySide6", "domain-pure"),
    ("companion/domain/economics.py", "import sqlalchemy", "domain-pure"),
    ("companion/domain/money.py", "from companion.store import tables", "domain-pure"),
    ("companion/services/reports.py", "from PySide6.QtGui import QPdfWriter", "core-no-qt"),
    ("companion/store/insights.py", "import PySide6.QtCore", "core-no-qt"),
    ("companion/services/exports.py", "from companion.render import numbers", "core-no-qt"),
    ("companion/commands/summary.py", "def _late() -> None:\n    from companion.ui import format", "cli-no-ui"),
    ("companion/integrations/qif.py", "import companion.store.tables", "integrations-no-store"),
    ("companion/render/numbers.py", "def _late() -> None:\n    import companion.ui.format", "render-no-ui"),
    ("companion/render/statement_pdf.py", "from companion.store.db import Database", "ui-through-services"),
    ("companion/ui/tasks.py", "import companion.app", "app-is-the-root"),
]


@pytest.mark.parametrize(("module", "added", "contract"), VIOLATIONS, ids=[f"{v[2]}:{v[0]}" for v in VIOLATIONS])
def test_a_forbidden_import_fails_the_lint(tmp_path: Path, module: str, added: str, contract: str) -> None:
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "companion", tmp_path / "companion", ignore=shutil.ignore_patterns("__pycache__"))
    broken = tmp_path / module
    broken.write_text(broken.read_text(encoding="utf-8") + f"\n\n{added}  # a deliberate violation\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode != 0, done.stdout
    assert f"{CONTRACTS[contract]} BROKEN" in done.stdout
    dotted = module.removesuffix(".py").replace("/", ".")
    assert dotted in done.stdout.split("Broken contracts", 1)[1]  # the report names the offending module
