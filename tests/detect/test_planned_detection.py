"""Detection over a plan's files (what ``AGENTS.md`` describes): it finds what a detection
after the plan is applied finds, and it surveys again only the projects the plan's files can
change."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.detect import detect_repository, engine
from scaffold.detect.layout import SURVEYED, carry_surveys
from tests.detect.conftest import MakeRepo

SERVICE = {
    "svc/pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"]\n',
    "svc/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "svc/app/api/routes.py": "ROUTES: list[str] = []\n",
    "web/package.json": '{"name": "web", "dependencies": {"express": "^5.0.0"}}\n',
    "web/src/index.js": "const express = require('express');\n",
}
GENERATED = b"*.py linguist-generated\n"


@pytest.mark.parametrize(
    ("writes", "carried"),
    [
        ({"svc/ruff.toml": b"line-length = 100\n"}, ["svc", "web"]),
        ({"svc/conftest.py": b"import pytest\n"}, ["web"]),  # a code file: a sample
        ({"svc/app/models/.gitkeep": b""}, ["web"]),  # a new folder
        ({"svc/.gitattributes": GENERATED}, ["web"]),
        ({".gitattributes": GENERATED}, []),  # above every project
        ({"web/.prettierrc.json": b"{}\n", "web/eslint.config.js": b""}, ["svc"]),
    ],
    ids=repr,
)
def test_a_survey_is_carried_only_where_the_plans_files_cannot_change_it(
    make_repo: MakeRepo,
    monkeypatch: pytest.MonkeyPatch,
    writes: dict[str, bytes],
    carried: list[str],
) -> None:
    root: Path = make_repo(SERVICE, git=True)
    detection = detect_repository(root)
    assert detection.view is not None
    paths = [project.path for project in detection.projects]
    assert paths == ["svc", "web"]

    planned = detection.view.planned(writes)
    carry_surveys(detection.view, planned, writes)
    assert sorted(key[1] for key in planned.memo if key[0] == SURVEYED) == carried

    found = engine.detect_planned(detection.view, writes, paths, detection.facts)
    monkeypatch.setattr(engine, "carry_surveys", lambda *args: None)
    assert found == engine.detect_planned(detection.view, writes, paths, detection.facts)
