"""Every version a template defaults to is inside its upstream support window.

``templates/support.toml`` holds, per default, its end-of-support date and where that date is
published. These tests generate every stack with its defaults and read the versions where the
generated project states them (not from the data file), so a template that drifts from its
entry fails here, and so does every entry once today is past its end date.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from scaffold.commands.new import new_project
from scaffold.templates import get_stack, load_template, stack_ids
from tests.helpers import REPO_ROOT

SUPPORT = REPO_ROOT / "templates" / "support.toml"


@dataclass(frozen=True)
class Reading:
    """Where a generated project states a version: a file, and a pattern whose first group
    is the version."""

    file: str
    pattern: str


@dataclass(frozen=True)
class SupportedDefault:
    what: str
    stacks: tuple[str, ...]
    version: str
    ends: date
    source: str
    question: str | None
    reads: tuple[Reading, ...]


def load_support(path: Path = SUPPORT) -> tuple[SupportedDefault, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for raw in data["default"]:
        assert set(raw) <= {"what", "stacks", "version", "ends", "source", "question", "reads"}, raw
        entries.append(
            SupportedDefault(
                what=raw["what"],
                stacks=tuple(raw["stacks"]),
                version=raw["version"],
                ends=raw["ends"],
                source=raw["source"],
                question=raw.get("question"),
                reads=tuple(Reading(r["file"], r["pattern"]) for r in raw["reads"]),
            )
        )
    return tuple(entries)


def past_their_end(entries: Sequence[SupportedDefault], today: date) -> list[str]:
    """One line for each default whose upstream support ended before ``today``."""
    return [
        f"{entry.what} {entry.version} ({', '.join(entry.stacks)}): support ended on "
        f"{entry.ends.isoformat()} ({entry.source}); bump the default and its entry"
        for entry in entries
        if today > entry.ends
    ]


def stated_versions(project: Path, reads: Sequence[Reading]) -> list[str]:
    """Each version the generated ``project`` states where ``reads`` say (every match)."""
    found = []
    for reading in reads:
        text = (project / reading.file).read_text(encoding="utf-8")
        matches = re.findall(reading.pattern, text, re.MULTILINE)
        assert matches, f"{reading.file}: nothing matches {reading.pattern!r}"
        found.extend(matches)
    return found


ENTRIES = load_support()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, Path]:
    """Every stack, generated with its defaults."""
    root = tmp_path_factory.mktemp("defaults")
    return {stack: new_project(stack, root / stack / "svc", {}).target for stack in stack_ids()}


def test_the_data_is_well_formed() -> None:
    assert ENTRIES
    for entry in ENTRIES:
        assert entry.source.startswith("https://"), entry
        assert entry.reads, entry
        assert set(entry.stacks) <= set(stack_ids()), entry
        for reading in entry.reads:
            assert re.compile(reading.pattern).groups >= 1, reading


def test_every_default_is_inside_its_support_window() -> None:
    assert past_their_end(ENTRIES, date.today()) == []


def test_a_default_past_its_end_date_is_reported() -> None:
    entry = next(e for e in ENTRIES if e.what == "Spring Boot")
    assert past_their_end([entry], entry.ends) == []
    day_after = date.fromordinal(entry.ends.toordinal() + 1)
    assert past_their_end([entry], day_after) == [
        f"Spring Boot {entry.version} (java-spring): support ended on {entry.ends.isoformat()} "
        "(https://spring.io/projects/spring-boot#support); bump the default and its entry"
    ]


@pytest.mark.parametrize("entry", [pytest.param(e, id=f"{e.what} {e.version}") for e in ENTRIES])
def test_the_generated_projects_state_the_listed_version(
    entry: SupportedDefault, generated: Mapping[str, Path]
) -> None:
    for stack in entry.stacks:
        stated = stated_versions(generated[stack], entry.reads)
        assert set(stated) == {entry.version}, (stack, stated)
        if entry.question is not None:
            spec = load_template(get_stack(stack).template)
            assert str(spec.questions[entry.question].default) == entry.version, stack


def test_every_version_question_of_every_template_is_listed() -> None:
    listed = {(stack, e.question) for e in ENTRIES for stack in e.stacks if e.question}
    asked = {
        (stack, name)
        for stack in stack_ids()
        for name in load_template(get_stack(stack).template).questions
        if name.endswith("_version")
    }
    assert asked == listed
    # Every stack has at least its runtime listed.
    assert {stack for e in ENTRIES for stack in e.stacks} == set(stack_ids())
