"""Shapes shared by several endpoints."""

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count for the filter in force."""

    items: list[T]
    total: int
    limit: int
    offset: int


class HealthStatus(BaseModel):
    status: Literal["ok", "ready"]
