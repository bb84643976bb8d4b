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


class StaleVersion(Conflict):
    """A change made from an older version of an object than the stored one; nothing was written.

    `current` is the object as stored now, its `version` included: the API sends it back and
    a form is drawn again from it, so the editor decides with the newer values in view.
    """

    def __init__(self, message, field, current):
        super().__init__(message, field)
        self.current = current

    def changed_since(self, seen):
        """The names in `seen` (field name -> the value the editor was shown) whose stored value differs now."""
        return [name for name, value in seen.items() if getattr(self.current, name) != value]


class Duplicate(Conflict):
    """The same thing a second time; `existing` is the one already stored, for a form to point to."""

    def __init__(self, message, field, existing):
        super().__init__(message, field)
        self.existing = existing


class TooManyAttempts(ServiceError):
    """Refused without looking: too many wrong tries lately. `retry_after` is in seconds."""

    status = 429

    def __init__(self, message, field=None, retry_after=60):
        super().__init__(message, field)
        self.retry_after = retry_after
