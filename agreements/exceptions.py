"""Domain refusals of the agreements app; messages are Swedish and shown to the user."""


class AgreementError(Exception):
    """An agreement operation was refused."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
