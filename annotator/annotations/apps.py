from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotator.annotations"

    def ready(self):
        from annotator.corpus.signals import article_text_changed

        from .anchoring import (
            ANNOTATION_SPAN, LINK_TARGET_SPAN, reanchor_on_text_change, register_span_holder, settle_link_clashes,
        )
        from . import stamps
        from .models import Annotation, Link

        register_span_holder(Annotation, "article", ANNOTATION_SPAN)
        register_span_holder(Link, "to_article", LINK_TARGET_SPAN, settle=settle_link_clashes)
        article_text_changed.connect(reanchor_on_text_change, dispatch_uid="annotations.reanchor")
        stamps.connect(self)
