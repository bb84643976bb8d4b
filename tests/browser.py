"""Helpers shared by the Playwright tests: signing in and selecting text with the real mouse.
The accounts themselves come from factories.py, every one with its PASSWORD."""

from .factories import PASSWORD, make_user  # noqa: F401 (make_user: browser tests import it from here too)


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def phrase_box(page, phrase, container="#article-text"):
    """The viewport rectangles of the first and last character of `phrase`, scrolled into view."""
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
            return {first: rect(at), last: rect(at + phrase.length - 1)};
        }""",
        [phrase, container],
    )


def drag_select(page, phrase, container="#article-text"):
    box = phrase_box(page, phrase, container)
    assert box, f"{phrase!r} is not on the page"
    first, last = box["first"], box["last"]
    page.mouse.move(first["x"] + 1, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + last["height"] / 2, steps=8)
    page.mouse.move(last["x"] + last["width"] - 1, last["y"] + last["height"] / 2, steps=2)
    page.mouse.up()
