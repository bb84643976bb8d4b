"""Classes, exercises, submissions, feedback and the teacher's dashboard."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator import csvstream
from annotator.annotations.reader import Scope, reader_page
from annotator.annotations.validation import as_integer
from annotator.errors import ServiceError, TooManyAttempts
from annotator.roles import is_teacher, teacher_required

from . import (
    agreement,
    charts,
    grading,
    keybuild,
    results,
    reuse,
    review,
    services,
    throttle,
)
from .forms import ClassroomForm, ExerciseForm, JoinForm
from .joinlink import join_link
from .models import Classroom, Exercise, Extension, Membership, Submission
from .visibility import peers_open


def exercise_reader(request, article, scope, **extra):
    """The reader in an exercise, with the exercise's banner (its articles, submitting) above it."""
    extra.update(exercise=scope.exercise, banner="classroom/_exercise_banner.html",
                 article_steps=article_steps(scope, article))
    return reader_page(request, article, scope, extra)


def article_steps(scope, article):
    """{position, count, previous, next} of `article` among the exercise's (previous and next
    as (title, address) in the same mode), so a key or a student's work goes article to article."""
    # In the order the exercise page lists them (the articles' own ordering).
    articles = list(scope.exercise.articles.only("slug", "title"))
    at = next(i for i, a in enumerate(articles) if a.pk == article.pk)
    step = lambda other: (other.title, scope.url(other))  # noqa: E731
    return {"position": at + 1, "count": len(articles),
            "previous": step(articles[at - 1]) if at else None,
            "next": step(articles[at + 1]) if at + 1 < len(articles) else None}


def taught_classroom(request, pk):
    """A class of the signed-in teacher; 404 for anyone else, so ids leak nothing."""
    return get_object_or_404(Classroom, pk=pk, teacher=request.user)


def taught_exercise(request, pk):
    return get_object_or_404(Exercise.objects.select_related("classroom"), pk=pk, classroom__teacher=request.user)


def joined_exercise(request, pk):
    """An exercise of a class the signed-in student belongs to; 404 otherwise."""
    return get_object_or_404(
        Exercise.objects.select_related("classroom"), pk=pk, classroom__memberships__student=request.user
    )


def exercise_article_or_404(exercise, slug):
    return get_object_or_404(exercise.articles.all(), slug=slug)


@require_GET
@login_required
def classes(request):
    if is_teacher(request.user):
        taught = Classroom.objects.filter(teacher=request.user).annotate(
            students=Count("memberships", distinct=True), n_exercises=Count("exercises", distinct=True))
        return render(request, "classroom/classes_teacher.html", {"classes": taught, "form": ClassroomForm()})
    return render(request, "classroom/classes_student.html", {
        "memberships": Membership.objects.filter(student=request.user).select_related("classroom__teacher"),
        # A join link opened while signed in arrives here with its code filled in.
        "exercises": student_exercises(request.user), "form": JoinForm(initial={"code": request.GET.get("code", "")})})


def student_exercises(student):
    """The student's exercises with a status each: to do, submitted, feedback ready."""
    exercises = list(
        Exercise.objects.filter(classroom__memberships__student=student).select_related("classroom")
        .annotate(my_claims=Count("annotations", filter=Q(annotations__author=student, annotations__is_key=False)))
        .order_by("due", "-created")
    )
    submissions = {s.exercise_id: s for s in Submission.objects.filter(student=student, exercise__in=exercises)}
    own_dues = dict(Extension.objects.filter(student=student, exercise__in=exercises).values_list("exercise", "due"))
    for exercise in exercises:
        exercise.submission = submissions.get(exercise.pk)
        exercise.my_due = own_dues.get(exercise.pk) or exercise.due
        exercise.feedback_ready = exercise.key_revealed_to(exercise.submission, exercise.my_due)
    return exercises


@require_POST
@teacher_required
def class_create(request):
    form = ClassroomForm(request.POST)
    if form.is_valid():
        classroom = form.save(commit=False)
        classroom.teacher = request.user
        classroom.save()
        messages.success(request, f"Class “{classroom.name}” created. Read its join code out to your students.")
        return redirect(classroom)
    messages.error(request, "Give the class a name.")
    return redirect("classroom:classes")


@require_POST
@login_required
def join(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            classroom = services.join(request.user, form.cleaned_data["code"], throttle.client_address(request))
        except TooManyAttempts as exc:
            response = render(request, "classroom/join_paused.html", {"message": exc.message}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"You joined {classroom.name}.")
    return redirect("classroom:classes")


@require_GET
@teacher_required
def class_detail(request, pk):
    classroom = taught_classroom(request, pk)
    join_url, join_qr = join_link(request, classroom)
    return render(request, "classroom/class_detail.html", {
        "classroom": classroom, "join_url": join_url, "join_qr": join_qr,
        "roster": classroom.memberships.select_related("student"),
        "exercises": classroom.exercises.annotate(
            n_submitted=Count("submissions", filter=Q(submissions__submitted__isnull=False))),
    })


@require_POST
@teacher_required
def rotate_code(request, pk):
    classroom = taught_classroom(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing changed: confirm to make a new code.")
        return redirect(classroom)
    services.rotate_code(classroom)
    messages.success(request, f"New join code: {classroom.join_code}. The old one no longer works.")
    return redirect(classroom)


@require_POST
@teacher_required
def remove_student(request, pk, student_id):
    classroom = taught_classroom(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing changed: confirm to remove a student.")
        return redirect(classroom)
    removed, _ = classroom.memberships.filter(student_id=student_id).delete()
    if removed:
        messages.success(request, "Student removed from the class. Their work is kept.")
    return redirect(classroom)


@require_http_methods(["GET", "POST"])
@teacher_required
def exercise_new(request, pk):
    classroom = taught_classroom(request, pk)
    return exercise_form(request, ExerciseForm(request.POST or None), classroom)


@require_http_methods(["GET", "POST"])
@teacher_required
def exercise_edit(request, pk):
    exercise = taught_exercise(request, pk)
    return exercise_form(request, ExerciseForm(request.POST or None, instance=exercise), exercise.classroom)


def exercise_form(request, form, classroom):
    if request.method == "POST" and form.is_valid():
        exercise = form.save(commit=False)
        exercise.classroom = classroom
        exercise.save()
        form.save_m2m()
        messages.success(request, "Exercise saved. Now write its answer key: open each article in key mode.")
        return redirect("classroom:dashboard", exercise.pk)
    form.offer_articles(request.GET.get("article_q", ""), request.GET.getlist("articles"))
    return render(request, "classroom/exercise_form.html", {"form": form, "classroom": classroom})


@require_GET
@login_required
def exercise(request, pk):
    if Exercise.objects.filter(pk=pk, classroom__teacher=request.user).exists():
        return redirect("classroom:dashboard", pk)
    exercise = joined_exercise(request, pk)
    submission = Submission.objects.filter(exercise=exercise, student=request.user).first()
    my_due = exercise.due_for(request.user)
    mine = exercise.annotations.filter(author=request.user, is_key=False)
    missing, missing_message = services.links_missing(request.user, exercise)
    articles = exercise.articles.annotate(
        my_claims=Count("annotations", filter=Q(annotations__exercise=exercise, annotations__author=request.user,
                                                 annotations__is_key=False)))
    return render(request, "classroom/exercise_student.html", {
        "exercise": exercise, "submission": submission, "articles": articles,
        "n_claims": mine.count(), "linked": services.required_links_made(request.user, exercise),
        "needs_links": missing, "needs_links_message": missing_message,
        "feedback_ready": exercise.key_revealed_to(submission, my_due), "my_due": my_due,
        "peers_open": peers_open(request.user, exercise),
    })


@require_GET
@login_required
def exercise_article(request, pk, slug):
    exercise = joined_exercise(request, pk)
    article = exercise_article_or_404(exercise, slug)
    submitted = Submission.objects.filter(exercise=exercise, student=request.user, submitted__isnull=False).exists()
    return exercise_reader(request, article, Scope(exercise=exercise, locked=submitted))


@require_GET
@teacher_required
def key_article(request, pk, slug):
    exercise = taught_exercise(request, pk)
    article = exercise_article_or_404(exercise, slug)
    return exercise_reader(request, article, Scope(exercise=exercise, key=True))


@require_GET
@login_required
def discussion_article(request, pk, slug):
    exercise = get_object_or_404(Exercise.objects.select_related("classroom"), pk=pk)
    teaching = exercise.classroom.teacher_id == request.user.pk
    member = not teaching and exercise.classroom.memberships.filter(student=request.user).exists()
    if not teaching and not (member and (exercise.discussion or peers_open(request.user, exercise))):
        raise Http404("No discussion here.")
    article = exercise_article_or_404(exercise, slug)
    return exercise_reader(request, article, Scope(exercise=exercise, discussion=True))


@require_POST
@login_required
def submit(request, pk):
    exercise = joined_exercise(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that your work is ready to submit.")
        return redirect(exercise)
    try:
        services.submit(request.user, exercise)
    except ServiceError as exc:
        if exc.field != "links":  # the exercise page says what links are missing, in these words
            messages.error(request, exc.message)
    else:
        messages.success(request, "Submitted. Your work is locked now.")
    return redirect(exercise)


@require_POST
@teacher_required
def reopen(request, pk, student_id):
    exercise = taught_exercise(request, pk)
    student = get_object_or_404(get_user_model(), pk=student_id, memberships__classroom=exercise.classroom)
    services.reopen(exercise, student)
    messages.success(request, f"{student.username} can change their work again.")
    return redirect("classroom:dashboard", pk)


@require_POST
@teacher_required
def reveal(request, pk):
    exercise = taught_exercise(request, pk)
    services.set_sharing(exercise, revealed=request.POST.get("revealed") == "1",
                         discussion=request.POST.get("discussion") == "1")
    messages.success(request, reveal_state(exercise))
    return redirect("classroom:dashboard", pk)


def reveal_state(exercise):
    """Both switches in words, as saved: what the class sees of the key and of each other's work."""
    if exercise.discussion:
        return ("Saved. Discussion mode is on: the class sees everyone's work, anonymised, "
                "and the key and feedback with it.")
    if exercise.revealed:
        return "Saved. The key and feedback are revealed to everyone; discussion mode is off."
    return f"Saved. The key and feedback are revealed {exercise.get_reveal_policy_display()}; discussion mode is off."


@require_GET
@login_required
def feedback(request, pk):
    """A student's feedback once the key is revealed to them; the teacher may open anyone's."""
    exercise = get_object_or_404(Exercise.objects.select_related("classroom"), pk=pk)
    student = request.user
    if exercise.classroom.teacher_id == request.user.pk:
        # A malformed id names no student of the class: the same 404 as anyone else's.
        try:
            student_id = as_integer(request.GET.get("student", ""), "student")
        except ServiceError:
            raise Http404("No such student in this class.") from None
        student = get_object_or_404(get_user_model(), pk=student_id, memberships__classroom=exercise.classroom)
    elif not exercise.classroom.memberships.filter(student=request.user).exists():
        raise Http404("No such exercise.")
    submission = Submission.objects.filter(exercise=exercise, student=student).first()
    if student == request.user and not exercise.key_revealed_to(submission, exercise.due_for(student)):
        messages.info(request, f"No feedback yet. {exercise.feedback_timing()}")
        return redirect(exercise)
    work = grading.exercise_work(exercise, student)
    result = work.feedback(student.pk)
    teaching = student != request.user
    comments = review.comments_by_claim(request.user, [c.pk for c in work.by_student.get(student.pk, [])])
    for claim in work.by_student.get(student.pk, []):
        claim.comments = comments.get(claim.pk, [])
    if not teaching:
        review.mark_comments_read(request.user, [c for shown in comments.values() for c in shown])
    return render(request, "classroom/feedback.html", {
        "exercise": exercise, "student": student, "feedback": result, "teaching": teaching,
        "links": work.links_of(student.pk), "unsourced": work.unsourced(student.pk),
        "override": review.override_of(exercise, student.pk),
        "bars": charts.score_bars_svg(charts.per_label_rows(result.per_label, result.overall),
                                      title="Your precision, recall and F1 per label"),
    })


def roster_rows(exercise, work, memberships):
    submissions = {s.student_id: s for s in exercise.submissions.all()}
    rows = []
    for membership in memberships:
        sid = membership.student_id
        result = work.feedback(sid)
        rows.append({"student": membership.student, "submission": submissions.get(sid), "feedback": result,
                     "n_claims": len(work.by_student.get(sid, [])), "unsourced": len(work.unsourced(sid))})
    return rows


@require_GET
@teacher_required
def dashboard(request, pk):
    exercise = taught_exercise(request, pk)
    work = grading.exercise_work(exercise)
    memberships = list(exercise.classroom.memberships.select_related("student"))
    rows = roster_rows(exercise, work, memberships)
    # Scores describe finished work; until someone submits, show everyone's work so far.
    graded = [r["student"].pk for r in rows if r["submission"] and r["submission"].is_submitted] or \
             [r["student"].pk for r in rows]
    articles = []
    for article in exercise.articles.all():
        spans = work.spans_on(article, graded)
        alpha = work.alpha(article, graded)
        articles.append({"article": article, "alpha": alpha, "alpha_band": agreement.alpha_band(alpha),
                         "coverage": charts.coverage_html(article.body, spans, len(graded),
                                                          headline=not article.title_derived),
                         "n_key": sum(1 for k in work.key if k.article_id == article.pk)})
    for row in rows:
        row["links"] = work.links_of(row["student"].pk)
    return render(request, "classroom/dashboard.html", {
        "exercise": exercise, "rows": rows, "articles": articles, "n_graded": len(graded),
        "n_submitted": sum(1 for r in rows if r["submission"] and r["submission"].is_submitted),
        "n_key": len(work.key),
        "confusion": charts.confusion_html(
            work.confusion(graded), caption=f"Answer key label (rows) against the label students gave (columns), "
                                            f"over {len(graded)} student{'s' if len(graded) != 1 else ''}"),
        "bars": charts.score_bars_svg([(r["student"].username, r["feedback"].overall.f1) for r in rows],
                                      title="F1 per student (all labels)"),
        **reuse.panel(request.user, exercise),
        "suggestions": keybuild.class_suggestions(work, [a["article"] for a in articles], graded),
    })


@require_GET
@teacher_required
def results_csv(request, pk):
    exercise = taught_exercise(request, pk)
    work = grading.exercise_work(exercise)
    memberships = list(exercise.classroom.memberships.select_related("student"))
    rows = roster_rows(exercise, work, memberships)
    overrides = review.overrides_by_student(exercise)
    comments = review.comment_texts(exercise)
    for row in rows:
        row["override"], row["comments"] = overrides.get(row["student"].pk), comments
    return csvstream.attachment(results.csv_chunks(rows), f"exercise-{exercise.pk}-results.csv")
