"""Each ecosystem's stack tests, one folder an ecosystem (python, node, go, rust, jvm).

A folder holds ``<stack>.contract.yml`` (what tests/test_stack_contract.py checks alike
for every stack), ``stacks.py`` (the files a project of each stack holds),
``toolchain.py`` where the slow tests need one, and the tests of what only its stacks do.
``service.py`` here starts and uses the generated services for the slow tests.
"""

#: The files every template renders, whatever the stack (docs/templates.md).
EVERY_STACK_FILES = frozenset(
    {
        ".copier-answers.yml",
        ".dockerignore",
        ".editorconfig",
        ".github/workflows/ci.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "AGENTS.md",
        "Dockerfile",
        "README.md",
        "compose.yaml",
    }
)
