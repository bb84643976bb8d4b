"""What the classroom announces to the apps above it (an LMS's gradebook, for one), which
connect receivers in their `AppConfig.ready`.

- `work_submitted(sender=Exercise, exercise, student, submission)`: a student submitted.
- `key_revealed(sender=Exercise, exercise)`: the teacher revealed the key to the whole class
  (the switch went from off to on).
- `grade_changed(sender=Exercise, exercise, student)`: what a student's grade rests on changed:
  the teacher set or cleared their score override (`student` is that student), revealed the key
  or opened discussion mode, or added to the key from the class (`student` is None: everyone's).

All are sent after the change is committed (`announce`, through transaction.on_commit), so a
receiver reads the new state and a receiver's failure cannot undo the change; a receiver must
not raise, since the student's submission or the teacher's reveal has already happened. Read a
student's grade with `classroom.grading.exercise_work(exercise, student).feedback(student.pk)`
and `classroom.review.override_of(exercise, student.pk)`.
"""

from django.db import transaction
from django.dispatch import Signal

work_submitted = Signal()
key_revealed = Signal()
grade_changed = Signal()


def announce(signal, exercise, **values):
    transaction.on_commit(lambda: signal.send(sender=type(exercise), exercise=exercise, **values))
