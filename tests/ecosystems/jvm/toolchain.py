"""The JDK, as the slow tests of the java-spring stack run it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from tests.helpers import toolchain_cache_env


@dataclass(frozen=True)
class Java:
    java: str
    env: dict[str, str]


def java_toolchain() -> Java:
    java, javac = shutil.which("java"), shutil.which("javac")
    if not java or not javac:
        pytest.fail("the java-spring tests need a JDK 25 or newer: java and javac on PATH")
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', version)
    # The template's default release: a project built for it needs a JDK at least as new.
    if not match or int(match.group(1)) < 25:
        pytest.fail(f"the java-spring tests need Java 25 or newer, found: {version.strip()}")
    # MAVEN_USER_HOME (where the wrapper keeps Maven) stays in the real home.
    return Java(java, toolchain_cache_env())
