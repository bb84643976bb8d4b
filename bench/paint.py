"""Chromium: how long after DOMContentLoaded the reader page's 1,000 highlights are painted.

    .venv/bin/python bench/paint.py [--claims 1000] [--runs 10] [--short]

Builds the pages of bench/reader.py (the longest seed article with --claims overlapping
claims, a fifth of them linked, and the same article with none) in a temporary SQLite file,
serves them with gunicorn on loopback and loads each --runs times, alternately, in
Playwright driving Debian's /usr/bin/chromium, signed in as the claims' author.

What is measured. The highlights are server-rendered: every <mark> is in the HTML, so they
are drawn by the first frame rendered once the document is parsed and styled. A script
installed before the page's own (so its listener runs first) waits for DOMContentLoaded,
then for the next animation frame, and then for a message posted from inside that frame's
callback: the message is handled after the frame's style, layout and paint have run on the
main thread. The figure is that moment minus the start of DOMContentLoaded (the navigation
entry's domContentLoadedEventStart), so it includes the page's own DOMContentLoaded handlers,
the deferred scripts and the whole document's layout. At that moment the script also checks
that the page holds --claims distinct highlighted claims with a label colour (the ids of
the text's compact geometry, with highlighted segments drawn). Paragraphs out of sight are
laid out and painted only when they come near the screen (content-visibility), so that frame
holds the highlights in view; the rest are painted as the reader scrolls. The first
contentful paint is reported beside it (it may come before DOMContentLoaded on a long page).
Budget: at most 150 ms.
"""

import argparse
import statistics
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import gunicorn, result, scratch_database, setup_django  # noqa: E402
from reader import PASSWORD, build_pages  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
BUDGET_MS = 150.0
CHROMIUM = "/usr/bin/chromium"

AFTER_PAINT = """
window.__paint = null;
document.addEventListener("DOMContentLoaded", () => {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const painted = performance.now();
      const marks = document.querySelectorAll("mark.hl");
      const claims = new Set();
      const text = document.getElementById("article-text");
      let id = 0;
      if (marks.length && text.dataset.geometry) JSON.parse(text.dataset.geometry).ids.forEach((step) => claims.add(id += step));
      const first = marks[0];
      const colour = first ? getComputedStyle(first).backgroundColor : "";
      window.__paint = {painted, marks: marks.length, claims: claims.size, colour};
    };
    channel.port2.postMessage(null);
  });
});
"""

READ_TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {...window.__paint, dclStart: nav.domContentLoadedEventStart, dclEnd: nav.domContentLoadedEventEnd,
          responseEnd: nav.responseEnd, fcp: fcp ? fcp.startTime : null};
}"""


def load(page, url):
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__paint !== null", timeout=30_000)
    return page.evaluate(READ_TIMINGS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--short", action="store_true", help="200 claims, 3 runs")
    args = parser.parse_args()
    if args.short:
        args.claims, args.runs = 200, 3

    from playwright.sync_api import sync_playwright

    with scratch_database("paint", None) as (database_url, scratch):
        setup_django(database_url)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        reader, pages = build_pages([0, args.claims])
        paths = {"full": pages[args.claims].get_absolute_url(), "empty": pages[0].get_absolute_url()}
        connections.close_all()

        with gunicorn(database_url, scratch / "gunicorn.log", workers=2) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.add_init_script(AFTER_PAINT)
            page = context.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", reader.username)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("form [type=submit]")
            for name in ("full", "empty"):  # warm the server and the static files; not counted
                load(page, base + paths[name])
            runs = {"full": [], "empty": []}
            for run in range(args.runs):
                order = ["full", "empty"] if run % 2 == 0 else ["empty", "full"]
                for name in order:
                    runs[name].append(load(page, base + paths[name]))
            version = browser.version
            browser.close()

    full = runs["full"]
    bad = [r for r in full if r["claims"] != args.claims or r["colour"] in ("", "rgba(0, 0, 0, 0)")]
    if bad or any(r["claims"] for r in runs["empty"]):
        print(f"highlights missing or unstyled at paint time: {bad[:1]}", file=sys.stderr)
        return 2

    def median(rows, key):
        return statistics.median(key(r) for r in rows)

    paint = median(full, lambda r: r["painted"] - r["dclStart"])
    paint_empty = median(runs["empty"], lambda r: r["painted"] - r["dclStart"])
    handlers = median(full, lambda r: r["dclEnd"] - r["dclStart"])
    fcp = median(full, lambda r: (r["fcp"] or float("nan")) - r["dclStart"])
    parse = median(full, lambda r: r["dclStart"] - r["responseEnd"])
    print(f"Chromium {version}; {args.claims:,} claims ({full[0]['marks']:,} highlighted segments); "
          f"{args.runs} loads each, medians")
    print(f"DOMContentLoaded → painted with all highlights: {paint:.1f} ms "
          f"(same page with no claims: {paint_empty:.1f} ms)")
    print(f"  of which DOMContentLoaded handlers: {handlers:.1f} ms; "
          f"first contentful paint at {fcp:+.1f} ms from DOMContentLoaded; "
          f"response end → DOMContentLoaded: {parse:.1f} ms")
    verdict = "PASS" if paint <= BUDGET_MS else "SHORT"
    print(f"paint: {paint:.1f} ms (budget {BUDGET_MS:.0f} ms) {verdict}")
    result("paint.highlights", f"{paint:.0f} ms after DOMContentLoaded ({args.claims:,} highlights)",
           f"<= {BUDGET_MS:.0f} ms", verdict, baseline=f"{paint_empty:.0f} ms with none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
