"""The follow-up's state machines as data (DESIGN §4): one dict of allowed transitions per model
and one checker. Services call :func:`assert_transition`; views and ``save()`` never do."""

from django.utils.translation import gettext as _

from followup.exceptions import FollowUpError
from followup.models import FollowUpRound, Submission
from kvinnofrid.core.models import LockVersionedModel

R = FollowUpRound.Status
S = Submission.Status

ROUND_TRANSITIONS: dict[str, set[str]] = {
    R.DRAFT: {R.OPEN},
    R.OPEN: {R.CLOSED},
    R.CLOSED: {R.OPEN, R.REPORTED},
    R.REPORTED: set(),
}

SUBMISSION_TRANSITIONS: dict[str, set[str]] = {
    S.NOT_STARTED: {S.DRAFT},
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.ACCEPTED, S.RETURNED},
    S.RETURNED: {S.DRAFT, S.SUBMITTED},
    # Only the coordinator's "reopen" (services.submission_reopen) takes this edge.
    S.ACCEPTED: {S.DRAFT},
}

_TABLES = {
    FollowUpRound: (ROUND_TRANSITIONS, R),
    Submission: (SUBMISSION_TRANSITIONS, S),
}


def is_allowed(model: type[LockVersionedModel], current: str, new: str) -> bool:
    """True if ``model`` may move from ``current`` to ``new``."""
    table, _choices = _TABLES[model]
    return new in table.get(current, set())


def assert_transition(model: type[LockVersionedModel], current: str, new: str) -> None:
    """Raise :class:`FollowUpError` (Swedish message) unless ``current → new`` is allowed."""
    if is_allowed(model, current, new):
        return
    _table, choices = _TABLES[model]
    subject = _("Uppföljningen") if model is FollowUpRound else _("Yttrandet")
    raise FollowUpError(
        _("%(subject)s har status ”%(current)s” och kan inte bli ”%(new)s”.")
        % {
            "subject": subject,
            "current": choices(current).label,
            "new": choices(new).label,
        }
    )
