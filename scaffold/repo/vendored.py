"""What counts as vendored or generated code, by default and by ``.gitattributes``.

Vendored and generated code stays in a view's list but
:meth:`~scaffold.repo.view.RepoView.excluded` says so; it is checked on the few paths a
detector looks at, so its cost grows with manifests and samples, not with files. Folder
names match on whole path segments only, and ``.gitattributes`` ``linguist-vendored`` /
``linguist-generated`` (set or unset) win over the defaults.
"""

from __future__ import annotations

import warnings

#: Folder names (whole path segments) whose content is never the project's own code.
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "third_party",
        "third-party",
        "target",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "site-packages",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".cache",
        "dist",
        "build",
        "_build",
        ".gradle",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".turbo",
        ".yarn",
        ".pnpm-store",
        ".terraform",
        ".dart_tool",
        "Pods",
    }
)

#: File name endings of generated code (protobuf, gRPC, code generators, minified bundles).
GENERATED_SUFFIXES = (
    "_pb2.py",
    "_pb2.pyi",
    "_pb2_grpc.py",
    ".pb.go",
    ".pb.gw.go",
    "_grpc.pb.go",
    "_pb.js",
    "_pb.d.ts",
    "_grpc_pb.js",
    "_grpc_pb.d.ts",
    ".pb.cc",
    ".pb.h",
    ".pb.rs",
    ".g.dart",
    ".freezed.dart",
    ".min.js",
    ".min.css",
)


class AttributeRule:
    """One ``.gitattributes`` line setting or unsetting linguist-vendored/-generated.

    ``vendored``/``generated``: True (set), False (unset), "" (back to the default, ``!attr``)
    or None (line does not mention it).
    """

    __slots__ = ("base", "generated", "pattern", "spec", "vendored")

    def __init__(
        self, base: str, pattern: str, vendored: bool | str | None, generated: bool | str | None
    ) -> None:
        import pathspec

        self.base = base
        self.pattern = pattern
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.spec = pathspec.GitIgnoreSpec.from_lines([pattern])
        self.vendored = vendored
        self.generated = generated

    def matches(self, path: str) -> bool:
        if self.base:
            if not path.startswith(self.base + "/"):
                return False
            path = path[len(self.base) + 1 :]
        return bool(self.spec.match_file(path))


def _attribute_value(token: str, name: str) -> bool | str | None:
    if token == name or token == f"{name}=true":
        return True
    if token == f"-{name}" or token == f"{name}=false":
        return False
    if token == f"!{name}":
        return ""
    return None


def parse_attributes(base: str, text: str) -> list[AttributeRule]:
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        pattern, tokens = parts[0], parts[1:]
        if pattern.startswith("[attr]"):
            continue
        vendored: bool | str | None = None
        generated: bool | str | None = None
        for token in tokens:
            value = _attribute_value(token, "linguist-vendored")
            if value is not None:
                vendored = value
            value = _attribute_value(token, "linguist-generated")
            if value is not None:
                generated = value
        if vendored is None and generated is None:
            continue
        try:
            rules.append(AttributeRule(base, pattern, vendored, generated))
        except Exception:  # pathspec refuses a malformed pattern: ignore that line
            continue
    return rules


# -- building a view --------------------------------------------------------------------------
