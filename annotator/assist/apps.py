from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "annotator.assist"

    def ready(self):
        from annotator.annotations.reader import register_reader_part

        # The suggestions panel opens above the text of every reader page it is allowed on.
        register_reader_part("head", "assist/_reader_head.html")
        register_reader_part("top", "assist/_reader_top.html")
