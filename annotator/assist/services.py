"""The assist's actions, once: the JSON API, the reader's htmx views and the command share them.

Suggestions depend only on an article's text, so they are computed once per distinct body
(keyed by its SHA-256) and kept in a small in-process LRU; what a reader sees is that list
minus what they dismissed or already tagged the same way.
"""

import hashlib
import threading
from collections import OrderedDict

from django.db import IntegrityError, transaction

from annotator.annotations.models import Annotation, Label
from annotator.annotations.services import create_annotation
from annotator.annotations.validation import as_choice, check_keys, span_offsets
from annotator.classroom.services import assists_blocked
from annotator.errors import Forbidden, NotAuthenticated, ServiceError

from .models import Dismissal
from .suggest import suggest

CACHE_SIZE = 64
SPAN_FIELDS = ("start", "end", "label")

_cache = OrderedDict()
_cache_lock = threading.Lock()


def assist_allowed(user, article):
    """Whether `user` may see suggestions on `article`. The one switch: a teacher turning
    assists off for an exercise makes this False, and every view, the API and the command follow."""
    return not assists_blocked(user, article)


def article_suggestions(body):
    """All suggestions for a body (a tuple of Suggestion), computed once per distinct text."""
    key = hashlib.sha256(body.encode("utf-8")).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    found = tuple(suggest(body))
    with _cache_lock:
        _cache[key] = found
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def clear_cache():
    with _cache_lock:
        _cache.clear()


def suggestions_for(user, article):
    """The suggestions `user` sees on `article`: without those they dismissed and any reading of
    a span they already tagged as a claim. Forbidden when assists are off."""
    if not assist_allowed(user, article):
        raise Forbidden("Suggestions are switched off for this article.")
    found = article_suggestions(article.body)
    if not user.is_authenticated:
        return list(found)
    hidden = set(
        Dismissal.objects.filter(user=user, article=article).values_list("start", "end", "label", "exact")
    )
    # A span the reader tagged is settled, whichever reading they chose: the other readings
    # of the same words are not offered again.
    tagged = {
        (start, end, article.body[start:end])
        for start, end in Annotation.objects.filter(article=article, author=user).values_list("start", "end")
    }
    return [s for s in found if (s.start, s.end, s.label, s.exact) not in hidden and (s.start, s.end, s.exact) not in tagged]


def suggestion_json(suggestion):
    return {name: getattr(suggestion, name) for name in ("start", "end", "exact", "label", "source", "cue", "confidence")}


def find_suggestion(user, article, data):
    """The suggestion `data` ({"start", "end", "label"}) points at; ServiceError naming the field
    when the offsets or label are malformed or no such suggestion is offered to `user`."""
    start, end, label = _requested(user, article, data)
    for suggestion in suggestions_for(user, article):
        if (suggestion.start, suggestion.end, suggestion.label) == (start, end, label):
            return suggestion
    raise ServiceError(f"No {label} suggestion at [{start}, {end}) is offered here; reload the suggestions.", "start")


def dismiss(user, article, data):
    """Hide a suggestion from `user` for good; returns (Dismissal, created). Dismissing twice is harmless."""
    start, end, label = _requested(user, article, data)
    existing = Dismissal.objects.filter(user=user, article=article, start=start, end=end, label=label).first()
    if existing is not None:
        return existing, False
    suggestion = find_suggestion(user, article, data)
    try:
        with transaction.atomic():
            created = Dismissal.objects.create(user=user, article=article, start=start, end=end, label=label,
                                               exact=suggestion.exact)
            return created, True
    except IntegrityError:  # the same dismissal from a second tab, a moment earlier
        return Dismissal.objects.get(user=user, article=article, start=start, end=end, label=label), False


def accept(user, article, data, exercise=None, key=False):
    """Turn a suggestion into `user`'s own claim, with its label and source; returns the Annotation.

    With `exercise`, the claim is work in that exercise (or, with `key`, part of its key).
    """
    suggestion = find_suggestion(user, article, data)
    claim = {"start": suggestion.start, "end": suggestion.end, "exact": suggestion.exact,
             "label": suggestion.label, "source": suggestion.source}
    if exercise:
        claim["exercise"] = exercise
    return create_annotation(user, article, claim, key=key)


def _requested(user, article, data):
    """(start, end, label) from a request, checked against the article; ServiceError otherwise."""
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to accept or dismiss suggestions.")
    check_keys(data, SPAN_FIELDS, required=SPAN_FIELDS)
    start, end = span_offsets(article, data["start"], data["end"])
    return start, end, as_choice(data["label"], "label", Label)
