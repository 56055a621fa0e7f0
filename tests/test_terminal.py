"""The questions scaffold asks on a terminal, answered on a real pseudo-terminal by the
``scaffold`` program itself: adopt's "Apply this plan?" and the template's questions."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
import yaml

from scaffold.errors import ExitCode
from tests.helpers import REPO_ROOT, committed_repo, tree_digest

_ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def scaffold_command() -> list[str]:
    """The installed ``scaffold`` program next to this Python, else ``python -m scaffold``."""
    program = Path(sys.executable).with_name("scaffold")
    return [str(program)] if program.is_file() else [sys.executable, "-m", "scaffold"]


class Terminal:
    """A program running with a pseudo-terminal as its controlling terminal."""

    def __init__(self, args: Sequence[str], cwd: Path) -> None:
        master, slave = pty.openpty()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
            "TERM": "dumb",
        }

        def controlling_terminal() -> None:  # after setsid, in the child
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [*scaffold_command(), *args],
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=controlling_terminal,
        )
        os.close(slave)
        self.master = master
        self.output = b""

    def read(self, until: Callable[[bytes], bool], timeout: float = 60) -> bytes:
        """Read what the program prints until ``until(all of it)`` holds; the plain text
        (terminal escapes removed) read so far."""
        deadline = time.monotonic() + timeout
        while not until(self.output):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; the terminal shows:\n{self.text}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program closed the terminal
                chunk = b""
            if not chunk:
                if not until(self.output):
                    raise AssertionError(f"the program ended; the terminal shows:\n{self.text}")
                break
            self.output += chunk
            if b"\x1b[6n" in chunk:  # where is the cursor? (prompt_toolkit asks)
                os.write(self.master, b"\x1b[1;1R")
        return self.output

    def settle(self, quiet: float = 0.3, timeout: float = 60) -> bool:
        """Read until the program prints nothing for ``quiet`` seconds; whether it still runs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                return self.process.poll() is None
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            self.output += chunk
            if b"\x1b[6n" in chunk:
                os.write(self.master, b"\x1b[1;1R")
        raise AssertionError(f"the program never went quiet; the terminal shows:\n{self.text}")

    def expect(self, text: str, timeout: float = 60) -> None:
        """Read until the terminal shows ``text`` (lines end in ``\\n`` here, as in ``text``)."""
        self.read(lambda _: text in self.text, timeout)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 60) -> int:
        """Read to the end; the exit code."""
        with contextlib.suppress(AssertionError):
            self.read(lambda _: False, timeout)
        code = self.process.wait(timeout=timeout)
        os.close(self.master)
        return code

    @property
    def text(self) -> str:
        return _ANSI.sub(b"", self.output).decode("utf-8", "replace").replace("\r\n", "\n")


@contextlib.contextmanager
def terminal(args: Sequence[str], cwd: Path) -> Iterator[Terminal]:
    term = Terminal(args, cwd)
    try:
        yield term
    finally:
        if term.process.poll() is None:
            term.process.kill()
            term.process.wait()


PYPROJECT = '[project]\nname = "svc"\nversion = "1.0.0"\ndependencies = ["fastapi"]\n'
MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
QUESTION = "Apply this plan? [y/N]: "


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed_repo(tmp_path / "svc", {"pyproject.toml": PYPROJECT, "main.py": MAIN})


@pytest.mark.parametrize(
    ("keys", "declined"),
    [("n\r", "n"), ("\r", ""), ("no\r", "no"), ("\x04", "")],
    ids=["n", "enter", "no", "end-of-input"],
)
def test_a_plan_not_confirmed_is_not_applied(repo: Path, keys: str, declined: str) -> None:
    before = tree_digest(repo)
    with terminal(["adopt", str(repo)], repo.parent) as term:
        term.expect(QUESTION)
        term.send(keys)
        code = term.finish()
    assert code == ExitCode.CHANGES_PENDING, term.text
    assert "pyproject.toml  merge: adds tool.ruff" in term.text
    assert term.text.endswith(QUESTION + declined + "\n"), term.text
    assert tree_digest(repo) == before


@pytest.mark.parametrize("answer", ["y", "yes", "Y"])
def test_a_confirmed_plan_is_applied(repo: Path, answer: str) -> None:
    with terminal(["adopt", str(repo)], repo.parent) as term:
        term.expect(QUESTION)
        term.send(answer + "\r")
        code = term.finish()
    assert code == 0, term.text
    assert term.text.splitlines()[-1] == "Wrote 4 files."
    pyproject = (repo / "pyproject.toml").read_text()
    assert pyproject.startswith(PYPROJECT) and "[tool.ruff]" in pyproject
    assert (repo / ".copier-answers.yml").is_file()


def test_another_answer_is_asked_again(repo: Path) -> None:
    with terminal(["adopt", str(repo)], repo.parent) as term:
        term.expect(QUESTION)
        term.send("maybe\r")
        term.expect("Please answer y or n.\n" + QUESTION)
        term.send("y\r")
        assert term.finish() == 0, term.text
    assert "[tool.ruff]" in (repo / "pyproject.toml").read_text()


def test_ctrl_c_at_the_question_is_an_interrupt_that_writes_nothing(repo: Path) -> None:
    before = tree_digest(repo)
    with terminal(["adopt", str(repo)], repo.parent) as term:
        term.expect(QUESTION)
        term.send("\x03")  # the terminal turns it into SIGINT
        code = term.finish()
    assert code == ExitCode.INTERRUPTED, term.text
    assert term.text.splitlines()[-1] == "scaffold: error: interrupted; nothing was changed"
    assert tree_digest(repo) == before


def test_new_asks_the_template_s_questions_on_a_terminal(tmp_path: Path) -> None:
    """Answer one question (the description), accept every other default with Enter."""
    target = tmp_path / "orders"
    asked: list[str] = []
    deadline = time.monotonic() + 120
    with terminal(["new", "python-fastapi", str(target)], tmp_path) as term:
        # Each question is drawn after a microphone; answer the newest once drawn.
        while term.settle() and time.monotonic() < deadline:
            titles = re.findall(r"🎤 ?([^\n]*)", term.text)
            if not titles or (asked and asked[-1] == titles[-1].strip()):
                continue
            asked.append(titles[-1].strip())
            if asked[-1].startswith("One-line description"):
                term.send("\x15Orders of the shop\r")  # Ctrl-U clears the default first
            else:
                term.send("\r")
        code = term.finish()
    assert code == 0, term.text
    assert asked and asked[0].startswith("Project name"), term.text
    assert any(title.startswith("One-line description") for title in asked), asked
    answers = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "orders"  # the folder's name, the default
    assert answers["description"] == "Orders of the shop"
    assert (answers["database"], answers["auth"]) == ("sqlite", "none")
    assert f"Created {target} (python-fastapi," in term.text
