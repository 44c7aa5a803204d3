"""The error a refused request raises, shown to the user as it is."""


class ServiceError(Exception):
    """A request the rules refuse; its message is shown to the user as is."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
