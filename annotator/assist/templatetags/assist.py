"""What the reader page includes: `{% assist_assets %}` in its head, `{% assist_panel article %}`
outside the part it re-renders."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from ..views import panel_context

register = template.Library()


@register.simple_tag
def assist_assets():
    return format_html('<link rel="stylesheet" href="{}">\n<script src="{}" defer></script>',
                       static("css/assist.css"), static("js/assist.js"))


@register.inclusion_tag("assist/_suggestions.html", takes_context=True)
def assist_panel(context, article):
    """The suggestions toggle, closed; nothing at all when assists are off for this reader."""
    scope = context.get("scope")
    exercise = str(scope.exercise.pk) if scope and scope.exercise else ""
    return panel_context(context["request"], article, exercise=exercise, key=bool(scope and scope.key)) | {
        "user": context["request"].user}
