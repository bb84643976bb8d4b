"""A class's join link, to share or to put up as a QR code: the sign-up page with the code filled in."""

from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.safestring import mark_safe


def join_link(request, classroom):
    """(address, QR code as inline SVG) of the sign-up page with `classroom`'s code filled in.

    A student already signed in who opens it lands on My exercises with the code filled in.
    """
    url = request.build_absolute_uri(f"{reverse('signup')}?{urlencode({'code': classroom.join_code})}")
    # segno writes presentation attributes only (no style, no script): the strict CSP allows it.
    svg = segno.make(url, error="m").svg_inline(scale=4, title=f"QR code of the join link of {classroom.name}")
    return url, mark_safe(svg)
