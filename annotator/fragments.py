"""Template fragments remembered for exactly what they show.

A reader page lists a page of claim cards, and building them is most of what the page
costs; readers reload, filter and page through the same claims far more often than those
change. A fragment is cached under a digest of every value its template reads, handed in
by the caller, so a change anywhere draws afresh and nothing is ever invalidated by hand.
Two readers who would see the same fragment share it, and only they can: a key is reached
only by rendering exactly that content. So a cached fragment must never hold what belongs to
a session rather than to what it shows (a CSRF token: htmx sends it from <body>).
"""

import hashlib

from django.core.cache import caches
from django.utils.safestring import mark_safe

TIMEOUT = 3600


def render_cached(context, template_name, shown, **values):
    """`template_name` rendered in `context` with `values` added, cached under (`template_name`, `shown`).

    `shown` must hold everything the template reads that can differ between two renders
    (its repr is the key); values fixed for the life of the process, such as URL patterns,
    need not be in it.
    """
    key = "fragment:" + hashlib.sha256(repr((template_name, shown)).encode()).hexdigest()
    cache = caches["fragments"]
    html = cache.get(key)
    if html is None:
        with context.push(**values):
            html = context.template.engine.get_template(template_name).render(context)
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)
