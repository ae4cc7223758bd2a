"""Ordered child rows of an aggregate, written one way.

A plan's goals, delmål, activities and indicators and an agreement's parties, målområden and
meetings are all created, edited, deleted and moved the same way: lock the aggregate (which
checks the actor's permission and the aggregate's state), check the input against it, write,
and record an audit entry on the aggregate. An app describes its aggregate once, as a subclass
of :class:`ChildWriter`, and each kind of child once, as a :class:`ChildKind`.

Two ways of optimistic locking are supported: plan parts carry a ``lock_version`` of their own
(``lock_child = True``: the form's version is the child's), agreement items are guarded by the
agreement's version (``lock_child = False``: the form's version is the aggregate's).
"""

from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from kvinnofrid.core.audit import model_changes
from kvinnofrid.core.locking import bump_version, lock_for_update
from kvinnofrid.core.models import LockVersionedModel
from kvinnofrid.core.ordering import move_within


class Ordered(Protocol):
    """A child row kept in order among its siblings."""

    order: int


@dataclass(frozen=True)
class ChildKind:
    """One kind of child row: its model, the stem of its audit actions and what is written."""

    model: type[models.Model]
    action: str
    fields: tuple[str, ...]
    m2m: tuple[str, ...] = ()
    ordered: bool = True


class ChildWriter[A: models.Model, U]:
    """Create, edit, delete and move the child rows of one kind of aggregate ``A`` (actor type ``U``).

    Subclasses set ``kinds`` and ``error`` and implement the four hooks below; every method of
    this class runs inside the caller's transaction (services are ``@transaction.atomic``).
    """

    kinds: dict[type[models.Model], ChildKind]
    error: type[Exception] = ValueError
    lock_child = False

    # --- what the aggregate says about itself ---------------------------------------------
    def aggregate_id(self, obj: models.Model) -> int:
        """The id of the aggregate the child row ``obj`` belongs to."""
        raise NotImplementedError

    def lock(self, *, aggregate_id: int, expected_version: int | None, actor: U) -> A:
        """Lock the aggregate row, check ``actor`` may change it and that its state allows it."""
        raise NotImplementedError

    def siblings(self, obj: models.Model) -> models.QuerySet[Any]:
        """The rows ``obj`` is ordered among."""
        raise NotImplementedError

    def audit(
        self, *, actor: U, aggregate: A, action: str, message: str, changes: dict[str, Any]
    ) -> None:
        """Record ``action`` on the aggregate."""
        raise NotImplementedError

    def check(self, aggregate: A, kind: ChildKind, data: dict[str, Any], pk: int | None) -> None:
        """Refuse input that does not fit the aggregate (raise ``self.error``)."""

    def touched(self, aggregate: A) -> None:
        """Called after a child was written (e.g. to bump the aggregate's version)."""

    # --- the four operations ----------------------------------------------------------------
    def snapshot(self, obj: models.Model, kind: ChildKind) -> dict[str, Any]:
        """The audited state of ``obj``: its field values and sorted ids of its links."""
        data = {name: field_value(obj, name) for name in kind.fields}
        for name in kind.m2m:
            data[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        return data

    def create[C: models.Model](
        self,
        model: type[C],
        *,
        aggregate_id: int,
        parent: dict[str, Any],
        data: dict[str, Any],
        actor: U,
        expected_version: int | None = None,
    ) -> C:
        """Add a child at the end of its siblings."""
        kind = self.kinds[model]
        aggregate = self.lock(
            aggregate_id=aggregate_id,
            expected_version=None if self.lock_child else expected_version,
            actor=actor,
        )
        self.check(aggregate, kind, data, None)
        obj = model(**parent)
        self._apply(obj, kind, data)
        if kind.ordered:
            last = self.siblings(obj).aggregate(m=models.Max("order"))["m"]
            cast(Ordered, obj).order = 0 if last is None else last + 1
        self._save(obj)
        self._set_links(obj, kind, data)
        self.touched(aggregate)
        self.audit(
            actor=actor,
            aggregate=aggregate,
            action=f"{kind.action}_create",
            message=str(obj),
            changes=model_changes({}, self.snapshot(obj, kind), model=model),
        )
        return obj

    def update[C: models.Model](
        self,
        model: type[C],
        *,
        pk: int,
        expected_version: int | None,
        data: dict[str, Any],
        actor: U,
    ) -> C:
        """Edit a child; ``expected_version`` is the child's or the aggregate's (see module)."""
        kind = self.kinds[model]
        obj, aggregate = self._locked(model, pk=pk, expected_version=expected_version, actor=actor)
        self.check(aggregate, kind, data, obj.pk)
        before = self.snapshot(obj, kind)
        self._apply(obj, kind, data)
        if self.lock_child and isinstance(obj, LockVersionedModel):
            bump_version(obj)
        self._save(obj)
        self._set_links(obj, kind, data)
        self.touched(aggregate)
        self.audit(
            actor=actor,
            aggregate=aggregate,
            action=f"{kind.action}_update",
            message=str(obj),
            changes=model_changes(before, self.snapshot(obj, kind), model=model),
        )
        return obj

    def delete(
        self, model: type[models.Model], *, pk: int, expected_version: int | None, actor: U
    ) -> None:
        """Delete a child (and what cascades from it)."""
        kind = self.kinds[model]
        obj, aggregate = self._locked(model, pk=pk, expected_version=expected_version, actor=actor)
        self.audit(
            actor=actor,
            aggregate=aggregate,
            action=f"{kind.action}_delete",
            message=str(obj),
            changes=model_changes(self.snapshot(obj, kind), {}, model=model),
        )
        obj.delete()
        self.touched(aggregate)

    def move[C: models.Model](self, model: type[C], *, pk: int, direction: str, actor: U) -> C:
        """Swap a child with its neighbour ``up`` or ``down``; siblings are renumbered."""
        if direction not in ("up", "down"):
            raise self.error(_("Okänd riktning."))
        kind = self.kinds[model]
        obj = model._default_manager.get(pk=pk)
        aggregate = self.lock(
            aggregate_id=self.aggregate_id(obj), expected_version=None, actor=actor
        )
        siblings: list[C] = list(self.siblings(obj).select_for_update())
        index, target = move_within(siblings, pk=pk, direction=direction)
        model._default_manager.bulk_update(siblings, ["order"])
        self.audit(
            actor=actor,
            aggregate=aggregate,
            action=f"{kind.action}_move",
            message=str(obj),
            changes={"order": [index + 1, target + 1]},
        )
        return siblings[target]

    # --- steps ----------------------------------------------------------------------------
    def _locked[C: models.Model](
        self, model: type[C], *, pk: int, expected_version: int | None, actor: U
    ) -> tuple[C, A]:
        obj = model._default_manager.get(pk=pk)
        aggregate = self.lock(
            aggregate_id=self.aggregate_id(obj),
            expected_version=None if self.lock_child else expected_version,
            actor=actor,
        )
        if self.lock_child:
            if not issubclass(model, LockVersionedModel):
                raise TypeError(f"{model.__name__} has no lock_version of its own")
            obj = lock_for_update(
                model._default_manager.all(), pk=pk, expected_version=expected_version
            )
        return obj, aggregate

    @staticmethod
    def _apply(obj: models.Model, kind: ChildKind, data: dict[str, Any]) -> None:
        for name in kind.fields:
            if name in data:
                setattr(obj, name, data[name])

    @staticmethod
    def _set_links(obj: models.Model, kind: ChildKind, data: dict[str, Any]) -> None:
        for name in kind.m2m:
            if name in data:
                getattr(obj, name).set(data[name])

    def _save(self, obj: models.Model) -> None:
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            raise self.error(_("Uppgifterna krockar med en befintlig rad.")) from None


def field_value(obj: models.Model, name: str) -> Any:
    """The stored value of the concrete field ``name`` of ``obj`` (a foreign key's id)."""
    field = obj._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a concrete field of {type(obj).__name__}")
    return getattr(obj, field.attname)
