"""Reading a Maven pom.xml: coordinates, parent, modules, dependencies and plugins (the XML
is read by the guarded parser: no DTDs, no entities)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scaffold.detect.parsers import xml_text
from scaffold.detect.paths import join, parent, resolve

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from scaffold.detect.base import Context


@dataclass
class Pom:
    """What detection reads from one pom.xml."""

    path: str
    group: str
    artifact: str
    packaging: str
    parent: tuple[str, str] | None
    parent_path: str | None
    modules: list[str]
    dependencies: list[str]
    managed: list[str]
    plugins: list[str]
    kotlin: bool = False
    #: Dependencies in the test scope, which serve the tests only.
    test_dependencies: list[str] = field(default_factory=list)


def coordinates(elements: list[Element]) -> list[str]:
    out = []
    for element in elements:
        group = xml_text(element, "groupId")
        artifact = xml_text(element, "artifactId")
        if artifact:
            out.append(f"{group}:{artifact}")
    return out


def read_pom(ctx: Context, path: str) -> Pom | None:
    root = ctx.xml(path)
    if root is None:
        return None
    if root.tag != "project":
        ctx.warn(path, f"root element is <{root.tag}>, not <project>")
        return None
    parent_el = root.find("parent")
    parent_coordinates = None
    parent_path = None
    folder = parent(path)
    if parent_el is not None:
        parent_coordinates = (xml_text(parent_el, "groupId"), xml_text(parent_el, "artifactId"))
        relative = parent_el.find("relativePath")
        if relative is None:
            parent_path = resolve(folder, "../pom.xml")
        elif relative.text and relative.text.strip():
            target = resolve(folder, relative.text.strip())
            if target is not None and not target.endswith(".xml"):
                target = join(target, "pom.xml")
            parent_path = target
    plugins = coordinates(root.findall("build/plugins/plugin"))
    plugins += coordinates(root.findall("build/pluginManagement/plugins/plugin"))
    declared = root.findall("dependencies/dependency")
    dependencies = coordinates([d for d in declared if xml_text(d, "scope") != "test"])
    tests = coordinates([d for d in declared if xml_text(d, "scope") == "test"])
    pom = Pom(
        path=path,
        group=xml_text(root, "groupId") or (parent_coordinates[0] if parent_coordinates else ""),
        artifact=xml_text(root, "artifactId"),
        packaging=xml_text(root, "packaging") or "jar",
        parent=parent_coordinates,
        parent_path=parent_path,
        modules=[m.text.strip() for m in root.findall("modules/module") if m.text],
        dependencies=dependencies,
        managed=coordinates(root.findall("dependencyManagement/dependencies/dependency")),
        plugins=plugins,
        test_dependencies=tests,
    )
    pom.kotlin = any(p.endswith(":kotlin-maven-plugin") for p in plugins) or any(
        d.startswith("org.jetbrains.kotlin:kotlin-stdlib") for d in dependencies
    )
    return pom
