"""One answers file for the projects of a stack that share their settings.

copier's answers file is what ``scaffold update`` and ``copier update`` update a project
from: the files its template rendered there. A project that has nothing of its own from the
template needs none: every config rendered for it is covered by the one its stack shares
from a folder above (:mod:`scaffold.plan.shared_configs`), or is the line its workspace's
manifest asks of it to opt into the workspace's settings (a Cargo member's ``[lints]
workspace = true``, :mod:`scaffold.plan.workspace_lints`). Such a project's answers file is
not created when a project of the same stack above it keeps one: updating that project
updates the settings the others share, and a workspace of many members gets one answers
file per stack rather than one per member. An answers file already there is left as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from scaffold.model import Action, FileAction

if TYPE_CHECKING:
    from scaffold.plan.adopt import AdoptPlanner
    from scaffold.plan.renders import PreparedProject

#: What a manifest's line opting into its workspace's settings is planned as: added, or
#: there already.
_OPTING_IN = (Action.MERGE, Action.IDENTICAL)


def share_answers_files(
    planner: AdoptPlanner,
    adopted: Sequence[PreparedProject],
    opting_in: Collection[PurePosixPath],
) -> None:
    """Plan no answers file for those of ``adopted`` (shallowest first) that have nothing
    of their own, below a project of their stack that keeps one; ``opting_in`` are the
    manifests (from the root) whose planned line opts into their workspace's settings."""
    from scaffold.render import ANSWERS_FILE

    keeping: dict[str, list[str]] = {}  # by stack, the folders whose answers file stays
    for entry in sorted(adopted, key=lambda e: e.project.path.count("/")):
        folder = "" if entry.project.path == "." else entry.project.path
        answers = PurePosixPath(folder, ANSWERS_FILE)
        planned = planner.actions.get(answers)
        holding = [f for f in keeping.get(entry.recipe.stack, ()) if _above(f, folder)]
        above = max(holding, key=len, default=None)  # the nearest
        if (
            planned is not None
            and planned.action is Action.CREATE
            and above is not None
            and _nothing_of_its_own(planner, entry, folder, opting_in)
        ):
            reason = f"covered by {PurePosixPath(above, ANSWERS_FILE)}"
            planner.replace(FileAction(answers, Action.SKIP, reason))
            continue
        if planned is not None and planned.action in (Action.CREATE, Action.IDENTICAL):
            keeping.setdefault(entry.recipe.stack, []).append(folder)


def _above(folder: str, below: str) -> bool:
    """Whether ``folder`` (from the root, ``""`` for it) holds the other folder ``below``."""
    return folder != below and (not folder or below.startswith(folder + "/"))


def _nothing_of_its_own(
    planner: AdoptPlanner,
    entry: PreparedProject,
    folder: str,
    opting_in: Collection[PurePosixPath],
) -> bool:
    """Whether every file rendered for ``entry`` but its answers file is covered from
    above, or is its manifest's line opting into its workspace's settings."""
    from scaffold.render import ANSWERS_FILE

    for rendered in entry.rendered.files:
        if rendered == PurePosixPath(ANSWERS_FILE):
            continue
        path = PurePosixPath(folder, rendered)
        if path in planner.covered:
            continue
        action = planner.actions.get(path)
        if path in opting_in and action is not None and action.action in _OPTING_IN:
            continue
        return False
    return True
