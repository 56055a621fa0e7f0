"""Structured logging: one JSON object per line, and one log line per request."""

import json
import logging
import logging.config
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response

logger = logging.getLogger(__name__)

_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON, with every ``extra=`` field as a top-level key."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(
            (key, value) for key, value in vars(record).items() if key not in _RECORD_FIELDS
        )
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(level: str, *, json_output: bool) -> None:
    formatter: dict[str, Any] = (
        {"()": JsonFormatter}
        if json_output
        else {"format": "%(asctime)s %(levelname)-8s %(name)s: %(message)s"}
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"default": formatter},
            "handlers": {
                "console": {"class": "logging.StreamHandler", "formatter": "default"},
            },
            "root": {"handlers": ["console"], "level": level},
            "loggers": {
                "uvicorn.access": {"level": "WARNING"},
            },
        }
    )


MAX_REQUEST_ID_LENGTH = 128


def is_request_id(value: str) -> bool:
    """A client's request id is kept only when it is 1 to 128 printable ASCII characters."""
    return 0 < len(value) <= MAX_REQUEST_ID_LENGTH and all(" " <= c <= "~" for c in value)


async def log_requests(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Log method, path, status and duration of each request, tagged with a request id."""
    request_id = request.headers.get("x-request-id", "")
    if not is_request_id(request_id):
        request_id = uuid.uuid4().hex
    started = time.perf_counter()
    response = await call_next(request)
    response.headers["X-Request-ID"] = request_id
    logger.info(
        "request",
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": request.url.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
    return response
