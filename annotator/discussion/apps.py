from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "annotator.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from annotator.annotations.anchoring import LINK_TARGET_SPAN, register_span_holder

        from .models import Reply

        # A reply's "see this" passage moves with its article's text like a link's target.
        register_span_holder(Reply, "to_article", LINK_TARGET_SPAN)
