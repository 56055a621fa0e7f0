"""What every request body of the API shares."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

ModelT = TypeVar("ModelT", bound=models.Model)


class StrictCharField(serializers.CharField):
    """A string, never coerced from another JSON type (``5`` is refused, not made ``"5"``)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictModelSerializer(serializers.ModelSerializer[ModelT]):
    """Refuses fields a client may not write (unknown or read-only ones) instead of ignoring
    them, and reports them together with every other invalid field."""

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for name in sorted(set(data) - writable):
                message = "unknown field" if name not in self.fields else "read-only field"
                errors[str(name)] = [ErrorDetail(message, code="unknown_field")]
        try:
            value = super().to_internal_value(data)
        except ValidationError as error:
            if not isinstance(error.detail, Mapping):
                raise
            errors = {**error.detail, **errors}
        if errors:
            raise ValidationError(errors)
        return value
