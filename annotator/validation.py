"""The checks every way in applies to a value: the JSON API, the htmx forms, the importer.

Each check returns the value in its stored type or raises annotator.errors.ServiceError
naming the field, with a message a person can act on. Every app calls these (the claim and
span checks are in annotations.validation); none keeps a private copy.
"""

import re

from .errors import ServiceError

_INTEGER = re.compile(r"-?[0-9]{1,18}")


def check_keys(data, allowed, required=()):
    """Refuse keys not in `allowed` and missing `required` ones."""
    unknown = sorted(set(data) - set(allowed), key=str)
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise ServiceError(f"Not accepted here: {names}; the fields are {', '.join(allowed)}.", str(unknown[0]))
    for name in required:
        if name not in data:
            raise ServiceError(f"{name} is required.", name)


def checked(data, checks):
    """{name: check(value, name)} for each name of `checks` present in `data`."""
    return {name: check(data[name], name) for name, check in checks.items() if name in data}


def as_integer(value, field, limit=None):
    """An int from JSON (not a bool, not a float) or a form's digit string, within ±`limit` if given.

    Ids need no limit: Django answers a lookup by an id too large for its column with no rows.
    """
    number = None
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    if number is not None:
        if limit is None or -limit <= number <= limit:
            return number
        raise ServiceError(f"{field} is out of range: {shown(value)}.", field)
    raise ServiceError(f"{field} must be an integer, not {shown(value)}.", field)


def as_text(value, field, max_length=None):
    """A string that every database can store, at most `max_length` characters long."""
    if not isinstance(value, str):
        raise ServiceError(f"{field} must be a string.", field)
    # PostgreSQL cannot store NUL in text, and no article or note needs one.
    if "\x00" in value:
        raise ServiceError(f"{field} must not contain NUL characters.", field)
    if not is_encodable(value):
        raise ServiceError(
            f"{field} contains half of a character (a lone UTF-16 surrogate); send whole characters.", field
        )
    if max_length is not None and len(value) > max_length:
        raise ServiceError(f"{field} is too long: {len(value):,} characters; the limit is {max_length:,}.", field)
    return value


def is_encodable(value):
    """Whether `value` is real Unicode text: JSON's \\ud83d escapes can smuggle in half a character."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_choice(value, field, choices):
    if not isinstance(value, str) or value not in choices.values:
        raise ServiceError(f"{field} must be one of {', '.join(choices.values)}, not {shown(value)}.", field)
    return value


def shown(value, limit=80):
    """A value quoted for an error message, cut short if long."""
    words = value if isinstance(value, str) else repr(value)
    if not is_encodable(words):
        words = words.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(words) > limit:
        words = words[: limit - 1] + "…"
    return f"'{words}'" if isinstance(value, str) else words
