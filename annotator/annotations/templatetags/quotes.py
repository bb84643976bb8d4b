"""A quotation between curly quotes, without doubling the marks a quote already has.

A span often starts or ends at the article's own quotation marks (“It's time,” she said): the
page's quotes around it would then read ““It's time,”” (the marks doubled).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# A straight apostrophe is left out: "the students'" ends with one that closes nothing.
OPENING = "\"“‘«„‚"
CLOSING = "\"”’»"


@register.filter
def quoted(text):
    text = str(text)
    opening = "" if text[:1] in OPENING else "“"
    closing = "" if text.rstrip("…")[-1:] in CLOSING else "”"
    return mark_safe(f"{opening}{conditional_escape(text)}{closing}")
