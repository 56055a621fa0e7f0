"""What `scaffold adopt` prints: the plan alone unless --diff asks for the diffs too, the same
plan for --check and --dry-run, and after --yes the plan with what was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import ExitCode
from tests.helpers import adopt, fastapi_service, tree_digest

SKIPPED = "skip: the code is not in the app/ package; its own layout is kept"


def plan_of(repo: Path) -> str:
    return (
        f"Adopting {repo}: 1 of 1 projects\n"
        "  .  (python-fastapi)\n"
        "\n"
        ".\n"
        "├── app/\n"
        "│   ├── api/\n"
        f"│   │   └── __init__.py  {SKIPPED}\n"
        "│   ├── models/\n"
        f"│   │   └── __init__.py  {SKIPPED}\n"
        "│   └── services/\n"
        f"│       └── __init__.py  {SKIPPED}\n"
        "├── .copier-answers.yml  create\n"
        "├── .editorconfig  create\n"
        "├── AGENTS.md  create\n"
        "└── pyproject.toml  merge: adds tool.ruff\n"
        "\n"
        "3 create, 1 merge, 3 skip\n"
    )


@pytest.fixture
def service(tmp_path: Path) -> Path:
    return fastapi_service(tmp_path / "svc")


@pytest.mark.parametrize("flag", ["--dry-run", "--check"])
def test_without_diff_the_plan_is_printed_alone(service: Path, flag: str) -> None:
    before = tree_digest(service)
    assert adopt(str(service), flag) == (ExitCode.CHANGES_PENDING, plan_of(service))
    assert tree_digest(service) == before


def test_diff_prints_the_diffs_after_the_plan(service: Path) -> None:
    code, output = adopt(str(service), "--dry-run", "--diff")
    assert code == ExitCode.CHANGES_PENDING
    plan, diffs = output[: len(plan_of(service))], output[len(plan_of(service)) :]
    assert plan == plan_of(service)
    assert diffs.startswith("\n--- /dev/null\n+++ b/.copier-answers.yml\n@@ -0,0 +1,18 @@\n")
    assert "--- a/pyproject.toml\n+++ b/pyproject.toml\n" in diffs


def test_yes_prints_the_plan_and_what_it_wrote(service: Path) -> None:
    assert adopt(str(service), "--yes") == (ExitCode.OK, plan_of(service) + "Wrote 4 files.\n")
    assert (service / ".editorconfig").is_file()
    assert adopt(str(service), "--check")[0] == ExitCode.OK
