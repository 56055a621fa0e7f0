"""The one JSON error format of every response, and the errors the services raise.

Every error body is ``{"error": {"code": ..., "message": ..., "details": [...]}}``, whether
it comes from validation, a missing route, a domain rule or a crash: REST framework views
go through :func:`exception_handler`, everything else through the Django handlers below.
"""

import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

CODES_BY_STATUS = {
    HTTPStatus.BAD_REQUEST: "bad_request",
    HTTPStatus.UNAUTHORIZED: "unauthorized",
    HTTPStatus.FORBIDDEN: "forbidden",
    HTTPStatus.NOT_FOUND: "not_found",
    HTTPStatus.METHOD_NOT_ALLOWED: "method_not_allowed",
    HTTPStatus.CONFLICT: "conflict",
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "payload_too_large",
    HTTPStatus.UNPROCESSABLE_ENTITY: "validation_error",
    HTTPStatus.INTERNAL_SERVER_ERROR: "internal_error",
    HTTPStatus.SERVICE_UNAVAILABLE: "unavailable",
}

FieldError = dict[str, str | None]


class ConflictError(exceptions.APIException):
    """The change contradicts the stored data (a name already taken...)."""

    status_code = HTTPStatus.CONFLICT
    default_detail = "conflict"
    default_code = "conflict"


class ServiceUnavailableError(exceptions.APIException):
    """A dependency (the database) does not answer."""

    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_detail = "service unavailable"
    default_code = "unavailable"


def error_body(code: str, message: str, details: Iterable[FieldError] = ()) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": list(details)}}


def code_for(status: int) -> str:
    if status in CODES_BY_STATUS:
        return CODES_BY_STATUS[HTTPStatus(status)]
    return "internal_error" if status >= HTTPStatus.INTERNAL_SERVER_ERROR else "bad_request"


def field_errors(detail: Any, field: str | None = None) -> list[FieldError]:
    """Flatten REST framework's nested error detail into ``[{"field", "message"}]``."""
    if isinstance(detail, Mapping):
        errors: list[FieldError] = []
        for key, value in detail.items():
            name = None if key == api_settings.NON_FIELD_ERRORS_KEY else str(key)
            path = name if field is None else field if name is None else f"{field}.{name}"
            errors.extend(field_errors(value, path))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list):
                errors.extend(field_errors(item, f"{field}.{index}" if field else str(index)))
            else:
                errors.append({"field": field, "message": str(item)})
        return errors
    return [{"field": field, "message": str(detail)}]


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response:
    """REST framework's ``EXCEPTION_HANDLER``: any exception in a view, as the JSON format."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("not found")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("permission denied")
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.ParseError("expected a JSON body (Content-Type: application/json)")

    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.ValidationError):
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        body = error_body("validation_error", "invalid request", field_errors(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        status = HTTPStatus(exc.status_code)
        message = exc.detail if isinstance(exc.detail, str) else status.phrase.lower()
        body = error_body(code_for(status), str(message))
        if auth_header := getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = str(auth_header)
        if wait := getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(wait))
    else:
        request = context.get("request")
        where = f"{request.method} {request.path}" if request is not None else "a view"
        logger.error("unhandled error on %s", where, exc_info=exc)
        status = HTTPStatus.INTERNAL_SERVER_ERROR
        body = error_body("internal_error", "internal server error")
    set_rollback()
    return Response(body, status=status, headers=headers)


def _json_error(status: HTTPStatus, message: str) -> JsonResponse:
    return JsonResponse(error_body(code_for(status), message), status=status)


# Django's own error views (handler400... in the root URLconf), used outside REST framework.


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    return _json_error(HTTPStatus.BAD_REQUEST, "bad request")


def permission_denied(request: HttpRequest, exception: Exception) -> JsonResponse:
    return _json_error(HTTPStatus.FORBIDDEN, "permission denied")


def page_not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    return _json_error(HTTPStatus.NOT_FOUND, "not found")


def server_error(request: HttpRequest) -> JsonResponse:
    return _json_error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal server error")


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    """``CSRF_FAILURE_VIEW``: only views outside the API use cookies and CSRF tokens."""
    return _json_error(HTTPStatus.FORBIDDEN, f"CSRF check failed: {reason}".rstrip(": "))


@csrf_exempt
def route_not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """The last route: any path no other route matched, whatever DEBUG says."""
    return _json_error(HTTPStatus.NOT_FOUND, "not found")
