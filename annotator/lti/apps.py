from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "annotator.lti"
    verbose_name = "LTI 1.3"

    def ready(self):
        from annotator.classroom import signals

        from . import grades

        signals.work_submitted.connect(grades.on_work_submitted, dispatch_uid="lti-work-submitted")
        signals.key_revealed.connect(grades.on_key_revealed, dispatch_uid="lti-key-revealed")
        signals.grade_changed.connect(grades.on_grade_changed, dispatch_uid="lti-grade-changed")
