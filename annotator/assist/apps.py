from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "annotator.assist"
