"""`{% card_body claim %}`: a claim card's content, cached for exactly what it shows.

The key holds every value annotations/_card_body.html reads: the claim, its links and
their target articles, and whether this reader may change them.

`{% reader_parts "card" claim=claim %}` (and "head", "top", "sidebar" without a claim): what
other apps add to the reader (annotations.reader.register_reader_part), such as the
discussion toggle, which caches itself under a key of its own: its counts move with every reply.
"""

from django import template
from django.utils.safestring import mark_safe

from annotator.fragments import render_cached
from annotator.people import shown_name

from ..reader import part_templates

register = template.Library()


@register.simple_tag(takes_context=True)
def card_body(context, claim):
    user, writable = context["user"], context["scope"].writable
    if not getattr(claim, "shown_author", ""):
        # A card drawn without the page's names (a claim just made or changed) showed its
        # author's username: it shows their display name instead, never a name more.
        claim.shown_author = shown_name(claim.author)
    links = [
        (link.pk, link.relation, link.to_article.slug, link.to_article.title, link.to_exact, link.note,
         writable and link.author_id == user.pk)
        for link in claim.links.all()
    ]
    shown = (
        claim.pk, claim.label, claim.visibility, claim.exercise_id, claim.anchor, claim.exact, claim.source,
        claim.note, claim.explanation, claim.created,
        claim.shown_author,
        writable and claim.author_id == user.pk, links,
    )
    return render_cached(context, "annotations/_card_body.html", shown, claim=claim)


@register.simple_tag(takes_context=True)
def reader_parts(context, place, **values):
    engine = context.template.engine
    with context.push(**values):
        return mark_safe("".join(engine.get_template(name).render(context) for name in part_templates(place)))
