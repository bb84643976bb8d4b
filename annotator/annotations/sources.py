"""Sources: who claims are attributed to, matched across every article by their aliases.

One function per action, called by the pages (source_views.py) and the JSON API (api.py).
Teachers create sources and edit their aliases; anyone may read them. A claim's `source`
text belongs to the source one of whose aliases has the same key (alias_key): letter case,
spacing and a leading "the" do not matter, so "the Kremlin" and "Kremlin" are one alias.
"""

import re
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.text import slugify

from annotator.errors import (
    Duplicate,
    Forbidden,
    NotAuthenticated,
    NotFound,
    ServiceError,
)
from annotator.roles import is_teacher

from . import services
from .models import Label, Source, SourceAlias, SourceKind
from .validation import as_choice, as_integer, as_text, check_keys

MAX_SUGGESTIONS = 8
# What claim_counts() counts for each source.
COUNTED = ("claims", *Label.values, "articles")
LEADING_ARTICLE = re.compile(r"^the(?:\s+|$)", re.IGNORECASE)


def alias_key(text):
    """How an alias is compared: case-folded, spaces collapsed, without a leading "the".

    A NUL, which no alias has and PostgreSQL cannot compare, becomes U+FFFD and matches nothing.
    """
    return LEADING_ARTICLE.sub("", " ".join(str(text).replace("\x00", "\ufffd").split())).casefold()


def alias_index():
    """{alias key: Source} of every alias, for matching many claims at once (an export)."""
    return {alias.key: alias.source for alias in SourceAlias.objects.select_related("source")}


def source_matcher(listed=None):
    """A function from a claim's source text to its Source (or None), as aliases stand now:
    every source's, or only `listed`'s (their aliases prefetched, so no query is made).

    Claims repeat a few source texts many times, so the commonest are keyed and looked up once;
    the cache is bounded, so memory stays flat over a million distinct texts.
    """
    if listed is None:
        known = alias_index()
    else:
        known = {alias.key: source for source in listed for alias in source.aliases.all()}

    @lru_cache(maxsize=4096)
    def matched(text):
        return known.get(alias_key(text)) if text else None

    return matched


def claim_counts(annotations, listed):
    """{Source pk: {name in COUNTED: n}}: how many of `annotations` are written as an alias of
    each of the `listed` sources (aliases prefetched), in all, by label, and in how many articles.

    One grouped query whatever the number of claims or sources: the claims are grouped by
    source text, label and article, and each text is matched as exports match it. Articles
    are counted after matching, since "Kremlin" and "the Kremlin" in one article are one article.
    A source no claim names has no entry.
    """
    matched = source_matcher(listed)
    counts, articles = {}, {}
    grouped = (annotations.exclude(source="").values_list("source", "label", "article_id")
               .annotate(n=Count("pk")).order_by())
    for text, label, article, n in grouped:
        source = matched(text)
        if source is not None:
            tally = counts.setdefault(source.pk, dict.fromkeys(COUNTED, 0))
            tally["claims"] += n
            tally[label] += n
            articles.setdefault(source.pk, set()).add(article)
    for pk, spanned in articles.items():
        counts[pk]["articles"] = len(spanned)
    return counts


def get_source(slug):
    try:
        return Source.objects.prefetch_related("aliases").get(slug=slug)
    except Source.DoesNotExist:
        raise NotFound(f"There is no source {slug!r}.", "source") from None


def source_for(text):
    """The Source whose alias matches a claim's `source` text, or None."""
    key = alias_key(text or "")
    if not key:
        return None
    alias = SourceAlias.objects.select_related("source").filter(key=key).first()
    return alias.source if alias else None


def suggest_sources(text):
    """Sources whose name or an alias contains `text` (at most MAX_SUGGESTIONS), names first."""
    key = alias_key(text or "")
    if len(key) < 2:
        return []
    matches = Source.objects.filter(Q(name__icontains=key) | Q(aliases__key__contains=key)).distinct()
    return sorted(matches[: MAX_SUGGESTIONS * 2], key=lambda s: (not s.name.casefold().startswith(key), s.name))[
        :MAX_SUGGESTIONS
    ]


def claims_q(source, prefix=""):
    """A filter on annotations whose `source` text is one of the source's aliases."""
    query = Q(pk__in=[])
    for alias in source.aliases.all():
        for written in {alias.alias, alias.key, f"the {alias.key}"}:
            query |= Q(**{f"{prefix}source__iexact": written})
    return query


def source_claims(user, source):
    """[(claim, [its links the user may read])] for every claim `user` may read attributed to `source`."""
    claims = list(
        services.visible_annotations(user).filter(claims_q(source)).order_by("article__title", "start", "pk")
    )
    links = {}
    for link in services.visible_links(user).filter(source_annotation__in=[c.pk for c in claims]):
        links.setdefault(link.source_annotation_id, []).append(link)
    return [(claim, links.get(claim.pk, [])) for claim in claims]


def create_source(user, data):
    """A new source named `data["name"]` of `data["kind"]`; its name is its first alias."""
    require_editor(user)
    check_keys(data, ("name", "kind"), required=("name", "kind"))
    name = " ".join(as_text(data.get("name"), "name", max_length=200).split())
    if not alias_key(name):
        raise ServiceError("Give the source a name.", "name")
    kind = as_choice(data.get("kind"), "kind", SourceKind)
    slug = slugify(name)[:120] or "source"
    with transaction.atomic():
        _check_alias_free(alias_key(name), "name")
        if Source.objects.filter(name__iexact=name).exists():
            raise ServiceError(f"There is already a source named {name!r}.", "name")
        base, number = slug, 2
        while Source.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}"[:120], number + 1
        source = Source.objects.create(name=name, slug=slug, kind=kind)
        SourceAlias.objects.create(source=source, alias=name, key=alias_key(name))
    return source


def add_alias(user, slug, data):
    """Another way of writing `slug`'s source; refused when another source already has it."""
    require_editor(user)
    check_keys(data, ("alias",), required=("alias",))
    alias = " ".join(as_text(data.get("alias"), "alias", max_length=200).split())
    key = alias_key(alias)
    if not key:
        raise ServiceError("Type the alias: another way claims name this source.", "alias")
    with transaction.atomic():
        source = get_source(slug)
        _check_alias_free(key, "alias")
        try:
            with transaction.atomic():
                return SourceAlias.objects.create(source=source, alias=alias, key=key)
        except IntegrityError:  # written by someone else since the check
            _check_alias_free(key, "alias")
            raise


def remove_alias(user, alias_id):
    """Remove an alias; a source's own name stays (rename it in the admin instead)."""
    require_editor(user)
    alias_id = as_integer(alias_id, "alias")
    with transaction.atomic():
        try:
            alias = SourceAlias.objects.select_related("source").select_for_update(of=("self",)).get(pk=alias_id)
        except SourceAlias.DoesNotExist:
            raise NotFound(f"There is no alias {alias_id!r}.", "alias") from None
        if alias.key == alias_key(alias.source.name):
            raise ServiceError("A source's own name cannot be removed from its aliases.", "alias")
        alias.delete()
    return alias.source


def source_json(source, claims=None):
    data = {
        "slug": source.slug,
        "name": source.name,
        "kind": source.kind,
        "aliases": [{"id": a.pk, "alias": a.alias} for a in source.aliases.all()],
        "url": source.get_absolute_url(),
    }
    if claims is not None:
        data["claims"] = [
            {
                "id": claim.pk,
                "article": claim.article.slug,
                "exact": claim.exact,
                "label": claim.label,
                "source": claim.source,
                "links": [
                    {"id": link.pk, "relation": link.relation, "to_article": link.to_article.slug,
                     "to_exact": link.to_exact}
                    for link in links
                ],
            }
            for claim, links in claims
        ]
    return data




def _check_alias_free(key, field):
    taken = SourceAlias.objects.select_related("source").filter(key=key).first()
    if taken:
        raise Duplicate(f"{taken.alias!r} is already an alias of {taken.source.name}.", field, taken.source)


def require_editor(user):
    """Refuse anyone but a teacher (signed out: 401), before a request body is even read."""
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to edit sources.")
    if not is_teacher(user):
        raise Forbidden("Only teachers can edit sources.")
