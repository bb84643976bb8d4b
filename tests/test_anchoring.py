"""Re-anchoring spans after an article's text changed: follow, find by quote, fuzzy, or orphan."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.annotations.anchoring import BodyDiff, closest_substring, locate, quote_selector, reanchor_article
from annotator.annotations.models import Annotation, Link

from .factories import client_for, make_article, make_claim, make_link, passage

HEADLINE = "Council approves new budget after long debate\n"
FIRST = "The mayor said the budget protects every school in the city. "
SECOND = "Opposition members called the vote a betrayal of voters. "
THIRD = "A final reading is scheduled for next month."
BODY = HEADLINE + FIRST + SECOND + THIRD


def rewrite(article, new_body):
    """Change the article's text as the importer does, then re-anchor; return the counts."""
    old_body = article.body
    article.body = new_body
    article.save(update_fields=["body"])
    return reanchor_article(article, old_body)


def reread(annotation):
    annotation.refresh_from_db()
    return annotation


def assert_anchored_on(annotation, body, text):
    annotation = reread(annotation)
    assert annotation.anchor == "anchored"
    assert body[annotation.start : annotation.end] == annotation.exact == text
    assert (annotation.exact, annotation.prefix, annotation.suffix) == quote_selector(
        body, annotation.start, annotation.end
    )


def test_quote_selector_takes_up_to_32_code_points_of_context():
    body = "x" * 40 + "SPAN" + "y" * 10
    assert quote_selector(body, 40, 44) == ("SPAN", "x" * 32, "y" * 10)
    assert quote_selector("👍🇺🇦 ok", 4, 6) == ("ok", "👍🇺🇦 ", "")


def test_unchanged_text_keeps_every_span(alice):
    article = make_article("budget", BODY)
    spans = [make_claim(alice, article, text) for text in ("protects every school", "a betrayal", "next month")]
    before = [(a.start, a.end, a.exact, a.prefix, a.suffix) for a in spans]
    assert rewrite(article, BODY) == {"anchored": 3, "moved": 0, "orphaned": 0}
    assert [(a.start, a.end, a.exact, a.prefix, a.suffix) for a in map(reread, spans)] == before


def test_text_inserted_before_a_span_moves_it(alice):
    article = make_article("budget", BODY)
    span = make_claim(alice, article, "a betrayal of voters")
    new_body = HEADLINE + "👍🇺🇦 Updated at noon.\n" + FIRST + SECOND + THIRD
    assert rewrite(article, new_body) == {"anchored": 0, "moved": 1, "orphaned": 0}
    assert_anchored_on(span, new_body, "a betrayal of voters")


def test_a_typo_fixed_inside_a_span_is_matched_fuzzily_and_takes_the_new_text(alice):
    article = make_article("budget", BODY.replace("every school", "evry school"))
    span = make_claim(alice, article, "the budget protects evry school in the city")
    assert rewrite(article, BODY) == {"anchored": 0, "moved": 1, "orphaned": 0}
    assert_anchored_on(span, BODY, "the budget protects every school in the city")


def test_a_deleted_sentence_orphans_exactly_that_span(alice):
    article = make_article("budget", BODY)
    kept = make_claim(alice, article, "protects every school")
    gone = make_claim(alice, article, "called the vote a betrayal")
    later = make_claim(alice, article, "scheduled for next month")
    new_body = HEADLINE + FIRST + THIRD
    assert rewrite(article, new_body) == {"anchored": 1, "moved": 1, "orphaned": 1}
    assert_anchored_on(kept, new_body, "protects every school")
    assert_anchored_on(later, new_body, "scheduled for next month")
    gone = reread(gone)
    assert gone.anchor == "orphaned"
    assert gone.exact == "called the vote a betrayal"  # kept, to show the reader what was lost
    assert 0 <= gone.start < gone.end <= len(new_body)
    assert Annotation.objects.count() == 3


def test_an_orphan_never_lands_on_the_same_words_in_another_sentence(alice):
    body = HEADLINE + "Ann said the plan works. Bob doubted it. Cy said the plan works, too."
    article = make_article("plan", body)
    span = make_claim(alice, article, "the plan works")
    rewrite(article, HEADLINE + "Bob doubted it. Cy said the plan works, too.")
    assert reread(span).anchor == "orphaned"


def test_a_repeated_phrase_follows_the_right_occurrence(alice):
    body = "Alpha says the tax will fall.\nBeta says the tax will fall.\nGamma disagrees."
    article = make_article("tax", body)
    second = make_claim(alice, article, "the tax will fall", occurrence=1)
    new_body = "Beta says the tax will fall.\nGamma disagrees.\nAlpha says the tax will fall."
    rewrite(article, new_body)
    second = reread(second)
    assert new_body[second.start - len("Beta says ") : second.end] == "Beta says the tax will fall"


def test_an_orphan_whose_text_returns_is_anchored_again(alice):
    body = "Alpha says the tax will fall soon.\nBeta says the tax will fall by May.\nGamma disagrees."
    article = make_article("tax", body)
    span = make_claim(alice, article, "the tax will fall", occurrence=1)
    assert rewrite(article, "Alpha says the tax will fall soon.\nGamma disagrees.")["orphaned"] == 1
    assert reread(span).anchor == "orphaned"
    rewrite(article, body)
    assert_anchored_on(span, body, "the tax will fall")
    assert reread(span).start == body.index("the tax will fall", 20)


def test_context_outweighs_nearness_when_the_old_position_says_nothing():
    new = "Beta says the tax will fall by May. Alpha says the tax will fall soon."
    # Stored offsets 10-27 point at Beta's words, but the quote's context is Alpha's.
    found = locate(BodyDiff("", new), 10, 27, "the tax will fall", "Alpha says ", " soon.")
    assert found == (new.index("the tax will fall", 20), new.index("the tax will fall", 20) + 17)


def test_link_targets_reanchor_with_the_article_they_point_into(alice):
    claim_article = make_article("budget", BODY)
    target = make_article("reply", "Schools face cuts, union says\nThe union said three schools will close in June.")
    claim = make_claim(alice, claim_article, "protects every school")
    link = make_link(alice, claim, target, "three schools will close")
    new_body = "Schools face cuts, union says\nUpdated.\nThe union said three schools will close in June."
    assert rewrite(target, new_body) == {"anchored": 0, "moved": 1, "orphaned": 0}
    link.refresh_from_db()
    assert (link.to_anchor, new_body[link.to_start : link.to_end]) == ("anchored", "three schools will close")
    assert link.to_prefix == new_body[link.to_start - 32 : link.to_start]
    assert reread(claim).start == BODY.index("protects every school")  # the claim's own article is untouched

    rewrite(target, "Schools face cuts, union says\nNo closures are planned.")
    link.refresh_from_db()
    assert (link.to_anchor, link.to_exact) == ("orphaned", "three schools will close")


def test_a_replys_see_this_passage_reanchors_with_the_article_it_points_into(alice):
    from annotator.discussion import services as discussion

    claim = make_claim(alice, make_article("budget", BODY), "protects every school")
    target = make_article("reply", "Schools face cuts, union says\nThe union said three schools will close in June.")
    phrase = "three schools will close"
    reply = discussion.create_reply(alice, claim.pk, {"text": "See this.", **passage(target, phrase)})
    new_body = "Schools face cuts, union says\nUpdated.\nThe union said three schools will close in June."
    assert rewrite(target, new_body) == {"anchored": 0, "moved": 1, "orphaned": 0}
    reply.refresh_from_db()
    assert (reply.to_anchor, new_body[reply.to_start : reply.to_end]) == ("anchored", phrase)

    rewrite(target, "Schools face cuts, union says\nNo closures are planned.")
    reply.refresh_from_db()
    assert (reply.to_anchor, reply.to_exact, reply.text) == ("orphaned", phrase, "See this.")
    assert discussion.reply_json(reply, discussion.get_thread(alice, claim.pk))["evidence"]["anchor"] == "orphaned"
    page = client_for(alice).get(f"/claims/{claim.pk}/discussion/").content.decode()
    assert phrase in page and "no longer in that article's current text" in page


def test_two_links_that_would_land_on_one_passage_stay_distinct(alice):
    claim = make_claim(alice, make_article("budget", BODY), "protects every school")
    paragraph = "The union, in a long statement on Monday, said that three schools will close in June."
    target = make_article("reply", f"Union statement\n{paragraph}\n{paragraph}\nEnd.")
    phrase = "three schools will close"
    for occurrence in (0, 1):
        make_link(alice, claim, target, phrase, occurrence=occurrence)
    new_body = f"Union statement\n{paragraph}\nEnd."
    assert rewrite(target, new_body)["orphaned"] == 1
    placed = sorted((link.to_anchor, link.to_start) for link in Link.objects.all())
    assert placed[0] == ("anchored", new_body.index(phrase))
    assert placed[1][0] == "orphaned"


def test_reanchoring_writes_in_batches_not_row_by_row(alice):
    article = make_article("budget", BODY)
    start = BODY.index("a betrayal of voters")
    for length in range(1, 41):
        # Forty different spans: the same claim twice is refused.
        make_claim(alice, article, BODY[start : start + length])
    old_body = article.body
    article.body = "Correction appended.\n" + BODY
    article.save(update_fields=["body"])
    with CaptureQueriesContext(connection) as queries:
        assert reanchor_article(article, old_body)["moved"] == 40
    writes = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(writes) == 1


def test_the_body_diff_follows_untouched_text_and_not_edited_text():
    diff = BodyDiff("one two three\nfour five\n", "zero one two three\nfour 5 five\n")
    assert diff.follow(4, 7) == (9, 12)  # "two"
    assert diff.follow(19, 23) == (26, 30)  # "five"
    assert diff.follow(14, 23) is None  # "four five" now has "5 " inside
    assert diff.position(0) == 5


def test_closest_substring_finds_the_stretch_with_fewest_edits():
    assert closest_substring("goverment", "the government said") == (1, 4, 14)
    assert closest_substring("abc", "xxabcxx") == (0, 2, 5)
