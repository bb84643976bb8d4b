from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "annotator.discussion"
    label = "discussion"
    verbose_name = "Discussion"
