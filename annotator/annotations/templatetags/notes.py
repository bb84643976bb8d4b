"""`{% load notes %}{{ annotation.note|note_html }}`: a note rendered inert, see annotator.sanitize."""

from django import template

from annotator.sanitize import render_note

register = template.Library()


@register.filter(is_safe=True)
def note_html(text):
    return render_note(text)
