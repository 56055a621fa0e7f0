"""One config where the tool inherits it: projects that would each get the same settings file
(``.editorconfig``, ``rustfmt.toml``, ``clippy.toml``, ``.golangci.yml``, Prettier's) share one
in the highest folder above all of them from which the tool reads it for each, instead of a
copy per project.

That folder is one no adopted project sits in, and no other adopted project below it would get
a different file of that name (settings not meant for it would cover it). A project that has
the file, or is covered by one above it already, keeps what it has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.adopters import WholeFile
from scaffold.model import Action, FileAction
from scaffold.plan.adopt import AdoptPlanner, RenderedProject
from scaffold.plan.merge import same_text

if TYPE_CHECKING:
    pass

Answers = Mapping[str, Any]

#: The largest settings file above a project that is read to find it is the one adopt wrote.
MAX_SETTINGS_BYTES = 1024 * 1024

#: A project's rendered settings file: (its project's path, the file's name, its content,
#: its mode, its rule, the answers it was rendered with).
Wanted = tuple[str, str, bytes, int, WholeFile, Mapping[str, Any]]


def share_configs(planner: AdoptPlanner, adopting: Sequence[RenderedProject]) -> None:
    """Plan each settings file that two or more of the ``adopting`` projects would get alike
    in the folder above them all (see the module's description)."""
    wanted: list[Wanted] = [
        (entry.project.path, name.as_posix(), file.content, file.mode, rule, entry.rendered.answers)
        for entry in adopting
        for name, file in entry.rendered.files.items()
        if isinstance(rule := entry.recipe.rules.get(name.as_posix(), WholeFile()), WholeFile)
    ]
    adopted = {entry.project.path for entry in adopting}
    by_name: dict[str, list[Wanted]] = {}
    for entry in wanted:
        path, name, content, _, rule, _ = entry
        if not rule.placed_above:
            continue
        folder = planner.root / path
        names = (name, *rule.alternatives)
        if any(planner.exists(folder / other) for other in names):
            continue  # the project's own file
        if _covered_alike(planner, folder, names, rule, content):
            continue
        by_name.setdefault(name, []).append(entry)
    for name, entries in by_name.items():
        for content in dict.fromkeys(entry[2] for entry in entries):
            alike = [entry for entry in entries if entry[2] == content]
            if len(alike) < 2:
                continue
            others = [path for path, _, other, *_ in entries if other != content]
            _, _, _, mode, rule, answers = alike[0]

            def fits(folder: str, rule: WholeFile = rule, answers: Answers = answers) -> bool:
                return rule.placeable(planner.root, planner.facts, folder, answers)

            above = _highest_above([path for path, *_ in alike], others, adopted, fits)
            if above is not None:
                _place(planner, planner.root / above, name, content, mode, rule)


def _covered_alike(
    planner: AdoptPlanner, folder: Path, names: tuple[str, ...], rule: WholeFile, content: bytes
) -> bool:
    """Whether a file above ``folder`` covers it already; one with ``content``, which a
    second adoption finds as it was written, is planned as identical."""
    covering = planner.covering(folder, names, rule.manifest_keys, content)
    if covering is None:
        return False
    from scaffold.untrusted import UntrustedInputError, read_limited

    found, where = covering
    path = planner.root / where
    if found != names[0] or path.is_symlink() or planner.rel(path) in planner.actions:
        return True  # not the file itself, or weighed already (every project asks)
    try:
        same = same_text(read_limited(path, MAX_SETTINGS_BYTES), content)
    except (OSError, UntrustedInputError):
        return True
    if same is not None:
        planner.add(FileAction(planner.rel(path), Action.IDENTICAL, same))
    return True


def _place(
    planner: AdoptPlanner, folder: Path, name: str, content: bytes, mode: int, rule: WholeFile
) -> None:
    if not any(planner.exists(folder / other) for other in (name, *rule.alternatives)):
        planner.whole_file(folder, name, content, mode, rule)


def _highest_above(
    paths: Sequence[str], others: Sequence[str], adopted: set[str], fits: Callable[[str], bool]
) -> str | None:
    """The highest folder (``"."`` for the root) that holds every one of ``paths`` and none
    of ``others`` (projects that would get other settings), is no adopted project's
    folder, and ``fits`` the file; None when there is none."""
    parts = [[] if path == "." else path.split("/") for path in paths]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    for depth in range(len(common) + 1):
        folder = "/".join(common[:depth]) or "."
        if (
            folder not in adopted
            and not any(_inside(other, folder) for other in others)
            and fits(folder)
        ):
            return folder
    return None


def _inside(path: str, folder: str) -> bool:
    return folder == "." or path == folder or path.startswith(folder + "/")
