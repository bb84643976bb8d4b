"""One passage picker for a claim's links and a reply's "see this" passage, and one check of
the passage chosen (annotations.services.resolve_passage)."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from annotator.annotations import services as annotations
from annotator.annotations.models import Link
from annotator.annotations.services import resolve_passage
from annotator.discussion import services as discussion
from annotator.discussion.models import Reply
from annotator.errors import NotFound, ServiceError

from .factories import BODY_A, BODY_B, article, span

PASSAGE = "Putin praised the attack as wise"


def htmx_client_for(user):
    client = Client(HTTP_HX_REQUEST="true")
    client.force_login(user)
    return client


def passage_fields(art, phrase):
    fields = span(art, phrase)
    return {"to_article": art.slug, "to_start": fields["start"], "to_end": fields["end"], "to_exact": phrase}


@pytest.fixture
def world(db):
    author = User.objects.create_user("author", password="x-pass-12345")
    replier = User.objects.create_user("replier", password="x-pass-12345")
    a, b = article("a", BODY_A), article("b", BODY_B)
    claim = annotations.create_annotation(author, a, {**span(a, "Putin urged restraint"), "label": "attributed",
                                                      "visibility": "public"})
    return {"author": author, "replier": replier, "a": a, "b": b, "claim": claim}


def archive(art):
    art.archived = True
    art.save(update_fields=["archived"])


def link_picker_url(claim, part=""):
    return f"/claims/{claim.pk}/links/{part}"


def evidence_picker_url(claim, part=""):
    return f"/claims/{claim.pk}/discussion/evidence/{part}"


# The check of a chosen passage


def test_a_replys_passage_in_an_archived_article_is_refused_as_a_links_target_is(world):
    archive(world["b"])
    chosen = passage_fields(world["b"], PASSAGE)
    with pytest.raises(NotFound) as for_link:
        annotations.create_link(world["author"], {"from": world["claim"].pk, "relation": "corroborates", **chosen})
    with pytest.raises(NotFound) as for_reply:
        discussion.create_reply(world["replier"], world["claim"].pk, {"text": "See this.", **chosen})
    archived = "Article 'b' is archived: it takes no new claims or links."
    assert for_link.value.message == for_reply.value.message == archived
    assert for_link.value.field == for_reply.value.field == "to_article"
    assert not Link.objects.exists() and not Reply.objects.exists()


def test_the_reply_form_hears_why_an_archived_articles_passage_is_refused(world):
    archive(world["b"])
    claim = world["claim"]
    response = htmx_client_for(world["replier"]).post(evidence_picker_url(claim, "chosen/"),
                                                      {"form": f"c{claim.pk}", **passage_fields(world["b"], PASSAGE)})
    assert response.status_code == 404 and response["HX-Retarget"] == f"#ev-error-c{claim.pk}"
    assert "is archived" in response.content.decode()


def test_a_passage_is_resolved_with_its_quote_selector_and_each_missing_part_is_named(world):
    claim, b = world["claim"], world["b"]
    passage = resolve_passage(passage_fields(b, "praised"), claim)
    assert (passage.article, passage.exact) == (b, "praised")
    assert b.body[passage.start - len(passage.prefix):passage.end + len(passage.suffix)] == (
        passage.prefix + "praised" + passage.suffix)
    assert passage.fields()["to_prefix"] == passage.prefix
    with pytest.raises(ServiceError, match="to_end is required with to_article") as missing:
        resolve_passage({"to_article": "b", "to_start": 0}, claim)
    assert missing.value.field == "to_end"
    with pytest.raises(ServiceError, match="A reply must point to a different article than its claim's"):
        resolve_passage(passage_fields(world["a"], "Kremlin said"), claim, what="A reply")


# One picker, two forms


def passages_listed(html):
    """(article, start, end) of every passage a picker lists, in order."""
    return [(m["article"], int(m["start"]), int(m["end"]))
            for m in re.finditer(r'hx-get="[^"]*/articles/(?P<article>[\w-]+)/\?(?:form=\w+&amp;)?'
                                 r'start=(?P<start>\d+)&amp;end=(?P<end>\d+)"', html)]


def skeleton(html):
    """The tags and classes of a picker's list of passages, without ids, addresses and values."""
    listing = html[html.index('<ol class="lp-passages">'):html.index("</ol>")]
    return re.findall(r'<(\w+)(?: class="([^"]*)")?', listing)


def test_both_forms_get_the_same_passages_drawn_the_same_way(world):
    claim = world["claim"]
    links = htmx_client_for(world["author"]).get(link_picker_url(claim)).content.decode()
    evidence = htmx_client_for(world["replier"]).get(evidence_picker_url(claim), {"form": f"c{claim.pk}"})
    evidence = evidence.content.decode()
    assert passages_listed(links) and passages_listed(links) == passages_listed(evidence)
    assert skeleton(links) == skeleton(evidence)
    # Each fills its own form: the link's choice goes into the panel's form, the reply's is
    # posted to the server to check.
    assert "data-link-pick" in links and "Link this passage" in links
    assert 'hx-post="' + evidence_picker_url(claim, "chosen/") in evidence and "Use this passage" in evidence
    assert f'data-link-panel="{claim.pk}"' in links and f'data-link-panel="ev-c{claim.pk}"' in evidence


def test_a_search_in_the_reply_picker_keeps_its_form(world):
    claim = world["claim"]
    found = htmx_client_for(world["replier"]).get(evidence_picker_url(claim, "passages/"),
                                                  {"form": f"p{claim.pk}", "q": "PressTV"}).content.decode()
    assert "matching <q>PressTV</q>" in found
    assert f"/articles/b/?form=p{claim.pk}&amp;start=" in found
    assert '&quot;form&quot;: &quot;p%d&quot;' % claim.pk in found


def test_an_opened_article_selects_the_passage_it_was_opened_at_in_either_picker(world):
    claim, b = world["claim"], world["b"]
    at = span(b, PASSAGE)
    for client, url, text_id in (
        (htmx_client_for(world["author"]), link_picker_url(claim, "articles/b/?"), f"picker-text-{claim.pk}"),
        (htmx_client_for(world["replier"]), evidence_picker_url(claim, f"articles/b/?form=c{claim.pk}&"),
         f"ev-text-c{claim.pk}"),
    ):
        opened = client.get(f"{url}start={at['start']}&end={at['end']}").content.decode()
        assert f'data-start="{at["start"]}" data-end="{at["end"]}"' in opened and f'id="{text_id}"' in opened
        # Offsets that do not fit the article open it without a selection, rather than fail.
        assert "data-start" not in client.get(f"{url}start=5&end=99999").content.decode()
        assert client.get(url.replace("/b/", "/a/")).status_code == 404  # the claim's own article


def test_only_the_link_picker_shows_what_the_claim_already_links_to(world):
    claim, b = world["claim"], world["b"]
    author = htmx_client_for(world["author"])
    slug, start, end = passages_listed(author.get(link_picker_url(claim)).content.decode())[0]
    made = annotations.create_link(world["author"], {"from": claim.pk, "relation": "contradicts", "to_article": slug,
                                                     "to_start": start, "to_end": end, "to_exact": b.body[start:end]})
    assert "already linked: contradicts" in author.get(link_picker_url(claim)).content.decode()
    opened = author.get(link_picker_url(claim, "articles/b/")).content.decode()
    assert re.search(rf'data-link="[^"]*\b{made.pk}\b', opened)
    replier = htmx_client_for(world["replier"])
    assert "already linked" not in replier.get(evidence_picker_url(claim), {"form": f"c{claim.pk}"}).content.decode()
    opened = replier.get(evidence_picker_url(claim, "articles/b/"), {"form": f"c{claim.pk}"}).content.decode()
    assert "data-link=" not in opened
