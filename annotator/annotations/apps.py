from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotator.annotations"

    def ready(self):
        from annotator.corpus.search import register_speaker_aliases
        from annotator.corpus.signals import article_text_changed

        from . import stamps
        from .anchoring import (
            ANNOTATION_SPAN,
            LINK_TARGET_SPAN,
            reanchor_on_text_change,
            register_span_holder,
            settle_link_clashes,
        )
        from .models import Annotation, Link

        register_span_holder(Annotation, "article", ANNOTATION_SPAN)
        register_span_holder(Link, "to_article", LINK_TARGET_SPAN, settle=settle_link_clashes)
        article_text_changed.connect(reanchor_on_text_change, dispatch_uid="annotations.reanchor")
        stamps.connect(self)
        register_speaker_aliases(speaker_aliases)


def speaker_aliases(speaker):
    """Every other alias of the Source `speaker` is an alias of, for related-passage search."""
    from .models import SourceAlias
    from .sources import alias_key

    same = SourceAlias.objects.filter(source__aliases__key=alias_key(speaker))
    return list(same.exclude(key=alias_key(speaker)).values_list("alias", flat=True))
