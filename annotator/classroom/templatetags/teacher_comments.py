"""`{% teacher_comments claim %}`: the teacher's private comments under a claim card of the reader.

The reader lists a page of cards; the comments of all of them are read in one query the first
time a card asks, and kept for the rest of that page's rendering.
"""

from django import template
from django.template.loader import render_to_string

from .. import review

register = template.Library()


@register.simple_tag(takes_context=True)
def teacher_comments(context, claim):
    if claim.exercise_id is None or claim.is_key:
        return ""
    user = context["user"]
    # Kept in the page's outermost context: each card part is rendered as a template of its own.
    page = context.dicts[0]
    if KEY not in page:
        shown = [c.pk for c in (*context.get("claims", ()), *context.get("orphans", ())) if c.exercise_id and not c.is_key]
        page[KEY] = review.comments_by_claim(user, shown or [claim.pk])
    comments = page[KEY].get(claim.pk)
    if not comments:
        return ""
    return render_to_string("classroom/_comments.html", {
        "claim": claim, "comments": comments, "teaching": claim.author_id != user.pk, "csrf_token": context.get("csrf_token")})


KEY = "_teacher_comments"
