"""Settings from the environment: typed getters and the ``DATABASE_URL`` parser."""

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "postgresql+psycopg", "pgsql"})


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def require_env(name: str) -> str:
    """A variable that has no safe default: missing or empty stops the service at start-up."""
    value = os.environ.get(name, "").strip()
    if not value:
        msg = f"set the {name} environment variable"
        raise ImproperlyConfigured(msg)
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    msg = f"{name}={raw!r}: expected true or false"
    raise ImproperlyConfigured(msg)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        msg = f"{name}={raw!r}: expected an integer"
        raise ImproperlyConfigured(msg) from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list, blanks dropped: ``ALLOWED_HOSTS=api.example.com,localhost``."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Django's ``DATABASES`` entry for a URL.

    - ``sqlite:///db.sqlite3`` (relative to ``base_dir``), ``sqlite:////abs/path.sqlite3``,
      ``sqlite:///:memory:``;
    - ``postgresql://user:password@host:5432/name?sslmode=require`` (``postgres://`` too);
      query parameters become connection options, ``?host=/run/postgresql`` a socket folder.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        name = path[1:] if path.startswith("/") else path
        if not name:
            msg = "DATABASE_URL: a SQLite URL needs a file, as in sqlite:///db.sqlite3"
            raise ImproperlyConfigured(msg)
        if name != ":memory:" and not Path(name).is_absolute():
            name = str(base_dir / name)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if scheme in _POSTGRES_SCHEMES:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            msg = "DATABASE_URL: a PostgreSQL URL needs a database name after the host"
            raise ImproperlyConfigured(msg)
        try:
            port = parts.port
        except ValueError:
            msg = "DATABASE_URL: the port must be a number"
            raise ImproperlyConfigured(msg) from None
        options = dict(parse_qsl(parts.query))
        host = options.pop("host", None) or unquote(parts.hostname or "")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(port or ""),
            "OPTIONS": options,
        }
    shown = scheme or url.split(":", 1)[0]
    msg = f"DATABASE_URL: unsupported scheme {shown!r}; use sqlite:// or postgresql://"
    raise ImproperlyConfigured(msg)
