"""The follow-up's domain refusals. Messages are Swedish and shown to the user as they are."""

from typing import Any


class FollowUpError(Exception):
    """A follow-up operation was refused for a domain reason; the message is user-facing."""


class MissingAnswersError(FollowUpError):
    """Submit refused because required answers are empty; ``missing`` lists the question texts."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


class PersonalDataWarning(FollowUpError):
    """Submit paused: free text looks like it holds personal data; the actor must confirm.

    ``findings`` is a list of ``{"field": label, "kind": kind, "hint": masked}`` dicts; the full
    number or address is never echoed.
    """

    def __init__(self, message: str, findings: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.findings = findings
