"""Articles in Russian, Arabic, Persian and Hebrew: the language is told, given and shown;
right-to-left paragraphs are laid out right to left; exports keep the script and the language."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotator.corpus.importer import import_bytes
from annotator.corpus.languages import detect_language, paragraph_direction
from annotator.corpus.models import Article

from .factories import client_for, make_claim, make_teacher, make_user

LANGUAGES = Path(__file__).resolve().parent / "data" / "languages"


def text_of(name):
    return (LANGUAGES / f"{name}.txt").read_text(encoding="utf-8")


def imported(name):
    return import_bytes(f"{name}.txt", text_of(name).encode()).article


@pytest.mark.parametrize(("text", "language"), [
    ("Путин заявил о переговорах", "ru"),
    ("Міністр закордонних справ України", "uk"),
    ("وزارة الخارجية الإيرانية تعلن", "ar"),
    ("وزارت امور خارجه ایران اعلام کرد", "fa"),
    # Persian as windows-1256 sites write it, with the Arabic ye and kaf: its گ and پ still tell.
    ("دولت گزارش داد که پروژه بندر آغاز شد", "fa"),
    ("ממשלת ישראל הודיעה היום", "he"),
    ("Iran says talks in Vienna will resume", "en"),
    ("Le ministère a annoncé lundi", ""),
    ("2024 — 1,200", ""),
])
def test_the_language_is_told_from_the_letters_even_of_a_headline(text, language):
    assert detect_language(text) == language


def test_an_arabic_article_quoting_english_stays_arabic_and_each_paragraph_goes_its_own_way():
    body = text_of("arabic")
    assert detect_language(body) == "ar"
    assert paragraph_direction("Reuters: قال المتحدث باسم الوزارة إن المفاوضات ستستمر") == "rtl"
    assert paragraph_direction('He wrote "שלום" twice in the letter to the minister') == "ltr"
    assert paragraph_direction("An English paragraph") == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "language", "shown"), [
    ("hebrew", "he", "In Hebrew"), ("arabic", "ar", "In Arabic"), ("russian", "ru", "In Russian"),
    ("persian", "fa", "In Persian"),
])
def test_the_reader_and_the_article_list_show_the_language_and_lay_out_each_paragraph(client, name, language,
                                                                                     shown):
    article = imported(name)
    assert article.language == language
    # A headline in a script without capitals is still the headline.
    assert (article.title, article.title_derived) == (article.body.split("\n")[0], False)
    page = client.get(article.get_absolute_url()).content.decode()
    assert shown in page
    assert f'data-article="{article.slug}" lang="{language}"' in page
    rtl = language in ("he", "ar", "fa")
    assert page.count('dir="rtl"') == (len(article.body.split("\n")) if rtl else 0)
    listing = client.get(reverse("home")).content.decode()
    assert f'dir="auto" lang="{language}">{article.title}</a>' in listing
    assert shown.removeprefix("In ") in listing


@pytest.mark.django_db
def test_the_api_and_json_ld_carry_the_language(client):
    article = imported("hebrew")
    listed = client.get("/api/articles/").json()["results"]
    assert [(a["slug"], a["language"]) for a in listed] == [(article.slug, "he")]
    assert client.get(f"/api/articles/{article.slug}/").json()["language"] == "he"
    reader = make_user("reader")
    make_claim(reader, article, "נמל חיפה", visibility="public")
    out = StringIO()
    call_command("export_annotations", "--format", "jsonld", stdout=out)
    target = json.loads(out.getvalue())["first"]["items"][0]["target"]
    assert target["language"] == "he"
    assert target["selector"][1]["exact"] == "נמל חיפה"


@pytest.mark.django_db
def test_the_csv_for_excel_keeps_the_script_behind_a_byte_order_mark(client):
    article = imported("arabic")
    reader = make_user("reader")
    make_claim(reader, article, "450 مليون دولار", visibility="public")
    response = client_for(reader).get(reverse("exports:annotations_csv"), {"article": article.slug, "bom": "1"})
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbfid,article,")
    assert "450 مليون دولار" in data.decode("utf-8-sig")
    assert f'href="/export/annotations.csv?article={article.slug}&amp;bom=1"' in client.get(
        article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_import_articles_takes_the_language_given_and_refuses_one_it_does_not_know(tmp_path):
    (tmp_path / "a.txt").write_text(text_of("russian"), encoding="utf-8")
    with pytest.raises(CommandError, match="language must be one of en, ru"):
        call_command("import_articles", str(tmp_path), "--language", "klingon", stdout=StringIO())
    assert not Article.objects.exists()
    call_command("import_articles", str(tmp_path), "--language", "uk", stdout=StringIO())
    assert Article.objects.get().language == "uk"
    # A language once given outlives a re-import that does not give one.
    (tmp_path / "a.txt").write_text(text_of("russian") + "Ещё один абзац.\n", encoding="utf-8")
    call_command("import_articles", str(tmp_path), stdout=StringIO())
    assert Article.objects.get().language == "uk"


@pytest.mark.django_db
def test_teachers_give_or_correct_the_language_when_adding_and_editing():
    teacher = client_for(make_teacher("tess"))
    preview = teacher.post(reverse("corpus:add"), {"text": text_of("persian")})
    page = preview.content.decode()
    assert '<option value="fa" selected>Persian (fa)</option>' in page
    from .test_add_article import token_of

    fields = {"source": token_of(preview), "key": 0, "title": "بندر بوشهر", "published": "", "byline": "",
              "outlet": "", "url": ""}
    refused = teacher.post(reverse("corpus:save"), {**fields, "language": "xx"})
    assert refused.status_code == 422 and not Article.objects.exists()
    teacher.post(reverse("corpus:save"), {**fields, "language": "ar"})
    article = Article.objects.get()
    assert article.language == "ar"
    teacher.post(reverse("corpus:edit", args=[article.slug]),
                 {"title": article.title, "published": "", "byline": "", "outlet": "", "url": "", "language": "fa"})
    article.refresh_from_db()
    assert article.language == "fa"


@pytest.mark.django_db
def test_the_guide_the_assist_and_the_feedback_say_where_they_are_english_only(client, lesson):
    assert "The examples below are English" in client.get(reverse("corpus:guide")).content.decode()
    article = imported("arabic")
    panel = client.get(reverse("assist:panel", args=[article.slug]), {"show": "1"}).content.decode()
    assert "The cue words are English only: in an article in Arabic they find little or nothing." in panel
    english = client.get(reverse("assist:panel", args=["a"]), {"show": "1"}).content.decode()
    assert "The cue words are English only." in english
    teacher = client_for(lesson["teacher"])
    feedback = teacher.get(reverse("classroom:feedback", args=[lesson["exercise"].pk]),
                           {"student": lesson["sam"].pk}).content.decode()
    assert "it works the same in every language; only this page's own words are English" in feedback
