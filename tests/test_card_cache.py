"""Claim cards are cached for exactly what they show: a second view reuses them, any change redraws."""

import pytest

from annotator.annotations import services
from annotator.discussion import services as discussion

from .factories import BODY_A, BODY_B, client_for, make_article, make_claim, make_link, make_user

CARD = "annotations/_card_body.html"
TOGGLE = "discussion/_card_toggle.html"


@pytest.fixture
def setting(db):
    author, reader = make_user("author"), make_user("reader")
    here, there = make_article("here", BODY_A), make_article("there", BODY_B)
    claim = make_claim(author, here, "Putin urged restraint", source="the Kremlin", note="First thoughts.",
                       visibility="public")
    return author, reader, here, there, claim


def view(client, art):
    response = client.get(art.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), {t.name for t in response.templates}


def test_a_second_view_of_unchanged_claims_reuses_their_cards(setting):
    author, reader, here, there, claim = setting
    client = client_for(reader)
    _, drawn = view(client, here)
    page, redrawn = view(client, here)
    assert CARD in drawn and TOGGLE in drawn
    assert CARD not in redrawn and TOGGLE not in redrawn
    assert "First thoughts." in page


def test_an_edited_note_shows_at_once(setting):
    author, reader, here, there, claim = setting
    client = client_for(reader)
    view(client, here)
    services.update_annotation(author, claim.pk, {"note": "Second thoughts."})
    page, drawn = view(client, here)
    assert CARD in drawn
    assert "Second thoughts." in page and "First thoughts." not in page


def test_a_card_cached_for_its_author_shows_no_edit_buttons_to_another_reader(setting):
    author, reader, here, there, claim = setting
    own_page, _ = view(client_for(author), here)
    assert f"/claims/{claim.pk}/edit/" in own_page
    page, drawn = view(client_for(reader), here)
    assert CARD in drawn
    assert f"/claims/{claim.pk}/edit/" not in page and "First thoughts." in page


def test_a_new_or_removed_link_redraws_the_card(setting):
    author, reader, here, there, claim = setting
    client = client_for(reader)
    view(client, here)
    link = make_link(author, claim, there, "Putin praised")
    page, _ = view(client, here)
    assert "contradicted by 1" in page and "“Putin praised”" in page
    services.delete_link(author, link.pk)
    page, _ = view(client, here)
    assert "contradicted by 1" not in page


def test_renaming_a_linked_article_redraws_the_cards_that_link_to_it(setting):
    author, reader, here, there, claim = setting
    make_link(author, claim, there, "Putin praised", "corroborates")
    client = client_for(reader)
    assert "PressTV story" in view(client, here)[0]
    there.title = "A renamed story"
    there.save()
    page, _ = view(client, here)
    assert "A renamed story" in page and "PressTV story" not in page


def test_a_new_reply_updates_the_discussion_count_on_a_reused_card(setting):
    author, reader, here, there, claim = setting
    client = client_for(reader)
    assert "Discussion (0)" in view(client, here)[0]
    discussion.create_reply(author, claim.pk, {"text": "Who else reported it?"})
    page, drawn = view(client, here)
    assert "Discussion (1)" in page and "1 new" in page
    assert CARD not in drawn and TOGGLE in drawn
