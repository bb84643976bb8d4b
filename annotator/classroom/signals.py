"""What the classroom announces, for whatever sends grades elsewhere (an LMS's gradebook).

- `work_submitted(sender=Exercise, exercise, student, submission)`: a student submitted.
- `grade_changed(sender=Exercise, exercise, student)`: what a student's grade rests on changed:
  the teacher set or cleared their score override (`student` is that student), revealed the key
  or opened discussion mode, or added to the key from the class (`student` is None: everyone's).

Both are sent after the change is committed (transaction.on_commit), so a receiver reads the
new state and a receiver's failure cannot undo the change. Read a student's grade with
`classroom.grading.exercise_work(exercise, student).feedback(student.pk)` and
`classroom.review.override_of(exercise, student.pk)`.
"""

from django.db import transaction
from django.dispatch import Signal

work_submitted = Signal()
grade_changed = Signal()


def announce(signal, exercise, **values):
    transaction.on_commit(lambda: signal.send(sender=type(exercise), exercise=exercise, **values))
