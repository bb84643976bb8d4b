from django.db.models import Count

from annotator.roles import is_teacher

from .models import GradeStatus, GradeSync


def grade_problems(request):
    """Exercises of the signed-in teacher with scores the LMS has not accepted: shown on every
    page until sent, so a failure is never silent."""
    user = getattr(request, "user", None)
    if user is None or not is_teacher(user):
        return {}
    failed = (GradeSync.objects.filter(status=GradeStatus.FAILED, link__exercise__classroom__teacher=user)
              .values("link__exercise", "link__exercise__title").annotate(n=Count("pk")).order_by("link__exercise")[:3])
    return {"lti_grade_problems": list(failed)}
