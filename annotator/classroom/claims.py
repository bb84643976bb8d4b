"""The classroom's rules for claims written inside an exercise, as annotations.contexts asks for them."""

from django.db.models import Q
from django.urls import reverse

from annotator.errors import NotAuthenticated, NotFound
from annotator.validation import as_integer

from . import services
from .models import Exercise
from .visibility import AuthorNames


class ExerciseRules:
    exercise_for_writing = staticmethod(services.exercise_for_writing)
    check_label_in_play = staticmethod(services.check_label_in_play)
    check_unlocked = staticmethod(services.check_unlocked)
    check_exercise_author = staticmethod(services.check_exercise_author)
    author_names = AuthorNames
    class_names = staticmethod(AuthorNames.in_class)

    @staticmethod
    def exercises():
        return Exercise.objects.select_related("classroom")

    @staticmethod
    def article_slugs(exercise_id):
        return frozenset(Exercise.articles.through.objects.filter(exercise_id=exercise_id)
                         .values_list("article__slug", flat=True))

    @staticmethod
    def exercise_for_map(user, exercise_id):
        """The exercise whose class claim map `user` may open: the teacher's at any time, a
        student's once the class discusses it (every claim there is anonymised)."""
        pk = as_integer(exercise_id, "exercise")
        if not getattr(user, "is_authenticated", False):
            raise NotFound("No claim map of this exercise for you.", "exercise")
        exercise = (Exercise.objects.select_related("classroom").filter(pk=pk)
                    .filter(Q(classroom__teacher=user) | Q(discussion=True, classroom__memberships__student=user))
                    .first())
        if exercise is None:
            raise NotFound("No claim map of this exercise for you: it opens to the class in discussion mode.",
                           "exercise")
        return exercise

    @staticmethod
    def map_article_url(exercise):
        """Where the exercise's map opens an article: its discussion page, where everyone's claims show."""
        return lambda slug: reverse("classroom:discussion_article", args=[exercise.pk, slug])

    @staticmethod
    def exercise_for_export(user, exercise_id):
        """The exercise `user` teaches (any exercise when `user` is None: the command line)."""
        exercises = Exercise.objects.all()
        if user is not None:
            if not user.is_authenticated:
                raise NotAuthenticated("Sign in to export an exercise.", "exercise")
            exercises = exercises.filter(classroom__teacher=user)
        exercise = exercises.filter(pk=as_integer(exercise_id, "exercise")).first()
        if exercise is None:
            raise NotFound(f"No exercise {exercise_id} of yours to export.", "exercise")
        return exercise
