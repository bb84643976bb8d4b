"""Helpers shared by the Playwright tests: signing in and selecting text with the real mouse.
The accounts themselves come from factories.py, every one with its PASSWORD."""

import unicodedata

from .factories import PASSWORD, make_user  # noqa: F401 (make_user: browser tests import it from here too)


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def phrase_box(page, phrase, container="#article-text"):
    """The viewport rectangle of each character of `phrase` (its first occurrence), scrolled into view."""
    return page.evaluate(
        """([phrase, container]) => {
            const root = document.querySelector(container);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const nodes = []; let text = "";
            while (walker.nextNode()) {
                const n = walker.currentNode;
                if (n.parentElement.closest('.sr-only')) continue;
                nodes.push([n, text.length]); text += n.data;
            }
            const at = text.indexOf(phrase);
            if (at < 0) return null;
            const locate = (i) => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]]; };
            locate(at)[0].parentElement.scrollIntoView({block: "center"});
            const rect = (i) => { const [n, o] = locate(i); const r = document.createRange(); r.setStart(n, o); r.setEnd(n, o + 1); return r.getBoundingClientRect().toJSON(); };
            return Array.from({length: phrase.length}, (_, k) => rect(at + k));
        }""",
        [phrase, container],
    )


def drag_select(page, phrase, container="#article-text"):
    """Drag the real mouse from where `phrase` starts to where it ends, as a reader does.

    In left-to-right text that is the left edge of its first letter to the right edge of
    its last. In right-to-left text a reader starts at the right and ends at the left; a
    number (or a Latin name) at either end is one left-to-right run there, so the drag
    starts at that run's right edge and ends at its left edge.
    """
    boxes = phrase_box(page, phrase, container)
    assert boxes, f"{phrase!r} is not on the page"
    if not any(_right_to_left(c) for c in phrase):
        first, last = boxes[0], boxes[-1]
        start_x, end_x = first["x"] + 1, last["x"] + last["width"] - 1
    else:
        head = _run_length(phrase)
        tail = _run_length(phrase[::-1])
        first = boxes[head - 1] if head else boxes[0]
        last = boxes[len(phrase) - tail] if tail else boxes[-1]
        start_x, end_x = first["x"] + first["width"] - 1, last["x"] + 1
    page.mouse.move(start_x, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + last["height"] / 2, steps=8)
    page.mouse.move(end_x, last["y"] + last["height"] / 2, steps=2)
    page.mouse.up()


def _right_to_left(char):
    return unicodedata.bidirectional(char) in ("R", "AL")


def _run_length(text):
    """How many characters `text` starts with that are not right-to-left letters or spaces."""
    n = 0
    while n < len(text) and not _right_to_left(text[n]) and not text[n].isspace():
        n += 1
    return n
