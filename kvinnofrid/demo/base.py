"""The demo loader's way of writing: find each row by a natural key, create it or (update mode)
save only the fields that differ (see ``kvinnofrid.demo.loader``)."""

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models

from fixtures.demo import users
from kvinnofrid.accounts.models import User
from kvinnofrid.directory.models import Organisation

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def parse_datetime(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(value).replace(tzinfo=STOCKHOLM)


class DemoWriter:
    def __init__(self, *, update: bool = False) -> None:
        self.update = update
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.links = 0
        self._orgs: dict[tuple[str | None, str], Organisation] = {}
        self._users: dict[str, User] = {}
        self._new_reports: set[int] = set()

    def sync[M: models.Model](
        self,
        model: type[M],
        lookup: dict[str, Any],
        values: dict[str, Any] | None = None,
        *,
        on_create: dict[str, Any] | None = None,
    ) -> tuple[M, bool]:
        """Find the row by ``lookup``; create it, or (update mode) save the fields that differ.

        ``on_create`` values are only written when the row is created (e.g. a plan's status,
        which the plan's own life cycle changes afterwards)."""
        values = values or {}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values, **(on_create or {}))
            self.created[model.__name__] += 1
            return obj, True
        if self.update:
            changed = [name for name, value in values.items() if self._differs(obj, name, value)]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                    changed.append("updated_at")
                obj.save(update_fields=changed)
                self.updated[model.__name__] += 1
        return obj, False

    @staticmethod
    def _differs(obj: models.Model, name: str, value: Any) -> bool:
        field = obj._meta.get_field(name)
        if isinstance(field, models.Field) and field.is_relation:
            return bool(getattr(obj, field.attname) != (value.pk if value is not None else None))
        return bool(getattr(obj, name) != value)

    def set_m2m(self, obj: models.Model, name: str, targets: Sequence[models.Model]) -> None:
        manager = getattr(obj, name)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)
            self.links += 1

    def org(self, county_code: str | None, name: str) -> Organisation:
        key = (county_code, name)
        if key not in self._orgs:
            self._orgs[key] = (
                Organisation.objects.get(county__code=county_code, name=name)
                if county_code
                else Organisation.objects.get(county__isnull=True, name=name)
            )
        return self._orgs[key]

    def _user(self, email: str, values: dict[str, Any], password: str) -> User:
        user, created = self.sync(User, {"email": email}, values)
        if created or (self.update and not user.check_password(password)):
            user.set_password(password)
            user.save(update_fields=["password"])
        self._users[email] = user
        return user

    def coordinator(self, county_code: str) -> User | None:
        for email, _name, role, code, _org, _password in users.USERS:
            if role == "coordinator" and code == county_code:
                return self._users[email]
        return None

    # --- agreements ---------------------------------------------------------------------------
