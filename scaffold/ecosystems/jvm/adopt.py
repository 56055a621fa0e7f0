"""Adopting Spring Boot projects (the java-spring template), built with Maven or Gradle.

The build files are the user's: pom.xml is XML, which scaffold does not merge, and a Gradle
script is code. Adoption adds standalone configs only (.editorconfig, .gitattributes); the
answers read here (coordinates, Java release, root package, indentation) tune them and are
recorded for later updates.
"""

from __future__ import annotations

import os
import re
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.adopters.base import (
    EDITORCONFIG,
    Recipe,
    WholeFile,
    description,
    indent_step,
    project_name,
    project_text,
    project_xml,
    read_source,
    sample_lines,
)
from scaffold.detect.parsers import xml_text
from scaffold.model import Project

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

STACK = "java-spring"

# Where a Java release is set in a pom.xml, the one in force first.
_POM_RELEASE = (
    "properties/maven.compiler.release",
    "build/plugins/plugin[artifactId='maven-compiler-plugin']/configuration/release",
    "properties/java.version",
    "properties/maven.compiler.source",
    "build/plugins/plugin[artifactId='maven-compiler-plugin']/configuration/source",
)
_PROPERTY = re.compile(r"\$\{([\w.\-]+)\}")
# Gradle, Groovy or Kotlin DSL, best effort: a toolchain, else the source compatibility.
_GRADLE_RELEASE = (
    re.compile(r"JavaLanguageVersion\s*\.\s*of\s*\(\s*[\"']?(\d+)"),
    re.compile(r"\bjvmToolchain\s*\(\s*(\d+)"),
    re.compile(
        r"\bsourceCompatibility\s*=\s*(?:JavaVersion\s*\.\s*(?:VERSION_|toVersion\s*\(\s*)"
        r")?[\"']?([\d._]+)"
    ),
)
_GRADLE_GROUP = re.compile(r"^\s*(?:project\s*\.\s*)?group\s*=\s*[\"']([^\"'\n]+)[\"']", re.M)
_GRADLE_NAME = re.compile(r"\brootProject\s*\.\s*name\s*=\s*[\"']([^\"'\n]+)[\"']")
_COMMENT = re.compile(r"/\*.*?\*/|(?:^|(?<=\s))//[^\n]*", re.DOTALL)
_APPLICATION = re.compile(
    r"^\s*@(?:org\.springframework\.boot\.autoconfigure\.)?SpringBootApplication\b", re.M
)
_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;?\s*$", re.M)
# Build output and dependencies, never the project's own code.
_SKIP = {"target", "build", "out", "bin", "node_modules"}


def _accepted(name: str, value: Any) -> bool:
    """Whether the template takes ``value`` for ``name`` in an adopted project: its own
    validators decide, so a value copier would refuse never reaches the render."""
    from scaffold.errors import InvalidAnswerError
    from scaffold.templates import check_answers, get_stack, load_template

    spec = load_template(get_stack(STACK).template)
    try:
        check_answers(spec, {name: value, "adopted": True})
    except InvalidAnswerError:
        return False
    return True


def _read_text(path: str | os.PathLike[str]) -> str:
    return read_source(path, "utf-8-sig") or ""


def _first_text(folder: Path, project: Project, *names: str) -> str:
    """The text of the first of ``names`` that is a file in ``folder``, or ``""``."""
    return next(
        (project_text(folder, project, n) or "" for n in names if (folder / n).is_file()), ""
    )


def _pom(folder: Path, project: Project) -> Element | None:
    """pom.xml's root element, as detection's guarded parser read it (no DOCTYPE or ENTITY,
    no link out of the repository, namespaces stripped)."""
    root = project_xml(folder, project, "pom.xml")
    return root if root is not None and root.tag == "project" else None


def _release(raw: str) -> str | None:
    """A Java release number from how builds spell it: 17, 1.8, VERSION_1_8, 21.0.1."""
    value = raw.strip().replace("_", ".")
    if value.startswith("1.") and value[2:3].isdigit():
        value = value[2:]
    number = re.match(r"\d+", value)
    return number.group(0) if number else None


def _maven_answers(root: Element) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    artifact = xml_text(root, "artifactId")
    group = xml_text(root, "groupId")
    parent = xml_text(root, "parent/groupId")
    if not group and parent != "org.springframework.boot":
        group = parent  # inherited from the project's own parent POM
    declared = root.find("properties")
    properties = {
        child.tag: (child.text or "").strip()
        for child in (list(declared) if declared is not None else [])
        if isinstance(child.tag, str)
    }
    for where in _POM_RELEASE:
        value = xml_text(root, where)
        for _ in range(3):  # ${java.version}, maybe through another property
            value = _PROPERTY.sub(lambda m: properties.get(m.group(1), m.group(0)), value)
        if value and "${" not in value:
            answers["java_version"] = _release(value)
            break
    answers["group_id"] = group
    answers["artifact_id"] = artifact
    return answers


def _gradle_answers(folder: Path, project: Project) -> dict[str, Any]:
    script = _COMMENT.sub("", _first_text(folder, project, "build.gradle.kts", "build.gradle"))
    settings = _first_text(folder, project, "settings.gradle.kts", "settings.gradle")
    settings = _COMMENT.sub("", settings)
    answers: dict[str, Any] = {}
    if group := _GRADLE_GROUP.search(script):
        answers["group_id"] = group.group(1).strip()
    if name := _GRADLE_NAME.search(settings):
        answers["artifact_id"] = name.group(1).strip()
    for pattern in _GRADLE_RELEASE:
        if version := pattern.search(script):
            answers["java_version"] = _release(version.group(1))
            break
    return answers


def _application_package(folder: Path, limit: int = 50) -> str | None:
    """The package of the class annotated @SpringBootApplication, in the main sources.

    Spring Boot scans the packages below that class, so it sits at the top of the package
    tree: the folders are read shallowest first (in each, the ``*Application`` files
    first), down to one level below the shallowest folder holding sources.
    """
    main = folder / "src" / "main"
    top, skip = (main, _SKIP) if main.is_dir() else (folder, _SKIP | {"test"})
    seen = 0
    first_level: int | None = None
    pending: deque[tuple[str | Path, int]] = deque([(top, 0)])
    while pending:
        current, level = pending.popleft()
        if first_level is not None and level > first_level + 1:
            break
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        files = [e for e in entries if e.is_file() and e.name.endswith((".java", ".kt"))]
        files.sort(key=lambda e: not e.name.rsplit(".", 1)[0].endswith("Application"))
        if files and first_level is None:
            first_level = level
        for entry in files:
            seen += 1
            if seen > limit:
                return None
            text = _read_text(entry.path)
            if "SpringBootApplication" not in text or not _APPLICATION.search(text):
                continue
            package = _PACKAGE.search(text)
            return package.group(1) if package else None
        pending.extend(
            (e.path, level + 1)
            for e in entries
            if e.is_dir(follow_symlinks=False) and e.name not in skip and not e.name.startswith(".")
        )
    return None


def _indentation(folder: Path, project: Project) -> dict[str, Any]:
    """The code's indentation: detection's reading when it has one, else a sample of the
    sources (comment lines left out: Javadoc aligns its stars one column in)."""
    indent = project.style.indent
    style, width = (indent.style, indent.size) if indent is not None else (None, None)
    lines: list[str] = []
    if style is None or (style == "space" and width is None):
        suffix = ".kt" if project.language == "kotlin" else ".java"
        lines = [
            line
            for line in sample_lines(folder, suffix)
            if not line.lstrip().startswith(("*", "/*", "//"))
        ]
    if style is None:
        tabbed = sum(line.startswith("\t") for line in lines)
        spaced = sum(line.startswith(" ") for line in lines)
        if not tabbed and not spaced:
            return {}
        style = "tab" if tabbed > spaced else "space"
    if style == "space" and width is None:
        width = indent_step(lines)
    answers: dict[str, Any] = {"indent_style": style}
    if style == "tab" and width is None:
        width = 4  # how wide a tab shows, when nothing says otherwise
    if width is not None and 1 <= width <= 8:
        answers["indent_width"] = width
    return answers


def _java_answers(folder: Path, project: Project) -> dict[str, Any]:
    pom = _pom(folder, project)
    read = _maven_answers(pom) if pom is not None else _gradle_answers(folder, project)
    inferred = {k: v for k, v in read.items() if v and _accepted(k, v)}
    answers: dict[str, Any] = {
        "project_name": project_name(read.get("artifact_id") or None, folder),
    }
    # The template derives the artifact from the project name and the package from both:
    # each is given a value the template accepts, so no default of its can be refused.
    artifact = inferred.get("artifact_id") or answers["project_name"][:60].rstrip("-")
    group = inferred.get("group_id", "com.example")
    answers |= {"group_id": group, "artifact_id": artifact}
    candidates = (
        _application_package(folder),
        f"{group}.{artifact.replace('-', '')}",
        group,
    )
    answers["package_name"] = next(
        (p for p in candidates if p and _accepted("package_name", p)), "com.example"
    )
    if "java_version" in inferred:
        answers["java_version"] = inferred["java_version"]
    answers |= {k: v for k, v in _indentation(folder, project).items() if _accepted(k, v)}
    declared = xml_text(pom, "description") if pom is not None else None
    answers["description"] = description(declared, "A Spring Boot application.")
    if _uses_postgresql(folder, project, pom):
        answers["database"] = "postgresql"
    return answers


def _uses_postgresql(folder: Path, project: Project, pom: Element | None) -> bool:
    """Whether the build declares PostgreSQL's JDBC driver (``org.postgresql:postgresql``)."""
    if pom is not None:
        return any(
            (xml_text(dependency, "groupId"), xml_text(dependency, "artifactId"))
            == ("org.postgresql", "postgresql")
            for dependency in pom.iterfind("dependencies/dependency")
        )
    script = _first_text(folder, project, "build.gradle.kts", "build.gradle")
    return "org.postgresql:postgresql" in _COMMENT.sub("", script)


def _java_commands(folder: Path, project: Project) -> tuple[str, ...]:
    gradle = project.build_tool == "gradle" or (
        project.build_tool != "maven" and not (folder / "pom.xml").is_file()
    )
    if gradle:
        return ("./gradlew build",) if (folder / "gradlew").is_file() else ("gradle build",)
    return ("./mvnw -q verify",) if (folder / "mvnw").is_file() else ("mvn -q verify",)


RECIPE = Recipe(
    STACK,
    _java_answers,
    {
        ".editorconfig": EDITORCONFIG,
        # The wrapper scripts' line endings; a project's own attributes are kept.
        ".gitattributes": WholeFile(),
    },
    _java_commands,
    source_suffix=".java",
)
