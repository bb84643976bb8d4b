from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "annotator.classroom"

    def ready(self):
        from annotator.annotations.access import register_read_grant
        from annotator.annotations.contexts import register_exercise_rules
        from annotator.annotations.reader import register_reader_part

        from .claims import ExerciseRules
        from .visibility import classroom_q, in_no_class

        register_read_grant("classroom", classroom_q, rows_only=in_no_class)
        register_exercise_rules(ExerciseRules())
        # A student's claim card shows the teacher's private comments on it (classroom.review).
        register_reader_part("card", "classroom/_card_comments.html")
