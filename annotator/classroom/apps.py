from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "annotator.classroom"

    def ready(self):
        from annotator.annotations.access import register_read_grant

        from .visibility import classroom_q

        register_read_grant("classroom", classroom_q)
