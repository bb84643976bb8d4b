"""A claim's thread in the reader (htmx) and on its own page, What's new, and the teacher's
flagged-replies page: thin skins over services.py, like api.py.

Every thread action answers the redrawn thread for htmx (the #thread-N element swaps itself),
or a redirect to the thread's page for a plain form post. A refusal shows its message inside
the form that caused it, with its status (annotator/htmx.py): 404 for a claim or reply the
user cannot read, 403 for a moderation action by anyone but the class's teacher, 422 for bad
input. A form posted without htmx gets the 404 or 403 page for those, or goes back to the
thread with the message.

The "see this" passage of a reply is chosen in the passage picker a claim's links use
(annotator.annotations.passages, driven by links.js): related passages of other articles, a
search, or another article opened whole to select any span. Choosing a passage asks the
server to check it (evidence_chosen), which answers the reply form's hidden fields and
closes the panel.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.annotations import passages
from annotator.classroom import review
from annotator.classroom.models import Exercise
from annotator.classroom.visibility import AuthorNames
from annotator.errors import Forbidden, NotFound, ServiceError
from annotator.htmx import refusal, shows_errors_in

from . import services
from .models import ClaimModeration, ReadMarker, Reply

FORM_KEY = re.compile(r"[cp][0-9]{1,12}")
PLACES = ("page", "card")
WHATS_NEW_PAGE = 25
LATEST_SHOWN = 3


def thread_url(claim_id):
    return reverse("discussion:thread", args=[claim_id])


def claim_url(user, claim):
    """Where a claim is read in context: the reader, or the exercise page it belongs to."""
    exercise = claim.exercise
    if exercise is None:
        return f"{claim.article.get_absolute_url()}#claim-{claim.pk}"
    teacher = user.is_authenticated and exercise.classroom.teacher_id == user.pk
    if claim.is_key:
        if teacher:
            return f"{reverse('classroom:key_article', args=[exercise.pk, claim.article.slug])}#claim-{claim.pk}"
        return reverse("classroom:feedback", args=[exercise.pk])
    if claim.author_id == user.pk:
        name = "exercise_article"
    elif exercise.discussion or teacher:
        name = "discussion_article"
    else:
        return reverse("classroom:exercise", args=[exercise.pk])
    return f"{reverse(f'classroom:{name}', args=[exercise.pk, claim.article.slug])}#claim-{claim.pk}"


# The thread


def _thread_or_404(request, pk):
    try:
        return services.get_thread(request.user, pk)
    except NotFound:
        raise Http404("No such claim.") from None


def _place(request):
    value = request.POST.get("place") or request.GET.get("place")
    return value if value in PLACES else "page"


def render_thread(request, thread, focus=None):
    """The thread, as a fragment for htmx or as its own page; reading it marks it read.

    `focus`: "reply-N" or "thread-N", the element that takes the keyboard focus after a swap.
    """
    user = request.user
    replies = services.thread_replies(thread) if thread.readable else []
    if thread.readable:
        services.mark_read(user, thread.claim)
    context = {
        "thread": thread,
        "claim": thread.claim,
        "replies": replies,
        "count": services.count_shown(replies),
        "place": _place(request),
        "focus_reply": int(focus[6:]) if focus and focus.startswith("reply-") else None,
        "focus_thread": bool(focus and focus.startswith("thread-")),
        "composer_key": f"c{thread.claim.pk}",
        "not_yet": services.NOT_YET,
    }
    if request.htmx:
        if user.is_authenticated:
            context["unread_total"] = services.unread_count(user)
        return render(request, "discussion/_thread.html", context)
    context.update({"claim_url": claim_url(user, thread.claim), "claim_author": thread.name(thread.claim.author)})
    return render(request, "discussion/thread_page.html", context)


@require_GET
def thread(request, pk):
    return render_thread(request, _thread_or_404(request, pk))


def _back_to_thread(claim_of, moderating=False):
    """How a refusal answers a form posted without htmx: a 404 for what the user cannot see,
    a 403 for a moderation action by anyone but the class's teacher, else back to the
    thread with the message. `claim_of(request, pk)` is the claim whose thread it is."""

    def answer(request, error, pk):
        if isinstance(error, NotFound):
            raise Http404(error.message)
        if moderating and isinstance(error, Forbidden):
            raise PermissionDenied(error.message)
        messages.error(request, error.message)
        return redirect(thread_url(claim_of(request, pk)))

    return answer


def _claim_id(request, pk):
    return pk


def _replys_claim_id(request, pk):
    reply, _thread = _reply_or_404(request, pk)
    return reply.claim_id


IN_THREAD = _back_to_thread(_claim_id)
ON_REPLY = _back_to_thread(_replys_claim_id)
MODERATING_THREAD = _back_to_thread(_claim_id, moderating=True)
MODERATING_REPLY = _back_to_thread(_replys_claim_id, moderating=True)


def _after(request, claim_id, focus=None):
    """After a change: the redrawn thread (htmx), or back where the form was."""
    if not request.htmx:
        return redirect(_next(request) or f"{thread_url(claim_id)}{'#' + focus if focus else ''}")
    return render_thread(request, services.get_thread(request.user, claim_id), focus=focus)


def _next(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


def _reply_form_error(request, pk):
    """The error slot of the form a reply was posted from: the thread's, or the one under a reply."""
    parent = request.POST.get("parent", "")
    return f"#reply-form-error-{f'p{parent}' if parent.isdigit() else f'c{pk}'}"


@require_POST
@login_required
@shows_errors_in(_reply_form_error, plain=IN_THREAD)
def reply_create(request, pk):
    data = {name: request.POST[name] for name in services.REPLY_FIELDS if name in request.POST}
    reply = services.create_reply(request.user, pk, data)
    return _after(request, pk, focus=f"reply-{reply.pk}")


def _reply_or_404(request, pk):
    try:
        return services.get_reply(request.user, pk)
    except NotFound:
        raise Http404("No such reply.") from None


@require_http_methods(["GET", "POST"])
@login_required
@shows_errors_in("#reply-edit-error-{pk}", plain=ON_REPLY)
def reply_edit(request, pk):
    if request.method == "GET":
        reply, thread = _reply_or_404(request, pk)
        if reply.author_id != request.user.pk:
            raise PermissionDenied("Only its author can edit a reply.")
        return render(request, "discussion/_edit_form.html",
                      {"reply": reply, "thread": thread, "claim": thread.claim, "place": _place(request)})
    data = {name: request.POST[name] for name in services.EDIT_FIELDS if name in request.POST}
    if request.POST.get("drop_evidence") == "1":
        data["to_article"] = ""
    reply = services.update_reply(request.user, pk, data)
    return _after(request, reply.claim_id, focus=f"reply-{pk}")


@require_POST
@login_required
@shows_errors_in("#reply-action-error-{pk}", plain=ON_REPLY)
def reply_delete(request, pk):
    reply = services.delete_reply(request.user, pk)
    return _after(request, reply.claim_id, focus=f"thread-{reply.claim_id}")


@require_POST
@login_required
@shows_errors_in("#reply-action-error-{pk}", plain=ON_REPLY)
def reply_flag(request, pk):
    flag = services.flag_reply(request.user, pk)
    if not request.htmx:
        messages.success(request, "Flagged: your teacher will look at this reply.")
    return _after(request, flag.reply.claim_id, focus=f"reply-{pk}")


def _flag(request, name):
    return request.POST.get(name, "1") == "1"


@require_POST
@login_required
@shows_errors_in("#reply-action-error-{pk}", plain=MODERATING_REPLY)
def reply_hide(request, pk):
    reply = services.hide_reply(request.user, pk, _flag(request, "hidden"))
    return _after(request, reply.claim_id, focus=f"thread-{reply.claim_id}")


@require_POST
@login_required
@shows_errors_in("#reply-action-error-{pk}", plain=MODERATING_REPLY)
def flags_clear(request, pk):
    reply = services.clear_flags(request.user, pk)
    return _after(request, reply.claim_id, focus=f"thread-{reply.claim_id}")


@require_POST
@login_required
@shows_errors_in("#thread-error-{pk}", plain=MODERATING_THREAD)
def claim_hide(request, pk):
    services.hide_claim(request.user, pk, _flag(request, "hidden"))
    return _after(request, pk, focus=f"thread-{pk}")


@require_POST
@login_required
@shows_errors_in("#thread-error-{pk}", plain=MODERATING_THREAD)
def thread_lock(request, pk):
    services.lock_thread(request.user, pk, _flag(request, "locked"))
    return _after(request, pk, focus=f"thread-{pk}")


# The "see this" passage of a reply


def _composer(request, pk):
    """The thread of claim `pk` and the key of the reply form (?form= or posted) that is choosing a passage."""
    thread = _thread_or_404(request, pk)
    if not thread.can_post:
        raise PermissionDenied(thread.closed or services.NOT_YET)
    key = request.GET.get("form") or request.POST.get("form") or ""
    if not FORM_KEY.fullmatch(key):
        raise Http404("No such reply form.")
    return thread, key


def evidence_picker(request, pk):
    """The passage picker of a reply form: a chosen passage is checked by evidence_chosen,
    whose answer fills the form's "see this" part."""
    thread, key = _composer(request, pk)
    claim = thread.claim
    chosen = reverse("discussion:evidence_chosen", args=[claim.pk])
    return passages.Picker(
        claim=claim, name=f"ev-{key}", prefix="ev", key=key, heading="Point your reply to a passage",
        passages_url=f"{reverse('discussion:evidence_passages', args=[claim.pk])}?form={key}",
        article_url=lambda slug: f"{reverse('discussion:evidence_article', args=[claim.pk, slug])}?form={key}",
        form_template="discussion/_evidence_form.html", choose_label="Use this passage",
        posted_choice=passages.PostedChoice(url=chosen, target=f"#evidence-{key}", vals={"form": key}),
        select_help="Select the words with the mouse.",
        finish_help=mark_safe("then <kbd>Tab</kbd> to “Use the selected words”"),
    )


@require_GET
@login_required
def evidence_panel(request, pk):
    return passages.panel(request, evidence_picker(request, pk))


@require_GET
@login_required
def evidence_passages(request, pk):
    return passages.passage_list(request, evidence_picker(request, pk), request.GET.get("q", ""))


@require_GET
@login_required
def evidence_article(request, pk, slug):
    return passages.opened_article(request, evidence_picker(request, pk), slug)


@require_POST
@login_required
def evidence_chosen(request, pk):
    """Check a chosen passage and answer the reply form's part that carries it (or none)."""
    thread, key = _composer(request, pk)
    data = {name: request.POST[name] for name in services.EVIDENCE_FIELDS if name in request.POST}
    evidence = None
    if data.get("to_article") and request.POST.get("remove") != "1":
        try:
            evidence = services.evidence_fields(thread.claim, data)
        except ServiceError as exc:
            return refusal(request, exc, f"#ev-error-{key}")
    return render(request, "discussion/_evidence_chosen.html",
                  {"claim": thread.claim, "key": key, "evidence": evidence, "chosen": True})


# What's new


@require_GET
@login_required
def whats_new(request):
    user = request.user
    page = Paginator(services.activity(user), WHATS_NEW_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [row["claim"] for row in rows]
    claims = {c.pk: c for c in services.claims_for(user).filter(pk__in=ids)}
    seen = dict(ReadMarker.objects.filter(user=user, claim__in=ids).values_list("claim", "seen"))
    latest = {}
    for reply in services.my_threads(user).filter(claim__in=ids).select_related("author").order_by("-created", "-id"):
        shown = latest.setdefault(reply.claim_id, [])
        if len(shown) < LATEST_SHOWN:
            shown.append(reply)
    items = []
    names = AuthorNames.in_class()
    names.load(claim.exercise_id for claim in claims.values())
    for row in rows:
        claim = claims.get(row["claim"])
        if claim is None:
            continue
        name = services.namer(claim, names)
        for reply in latest.get(claim.pk, []):
            reply.shown_author = name(reply.author)
            reply.is_new = seen.get(claim.pk) is None or reply.created > seen[claim.pk]
        items.append({"claim": claim, "last": row["last"], "replies": row["replies"], "unread": row["unread"],
                      "mine": claim.author_id == user.pk, "latest": latest.get(claim.pk, []),
                      "claim_url": claim_url(user, claim)})
    flagged = (
        Exercise.objects.filter(classroom__teacher=user, annotations__replies__flags__isnull=False)
        .annotate(n_flagged=Count("annotations__replies", distinct=True)).order_by("-created")
    )
    comments = services.teacher_comments(user)
    for comment in comments:
        comment.claim_url = claim_url(user, comment.claim)
    response = render(request, "discussion/whats_new.html", {
        "page": page, "items": items, "unread": services.unread_count(user), "flagged": flagged,
        "comments": comments,
    })
    # Listed here is told: the next visit shows them without "new".
    review.mark_comments_read(user, comments)
    return response


@require_POST
@login_required
def mark_all_read(request):
    services.mark_all_read(request.user)
    messages.success(request, "Everything is marked as read.")
    return redirect("discussion:whats_new")


# The teacher's flagged replies of an exercise


def _taught_exercise_or_404(request, pk):
    try:
        return services.taught_exercise(request.user, pk)
    except NotFound:
        raise Http404("No such exercise.") from None


@require_GET
@login_required
def flags(request, pk):
    exercise = _taught_exercise_or_404(request, pk)
    names = AuthorNames.in_class()
    flagged = list(services.flagged_replies(exercise))
    hidden = list(
        Reply.objects.filter(claim__exercise=exercise, hidden_at__isnull=False)
        .select_related("author", "hidden_by", "claim__article").order_by("-hidden_at")
    )
    moderated = list(
        ClaimModeration.objects.filter(claim__exercise=exercise).exclude(hidden_at__isnull=True, locked=False)
        .select_related("claim__article", "claim__author", "hidden_by", "locked_by")
    )
    for reply in flagged + hidden:
        reply.anonymous = names(reply.author_id, reply.author.get_username(), exercise.pk)
    return render(request, "discussion/flags.html", {
        "exercise": exercise, "flagged": flagged, "hidden": hidden, "moderated": moderated,
        "replies_off": services.replies_off(exercise), "here": request.get_full_path(),
    })


@require_POST
@login_required
def replies_switch(request, pk):
    exercise = _taught_exercise_or_404(request, pk)
    off = request.POST.get("off") == "1"
    services.set_replies_off(request.user, exercise.pk, off)
    messages.success(request, "Replies are off in this exercise: threads stay readable, no one can post."
                     if off else "Replies are on again in this exercise.")
    return redirect("discussion:flags", exercise.pk)
