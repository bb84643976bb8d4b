"""Pages where teachers bring in articles and look after them, and the label guide for everyone.

Adding runs the same importer as `import_articles`: `analyse`, then the teacher's decisions
(`Analysis.choose` for lines, overrides for metadata), then `save`, which records the teacher
as the article's owner. Replacing an article's text is the importer's update path, which
re-anchors the claims made on it. Deleting follows `deletion`'s plan: only the owner or staff,
only while nothing but the owner's own work depends on the article.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.roles import teacher_required
from annotator.errors import ServiceError

from . import deletion

from .forms import (
    MAX_FILES,
    AddArticleForm,
    DeleteArticleForm,
    EditArticleForm,
    PreviewForm,
    ReplaceTextForm,
    pack,
    pasted,
    token_budget,
)
from .importer import OVERRIDABLE, ImportFailure, analyse, save
from .models import Article


@dataclass
class Line:
    index: int
    text: str
    removed: bool  # the importer's decision
    reason: str
    flipped: bool  # the teacher overruled it
    headline: bool = False


@dataclass
class Preview:
    """One source as it would be stored, with what the importer found and decided."""

    key: int  # tells the previews on one page apart
    source: object
    target: Article | None = None  # the article whose text this replaces
    analysis: object = None
    form: PreviewForm | None = None
    lines: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    duplicate: Article | None = None
    error: str = ""

    @property
    def ready(self):
        return self.form is not None

    @property
    def removed_count(self):
        return sum(line.removed for line in self.lines)


# --- adding ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@teacher_required
def add_article(request):
    if request.method == "GET":
        return render(request, "corpus/add.html", {"form": AddArticleForm()})
    try:
        form = AddArticleForm(request.POST, request.FILES)
        valid = form.is_valid()
    except RequestDataTooBig:
        return _add_refused(
            request,
            f"The pasted text is over the {filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} a form can carry; "
            "upload it as a file instead.",
            413,
        )
    except TooManyFilesSent:
        return _add_refused(request, f"Upload at most {MAX_FILES} files at once.", 400)
    if not valid:
        return render(request, "corpus/add.html", {"form": form}, status=422)
    previews = [build_preview(source, key) for key, source in enumerate(form.sources())]
    return render(request, "corpus/add.html", {"previews": previews, "multi": len(previews) > 1})


def _add_refused(request, problem, status):
    return render(request, "corpus/add.html", {"form": AddArticleForm(), "problem": problem}, status=status)


@require_POST
@teacher_required
def save_article(request):
    key = _preview_key(request)
    form = PreviewForm(request.POST, auto_id=f"p{key}-%s")
    form.is_valid()
    source = form.cleaned_data.get("source")
    if source is None:
        return _add_refused(request, form.errors["source"][0], 400)
    target = get_object_or_404(Article, pk=source.article_id) if source.article_id else None
    preview = build_preview(source, key, form=form, target=target)
    if preview.ready and form.is_valid():
        try:
            result = _save(preview, form, request.user)
        except ImportFailure as error:
            form.add_error(None, str(error))
        else:
            return _saved(request, preview, result)
    return _show_preview(request, preview, status=422)


def _preview_key(request):
    key = request.POST.get("key", "")
    return int(key) if key.isascii() and key.isdigit() and len(key) < 4 else 0


def _save(preview, form, owner):
    analysis = preview.analysis.choose(form.removed(preview.analysis.cleaned.lines))
    if preview.target is None and Article.objects.filter(source_file=analysis.source_file).exists():
        raise ImportFailure("An article from a file of this name was added meanwhile; add this one again.")
    try:
        return save(analysis, form.overrides(), owner=owner)
    except IntegrityError:
        # Two saves of one preview at the same moment: the first one won.
        raise ImportFailure("This article was just added from another window; open it from the article list.") from None


def _saved(request, preview, result):
    article = result.article
    if preview.target is not None:
        _report_replacement(request, result)
        return redirect("corpus:edit", article.slug)
    if request.htmx:
        return render(request, "corpus/_preview.html", {"preview": preview, "saved": article, "multi": True})
    messages.success(request, f"Added “{article.title}”. Select a passage to tag your first claim.")
    return redirect(article)


def _show_preview(request, preview, status):
    if request.htmx:
        return render(request, "corpus/_preview.html", {"preview": preview, "multi": True}, status=status)
    if preview.target is not None:
        context = edit_context(request, preview.target, preview=preview)
        return render(request, "corpus/edit.html", context, status=status)
    return render(request, "corpus/add.html", {"previews": [preview]}, status=status)


# --- the preview ------------------------------------------------------------------------


def build_preview(source, key, form=None, target=None):
    """Analyse `source` for the preview page; with a bound `form`, show the teacher's decisions."""
    preview = Preview(key, source, target)
    try:
        analysis = analyse(source.name, source.data, source.kind)
    except ImportFailure as error:
        preview.error = f"{source.label}: {error}."
        return preview
    preview.notices = list(analysis.notices)
    if target is None:
        preview.duplicate = find_duplicate(analysis)
        if preview.duplicate:
            return preview
        if form is None:
            source, analysis = _under_a_free_name(source, analysis, preview.notices)
    preview.source, preview.analysis = source, analysis
    token = pack(source)
    if len(token) > token_budget():
        preview.error = (
            f"{source.label} is too large to carry through the preview; the limit is about "
            f"{filesizeformat(token_budget())} once compressed. Import it with the import_articles command."
        )
        return preview
    preview.form = form or PreviewForm(
        initial={**_initial_fields(analysis, target), "source": token}, auto_id=f"p{key}-%s"
    )
    preview.lines = _lines(analysis.cleaned, preview.form)
    return preview


def find_duplicate(analysis):
    """An article with the same file bytes or the same cleaned text, or None."""
    return Article.objects.filter(Q(raw_sha256=analysis.raw_sha256) | Q(body=analysis.cleaned.body)).first()


def _under_a_free_name(source, analysis, notices):
    """Adding never replaces another article's text (the edit page does): a taken name gets -2, -3..."""
    name = source.name
    if not Article.objects.filter(source_file=name).exists():
        return source, analysis
    path, number = Path(name), 1
    limit = Article._meta.get_field("source_file").max_length
    while Article.objects.filter(source_file=name).exists():
        number += 1
        suffix = f"-{number}{path.suffix}"
        name = path.stem[: limit - len(suffix)] + suffix
    notices.append(
        f"Another article already came from a file called {source.name}; this one will be stored as {name}."
    )
    return replace(source, name=name), replace(analysis, source_file=name)


def _initial_fields(analysis, target):
    if target is not None:
        # Replacing text keeps the details a teacher may already have corrected.
        return {name: getattr(target, name) for name in OVERRIDABLE}
    values = analysis.article_fields()
    return {name: values[name] for name in OVERRIDABLE}


def _lines(cleaned, form):
    chosen = getattr(form, "cleaned_data", {})  # a bound form keeps the teacher's ticks
    keep, remove = chosen.get("keep", set()), chosen.get("remove", set())
    lines = [
        Line(i, d["text"], d["removed"], d["reason"], i in keep if d["removed"] else i in remove)
        for i, d in enumerate(cleaned.lines)
    ]
    if not cleaned.title_derived:
        next(line for line in lines if not line.removed).headline = True
    return lines


# --- looking after an article -------------------------------------------------------------


def edit_context(request, article, **extra):
    plan = deletion.plan_deletion(article, request.user)
    allowed = deletion.may_delete(request.user, article)
    work = [(model, n) for model, n in plan.counts() if deletion.is_work(model)]
    return {
        "article": article,
        "form": EditArticleForm(instance=article),
        "replace_form": ReplaceTextForm(auto_id="replace-%s"),
        "delete_form": DeleteArticleForm(auto_id="delete-%s"),
        # Always what this page shows, also under a refused form: a confirmation is of what was seen.
        "fingerprint": plan.fingerprint,
        "work": tally(work),
        "may_delete": allowed,
        "blockers": blockers(plan) if allowed else [],
        "deletes_also": tally([(model, n) for model, n in plan.counts() if not deletion.is_work(model)]),
        "detaches": detached(plan, request.user),
        # Plain words rather than annotations.models.Anchor: corpus imports none of the apps built on it.
        "orphaned_claims": article.annotations.filter(anchor="orphaned").count(),
        "orphaned_links": article.backlinks.filter(to_anchor="orphaned").count(),
        **extra,
    }


# The pages call an annotation a claim.
WORDS = {"annotations.annotation": ("claim", "claims")}


def noun(model, count):
    singular, plural = WORDS.get(model._meta.label_lower, (model._meta.verbose_name, model._meta.verbose_name_plural))
    return f"{count} {singular if count == 1 else plural}"


def tally(counts):
    """“3 claims, 4 links and 1 reply” from [(model, count)] or a Counter of models; "" for none."""
    counts = counts.items() if isinstance(counts, Counter) else counts
    words = [noun(model, count) for model, count in deletion.in_order(counts)]
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else ""


def detached(plan, user):
    """What the plan keeps but unhooks from the article, as a sentence for `user`; "" for nothing."""
    if not plan.detached:
        return ""
    one = sum(map(len, plan.detached.values())) == 1
    whose = "of yours" if plan.article.owner_id == user.pk else "by its owner"
    return (f"{tally(plan.counts(plan.detached))} {whose} on other articles {'stays' if one else 'stay'}, "
            f"losing only {'its' if one else 'their'} “see this” passage into this article.")


def blockers(plan):
    """One line per reason the article cannot be deleted, naming only what the viewer may read."""
    lines = []
    theirs = [holder for holder in plan.holders if not holder.yours]
    for holder in plan.holders:
        if holder.yours:
            name = f"your {holder.record._meta.verbose_name} “{holder.record}”"
            lines.append(_held(name, False, holder.uses, tally(holder.rows)))
    if theirs:
        kind, many = theirs[0].record._meta, len(theirs) > 1
        what = kind.verbose_name_plural if many else kind.verbose_name
        name = f"{len(theirs)} {what} that {'are' if many else 'is'} not yours"
        lines.append(_held(name, many, any(holder.uses for holder in theirs),
                           tally(sum((holder.rows for holder in theirs), Counter()))))
    if plan.others:
        lines.append(f"{tally(plan.others)} by other people")
    if plan.guarded:
        lines.append(f"{tally(plan.guarded)} that must be kept")
    return lines


def _held(name, many, uses, work):
    if not uses:
        return f"{work} of the work in {name}"
    verb, whose = ("use", "their") if many else ("uses", "its")
    return f"{name} {verb} it, with {work} of {whose} work on it" if work else f"{name} {verb} it"


@require_http_methods(["GET", "POST"])
@teacher_required
def edit_article(request, slug):
    article = get_object_or_404(Article, slug=slug)
    if request.method == "GET":
        return render(request, "corpus/edit.html", edit_context(request, article))
    # A separate instance: a refused form must not change the article the page describes.
    form = EditArticleForm(request.POST, instance=Article.objects.get(pk=article.pk))
    if not form.is_valid():
        return render(request, "corpus/edit.html", edit_context(request, article, form=form), status=422)
    form.save()
    messages.success(request, "The article’s details are saved.")
    return redirect("corpus:edit", slug)


@require_POST
@teacher_required
def replace_text(request, slug):
    article = get_object_or_404(Article, slug=slug)
    form = ReplaceTextForm(request.POST, auto_id="replace-%s")
    if form.is_valid() and not form.cleaned_data["text"].strip():
        form.add_error("text", "Paste the new text of the article.")
    if not form.is_valid():
        return render(request, "corpus/edit.html", edit_context(request, article, replace_form=form), status=422)
    source = pasted(form.cleaned_data["text"], "The new text", article.source_file, article.pk)
    preview = build_preview(source, 0, target=article)
    if not preview.ready:
        form.add_error("text", preview.error)
        return render(request, "corpus/edit.html", edit_context(request, article, replace_form=form), status=422)
    return render(request, "corpus/edit.html", edit_context(request, article, preview=preview))


def _report_replacement(request, result):
    if not result.body_changed:
        messages.success(request, "The text is the same as before once cleaned; the details are saved.")
        return
    counts = result.anchor_counts
    text = (
        f"Text replaced. Claims and links on it: {counts['anchored']} in place, "
        f"{counts['moved']} moved along with their words"
    )
    if counts["orphaned"]:
        messages.warning(
            request,
            f"{text}, {counts['orphaned']} could not find their words again. They are kept and flagged "
            "on the article, never deleted.",
        )
    else:
        messages.success(request, f"{text}.")


@require_POST
@teacher_required
def archive_article(request, slug):
    article = get_object_or_404(Article, slug=slug)
    article.archived = request.POST.get("archived") == "1"
    article.save(update_fields=["archived", "modified"])
    if article.archived:
        messages.success(request, "Archived: the article is off the lists; its claims are kept.")
    else:
        messages.success(request, "Back on the article list.")
    return redirect("corpus:edit", slug)


@require_POST
@teacher_required
def delete_article(request, slug):
    article = get_object_or_404(Article, slug=slug)
    form = DeleteArticleForm(request.POST, auto_id="delete-%s")
    # Who may delete is settled first: anyone else is refused whatever they sent.
    if not form.is_valid() and deletion.may_delete(request.user, article):
        return render(request, "corpus/edit.html", edit_context(request, article, delete_form=form), status=422)
    try:
        plan = deletion.delete_article(request.user, article, form.cleaned_data.get("plan"))
    except ServiceError as error:
        return render(request, "corpus/edit.html", edit_context(request, article, delete_problem=error.message),
                      status=error.status)
    work = tally([(model, n) for model, n in plan.counts() if deletion.is_work(model)])
    text = f"Deleted “{article.title}”{f' with {work}' if work else ''}."
    if plan.detached:
        text += f" {detached(plan, request.user)}"
    messages.success(request, text)
    return redirect("home")


# --- the guide ----------------------------------------------------------------------------


@require_GET
def guide(request):
    return render(request, "corpus/guide.html")
