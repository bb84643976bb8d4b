"""Teachers add articles in the browser (paste or upload, preview, save) and look after them."""

import html
import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from annotator.annotations.models import Annotation, Link
from annotator.corpus.forms import MAX_PASTE_CHARS, pack, pasted
from annotator.corpus.importer import analyse, import_bytes
from annotator.corpus.models import Article

from .factories import client_for, make_claim, make_link, make_teacher, make_user

pytestmark = pytest.mark.django_db

PASTE = """WORLD DESK DAILY
Home | World | Business | Sport
News From the Islands, Every Morning
Sponsored: Try Our New Travel Card Today
Harbour Ferry Fares to Rise in Spring
By Anna Kowalski
March 3, 2025
The regional ferry company said on Monday that fares on its island routes would rise by a fifth in April, \
blaming fuel costs and new safety rules for the increase.
Island councillors called the rise a blow to families who depend on the boats, and said they had not been \
consulted before the decision was announced.
Sponsor: QuickLoans Direct
The company said discounts for residents would remain, although it did not say for how long they would last \
or how many people would qualify.
WHAT HAPPENS NEXT
The new fares start on April 1.
Share this article
You must be logged in to post a comment.
"""
TAGLINE = "News From the Islands, Every Morning"
HEADLINE = "Harbour Ferry Fares to Rise in Spring"
LEDE = PASTE.split("\n")[7]

HOSTILE_HTML = """<!doctype html><html><head><title>Library Opens Late Hours - Town Crier</title>
<meta property="og:site_name" content="Town Crier">
<script>document.cookie = "stolen"; alert("head script");</script>
<style>p { color: red }</style>
</head><body onload="alert('body onload')">
<nav><a href="javascript:alert('nav')">Home</a></nav>
<article>
<h1 onmouseover="alert('h1')">Library Opens Late Hours</h1>
<p>The town library will stay open until ten at night from next month, the council said on Tuesday, after \
students asked for a quiet place to study.</p>
<img src="x" onerror="alert('img')">
<p>Staff will <a href="javascript:alert('link')" onclick="alert('click')">volunteer</a> for the extra hours \
at first, the head librarian said, and the council will review the trial after six months.</p>
<script>alert("inline script")</script>
<iframe src="javascript:alert('frame')"></iframe>
</article></body></html>
"""


@pytest.fixture
def teacher():
    """Tess, a teacher, signed in."""
    return client_for(make_teacher("tess"))


@pytest.fixture
def student():
    """Sam, a student, signed in."""
    return client_for(make_user("sam"))


def token_of(response, key=0):
    found = re.search(rf'name="source" value="([^"]+)" id="p{key}-source"', response.content.decode())
    assert found, "no preview form on the page"
    return found.group(1)


def lines_of(response, key=0):
    """[(index, text, struck)] of the preview's lines, in order."""
    page = response.content.decode()
    found = re.findall(rf'id="p{key}-line-(\d+)">(<del>)?(.*?)(?:</del>)?</span>', page)
    return [(int(index), html.unescape(text), bool(struck)) for index, struck, text in found]


def index_of(response, text, key=0):
    return next(index for index, line, _ in lines_of(response, key) if line == text)


def preview_paste(client, text=PASTE):
    return client.post(reverse("corpus:add"), {"text": text})


def save(client, response, key=0, follow=False, headers=None, **fields):
    data = {
        "source": token_of(response, key),
        "key": key,
        "title": HEADLINE,
        "published": "2025-03-03",
        "byline": "Anna Kowalski",
        "outlet": "",
        "url": "",
        **fields,
    }
    return client.post(reverse("corpus:save"), data, follow=follow, headers=headers)


# --- who may add ----------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_and_a_student_is_refused(client, student):
    response = client.get(reverse("corpus:add"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert student.get(reverse("corpus:add")).status_code == 403
    assert student.post(reverse("corpus:add"), {"text": PASTE}).status_code == 403
    assert Article.objects.count() == 0


def test_teachers_and_staff_get_the_form(teacher):
    for client in (teacher, client_for(make_user("stella", is_staff=True))):
        response = client.get(reverse("corpus:add"))
        assert response.status_code == 200
        assert b'enctype="multipart/form-data"' in response.content


def test_students_cannot_save_edit_archive_or_delete(student):
    article = import_bytes("story.txt", PASTE.encode()).article
    token = pack(pasted("Some text that is long enough to be an article, written by a student."))
    assert student.post(reverse("corpus:save"), {"source": token, "title": "x"}).status_code == 403
    for name in ("edit", "replace", "archive", "delete"):
        assert student.post(reverse(f"corpus:{name}", args=[article.slug]), {"confirm": "on"}).status_code == 403
    assert Article.objects.get().title == article.title


# --- preview --------------------------------------------------------------------------


def test_preview_strikes_out_chrome_with_reasons_and_writes_nothing(teacher):
    response = preview_paste(teacher)
    assert response.status_code == 200
    struck = {text for _, text, is_struck in lines_of(response) if is_struck}
    assert struck == {
        "WORLD DESK DAILY",
        "Home | World | Business | Sport",
        "Sponsored: Try Our New Travel Card Today",
        "By Anna Kowalski",
        "March 3, 2025",
        "Sponsor: QuickLoans Direct",
        "WHAT HAPPENS NEXT",
        "Share this article",
        "You must be logged in to post a comment.",
    }
    page = response.content.decode()
    for reason in ("site chrome: sponsor line", "comment-form footer", "byline → moved to byline"):
        assert reason in page
    # The site's tagline sits where a headline would: the teacher gets to correct that.
    assert f'value="{TAGLINE}"' in page
    assert 'value="2025-03-03"' in page and 'value="Anna Kowalski"' in page
    assert "what is article and what is packaging" in page.lower()
    assert Article.objects.count() == 0


def test_save_applies_the_teachers_line_choices_and_title(teacher):
    preview = preview_paste(teacher)
    subhead = index_of(preview, "WHAT HAPPENS NEXT")
    discounts = next(text for _, text, _ in lines_of(preview) if text.startswith("The company said discounts"))
    remove = [index_of(preview, TAGLINE), index_of(preview, discounts)]
    response = save(teacher, preview, keep=[subhead], remove=remove, title=HEADLINE)
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    paragraphs = article.body.split("\n")
    assert paragraphs[0] == HEADLINE and (article.title, article.title_derived) == (HEADLINE, False)
    assert paragraphs[-2:] == ["WHAT HAPPENS NEXT", "The new fares start on April 1."]
    assert discounts not in article.body and TAGLINE not in article.body
    assert {"line": discounts, "reason": "removed by hand"} in article.removed
    assert {"line": TAGLINE, "reason": "removed by hand"} in article.removed
    assert "WHAT HAPPENS NEXT" not in [r["line"] for r in article.removed]
    assert (article.published, article.byline) == (date(2025, 3, 3), "Anna Kowalski")
    assert re.fullmatch(r"pasted-[0-9a-f]{8}\.txt", article.source_file)
    assert article.raw == PASTE


def test_saving_without_changes_stores_what_the_import_command_would(teacher):
    preview = preview_paste(teacher)
    save(teacher, preview, title=TAGLINE)
    article = Article.objects.get()
    expected = analyse(article.source_file, PASTE.encode()).article_fields()
    for name in ("title", "title_derived", "body", "raw", "removed", "raw_sha256", "published", "byline", "outlet"):
        assert getattr(article, name) == expected[name], name


def test_windows_line_ends_in_a_paste_give_the_same_source(teacher):
    assert pasted(PASTE.replace("\n", "\r\n")).name == pasted(PASTE).name


def test_an_altered_token_is_refused_and_nothing_is_written(teacher):
    preview = preview_paste(teacher)
    token = token_of(preview)
    response = teacher.post(reverse("corpus:save"), {"source": token[:-3] + "abc", "title": "x"})
    assert response.status_code == 400
    assert "expired or was changed" in response.content.decode()
    assert Article.objects.count() == 0


def test_removing_every_line_is_refused(teacher):
    preview = preview_paste(teacher)
    kept = [index for index, _, struck in lines_of(preview) if not struck]
    response = save(teacher, preview, remove=kept)
    assert response.status_code == 422
    assert "keep at least one" in response.content.decode()
    assert Article.objects.count() == 0


# --- uploads --------------------------------------------------------------------------


def upload(name, content, content_type="text/plain"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode(), content_type)


def test_several_files_preview_each_and_save_one_by_one_with_htmx(teacher):
    response = teacher.post(
        reverse("corpus:add"),
        {"files": [upload("ferry.txt", PASTE), upload("library.html", HOSTILE_HTML, "text/html")]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="preview-form"') == 2 and page.count("hx-post=") == 2
    assert "Library Opens Late Hours" in page
    saved = save(teacher, response, key=1, title="Library Opens Late Hours", published="", byline="",
                 outlet="Town Crier", headers={"HX-Request": "true"})
    assert saved.status_code == 200
    assert "Saved as" in saved.content.decode()
    assert Article.objects.get().source_file == "library.html"
    save(teacher, response, key=0, headers={"HX-Request": "true"})
    assert Article.objects.count() == 2


def test_html_upload_keeps_no_script_handlers_or_javascript_links(teacher):
    response = teacher.post(reverse("corpus:add"), {"files": [upload("library.html", HOSTILE_HTML, "text/html")]})
    page = response.content.decode()
    assert "alert(" not in page and "javascript:" not in page
    save(teacher, response, title="Library Opens Late Hours", published="", byline="", outlet="Town Crier")
    article = Article.objects.get()
    assert article.body.split("\n") == [
        "Library Opens Late Hours",
        "The town library will stay open until ten at night from next month, the council said on Tuesday, "
        "after students asked for a quiet place to study.",
        "Staff will volunteer for the extra hours at first, the head librarian said, and the council will "
        "review the trial after six months.",
    ]
    for bad in ("<", "alert", "javascript", "onclick", "onerror", "onload", "cookie", "color: red"):
        assert bad not in article.body
    assert article.outlet == "Town Crier"
    assert article.raw == HOSTILE_HTML  # the original is kept untouched, and only ever shown escaped


def test_a_20_mb_upload_is_refused_with_the_limit_named(teacher):
    big = upload("huge.txt", b"word " * (4 * 1024 * 1024))
    response = teacher.post(reverse("corpus:add"), {"files": [big]})
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "huge.txt is 20.0\xa0MB; the limit is 5.0\xa0MB per file" in page
    assert Article.objects.count() == 0


def test_a_binary_file_renamed_txt_gets_a_clear_message(teacher):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    response = teacher.post(reverse("corpus:add"), {"files": [upload("photo.txt", png), upload("ferry.txt", PASTE)]})
    page = html.unescape(response.content.decode())
    assert "photo.txt: binary file (contains NUL bytes), not text." in page
    assert page.count('class="preview-form"') == 1  # the good file still previews
    assert Article.objects.count() == 0


def test_files_of_other_types_are_refused(teacher):
    response = teacher.post(reverse("corpus:add"), {"files": [upload("notes.pdf", b"%PDF-1.4")]})
    assert response.status_code == 422
    assert "notes.pdf: only .txt, .html and .htm files can be added." in html.unescape(response.content.decode())


def test_an_empty_file_is_named(teacher):
    response = teacher.post(reverse("corpus:add"), {"files": [upload("blank.txt", b"")]})
    assert response.status_code == 422
    assert "blank.txt is empty." in response.content.decode()


# --- bad pastes -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t  \n"])
def test_an_empty_paste_is_refused(teacher, text):
    response = preview_paste(teacher, text)
    assert response.status_code == 422
    assert "Nothing to preview: paste the text of an article" in response.content.decode()
    assert Article.objects.count() == 0


def test_a_paste_over_the_limit_is_refused_with_the_limit_named(teacher):
    response = preview_paste(teacher, "a" * (MAX_PASTE_CHARS + 1))
    assert response.status_code == 422
    assert f"paste at most {MAX_PASTE_CHARS}" in response.content.decode()


def test_a_paste_over_the_request_limit_is_a_413_not_a_crash(teacher, settings):
    response = preview_paste(teacher, "word " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 4))
    assert response.status_code == 413
    assert "upload it as a file instead" in response.content.decode()
    assert Article.objects.count() == 0


def test_only_chrome_is_not_an_article(teacher):
    response = preview_paste(teacher, "Sponsor: Acme\nback\n0\n")
    assert "no article text left after removing site chrome" in response.content.decode()
    assert 'class="preview-form"' not in response.content.decode()


def test_a_title_over_300_characters_is_refused_and_nothing_is_written(teacher):
    preview = preview_paste(teacher)
    response = save(teacher, preview, title="x" * 360)
    assert response.status_code == 422
    assert "at most 300 characters (it has 360)" in response.content.decode()
    assert Article.objects.count() == 0
    # The preview comes back with the teacher's input, ready to fix.
    assert token_of(response) == token_of(preview)


def test_a_bad_date_or_url_is_refused(teacher):
    preview = preview_paste(teacher)
    response = save(teacher, preview, published="next Tuesday", url="not a url")
    assert response.status_code == 422
    assert "Enter a valid date." in response.content.decode() and "Enter a valid URL." in response.content.decode()
    assert Article.objects.count() == 0


# --- duplicates -----------------------------------------------------------------------


def test_a_duplicate_paste_offers_the_existing_article(teacher):
    existing = import_bytes("ferry-fares.txt", PASTE.encode()).article
    response = preview_paste(teacher)
    page = response.content.decode()
    assert "already in the collection" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert 'class="preview-form"' not in page
    assert Article.objects.count() == 1


def test_the_same_text_with_different_bytes_is_a_duplicate_too(teacher):
    import_bytes("ferry-fares.txt", PASTE.encode())
    response = preview_paste(teacher, "\n\n" + PASTE.replace("\n", "  \n"))
    assert "already in the collection" in response.content.decode()


def test_saving_a_preview_twice_saves_once(teacher):
    preview = preview_paste(teacher)
    save(teacher, preview)
    again = save(teacher, preview)
    assert again.status_code == 422
    assert "already in the collection" in again.content.decode()
    assert Article.objects.count() == 1


def test_a_different_file_with_a_taken_name_is_stored_under_a_new_name(teacher):
    import_bytes("story.txt", PASTE.encode())
    other = PASTE.replace("ferry company", "bus company")
    response = teacher.post(reverse("corpus:add"), {"files": [upload("story.txt", other)]})
    assert "this one will be stored as story-2.txt" in response.content.decode()
    save(teacher, response)
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["story-2.txt", "story.txt"]
    assert "bus company" in Article.objects.get(source_file="story-2.txt").body
    assert "ferry company" in Article.objects.get(source_file="story.txt").body


def test_no_article_gets_the_slug_of_the_add_page():
    article = import_bytes("add.txt", b"Add\n" + LEDE.encode()).article
    assert article.slug != "add"


# --- editing --------------------------------------------------------------------------


@pytest.fixture
def article():
    return import_bytes("ferry.txt", PASTE.encode()).article


def test_edit_details(teacher, article):
    url = reverse("corpus:edit", args=[article.slug])
    response = teacher.post(url, {"title": TAGLINE, "published": "2025-03-04",
                                  "byline": "Anna Kowalski and Ben Ode", "outlet": "Coast Times",
                                  "url": "https://coast.example/ferry"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.published, article.byline, article.outlet) == (date(2025, 3, 4), "Anna Kowalski and Ben Ode", "Coast Times")
    assert article.title_derived is False
    teacher.post(url, {"title": "Fares Up", "published": "", "byline": "", "outlet": "", "url": ""})
    article.refresh_from_db()
    assert (article.title, article.title_derived, article.published) == ("Fares Up", True, None)


def test_edit_refuses_a_long_title_and_changes_nothing(teacher, article):
    response = teacher.post(reverse("corpus:edit", args=[article.slug]), {"title": "x" * 301})
    assert response.status_code == 422
    assert "at most 300 characters" in response.content.decode()
    assert Article.objects.get().title == TAGLINE


def test_replacing_the_text_re_anchors_claims_and_reports_orphans(teacher, article):
    author = make_user("writer")
    councillors = "Island councillors called the rise a blow to families"
    kept = make_claim(author, article, councillors, "editorialized")
    dropped = make_claim(author, article, "discounts for residents would remain")
    new_text = PASTE.replace("The company said discounts for residents would remain, although it did not say for how "
                             "long they would last or how many people would qualify.\n", "")
    new_text = new_text.replace("Island councillors", "On the islands, councillors said the rise was unfair. Island councillors")
    preview = teacher.post(reverse("corpus:replace", args=[article.slug]), {"text": new_text})
    assert preview.status_code == 200 and "Check the new text" in preview.content.decode()
    assert Article.objects.get().body == article.body  # nothing changes before saving
    response = save(teacher, preview, follow=True)
    page = " ".join(html.unescape(response.content.decode()).split())
    assert "Text replaced. Claims and links on it: 0 in place, 1 moved along with their words, 1 could not find" in page
    assert "1 claim and 0 links into this article could not find their words" in page
    updated = Article.objects.get()
    assert updated.pk == article.pk and updated.slug == article.slug
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert updated.body[kept.start : kept.end] == councillors and kept.anchor == "anchored"
    assert dropped.anchor == "orphaned"
    assert updated.raw == new_text


def test_replacing_an_html_article_with_pasted_text_reads_it_as_text(teacher):
    article = import_bytes("library.html", HOSTILE_HTML.encode()).article
    new_text = "Library Opens Late Hours\n" + LEDE + "\nSecond paragraph stays a paragraph of its own here."
    preview = teacher.post(reverse("corpus:replace", args=[article.slug]), {"text": new_text})
    save(teacher, preview, title="Library Opens Late Hours", published="", byline="", outlet="Town Crier")
    assert Article.objects.get().body.split("\n")[1:] == [LEDE, "Second paragraph stays a paragraph of its own here."]


def test_replacing_with_an_empty_paste_is_refused(teacher, article):
    response = teacher.post(reverse("corpus:replace", args=[article.slug]), {"text": "  \n "})
    assert response.status_code == 422
    assert "Paste the new text of the article." in response.content.decode()


def test_archive_hides_from_the_list_and_keeps_claims_then_unarchive(teacher, article, client):
    make_claim(make_user("writer"), article, "Island councillors")
    teacher.post(reverse("corpus:archive", args=[article.slug]), {"archived": "1"})
    assert article.title not in client.get(reverse("home")).content.decode()
    assert Annotation.objects.count() == 1
    teacher.post(reverse("corpus:archive", args=[article.slug]), {"archived": "0"})
    assert article.title in client.get(reverse("home")).content.decode()


def test_the_teacher_who_adds_an_article_owns_it_and_the_import_command_owns_none(teacher):
    save(teacher, preview_paste(teacher))
    assert Article.objects.get().owner == User.objects.get(username="tess")
    assert import_bytes("other.txt", PASTE.replace("ferry", "bus").encode()).article.owner is None


def test_replacing_the_text_keeps_the_owner(teacher):
    save(teacher, preview_paste(teacher))
    article = Article.objects.get()
    other = client_for(make_teacher("otto"))
    save(other, other.post(reverse("corpus:replace", args=[article.slug]), {"text": PASTE + "One more line here.\n"}))
    article.refresh_from_db()
    assert article.owner.username == "tess" and article.body.endswith("One more line here.")


def test_delete_names_what_goes_and_needs_a_tick(teacher):
    save(teacher, preview_paste(teacher))
    article = Article.objects.get()
    other = import_bytes("other.txt", PASTE.replace("ferry", "bus").encode()).article
    tess = User.objects.get(username="tess")
    for phrase in ("Island councillors", "fares on its island routes"):
        make_claim(tess, article, phrase)
    source = make_claim(tess, other, "Island councillors", "disputed")
    make_link(tess, source, article, "would rise by a fifth", "corroborates")
    edit = teacher.get(reverse("corpus:edit", args=[article.slug])).content.decode()
    assert "This deletes 2 claims and 1 link" in edit
    refused = teacher.post(reverse("corpus:delete", args=[article.slug]), {"plan": _plan(edit)})
    assert refused.status_code == 422 and "Tick the box" in refused.content.decode()
    assert Article.objects.filter(pk=article.pk).exists() and Link.objects.count() == 1
    response = teacher.post(reverse("corpus:delete", args=[article.slug]), {"confirm": "on", "plan": _plan(edit)},
                            follow=True)
    assert "with 2 claims and 1 link" in html.unescape(response.content.decode())
    assert not Article.objects.filter(pk=article.pk).exists()
    assert list(Annotation.objects.all()) == [source] and Link.objects.count() == 0


def _plan(page):
    return re.search(r'name="plan" value="([0-9a-f]+)"', page).group(1)


# --- the guide ------------------------------------------------------------------------


def test_the_guide_is_public_and_asks_the_three_questions(client):
    page = html.unescape(client.get(reverse("corpus:guide")).content.decode())
    for text in ("attributed", "editorialized", "disputed", "corroborates", "contradicts", "Who says so?",
                 "Whose judgement is this?", "Who contests it — and what do other sources say?"):
        assert text in page


def test_the_guide_popover_is_a_native_disclosure():
    from django.template.loader import render_to_string

    popover = render_to_string("corpus/_guide_popover.html")
    assert popover.lstrip().startswith('<details class="guide-popover">') and "<summary>" in popover
    assert reverse("corpus:guide") in popover
