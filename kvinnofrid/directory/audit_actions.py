"""How the directory's audit keys read (see ``kvinnofrid.core.audit_catalogue``)."""

from django.utils.translation import gettext_lazy as _

from kvinnofrid.core.audit_catalogue import register
from kvinnofrid.directory.models import County, Organisation


def register_actions() -> None:
    register(
        "directory.organisation.created", _("lade till aktören %(object)s"), model=Organisation
    )
    register("directory.organisation.updated", _("ändrade aktören %(object)s"), model=Organisation)
    register(
        "directory.organisation.deactivated",
        _("avaktiverade aktören %(object)s"),
        model=Organisation,
    )
    register(
        "directory.organisations.imported",
        _("importerade aktörer till %(object)s"),
        labels={"created": _("nya aktörer"), "updated": _("ändrade aktörer")},
    )
    register(
        "directory.county.logo_set", _("laddade upp länets logotyp för %(object)s"), model=County
    )
    register(
        "directory.county.logo_removed", _("tog bort länets logotyp för %(object)s"), model=County
    )
