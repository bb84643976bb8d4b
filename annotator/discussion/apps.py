from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "annotator.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from annotator.annotations.access import register_read_limit
        from annotator.annotations.anchoring import (
            LINK_TARGET_SPAN,
            register_span_holder,
        )
        from annotator.annotations.reader import register_reader_part
        from annotator.annotations.stamps import register_stamp_trigger

        from .models import Reply
        from .services import CARD_RELATED
        from .visibility import rows_only, unhidden_q

        # A claim a teacher hid stays only with its author and its moderators.
        register_read_limit("moderation", unhidden_q, rows_only=rows_only)
        # The reader trusts an article's claim stamp for what moderation hides, and the
        # sidebar's recent threads for which threads it has (templatetags.discussion).
        for table in ("discussion_claimmoderation", "discussion_reply"):
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                register_stamp_trigger(
                    f"{table}_stamp_{event.lower()}", table, event,
                    f"SELECT article_id FROM annotations_annotation WHERE id = {row}.claim_id")

        # A reply's "see this" passage moves with its article's text like a link's target.
        register_span_holder(Reply, "to_article", LINK_TARGET_SPAN)
        # The reader lists the latest threads in its sidebar; each claim card ends with its toggle.
        register_reader_part("sidebar", "discussion/_recent.html")
        register_reader_part("card", "discussion/_card_part.html", related=CARD_RELATED)
