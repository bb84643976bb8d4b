"""Claims written inside an exercise: the rules come from the app that runs exercises.

A claim may be work in an exercise (`Annotation.exercise`, `is_key`). Who may write there,
which labels are in play, when work is locked, how authors are named and who may export an
exercise are the classroom's rules, not this app's. The classroom registers an object with
the methods below in its AppConfig.ready, so this app never imports it:

- `exercise_for_writing(user, exercise_id, article, key)` -> the exercise, or ServiceError
- `check_label_in_play(exercise, label)`, `check_unlocked(user, claim)`
- `check_exercise_author(exercise, user, article, key)`: the rules an import keeps too
- `exercises()`: a queryset of exercises with what the checks read
- `article_slugs(exercise_id)`: the slugs of the exercise's articles (where its passages are sought first)
- `exercise_for_map(user, exercise_id)`: the exercise whose claim map `user` may open, or NotFound;
  `map_article_url(exercise)`: a callable slug -> where that map opens an article
- `exercise_for_export(user, exercise_id)`: an exercise `user` may export (None: any), or NotFound
- `author_names(viewer)`: a callable (author_id, username, exercise_id) -> the name `viewer` sees;
  `class_names()`: the same for a page shown to the whole class
"""

from django.core.exceptions import ImproperlyConfigured

_registered = {}


def register_exercise_rules(rules):
    _registered["exercises"] = rules


def exercise_rules():
    try:
        return _registered["exercises"]
    except KeyError:
        raise ImproperlyConfigured("Claims in exercises need annotator.classroom in INSTALLED_APPS.") from None
