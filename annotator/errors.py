"""Errors raised by service functions; the JSON API and the htmx views both translate them.

A service never returns half a result: it raises one of these before writing anything.
"""


class ServiceError(Exception):
    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAuthenticated(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class TooManyAttempts(ServiceError):
    """Refused without looking: too many wrong tries lately. `retry_after` is in seconds."""

    status = 429

    def __init__(self, message, field=None, retry_after=60):
        super().__init__(message, field)
        self.retry_after = retry_after
