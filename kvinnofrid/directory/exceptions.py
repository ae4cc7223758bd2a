from django.utils.translation import gettext_lazy as _


class DirectoryError(Exception):
    """A refused change to the directory; ``str(exc)`` is a Swedish message for the user."""

    default_message = _("Ändringen kunde inte sparas.")

    def __init__(self, message: object = None) -> None:
        super().__init__(str(message or self.default_message))
