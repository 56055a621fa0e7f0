"""The one module that calls copier: render a template into a scratch folder.

Nothing here touches the user's destination. :func:`render_template` yields the
rendered tree read back into memory; the scratch folder is gone when the ``with``
block ends, whatever happens inside it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.errors import InvalidAnswerError, TemplateError, UsageError, first_line
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


def _read_answers(root: Path) -> dict[str, Any]:
    from scaffold.templates import load_yaml

    path = root / ANSWERS_FILE
    if not path.is_file():
        return {}
    loaded = load_yaml(path.read_text(encoding="utf-8")) or {}
    return {k: v for k, v in loaded.items() if not k.startswith("_")}


@contextlib.contextmanager
def render_template(
    source: TemplateSource,
    data: Mapping[str, Any],
    *,
    defaults: bool = True,
    user_defaults: Mapping[str, Any] | None = None,
    scratch_parent: Path | None = None,
) -> Iterator[RenderedTree]:
    """Render the template at ``source`` with ``data`` into a scratch folder; yield the result.

    ``defaults`` answers every question not in ``data`` with its default; without it
    copier asks on the terminal. ``scratch_parent`` puts the scratch folder on the
    destination's filesystem, so that the rendered tree can be moved into place whole
    (see :func:`scaffold.apply.apply_plan`); by default it goes to the system's
    temporary folder.
    """
    import copier
    from copier.errors import (
        CopierAnswersInterrupt,
        CopierError,
        InteractiveSessionError,
    )

    name = Path(source.src_path).name
    with tempfile.TemporaryDirectory(prefix=".scaffold-render-", dir=scratch_parent) as scratch:
        out = Path(scratch, "out")
        try:
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
        except CopierAnswersInterrupt:
            raise KeyboardInterrupt from None
        except InteractiveSessionError:
            raise UsageError(
                "no terminal to ask the template's questions on: pass --defaults "
                "and --data KEY=VALUE"
            ) from None
        except ValueError as error:
            message = str(error)
            if "Validation error for question" in message or "is required" in message:
                raise InvalidAnswerError(message.splitlines()[0]) from None
            raise TemplateError(f"rendering {name} failed: {message}") from error
        except (CopierError, OSError) as error:
            raise TemplateError(f"rendering {name} failed: {first_line(error)}") from error
        yield RenderedTree(root=out, files=_read_tree(out), answers=_read_answers(out))
