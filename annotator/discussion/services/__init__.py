"""Every discussion action, once: the htmx views and the JSON API are thin skins over these.

Who may read a thread
- Exactly those who may read its claim (annotations.access.visibility_q, which also drops
  claims a teacher hid). For anyone else the claim does not exist: NotFound, so ids leak
  nothing.
- Inside an exercise, a thread opens at the reveal, the moment the class may see the claim
  and its answer:
    * a student's work: when the teacher turns discussion mode on (Exercise.discussion),
      which is when classmates see each other's work (anonymised). Before that its author
      sees the claim but not a thread: Forbidden, "opens after the reveal".
    * an answer-key claim: for a student, once the key is revealed to them by the
      exercise's reveal policy (visibility already hides the key before that); for the
      teacher, once it is revealed to at least one student, so no one writes into a thread
      nobody can read yet.
    * the exercise's teacher may read every thread of it at any time, to moderate.
- A hidden reply is read only by its author and the claim's moderators (visibility.py says
  who moderates); others see a placeholder only where it has visible answers.

Who may write
- A signed-in reader of the thread, while it is open (above; the teacher included), not
  locked, and not in an exercise whose replies the teacher switched off. Authors edit (same
  conditions) and delete (always) their own replies; a teacher hides replies and claims,
  locks threads and switches an exercise's replies off; readers flag others' replies.

Names: in an exercise every name is anonymised as on the class discussion page ("Student
B"; the teacher is "Teacher"), for the teacher too (classroom.visibility.AuthorNames.in_class).
Elsewhere, usernames.

Each function checks everything before it writes and raises an annotator.errors
ServiceError subclass naming the field rather than write part of a change.

The actions live in one module per part: threads (who reads and writes, names),
replies, moderation and activity (What's new); every public name is here too.
"""

from .threads import (  # noqa: F401
    ARTICLE_TEXT, EDIT_FIELDS, EVIDENCE_FIELDS, LOCKED, NOT_YET, REPLIES_OFF, REPLY_FIELDS, Thread,
    claims_for, get_thread, key_revealed_to_anyone, namer, readable_claims_q, replies_off, require_signed_in,
    thread_of, thread_readable, visible_replies,
)
from .replies import (  # noqa: F401
    clear_flags, count_shown, create_reply, delete_reply, evidence_fields, flag_reply, get_reply, reply_json,
    thread_replies, update_reply,
)
from .moderation import (  # noqa: F401
    claim_moderation, exercise_discussion, flagged_replies, hide_claim, hide_reply, lock_thread,
    reply_moderation, set_replies_off, taught_exercise,
)
from .activity import (  # noqa: F401
    CARD_RELATED, activity, card_info, last_seen, mark_all_read, mark_read, my_threads, teacher_comments,
    unread_count,
    unread_q,
)
