"""Deleting an article: what it would take with it, what forbids it, and the delete itself.

An article goes only with what its owner may lose. The rows that reference it through a
protecting foreign key (claims on it, links and "see this" passages into it, the exercises
that read it), and every row that would cascade from those, are judged one by one:

- a row that also belongs, by a cascading foreign key, to a record that stays and has no
  author of its own (an exercise) is that record's: it blocks the delete, whoever wrote it,
  so submitted work and answer keys, the owner's own included, are never lost this way;
- a row with an `author` other than the article's owner blocks it;
- a row that belongs to another row outside the delete (a link hanging on a claim in
  another article) blocks it when that row would;
- the owner's rows that reference the article only through a nullable key (a reply's
  "see this" passage) are not deleted: they lose the reference and keep the rest;
- a row that protects one of those rows in turn blocks it.

Rows that cascade from the article itself (its search passages, readers' dismissed
suggestions) are part of it: they go with it and are not counted.

Everything else goes with the article, in one transaction that judges again first. This
module knows no model but Article: it reads the schema through Django's deletion Collector
and `_meta`, so corpus, the lowest app, imports none of the apps built on it. The database
guards too: those foreign keys PROTECT, so a plain `article.delete()` of a used article
raises ProtectedError.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import CASCADE, Collector, ProtectedError, RestrictedError

from annotator.errors import Conflict, Forbidden, NotFound

from .models import Article

# Rows are looked up by primary key in batches that every database accepts.
BATCH = 500


def may_delete(user, article):
    """Only the teacher who added the article, or staff; articles imported in bulk have no owner."""
    return user.is_authenticated and (user.is_staff or (article.owner_id is not None and article.owner_id == user.pk))


class ArticleInUse(Conflict):
    """Others' work depends on the article; `plan` says what."""

    def __init__(self, plan):
        super().__init__("Other people's work or an exercise depends on this article, so it cannot be deleted: "
                         "archive it instead.")
        self.plan = plan


class PlanChanged(Conflict):
    """What the delete would remove is not what the person confirmed; `plan` is the new one."""

    def __init__(self, plan):
        super().__init__("What depends on this article changed since you opened this page. Nothing was deleted: "
                         "check what the delete removes now and confirm again.")
        self.plan = plan


@dataclass
class Holder:
    """A record that stays (an exercise) and that rows depending on the article belong to."""

    record: models.Model
    yours: bool  # the person asking runs it, so they may read its name
    uses: bool = False  # it references the article itself, as an exercise reads it
    rows: Counter = field(default_factory=Counter)  # model -> its rows that depend on the article


@dataclass
class DeletionPlan:
    """What deleting `article` takes with it, by model; `blocked` when it must not happen."""

    article: Article
    dependents: dict  # model -> set of pks: every row that goes with the article
    detached: dict  # model -> set of pks: the owner's rows that only lose their reference to it
    holders: list  # Holder: records that stay and own some of the dependents
    others: Counter  # model -> dependents by other people, outside any holder
    guarded: Counter  # model -> rows that protect a dependent in turn, so the database keeps them all
    _collector: Collector = field(repr=False, default=None)

    @property
    def blocked(self):
        return bool(self.holders or self.others or self.guarded)

    def counts(self, rows=None):
        """[(model, count)] of the dependents (or of `rows`, {model: pks}), in_order."""
        rows = self.dependents if rows is None else rows
        return in_order((model, len(pks)) for model, pks in rows.items())

    @property
    def fingerprint(self):
        """Names exactly the rows this plan removes or detaches, so a confirmation is of this plan only."""
        rows = sorted(f"{kind}{model._meta.label}:{pk}" for kind, part in (("-", self.dependents), ("~", self.detached))
                      for model, pks in part.items() for pk in pks)
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:32]

    def carry_out(self):
        """Detach, delete the dependents, then the article; the caller holds the transaction."""
        for model, pks in self.detached.items():
            for reference in _references(model):
                cleared = {name: _blank(model._meta.get_field(name)) for name in _described_by(reference)}
                for batch in _batches(sorted(pks)):
                    model._base_manager.filter(pk__in=batch, **{reference.attname: self.article.pk}).update(
                        **{reference.name: None, **cleared})
        self._collector.delete()
        self.article.delete()


def plan_deletion(article, viewer):
    """What deleting `article` would remove, and what forbids it; `viewer` decides which names are shown."""
    protecting = _protecting(article)
    facts = _Facts(article)
    facts.load(protecting)
    owner = article.owner_id
    detached = defaultdict(set)
    roots = defaultdict(set)
    for model, pks in protecting.items():
        nullable = all(reference.null for reference in _references(model))
        for pk in pks:
            if nullable and owner is not None and facts.author(model, pk) == owner:
                detached[model].add(pk)
            else:
                roots[model].add(pk)
    collector, guarded = _collect(roots)
    dependents = {model: {obj.pk for obj in objs} for model, objs in collector.data.items()}
    # A row that goes anyway (its claim goes) is removed, not detached.
    detached = {model: pks - dependents.get(model, set()) for model, pks in detached.items()}
    facts.removed = dependents
    facts.load(dependents)
    holders, others = {}, Counter()
    for model, pks in dependents.items():
        for pk in pks:
            reason = facts.blocker(model, pk)
            if reason is None:
                continue
            if reason == "author":
                others[model] += 1
                continue
            if reason not in holders:
                holders[reason] = _holder(*reason, viewer)
            holder = holders[reason]
            if is_work(model):
                holder.rows[model] += 1
            else:
                holder.uses = True
    return DeletionPlan(article, dependents, {model: pks for model, pks in detached.items() if pks},
                        list(holders.values()), others, guarded, collector)


def delete_article(user, article, fingerprint):
    """Delete `article` as `user` confirmed it (`fingerprint` of the plan they saw); returns the plan carried out."""
    if not may_delete(user, article):
        raise Forbidden("Only the teacher who added this article, or staff, can delete it; archive it instead to "
                        "take it off the lists.")
    try:
        with transaction.atomic():
            locked = Article.objects.select_for_update().filter(pk=article.pk).first()
            if locked is None:
                raise NotFound("This article was deleted meanwhile.")
            plan = plan_deletion(locked, user)
            if plan.blocked:
                raise ArticleInUse(plan)
            if plan.fingerprint != fingerprint:
                raise PlanChanged(plan)
            plan.carry_out()
    except IntegrityError:
        # A reply or link written to a doomed row while this ran (ProtectedError included): the
        # database refused the delete, and the transaction took everything back.
        raise Conflict("Something was added to this article while it was being deleted. Nothing was deleted: "
                       "look again.") from None
    return plan


# --- reading the schema ---------------------------------------------------------------------


class _Collector(Collector):
    """Django's deletion collector, made to list every row it would delete (none fast-deleted unseen)."""

    def can_fast_delete(self, *args, **kwargs):
        return False


def _protecting(article):
    """{model: pks} of the rows whose protecting foreign keys keep `article` from being deleted."""
    try:
        _Collector(using=router.db_for_write(Article, instance=article)).collect([article])
    except ProtectedError as error:
        rows = error.protected_objects
    except RestrictedError as error:
        rows = error.restricted_objects
    else:
        return {}
    found = defaultdict(set)
    for row in rows:
        found[type(row)].add(row.pk)
    return found


def _collect(roots):
    """The collector holding `roots` and all that cascades from them, and {model: count} of rows that protect those."""
    collector, guarded = _Collector(using=router.db_for_write(Article)), Counter()
    for model, pks in roots.items():
        for batch in _batches(sorted(pks)):
            try:
                collector.collect(list(model._base_manager.filter(pk__in=batch)))
            except ProtectedError as error:
                guarded.update(type(row) for row in error.protected_objects)
            except RestrictedError as error:
                guarded.update(type(row) for row in error.restricted_objects)
    return collector, guarded


def _references(model):
    """The foreign keys of `model` to Article."""
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.related_model is Article]


def _described_by(reference):
    """Fields that say where in the referenced article (to_article → to_start, to_exact...), by shared prefix."""
    prefix = reference.name.removesuffix(Article._meta.model_name)
    if not prefix or prefix == reference.name:
        return []
    return [f.name for f in reference.model._meta.concrete_fields
            if f.name.startswith(prefix) and not f.is_relation and f is not reference]


def _blank(model_field):
    return None if model_field.null else model_field.get_default()


def in_order(counts):
    """[(model, count)] without the zeros: people's work (claims, links, replies) first, then by plural name."""
    return sorted(((model, n) for model, n in counts if n),
                  key=lambda item: (not is_work(item[0]), str(item[0]._meta.verbose_name_plural)))


def is_work(model):
    """Whether rows of `model` are work people write (claims, links, replies): it has an `author`."""
    return any(f.name == "author" for f in model._meta.concrete_fields)


def _cascading(model):
    """The foreign keys of `model` whose target takes the row with it when deleted."""
    return [f for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.remote_field.on_delete is CASCADE]


def _parents(model):
    """Cascading foreign keys to records other than people and articles: what a row belongs to."""
    return [f for f in _cascading(model) if f.related_model not in (get_user_model(), Article)]


def _batches(pks):
    for i in range(0, len(pks), BATCH):
        yield pks[i : i + BATCH]


class _Facts:
    """Author and parents of the rows in play, read in one query per model and batch."""

    def __init__(self, article):
        self.article = article
        self.removed = {}
        self.rows = {}  # (model, pk) -> (author_id, [(parent model, parent pk)])

    def load(self, rows):
        wanted = {model: set(pks) for model, pks in rows.items()}
        while wanted:
            parents = defaultdict(set)
            for model, pks in wanted.items():
                author = [model._meta.get_field("author").attname] if is_work(model) else []
                links = _parents(model)
                fresh = sorted(pk for pk in pks if (model, pk) not in self.rows)
                for batch in _batches(fresh):
                    for pk, *values in model._base_manager.filter(pk__in=batch).values_list(
                            "pk", *author, *(f.attname for f in links)):
                        owner = values.pop(0) if author else None
                        up = [(f.related_model, value) for f, value in zip(links, values) if value is not None]
                        self.rows[(model, pk)] = (owner, up)
                        for parent, parent_pk in up:
                            if (parent, parent_pk) not in self.rows and parent_pk not in self.removed.get(parent, ()):
                                parents[parent].add(parent_pk)
            wanted = parents

    def author(self, model, pk):
        return self.rows[(model, pk)][0]

    def blocker(self, model, pk):
        """None when the row may go; "author" when another person wrote it; else the (model, pk) it belongs to."""
        # A row deleted since it was read counts as having no author and no parents.
        author, parents = self.rows.get((model, pk), (None, []))
        for parent, parent_pk in parents:
            if parent_pk in self.removed.get(parent, ()):
                continue
            if not is_work(parent):
                return (parent, parent_pk)
            reason = self.blocker(parent, parent_pk)
            if reason is not None:
                return reason
        if is_work(model) and author != self.article.owner_id:
            return "author"
        return None


def _holder(model, pk, viewer):
    record = model._base_manager.get(pk=pk)
    return Holder(record, yours=viewer.is_authenticated and _person(record) == viewer.pk)


def _person(record):
    """Whose record this is: the person its cascading keys lead to (an exercise → its class → its teacher)."""
    for link in _cascading(type(record)):
        if link.related_model is get_user_model():
            return getattr(record, link.attname)
    for link in _parents(type(record)):
        parent = getattr(record, link.name)
        if parent is not None:
            return _person(parent)
    return None
