"""Real signals, sent at many moments while scaffold writes: the tree is as it was before,
or as the plan makes it, never in between, and nothing of scaffold's is left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT, git, tree_digest

# A plan like a large template update: files created in new folders, files changed, files
# deleted (emptying their folders), applied by the one writer in a child process that says
# "ready" just before it starts writing and, when not interrupted, how long it took.
WRITER = """
import hashlib, sys, time
from pathlib import Path, PurePosixPath
from scaffold.plan.apply import apply_plan, sha256_of
from scaffold.model import Action, FileAction, Plan

root, size = Path(sys.argv[1]), int(sys.argv[2])
actions = []
for i in range(size):
    actions.append(FileAction(PurePosixPath(f"new/{i % 40}/file{i}.txt"), Action.CREATE,
                              content=f"created {i}\\n".encode() * 20))
for i in range(200):
    path = PurePosixPath(f"kept/{i % 10}/file{i}.txt")
    actions.append(FileAction(path, Action.CHANGE, content=b"changed\\n",
                              original_sha256=sha256_of(root / path)))
for i in range(100):
    path = PurePosixPath(f"gone/{i % 10}/file{i}.txt")
    actions.append(FileAction(path, Action.DELETE, original_sha256=sha256_of(root / path)))
plan = Plan(root, tuple(sorted(actions, key=lambda a: a.path)))
print("ready", flush=True)
start = time.perf_counter()
apply_plan(plan)
print(f"took {time.perf_counter() - start:.6f}", flush=True)
"""

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def writer_root(folder: Path) -> Path:
    for i in range(200):
        path = folder / "kept" / str(i % 10) / f"file{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"original {i}\n")
    for i in range(100):
        path = folder / "gone" / str(i % 10) / f"file{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"old {i}\n")
    (folder / "README.md").write_text("mine\n")
    return folder


def start_writer(root: Path, size: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    return proc


@pytest.mark.parametrize(
    ("created", "runs"),
    [(200, 15), pytest.param(1200, 54, marks=pytest.mark.slow)],
)
def test_the_writer_interrupted_by_real_signals_leaves_before_or_after(
    tmp_path: Path, created: int, runs: int
) -> None:
    pristine = writer_root(tmp_path / "pristine")
    before = tree_digest(pristine)

    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    proc = start_writer(reference, created)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    duration = float(out.split()[-1])
    after = tree_digest(reference)
    assert after != before

    outcomes = {"before": 0, "after": 0}
    for index in range(runs):
        root = tmp_path / f"run{index}"
        shutil.copytree(pristine, root)
        proc = start_writer(root, created)
        # Spread over the write and past its end. The same write gets slower as the
        # filesystem fills over the runs, so the spread follows the slowest write seen.
        pause = duration * 4 * index / runs
        time.sleep(pause)
        proc.send_signal(SIGNALS[index % len(SIGNALS)])
        out, err = proc.communicate(timeout=120)
        state = tree_digest(root)
        if out.startswith("took "):
            duration = max(duration, float(out.split()[-1]))
        elif state == before and pause > duration:
            duration = pause  # interrupted after the slowest write seen: this one was slower
        assert state in (before, after), f"run {index}: half-written tree ({err[-300:]})"
        outcomes["before" if state == before else "after"] += 1
        assert "Traceback" not in err or "KeyboardInterrupt" in err
        leftovers = [p.name for p in tmp_path.rglob(".scaffold-staging-*")]
        assert leftovers == [], f"run {index}"
        shutil.rmtree(root)
    # Both ends were reached: the signals landed while the plan was being written.
    assert outcomes["before"] > 0 and outcomes["after"] > 0, outcomes


# --- whole commands -----------------------------------------------------------------------


def scaffold_process(args: list[str], cwd: Path, tmpdir: Path) -> subprocess.Popen[str]:
    """``scaffold ARGS`` in a process of its own, with its own temporary folder."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def work_tree(root: Path) -> dict[str, str]:
    return {k: v for k, v in tree_digest(root).items() if not k.startswith(".git/")}


def git_status(root: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def big_update(tmp_path: Path) -> tuple[Path, Path]:
    """A template whose v2 adds 1,500 files, and a committed project made from its v1."""
    import copier

    template = tmp_path / "template"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text("_subdirectory: template\nname:\n  default: big\n")
    (template / "template" / "{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml }}"
    )
    (template / "template" / "README.md.jinja").write_text("# {{ name }}\n")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "v1"], ["tag", "v1.0.0"]):
        git(template, *args)
    for i in range(1500):
        path = template / "template" / "pkg" / f"m{i % 30}" / f"file{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"file {i}\n")
    for args in (["add", "-A"], ["commit", "-qm", "v2"], ["tag", "v2.0.0"]):
        git(template, *args)
    project = tmp_path / "project"
    copier.run_copy(str(template), project, vcs_ref="v1.0.0", defaults=True, quiet=True)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "generated"]):
        git(project, *args)
    return template, project


def timed_run(args: list[str], cwd: Path, scratch: Path) -> float:
    """How long ``scaffold ARGS`` takes to run to its end, which must be a success."""
    started = time.perf_counter()
    proc = scaffold_process(args, cwd, scratch)
    _, err = proc.communicate(timeout=600)
    duration = time.perf_counter() - started
    assert proc.returncode == 0, err
    return duration


@pytest.mark.slow
def test_update_interrupted_at_ten_moments_is_before_or_complete(tmp_path: Path) -> None:
    template, pristine = big_update(tmp_path)
    before = work_tree(pristine)
    args = ["update", "--allow-source", str(template)]

    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference, symlinks=True)
    scratch = tmp_path / "tmp-reference"
    scratch.mkdir()
    duration = timed_run(args, reference, scratch)
    complete, complete_status = work_tree(reference), git_status(reference)
    assert len(complete) > len(before) + 1500

    seen = set()
    fractions = (0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.88, 0.94, 0.98, 1.05)
    for signum in (signal.SIGINT, signal.SIGTERM):
        for index, fraction in enumerate(fractions):
            root = tmp_path / f"run-{signum}-{index}"
            shutil.copytree(pristine, root, symlinks=True)
            scratch = tmp_path / f"tmp-{signum}-{index}"
            scratch.mkdir()
            proc = scaffold_process(args, root, scratch)
            time.sleep(duration * fraction)
            proc.send_signal(signum)
            _, err = proc.communicate(timeout=600)
            where = f"signal {signum} at {fraction:.0%}: exit {proc.returncode}, {err!r}"
            if git_status(root) == "":
                assert work_tree(root) == before, where
                assert err in (
                    "scaffold: error: interrupted; nothing was changed\n",
                    "",  # the signal came before the handlers were set up
                ) or err.endswith("; nothing was changed\n"), where
                seen.add("before")
            else:
                assert work_tree(root) == complete, where
                assert git_status(root) == complete_status, where
                assert proc.returncode == 0 or err.endswith("; it is complete\n"), where
                seen.add("complete")
            assert list(scratch.iterdir()) == [], where  # no scratch folder left behind
            assert not list(root.glob(".scaffold-*")), where
            shutil.rmtree(root)
    assert "before" in seen, seen


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_new_and_adopt_interrupted_leave_no_scratch_folder(tmp_path: Path, signum: int) -> None:
    from tests.helpers import committed_repo

    repo = committed_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": '[project]\nname = "svc"\nversion = "0"\n'
            'dependencies = ["fastapi"]\n',
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        },
    )
    pristine_repo = work_tree(repo)
    commands = {
        "new": (["new", "python-fastapi", str(tmp_path / "out" / "svc"), "--defaults"], tmp_path),
        "adopt": (["adopt", str(repo), "--yes"], repo),
    }
    for name, (args, cwd) in commands.items():
        scratch = tmp_path / f"tmp-{name}"
        scratch.mkdir()
        duration = timed_run(args, cwd, scratch)
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        git(repo, "reset", "-q", "--hard")
        git(repo, "clean", "-qfdx")
        assert work_tree(repo) == pristine_repo
        # From the reading of the arguments (click's own interrupt handling) to the end.
        for fraction in (0.05, 0.1, 0.15, 0.2, 0.4, 0.6, 0.8, 0.95):
            proc = scaffold_process(args, cwd, scratch)
            time.sleep(duration * fraction)
            proc.send_signal(signum)
            _, err = proc.communicate(timeout=600)
            where = f"{name}, signal {signum} at {fraction:.0%}: {err!r}"
            assert list(scratch.iterdir()) == [], where
            assert not list(tmp_path.rglob(".scaffold-*")), where
            if proc.returncode == 130:
                assert err.startswith("scaffold: error: interrupted"), where
            shutil.rmtree(tmp_path / "out", ignore_errors=True)
            git(repo, "reset", "-q", "--hard")
            git(repo, "clean", "-qfdx")


def test_an_interrupt_inside_a_held_back_step_is_raised_when_it_ends() -> None:
    from scaffold import interrupts

    steps: list[str] = []
    with interrupts.handled():
        with pytest.raises(KeyboardInterrupt), interrupts.deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            steps.append("finished")  # the step is not cut short
        with interrupts.deferred(raise_pending=False):
            os.kill(os.getpid(), signal.SIGHUP)
        assert interrupts.take_pending() is True
        assert interrupts.take_pending() is False
    assert steps == ["finished"]


def test_an_interrupt_while_a_scratch_folder_is_made_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from scaffold import interrupts

    real_mkdtemp = tempfile.mkdtemp

    def made_then_interrupted(*args: object, **kwargs: object) -> str:
        folder = real_mkdtemp(*args, **kwargs)  # type: ignore[call-overload]
        os.kill(os.getpid(), signal.SIGINT)  # arrives once the folder exists
        return str(folder)

    monkeypatch.setattr(tempfile, "mkdtemp", made_then_interrupted)
    entered = []
    with (
        interrupts.handled(),
        pytest.raises(KeyboardInterrupt),
        interrupts.scratch_folder(".scaffold-render-", tmp_path),
    ):
        entered.append(True)
    assert entered == []
    assert list(tmp_path.iterdir()) == []
