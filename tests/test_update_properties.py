"""Whatever an answers file says, ``update --check`` and ``update --dry-run`` write nothing,
run nothing but git with arguments of scaffold's own, and end with a one-line message."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scaffold.cli import app
from tests.helpers import git, tree_digest
from tests.test_update import generate

_processes: list[list[str]] = []
_recording = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _recording:
        return
    if event == "subprocess.Popen":
        executable, argv = args[0], args[1]
        words = [str(argv)] if isinstance(argv, str | bytes) else [str(a) for a in argv]
        _processes.append([str(executable or words[0]), *words[1:]])
    elif event in ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile"):
        _processes.append([f"<{event}>", *map(str, args)])


sys.addaudithook(_audit)

MARKER = "scaffold-property-marker"
HOSTILE = [
    f"--upload-pack=touch {MARKER};",
    f"--config=core.sshCommand=touch {MARKER}",
    "-u",
    "--",
    f"ext::sh -c touch% {MARKER}",
    "fd::3,4",
    "file:///etc",
    "/etc",
    "~",
    "",
    " ",
    "../../template",
    "v1.0.0\n--upload-pack=x",
    "x" * 5000,
]
texts = st.text(st.characters(codec="utf-8"), max_size=40)
values = st.one_of(st.sampled_from(HOSTILE), texts, st.integers(), st.none(), st.lists(texts))
versions = st.one_of(
    st.sampled_from(["v1.0.0", "v2.0.0", "1.0.0", "HEAD", "@{-1}", "v1.0.0..v2.0.0", *HOSTILE]),
    values,
)


@st.composite
def answers_files(draw: st.DrawFn) -> tuple[str, list[str]]:
    """The text of an answers file, and the hostile values it holds."""
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.one_of(texts, st.sampled_from(["[", "- a\n- b\n", "a: &x [*x]", "~"])))
        return text, []
    answers: dict[str, Any] = {"project_name": draw(values), "greeting": "hello"}
    answers["_src_path"] = draw(st.one_of(st.just("{template}"), values))
    answers["_commit"] = draw(versions)
    answers.update(draw(st.dictionaries(texts, values, max_size=3)))
    listed = [v for v in (answers["_src_path"], answers["_commit"]) if isinstance(v, str)]
    return yaml.safe_dump(answers), listed


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from tests.test_update import TINY

    base = tmp_path_factory.mktemp("update-properties")
    template = base / "template"
    shutil.copytree(TINY, template)
    config = template / "template" / "config.toml.jinja"
    for step in ("v1.0.0", "v2.0.0"):
        if step == "v2.0.0":
            config.write_text(config.read_text().replace("100", "120"))
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", step], ["tag", step]):
            git(template, *args)
    project = generate(template, base / "project")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "generated"]):
        git(project, *args)
    return template, project


_runs = itertools.count()


@settings(
    max_examples=int(os.environ.get("SCAFFOLD_PROPERTY_EXAMPLES", "40")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=answers_files(), allow_named=st.booleans())
def test_check_and_dry_run_never_write_or_run_what_a_file_says(
    pristine: tuple[Path, Path], tmp_path: Path, answers: tuple[str, list[str]], allow_named: bool
) -> None:
    global _recording
    template, source = pristine
    text, hostile = answers
    text = text.replace("{template}", str(template))
    project = tmp_path / f"project-{next(_runs)}"
    shutil.copytree(source, project, symlinks=True)
    (project / ".copier-answers.yml").write_text(text, encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", "answers"], cwd=project, capture_output=True)
    before = tree_digest(project)
    allowed = ["--allow-source", str(template)]
    if allow_named and hostile:
        allowed += ["--allow-source", hostile[0].replace("{template}", str(template))]

    for mode in ("--check", "--dry-run"):
        _processes.clear()
        _recording = True
        try:
            result = CliRunner().invoke(app, ["update", str(project), mode, *allowed])
        finally:
            _recording = False
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1, 2, 3), result.output
        if result.exit_code in (1, 2):
            assert result.output.startswith("scaffold: error: ")
            assert result.output.count("\n") == 1, result.output
        assert "Traceback" not in result.output
        for argv in _processes:
            assert Path(argv[0]).name == "git", argv
            for value in hostile:
                if value.startswith("-") or "::" in value:
                    assert not any(value.strip() and arg.startswith(value) for arg in argv), argv
    assert tree_digest(project) == before
    assert not list(tmp_path.rglob(MARKER)) and not Path(MARKER).exists()
