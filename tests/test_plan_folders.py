"""The conventions' folders a project lacks, exactly as planned: nested folders, placeholders
such as ``<group path>``, a package named by a layout question, and what already plays a
folder's part (another folder, or a module where modules are packages)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffold.adopters import Recipe
from scaffold.model import Project
from scaffold.plan.adopt import AdoptPlanner
from scaffold.plan.folders import plan_folders
from tests.helpers import write_files


def recipe(**fields: Any) -> Recipe:
    return Recipe("test", lambda folder, project: {}, {}, lambda folder, project: (), **fields)


PYTHON = recipe(source_suffix=".py", placeholder="__init__.py", modules_are_packages=True)
#: The project the folders are planned for (these recipes do not look at it).
PROJECT = Project(".", "python")
FLAT = "the code sits at the top of the project; {}/ is not added"
PACKAGE_LAYOUT = {
    "root": "package_name",
    "root_is_question": True,
    "folders": [{"question": "models_dir", "names": ["models", "entities"]}],
}


def planned(
    root: Path,
    folders: tuple[str, ...],
    stack: Recipe = PYTHON,
    layout: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
) -> list[tuple[str, str, str]]:
    planner = AdoptPlanner(root)
    plan_folders(planner, root, stack, folders, layout, answers or {}, PROJECT)
    return [(a.path.as_posix(), a.action.value, a.reason) for a in planner.actions.values()]


def test_a_missing_nested_folder_is_created_with_its_placeholder(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    assert planned(tmp_path, ("app/api/routes",)) == [
        ("app/api/routes/__init__.py", "create", "the conventions' app/api/routes/")
    ]


def test_a_nested_folder_that_exists_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "app" / "api" / "routes").mkdir(parents=True)
    assert planned(tmp_path, ("app/api/routes", "app/api")) == []


def test_a_placeholder_is_passed_over_and_the_folders_after_it_are_planned(
    tmp_path: Path,
) -> None:
    assert planned(tmp_path, ("<group path>/web", "models", "<package>", "services")) == [
        ("models/__init__.py", "create", "the conventions' models/"),
        ("services/__init__.py", "create", "the conventions' services/"),
    ]


def test_the_package_a_layout_question_names_holds_the_folders(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    answers = {"package_name": "shop", "models_dir": "models"}
    assert planned(
        tmp_path, ("app/models", "app/services"), layout=PACKAGE_LAYOUT, answers=answers
    ) == [
        ("shop/models/__init__.py", "create", "the conventions' app/models/"),
        ("shop/services/__init__.py", "create", "the conventions' app/services/"),
    ]


def test_a_literal_root_is_not_a_question(tmp_path: Path) -> None:
    # Node's and Rust's layouts name a folder (src), not a question: the answers never
    # decide where the conventions' folders go.
    layout = {"root": "src", "folders": [{"question": "models_dir", "names": ["models"]}]}
    answers = {"src": "lib", "models_dir": "models"}
    assert planned(tmp_path, ("src/models",), layout=layout, answers=answers) == [
        ("src/models/__init__.py", "create", "the conventions' src/models/")
    ]


def test_a_package_that_is_not_there_keeps_the_projects_own_layout(tmp_path: Path) -> None:
    answers = {"package_name": "shop", "models_dir": "models"}
    reason = "the code is not in the shop/ package; its own layout is kept"
    assert planned(tmp_path, ("app/models",), layout=PACKAGE_LAYOUT, answers=answers) == [
        ("shop/models/__init__.py", "skip", reason)
    ]


def test_a_folder_by_a_name_the_layout_accepts_plays_the_part(tmp_path: Path) -> None:
    (tmp_path / "shop" / "entities").mkdir(parents=True)
    answers = {"package_name": "shop", "models_dir": "models"}
    assert planned(tmp_path, ("app/models",), layout=PACKAGE_LAYOUT, answers=answers) == [
        ("shop/models/__init__.py", "skip", "shop/entities/ already plays this part")
    ]


def test_a_module_named_by_an_equivalent_plays_the_part_of_the_package(tmp_path: Path) -> None:
    stack = recipe(
        source_suffix=".py",
        placeholder="__init__.py",
        modules_are_packages=True,
        equivalents={"models": ("schemas",)},
    )
    (tmp_path / "schemas.py").write_text("class Item: ...\n")
    assert planned(tmp_path, ("models", "services"), stack) == [
        ("models/__init__.py", "skip", "schemas.py already plays this part"),
        ("services/__init__.py", "skip", FLAT.format("services")),
    ]


def test_a_module_plays_no_part_where_modules_are_not_packages(tmp_path: Path) -> None:
    stack = recipe(source_suffix=".py", equivalents={"models": ("schemas",)})
    write_files(tmp_path, {"schemas.py": "", "app/main.py": ""})
    assert planned(tmp_path, ("models",), stack) == [
        ("models/.gitkeep", "skip", FLAT.format("models"))
    ]
    (tmp_path / "schemas.py").unlink()
    assert planned(tmp_path, ("models",), stack) == [
        ("models/.gitkeep", "create", "the conventions' models/")
    ]


def test_a_file_in_the_way_of_a_nested_folder_is_a_conflict(tmp_path: Path) -> None:
    write_files(tmp_path, {"app/api": "not a folder\n", "web": "not a folder either\n"})
    assert planned(tmp_path, ("app/api/routes", "web/views", "services")) == [
        ("app/api/routes/__init__.py", "conflict", "app/api is in the way, not a folder"),
        ("web/views/__init__.py", "conflict", "web is in the way, not a folder"),
        ("services/__init__.py", "create", "the conventions' services/"),
    ]


def test_a_folder_the_stack_never_creates_is_listed_with_the_reason(tmp_path: Path) -> None:
    stack = recipe(never_create={"pkg": "a public pkg/ only for a library, on request"})
    assert planned(tmp_path, ("internal", "pkg"), stack) == [
        ("internal/.gitkeep", "create", "the conventions' internal/"),
        ("pkg/.gitkeep", "skip", "a public pkg/ only for a library, on request"),
    ]


def test_a_folder_is_created_as_an_empty_placeholder_readable_by_all(tmp_path: Path) -> None:
    planner = AdoptPlanner(tmp_path)
    plan_folders(planner, tmp_path, PYTHON, ("models",), None, {}, PROJECT)
    [placeholder] = planner.actions.values()
    assert (placeholder.content, placeholder.mode) == (b"", 0o644)
