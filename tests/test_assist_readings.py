"""Accepting one reading of a span settles it: the span's other readings are offered no more."""

import pytest

from annotator.assist import services
from annotator.assist.services import article_suggestions, suggestions_for

from .factories import make_user


@pytest.fixture
def two_readings(seeded):
    """A seed article and a span the assist reads two ways."""
    for article in seeded.values():
        labels = {}
        for s in article_suggestions(article.body):
            labels.setdefault((s.start, s.end), []).append(s)
        both = [readings for readings in labels.values() if len({r.label for r in readings}) >= 2]
        if both:
            return article, both[0]
    pytest.fail("no seed article has a span with two readings")


def test_accepting_one_reading_removes_the_other_reading_of_the_same_span(two_readings):
    article, (first, second) = two_readings[0], two_readings[1][:2]
    reader = make_user("amira")
    offered = {(s.start, s.end, s.label) for s in suggestions_for(reader, article)}
    assert {(first.start, first.end, first.label), (second.start, second.end, second.label)} <= offered
    services.accept(reader, article, {"start": first.start, "end": first.end, "label": first.label})
    left = {(s.start, s.end) for s in suggestions_for(reader, article)}
    assert (first.start, first.end) not in left
    assert len(suggestions_for(reader, article)) == len(offered) - sum(
        1 for s in offered if (s[0], s[1]) == (first.start, first.end))
