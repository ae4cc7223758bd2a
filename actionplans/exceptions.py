"""Domain refusals of the action-plan app; messages are Swedish and shown to the user."""


class PlanError(Exception):
    """A plan operation was refused (e.g. editing an adopted plan)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
