"""The passage picker: choosing a passage of another article for a claim.

Two forms fill one: a claim's link form (link_views.py) and a reply's "see this" passage
(annotator.discussion). The picker lists the passages of other articles related to the
claim, searches them for the reader's own words, or opens another article whole to select
any span of it (static/js/links.js does the selecting, in the browser). Each form describes
itself with a Picker; its views check who may use it, then call the functions here, which
draw the picker's parts (templates/annotations/_picker_*.html). The choice itself is checked
by annotations.services.resolve_passage when the form is saved.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from annotator.corpus import search
from annotator.corpus.folding import fold, fold_with_origins
from annotator.corpus.models import Article
from annotator.errors import ServiceError

from .contexts import exercise_rules
from .models import Anchor
from .rendering import render_body

RELATED_LIMIT = 10
SEARCH_LIMIT = 20
QUERY_MAX_LENGTH = 200


@dataclass(frozen=True)
class PostedChoice:
    """A passage chosen from the list is posted to `url` (with `vals` and the passage's
    to_article, to_start, to_end, to_exact) for the server to check; its answer goes into
    `target`."""

    url: str
    target: str
    vals: dict


@dataclass(frozen=True)
class Picker:
    """One picker in a page, described by the form it fills.

    claim: the claim passages are sought for; its own article is never offered.
    name: the panel's name: links.js opens and closes it by this (data-link-panel), and
      the button that opened it carries the same data-link-open.
    prefix, key: the ids of the panel's parts are <prefix>-<part>-<key>.
    heading: the panel's title.
    passages_url: the ranked passages (with ?q=, those matching the reader's words).
    article_url: the address of another article (given its slug) opened whole in the panel.
    form_template: the form at the panel's foot, filled with the chosen passage; it is drawn
      with `picker` and the extra context the panel is given.
    choose_label: the button that chooses a listed passage.
    posted_choice: a PostedChoice, or None: links.js puts the passage into the form.
    select_help, finish_help: the opened article's help, on selecting and on going on to
      the form (HTML: it names keys).
    linked: the claim's links, drawn as "already linked" in the list and in an opened article.
    """

    claim: object
    name: str
    prefix: str
    key: str
    heading: str
    passages_url: str
    article_url: Callable[[str], str]
    form_template: str
    choose_label: str
    select_help: str
    finish_help: str
    posted_choice: PostedChoice | None = None
    linked: tuple = field(default=())


def marked(text, terms):
    """`text` as HTML with each of the matched `terms` wrapped in <mark class="term">.

    The text is cut at whole-word matches first and every piece is escaped on its own, so
    a term can never match inside an escaped entity ("amp" in "&amp;") nor inject markup.
    """
    words = sorted({fold(t) for t in terms if t}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    # Terms come folded from search (ایران for إيران, шелест for шёлест): found in the folded
    # text, marked in the text as written, points and all.
    folded, origins = fold_with_origins(text)
    out, position = [], 0
    for match in pattern.finditer(folded):
        start, end = origins[match.start()], origins[match.end()]
        out.append(escape(text[position:start]))
        out.append(f'<mark class="term">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def exercise_scope(claim):
    """The slugs of the other articles of the claim's exercise, where its passages are sought
    first; empty outside an exercise or when the exercise has no other article."""
    if claim.exercise_id is None:
        return frozenset()
    return exercise_rules().article_slugs(claim.exercise_id) - {claim.article.slug}


def ranked_passages(picker, query, widen=False):
    """(passages, query, scoped): related to the claim, or matching the reader's words, best first.

    Inside an exercise only the exercise's other articles are offered (scoped) unless the
    reader widens the search to every article: a lesson's lateral reading is across the
    articles the teacher chose, and words like "state" match half the corpus.
    """
    claim = picker.claim
    query = (query or "").strip()[:QUERY_MAX_LENGTH]
    scope = frozenset() if widen else exercise_scope(claim)
    # The search ranks the whole corpus; the exercise's passages are picked out of its best.
    limit = search.MAX_LIMIT if scope else (SEARCH_LIMIT if query else RELATED_LIMIT)
    try:
        if query:
            results = search.search_passages(query, exclude_article=claim.article, limit=limit)
        elif claim.anchor == Anchor.ORPHANED:
            # Its offsets no longer point at its quote; the quote itself still says what it is about.
            results = search.search_passages(claim.exact, exclude_article=claim.article, limit=limit)
        else:
            results = search.related_passages(claim.article, claim.start, claim.end, limit=limit)
    except ServiceError:  # a quote without a word to search for finds nothing
        results = []
    if scope:
        results = [r for r in results if r["article"] in scope][: SEARCH_LIMIT if query else RELATED_LIMIT]
    existing = {}
    for link in picker.linked:
        existing.setdefault((link.to_article.slug, link.to_start, link.to_end), []).append(link.get_relation_display())
    for result in results:
        passage = {"to_article": result["article"], "to_start": result["start"], "to_end": result["end"]}
        result["html"] = marked(result["text"], result["terms"])
        result["linked"] = existing.get((result["article"], result["start"], result["end"]), [])
        result["open_url"] = _with_query(picker.article_url(result["article"]),
                                         {"start": result["start"], "end": result["end"]})
        if picker.posted_choice:
            # What choosing it posts: checked by the server like any other choice.
            result["vals"] = json.dumps({**picker.posted_choice.vals, **passage, "to_exact": result["text"]})
    return results, query, bool(scope)


def _listing(picker, query, widen):
    passages, query, scoped = ranked_passages(picker, query, widen)
    return {"picker": picker, "passages": passages, "query": query, "scoped": scoped,
            "in_exercise": bool(exercise_scope(picker.claim))}


def panel(request, picker, **context):
    """The whole panel: heading, search, the related passages, and the form it fills."""
    return render(request, "annotations/_picker_panel.html", {**_listing(picker, "", False), **context})


def passage_list(request, picker, query):
    """The ranked passages alone, for a search or for going back from an opened article;
    ?scope=all widens an exercise's search to every article."""
    return render(request, "annotations/_picker_passages.html",
                  _listing(picker, query, request.GET.get("scope") == "all"))


def opened_article(request, picker, slug):
    """Another listed article whole inside the panel, to select any span of it.

    ?start=&end= (a listed passage's offsets) select that passage at once; offsets that
    do not fit the article are left out rather than refused.
    """
    claim = picker.claim
    article = get_object_or_404(Article.objects.listed().exclude(pk=claim.article_id), slug=slug)
    start, end = _offset(request.GET.get("start")), _offset(request.GET.get("end"))
    if start is None or end is None or not 0 <= start < end <= len(article.body):
        start = end = None
    targets = [link for link in picker.linked if link.to_article_id == article.pk]
    return render(request, "annotations/_picker_article.html", {
        "picker": picker, "article": article, "body_html": _selectable_body(article, targets),
        "start": start, "end": end,
    })


def _selectable_body(article, targets):
    """The article's text for selecting: segments keep `data-o`, the passages the claim
    already links to are drawn as linked, and the headline becomes a plain styled
    paragraph, so the page keeps one h1 and one #headline."""
    html = str(render_body(article, (), targets))
    heading = '<h1 class="headline" id="headline"'
    if html.startswith(heading):
        html = '<p class="headline"' + html[len(heading):].replace("</h1>", "</p>", 1)
    return mark_safe(html)


def _offset(value):
    return int(value) if value and re.fullmatch(r"[0-9]{1,9}", value) else None


def _with_query(url, params):
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
