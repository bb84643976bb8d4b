"""An article's claim stamp changes with every write to its claims, whatever path the write
takes, so the reader (which keys its drawings on the stamp) draws the write at once."""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from annotator.annotations import services
from annotator.annotations.models import Annotation
from annotator.annotations.stamps import stamp
from annotator.discussion.models import Reply
from annotator.discussion.services.moderation import hide_claim, hide_reply
from annotator.discussion.services.replies import create_reply, delete_reply

from .factories import (
    BODY_B,
    client_for,
    make_article,
    make_claim,
    make_class,
    make_teacher,
    make_user,
)


@pytest.fixture
def text(db):
    return make_article("kremlin")


def drawn(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def changes(article, write):
    """Whether `write()` gives `article` a new stamp."""
    before = stamp(article)
    write()
    return stamp(article) != before


def test_the_services_change_the_stamp_and_the_reader_draws_each_write(reader, text):
    client = client_for(reader)
    assert drawn(client, text).count('class="hl ') == 0
    claim = None

    def create():
        nonlocal claim
        claim = make_claim(reader, text, "urged restraint", label="disputed", visibility="public")

    assert changes(text, create)
    assert "hl-disputed" in drawn(client, text)
    assert changes(text, lambda: services.update_annotation(reader, claim.pk, {"label": "attributed"}))
    page = drawn(client, text)
    assert "hl-disputed" not in page and "hl-attributed" in page
    assert changes(text, lambda: services.delete_annotation(reader, claim.pk))
    assert 'class="hl ' not in drawn(client, text)


def test_bulk_writes_queryset_updates_and_raw_sql_change_the_stamp(reader, text):
    client = client_for(reader)
    drawn(client, text)
    rows = [Annotation(article=text, author=reader, start=0, end=7, exact="Kremlin", label="disputed")]
    assert changes(text, lambda: Annotation.objects.bulk_create(rows))
    assert "hl-disputed" in drawn(client, text)
    assert changes(text, lambda: Annotation.objects.filter(article=text).update(label="editorialized"))
    assert "hl-editorialized" in drawn(client, text)

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM annotations_annotation WHERE article_id = %s", [text.pk])

    assert changes(text, raw_delete)
    assert 'class="hl ' not in drawn(client, text)


@pytest.fixture
def writer(text):
    """Another reader with one public claim on the text."""
    writer = make_user("writer")
    make_claim(writer, text, "urged restraint", visibility="public")
    return writer


def test_a_deleted_author_takes_their_claims_off_the_page_at_once(reader, writer, text):
    client = client_for(reader)
    assert 'class="hl ' in drawn(client, text)
    assert changes(text, writer.delete)
    assert 'class="hl ' not in drawn(client, text)


def test_a_renamed_author_is_listed_under_the_new_name(reader, writer, text):
    client = client_for(reader)
    assert 'value="writer"' in drawn(client, text)
    writer.username = "scribe"
    assert changes(text, writer.save)
    page = drawn(client, text)
    assert 'value="scribe"' in page and 'value="writer"' not in page
    # Saving the user with the same name changes nothing the reader shows: no new stamp.
    assert not changes(text, writer.save)


def test_a_claim_moved_to_another_article_changes_both(reader, text):
    other = make_article("presstv", BODY_B)
    claim = make_claim(reader, text, "Kremlin")
    before = stamp(other)
    assert changes(text, lambda: Annotation.objects.filter(pk=claim.pk).update(article=other))
    assert stamp(other) != before


def test_a_write_on_one_article_leaves_the_others_stamps_alone(reader, text):
    other = make_article("presstv", BODY_B)
    make_claim(reader, other, "PressTV")
    assert not changes(text, lambda: make_claim(reader, other, "praised"))


def test_a_rolled_back_write_leaves_the_stamp_and_the_drawing_as_they_were(reader, text):
    client = client_for(reader)
    make_claim(reader, text, "Kremlin", label="attributed")
    before = stamp(text)
    drawn(client, text)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_claim(reader, text, "urged restraint", label="disputed")
        assert "hl-disputed" in drawn(client, text)  # drawn inside the transaction, then undone
        raise RuntimeError
    assert stamp(text) == before
    page = drawn(client, text)
    assert "hl-attributed" in page and "hl-disputed" not in page
    # The next write is new to every process: a counter would hand out the undone one's number.
    make_claim(reader, text, "Critics", label="editorialized")
    page = drawn(client, text)
    assert "hl-editorialized" in page and "hl-disputed" not in page


def test_a_claim_hidden_by_its_teacher_leaves_other_readers_pages_at_once(reader, text):
    teacher, student = make_teacher("teacher"), make_user("student")
    make_class(teacher, [student])
    claim = make_claim(student, text, "urged restraint", label="disputed", visibility="public")
    client = client_for(reader)  # in no class: the reader trusts the stamp
    assert "hl-disputed" in drawn(client, text)
    assert changes(text, lambda: hide_claim(teacher, claim.pk))
    assert "hl-disputed" not in drawn(client, text)
    assert changes(text, lambda: hide_claim(teacher, claim.pk, hidden=False))
    assert "hl-disputed" in drawn(client, text)


def test_a_reader_who_joins_a_class_sees_its_class_claims_at_once(reader, text):
    """Joining changes no claim, so no stamp: a reader in a class is drawn from the claims themselves."""
    teacher, student = make_teacher("teacher"), make_user("student")
    classroom = make_class(teacher, [student])
    make_claim(student, text, "urged restraint", label="disputed", visibility="class")
    client = client_for(reader)
    assert "hl-disputed" not in drawn(client, text)
    before = stamp(text)
    classroom.memberships.create(student=reader)
    assert stamp(text) == before
    assert "hl-disputed" in drawn(client, text)


@pytest.mark.django_db(transaction=True)
def test_the_triggers_are_in_place_again_after_migrate(reader):
    text = make_article("kremlin")
    call_command("migrate", verbosity=0, interactive=False)
    assert changes(text, lambda: make_claim(reader, text, "Kremlin"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite drops the triggers during migrate")
def test_claims_written_while_sqlite_migrates_are_drawn_after_it(reader):
    from annotator.annotations.stamps import create_triggers, drop_triggers

    text = make_article("kremlin")
    client = client_for(reader)
    assert 'class="hl ' not in drawn(client, text)
    drop_triggers()  # as migrate does before it starts
    make_claim(reader, text, "Kremlin", label="disputed")
    assert stamp(text) is None
    create_triggers()  # and after it ends
    assert stamp(text) is not None
    assert "hl-disputed" in drawn(client, text)


def recent(page):
    """The sidebar's recent threads summary ("2 threads · 1 new"), or None."""
    found = re.search(r'<span class="muted">(\d+ threads?[^<]*(?:<strong[^>]*>[^<]*</strong>)?)</span></summary>', page)
    return found and re.sub(r"<[^>]+>", "", found.group(1))


def test_the_recent_threads_follow_every_reply_written_read_or_hidden(reader, text):
    teacher, student, classmate = make_teacher("teacher"), make_user("student"), make_user("classmate")
    make_class(teacher, [student, classmate])
    claim = make_claim(student, text, "urged restraint", visibility="public")
    other = make_claim(student, text, "Critics", visibility="public")
    client = client_for(reader)  # in no class: the sidebar remembers its threads by the stamp
    assert recent(drawn(client, text)) is None
    first = create_reply(classmate, claim.pk, {"text": "Who said so?"})
    assert recent(drawn(client, text)) == "1 thread · 1 new"
    create_reply(classmate, other.pk, {"text": "Which critics?"})
    assert recent(drawn(client, text)) == "2 threads · 2 new"
    client.get(reverse("discussion:thread", args=[claim.pk]))  # read: one thread's news seen
    assert recent(drawn(client, text)) == "2 threads · 1 new"
    hide_reply(teacher, first.pk)
    assert recent(drawn(client, text)) == "1 thread · 1 new"
    delete_reply(classmate, Reply.objects.get(claim=other).pk)
    assert recent(drawn(client, text)) is None
