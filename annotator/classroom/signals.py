"""What the classroom tells the apps above it, which connect receivers in their `AppConfig.ready`.

Both are sent after the change is saved. A receiver must not raise: the student's submission
or the teacher's reveal has already happened, and an error in a receiver would show them a
failure for something that succeeded.
"""

from django.dispatch import Signal

# A student submitted their work on an exercise. Arguments: exercise, student.
work_submitted = Signal()

# The teacher revealed an exercise's key to the whole class (the switch went from off to on).
# Arguments: exercise.
key_revealed = Signal()
