"""The one module that calls copier: render a template into a scratch folder.

Nothing here touches the user's destination. :func:`render_template` yields the
rendered tree read back into memory; the scratch folder is gone when the ``with``
block ends, whatever happens inside it. :func:`render_many` renders one template for
many answer sets (``scaffold adopt`` over a monorepo) at in-process speed.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.errors import (
    ApplyError,
    InvalidAnswerError,
    TemplateError,
    UsageError,
    first_line,
    shortened,
)
from scaffold.templates import TemplateSource

ANSWERS_FILE = ".copier-answers.yml"


@dataclass(frozen=True, slots=True)
class RenderedFile:
    content: bytes
    mode: int


@dataclass(frozen=True, slots=True)
class RenderedTree:
    """A rendered template: every file by relative path, and the answers copier recorded."""

    root: Path
    files: Mapping[PurePosixPath, RenderedFile]
    answers: Mapping[str, Any]


def _read_tree(root: Path) -> dict[PurePosixPath, RenderedFile]:
    files: dict[PurePosixPath, RenderedFile] = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                raise TemplateError(f"the template rendered a non-regular file: {name}")
            rel = PurePosixPath(path.relative_to(root).as_posix())
            files[rel] = RenderedFile(path.read_bytes(), stat.S_IMODE(info.st_mode))
    return dict(sorted(files.items()))


def read_answers(root: Path, *, internal: bool = False) -> dict[str, Any]:
    """The answers copier recorded; with ``internal``, also its ``_src_path`` and ``_commit``."""
    from scaffold.templates import load_yaml

    path = root / ANSWERS_FILE
    if not path.is_file():
        return {}
    loaded = load_yaml(path.read_text(encoding="utf-8")) or {}
    return {k: v for k, v in loaded.items() if internal or not k.startswith("_")}


@contextlib.contextmanager
def _copier_errors(name: str) -> Iterator[None]:
    """copier's failures as scaffold errors."""
    from copier.errors import (
        CopierAnswersInterrupt,
        CopierError,
        InteractiveSessionError,
    )

    try:
        yield
    except CopierAnswersInterrupt:
        raise KeyboardInterrupt from None
    except InteractiveSessionError:
        raise UsageError(
            "no terminal to ask the template's questions on: pass --defaults and --data KEY=VALUE"
        ) from None
    except ValueError as error:
        message = str(error)
        if "Validation error for question" in message or "is required" in message:
            raise InvalidAnswerError(shortened(message.splitlines()[0], 200)) from None
        raise TemplateError(f"rendering {name} failed: {message}") from error
    except (CopierError, OSError) as error:
        raise TemplateError(f"rendering {name} failed: {first_line(error)}") from error


@contextlib.contextmanager
def render_template(
    source: TemplateSource,
    data: Mapping[str, Any],
    *,
    defaults: bool = True,
    user_defaults: Mapping[str, Any] | None = None,
    scratch_parent: Path | None = None,
    replay: bool = False,
) -> Iterator[RenderedTree]:
    """Render the template at ``source`` with ``data`` into a scratch folder; yield the result.

    With ``replay`` and no question to ask (``defaults``), the render is :func:`render_many`'s
    (the replay, once it has reproduced copier's own render of this template; else copier),
    written to the scratch folder.

    ``defaults`` answers every question not in ``data`` with its default; without it
    copier asks on the terminal. ``scratch_parent`` puts the scratch folder on the
    destination's filesystem, so that the rendered tree can be moved into place whole
    (see :func:`scaffold.plan.apply.apply_plan`); by default it goes to the system's
    temporary folder.
    """
    if replay and defaults:
        # Without questions, copier takes a user default as it takes a given answer.
        (rendered,) = render_many(source, [{**(user_defaults or {}), **data}])
        with _scratch(scratch_parent) as scratch:
            out = Path(scratch, "out")
            for rel, file in rendered.files.items():
                path = out.joinpath(*rel.parts)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(file.content)
                path.chmod(file.mode)
            yield RenderedTree(root=out, files=rendered.files, answers=rendered.answers)
        return
    import copier

    from scaffold.interrupts import temporary_files_in
    from scaffold.repo.git import hardened_git

    with _scratch(scratch_parent) as scratch:
        out = Path(scratch, "out")
        # copier runs git in the template's repository (the history store under the home
        # folder, which a restored cache may have brought): its own config runs nothing.
        # Its clone of the template lives in the scratch folder, which takes it along.
        with (
            _copier_errors(Path(source.src_path).name),
            hardened_git(),
            temporary_files_in(scratch / "tmp"),
        ):
            copier.run_copy(
                source.src_path,
                out,
                vcs_ref=source.vcs_ref,
                data=dict(data),
                defaults=defaults,
                user_defaults=dict(user_defaults or {}),
                quiet=True,
                unsafe=False,
                cleanup_on_error=True,
            )
        if source.recorded is not None:
            _record_source(out / ANSWERS_FILE, *source.recorded)
        yield RenderedTree(root=out, files=_read_tree(out), answers=read_answers(out))


@contextlib.contextmanager
def _scratch(parent: Path | None) -> Iterator[Path]:
    """A scratch folder for a render (see :func:`scaffold.interrupts.scratch_folder`)."""
    from scaffold.interrupts import scratch_folder

    with contextlib.ExitStack() as stack:
        try:
            scratch = stack.enter_context(scratch_folder(".scaffold-render-", parent))
        except OSError as error:
            import tempfile

            where = parent or tempfile.gettempdir()
            raise ApplyError(f"cannot write in {where}: {error.strerror or error}") from None
        yield scratch


def _record_source(answers_file: Path, src_path: str, tag: str) -> None:
    """Make the answers file copier wrote name ``src_path`` at ``tag`` as the template, as
    copier writes them (it was given the folder the history holds at that tag)."""
    if not answers_file.is_file():
        return
    lines = answers_file.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("_commit:")]
    at = next((i for i, line in enumerate(kept) if line.startswith("_src_path:")), None)
    if at is None:
        raise TemplateError(f"the template's {ANSWERS_FILE} records no _src_path")
    kept[at : at + 1] = [f"_commit: {tag}\n", f"_src_path: {src_path}\n"]
    answers_file.write_text("".join(kept), encoding="utf-8")


# --- many answer sets ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenderedFiles:
    """A rendered template held in memory: every file by relative path, and the answers
    copier records for it."""

    files: Mapping[PurePosixPath, RenderedFile]
    answers: Mapping[str, Any]
    replayed: bool = False  # rendered by the in-process replay, not by copier itself


def render_many(
    source: TemplateSource, answer_sets: Sequence[Mapping[str, Any]]
) -> list[RenderedFiles]:
    """Render the template at ``source`` once for each answer set (defaults for the rest),
    as :func:`render_template` would; the results come in the same order.

    This is what makes adopting a monorepo of hundreds of projects fast: the sets are
    replayed in this process (see :class:`scaffold.render.replay.Replay`) rather than
    each given to copier. A replay is trusted only once it has reproduced, byte for byte,
    copier's own render of the first set; that check is remembered (signed) in
    :func:`scaffold.templates.cache_dir` for this template and this copier, so later runs
    need no copier at all. Any set the replay cannot follow is rendered by copier.
    """
    from scaffold.render.replay import Replay, TemplateFiles

    if not answer_sets:
        return []
    template = TemplateFiles.read(source)
    replay = Replay.cached(template)
    results: list[RenderedFiles] = []
    if replay is None:
        first = dict(answer_sets[0])
        with render_template(source, first) as rendered:
            reference = RenderedFiles(rendered.files, rendered.answers)
            recorded = read_answers(rendered.root, internal=True)
        replay = Replay.learn(template, reference, recorded, first)
        results.append(reference)
    for data in answer_sets[len(results) :]:
        replayed = replay.render(data) if replay is not None else None
        if replayed is None:
            with render_template(source, data) as rendered:
                replayed = RenderedFiles(rendered.files, rendered.answers)
        results.append(replayed)
    return results
