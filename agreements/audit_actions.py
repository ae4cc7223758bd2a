"""How the agreements' audit keys read (see ``kvinnofrid.core.audit_catalogue``)."""

from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Commitment, Meeting, Party
from kvinnofrid.core.audit_catalogue import register

# (model, action prefix as in services.ITEM_ACTION, phrases for create/update/delete/move)
_ITEMS = (
    (
        Party,
        "party",
        (
            _("lade till parten %(object)s"),
            _("ändrade parten %(object)s"),
            _("tog bort parten %(object)s"),
            _("flyttade parten %(object)s"),
        ),
    ),
    (
        Commitment,
        "commitment",
        (
            _("lade till målområdet ”%(object)s”"),
            _("ändrade målområdet ”%(object)s”"),
            _("tog bort målområdet ”%(object)s”"),
            _("flyttade målområdet ”%(object)s”"),
        ),
    ),
    (
        Meeting,
        "meeting",
        (
            _("lade till sammanträdet ”%(object)s”"),
            _("ändrade sammanträdet ”%(object)s”"),
            _("tog bort sammanträdet ”%(object)s”"),
            _("flyttade sammanträdet ”%(object)s”"),
        ),
    ),
)


def register_actions() -> None:
    register("agreements.agreement_create", _("skapade överenskommelsen"), model=Agreement)
    register("agreements.agreement_update", _("ändrade överenskommelsen"), model=Agreement)
    register(
        "agreements.agreement_copy",
        _("skapade en ny överenskommelse utifrån en tidigare"),
        model=Agreement,
        labels={"previous": _("tidigare överenskommelse (id)")},
    )
    for model, prefix, phrases in _ITEMS:
        for suffix, phrase in zip(("create", "update", "delete", "move"), phrases, strict=True):
            register(
                f"agreements.{prefix}_{suffix}",
                phrase,
                model=model,
                object_from_message=True,
                labels={"order": _("plats")},
            )
