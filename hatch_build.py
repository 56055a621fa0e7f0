"""Wheel and sdist build hook: ship each template's version history as a git bundle.

See ``scaffold/history.py``. From a git checkout, the bundles hold the template at every
``v*`` release tag plus the version being built; from an unpacked sdist (no ``.git``), the
bundles the sdist already carries are used.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).resolve().parent
GENERATED = ROOT / "build" / "template-history"
SHIPPED_IN_SDIST = ROOT / "template-history"


def _history_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "_scaffold_history", ROOT / "scaffold" / "history.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class TemplateHistoryHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "template-history"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "sdist") or version == "editable":
            return
        bundles = self._bundles()
        for bundle in bundles:
            if self.target_name == "wheel":
                build_data["force_include"][str(bundle)] = (
                    f"scaffold/template-history/{bundle.name}"
                )
            else:
                build_data["force_include"][str(bundle)] = f"template-history/{bundle.name}"

    def _bundles(self) -> list[Path]:
        if not (ROOT / ".git").exists() and SHIPPED_IN_SDIST.is_dir():
            return sorted(SHIPPED_IN_SDIST.glob("*.bundle"))
        history = _history_module()
        source_repo = ROOT if (ROOT / ".git").exists() else None
        shutil.rmtree(GENERATED, ignore_errors=True)
        bundles = []
        for template in sorted((ROOT / "templates").iterdir()):
            if (template / "copier.yml").is_file():
                bundle = GENERATED / f"{template.name}.bundle"
                history.build_history_bundle(source_repo, template, self.metadata.version, bundle)
                bundles.append(bundle)
        return bundles
