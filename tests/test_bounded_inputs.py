"""Every parser has a size bound and YAML aliases are bounded: hostile inputs end in one line.

The commands run in a real process with its address space capped, so an input that slipped
past a bound fails the test (memory error, traceback, time-out) instead of the machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from scaffold.conventions import MAX_AGENT_BYTES, load_conventions
from scaffold.errors import ExitCode, TemplateError
from scaffold.templates import load_template
from scaffold.untrusted import (
    MAX_ALIAS_NODES,
    MAX_YAML_CHARACTERS,
    UntrustedInputError,
    load_yaml,
    read_limited,
)
from tests.helpers import committed_repo

SCAFFOLD = "import sys; from scaffold.cli import main; sys.argv[0] = 'scaffold'; main()"
#: Far above what any of these inputs needs once bounded; far below what a bomb takes.
MEMORY_CAP = 1 << 30
#: Generous for a shared machine; the real figures are a fraction of a second.
FAST = 5.0

AGENT_BODY = "# Backend engineer\n\n## Conventions\n\n- **Go**: `cmd/`, `internal/`\n"


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A "billion laughs": each level lists the one before ``width`` times (9**9 leaves)."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def bomb_agent(tmp_path: Path) -> Path:
    agent = tmp_path / "bomb.md"
    agent.write_text(f"---\n{alias_bomb()}---\n{AGENT_BODY}")
    return agent


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def scaffold(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], float]:
    """``scaffold ARGS`` in a capped process, and the seconds it took."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", SCAFFOLD, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        preexec_fn=_cap_memory,
        check=False,
    )
    return proc, time.monotonic() - start


def test_the_bomb_is_small_and_expands_to_hundreds_of_millions_of_nodes() -> None:
    bomb = alias_bomb()
    assert 450 < len(bomb.encode()) < 520
    assert bomb.count("*") == 8 * 9  # few aliases: counting them alone would let it through
    assert sum(9**level for level in range(1, 10)) > 387_000_000


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_alias_bomb_agent_definition_fails_fast_in_one_line(tmp_path: Path, how: str) -> None:
    agent = bomb_agent(tmp_path)
    if how == "option":
        proc, seconds = scaffold("conventions", "--agent", str(agent))
    else:
        proc, seconds = scaffold("conventions", env={"SCAFFOLD_AGENT": str(agent)})
    assert proc.returncode == ExitCode.ERROR
    assert proc.stderr == (
        f"scaffold: error: {agent}:2: the front matter has YAML aliases that expand to more "
        f"than {MAX_ALIAS_NODES:,} extra nodes\n"
    )
    assert proc.stdout == ""
    assert seconds < FAST


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_64_mib_front_matter_is_refused_by_size(tmp_path: Path, how: str) -> None:
    agent = tmp_path / "huge.md"
    with agent.open("w") as handle:
        handle.write("---\n")
        line = "key_" + "x" * 58 + ": value\n"
        handle.write(line * (64 * 1024 * 1024 // len(line)))
        handle.write(f"---\n{AGENT_BODY}")
    if how == "option":
        proc, seconds = scaffold("conventions", "--agent", str(agent))
    else:
        proc, seconds = scaffold("conventions", env={"SCAFFOLD_AGENT": str(agent)})
    assert proc.returncode == ExitCode.ERROR
    assert proc.stderr == f"scaffold: error: agent definition {agent} is larger than 1 MiB\n"
    assert seconds < FAST


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_endless_device_as_agent_definition_is_refused(how: str) -> None:
    if how == "option":
        proc, seconds = scaffold("conventions", "--agent", "/dev/zero")
    else:
        proc, seconds = scaffold("conventions", env={"SCAFFOLD_AGENT": "/dev/zero"})
    assert proc.returncode == ExitCode.ERROR
    assert proc.stderr == (
        "scaffold: error: agent definition /dev/zero is a device, not a regular file\n"
    )
    assert seconds < FAST


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_named_pipe_as_agent_definition_is_refused_without_waiting(
    tmp_path: Path, how: str
) -> None:
    pipe = tmp_path / "agent.md"
    os.mkfifo(pipe)
    if how == "option":
        proc, seconds = scaffold("conventions", "--agent", str(pipe), timeout=30)
    else:
        proc, seconds = scaffold("conventions", env={"SCAFFOLD_AGENT": str(pipe)}, timeout=30)
    assert proc.returncode == ExitCode.ERROR
    assert proc.stderr == (
        f"scaffold: error: agent definition {pipe} is a named pipe, not a regular file\n"
    )
    assert seconds < FAST


def test_an_agent_definition_of_exactly_the_limit_is_read_and_one_byte_more_is_not(
    tmp_path: Path,
) -> None:
    agent = tmp_path / "agent.md"
    text = f"---\nname: padded\n---\n{AGENT_BODY}\n"
    agent.write_text(text + "x" * (MAX_AGENT_BYTES - len(text)))
    assert agent.stat().st_size == MAX_AGENT_BYTES
    assert load_conventions(agent).name == "padded"
    with agent.open("a") as handle:
        handle.write("x")
    proc, _ = scaffold("conventions", "--agent", str(agent))
    assert proc.stderr == f"scaffold: error: agent definition {agent} is larger than 1 MiB\n"


def test_install_agent_refuses_an_agent_definition_replaced_by_a_device(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(AGENT_BODY)
    conventions = load_conventions(agent)
    agent.unlink()
    agent.symlink_to("/dev/zero")
    from scaffold.conventions import agent_file
    from scaffold.errors import ConventionsError

    with pytest.raises(ConventionsError) as raised:
        agent_file(conventions)
    assert str(raised.value) == f"agent definition {agent} is a device, not a regular file"


def test_a_bomb_in_the_answers_file_makes_update_fail_in_one_line(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {".copier-answers.yml": alias_bomb()})
    proc, seconds = scaffold("update", str(repo), "--dry-run")
    assert proc.returncode == ExitCode.ERROR
    assert proc.stderr == (
        "scaffold: error: .copier-answers.yml has YAML aliases that expand "
        f"to more than {MAX_ALIAS_NODES:,} extra nodes\n"
    )
    assert seconds < FAST


def test_a_bomb_in_a_templates_copier_yml_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "copier.yml").write_text(alias_bomb())
    with pytest.raises(TemplateError) as raised:
        load_template(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'copier.yml'} has YAML aliases that expand to more than "
        f"{MAX_ALIAS_NODES:,} extra nodes; not read"
    )


# -- the loader and the reader on their own ---------------------------------------------------


def test_load_yaml_refuses_the_bomb_before_building_it() -> None:
    start = time.monotonic()
    with pytest.raises(UntrustedInputError) as raised:
        load_yaml(alias_bomb())
    assert time.monotonic() - start < FAST
    assert str(raised.value) == (
        f"the document has YAML aliases that expand to more than {MAX_ALIAS_NODES:,} extra nodes"
    )
    assert isinstance(raised.value, ValueError)  # what the callers of load_yaml already catch


def test_load_yaml_refuses_a_few_aliases_of_a_long_text() -> None:
    text = "big: &big " + "x" * 20_000 + "\ncopies: [" + ", ".join(["*big"] * 60) + "]\n"
    with pytest.raises(UntrustedInputError) as raised:
        load_yaml(text)
    assert raised.value.reason == "has YAML aliases that expand to more than 1 MiB of extra text"


@pytest.mark.parametrize("text", ["&a [*a]", "a: &a {b: *a}", "a: &a [x, [y, *a]]"])
def test_load_yaml_refuses_an_alias_inside_its_own_anchor(text: str) -> None:
    with pytest.raises(UntrustedInputError) as raised:
        load_yaml(text)
    assert raised.value.reason == (
        "has a YAML alias inside its own anchor, which would expand without end"
    )


def test_load_yaml_keeps_ordinary_aliases_and_merge_keys() -> None:
    text = (
        "base: &base {image: python, retries: 2}\n"
        "jobs:\n"
        "  test: {<<: *base, script: pytest}\n"
        "  lint: {<<: *base, script: ruff}\n"
        "shared: &list [a, b]\n"
        "again: *list\n"
    )
    assert load_yaml(text) == {
        "base": {"image": "python", "retries": 2},
        "jobs": {
            "test": {"image": "python", "retries": 2, "script": "pytest"},
            "lint": {"image": "python", "retries": 2, "script": "ruff"},
        },
        "shared": ["a", "b"],
        "again": ["a", "b"],
    }
    # Aliases may add up to the bound; a document without aliases is bounded by its size only.
    width = MAX_ALIAS_NODES // 10
    within = "one: &one [a, b, c, d, e, f, g, h, i]\nmany: [" + ", ".join(["*one"] * width) + "]\n"
    assert len(load_yaml(within)["many"]) == width
    assert len(load_yaml("[" + ", ".join(["x"] * 50_000) + "]")) == 50_000


def test_load_yaml_bounds_the_text_and_still_reports_invalid_yaml() -> None:
    with pytest.raises(UntrustedInputError) as raised:
        load_yaml("#" * (MAX_YAML_CHARACTERS + 1))
    assert str(raised.value) == "the document is larger than 4 MiB"
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [1, 2\n")
    assert load_yaml("") is None


def test_read_limited_reads_up_to_the_limit_and_refuses_one_byte_more(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100
    with pytest.raises(UntrustedInputError) as raised:
        read_limited(path, 99)
    assert str(raised.value) == f"{path} is larger than 99 bytes"


def test_read_limited_refuses_a_file_larger_than_its_size_says() -> None:
    # Files under /proc say they are empty; reading them is the only way to know their size,
    # as it is for a file that grows while it is read.
    proc_file = Path("/proc/self/status")
    assert proc_file.stat().st_size == 0
    with pytest.raises(UntrustedInputError) as raised:
        read_limited(proc_file, 10)
    assert raised.value.reason == "is larger than 10 bytes"


def test_read_limited_refuses_folders_and_sockets(tmp_path: Path) -> None:
    with pytest.raises(UntrustedInputError) as raised:
        read_limited(tmp_path, 100)
    assert str(raised.value) == f"{tmp_path} is a folder, not a file"
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        with pytest.raises(UntrustedInputError) as raised:
            read_limited(path, 100)
    assert raised.value.reason == "is a socket, not a regular file"
    with pytest.raises(FileNotFoundError):
        read_limited(tmp_path / "missing", 100)
