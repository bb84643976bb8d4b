"""A claim's own checks: its span and its fields, as every way in applies them.

The checks of single values (integers, text, choices) are in annotator/validation.py and
are importable from here too, so a caller needs one import for a claim's whole set.
"""

from django.conf import settings

from annotator.errors import ServiceError
from annotator.validation import (  # noqa: F401
    as_choice, as_integer, as_text, check_keys, checked, is_encodable, shown,
)

from .models import Annotation, Label, Visibility

SOURCE_MAX_LENGTH = Annotation._meta.get_field("source").max_length


def span_offsets(article, start, end, field_prefix=""):
    """(start, end) as ints if they make a non-empty span of `article.body`; ServiceError otherwise."""
    start_field, end_field = field_prefix + "start", field_prefix + "end"
    start, end = as_integer(start, start_field), as_integer(end, end_field)
    if start < 0:
        raise ServiceError(f"{start_field} must be 0 or more.", start_field)
    if start >= end:
        raise ServiceError(f"{start_field} must be before {end_field}.", start_field)
    length = len(article.body)
    if end > length:
        raise ServiceError(f"{end_field} is past the end of the article (length {length}).", end_field)
    return start, end


def validate_span(article, start, end, exact, field_prefix=""):
    """Check that [start, end) is a non-empty span of `article.body` reading `exact`.

    Offsets are code points (Python string indices). Returns (start, end) as ints; raises
    ServiceError naming the field ("start", or "to_start" with field_prefix="to_").
    """
    start, end = span_offsets(article, start, end, field_prefix)
    exact_field = field_prefix + "exact"
    exact = as_text(exact, exact_field)
    actual = article.body[start:end]
    if exact != actual:
        raise ServiceError(
            f"{exact_field} does not match the article text at [{start}, {end}): expected {shown(actual)}.",
            exact_field,
        )
    return start, end


# A claim's own fields, as every way in checks them.
ANNOTATION_CHECKS = {
    "label": lambda value, field: as_choice(value, field, Label),
    "source": lambda value, field: as_text(value, field, SOURCE_MAX_LENGTH),
    "note": lambda value, field: as_text(value, field, settings.NOTE_MAX_LENGTH),
    "visibility": lambda value, field: as_choice(value, field, Visibility),
}
KEY_CHECKS = {"explanation": lambda value, field: as_text(value, field, settings.NOTE_MAX_LENGTH)}
