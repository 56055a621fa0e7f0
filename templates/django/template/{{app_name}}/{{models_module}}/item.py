"""The example resource."""

from django.db import models

NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 1000
# The largest id and offset a request may name: every database's integer column holds it.
MAX_INTEGER = 2**31 - 1


class Item(models.Model):
    name = models.CharField(max_length=NAME_MAX_LENGTH, unique=True)
    # null, not "": the API tells an absent description (null) from an empty one.
    description = models.CharField(  # noqa: DJ001
        max_length=DESCRIPTION_MAX_LENGTH, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name
