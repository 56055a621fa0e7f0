"""scaffold: apply a backend engineer's conventions to code repositories.

The library is the product; the ``scaffold`` command is a thin caller of it::

    from scaffold import new_project
    result = new_project("python-fastapi", Path("my-service"), answers={}, dry_run=True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

__all__ = ["__version__", "new_project"]

if TYPE_CHECKING:
    from scaffold.commands.new import new_project


def __getattr__(name: str) -> Any:
    # Keep `import scaffold` cheap: the library API is loaded on first use.
    if name == "new_project":
        from scaffold.commands.new import new_project

        return new_project
    raise AttributeError(f"module 'scaffold' has no attribute {name!r}")
