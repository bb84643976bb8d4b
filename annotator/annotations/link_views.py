"""Linking a claim to passages of other articles: the htmx panel behind a claim card's
"Find in other articles" button.

The panel lists related passages of the other articles (annotator.corpus.search), lets the
reader search freely or open another article whole and select any span of it, and saves the
link through services.create_link, like the JSON API. After a save or a delete the reader
redraws itself: the response carries `HX-Trigger: claims-changed`, which the #reader element
listens for.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from annotator.corpus import search
from annotator.corpus.models import Article
from annotator.errors import ServiceError

from . import services
from .models import Anchor, Relation
from .rendering import render_body
from .reader import Scope
from .views import form_error, own_annotation

RELATED_LIMIT = 10
SEARCH_LIMIT = 20
QUERY_MAX_LENGTH = 200
LINK_POST_FIELDS = ("to_article", "to_start", "to_end", "to_exact", "relation", "note")


def marked(text, terms):
    """`text` as HTML with each of the matched `terms` wrapped in <mark class="term">.

    The text is cut at whole-word matches first and every piece is escaped on its own, so
    a term can never match inside an escaped entity ("amp" in "&amp;") nor inject markup.
    """
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f'<mark class="term">{escape(match.group())}</mark>')
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def _claim(request, pk):
    """The signed-in user's own claim, with its links; 404 for anyone else's."""
    return own_annotation(request, pk)


def _passages_context(claim, query):
    """Ranked passages for the panel: related to the claim, or matching the reader's words."""
    query = (query or "").strip()[:QUERY_MAX_LENGTH]
    if query:
        results = search.search_passages(query, exclude_article=claim.article, limit=SEARCH_LIMIT)
    elif claim.anchor == Anchor.ORPHANED:
        # Its offsets no longer point at its quote; the quote itself still says what it is about.
        results = search.search_passages(claim.exact, exclude_article=claim.article, limit=RELATED_LIMIT)
    else:
        results = search.related_passages(claim.article, claim.start, claim.end, limit=RELATED_LIMIT)
    existing = {}
    for link in claim.links.all():
        existing.setdefault((link.to_article.slug, link.to_start, link.to_end), []).append(link.get_relation_display())
    for result in results:
        result["html"] = marked(result["text"], result["terms"])
        result["linked"] = existing.get((result["article"], result["start"], result["end"]), [])
    return {"claim": claim, "passages": results, "query": query}


@require_GET
@login_required
def link_panel(request, pk):
    claim = _claim(request, pk)
    context = _passages_context(claim, "")
    context["relations"] = Relation.choices
    return render(request, "annotations/_link_panel.html", context)


@require_GET
@login_required
def link_passages(request, pk):
    claim = _claim(request, pk)
    return render(request, "annotations/_passages.html", _passages_context(claim, request.GET.get("q", "")))


def _picker_body(article, targets):
    """The article's text for selecting in the panel: segments keep `data-o`; the headline
    becomes a plain styled paragraph, so the page keeps one h1 and one #headline."""
    html = str(render_body(article, (), targets))
    html = re.sub(r'^<h1 class="headline" id="headline"', '<p class="headline"', html)
    html = html.replace("</h1>", "</p>", 1) if html.startswith('<p class="headline"') else html
    return mark_safe(html)


def _offset(value):
    return int(value) if value and re.fullmatch(r"[0-9]{1,9}", value) else None


@require_GET
@login_required
def link_article(request, pk, slug):
    """Another article in full inside the panel, to select any span of it."""
    claim = _claim(request, pk)
    article = get_object_or_404(Article.objects.listed().exclude(pk=claim.article_id), slug=slug)
    # The passages this claim already links to there are drawn as linked passages.
    targets = [link for link in claim.links.all() if link.to_article_id == article.pk]
    start, end = _offset(request.GET.get("start")), _offset(request.GET.get("end"))
    if start is None or end is None or not 0 <= start < end <= len(article.body):
        start = end = None
    return render(request, "annotations/_picker_article.html", {
        "claim": claim, "article": article, "body_html": _picker_body(article, targets),
        "start": start, "end": end,
    })


def _redrawn(request, claim, message):
    """After a change: the reader page redraws itself; without htmx, back to the claim."""
    if not request.htmx:
        return redirect(f"{Scope.of(claim).url(claim.article)}#claim-{claim.pk}")
    response = HttpResponse(status=204)
    return trigger_client_event(response, "claims-changed", {"claim": claim.pk, "message": message})


@require_POST
@login_required
def link_create(request, pk):
    claim = _claim(request, pk)
    data = {name: request.POST[name] for name in LINK_POST_FIELDS if name in request.POST}
    data["from"] = claim.pk
    try:
        link = services.create_link(request.user, data)
    except ServiceError as exc:
        return _error(request, exc, f"#link-error-{claim.pk}")
    message = f"Linked: {link.get_relation_display().lower()} “{link.to_exact[:80]}” in {link.to_article.title}."
    return _redrawn(request, claim, message)


@require_POST
@login_required
def link_delete(request, pk):
    link = get_object_or_404(services.visible_links(request.user), pk=pk)
    claim = link.source_annotation
    try:
        services.delete_link(request.user, pk)
    except ServiceError as exc:
        return _error(request, exc, f"#link-row-error-{pk}")
    return _redrawn(request, claim, "Link deleted.")


def _error(request, exc, target):
    if request.htmx:
        return form_error(request, exc, target)
    return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
