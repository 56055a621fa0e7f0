"""The built wheel carries the templates: `scaffold new` works from a fresh install (slow tier)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from uv import find_uv_bin

from scaffold import __version__
from scaffold.commands.new import new_project
from tests.helpers import REPO_ROOT, run, tree_digest

pytestmark = pytest.mark.slow

UV = find_uv_bin()


def without_template_source(answers_file: Path) -> list[str]:
    return [
        line
        for line in answers_file.read_text().splitlines()
        if not line.startswith(("_src_path:", "_commit:"))
    ]


def test_installed_wheel_generates_the_same_tree_as_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run([UV, "build", "--wheel", "--out-dir", dist, REPO_ROOT], cwd=tmp_path)
    wheels = list(dist.glob("scaffold_conventions-*.whl"))
    assert len(wheels) == 1

    venv = tmp_path / "venv"
    run([UV, "venv", "--quiet", "--python", sys.executable, venv], cwd=tmp_path)
    run(
        [UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheels[0]],
        cwd=tmp_path,
    )

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run(
        [
            venv / "bin" / "scaffold",
            "new",
            "python-fastapi",
            "my-service",
            "--defaults",
            "--no-git",
        ],
        cwd=outside,
    )
    from_wheel = outside / "my-service"

    from_checkout = tmp_path / "checkout" / "my-service"
    new_project("python-fastapi", from_checkout)

    wheel_tree, checkout_tree = tree_digest(from_wheel), tree_digest(from_checkout)
    answers = ".copier-answers.yml"
    assert wheel_tree.keys() == checkout_tree.keys()
    assert {k: v for k, v in wheel_tree.items() if k != answers} == {
        k: v for k, v in checkout_tree.items() if k != answers
    }
    assert without_template_source(from_wheel / answers) == without_template_source(
        from_checkout / answers
    )
    # The installed scaffold records a home-relative, versioned source copier can update from.
    recorded = (from_wheel / answers).read_text().splitlines()
    assert f"_commit: v{__version__}" in recorded
    assert "_src_path: ~/.local/share/scaffold/templates/python-fastapi" in recorded
    history = Path.home() / ".local/share/scaffold/templates/python-fastapi"
    assert run(["git", "tag"], cwd=history).stdout.split() == [f"v{__version__}"]

    listed = run([venv / "bin" / "scaffold", "new", "--list"], cwd=outside).stdout
    assert "python-fastapi" in listed
