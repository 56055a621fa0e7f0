"""What every stack of the template catalog does alike, checked stack by stack.

The stacks come from the catalog (bundled templates and those a registered ecosystem
brings); each stack's expectations come from ``tests/ecosystems/<ecosystem>/stacks.py``.
What only one stack has is tested in its ecosystem's folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import copier
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import InvalidAnswerError
from scaffold.templates import check_answers, get_stack, load_template, stack_ids
from tests.ecosystems.contract import StackContract, contract_for
from tests.helpers import copier_refuses, files_under, refused_answers, tree_digest

STACKS = stack_ids()


def cases(field: str) -> list[object]:
    """One parameter set per entry of ``field`` of every stack's contract, led by the stack."""
    found: list[object] = []
    for stack in STACKS:
        for index, entry in enumerate(getattr(contract_for(stack), field)):
            found.append(pytest.param(stack, *entry, id=f"{stack}-{index}"))
    return found


@pytest.fixture(params=STACKS)
def contract(request: pytest.FixtureRequest) -> StackContract:
    return contract_for(request.param)


def test_every_stack_of_the_catalog_has_its_contract() -> None:
    assert {contract_for(stack).stack for stack in STACKS} == set(STACKS)
    assert len(STACKS) >= 6


def test_listed_with_its_metadata(runner: CliRunner, contract: StackContract) -> None:
    result = runner.invoke(app, ["new", "--list"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.split()[0] == contract.stack)
    assert contract.summary_part in line

    listed = json.loads(runner.invoke(app, ["new", "--list", "--json"]).output)
    stack = next(s for s in listed["stacks"] if s["id"] == contract.stack)
    assert (stack["language"], stack["framework"]) == (contract.language, contract.framework)


def test_dry_run_json_lists_the_files_and_writes_nothing(
    runner: CliRunner,
    tmp_path: Path,
    scratch_tmp: Path,
    contract: StackContract,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the next steps cd from the working folder
    target = tmp_path / contract.dry_run_name
    before = tree_digest(tmp_path)
    result = runner.invoke(app, ["new", contract.stack, str(target), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["stack"], payload["dry_run"], payload["target"]) == (
        contract.stack,
        True,
        str(target),
    )
    assert payload["answers"] == contract.dry_run_answers
    assert {f["path"] for f in payload["files"]} == contract.files(contract.dry_run_name)
    assert {f["action"] for f in payload["files"]} == {"create"}
    assert payload["next_steps"] == list(contract.next_steps)
    assert not target.exists()
    assert tree_digest(tmp_path) == before
    assert list(scratch_tmp.iterdir()) == []


def test_dry_run_text_shows_the_tree(
    runner: CliRunner, tmp_path: Path, contract: StackContract
) -> None:
    result = runner.invoke(app, ["new", contract.stack, str(tmp_path / "svc"), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    count = len(contract.files("svc"))
    assert lines[0].startswith(f"Dry run: would create {count} files in ")
    assert contract.tree_line in lines
    assert list(tmp_path.iterdir()) == []


BAD_NAMES = ["../x", "a/b", "{{x}}", "x; rm -rf /", ""]


@pytest.mark.parametrize("name", BAD_NAMES)
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_bad_project_names_are_one_line_usage_errors(
    tmp_path: Path, scratch_tmp: Path, contract: StackContract, name: str, dry_run: bool
) -> None:
    args = ["{dir}", "--data", f"project_name={name}"]
    line = refused_answers(contract.stack, tmp_path, args, dry_run=dry_run)
    assert line.startswith(f"scaffold: error: project_name={name!r}: ")
    assert list(scratch_tmp.iterdir()) == []


@pytest.mark.parametrize(("stack", "args", "message"), cases("bad_answers"))
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_bad_answers_are_one_line_usage_errors(
    tmp_path: Path, scratch_tmp: Path, stack: str, args: list[str], message: str, dry_run: bool
) -> None:
    line = refused_answers(stack, tmp_path, args, dry_run=dry_run)
    if contract_for(stack).messages_are_prefixes:
        assert line.startswith("scaffold: error: " + message), line
    else:
        assert message in line
    assert list(scratch_tmp.iterdir()) == []


@pytest.mark.parametrize(("stack", "key", "value"), cases("accepted"))
def test_validators_accept(stack: str, key: str, value: str) -> None:
    spec = load_template(get_stack(stack).template)
    typed = spec.questions[key].from_text(value)  # a json answer is given as its text
    assert check_answers(spec, {key: value}) == {key: typed}


@pytest.mark.parametrize(("stack", "key", "value", "message"), cases("refused"))
def test_validators_refuse(stack: str, key: str, value: str, message: str) -> None:
    """The error names the answer; where a message is given, the value and the message."""
    spec = load_template(get_stack(stack).template)
    typed = spec.questions[key].from_text(value)
    pattern = f"^{re.escape(f'{key}={typed!r}: ')}.*{re.escape(message)}" if message else f"^{key}="
    with pytest.raises(InvalidAnswerError, match=pattern):
        check_answers(spec, {key: value})


@pytest.mark.parametrize(("stack", "key", "value"), cases("copier_refused"))
def test_plain_copier_refuses_the_same_answers(
    tmp_path: Path, stack: str, key: str, value: str
) -> None:
    template = get_stack(stack).template
    copier_refuses(template, tmp_path / "out", key, value, contract_for(stack).marker)


def test_plain_copier_renders_the_template(tmp_path: Path, contract: StackContract) -> None:
    target = tmp_path / "svc"
    template = get_stack(contract.stack).template
    copier.run_copy(str(template), target, data={"project_name": "svc"}, defaults=True, quiet=True)
    assert files_under(target) == contract.files("svc")
    assert (target / contract.marker).is_file()


def test_layout_questions_are_recorded_but_never_asked(contract: StackContract) -> None:
    template = get_stack(contract.stack).template
    config = YAML(typ="safe", pure=True).load((template / "copier.yml").read_text())
    layout = load_template(template).metadata.get("layout")
    if not contract.default_layout:
        assert layout is None
        return
    assert layout is not None
    assert [folder["question"] for folder in layout["folders"]] == list(contract.default_layout)
    for key, default in contract.default_layout.items():
        assert config[key]["ask"] is False, key
        assert (config[key]["type"], config[key]["default"]) == ("str", default)
        assert config[key]["help"] and config[key]["validator"], key
