"""The go stack: its files and its contract."""

from __future__ import annotations

from tests.ecosystems.contract import BadAnswer, StackContract

GO_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".gitignore",
    "AGENTS.md",
    ".golangci.yml",
    "Dockerfile",
    "Makefile",
    "README.md",
    "go.mod",
}
# Under internal_dir, and under pkg_dir with the library.
INTERNAL_FILES = {
    "config/config.go",
    "config/config_test.go",
    "httpapi/api.go",
    "httpapi/api_test.go",
    "httpapi/items.go",
    "httpapi/middleware.go",
    "httpapi/request.go",
    "httpapi/response.go",
    "items/items.go",
    "items/service.go",
    "items/service_test.go",
    "server/server.go",
    "server/server_test.go",
    "storage/memory/memory.go",
    "storage/memory/memory_test.go",
}
LIBRARY_FILES = {"client/client.go", "client/client_test.go", "client/example_test.go"}
INTERNAL_PACKAGES = ("config", "httpapi", "items", "server", "storage/memory")
DEFAULT_LAYOUT = {"cmd_dir": "cmd", "internal_dir": "internal", "pkg_dir": "pkg"}
LAYOUT_KEYS = tuple(DEFAULT_LAYOUT)


def expected_files(
    binary_name: str,
    *,
    library: bool = False,
    cmd_dir: str = "cmd",
    internal_dir: str = "internal",
    pkg_dir: str = "pkg",
) -> set[str]:
    return (
        GO_FILES
        | {f"{cmd_dir}/{binary_name}/main.go"}
        | {f"{internal_dir}/{name}" for name in INTERNAL_FILES}
        | ({f"{pkg_dir}/{name}" for name in LIBRARY_FILES} if library else set())
    )


LAYOUT_REFUSALS = [
    ("", "must not be empty"),
    ("../x", "no . or .. folders"),
    ("a/./b", "no . or .. folders"),
    ("..", "no . or .. folders"),
    ("/abs", "no leading or trailing /"),
    ("abs/", "no leading or trailing /"),
    ("a//b", "empty folder name"),
    ("Bad", "use lowercase letters"),
    ("a b", "use lowercase letters"),
    ("a.b", "use lowercase letters"),
    ("a\\b", "use lowercase letters"),
    ("{{x}}", "use lowercase letters"),
    ("a/b/c/d", "use at most 3 folders"),
    ("_x", "start each folder name with a lowercase letter or a digit"),
    ("x/-y", "start each folder name with a lowercase letter or a digit"),
    ("x/vendor", "vendor and testdata"),
    ("testdata", "vendor and testdata"),
    ("aux", "not allowed in Go import paths"),
    ("x/lpt1", "not allowed in Go import paths"),
    ("bin", "bin/ and dist/ hold build output"),
    ("dist/x", "bin/ and dist/ hold build output"),
]

BAD_ANSWERS: tuple[BadAnswer, ...] = (
    (["{dir}", "--data", "project_name=../x"], "project_name='../x': use lowercase letters"),
    (["{dir}", "--data", "project_name=Bad Name"], "project_name='Bad Name': use lowercase letters"),
    (["{dir}/Bad Name"], "project_name='Bad Name' (from the folder name; pass --data project_name=NAME): use lowercase letters"),
    (["{dir}", "--data", "module_path=example.com/my service"], "module_path='example.com/my service': a module path may only contain"),
    (["{dir}", "--data", "module_path=example.com/../x"], "module_path='example.com/../x': no element of a module path may start or end with a dot"),
    (["{dir}", "--data", "module_path=Example.com/x"], "module_path='Example.com/x': the first element of a module path must be lowercase"),
    (["{dir}", "--data", "binary_name=bin/server"], "binary_name='bin/server': use lowercase letters, digits, hyphens and underscores"),
    (["{dir}", "--data", "go_version=1.21"], "go_version='1.21': use a Go release such as 1.24"),
    (["{dir}", "--data", "library=maybe"], "library: 'maybe' is not true or false"),
    (["{dir}", "--data", "package=x"], "unknown answer 'package' for this stack"),
)  # fmt: skip

GO = StackContract(
    stack="go",
    summary_part="net/http",
    language="go",
    framework=None,
    files=expected_files,
    dry_run_name="inventory",
    dry_run_answers={
        "adopted": False,
        "author": "",
        "binary_name": "inventory",
        "cmd_dir": "cmd",
        "description": "An HTTP service written in Go",
        "go_version": "1.24",
        "internal_dir": "internal",
        "library": False,
        "module_path": "example.com/inventory",
        "pkg_dir": "pkg",
        "project_name": "inventory",
    },
    next_steps=("cd inventory", "make test", "make lint", "make run"),
    tree_line="├── internal/",
    marker="go.mod",
    bad_answers=BAD_ANSWERS,
    accepted=(
        ("project_name", "my-service"),
        ("project_name", "a1"),
        ("module_path", "example.com/my-service"),
        ("module_path", "github.com/Acme/Service_v2/v2"),
        ("module_path", "myservice"),
        ("module_path", "gitlab.com/group/sub.group/pkg~x"),
        ("binary_name", "my_service"),
        ("binary_name", "svc-2"),
        ("go_version", "1.24"),
        ("go_version", "1.26.8"),
        ("description", ""),
        ("cmd_dir", "app"),
        ("cmd_dir", "cmd/tools"),
        ("cmd_dir", "x/y/z"),
        ("internal_dir", "private"),
        ("internal_dir", "internal/core"),
        ("internal_dir", "internal/app/core"),
        ("internal_dir", "core-2"),
        ("pkg_dir", "lib"),
        ("pkg_dir", "pkg/public_api"),
        ("pkg_dir", "2lib"),
    ),
    refused=(
        ("project_name", "", ""),
        ("project_name", "a/b", ""),
        ("project_name", "{{x}}", ""),
        ("project_name", "x; rm -rf /", ""),
        ("project_name", "trailing-", ""),
        ("project_name", "1st", ""),
        ("module_path", "", ""),
        ("module_path", "/abs/path", ""),
        ("module_path", "example.com/", ""),
        ("module_path", "example.com//x", ""),
        ("module_path", ".hidden/x", ""),
        ("module_path", "example.com/x.", ""),
        ("module_path", "example.com/x\ty", ""),
        ("module_path", 'example.com/"quoted"', ""),
        ("module_path", "ex_ample.com/x", ""),
        ("module_path", "-flag/x", ""),
        ("binary_name", "", ""),
        ("binary_name", "Server", ""),
        ("binary_name", "../server", ""),
        ("binary_name", "server_", ""),
        ("binary_name", "server.exe", ""),
        ("go_version", "1", ""),
        ("go_version", "1.23", ""),
        ("go_version", "2.0", ""),
        ("go_version", "1.24rc1", ""),
        ("go_version", "1.24.", ""),
        ("go_version", "1.24.0.1", ""),
        ("go_version", "go1.24", ""),
        ("description", "two\nlines", ""),
        ("author", "two\nlines", ""),
        *((key, value, message) for key in LAYOUT_KEYS for value, message in LAYOUT_REFUSALS),
    ),
    copier_refused=(
        ("module_path", "example.com/a b"),
        ("binary_name", "a/b"),
        ("go_version", "1.2"),
        ("cmd_dir", "../x"),
        ("internal_dir", "a//b"),
        ("pkg_dir", "Bad"),
        ("cmd_dir", "internal"),  # checked against internal_dir's default, asked later
    ),
    default_layout=DEFAULT_LAYOUT,
)

CONTRACTS = (GO,)
