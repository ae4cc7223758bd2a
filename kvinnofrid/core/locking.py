"""Optimistic locking for editable aggregates (DESIGN §6)."""

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from kvinnofrid.core.models import LockVersionedModel


class StaleObjectError[M: models.Model](Exception):
    """Raised when a form's ``lock_version`` is older than the saved object's.

    ``current`` is the freshly loaded object so the conflict page can show the saved values
    beside the user's own.
    """

    def __init__(self, current: M, submitted_version: int | None = None) -> None:
        self.current = current
        self.submitted_version = submitted_version
        super().__init__(
            _(
                "Någon annan har sparat ändringar sedan du öppnade formuläret. "
                "Dina uppgifter är kvar; jämför och spara igen."
            )
        )


def lock_for_update[M: LockVersionedModel](
    queryset: models.QuerySet[M], *, pk: Any, expected_version: int | None
) -> M:
    """Lock the row and check its version. ``expected_version=None`` skips the check."""
    obj = queryset.select_for_update(of=("self",)).get(pk=pk)
    if expected_version is not None and obj.lock_version != expected_version:
        raise StaleObjectError(obj, expected_version)
    return obj


def bump_version(obj: LockVersionedModel) -> None:
    """Increase ``lock_version`` in memory; call before ``save``."""
    obj.lock_version += 1
