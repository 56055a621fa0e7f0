"""``scaffold detect``: every project in a repository and its conventions. Reads only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from scaffold.errors import ExitCode
from scaffold.model import Detection


@dataclass(frozen=True, slots=True)
class DetectResult:
    """What detection found; its JSON is :meth:`scaffold.model.Detection.to_dict` (the
    contract described in :mod:`scaffold.detect`)."""

    detection: Detection

    @property
    def exit_code(self) -> int:
        """0: what the repository holds is reported, bad input inside it as warnings."""
        return ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return self.detection.to_dict()


def detect_projects(directory: str | os.PathLike[str]) -> DetectResult:
    """Detect every project below ``directory`` (see :func:`scaffold.detect.detect_repository`:
    a missing folder is a usage error, exit code 2)."""
    from scaffold.detect import detect_repository

    return DetectResult(detect_repository(directory))
